/**
 * Keeps each record's statutory clocks: starts them with a due date from the working-day
 * calendar in force, and re-dates the open ones when the calendar changes, writing the move
 * into the record's history.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ClockRepository, type StoredClock } from '../db/clock-repository.ts';
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
 * force; on a clock whose procedure may pause, the most working days holds may pause it when
 * the council's policy allows pauses; and on a clock whose length is a setting, that length.
 * The clock keeps them for good: a later change of setting applies to clocks that start after it.
 */
function withCouncilPolicy(definition: ClockDefinition, events: ClockEvents, settings: CouncilSettings): ClockEvents {
  const pauses = definition.canPause && settings.corporatePausesAllowed ? { maxPausedWorkingDays: settings.corporateMaxPausedWorkingDays } : {};
  const length = definition.lengthSetting === undefined ? {} : { settingLength: { unit: definition.length.unit, value: settings[definition.lengthSetting] } };
  return { ...events, receiptRule: events.receiptRule ?? settings.receiptRule, ...pauses, ...length };
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
 * Re-dates every open clock that a change of `changedDate` moves: those whose due date as at
 * today differs between the calendar before the change and the calendar after it. Each gets
 * its stored due date moved by what the change does to it, and the move recorded in its
 * record's history with `why`; a clock the change does not move keeps its due date and its
 * history untouched. A clock whose stored due date was worked out on an earlier day (a pause
 * still running moves the due date as days pass) keeps that lag: its date moves by the
 * change alone, so adding a day and removing it again leaves every due date as it was. A
 * clock whose recorded events no longer fit the new calendar (an extension told on a due
 * date the change makes earlier) keeps its due date. Runs inside the caller's transaction,
 * so the calendar change and the re-dating land together or not at all.
 */
export async function redateOpenClocks(
  db: Kysely<Database>,
  calendars: { readonly before: WorkingDayCalendar; readonly after: WorkingDayCalendar },
  changedDate: IsoDate,
  why: string,
  actor: Actor,
  now: Date,
): Promise<Redated[]> {
  const today = now.toISOString().slice(0, 10);
  const { before, after } = calendars;
  return moveOpenClocks(db, changedDate, why, actor, now, (clock, definition) => {
    const was = dueDateIfValid(definition, before, clock.events, today);
    const dueOn = dueDateIfValid(definition, after, clock.events, today);
    if (was === undefined || dueOn === undefined || was === dueOn) return undefined;
    if (clock.dueOn === was) return dueOn;
    // The stored date lags `was` by some working days (counted under the old calendar): keep the lag.
    const lag = workingDayNumber(before, was) - workingDayNumber(before, clock.dueOn);
    const number = workingDayNumber(after, dueOn) - lag;
    return number > 0 ? after.addWorkingDays(after.first, number) : undefined;
  });
}

/** The working days from the calendar's first day up to and including `date`. */
function workingDayNumber(calendar: WorkingDayCalendar, date: IsoDate): number {
  return calendar.workingDaysBetween(calendar.first, date);
}

/**
 * Works out every open clock's due date again under `calendar`, as at today, and records each
 * one that moves (after a change to how clocks are counted). Runs inside the caller's transaction.
 */
export async function recomputeOpenClocks(db: Kysely<Database>, calendar: WorkingDayCalendar, why: string, actor: Actor, now: Date): Promise<Redated[]> {
  const today = now.toISOString().slice(0, 10);
  return moveOpenClocks(db, calendar.last, why, actor, now, (clock, definition) => dueDateOf(definition, calendar, clock.events, today));
}

async function moveOpenClocks(
  db: Kysely<Database>,
  startedOnOrBefore: IsoDate,
  why: string,
  actor: Actor,
  now: Date,
  newDueOn: (clock: StoredClock, definition: ClockDefinition) => IsoDate | undefined,
): Promise<Redated[]> {
  const clocks = new ClockRepository(db);
  const history = new HistoryRepository(db);
  const moved: Redated[] = [];
  for (const clock of await clocks.openStartedOnOrBefore(startedOnOrBefore)) {
    const definition = definitionOf(clock.procedureKind, clock.clockKey);
    const dueOn = newDueOn(clock, definition);
    if (dueOn === undefined || dueOn === clock.dueOn) continue;
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

function dueDateIfValid(definition: ClockDefinition, calendar: WorkingDayCalendar, events: ClockEvents, asAt: IsoDate): IsoDate | undefined {
  try {
    return dueDateOf(definition, calendar, events, asAt);
  } catch (error) {
    if (error instanceof DomainError) return undefined;
    throw error;
  }
}
