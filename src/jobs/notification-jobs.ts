/**
 * The notification job: run periodically (every process may run it; running it twice, or
 * in two processes at once, adds nothing, because each message's idempotency key is made
 * of ids and dates). On a working day, from `notBeforeHourUtc`, it enqueues:
 *
 * - to the responding manager of each open case with a running Stage 1 response clock: a
 *   reminder when 3 working days or fewer are left (`reminder:<clock>:<due>:3wd:<user>`) —
 *   3 exactly when the job runs every working day — and another on the day it is due
 *   (`reminder:<clock>:<due>:due:<user>`);
 * - once the due date has passed: an escalation to every complaints manager and to the
 *   responding managers of the case's team (`overdue:<clock>:<due>:<user>`). Redress has no
 *   separate "team manager" role: a team's responding managers are its managers;
 * - a daily digest to each member of staff with open cases (`digest:<user>:<date>`):
 *   complaints managers and officers count every open case, responding managers the cases
 *   allocated to them.
 *
 * A paused clock gets no reminders. A due date moved (an extension, a pause, a new bank
 * holiday) gives new keys, so the reminders follow the new date. Non-working days send
 * nothing; the working-day calendar in force decides which days those are.
 *
 * It runs every minute, so it does little when there is nothing new: it reads only the open
 * clocks due before the end of the "due soon" window (the index on open clocks' due dates), a
 * batch at a time; enqueues only the messages not already in the outbox, in small
 * transactions; and counts open cases for the digests only while someone has not had today's.
 * SQLite's driver is synchronous: between batches the event loop is given back to requests.
 */
