/**
 * Submissions from the public front door (`/contact-us`): a complaint, compliment or comment
 * sent by a child, young person or adult without an account. Everything is checked again
 * here (the answers travelled through the browser in hidden fields), then written in one
 * transaction: the contact, the person (only the contact details given), the representation
 * awaiting registration with its reference, the answers as typed, a history entry and an
 * audit event (no personal data in it).
 *
 * Idempotent by the key the journey was given when it started: a repeat with the same key
 * (a double click, a refresh, a retry) returns the first submission's reference and creates
 * nothing. The key's row is written first, so a concurrent repeat waits for the first to
 * commit and then finds it (see migration 0009).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { RepresentationRepository, REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import { HistoryRepository } from '../db/history-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { AttachmentRepository } from '../db/attachment-repository.ts';
import { enqueue } from '../notify/outbox.ts';
import { CouncilSettingsRepository } from '../db/council-settings-repository.ts';
import { formatLongDate } from '../domain/cases/stage1-fields.ts';
import { DomainError } from '../domain/errors.ts';
import {
  ANSWER_FIELDS,
  contextOf,
  fieldsOf,
  firstUnfinished,
  questionProblems,
  applicableQuestions,
  say,
  submissionOf,
  type Answers,
  type AnswerField,
  type Audience,
} from '../domain/public/public-journeys.ts';
import { REFERENCE_PREFIXES, referenceFor } from '../domain/taxonomies/case-reference.ts';
import type { RepresentationKind } from '../domain/taxonomies/representation-kinds.ts';
import type { Actor, Clock } from './clock.ts';
import type { ReceiptRule } from '../domain/calendar/counting-rule.ts';
import { UserRepository } from '../db/user-repository.ts';

/** What a submission gives back: enough to show the reference and, later, to email it. */

/** How the email names what was sent, by the kind it was stored as. */
const WHAT_WAS_SENT: Readonly<Partial<Record<string, string>>> = { children_statutory: 'complaint', compliment: 'thank you', comment: 'idea' };

/** How the complaints team's email names it. */
const WHAT_ARRIVED: Readonly<Partial<Record<string, string>>> = { children_statutory: 'complaint', compliment: 'compliment', comment: 'comment' };

export interface PublicSubmissionResult {
  readonly reference: string;
  readonly kind: RepresentationKind;
  readonly audience: Audience;
  /** The address they asked us to use, when they chose email. */
  readonly email?: string | undefined;
  /** False when this was a repeat of an earlier submit with the same key: nothing was created. */
  readonly isNew: boolean;
}

/** A submission's answers as staff see them: each question as it was asked, and what was answered. */
export interface SubmittedAnswers {
  readonly audience: Audience;
  readonly submittedAt: string;
  readonly rows: readonly { readonly question: string; readonly answer: string }[];
}

/** A submission waiting to be registered, as the registration form starts from it. */
export interface RegistrationDraft {
  readonly version: number;
  /** The form's starting values, named as the form names them. */
  readonly values: Record<string, string>;
  readonly kind: string;
  /** The day it arrived: the council received it then. */
  readonly receivedOn: string;
  readonly receiptRule: ReceiptRule;
  readonly submittedAt: string;
  /** The child or young person the sender named (as typed), when they named one. */
  readonly namedChild: { readonly name: string; readonly dateOfBirth: string } | undefined;
}

/**
 * A date of birth typed on the public pages ("27 3 2012", "27/03/2012", "2012-03-27") as the
 * form's day, month and year; undefined for anything else (an age, words, a date that does not exist).
 */
export function dateOfBirthOf(typed: string): { day: string; month: string; year: string } | undefined {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(typed);
  const dmy = /^(\d{1,2})[\s./-]+(\d{1,2})[\s./-]+(\d{4})$/.exec(typed);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return undefined;
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/** Keys are made by `newIdempotencyKey`: URL-safe, unguessable. */
const KEY_PATTERN = /^[A-Za-z0-9_-]{20,100}$/;

export function isIdempotencyKey(value: unknown): value is string {
  return typeof value === 'string' && KEY_PATTERN.test(value);
}

const isAnswerField = (key: string): key is AnswerField => (ANSWER_FIELDS as readonly string[]).includes(key);

function parseAnswers(json: string): Answers {
  const parsed: unknown = JSON.parse(json);
  if (parsed === null || typeof parsed !== 'object') return {};
  return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [AnswerField, string] => isAnswerField(entry[0]) && typeof entry[1] === 'string'));
}

