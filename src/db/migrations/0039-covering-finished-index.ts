import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';

/**
 * PostgreSQL only: the recently finished cases' index (migration 0035) also holds each case's
 * id and the three dates its key is computed from, so that the "recently closed" queue reads a
 * month's finished cases from the index alone, not each one's record as well (issue #16).
 * PostgreSQL reads a row from an index only when every column the query names is in it, and
 * it does not see that a column used only inside the indexed expression is not needed.
 */
export const coveringFinishedIndex: Migration = {
  name: '0039-covering-finished-index',
  async up(trx, engine) {
    if (engine !== 'postgres') return;
    await sql`drop index representation_finished_idx`.execute(trx);
    await sql`create index representation_finished_idx on representation (coalesce(closed_on, withdrawn_on, updated_at), queue_due_on, received_on)
      include (id, closed_on, withdrawn_on, updated_at) where status || '' in ('closed', 'withdrawn')`.execute(trx);
  },
};
