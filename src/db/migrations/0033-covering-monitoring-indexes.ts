import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';
import { OPEN_UNTIL_SQL } from './0030-register-log-and-monitoring-indexes.ts';

/**
 * The monitoring report and the dashboard read their counts from the indexes alone (issue
 * #16), so that a period of a national-scale table costs its own index entries and no visit
 * to each record:
 * - receipts by (received_on, kind, team_id), responses by (kind, responded_on, received_on,
 *   receipt_rule, team_id, withdrawn_on) for those not withdrawn, and the complaints open at
 *   a date with their kind and the two dates the day is worked out from: every column the
 *   counts group or filter by is in the index (SQLite counts a partial index as covering only
 *   when the columns of its condition are in it too; PostgreSQL reads an expression index
 *   alone only when the columns of the expression are in it too);
 * - withdrawals: only the records withdrawn. Before, every record was in that index under a
 *   null withdrawal date, and SQLite chose it for "not withdrawn, by response date", walking
 *   every Children Act complaint ever responded to;
 * - open clocks by due date with their subject, key and procedure, for the overdue and due
 *   soon counts.
 * Each keeps its name: the queries and their plans are unchanged otherwise.
 */
export const coveringMonitoringIndexes: Migration = {
  name: '0033-covering-monitoring-indexes',
  async up(trx, engine) {
    await sql`drop index representation_received_idx`.execute(trx);
    await sql`create index representation_received_idx on representation (received_on, kind, team_id)`.execute(trx);
    await sql`drop index representation_timeliness_idx`.execute(trx);
    await sql`create index representation_timeliness_idx on representation (kind, responded_on, received_on, receipt_rule, team_id, withdrawn_on) where withdrawn_on is null`.execute(trx);
    await sql`drop index representation_withdrawn_idx`.execute(trx);
    await sql`create index representation_withdrawn_idx on representation (withdrawn_on, kind, team_id) where withdrawn_on is not null`.execute(trx);
    await sql`drop index representation_open_until_idx`.execute(trx);
    await sql`create index representation_open_until_idx on representation ((${sql.raw(OPEN_UNTIL_SQL[engine])}), received_on, team_id, kind, responded_on, withdrawn_on) where kind = 'children_statutory'`.execute(trx);
    await sql`drop index clock_open_due_idx`.execute(trx);
    await sql`create index clock_open_due_idx on clock (is_open, due_on, subject_type, clock_key, subject_id, procedure_kind)`.execute(trx);
  },
};