import type { Kysely } from 'kysely';
import { REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import type { Database } from '../db/schema.ts';
import type { WorkingDayCalendar } from '../domain/calendar/working-day-calendar.ts';
import type { ClockEvents } from '../domain/clocks/clock-engine.ts';
import { DUE_SOON_WORKING_DAYS } from '../domain/clocks/clock-engine.ts';
import { STAGE1_CLOCK_KEYS } from '../domain/cases/stage1-clock.ts';
import { STAGE1_OPEN_STATUSES } from '../domain/cases/case-status.ts';
import { enqueue, type OutboxMessage } from '../notify/outbox.ts';
import { isExcluded, type CaseRestriction } from '../domain/cases/case-restriction.ts';

export interface NotificationJobResult {
  readonly date: string;
  readonly isWorkingDay: boolean;
  /** Messages newly added (ones already in the outbox are not counted). */
  readonly reminders: number;
  readonly escalations: number;
  readonly digests: number;
}

export interface NotificationJobOptions {
  /** Nothing is enqueued before this hour (UTC) of the day. */
  readonly notBeforeHourUtc?: number;
}

const STAGE1_KEYS = [...new Set(Object.values(STAGE1_CLOCK_KEYS))];

interface OpenCase {
  readonly id: number;
  readonly reference: string;
  readonly teamId: number | null;
  readonly responderUserId: number | null;
  readonly clock: { readonly id: number; readonly dueOn: string; readonly isPaused: boolean };
}

interface StaffMember {
  readonly id: number;
  readonly email: string;
  readonly teamId: number | null;
  readonly roles: Set<string>;
}

/** Clocks read at a time, and messages written in one transaction: each a few milliseconds, with the event loop free in between. */
const BATCH_SIZE = 100;
const KEY_BATCH_SIZE = 100;
const WRITE_BATCH_SIZE = 25;

export async function runNotificationJobs(db: Kysely<Database>, calendar: WorkingDayCalendar, now: Date, options: NotificationJobOptions = {}): Promise<NotificationJobResult> {
  const today = now.toISOString().slice(0, 10);
  const isWorkingDay = calendar.covers(today) && calendar.isWorkingDay(today);
  const result = { date: today, isWorkingDay, reminders: 0, escalations: 0, digests: 0 };
  if (!isWorkingDay || now.getUTCHours() < (options.notBeforeHourUtc ?? 7)) return result;

  const [staff, restrictions] = await Promise.all([activeStaff(db), restrictionsByCase(db)]);
  const staffById = new Map(staff.map((s) => [s.id, s]));

  // Only the clocks due soon, due today or overdue, a batch at a time: by case, its responder.
  const dueSoonOf = new Map<number, number | null>();
  const overdueOf = new Map<number, number | null>();
  const seen = new Set<number>();
  const clockIds = await dueClockIds(db, calendar, today);
  for (let i = 0; i < clockIds.length; i += BATCH_SIZE) {
    if (i > 0) await yieldToEventLoop();
    const reminders: OutboxMessage[] = [];
    const escalations: OutboxMessage[] = [];
    for (const c of await openCasesWithClocks(db, clockIds.slice(i, i + BATCH_SIZE))) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      if (c.clock.isPaused || !calendar.covers(c.clock.dueOn)) continue;
      const { id: clockId, dueOn } = c.clock;
      const left = calendar.workingDaysBetween(today, dueOn);
      if (left >= 0 && left <= DUE_SOON_WORKING_DAYS) dueSoonOf.set(c.id, c.responderUserId);
      if (left < 0) overdueOf.set(c.id, c.responderUserId);
      const subject = { type: REPRESENTATION_SUBJECT, id: c.id };
      const responder = c.responderUserId === null ? undefined : staffById.get(c.responderUserId);

      if (responder !== undefined && left > 0 && left <= DUE_SOON_WORKING_DAYS) {
        reminders.push({
          idempotencyKey: `reminder:${String(clockId)}:${dueOn}:3wd:${String(responder.id)}`,
          templateKey: 'reminder_due_soon',
          recipient: responder.email,
          personalisation: { reference: c.reference, due_on: dueOn, working_days_left: workingDays(left) },
          subject,
        });
      }
      if (responder !== undefined && left === 0) {
        reminders.push({
          idempotencyKey: `reminder:${String(clockId)}:${dueOn}:due:${String(responder.id)}`,
          templateKey: 'reminder_due_today',
          recipient: responder.email,
          personalisation: { reference: c.reference, due_on: dueOn },
          subject,
        });
      }
      if (left < 0) {
        // Never to someone excluded from the case (restricted cases): to them it does not exist.
        const managers = staff.filter(
          (s) =>
            (s.roles.has('complaints_manager') || (s.roles.has('responding_manager') && c.teamId !== null && s.teamId === c.teamId)) &&
            !isExcluded({ userId: s.id, teamId: s.teamId }, restrictions.get(c.id) ?? []),
        );
        for (const manager of managers) {
          escalations.push({
            idempotencyKey: `overdue:${String(clockId)}:${dueOn}:${String(manager.id)}`,
            templateKey: 'overdue_escalation',
            recipient: manager.email,
            personalisation: { reference: c.reference, due_on: dueOn, working_days_overdue: workingDays(-left) },
            subject,
          });
        }
      }
    }
    result.reminders += await enqueueNew(db, reminders, now);
    result.escalations += await enqueueNew(db, escalations, now);
  }

  // The digests: counted only for those who have not had today's yet (the job runs every minute).
  const readers = staff.filter((s) => seesAllOpenCases(s) || s.roles.has('responding_manager'));
  const digestKey = (member: StaffMember): string => `digest:${String(member.id)}:${today}`;
  const sent = await existingKeys(db, readers.map(digestKey));
  const waiting = readers.filter((member) => !sent.has(digestKey(member)));
  if (waiting.length === 0) return result;
  await yieldToEventLoop();
  const open = await openCaseCounts(db, [...restrictions.keys()]);
  const digests: OutboxMessage[] = [];
  for (const member of waiting) {
    const seesAll = seesAllOpenCases(member);
    const isTheirs = (responderUserId: number | null): boolean => seesAll || responderUserId === member.id;
    const isVisible = (caseId: number): boolean => !isExcluded({ userId: member.id, teamId: member.teamId }, restrictions.get(caseId) ?? []);
    const count = (cases: ReadonlyMap<number, number | null>): number => [...cases].filter(([caseId, responderUserId]) => isTheirs(responderUserId) && isVisible(caseId)).length;
    const hidden = [...open.restricted].filter(([caseId, responderUserId]) => isTheirs(responderUserId) && !isVisible(caseId)).length;
    const openCount = (seesAll ? open.total : (open.byResponder.get(member.id) ?? 0)) - hidden;
    if (openCount <= 0) continue;
    digests.push({
      idempotencyKey: digestKey(member),
      templateKey: 'daily_digest',
      recipient: member.email,
      personalisation: { date: today, open_cases: openCount, due_soon: count(dueSoonOf), overdue: count(overdueOf) },
    });
  }
  result.digests += await enqueueNew(db, digests, now);
  return result;
}

