/**
 * The clock engine: from a clock's definition, the working-day calendar, the events
 * recorded against the clock and an "as at" date (always passed in, never read from the
 * system), it works out the due date, the working days used and left, and the state.
 *
 * Counting (the counting rule, see `calendar/counting-rule.ts`):
 *
 * - Day 0 is the start date under the clock's receipt rule: the start date itself
 *   (`statutory`, the default), or the next working day when the clock starts on a
 *   non-working day (`next_working_day`). Each clock keeps the rule it started under.
 * - Working days used, as at a date D, are the working days after day 0 up to and including
 *   D, less the paused ones. A clock of N working days is due on the working day on which
 *   the N-th one is used, so with no pause the due date is `deadline(start, N, rule)`.
 * - A response (stop) dated on a non-working day counts as made on the next working day, so
 *   a clock is met exactly when it is stopped on or before its due date, and the working
 *   days used by the stop are the "working days taken" of the annual report.
 *
 * Holds and pauses:
 *
 * - A case may be put on hold (from F to T, with a reason) on any clock. On a clock whose
 *   procedure has no pause — the Children Act clocks: the 2006 Regulations set 10 working
 *   days (at most 20) and 25 (at most 65) with no pause — a hold is recorded and shown, but
 *   the due date and the working days used ignore it: a response after the deadline is
 *   late, whatever the hold.
 * - On a clock whose procedure may pause (`canPause`, the corporate procedure) and which
 *   started while the council's policy allowed pauses (`maxPausedWorkingDays` recorded on
 *   the clock), a hold pauses the clock: the working days after F up to and including T do
 *   not count, at most `maxPausedWorkingDays` in all. The day the clock is paused still
 *   counts; counting restarts the working day after T. Every paused working day moves the
 *   due date one working day later.
 * - A hold must start on or after the start date and before the stop date; a pause must also
 *   start before the due date in force when it starts (once the due date is reached the
 *   clock has been met or missed: a pause cannot undo that). Holds may touch (one ending on
 *   T, the next from T) but not overlap. A hold with no end is still running.
 *
 * Extensions: each adds working days (`extraWorkingDays`) or sets a new length
 * (`newTotalWorkingDays`). It must be told to the complainant on or before the due date it
 * extends (an extension cannot rescue a missed clock) and never take the length past the
 * clock's cap. What the definition says must be recorded with it (the reason, the date the
 * complainant was told) must be there.
 *
 * "As at": events dated after the as-at date are ignored — a stop after it has not happened
 * yet, a hold starting after it has not started, a hold ending after it is still running,
 * an extension told after it has not been granted — so that a report drawn up as at a past
 * date sees the clock as it stood then.
 *
 * Every refusal is a DomainError with a stable code.
 */
import { DomainError } from '../errors.ts';
import { type DayNumber, type IsoDate, dayNumberFromParts, daysInMonth, partsFromDayNumber } from '../calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import { type ReceiptRule, DEFAULT_RECEIPT_RULE, dayZeroOfDayNumber, isReceiptRule, responseDayOfDayNumber } from '../calendar/counting-rule.ts';
import type { ClockDefinition, ClockLength } from '../procedures/procedure-definitions.ts';

/** `paused` only on a clock that a hold pauses; a hold on a Children Act clock leaves it running. */
export type ClockState = 'running' | 'paused' | 'due_soon' | 'met' | 'missed';

/** A running clock with this many working days left, or fewer, is `due_soon`. */
export const DUE_SOON_WORKING_DAYS = 3;

/** A hold on the clock (a pause, where the clock may pause): from, to and why. */
export interface ClockPause {
  from: IsoDate;
  /** Absent while the hold goes on. */
  to?: IsoDate;
  reason?: string;
  complainantToldOn?: IsoDate;
}

export interface ClockExtension {
  /** Working days added to the clock's length (give this or `newTotalWorkingDays`). */
  extraWorkingDays?: number;
  /** The clock's new length in working days (give this or `extraWorkingDays`). */
  newTotalWorkingDays?: number;
  reason?: string;
  complainantToldOn?: IsoDate;
}

