/**
 * Asking for the next stage online (issue #7: "the Stage 1 response carries a link … to ask
 * for Stage 2, and the Stage 2 response one for Stage 3"). With the response, inside its
 * transaction, `offerNextStage` issues a secure link and emails it to the complainant when
 * they gave an email address and did not ask not to be contacted. The link opens a public
 * page where they say what they are still unhappy about; sending it uses the link up and
 * records the request on the case — a note with their words, a history entry with the date,
 * an audit event — and tells the complaints managers.
 *
 * The request is not taken through the procedure by itself: the complaints team records it
 * as the Stage 2 (or 3) request from the case page, dated the day it came, and a late one
 * needs their decision (never refused automatically). The case page says a
 * request came online and is waiting to be recorded.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { HistoryRepository } from '../db/history-repository.ts';
import { REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import { DomainError } from '../domain/errors.ts';
import type { IsoDate } from '../domain/calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../domain/calendar/working-day-calendar.ts';
import { formatLongDate } from '../domain/cases/stage1-fields.ts';
import { requestWindowEndsOn } from '../domain/cases/later-stages.ts';
import { DEFAULT_LIFETIME_DAYS, expiresAfter, type SecureLinkPurpose, type SecureLinkRefusal } from '../domain/links/secure-link.ts';
import { enqueue } from '../notify/outbox.ts';
import { SECURE_LINK_ID } from '../notify/secure-link-email.ts';
import { SecureLinkService, issueSecureLink, markSecureLinkUsed } from './secure-link-service.ts';
import type { Actor, Clock } from './clock.ts';
import { UserRepository } from '../db/user-repository.ts';

export type NextStagePurpose = Extract<SecureLinkPurpose, 'stage2_request' | 'stage3_request'>;

/** What the complainant asks for, in their words. */
export const NEXT_STAGE_LABELS: Readonly<Record<NextStagePurpose, { stage: string; history: string }>> = {
  stage2_request: { stage: 'Stage 2 of the complaints procedure (an independent investigation)', history: 'Stage 2 asked for online' },
  stage3_request: { stage: 'a review panel (Stage 3 of the complaints procedure)', history: 'Review panel (Stage 3) asked for online' },
};

/** Stage 2 of the corporate procedure is a second, last look by the council: no independent investigation. */
const CORPORATE_STAGE2 = 'Stage 2 of the complaints procedure (we look at your complaint again)';

/** The next stage in the complainant's words, for the kind of complaint. */
export function nextStageLabel(purpose: NextStagePurpose, kind: string): string {
  return purpose === 'stage2_request' && kind === 'corporate' ? CORPORATE_STAGE2 : NEXT_STAGE_LABELS[purpose].stage;
}

/** The calendar day after `date` (the end of a day in England is never later than the end of the next UTC day). */
function nextDay(date: IsoDate): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/** The stage a link asks for. */
const STAGE_OF: Readonly<Record<NextStagePurpose, 2 | 3>> = { stage2_request: 2, stage3_request: 3 };

/** History actions of requests made online, by purpose (the case page reads them). */
export const ONLINE_REQUEST_ACTIONS: Readonly<Record<NextStagePurpose, string>> = { stage2_request: 'stage2_requested_online', stage3_request: 'stage3_requested_online' };

/** Most characters of what the complainant writes. */
export const REASON_MAX = 3_000;

/**
 * Issues the link for the next stage and emails it to the complainant, if they gave an email
 * address and allow contact; returns whether it was sent. Call inside the response's transaction.
 */
