import type { Migration } from '../migrator.ts';
import { DATE, TIMESTAMP, withId } from './helpers.ts';

/**
 * Retention and disposal (docs/adr/0015-retention-and-disposal.md): when a case's personal
 * data was disposed of (`representation.disposed_at`; the case row stays, with the coded facts
 * the reports count), legal holds that keep a case from disposal (a hold is removed by setting
 * `removed_at`, so every hold ever placed stays on record), and the disposal log — which case,
 * when, by whom, under which policy and how many of each kind of thing were erased; never the
 * erased data itself.
 */
export const retentionAndDisposal: Migration = {
  name: '0024-retention-and-disposal',
  async up(trx, engine) {
    await trx.schema.alterTable('representation').addColumn('disposed_at', TIMESTAMP).execute();

    await withId(trx.schema.createTable('legal_hold'), engine)
      .addColumn('representation_id', 'integer', (c) => c.notNull().references('representation.id'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('placed_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('placed_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('removed_reason', 'text')
      .addColumn('removed_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('removed_at', TIMESTAMP)
      .execute();
    await trx.schema.createIndex('legal_hold_representation_idx').on('legal_hold').columns(['representation_id', 'removed_at']).execute();

    await withId(trx.schema.createTable('disposal_log'), engine)
      .addColumn('representation_id', 'integer', (c) => c.notNull().unique().references('representation.id'))
      .addColumn('reference', 'varchar(40)', (c) => c.notNull())
      .addColumn('disposed_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('disposed_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('as_at', DATE, (c) => c.notNull())
      .addColumn('due_on', DATE, (c) => c.notNull())
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('erased', 'text', (c) => c.notNull())
      .execute();
  },
};