function seesAllOpenCases(member: StaffMember): boolean {
  return member.roles.has('complaints_manager') || member.roles.has('complaints_officer');
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Which of `keys` the outbox already holds (read a batch at a time, the event loop free in between). */
async function existingKeys(db: Kysely<Database>, keys: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += KEY_BATCH_SIZE) {
    await yieldToEventLoop();
    const rows = await db.selectFrom('notification_outbox').select('idempotency_key').where('idempotency_key', 'in', keys.slice(i, i + KEY_BATCH_SIZE)).execute();
    for (const row of rows) found.add(row.idempotency_key);
  }
  return found;
}

/**
 * Enqueues the messages not already in the outbox, in small transactions with the event loop
 * free between them; how many it added. The outbox's unique key still decides between two
 * processes enqueuing the same message at once.
 */
async function enqueueNew(db: Kysely<Database>, messages: readonly OutboxMessage[], now: Date): Promise<number> {
  if (messages.length === 0) return 0;
  const already = await existingKeys(db, messages.map((m) => m.idempotencyKey));
  const missing = messages.filter((m) => !already.has(m.idempotencyKey));
  let added = 0;
  for (let i = 0; i < missing.length; i += WRITE_BATCH_SIZE) {
    await yieldToEventLoop();
    added += await db.transaction().execute(async (trx) => {
      let n = 0;
      for (const message of missing.slice(i, i + WRITE_BATCH_SIZE)) if (await enqueue(trx, message, now)) n += 1;
      return n;
    });
  }
  return added;
}

/** The restricted cases' exclusions, by case (a small table: only cases about staff are restricted). */
async function restrictionsByCase(db: Kysely<Database>): Promise<Map<number, CaseRestriction[]>> {
  const rows = await db.selectFrom('case_restriction').select(['representation_id', 'user_id', 'team_id']).execute();
  const found = new Map<number, CaseRestriction[]>();
  for (const row of rows) found.set(row.representation_id, [...(found.get(row.representation_id) ?? []), { userId: row.user_id, teamId: row.team_id }]);
  return found;
}

/**
 * The open clocks (of any kind) that may be due soon, due today or overdue: due before the
 * working day after the last that counts as "due soon" (from the index on open clocks' due dates).
 */
async function dueClockIds(db: Kysely<Database>, calendar: WorkingDayCalendar, today: string): Promise<number[]> {
  const after = dueSoonEnd(calendar, today);
  let query = db.selectFrom('clock').select('id').where('is_open', '=', 1);
  if (after !== undefined) query = query.where('due_on', '<', after);
  const rows = await query.orderBy('due_on').orderBy('id').execute();
  return rows.map((row) => row.id);
}

/** The first working day no longer "due soon" (undefined past the calendar's end: every open clock is read). */
function dueSoonEnd(calendar: WorkingDayCalendar, today: string): string | undefined {
  try {
    const end = calendar.addWorkingDays(today, DUE_SOON_WORKING_DAYS + 1);
    return calendar.covers(end) ? end : undefined;
  } catch {
    return undefined;
  }
}

