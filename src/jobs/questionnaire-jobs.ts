/**
 * The questionnaire job: sends the one reminder to each satisfaction questionnaire still
 * unanswered some days after it was sent (src/app/questionnaire-service.ts). Harmless to run
 * again or in two processes at once: each reminder is claimed with a conditional update and
 * enqueued under the key `questionnaire_reminder:<questionnaire id>`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { QuestionnaireService } from '../app/questionnaire-service.ts';

export interface QuestionnaireJobResult {
  readonly reminders: number;
}

export async function runQuestionnaireJobs(db: Kysely<Database>, now: Date): Promise<QuestionnaireJobResult> {
  const reminders = await new QuestionnaireService(db, () => now).remind(now);
  return { reminders };
}