export interface ClockEvents {
  /** The date of the event that starts the clock (see the definition's `startsOn`). */
  startedOn: IsoDate;
  /** The receipt rule the clock started under; absent: `statutory`. */
  receiptRule?: ReceiptRule;
  /**
   * The most working days holds may pause this clock, from the council's policy when the
   * clock started; absent (or on a clock whose procedure has no pause): holds never pause it.
   */
  maxPausedWorkingDays?: number;
  /** For a clock whose length is agreed with the complainant: the length agreed. */
  agreedLength?: ClockLength;
  /**
   * For a clock whose length is a council setting (an acknowledgement's working days, the
   * adult procedure's months): the setting when the clock started; absent, the default.
   */
  settingLength?: ClockLength;
  pauses?: readonly ClockPause[];
  extensions?: readonly ClockExtension[];
  /** The date of the event that stops the clock (see the definition's `stopsOn`). */
  stoppedOn?: IsoDate;
}

export interface ClockStatus {
  state: ClockState;
  startedOn: IsoDate;
  receiptRule: ReceiptRule;
  dayZero: IsoDate;
  /** The working day by which the clock must be stopped (moved later by extensions, and by pauses where the clock may pause). */
  dueDate: IsoDate;
  /** The length before extensions, in working days. */
  baseWorkingDays: number;
  /** The length with extensions, in working days. */
  totalWorkingDays: number;
  pausedWorkingDays: number;
  /** As at the as-at date, or up to the stop date once stopped. */
  workingDaysUsed: number;
  /** `totalWorkingDays - workingDaysUsed`: negative once the clock is overdue. */
  workingDaysRemaining: number;
  isExtended: boolean;
  /** A hold is running as at the as-at date (the clock is `paused` only where holds pause it). */
  isOnHold: boolean;
  stoppedOn?: IsoDate;
}

type Step =
  | { kind: 'extension'; day: DayNumber; extension: ClockExtension }
  | { kind: 'pause'; day: DayNumber; to: DayNumber | undefined };

function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

function isWholeNumber(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

/**
 * A period of `months` beginning with the start date ends the day before the same date
 * `months` later, or on the last day of that month when it has no such date (31 August + 6
 * months ends on 28 or 29 February). The response is due on the last working day of the
 * period, so the length in working days is those after day 0 up to the period's end.
 */
function monthsInWorkingDays(calendar: WorkingDayCalendar, start: DayNumber, day0: DayNumber, months: number): number {
  const { year, month, day } = partsFromDayNumber(start);
  const monthIndex = month - 1 + months;
  const endYear = year + Math.floor(monthIndex / 12);
  const endMonth = (monthIndex % 12) + 1;
  const periodEnd =
    day > daysInMonth(endYear, endMonth)
      ? dayNumberFromParts(endYear, endMonth, daysInMonth(endYear, endMonth))
      : dayNumberFromParts(endYear, endMonth, day) - 1;
  return Math.max(0, calendar.workingDaysBetweenDayNumbers(day0, periodEnd));
}

function baseLength(definition: ClockDefinition, events: ClockEvents, calendar: WorkingDayCalendar, start: DayNumber, day0: DayNumber): number {
  let length = definition.lengthSetting === undefined ? definition.length : (events.settingLength ?? definition.length);
  if (events.agreedLength !== undefined) {
    if (!definition.isLengthAgreed) {
      throw new DomainError('length_not_agreeable', `the length of the ${definition.label.toLowerCase()} clock is not agreed with the complainant`, 'agreedLength');
    }
    length = events.agreedLength;
  }
  if (!isWholeNumber(length.value, 1)) {
    throw new DomainError('invalid_clock_length', `a clock's length must be a whole number, 1 or more (got ${String(length.value)})`, 'agreedLength');
  }
  return length.unit === 'months' ? monthsInWorkingDays(calendar, start, day0, length.value) : length.value;
}

/** Checks what must be recorded with each extension and pause, whatever the as-at date. */
function checkRecords(definition: ClockDefinition, events: ClockEvents, calendar: WorkingDayCalendar, start: DayNumber): void {
  const name = definition.label.toLowerCase();
  for (const extension of events.extensions ?? []) {
    if (!definition.canExtend) throw new DomainError('clock_not_extendable', `the ${name} clock cannot be extended`, 'extensions');
    const hasExtra = extension.extraWorkingDays !== undefined;
    const hasTotal = extension.newTotalWorkingDays !== undefined;
    if (hasExtra === hasTotal) {
      throw new DomainError('invalid_extension', 'an extension gives either the extra working days or the new total, not both or neither', 'extensions');
    }
    if (hasExtra ? !isWholeNumber(extension.extraWorkingDays, 1) : !isWholeNumber(extension.newTotalWorkingDays, 1)) {
      throw new DomainError('invalid_extension', 'an extension is a whole number of working days, 1 or more', 'extensions');
    }
    if (definition.recordOnExtension.includes('reason') && isBlank(extension.reason)) {
      throw new DomainError('extension_reason_required', `the reason for extending the ${name} clock must be recorded`, 'reason');
    }
    if (definition.recordOnExtension.includes('complainant_told_on') && isBlank(extension.complainantToldOn)) {
      throw new DomainError('extension_told_date_required', `the date the complainant was told of the extension must be recorded`, 'complainantToldOn');
    }
    if (extension.complainantToldOn !== undefined && calendar.dayNumberOf(extension.complainantToldOn, 'complainantToldOn') < start) {
      throw new DomainError('extension_before_start', `an extension cannot be told before the clock started`, 'complainantToldOn');
    }
  }
  if (events.receiptRule !== undefined && !isReceiptRule(events.receiptRule)) {
    throw new DomainError('invalid_receipt_rule', `the receipt rule must be "statutory" or "next_working_day" (got "${String(events.receiptRule)}")`, 'receiptRule');
  }
  if (events.maxPausedWorkingDays !== undefined && !isWholeNumber(events.maxPausedWorkingDays, 0)) {
    throw new DomainError('invalid_clock_policy', 'the most working days a clock may be paused is a whole number, 0 or more', 'maxPausedWorkingDays');
  }
  const pauses = events.pauses ?? [];
  for (const pause of pauses) {
    if (isBlank(pause.reason)) throw new DomainError('hold_reason_required', `the reason for the hold on the ${name} clock must be recorded`, 'reason');
    if (definition.recordOnPause.includes('complainant_told_on') && isBlank(pause.complainantToldOn)) {
      throw new DomainError('pause_told_date_required', 'the date the complainant was told of the pause must be recorded', 'complainantToldOn');
    }
    if (pause.complainantToldOn !== undefined) calendar.dayNumberOf(pause.complainantToldOn, 'complainantToldOn');
    const from = calendar.dayNumberOf(pause.from, 'from');
    if (from < start) throw new DomainError('pause_before_start', `a hold cannot start (${pause.from}) before the clock did`, 'from');
    if (pause.to !== undefined && calendar.dayNumberOf(pause.to, 'to') < from) {
      throw new DomainError('pause_ends_before_it_starts', `the hold from ${pause.from} ends (${pause.to}) before it starts`, 'to');
    }
  }
  const sorted = [...pauses].sort((a, b) => a.from.localeCompare(b.from));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous !== undefined && current !== undefined && (previous.to === undefined || current.from < previous.to)) {
      throw new DomainError('overlapping_pauses', `the hold from ${current.from} overlaps the one from ${previous.from}`, 'pauses');
    }
  }
}

