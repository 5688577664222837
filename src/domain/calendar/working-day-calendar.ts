/**
 * The working-day calendar: which days are working days, and fast arithmetic on them.
 *
 * A working day is any day of the calendar's range that is not a Saturday, a Sunday or one
 * of the holidays it was built from. The holidays are data —
 * the shipped England and Wales list plus whatever an administrator adds or removes — so a
 * calendar is built from a list (`createCalendar`), and rebuilt when the list changes.
 *
 * Speed: building precomputes, for every day of the range, how many working days there are
 * from the first day up to it (a prefix count), and the list of working days in order. Every
 * question is then one or two array reads — O(1), whatever the number of days involved —
 * instead of a walk day by day.
 *
 * Two primitives, and how the counting rule (see `counting-rule.ts`) uses them:
 *
 * - `addWorkingDays(date, n)` is the n-th working day strictly after `date` (and `date`
 *   itself when n = 0, working day or not). The deadline "N working days" from a receipt is
 *   `addWorkingDays(dayZero, N)`.
 * - `workingDaysBetween(from, to)` is the number of working days after `from` up to and
 *   including `to` (negative, the same count with the sign changed, when `to` is earlier).
 *   "Working days taken" is `workingDaysBetween(dayZero, responded)`.
 *
 * They are inverse: `workingDaysBetween(d, addWorkingDays(d, n)) === n` for every date d and
 * n ≥ 0, and `addWorkingDays(d, workingDaysBetween(d, w)) === w` for every working day w ≥ d.
 *
 * Any date outside the calendar's range — given, or reached by the arithmetic — is refused
 * with DomainError `date_outside_calendar`: the system does not guess holidays it has no data for.
 */
import { DomainError } from '../errors.ts';
import {
  type DayNumber,
  type IsoDate,
  formatIsoDate,
  isWeekendDayNumber,
  parseIsoDate,
  tryParseIsoDate,
} from './iso-date.ts';
import { SHIPPED_FIRST_DATE, SHIPPED_LAST_DATE } from './bank-holidays-file.ts';

/** The first and last dates a calendar knows about, inclusive. */
export interface CalendarRange {
  first: IsoDate;
  last: IsoDate;
}

/** The range of the shipped calendar: 1999-12-31 (the millennium holiday) to 2040-12-31. */
export const SHIPPED_RANGE: CalendarRange = Object.freeze({ first: SHIPPED_FIRST_DATE, last: SHIPPED_LAST_DATE });

/** ISO strings of every day of a range, shared by calendars over the same range (holidays change more often than ranges). */
const isoTables = new Map<string, readonly IsoDate[]>();

function isoTable(firstDay: DayNumber, length: number): readonly IsoDate[] {
  const key = `${firstDay}:${length}`;
  let table = isoTables.get(key);
  if (table === undefined) {
    table = Object.freeze(Array.from({ length }, (_, i) => formatIsoDate(firstDay + i)));
    isoTables.set(key, table);
  }
  return table;
}

export class WorkingDayCalendar {
  readonly first: IsoDate;
  readonly last: IsoDate;
  /** The holidays of the range the calendar was built from, sorted, without duplicates. */
  readonly holidays: readonly IsoDate[];
  private readonly firstDay: DayNumber;
  private readonly lastDay: DayNumber;
  /** `workingUpTo[i]`: the number of working days from `first` to day `first + i`, inclusive. */
  private readonly workingUpTo: Int32Array;
  /** `workingDays[k]`: the day index (days after `first`) of the (k + 1)-th working day of the range. */
  private readonly workingDays: Int32Array;
  private readonly isoByIndex: readonly IsoDate[];

  /**
   * Builds the calendar of `range` (default: the shipped range) with `holidays` as its
   * non-working weekdays. Holidays are checked as dates; those outside the range are
   * ignored (no date outside the range can be asked about); duplicates and holidays at a
   * weekend are harmless.
   */
  constructor(holidays: Iterable<IsoDate>, range: CalendarRange = SHIPPED_RANGE) {
    this.firstDay = parseIsoDate(range.first, 'first');
    this.lastDay = parseIsoDate(range.last, 'last');
    if (this.lastDay < this.firstDay) {
      throw new DomainError('invalid_date_range', `the calendar range ${range.first} to ${range.last} ends before it starts`);
    }
    this.first = range.first;
    this.last = range.last;
    const length = this.lastDay - this.firstDay + 1;

    const isHoliday = new Uint8Array(length);
    const inRange = new Set<IsoDate>();
    for (const holiday of holidays) {
      const index = parseIsoDate(holiday, 'holiday') - this.firstDay;
      if (index < 0 || index >= length) continue;
      isHoliday[index] = 1;
      inRange.add(holiday);
    }
    this.holidays = Object.freeze([...inRange].sort());

    this.workingUpTo = new Int32Array(length);
    const workingDays: number[] = [];
    let count = 0;
    for (let i = 0; i < length; i++) {
      if (isHoliday[i] === 0 && !isWeekendDayNumber(this.firstDay + i)) {
        count += 1;
        workingDays.push(i);
      }
      this.workingUpTo[i] = count;
    }
    this.workingDays = Int32Array.from(workingDays);
    this.isoByIndex = isoTable(this.firstDay, length);
  }

