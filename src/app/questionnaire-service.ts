/**
 * The satisfaction questionnaire: sent by email when a complaint is closed, with
 * a secure link (src/app/secure-link-service.ts); one reminder if it is unanswered; the
 * answers recorded once; a summary by year, counted in SQL.
 *
 * - `sendQuestionnaireAfterClosure(trx, representationId, now)` is called by the `close`
 *   action inside its transaction: the link, the questionnaire row and the outbox message are
 *   written if and only if the case is closed. A case gets one questionnaire, ever.
 * - `remind(now)` (a scheduled job) sends the one reminder, with its own link, to each
 *   questionnaire unanswered `REMINDER_AFTER_DAYS` after it was sent. A conditional update
 *   and the outbox key `questionnaire_reminder:<id>` make it once, however often it runs.
 * - `answer(token, raw, actor)` records the answers once: the questionnaire row is updated
 *   only while `answered_at` is null (two submits at once: one answer), then every link of
 *   the questionnaire is used up.
 *
 * Nothing here logs or audits the answers or the address; the audit trail says that a
 * questionnaire was sent, reminded or answered, by ids.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { HistoryRepository } from '../db/history-repository.ts';
import { DEFAULT_LIFETIME_DAYS, expiresAfter, type SecureLinkRefusal } from '../domain/links/secure-link.ts';
import {
  checkAnswers,
  getsQuestionnaire,
  REMINDER_AFTER_DAYS,
  responseRate,
  SCALE,
  SCALE_QUESTIONS,
  questionnaireVersionFor,
  type QuestionnaireVersion,
  type QuestionnaireSummary,
  type RawAnswers,
  type ScaleAnswer,
} from '../domain/questionnaires/questionnaire.ts';
import type { DomainError } from '../domain/errors.ts';
import { enqueue } from '../notify/outbox.ts';
import { SECURE_LINK_ID } from '../notify/secure-link-email.ts';
import { issueSecureLink, markSecureLinkUsed, SecureLinkService } from './secure-link-service.ts';
import type { Actor, Clock } from './clock.ts';

export const QUESTIONNAIRE_SUBJECT = 'questionnaire';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Sends the questionnaire for a case just closed, if its complainant should get one; returns whether it was sent. Call inside the `close` transaction. */
export async function sendQuestionnaireAfterClosure(trx: Kysely<Database>, representationId: number, now: Date): Promise<boolean> {
  const row = await trx
    .selectFrom('representation')
    .leftJoin('person', 'person.id', 'representation.complainant_id')
    .select([
      'representation.id',
      'representation.reference',
      'representation.kind',
      'representation.responded_on',
      'representation.withdrawn_on',
      'representation.complainant_role',
      'person.email',
      'person.preferred_contact',
    ])
    .where('representation.id', '=', representationId)
    .executeTakeFirst();
  if (row === undefined) return false;
  const email = row.email?.trim() ?? '';
  if (!getsQuestionnaire({ kind: row.kind, respondedOn: row.responded_on, withdrawnOn: row.withdrawn_on, email, preferredContact: row.preferred_contact })) return false;
  const already = await trx.selectFrom('questionnaire').select('id').where('representation_id', '=', representationId).executeTakeFirst();
  if (already !== undefined) return false;

  const expiresAt = expiresAfter(now, DEFAULT_LIFETIME_DAYS.questionnaire);
  const link = await issueSecureLink(trx, { purpose: 'questionnaire', representationId, expiresAt }, now);
  const at = now.toISOString();
  const questionnaire = await trx
    .insertInto('questionnaire')
    .values({ representation_id: representationId, link_id: link.id, reminder_link_id: null, recipient_kind: 'complainant', sent_at: at, reminder_sent_at: null, answered_at: null, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  // The message holds the link's id, not its token: the worker gives it a token as it sends.
  await enqueue(
    trx,
    {
      idempotencyKey: `questionnaire:${String(representationId)}`,
      // A child or young person gets the email, and the questions, in words for them.
      templateKey: questionnaireVersionFor(row.complainant_role) === 'child' ? 'questionnaire_child' : 'questionnaire',
      recipient: email,
      personalisation: { reference: row.reference, [SECURE_LINK_ID]: link.id, expires_on: lastDay(expiresAt) },
      subject: { type: REPRESENTATION_SUBJECT, id: representationId },
    },
    now,
  );
  // Audited, not added to the case's history: the closure's history entry is the case's last word, and the case page shows the questionnaire.
  await new AuditRepository(trx).record(
    { userId: null, ip: null, requestId: null, action: 'questionnaire_sent', entityType: QUESTIONNAIRE_SUBJECT, entityId: String(questionnaire.id), details: { representation_id: representationId, link_id: link.id } },
    at,
  );
  return true;
}

/** The last whole day a link expiring at `expiresAt` works, as an ISO date. */
function lastDay(expiresAt: Date): string {
  return new Date(expiresAt.getTime() - DAY_MS).toISOString().slice(0, 10);
}

export type QuestionnaireOpening = { readonly ok: true; readonly reference: string; readonly version: QuestionnaireVersion } | { readonly ok: false; readonly refusal: SecureLinkRefusal };

export type AnswerOutcome = { readonly ok: true } | { readonly ok: false; readonly refusal: SecureLinkRefusal } | { readonly ok: false; readonly refusal: 'invalid'; readonly problems: DomainError[] };

/** What the case page shows about a case's questionnaire. */
export interface QuestionnaireStatus {
  readonly sentAt: string;
  readonly reminderSentAt: string | null;
  readonly answeredAt: string | null;
}

export class QuestionnaireService {
  private readonly links: SecureLinkService;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {
    this.links = new SecureLinkService(db, clock);
  }

  /** Whether `token` opens a questionnaire that can still be answered. The case reference is not shown to the visitor; it is here for tests and logs by id only. */
  async open(token: string): Promise<QuestionnaireOpening> {
    const resolved = await this.links.resolve(token, 'questionnaire');
    if (!resolved.ok) return { ok: false, refusal: resolved.refusal };
    const row = await this.db
      .selectFrom('questionnaire')
      .innerJoin('representation', 'representation.id', 'questionnaire.representation_id')
      .select(['questionnaire.answered_at', 'representation.reference', 'representation.complainant_role'])
      .where('questionnaire.representation_id', '=', resolved.link.representationId)
      .executeTakeFirst();
    if (row === undefined) return { ok: false, refusal: 'unknown' };
    if (row.answered_at !== null) return { ok: false, refusal: 'used' };
    return { ok: true, reference: row.reference, version: questionnaireVersionFor(row.complainant_role) };
  }

  /** Records the answers once (see the module's comment). */
  async answer(token: string, raw: RawAnswers, actor: Actor): Promise<AnswerOutcome> {
    const now = this.clock();
    const at = now.toISOString();
    return this.db.transaction().execute(async (trx): Promise<AnswerOutcome> => {
      const resolved = await this.links.resolve(token, 'questionnaire', now, trx);
      if (!resolved.ok) return { ok: false, refusal: resolved.refusal };
      const representationId = resolved.link.representationId;
      const role = await trx.selectFrom('representation').select('complainant_role').where('id', '=', representationId).executeTakeFirst();
      // Same answers either way; only the words of the messages differ.
      const checked = checkAnswers(raw, questionnaireVersionFor(role?.complainant_role));
      if (checked.answers === undefined) return { ok: false, refusal: 'invalid', problems: checked.problems };
      const { answers } = checked;
      // The questionnaire row first: of two submits at once, the second waits here and then finds it answered.
      const updated = await trx
        .updateTable('questionnaire')
        .set({
          answered_at: at,
          answer_ease: answers.ease,
          answer_kept_informed: answers.kept_informed,
          answer_timeliness: answers.timeliness,
          answer_listened: answers.listened,
          answer_comments: answers.comments === '' ? null : answers.comments,
        })
        .where('representation_id', '=', representationId)
        .where('answered_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (updated === undefined) return { ok: false, refusal: 'used' };
      if (!(await markSecureLinkUsed(trx, resolved.link.id, now))) throw new Error('questionnaire link used while answering');
      await this.links.retire(trx, 'questionnaire', representationId);
      await new HistoryRepository(trx).add({ subjectType: REPRESENTATION_SUBJECT, subjectId: representationId, userId: null, action: 'questionnaire_answered', summary: 'Satisfaction questionnaire answered' }, at);
      await new AuditRepository(trx).record(
        { userId: actor.userId, ip: actor.ip, requestId: actor.requestId, action: 'questionnaire_answered', entityType: QUESTIONNAIRE_SUBJECT, entityId: String(updated.id), details: { representation_id: representationId, link_id: resolved.link.id } },
        at,
      );
      return { ok: true };
    });
  }

  /** Sends the one reminder to each questionnaire unanswered `afterDays` after it was sent; returns how many were sent now. */
  async remind(now: Date = this.clock(), afterDays: number = REMINDER_AFTER_DAYS): Promise<number> {
    const at = now.toISOString();
    const sentBefore = new Date(now.getTime() - afterDays * DAY_MS).toISOString();
    // Those waiting for their reminder, from their own partial index (not every questionnaire ever sent), then read a batch at a time.
    const waiting = await this.db.selectFrom('questionnaire').select('id').where('answered_at', 'is', null).where('reminder_sent_at', 'is', null).where('sent_at', '<=', sentBefore).execute();
    const ids = waiting.map((w) => w.id).sort((a, b) => a - b);
    const limit = 500;
    const due = [];
    for (let i = 0; i < ids.length && due.length < limit; i += limit) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      const batch = await this.db
        .selectFrom('questionnaire')
        .innerJoin('secure_link', 'secure_link.id', 'questionnaire.link_id')
        .innerJoin('representation', 'representation.id', 'questionnaire.representation_id')
        .leftJoin('person', 'person.id', 'representation.complainant_id')
        .select(['questionnaire.id', 'questionnaire.representation_id', 'secure_link.expires_at', 'representation.reference', 'representation.complainant_role', 'person.email', 'person.preferred_contact'])
        .where('questionnaire.id', 'in', ids.slice(i, i + limit))
        .where('questionnaire.answered_at', 'is', null)
        .where('questionnaire.reminder_sent_at', 'is', null)
        .where('questionnaire.sent_at', '<=', sentBefore)
        // A reminder whose link would last less than a day is not worth sending.
        .where('secure_link.expires_at', '>', new Date(now.getTime() + DAY_MS).toISOString())
        .orderBy('questionnaire.id')
        .limit(limit - due.length)
        .execute();
      due.push(...batch);
    }
    let sent = 0;
    for (const [index, q] of due.entries()) {
      const email = q.email?.trim() ?? '';
      if (email === '' || q.preferred_contact === 'none') continue;
      // Each reminder is a transaction: on SQLite (synchronous) other requests run in between.
      if (index > 0) await new Promise((resolve) => setImmediate(resolve));
      const done = await this.db.transaction().execute(async (trx) => {
        const claimed = await trx.updateTable('questionnaire').set({ reminder_sent_at: at }).where('id', '=', q.id).where('reminder_sent_at', 'is', null).where('answered_at', 'is', null).executeTakeFirst();
        if (claimed.numUpdatedRows === 0n) return false;
        const expiresAt = new Date(q.expires_at);
        const link = await issueSecureLink(trx, { purpose: 'questionnaire', representationId: q.representation_id, expiresAt }, now);
        await trx.updateTable('questionnaire').set({ reminder_link_id: link.id }).where('id', '=', q.id).execute();
        await enqueue(
          trx,
          {
            idempotencyKey: `questionnaire_reminder:${String(q.id)}`,
            templateKey: questionnaireVersionFor(q.complainant_role) === 'child' ? 'questionnaire_reminder_child' : 'questionnaire_reminder',
            recipient: email,
            personalisation: { reference: q.reference, [SECURE_LINK_ID]: link.id, expires_on: lastDay(expiresAt) },
            subject: { type: REPRESENTATION_SUBJECT, id: q.representation_id },
          },
          now,
        );
        await new AuditRepository(trx).record(
          { userId: null, ip: null, requestId: null, action: 'questionnaire_reminded', entityType: QUESTIONNAIRE_SUBJECT, entityId: String(q.id), details: { representation_id: q.representation_id, link_id: link.id } },
          at,
        );
        return true;
      });
      if (done) sent += 1;
    }
    return sent;
  }

  /** The case's questionnaire, if one was sent. */
  async forRepresentation(representationId: number): Promise<QuestionnaireStatus | undefined> {
    const row = await this.db.selectFrom('questionnaire').select(['sent_at', 'reminder_sent_at', 'answered_at']).where('representation_id', '=', representationId).executeTakeFirst();
    return row === undefined ? undefined : { sentAt: row.sent_at, reminderSentAt: row.reminder_sent_at, answeredAt: row.answered_at };
  }

  /** Records that `actor` looked at the summary for the reporting year `year`. */
  async recordSummaryView(actor: Actor, year: number): Promise<void> {
    await new AuditRepository(this.db).record({ ...actor, action: 'questionnaire_summary_viewed', entityType: 'questionnaire_summary', entityId: String(year) }, this.clock().toISOString());
  }

  /** Questionnaires sent from `from` to `to` (ISO dates, inclusive) and their answers, counted in SQL. */
  async summaryForYear(from: string, to: string): Promise<QuestionnaireSummary> {
    const count = (condition: ReturnType<typeof sql>) => sql<string | number>`count(case when ${condition} then 1 end)`;
    const selections = [
      count(sql`1 = 1`).as('sent'),
      count(sql`reminder_sent_at is not null`).as('reminded'),
      count(sql`answered_at is not null`).as('answered'),
      count(sql`answer_comments is not null`).as('with_comments'),
      ...SCALE_QUESTIONS.flatMap((question) => SCALE.map((point) => count(sql`${sql.ref(`answer_${question.name}`)} = ${point}`).as(`${question.name}_${String(point)}`))),
    ];
    const row = (await this.db
      .selectFrom('questionnaire')
      .select(selections)
      .where('sent_at', '>=', `${from}T00:00:00.000Z`)
      .where('sent_at', '<=', `${to}T23:59:59.999Z`)
      .executeTakeFirst()) as Readonly<Record<string, string | number | null>> | undefined;
    const n = (key: string): number => Number(row?.[key] ?? 0);
    const sent = n('sent');
    const answered = n('answered');
    return {
      from,
      to,
      sent,
      reminded: n('reminded'),
      answered,
      responseRate: responseRate(sent, answered),
      withComments: n('with_comments'),
      questions: SCALE_QUESTIONS.map((question) => ({
        name: question.name,
        text: question.text,
        labels: question.labels,
        counts: Object.fromEntries(SCALE.map((point) => [point, n(`${question.name}_${String(point)}`)])) as Record<ScaleAnswer, number>,
      })),
    };
  }
}
