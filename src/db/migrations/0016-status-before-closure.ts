import type { Migration } from '../migrator.ts';

/**
 * The status a representation had before it was withdrawn or closed: what re-opening it
 * returns it to. Null while it is open, and for cases ended before this column existed (their
 * history says it: see src/db/case-facts-repository.ts).
 */
export const statusBeforeClosure: Migration = {
  name: '0016-status-before-closure',
  async up(trx) {
    await trx.schema.alterTable('representation').addColumn('status_before_closure', 'varchar(30)').execute();
  },
};
