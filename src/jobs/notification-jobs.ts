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
  readonly clock: { readonly id: number; readonly dueOn: string; readonly isPaused: boolean } | undefined;
}

interface StaffMember {
  readonly id: number;
  readonly email: string;
  readonly teamId: number | null;
  readonly roles: Set<string>;
}

export async function runNotificationJobs(db: Kysely<Database>, calendar: WorkingDayCalendar, now: Date, options: NotificationJobOptions = {}): Promise<NotificationJobResult> {
  const today = now.toISOString().slice(0, 10);
  const isWorkingDay = calendar.covers(today) && calendar.isWorkingDay(today);
  const result = { date: today, isWorkingDay, reminders: 0, escalations: 0, digests: 0 };
  if (!isWorkingDay || now.getUTCHours() < (options.notBeforeHourUtc ?? 7)) return result;

  const [cases, staff, restrictions] = await Promise.all([openCases(db), activeStaff(db), restrictionsByCase(db)]);
  const staffById = new Map(staff.map((s) => [s.id, s]));
  const add = async (message: OutboxMessage): Promise<number> => ((await enqueue(db, message, now)) ? 1 : 0);

  const dueSoonOf = new Map<number, number>();
  const overdueOf = new Map<number, number>();
  for (const c of cases) {
    if (c.clock === undefined || c.clock.isPaused || !calendar.covers(c.clock.dueOn)) continue;
    const { id: clockId, dueOn } = c.clock;
    const left = calendar.workingDaysBetween(today, dueOn);
    if (left >= 0 && left <= DUE_SOON_WORKING_DAYS) dueSoonOf.set(c.id, left);
    if (left < 0) overdueOf.set(c.id, -left);
    const subject = { type: REPRESENTATION_SUBJECT, id: c.id };
    const responder = c.responderUserId === null ? undefined : staffById.get(c.responderUserId);

    if (responder !== undefined && left > 0 && left <= DUE_SOON_WORKING_DAYS) {
      result.reminders += await add({
        idempotencyKey: `reminder:${String(clockId)}:${dueOn}:3wd:${String(responder.id)}`,
        templateKey: 'reminder_due_soon',
        recipient: responder.email,
        personalisation: { reference: c.reference, due_on: dueOn, working_days_left: workingDays(left) },
        subject,
      });
    }
    if (responder !== undefined && left === 0) {
      result.reminders += await add({
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
        result.escalations += await add({
          idempotencyKey: `overdue:${String(clockId)}:${dueOn}:${String(manager.id)}`,
          templateKey: 'overdue_escalation',
          recipient: manager.email,
          personalisation: { reference: c.reference, due_on: dueOn, working_days_overdue: workingDays(-left) },
          subject,
        });
      }
    }
  }

  for (const member of staff) {
    const seesAll = member.roles.has('complaints_manager') || member.roles.has('complaints_officer');
    const theirs = (seesAll ? cases : member.roles.has('responding_manager') ? cases.filter((c) => c.responderUserId === member.id) : []).filter(
      (c) => !isExcluded({ userId: member.id, teamId: member.teamId }, restrictions.get(c.id) ?? []),
    );
    if (theirs.length === 0) continue;
    result.digests += await add({
      idempotencyKey: `digest:${String(member.id)}:${today}`,
      templateKey: 'daily_digest',
      recipient: member.email,
      personalisation: {
        date: today,
        open_cases: theirs.length,
        due_soon: theirs.filter((c) => dueSoonOf.has(c.id)).length,
        overdue: theirs.filter((c) => overdueOf.has(c.id)).length,
      },
    });
  }
  return result;
}

/** The restricted cases' exclusions, by case (a small table: only cases about staff are restricted). */
async function restrictionsByCase(db: Kysely<Database>): Promise<Map<number, CaseRestriction[]>> {
  const rows = await db.selectFrom('case_restriction').select(['representation_id', 'user_id', 'team_id']).execute();
  const found = new Map<number, CaseRestriction[]>();
  for (const row of rows) found.set(row.representation_id, [...(found.get(row.representation_id) ?? []), { userId: row.user_id, teamId: row.team_id }]);
  return found;
}

/** Cases open at Stage 1, each with its running Stage 1 response clock (if it has one). */
async function openCases(db: Kysely<Database>): Promise<OpenCase[]> {
  const rows = await db
    .selectFrom('representation')
    .leftJoin('clock', (join) =>
      join
        .onRef('clock.subject_id', '=', 'representation.id')
        .on('clock.subject_type', '=', REPRESENTATION_SUBJECT)
        .on('clock.clock_key', 'in', STAGE1_KEYS)
        .on('clock.is_open', '=', 1),
    )
    .select(['representation.id', 'representation.reference', 'representation.team_id', 'representation.responder_user_id', 'clock.id as clock_id', 'clock.due_on', 'clock.events'])
    .where('representation.status', 'in', [...STAGE1_OPEN_STATUSES])
    .orderBy('representation.id')
    .execute();
  const byId = new Map<number, OpenCase>();
  for (const row of rows) {
    if (byId.has(row.id)) continue;
    const clock =
      row.clock_id === null || row.due_on === null
        ? undefined
        : { id: row.clock_id, dueOn: row.due_on, isPaused: isPaused(row.events) };
    byId.set(row.id, { id: row.id, reference: row.reference, teamId: row.team_id, responderUserId: row.responder_user_id, clock });
  }
  return [...byId.values()];
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
