import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';

/**
 * A search by name finds the people first, then their cases by the complainant's index, and
 * sorts those cases into the queue's order. At a million records a common surname finds
 * thousands, and each one's record was read only for its place in that order (issue #16).
 * The index now holds that place too (the due date and the date received; the id is in every
 * SQLite index, and included on PostgreSQL), so the cases are sorted from the index alone.
 */
export const complainantSearchIndex: Migration = {
  name: '0036-complainant-search-index',
  async up(trx, engine) {
    await sql`drop index representation_complainant_idx`.execute(trx);
    if (engine === 'postgres') {
      await sql`create index representation_complainant_idx on representation (complainant_id) include (id, queue_due_on, received_on)`.execute(trx);
    } else {
      await sql`create index representation_complainant_idx on representation (complainant_id, queue_due_on, received_on)`.execute(trx);
    }
  },
};
