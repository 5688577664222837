/**
 * The counting rule — a contract: every deadline shown to staff, every letter, the queues,
 * the annual report's timescale bands and the `redress workdays` command use these functions
 * and nothing else.
 *
 * - Day 0 is the day of the event that starts the clock (the receipt, the response, the
 *   request…), whatever day it is: working day 1 is the first working day after it. That is
 *   the plain reading of "within N working days" in the 2006 Regulations, and the default
 *   receipt rule, `statutory`.
 * - A council whose written procedure deems something received on a non-working day to be
 *   received on the next working day may choose the receipt rule `next_working_day`: day 0
 *   is then that next working day. Each clock keeps the rule it started under.
 * - The deadline "N working days" is working day N after day 0.
 * - "Working days taken" by a response is the number of working days after day 0 up to and
 *   including the response's date; a response dated on a non-working day counts as made on
 *   the next working day. So a response is on time exactly when it is dated on or before
 *   the deadline.
 *
 * Examples: received Saturday 24 December 2011 → the 10-working-day deadline is Wednesday
 * 11 January 2012 (`statutory`) or Thursday 12 January 2012 (`next_working_day`). A deadline
 * on a Friday and a response on the Saturday: 1 working day late.
 */
import { DomainError } from '../errors.ts';
import type { DayNumber, IsoDate } from './iso-date.ts';
import type { WorkingDayCalendar } from './working-day-calendar.ts';

/** How day 0 is found for something that starts on a non-working day. */
export type ReceiptRule = 'statutory' | 'next_working_day';

export const RECEIPT_RULES: readonly ReceiptRule[] = ['statutory', 'next_working_day'];

/** The rule a council has unless it chooses otherwise. */
export const DEFAULT_RECEIPT_RULE: ReceiptRule = 'statutory';

export function isReceiptRule(value: unknown): value is ReceiptRule {
  return typeof value === 'string' && (RECEIPT_RULES as readonly string[]).includes(value);
}

/** Day 0 for something that started on `started` under `rule`. */
export function dayZero(calendar: WorkingDayCalendar, started: IsoDate, rule: ReceiptRule): IsoDate {
  return calendar.formatDayNumber(dayZeroOfDayNumber(calendar, calendar.dayNumberOf(started, 'received'), rule));
}

/** The deadline `workingDays` working days from something that started on `started` (working day N after day 0). */
export function deadline(calendar: WorkingDayCalendar, started: IsoDate, workingDays: number, rule: ReceiptRule): IsoDate {
  return calendar.formatDayNumber(deadlineOfDayNumber(calendar, calendar.dayNumberOf(started, 'received'), workingDays, rule));
}

/**
 * Working days taken by a response on `responded` to something that started on `started`.
 * A response dated before the start is refused (DomainError `response_before_receipt`).
 */
export function workingDaysTaken(calendar: WorkingDayCalendar, started: IsoDate, responded: IsoDate, rule: ReceiptRule): number {
  return workingDaysTakenOfDayNumbers(calendar, calendar.dayNumberOf(started, 'received'), calendar.dayNumberOf(responded, 'responded'), rule);
}

// The same on day numbers, for bulk work (the clock engine, the CLI's --stdin, reports).

export function dayZeroOfDayNumber(calendar: WorkingDayCalendar, started: DayNumber, rule: ReceiptRule): DayNumber {
  return rule === 'next_working_day' ? calendar.workingDayOnOrAfterDayNumber(started) : started;
}

export function deadlineOfDayNumber(calendar: WorkingDayCalendar, started: DayNumber, workingDays: number, rule: ReceiptRule): DayNumber {
  return calendar.addWorkingDaysToDayNumber(dayZeroOfDayNumber(calendar, started, rule), workingDays);
}

/** The day a response dated `responded` counts as made on: that day, or the next working day. */
export function responseDayOfDayNumber(calendar: WorkingDayCalendar, responded: DayNumber): DayNumber {
  return calendar.workingDayOnOrAfterDayNumber(responded);
}

export function workingDaysTakenOfDayNumbers(calendar: WorkingDayCalendar, started: DayNumber, responded: DayNumber, rule: ReceiptRule): number {
  if (responded < started) {
    throw new DomainError(
      'response_before_receipt',
      `the response date ${calendar.formatDayNumber(responded)} is before the receipt date ${calendar.formatDayNumber(started)}`,
      'responded',
    );
  }
  return Math.max(0, calendar.workingDaysBetweenDayNumbers(dayZeroOfDayNumber(calendar, started, rule), responseDayOfDayNumber(calendar, responded)));
}
