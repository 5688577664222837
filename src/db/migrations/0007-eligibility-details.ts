import type { Migration } from '../migrator.ts';
import { DATE } from './helpers.ts';

/**
 * What the eligibility rules read and record beyond a decision's outcome: the
 * young person's views, the date the complainant was told and the parts declined, kept with
 * each decision; and three facts about the case that decide which decisions it needs —
 * whether the complainant holds parental responsibility, whether the complaint is made for
 * the young person, and whether there are court or other proceedings (null: not known yet).
 */
export const eligibilityDetails: Migration = {
  name: '0007-eligibility-details',
  async up(trx) {
    // One column a statement: SQLite adds only one at a time.
    await trx.schema.alterTable('eligibility_decision').addColumn('child_views', 'varchar(4000)').execute();
    await trx.schema.alterTable('eligibility_decision').addColumn('notified_on', DATE).execute();
    await trx.schema.alterTable('eligibility_decision').addColumn('parts_declined', 'varchar(4000)').execute();
    await trx.schema.alterTable('representation').addColumn('has_parental_responsibility', 'integer').execute();
    await trx.schema.alterTable('representation').addColumn('is_made_for_child', 'integer').execute();
    await trx.schema.alterTable('representation').addColumn('has_proceedings', 'integer').execute();
  },
};
