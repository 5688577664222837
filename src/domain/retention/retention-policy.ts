/**
 * When a closed case's personal data is due for disposal (docs/adr/0015-retention-and-disposal.md):
 * the later of
 * - the day after `yearsAfterClosure` years from the end of the financial year (31 March) in
 *   which the case closed (closed on 10 June 2020: the year ends 31 March 2021, kept to
 *   31 March 2027, due on 1 April 2027), and
 * - the young person's birthday at `minimumAge` (born 29 February: 1 March in other years).
 *
 * A case ends when it is closed or withdrawn; a re-opened case is open again and is never due.
 * Pure: no clock, no I/O.
 */
import { addDays, isLeapYear, isoDateFromParts, isoDateParts, type IsoDate } from '../calendar/iso-date.ts';

export interface RetentionPolicy {
  /** Years kept after the end of the financial year in which the case closed. */
  readonly yearsAfterClosure: number;
  /** The young person's age before which nothing of theirs is disposed of. */
  readonly minimumAge: number;
}

/** What decided a case's due date: the closure (financial year + years) or the young person's age. */
export type RetentionBasis = 'closure' | 'age';

export interface DisposalDate {
  readonly dueOn: IsoDate;
  readonly basis: RetentionBasis;
}

/** 31 March ending the financial year (1 April – 31 March) that holds `date`. */
export function financialYearEnd(date: IsoDate): IsoDate {
  const { year, month } = isoDateParts(date);
  return isoDateFromParts(month >= 4 ? year + 1 : year, 3, 31);
}

/** The same day `years` later; 29 February becomes 1 March in a year that has none. */
export function addYears(date: IsoDate, years: number): IsoDate {
  const { year, month, day } = isoDateParts(date);
  const to = year + years;
  if (month === 2 && day === 29 && !isLeapYear(to)) return isoDateFromParts(to, 3, 1);
  return isoDateFromParts(to, month, day);
}

/** The date a case that ended on `endedOn` becomes due for disposal, and why then. */
export function disposalDueOn(endedOn: IsoDate, dateOfBirth: IsoDate | null, policy: RetentionPolicy): DisposalDate {
  const byClosure = addDays(addYears(financialYearEnd(endedOn), policy.yearsAfterClosure), 1);
  const byAge = dateOfBirth === null ? undefined : addYears(dateOfBirth, policy.minimumAge);
  return byAge !== undefined && byAge > byClosure ? { dueOn: byAge, basis: 'age' } : { dueOn: byClosure, basis: 'closure' };
}
