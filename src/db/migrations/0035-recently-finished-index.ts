import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';

/**
 * The "recently closed" queue lists the cases closed or withdrawn in the last 30 days. Its
 * index held every case by the day it finished (or, while open, was last changed), so
 * that at a million records the queue read the thousands of open cases changed lately, and
 * each one's record, only to drop them (issue #16). The new index holds the finished cases
 * alone (its condition is written as the queue writes it, `status || ''`, which no other
 * index can serve) with the queue's order after the day, so a page is read from the index.
 */
export const recentlyFinishedIndex: Migration = {
  name: '0035-recently-finished-index',
  async up(trx) {
    await sql`drop index representation_finished_idx`.execute(trx);
    await sql`create index representation_finished_idx on representation (coalesce(closed_on, withdrawn_on, updated_at), queue_due_on, received_on)
      where status || '' in ('closed', 'withdrawn')`.execute(trx);
  },
};