/**
 * The clock's status as at `asAt`. Refuses (DomainError) events that break the rules in the
 * header comment, dates that are not real or lie outside the calendar, and an as-at date
 * before the clock started (`as_at_before_start`).
 */
export function computeClock(definition: ClockDefinition, calendar: WorkingDayCalendar, events: ClockEvents, asAt: IsoDate): ClockStatus {
  const start = calendar.dayNumberOf(events.startedOn, 'startedOn');
  const asAtDay = calendar.dayNumberOf(asAt, 'asAt');
  if (asAtDay < start) throw new DomainError('as_at_before_start', `the clock had not started on ${asAt} (it started on ${events.startedOn})`, 'asAt');
  let stop = events.stoppedOn === undefined ? undefined : calendar.dayNumberOf(events.stoppedOn, 'stoppedOn');
  if (stop !== undefined && stop < start) {
    throw new DomainError('stop_before_start', `the clock cannot stop (${events.stoppedOn ?? ''}) before it started (${events.startedOn})`, 'stoppedOn');
  }
  checkRecords(definition, events, calendar, start);
  if (stop !== undefined && stop > asAtDay) stop = undefined; // not stopped yet, as at asAt

  const receiptRule = events.receiptRule ?? DEFAULT_RECEIPT_RULE;
  const day0 = dayZeroOfDayNumber(calendar, start, receiptRule);
  // Holds pause the clock only where its procedure may pause and the council's policy allowed it.
  const maxPaused = definition.canPause ? (events.maxPausedWorkingDays ?? 0) : 0;
  const baseWorkingDays = baseLength(definition, events, calendar, start, day0);
  // The clock counts up to the stop (a stop on a non-working day counts as made on the next
  // working day), or up to the as-at date while it runs.
  const countedUntil = stop === undefined ? asAtDay : responseDayOfDayNumber(calendar, stop);

  // The events that had happened by the as-at date, in date order; an extension before a pause on the same day.
  const steps: Step[] = [];
  for (const extension of events.extensions ?? []) {
    const day = extension.complainantToldOn === undefined ? start : calendar.dayNumberOf(extension.complainantToldOn);
    if (day <= asAtDay) steps.push({ kind: 'extension', day, extension });
  }
  for (const pause of events.pauses ?? []) {
    const from = calendar.dayNumberOf(pause.from);
    const to = pause.to === undefined ? undefined : calendar.dayNumberOf(pause.to);
    if (from <= asAtDay) steps.push({ kind: 'pause', day: from, to: to !== undefined && to <= asAtDay ? to : undefined });
  }
  steps.sort((a, b) => a.day - b.day || (a.kind === b.kind ? 0 : a.kind === 'extension' ? -1 : 1));

  let total = baseWorkingDays;
  let paused = 0;
  let isPaused = false;
  let isOnHold = false;
  const dueDay = (): DayNumber => calendar.addWorkingDaysToDayNumber(day0, total + paused);
  for (const step of steps) {
    const due = dueDay();
    if (step.kind === 'extension') {
      const { extension } = step;
      if (stop !== undefined && step.day > stop) {
        throw new DomainError('extension_after_stop', 'an extension cannot be told after the clock stopped', 'complainantToldOn');
      }
      if (step.day > due) {
        throw new DomainError('extension_after_due_date', `an extension told on ${calendar.formatDayNumber(step.day)} comes after the due date ${calendar.formatDayNumber(due)}`, 'complainantToldOn');
      }
      const newTotal = extension.newTotalWorkingDays ?? total + (extension.extraWorkingDays ?? 0);
      if (newTotal <= total) {
        throw new DomainError('invalid_extension', `an extension must lengthen the clock (from ${total} working days; got ${newTotal})`, 'newTotalWorkingDays');
      }
      if (definition.capWorkingDays !== undefined && newTotal > definition.capWorkingDays) {
        throw new DomainError(
          'extension_beyond_cap',
          `the ${definition.label.toLowerCase()} clock may be extended to at most ${definition.capWorkingDays} working days (asked for ${newTotal})`,
          'extensions',
        );
      }
      total = newTotal;
    } else {
      if (stop !== undefined && step.day >= stop) {
        throw new DomainError('pause_after_stop', 'a hold cannot start on or after the day the clock stopped', 'from');
      }
      if (step.to === undefined && stop === undefined) isOnHold = true;
      if (maxPaused === 0) continue; // a hold: shown, but the clock runs on
      if (step.day >= due) {
        throw new DomainError('pause_after_due_date', `a pause from ${calendar.formatDayNumber(step.day)} starts on or after the due date ${calendar.formatDayNumber(due)}`, 'from');
      }
      // Paused: working days after max(from, day 0) up to the pause's end, the stop or the
      // as-at date, and no more than the policy's maximum in all.
      const end = Math.min(step.to ?? asAtDay, countedUntil);
      const held = Math.max(0, calendar.workingDaysBetweenDayNumbers(Math.max(step.day, day0), end));
      paused += Math.min(held, maxPaused - paused);
      if (step.to === undefined && stop === undefined && paused < maxPaused) isPaused = true;
    }
  }

  const used = Math.max(0, calendar.workingDaysBetweenDayNumbers(day0, countedUntil)) - paused;
  const remaining = total - used;
  let state: ClockState;
  if (stop !== undefined) state = used <= total ? 'met' : 'missed';
  else if (isPaused) state = 'paused';
  else if (used > total) state = 'missed';
  else state = remaining <= DUE_SOON_WORKING_DAYS ? 'due_soon' : 'running';

  const status: ClockStatus = {
    state,
    startedOn: events.startedOn,
    receiptRule,
    dayZero: calendar.formatDayNumber(day0),
    dueDate: calendar.formatDayNumber(dueDay()),
    baseWorkingDays,
    totalWorkingDays: total,
    pausedWorkingDays: paused,
    workingDaysUsed: used,
    workingDaysRemaining: remaining,
    isExtended: total !== baseWorkingDays,
    isOnHold,
  };
  if (stop !== undefined) status.stoppedOn = calendar.formatDayNumber(stop);
  return status;
}
