import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';

/**
 * The annual report reads a year of a national-scale table from indexes (issue #16):
 * - `representation_annual_idx`: a year of one kind is one range of (kind, received_on), and
 *   every column the report's figures group or filter by follows, so each pass over the
 *   year's 100,000 complaints reads index entries and never visits a record. The timescale
 *   pairs (received_on, responded_on, receipt_rule) come first after the range, in that
 *   order, so SQLite groups them as it walks, without a sort;
 * - whether a complaint's clock was extended, or paused, is a look-up in a partial index of
 *   the clocks whose events hold an extension (or a pause), keyed like the clock's unique
 *   key, instead of reading each clock's events;
 * - Stage 3 by the date of its panel and of its recommendations, so that the year's events
 *   are found through the year's dates (as Stage 2's and Stage 3's requests and responses
 *   already are).
 */
export const annualReportIndexes: Migration = {
  name: '0032-annual-report-indexes',
  async up(trx) {
    await sql`create index representation_annual_idx on representation (kind, received_on, responded_on, receipt_rule, withdrawn_on, finding, is_via_complaints_team,
      complainant_role, channel, team_id, young_person_id, compliment_source, has_consent_to_quote)`.execute(trx);
    await sql`create index clock_extended_idx on clock (subject_id, subject_type, clock_key) where events like '%"extraWorkingDays"%'`.execute(trx);
    await sql`create index clock_paused_idx on clock (subject_id, subject_type, clock_key) where events like '%"pauses":[{%'`.execute(trx);
    await sql`create index stage3_panel_met_idx on stage3 (panel_met_on)`.execute(trx);
    await sql`create index stage3_recommendations_idx on stage3 (recommendations_received_on)`.execute(trx);
  },
};
