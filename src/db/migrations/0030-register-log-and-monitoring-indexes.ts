import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';

/**
 * The SQL of "the day a Children Act complaint stopped being open": the earlier of its
 * response and its withdrawal, `9999-12-31` while it has neither (so that "still open on a
 * date" is one range on both engines). The monitoring report's "open at the end" reads the
 * index on it; the query must spell it exactly so (src/reports/monitoring/monitoring-query.ts).
 */
export const OPEN_UNTIL_SQL = {
  sqlite: "min(coalesce(responded_on, '9999-12-31'), coalesce(withdrawn_on, '9999-12-31'))",
  postgres: "least(coalesce(responded_on, '9999-12-31'), coalesce(withdrawn_on, '9999-12-31'))",
} as const;

/**
 * Paging on the Ombudsman register and the learning log, and a monitoring report that reads
 * only its period (issue #16):
 * - the register pages newest first by (received_on, id), and the log by (identified_on, id):
 *   an index in each order (they replace the indexes on the date alone);
 * - the monitoring report counts withdrawals in its period through (withdrawn_on, kind,
 *   team_id), and the complaints open at its end through the day each stopped being open
 *   (partial: Children Act complaints only), so neither reads every record received before
 *   the period's end; whether any record with no team had been received by then is one
 *   look-up in a partial index of those records.
 */
export const registerLogAndMonitoringIndexes: Migration = {
  name: '0030-register-log-and-monitoring-indexes',
  async up(trx, engine) {
    await sql`drop index ombudsman_enquiry_received_idx`.execute(trx);
    await sql`create index ombudsman_enquiry_register_idx on ombudsman_enquiry (received_on, id)`.execute(trx);
    await sql`drop index lesson_identified_idx`.execute(trx);
    await sql`create index lesson_log_idx on lesson (identified_on, id)`.execute(trx);
    await sql`create index representation_withdrawn_idx on representation (withdrawn_on, kind, team_id)`.execute(trx);
    await sql`create index representation_no_team_idx on representation (received_on) where team_id is null`.execute(trx);
    await sql`create index representation_open_until_idx on representation ((${sql.raw(OPEN_UNTIL_SQL[engine])}), received_on, team_id) where kind = 'children_statutory'`.execute(trx);
  },
};