  // ---- ISO date interface (what the rest of the system uses) ----

  isWorkingDay(date: IsoDate): boolean {
    return this.isWorkingDayNumber(this.dayNumberOf(date));
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate {
    return this.formatDayNumber(this.nextWorkingDayNumber(this.dayNumberOf(date)));
  }

  /** `date` itself when it is a working day, otherwise the next working day after it. */
  workingDayOnOrAfter(date: IsoDate): IsoDate {
    return this.formatDayNumber(this.workingDayOnOrAfterDayNumber(this.dayNumberOf(date)));
  }

  /** The `n`-th working day strictly after `date`; `date` itself when `n` is 0 (n: whole number ≥ 0). */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    return this.formatDayNumber(this.addWorkingDaysToDayNumber(this.dayNumberOf(date), n));
  }

  /** The number of working days after `from` up to and including `to`; negated when `to` is before `from`. */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    return this.workingDaysBetweenDayNumbers(this.dayNumberOf(from, 'from'), this.dayNumberOf(to, 'to'));
  }

  /** Whether `date` (a valid ISO date) lies inside the calendar's range. */
  covers(date: IsoDate): boolean {
    const day = parseIsoDate(date);
    return day >= this.firstDay && day <= this.lastDay;
  }

  // ---- day-number interface (the same, without parsing and formatting, for bulk work) ----

  /** The day number of `date`, refused unless it is a real date inside the range. */
  dayNumberOf(date: IsoDate, field?: string): DayNumber {
    const day = tryParseIsoDate(date);
    if (day === undefined) return parseIsoDate(date, field); // throws invalid_date
    this.indexOf(day, field);
    return day;
  }

  /** The ISO date of a day number (from a table inside the range, computed outside it). */
  formatDayNumber(day: DayNumber): IsoDate {
    return this.isoByIndex[day - this.firstDay] ?? formatIsoDate(day);
  }

  isWorkingDayNumber(day: DayNumber): boolean {
    const index = this.indexOf(day);
    return this.workingUpTo[index] !== (index === 0 ? 0 : this.workingUpTo[index - 1]);
  }

  nextWorkingDayNumber(day: DayNumber): DayNumber {
    return this.addWorkingDaysToDayNumber(day, 1);
  }

  workingDayOnOrAfterDayNumber(day: DayNumber): DayNumber {
    return this.isWorkingDayNumber(day) ? day : this.nextWorkingDayNumber(day);
  }

  addWorkingDaysToDayNumber(day: DayNumber, n: number): DayNumber {
    const index = this.indexOf(day);
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new DomainError('invalid_working_days', `the number of working days must be a whole number, 0 or more (got ${n})`);
    }
    if (n === 0) return day;
    // Working days up to `day` are numbered 1..workingUpTo[index]; the one we want is number workingUpTo[index] + n.
    const target = this.workingDays[(this.workingUpTo[index] ?? 0) + n - 1];
    if (target === undefined) {
      throw new DomainError(
        'date_outside_calendar',
        `${n} working days after ${this.formatDayNumber(day)} falls after the end of the calendar (${this.last})`,
      );
    }
    return this.firstDay + target;
  }

  workingDaysBetweenDayNumbers(from: DayNumber, to: DayNumber): number {
    return (this.workingUpTo[this.indexOf(to, 'to')] ?? 0) - (this.workingUpTo[this.indexOf(from, 'from')] ?? 0);
  }

  private indexOf(day: DayNumber, field?: string): number {
    const index = day - this.firstDay;
    if (!(Number.isInteger(index) && index >= 0 && day <= this.lastDay)) {
      throw new DomainError(
        'date_outside_calendar',
        `${describeDay(day)} is outside the working-day calendar (${this.first} to ${this.last})`,
        field,
      );
    }
    return index;
  }
}

/** A day number for an error message, even one that is no date at all. */
function describeDay(day: DayNumber): string {
  try {
    return formatIsoDate(day);
  } catch {
    return `day ${String(day)}`;
  }
}

/** A working-day calendar of `range` (default: the shipped range) whose holidays are `holidays`. */
export function createCalendar(holidays: Iterable<IsoDate>, range: CalendarRange = SHIPPED_RANGE): WorkingDayCalendar {
  return new WorkingDayCalendar(holidays, range);
}
