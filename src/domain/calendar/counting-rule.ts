/**
 * The counting rule of DOMAIN.md §3 ("Working days") — a contract: the annual report's
 * timescale bands, every deadline shown to staff and the `redress workdays` command all use
 * these three functions and nothing else.
 *
 * - Day 0 is the day of receipt; something received on a non-working day counts as received
 *   on the next working day.
 * - The deadline "N working days" is working day N after day 0.
 * - "Working days taken" by a response is the number of working days after day 0 up to and
 *   including the response date: a same-day response took 0, a response on its deadline
 *   took exactly N.
 *
 * Example: received Saturday 4 January 2020 → day 0 is Monday 6 January → the 20 working
 * day deadline is Monday 3 February 2020.
 */
import { DomainError } from '../errors.ts';
import type { DayNumber, IsoDate } from './iso-date.ts';
import type { WorkingDayCalendar } from './working-day-calendar.ts';

/** Day 0 for something received on `received`: that day if it is a working day, else the next working day. */
export function dayZero(calendar: WorkingDayCalendar, received: IsoDate): IsoDate {
  return calendar.formatDayNumber(dayZeroOfDayNumber(calendar, calendar.dayNumberOf(received, 'received')));
}

/** The deadline `workingDays` working days from a receipt on `received` (working day N after day 0). */
export function deadline(calendar: WorkingDayCalendar, received: IsoDate, workingDays: number): IsoDate {
  return calendar.formatDayNumber(deadlineOfDayNumber(calendar, calendar.dayNumberOf(received, 'received'), workingDays));
}

/**
 * Working days taken by a response on `responded` to something received on `received`.
 * A response before day 0 (on the day of a weekend receipt, say) took 0; a response dated
 * before the receipt is refused (DomainError `response_before_receipt`).
 */
export function workingDaysTaken(calendar: WorkingDayCalendar, received: IsoDate, responded: IsoDate): number {
  return workingDaysTakenOfDayNumbers(calendar, calendar.dayNumberOf(received, 'received'), calendar.dayNumberOf(responded, 'responded'));
}

// The same on day numbers, for bulk work (the CLI's --stdin, reports).

export function dayZeroOfDayNumber(calendar: WorkingDayCalendar, received: DayNumber): DayNumber {
  return calendar.workingDayOnOrAfterDayNumber(received);
}

export function deadlineOfDayNumber(calendar: WorkingDayCalendar, received: DayNumber, workingDays: number): DayNumber {
  return calendar.addWorkingDaysToDayNumber(calendar.workingDayOnOrAfterDayNumber(received), workingDays);
}

export function workingDaysTakenOfDayNumbers(calendar: WorkingDayCalendar, received: DayNumber, responded: DayNumber): number {
  if (responded < received) {
    throw new DomainError(
      'response_before_receipt',
      `the response date ${calendar.formatDayNumber(responded)} is before the receipt date ${calendar.formatDayNumber(received)}`,
      'responded',
    );
  }
  const taken = calendar.workingDaysBetweenDayNumbers(calendar.workingDayOnOrAfterDayNumber(received), responded);
  return Math.max(0, taken);
}
