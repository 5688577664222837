/**
 * Keeps each record's statutory clocks: starts them with a due date from the working-day
 * calendar in force, and re-dates the open ones when the calendar changes, writing the move
 * into the record's history.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ClockRepository } from '../db/clock-repository.ts';
import { CouncilSettingsRepository } from '../db/council-settings-repository.ts';
import type { CouncilSettings } from '../domain/procedures/council-settings.ts';
import { HistoryRepository } from '../db/history-repository.ts';
import { computeClock, type ClockEvents, type ClockStatus } from '../domain/clocks/clock-engine.ts';
import { clockDefinition, isProcedureKind, type ClockDefinition } from '../domain/procedures/procedure-definitions.ts';
import { DomainError } from '../domain/errors.ts';
import type { WorkingDayCalendar } from '../domain/calendar/working-day-calendar.ts';
import type { IsoDate } from '../domain/calendar/iso-date.ts';
import { formatLongDate } from '../domain/cases/stage1-fields.ts';
import type { Actor } from './clock.ts';

export interface ClockSubject {
  readonly type: string;
  readonly id: number;
}

export interface Redated {
  readonly clockId: number;
  readonly subject: ClockSubject;
  readonly clockKey: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
}

export function definitionOf(procedureKind: string, clockKey: string): ClockDefinition {
  if (!isProcedureKind(procedureKind)) throw new DomainError('unknown_procedure', `there is no procedure with clocks for "${procedureKind}"`);
  return clockDefinition(procedureKind, clockKey);
}

/** A clock with these events under `calendar`, as it stands on `today` (or its start, if later). */
export function clockStatusOf(definition: ClockDefinition, calendar: WorkingDayCalendar, events: ClockEvents, today: IsoDate): ClockStatus {
  return computeClock(definition, calendar, events, today < events.startedOn ? events.startedOn : today);
}

function dueDateOf(definition: ClockDefinition, calendar: WorkingDayCalendar, events: ClockEvents, today: IsoDate): IsoDate {
  return clockStatusOf(definition, calendar, events, today).dueDate;
}

/**
 * The events of a clock starting now under the council's settings: the receipt rule in
 * force, and — on a clock whose procedure may pause — the most working days holds may pause
 * it when the council's policy allows pauses. The clock keeps both for good.
 */
function withCouncilPolicy(definition: ClockDefinition, events: ClockEvents, settings: CouncilSettings): ClockEvents {
  const pauses = definition.canPause && settings.corporatePausesAllowed ? { maxPausedWorkingDays: settings.corporateMaxPausedWorkingDays } : {};
  return { ...events, receiptRule: events.receiptRule ?? settings.receiptRule, ...pauses };
}

/**
 * Starts a clock on `subject` under the council's settings in force (see `withCouncilPolicy`);
 * returns its id and due date. Runs inside the caller's transaction.
 */
export async function startClock(
  db: Kysely<Database>,
  calendar: WorkingDayCalendar,
  subject: ClockSubject,
  procedureKind: string,
  clockKey: string,
  events: ClockEvents,
  now: Date,
): Promise<{ id: number; dueOn: IsoDate }> {
  const definition = definitionOf(procedureKind, clockKey);
  const stamped = withCouncilPolicy(definition, events, await new CouncilSettingsRepository(db).load());
  const dueOn = dueDateOf(definition, calendar, stamped, now.toISOString().slice(0, 10));
  const id = await new ClockRepository(db).create({ subjectType: subject.type, subjectId: subject.id, procedureKind, clockKey, events: stamped, dueOn }, now.toISOString());
  return { id, dueOn };
}

/**
 * Recomputes every open clock that a change of `changedDate` can move, under the new
 * `calendar`, and records each move in its record's history with `why`. Runs inside the
 * caller's transaction, so the calendar change and the re-dating land together or not at all.
 */
export async function redateOpenClocks(
  db: Kysely<Database>,
  calendar: WorkingDayCalendar,
  changedDate: IsoDate,
  why: string,
  actor: Actor,
  now: Date,
): Promise<Redated[]> {
  const clocks = new ClockRepository(db);
  const history = new HistoryRepository(db);
  const today = now.toISOString().slice(0, 10);
  const moved: Redated[] = [];
  for (const clock of await clocks.openStartedOnOrBefore(changedDate)) {
    const definition = definitionOf(clock.procedureKind, clock.clockKey);
    const dueOn = dueDateOf(definition, calendar, clock.events, today);
    if (dueOn === clock.dueOn) continue;
    if (!(await clocks.setDueOn(clock.id, dueOn, clock.version, now.toISOString()))) {
      throw new DomainError('stale_update', 'A clock changed while the calendar was being updated. Try again.');
    }
    const subject = { type: clock.subjectType, id: clock.subjectId };
    await history.add(
      {
        subjectType: subject.type,
        subjectId: subject.id,
        userId: actor.userId,
        action: 'clock_redated',
        summary: `${definition.label} now due ${formatLongDate(dueOn)} (was ${formatLongDate(clock.dueOn)}): ${why}`,
        before: { clock: clock.clockKey, dueOn: clock.dueOn },
        after: { clock: clock.clockKey, dueOn },
      },
      now.toISOString(),
    );
    moved.push({ clockId: clock.id, subject, clockKey: clock.clockKey, from: clock.dueOn, to: dueOn });
  }
  return moved;
}
