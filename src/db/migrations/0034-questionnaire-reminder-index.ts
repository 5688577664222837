import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';

/**
 * The questionnaire job runs every minute and reads the questionnaires still waiting for their
 * reminder: unanswered and not yet reminded. A partial index of those, by when each was sent,
 * spares it a pass over every questionnaire ever sent (issue #16); answered and reminded ones
 * leave it. It holds the two (null) columns of its condition too, so that SQLite reads the
 * ids from the index alone.
 */
export const questionnaireReminderIndex: Migration = {
  name: '0034-questionnaire-reminder-index',
  async up(trx) {
    await sql`create index questionnaire_awaiting_reminder_idx on questionnaire (sent_at, answered_at, reminder_sent_at) where answered_at is null and reminder_sent_at is null`.execute(trx);
  },
};
