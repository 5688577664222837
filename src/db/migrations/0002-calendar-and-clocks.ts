import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';
import { DATE, TIMESTAMP, withId } from './helpers.ts';

/**
 * The calendar's change log, the clocks that run on it, and each case's history. Clocks and
 * history are generic (subject type and id) so that every kind of record can have them.
 */
export const calendarAndClocks: Migration = {
  name: '0002-calendar-and-clocks',
  async up(trx, engine) {
    const schema = trx.schema;
    await withId(schema.createTable('calendar_change'), engine)
      .addColumn('date', DATE, (c) => c.notNull())
      .addColumn('change', 'varchar(10)', (c) => c.notNull().check(sql`change in ('add', 'remove')`))
      .addColumn('title', 'varchar(200)', (c) => c.notNull())
      .addColumn('reason', 'varchar(1000)', (c) => c.notNull())
      .addColumn('source', 'varchar(20)', (c) => c.notNull().check(sql`source in ('admin', 'import')`))
      .addColumn('user_id', 'integer', (c) => c.references('app_user.id'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await schema.createIndex('calendar_change_date_idx').on('calendar_change').column('date').execute();

    await withId(schema.createTable('clock'), engine)
      .addColumn('subject_type', 'varchar(40)', (c) => c.notNull())
      .addColumn('subject_id', 'integer', (c) => c.notNull())
      .addColumn('procedure_kind', 'varchar(40)', (c) => c.notNull())
      .addColumn('clock_key', 'varchar(60)', (c) => c.notNull())
      .addColumn('started_on', DATE, (c) => c.notNull())
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('due_on', DATE, (c) => c.notNull())
      .addColumn('is_open', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP, (c) => c.notNull())
      .addUniqueConstraint('clock_subject_key_unique', ['subject_type', 'subject_id', 'clock_key'])
      .execute();
    await schema.createIndex('clock_open_due_idx').on('clock').columns(['is_open', 'due_on']).execute();

    await withId(schema.createTable('history_entry'), engine)
      .addColumn('subject_type', 'varchar(40)', (c) => c.notNull())
      .addColumn('subject_id', 'integer', (c) => c.notNull())
      .addColumn('occurred_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.references('app_user.id'))
      .addColumn('action', 'varchar(80)', (c) => c.notNull())
      .addColumn('summary', 'varchar(2000)', (c) => c.notNull())
      .addColumn('before', 'text')
      .addColumn('after', 'text')
      .execute();
    await schema.createIndex('history_entry_subject_idx').on('history_entry').columns(['subject_type', 'subject_id', 'id']).execute();
  },
};