export class PublicSubmissionService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The complaints team's shared mailbox; undefined: each active complaints manager is told. */
    private readonly complaintsTeamEmail?: string,
  ) {}

  /**
   * Stores a finished journey. The council has received it now: it keeps the receipt rule in
   * force today (its time limits run from today, whenever it is registered), and the
   * complaints team is told at once (`submission_for_team`), with the record or not at all. DomainError `invalid_idempotency_key` for a key not made by
   * the journey, `journey_unfinished` (with the first problem's field and message) when the
   * answers are not complete and valid.
   */
  async submit(answers: Answers, idempotencyKey: string, actor: Actor): Promise<PublicSubmissionResult> {
    if (!isIdempotencyKey(idempotencyKey)) throw new DomainError('invalid_idempotency_key', 'Start again: the form has expired');
    const unfinished = firstUnfinished(answers);
    if (unfinished !== undefined) {
      const [problem] = questionProblems(unfinished, answers);
      throw new DomainError('journey_unfinished', problem?.message ?? 'Answer every question', problem?.field ?? unfinished.id);
    }
    const now = this.clock();
    const nowIso = now.toISOString();
    const submission = submissionOf(answers, nowIso.slice(0, 10));

    return this.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .insertInto('public_submission')
        .values({ idempotency_key: idempotencyKey, representation_id: null, audience: submission.audience, answers: JSON.stringify(answers), created_at: nowIso })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (claimed === undefined) return this.earlier(trx, idempotencyKey);

      const repository = new RepresentationRepository(trx);
      const contactId = await repository.createContact(submission.receivedOn, nowIso);
      const complainantId = submission.complainant ? await repository.createPerson(submission.complainant, nowIso) : null;
      const year = now.getUTCFullYear();
      const reference = referenceFor(submission.kind, year, await repository.nextReferenceNumber(REFERENCE_PREFIXES[submission.kind], year));
      const id = await repository.create(
        {
          reference,
          contactId,
          kind: submission.kind,
          status: 'awaiting_registration',
          receivedOn: submission.receivedOn,
          eventOn: null,
          channel: submission.channel,
          isViaComplaintsTeam: true,
          teamId: null,
          summary: submission.summary,
          youngPersonId: null,
          complainantId,
          complainantRole: submission.complainantRole,
          advocateId: null,
          agency: null,
          forwardedOn: null,
          complimentSource: submission.complimentSource,
          workerName: submission.workerName,
          hasConsentToQuote: submission.hasConsentToQuote,
          informalReason: null,
          isMadeForChild: submission.isMadeForChild,
          createdBy: null,
        },
        nowIso,
      );
      await trx.updateTable('public_submission').set({ representation_id: id }).where('id', '=', claimed.id).execute();
      // Received today under today's rule: registration starts the clocks from this day, under this rule.
      await repository.setReceiptRule(id, (await new CouncilSettingsRepository(trx).load()).receiptRule);
      // The files staged on the way become the representation's, with it or not at all.
      const attachments = await new AttachmentRepository(trx).claimStaged(idempotencyKey, REPRESENTATION_SUBJECT, id);
      await new HistoryRepository(trx).add(
        { subjectType: REPRESENTATION_SUBJECT, subjectId: id, userId: null, action: 'submitted_online', summary: 'Submitted online', after: { reference, status: 'awaiting_registration' } },
        nowIso,
      );
      // Codes only: the answers are personal data and stay out of the audit trail.
      await new AuditRepository(trx).record(
        { ...actor, userId: null, action: 'public_submission_received', entityType: REPRESENTATION_SUBJECT, entityId: String(id), details: { kind: submission.kind, audience: submission.audience, attachments } },
        nowIso,
      );
      // The reference, emailed when they asked for replies by email: queued with the record, so it goes if and only if the record is kept.
      if (submission.email !== undefined) {
        await enqueue(
          trx,
          {
            idempotencyKey: `submission_received:${String(id)}`,
            templateKey: 'submission_received',
            recipient: submission.email,
            personalisation: { reference, what: WHAT_WAS_SENT[submission.kind] ?? 'message' },
            subject: { type: REPRESENTATION_SUBJECT, id },
          },
          now,
        );
      }
      // The complaints team is told at once: nothing sent online waits unnoticed. Reference and date only.
      for (const recipient of await this.teamRecipients(trx)) {
        await enqueue(
          trx,
          {
            idempotencyKey: `submission_for_team:${String(id)}:${recipient.key}`,
            templateKey: 'submission_for_team',
            recipient: recipient.email,
            personalisation: { reference, what: WHAT_ARRIVED[submission.kind] ?? 'message', received_on: formatLongDate(submission.receivedOn) },
            subject: { type: REPRESENTATION_SUBJECT, id },
          },
          now,
        );
      }
      return { reference, kind: submission.kind, audience: submission.audience, email: submission.email, isNew: true };
    });
  }

  /** The answers behind a representation sent online, as staff see them (undefined when it was not sent online). */
  async answersFor(representationId: number): Promise<SubmittedAnswers | undefined> {
    const row = await this.db
      .selectFrom('public_submission')
      .select(['answers', 'audience', 'created_at'])
      .where('representation_id', '=', representationId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const answers = parseAnswers(row.answers);
    const context = contextOf(answers);
    const rows = applicableQuestions(answers).flatMap((question) => {
      // The files are listed on their own (the case page's attachments).
      if (question.type === 'files') return [];
      const lines: string[] = [];
      if (question.type === 'radios') {
        const chosen = question.choices.find((c) => c.value === answers[question.field]);
        lines.push(chosen ? say(chosen.text, context) : (answers[question.field] ?? ''));
      }
      const fields = fieldsOf(question, answers);
      for (const field of fields) {
        const value = answers[field.name];
        if (value === undefined) continue;
        lines.push(fields.length > 1 || question.type === 'radios' ? `${say(field.label, context)}: ${value}` : value);
      }
      return [{ question: say(question.title, context), answer: lines.filter((l) => l !== '').join('\n') || 'Not given' }];
    });
    return { audience: context.audience, submittedAt: row.created_at, rows };
  }

  /**
   * A submission waiting to be registered, as the staff registration form's starting values
   * (named as that form names them) and the version to register it against; undefined when
   * there is no such submission, or it has been registered.
   */
  /** What a public submission says, as the registration form's starting values; the view is audited (it shows personal data). */
  async registrationDraft(reference: string, viewer: Actor): Promise<RegistrationDraft | undefined> {
    const row = await this.db
      .selectFrom('representation')
      .innerJoin('public_submission', 'public_submission.representation_id', 'representation.id')
      .select([
        'representation.id',
        'representation.version',
        'representation.kind',
        'representation.summary',
        'representation.received_on',
        'representation.channel',
        'representation.complainant_role',
        'representation.compliment_source',
        'representation.has_consent_to_quote',
        'representation.worker_name',
        'representation.is_made_for_child',
        'representation.receipt_rule',
        'public_submission.created_at',
        'public_submission.answers',
      ])
      .where('representation.reference', '=', reference.trim().toUpperCase())
      .where('representation.status', '=', 'awaiting_registration')
      .executeTakeFirst();
    if (row === undefined) return undefined;
    await new AuditRepository(this.db).record({ ...viewer, action: 'submission_viewed', entityType: REPRESENTATION_SUBJECT, entityId: String(row.id) }, this.clock().toISOString());
    const [year = '', month = '', day = ''] = row.received_on.split('-');
    const values: Record<string, string> = {
      kind: row.kind,
      summary: row.summary,
      'received_on-day': String(Number(day)),
      'received_on-month': String(Number(month)),
      'received_on-year': year,
      channel: row.channel ?? 'online',
      via_complaints_team: 'yes',
      complainant_role: row.complainant_role ?? '',
      compliment_source: row.compliment_source ?? '',
      worker_name: row.worker_name ?? '',
    };
    if (row.kind === 'compliment') values.consent_to_quote = row.has_consent_to_quote === 1 ? 'yes' : 'no';
    if (row.is_made_for_child !== null) values.made_for_child = row.is_made_for_child === 1 ? 'yes' : 'no';
    // The child a parent (or anyone else) named: the young person section starts from them.
    const answers = parseAnswers(row.answers);
    const childName = answers.child_name?.trim() ?? '';
    const childBirth = answers.child_birth?.trim() ?? '';
    const born = dateOfBirthOf(childBirth);
    if (born !== undefined) Object.assign(values, { 'young_person_date_of_birth-day': born.day, 'young_person_date_of_birth-month': born.month, 'young_person_date_of_birth-year': born.year });
    return {
      version: row.version,
      values,
      kind: row.kind,
      receivedOn: row.received_on,
      receiptRule: row.receipt_rule,
      submittedAt: row.created_at,
      namedChild: childName === '' && childBirth === '' ? undefined : { name: childName, dateOfBirth: childBirth },
    };
  }

  /** Who hears of a new submission: the team's shared mailbox, or else each active complaints manager. */
  private async teamRecipients(trx: Kysely<Database>): Promise<{ key: string; email: string }[]> {
    if (this.complaintsTeamEmail !== undefined) return [{ key: 'team', email: this.complaintsTeamEmail }];
    const managers = await new UserRepository(trx).activeWithRole('complaints_manager');
    return managers.map((m) => ({ key: String(m.id), email: m.email }));
  }

  private async earlier(trx: Kysely<Database>, idempotencyKey: string): Promise<PublicSubmissionResult> {
    const row = await trx
      .selectFrom('public_submission')
      .innerJoin('representation', 'representation.id', 'public_submission.representation_id')
      .select(['representation.reference', 'representation.kind', 'public_submission.answers'])
      .where('public_submission.idempotency_key', '=', idempotencyKey)
      .executeTakeFirstOrThrow();
    const answers = parseAnswers(row.answers);
    return {
      reference: row.reference,
      kind: row.kind as RepresentationKind,
      audience: contextOf(answers).audience,
      email: answers.contact === 'email' ? answers.contact_email : undefined,
      isNew: false,
    };
  }
}