export async function offerNextStage(
  trx: Kysely<Database>,
  offer: { representationId: number; purpose: NextStagePurpose; respondedOn: IsoDate },
  calendar: WorkingDayCalendar,
  now: Date,
): Promise<boolean> {
  const row = await trx
    .selectFrom('representation')
    .leftJoin('person', 'person.id', 'representation.complainant_id')
    .select(['representation.reference', 'representation.kind', 'person.email', 'person.preferred_contact'])
    .where('representation.id', '=', offer.representationId)
    .executeTakeFirst();
  const email = row?.email?.trim() ?? '';
  if (row === undefined || email === '' || row.preferred_contact === 'none') return false;
  // The same date the letter gives and the check of a late request uses.
  const requestBy = requestWindowEndsOn(calendar, STAGE_OF[offer.purpose], offer.respondedOn);
  // The link works for its usual lifetime, and never stops working before the last day to ask in time is over.
  const lifetime = expiresAfter(now, DEFAULT_LIFETIME_DAYS[offer.purpose]);
  const afterLastDay = new Date(`${nextDay(requestBy)}T23:59:59.000Z`);
  const link = await issueSecureLink(trx, { purpose: offer.purpose, representationId: offer.representationId, expiresAt: lifetime > afterLastDay ? lifetime : afterLastDay }, now);
  await enqueue(
    trx,
    {
      idempotencyKey: `${offer.purpose}:${String(offer.representationId)}`,
      templateKey: 'next_stage_link',
      recipient: email,
      personalisation: { reference: row.reference, next_stage: nextStageLabel(offer.purpose, row.kind), request_by: formatLongDate(requestBy), [SECURE_LINK_ID]: link.id },
      subject: { type: REPRESENTATION_SUBJECT, id: offer.representationId },
    },
    now,
  );
  await new AuditRepository(trx).record(
    { userId: null, ip: null, requestId: null, action: 'next_stage_link_sent', entityType: REPRESENTATION_SUBJECT, entityId: String(offer.representationId), details: { purpose: offer.purpose, link_id: link.id } },
    now.toISOString(),
  );
  return true;
}

export type NextStageOpening = { readonly ok: true; readonly reference: string; readonly stage: string } | { readonly ok: false; readonly refusal: SecureLinkRefusal };

export class NextStageService {
  private readonly links: SecureLinkService;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {
    this.links = new SecureLinkService(db, clock);
  }

  /** What the page opened by the link shows, or why the link does not work. */
  async open(token: string, purpose: NextStagePurpose): Promise<NextStageOpening> {
    const resolved = await this.links.resolve(token, purpose);
    if (!resolved.ok) return resolved;
    const row = await this.db.selectFrom('representation').select(['reference', 'kind']).where('id', '=', resolved.link.representationId).executeTakeFirstOrThrow();
    return { ok: true, reference: row.reference, stage: nextStageLabel(purpose, row.kind) };
  }

  /**
   * Records the request sent through the link, once (a second send finds the link used).
   * Refuses empty or oversized words with `missing_reason` / `reason_too_long`.
   */
  async request(token: string, purpose: NextStagePurpose, reason: string, actor: Actor): Promise<NextStageOpening> {
    const words = reason.trim();
    if (words === '') throw new DomainError('missing_reason', 'Tell us what you are still unhappy about', 'reason');
    if (words.length > REASON_MAX) throw new DomainError('reason_too_long', `What you are still unhappy about must be ${String(REASON_MAX)} characters or fewer`, 'reason');
    const now = this.clock();
    const at = now.toISOString();
    return this.db.transaction().execute(async (trx): Promise<NextStageOpening> => {
      const resolved = await this.links.resolve(token, purpose, now, trx);
      if (!resolved.ok) return resolved;
      if (!(await markSecureLinkUsed(trx, resolved.link.id, now))) return { ok: false, refusal: 'used' };
      const representationId = resolved.link.representationId;
      const row = await trx.selectFrom('representation').select(['reference', 'kind']).where('id', '=', representationId).executeTakeFirstOrThrow();
      await trx.insertInto('case_note').values({ representation_id: representationId, body: `${NEXT_STAGE_LABELS[purpose].history}. In their words:\n\n${words}`, user_id: null, created_at: at }).execute();
      await new HistoryRepository(trx).add(
        { subjectType: REPRESENTATION_SUBJECT, subjectId: representationId, userId: null, action: ONLINE_REQUEST_ACTIONS[purpose], summary: `${NEXT_STAGE_LABELS[purpose].history}: record the request`, after: { requested_on: at.slice(0, 10) } },
        at,
      );
      await new AuditRepository(trx).record({ ...actor, action: ONLINE_REQUEST_ACTIONS[purpose], entityType: REPRESENTATION_SUBJECT, entityId: String(representationId), details: { link_id: resolved.link.id } }, at);
      const managers = await new UserRepository(trx).activeWithRole('complaints_manager');
      for (const manager of managers) {
        await enqueue(
          trx,
          {
            idempotencyKey: `${ONLINE_REQUEST_ACTIONS[purpose]}:${String(representationId)}:${String(manager.id)}`,
            templateKey: 'next_stage_requested',
            recipient: manager.email,
            personalisation: { reference: row.reference, next_stage: nextStageLabel(purpose, row.kind), requested_on: formatLongDate(at.slice(0, 10)) },
            subject: { type: REPRESENTATION_SUBJECT, id: representationId },
          },
          now,
        );
      }
      return { ok: true, reference: row.reference, stage: nextStageLabel(purpose, row.kind) };
    });
  }
}
