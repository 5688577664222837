import type { CreateTableBuilder } from 'kysely';
import type { Engine } from '../database.ts';

/** An integer primary key the database numbers itself, on either engine. */
export function withId<T extends string>(table: CreateTableBuilder<T>, engine: Engine): CreateTableBuilder<T, 'id'> {
  return engine === 'postgres'
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** ISO 8601 timestamps (UTC, `…Z`) and dates are stored as text on both engines. */
export const TIMESTAMP = 'varchar(40)';
export const DATE = 'varchar(10)';