/** Of the clocks `clockIds`, the running Stage 1 response clocks of cases open at Stage 1, by case. */
async function openCasesWithClocks(db: Kysely<Database>, clockIds: readonly number[]): Promise<OpenCase[]> {
  if (clockIds.length === 0) return [];
  const rows = await db
    .selectFrom('clock')
    .innerJoin('representation', 'representation.id', 'clock.subject_id')
    .select(['representation.id', 'representation.reference', 'representation.team_id', 'representation.responder_user_id', 'clock.id as clock_id', 'clock.due_on', 'clock.events'])
    .where('clock.id', 'in', clockIds)
    .where('clock.subject_type', '=', REPRESENTATION_SUBJECT)
    .where('clock.clock_key', 'in', STAGE1_KEYS)
    .where('clock.is_open', '=', 1)
    .where('representation.status', 'in', [...STAGE1_OPEN_STATUSES])
    .orderBy('representation.id')
    .orderBy('clock.id')
    .execute();
  return rows.map((row) => ({ id: row.id, reference: row.reference, teamId: row.team_id, responderUserId: row.responder_user_id, clock: { id: row.clock_id, dueOn: row.due_on, isPaused: isPaused(row.events) } }));
}

interface OpenCaseCounts {
  /** Cases open at Stage 1. */
  readonly total: number;
  /** Of those, how many each responding manager has. */
  readonly byResponder: ReadonlyMap<number, number>;
  /** Of those, the restricted ones, with their responding manager. */
  readonly restricted: ReadonlyMap<number, number | null>;
}

/** Counts the cases open at Stage 1, a batch of cases at a time (their ids from the status index). */
async function openCaseCounts(db: Kysely<Database>, restrictedIds: readonly number[]): Promise<OpenCaseCounts> {
  const statuses = [...STAGE1_OPEN_STATUSES];
  const ids = (await db.selectFrom('representation').select('id').where('status', 'in', statuses).execute()).map((row) => row.id);
  let total = 0;
  const byResponder = new Map<number, number>();
  const batchSize = BATCH_SIZE * 2;
  for (let i = 0; i < ids.length; i += batchSize) {
    await yieldToEventLoop();
    const rows = await db
      .selectFrom('representation')
      .select((eb) => ['responder_user_id', eb.fn.countAll<number | string>().as('n')])
      .where('id', 'in', ids.slice(i, i + batchSize))
      .where('status', 'in', statuses)
      .groupBy('responder_user_id')
      .execute();
    for (const row of rows) {
      total += Number(row.n);
      if (row.responder_user_id !== null) byResponder.set(row.responder_user_id, (byResponder.get(row.responder_user_id) ?? 0) + Number(row.n));
    }
  }
  const restricted = new Map<number, number | null>();
  for (let i = 0; i < restrictedIds.length; i += batchSize) {
    const rows = await db.selectFrom('representation').select(['id', 'responder_user_id']).where('id', 'in', restrictedIds.slice(i, i + batchSize)).where('status', 'in', statuses).execute();
    for (const row of rows) restricted.set(row.id, row.responder_user_id);
  }
  return { total, byResponder, restricted };
}

function workingDays(n: number): string {
  return `${String(n)} working day${n === 1 ? '' : 's'}`;
}

/**
 * A hold running on a clock that it pauses: no reminder while it lasts. A hold on a clock
 * that does not pause (every Children Act clock) leaves the deadline, and its reminders, running.
 */
function isPaused(events: string | null): boolean {
  if (events === null) return false;
  const parsed = JSON.parse(events) as ClockEvents;
  return (parsed.maxPausedWorkingDays ?? 0) > 0 && (parsed.pauses ?? []).some((p) => p.to === undefined);
}

async function activeStaff(db: Kysely<Database>): Promise<StaffMember[]> {
  const rows = await db
    .selectFrom('app_user')
    .innerJoin('user_role', 'user_role.user_id', 'app_user.id')
    .select(['app_user.id', 'app_user.email', 'app_user.team_id', 'user_role.role'])
    .where('app_user.is_active', '=', 1)
    .where('user_role.role', 'in', ['complaints_manager', 'complaints_officer', 'responding_manager'])
    .orderBy('app_user.id')
    .execute();
  const byId = new Map<number, StaffMember>();
  for (const row of rows) {
    const member = byId.get(row.id) ?? { id: row.id, email: row.email, teamId: row.team_id, roles: new Set<string>() };
    member.roles.add(row.role);
    byId.set(row.id, member);
  }
  return [...byId.values()];
}
