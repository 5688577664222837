/**
 * Runs migrations in order, each in its own transaction with its record in
 * `schema_migration`, so a migration that fails leaves the database as it was, and running
 * them again is harmless. On PostgreSQL an advisory lock stops two processes migrating at
 * once; on SQLite the write lock does the same.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db, Engine } from './database.ts';
import type { Database } from './schema.ts';
import { migrations as allMigrations } from './migrations/index.ts';

export interface Migration {
  readonly name: string;
  up(trx: Transaction<Database>, engine: Engine): Promise<void>;
}

const MIGRATION_LOCK = 7_301_964_211; // any fixed number, the same in every process

export interface MigrationResult {
  readonly applied: readonly string[];
}

async function ensureMigrationTable(db: Kysely<Database>): Promise<void> {
  await db.schema
    .createTable('schema_migration')
    .ifNotExists()
    .addColumn('name', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('applied_at', 'varchar(40)', (c) => c.notNull())
    .execute();
}

export async function migrateToLatest(
  db: Db,
  migrations: readonly Migration[] = allMigrations,
  now: () => Date = () => new Date(),
): Promise<MigrationResult> {
  await ensureMigrationTable(db.kysely);
  const applied: string[] = [];
  for (const migration of migrations) {
    const didApply = await db.kysely.transaction().execute(async (trx) => {
      if (db.engine === 'postgres') await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
      const done = await trx
        .selectFrom('schema_migration')
        .select('name')
        .where('name', '=', migration.name)
        .executeTakeFirst();
      if (done) return false;
      await migration.up(trx, db.engine);
      await trx.insertInto('schema_migration').values({ name: migration.name, applied_at: now().toISOString() }).execute();
      return true;
    });
    if (didApply) applied.push(migration.name);
  }
  return { applied };
}
