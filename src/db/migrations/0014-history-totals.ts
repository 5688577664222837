import type { Migration } from '../migrator.ts';
import { TIMESTAMP } from './helpers.ts';

/**
 * Yearly totals entered by hand: for a reporting year before Redress, the
 * numbers of children's statutory complaints, informal complaints, corporate complaints and
 * compliments (the annual report's `history` takes them for a year with no records), and for
 * any year the context figures — new referrals and cases worked — that no record holds.
 * One row a reporting year (the year it starts: 2009 for 2009/10).
 */
export const historyTotals: Migration = {
  name: '0014-history-totals',
  async up(trx) {
    await trx.schema
      .createTable('history_total')
      .addColumn('year', 'integer', (c) => c.primaryKey())
      .addColumn('children_statutory', 'integer')
      .addColumn('informal', 'integer')
      .addColumn('corporate', 'integer')
      .addColumn('compliments', 'integer')
      .addColumn('new_referrals', 'integer')
      .addColumn('cases_worked', 'integer')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('updated_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('updated_at', TIMESTAMP, (c) => c.notNull())
      .execute();
  },
};
