/**
 * Plain calendar dates, written `YYYY-MM-DD` (ISO 8601) with no time and no time zone.
 *
 * Every date in the domain is one of these strings. For arithmetic a date is turned into a
 * day number (days since 1970-01-01, the same count as `Date.UTC(y, m - 1, d) / 86_400_000`)
 * by integer arithmetic, so no local-time `Date` and no clock change can ever shift a day.
 */
import { DomainError } from '../errors.ts';

/** A date written `YYYY-MM-DD`, e.g. `2020-01-06`. */
export type IsoDate = string;

/** Days since 1970-01-01 (negative before it). */
export type DayNumber = number;

/** ISO weekday: 1 = Monday … 6 = Saturday, 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

const MS_PER_DAY = 86_400_000;
/** Days before the first of each month in a common year. */
const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334] as const;
/** Days from 0001-01-01 to 1970-01-01 in the proleptic Gregorian calendar. */
const DAYS_FROM_YEAR_ONE_TO_1970 = 719_162;
const CHAR_ZERO = 48;
const CHAR_HYPHEN = 45;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Day number of a date given by parts that are already known to be valid. */
export function dayNumberFromParts(year: number, month: number, day: number): DayNumber {
  const before = year - 1;
  const daysBeforeYear = before * 365 + Math.floor(before / 4) - Math.floor(before / 100) + Math.floor(before / 400);
  const leapDay = month > 2 && isLeapYear(year) ? 1 : 0;
  return daysBeforeYear + (DAYS_BEFORE_MONTH[month - 1] ?? 0) + leapDay + day - 1 - DAYS_FROM_YEAR_ONE_TO_1970;
}

/** Reads `count` ASCII digits at `start`; -1 if any of them is not a digit. */
function readDigits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - CHAR_ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The day number of `text`, or `undefined` when it is not a real date written exactly
 * `YYYY-MM-DD` (year 0001–9999). Strict: `2023-02-30`, `2023-2-3` and `2023-02-03T00:00`
 * are all refused. Written with character codes because the CLI parses 100,000 lines a run.
 */
export function tryParseIsoDate(text: string): DayNumber | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== CHAR_HYPHEN || text.charCodeAt(7) !== CHAR_HYPHEN) return undefined;
  const year = readDigits(text, 0, 4);
  const month = readDigits(text, 5, 2);
  const day = readDigits(text, 8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return dayNumberFromParts(year, month, day);
}

export function isIsoDate(text: string): boolean {
  return tryParseIsoDate(text) !== undefined;
}

/** The day number of `text`; a DomainError `invalid_date` when it is not a real `YYYY-MM-DD` date. */
export function parseIsoDate(text: string, field?: string): DayNumber {
  const dayNumber = tryParseIsoDate(text);
  if (dayNumber === undefined) {
    throw new DomainError('invalid_date', `"${text}" is not a real date in the form YYYY-MM-DD`, field);
  }
  return dayNumber;
}

/** The parts of a day number (`Date.UTC` arithmetic: no local time involved). */
export function partsFromDayNumber(dayNumber: DayNumber): DateParts {
  const date = new Date(dayNumber * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function formatIsoDate(dayNumber: DayNumber): IsoDate {
  const { year, month, day } = partsFromDayNumber(dayNumber);
  if (year < 1 || year > 9999) {
    throw new DomainError('invalid_date', `day number ${dayNumber} is outside the years 0001–9999`);
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The date of the given parts; a DomainError `invalid_date` when they are not a real date. */
export function isoDateFromParts(year: number, month: number, day: number): IsoDate {
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  parseIsoDate(text);
  return text;
}

export function isoDateParts(date: IsoDate): DateParts {
  return partsFromDayNumber(parseIsoDate(date));
}

export function weekdayOfDayNumber(dayNumber: DayNumber): IsoWeekday {
  // 1970-01-01 (day 0) was a Thursday, ISO weekday 4.
  return ((((((dayNumber + 3) % 7) + 7) % 7) + 1) as IsoWeekday);
}

export function isoWeekday(date: IsoDate): IsoWeekday {
  return weekdayOfDayNumber(parseIsoDate(date));
}

export function isWeekendDayNumber(dayNumber: DayNumber): boolean {
  return weekdayOfDayNumber(dayNumber) >= 6;
}

/** `date` moved by `days` calendar days (negative moves back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return formatIsoDate(parseIsoDate(date) + days);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return parseIsoDate(to) - parseIsoDate(from);
}
