/**
 * An independent check of the calendar: a second, deliberately plain implementation written
 * here from the rules — its own holiday test (a predicate on month, day and weekday rather
 * than generated dates), its own table of Easter Sundays, its own list of one-off days,
 * stepping one day at a time with `Date` — that never reads the shipped data file. The two
 * must agree on every date from 2000-01-01 to 2040-12-31.
 */
import { describe, expect, it } from 'vitest';
import { shippedCalendar } from '../../../src/domain/calendar/shipped-holidays.ts';
import { dayZero, deadline, workingDaysTaken } from '../../../src/domain/calendar/counting-rule.ts';
import { EASTER_SUNDAYS } from '../../support/easter-dates.ts';


/** Days proclaimed as holidays outside the usual pattern (including the new dates of moved holidays). */
const PROCLAIMED = new Set([
  '1999-12-31', // millennium
  '2002-06-03', // Golden Jubilee
  '2002-06-04', // spring holiday moved
  '2011-04-29', // royal wedding
  '2012-06-04', // spring holiday moved
  '2012-06-05', // Diamond Jubilee
  '2020-05-08', // early May holiday moved (VE Day)
  '2022-06-02', // spring holiday moved
  '2022-06-03', // Platinum Jubilee
  '2022-09-19', // state funeral
  '2023-05-08', // coronation
]);

/** The usual days that were working days because their holiday moved. */
const MOVED_AWAY = new Set(['2002-05-27', '2012-05-28', '2020-05-04', '2022-05-30']);

const DAY_MS = 86_400_000;

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function isWorkingDay(date: Date): boolean {
  const weekday = date.getUTCDay(); // 0 Sunday … 6 Saturday
  if (weekday === 0 || weekday === 6) return false;
  const text = iso(date);
  if (PROCLAIMED.has(text)) return false;
  if (MOVED_AWAY.has(text)) return true;
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  const day = date.getUTCDate();
  const isMonday = weekday === 1;
  const isTuesday = weekday === 2;
  // New Year's Day, or the Monday after it when it fell at a weekend (2 or 3 January).
  if (month === 1 && (day === 1 || (isMonday && (day === 2 || day === 3)))) return false;
  // Good Friday and Easter Monday.
  const easter = Date.parse(`${year}-${EASTER_SUNDAYS[year] ?? 'xx'}T00:00:00Z`);
  if (date.getTime() === easter - 2 * DAY_MS || date.getTime() === easter + DAY_MS) return false;
  // First Monday in May; last Mondays in May and August (a Monday from the 25th on).
  if (month === 5 && isMonday && (day <= 7 || day >= 25)) return false;
  if (month === 8 && isMonday && day >= 25) return false;
  // Christmas and Boxing Day on weekdays; 27th/28th as substitutes: Monday 27 (Christmas on
  // Saturday), Tuesday 27 (Christmas on Sunday), Monday 28 (Boxing Day on Saturday),
  // Tuesday 28 (both at the weekend).
  if (month === 12 && (day === 25 || day === 26)) return false;
  if (month === 12 && (day === 27 || day === 28) && (isMonday || isTuesday)) return false;
  return true;
}

describe('the calendar agrees with an independent day-by-day implementation', () => {
  const calendar = shippedCalendar();
  const start = Date.parse('2000-01-01T00:00:00Z');
  const end = Date.parse('2040-12-31T00:00:00Z');
  // The plain implementation's answers, worked out once a day at a time.
  const days: Date[] = [];
  for (let t = start; t <= end; t += DAY_MS) days.push(new Date(t));
  const working = days.map(isWorkingDay);

  /** Plain deadline: step to day 0, then step day by day counting working days. */
  function plainDeadline(index: number, n: number): number | undefined {
    let i = index;
    while (i < days.length && working[i] !== true) i++;
    let counted = 0;
    while (counted < n && i < days.length) {
      i++;
      if (working[i] === true) counted++;
    }
    return i < days.length ? i : undefined;
  }

  it('on which days are working days, every date 2000–2040', () => {
    const disagreements = days.filter((day, i) => calendar.isWorkingDay(iso(day)) !== working[i]).map(iso);
    expect(disagreements).toEqual([]);
    expect(calendar.isWorkingDay('1999-12-31')).toBe(false); // the millennium day, just before
  });

  it('on day 0 and the deadlines of 1, 2, 5, 10, 20, 25, 30 and 65 working days, from every date 2000–2040', () => {
    const disagreements: string[] = [];
    for (let i = 0; i < days.length; i++) {
      const received = iso(days[i] as Date);
      const zero = plainDeadline(i, 0);
      if (zero !== undefined && dayZero(calendar, received, 'next_working_day') !== iso(days[zero] as Date)) disagreements.push(`${received} day 0`);
      for (const n of [1, 2, 5, 10, 20, 25, 30, 65]) {
        const due = plainDeadline(i, n);
        if (due === undefined) continue; // past 2040: the calendar refuses these
        if (deadline(calendar, received, n, 'next_working_day') !== iso(days[due] as Date)) disagreements.push(`${received} + ${n}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it.each(['statutory', 'next_working_day'] as const)('on working days taken under the %s rule, from every receipt date to responses 0 to 89 days later', (rule) => {
    const disagreements: string[] = [];
    for (let i = 0; i < days.length; i++) {
      const received = iso(days[i] as Date);
      const zero = rule === 'statutory' ? i : (plainDeadline(i, 0) ?? days.length);
      for (const later of [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89]) {
        const j = i + later;
        if (j >= days.length) break;
        // A response dated on a non-working day counts as made on the next working day.
        let made = j;
        while (made < days.length - 1 && working[made] !== true) made++;
        // Plain count: the working days after day 0 up to and including that day.
        let taken = 0;
        for (let k = zero + 1; k <= made; k++) if (working[k] === true) taken++;
        if (workingDaysTaken(calendar, received, iso(days[j] as Date), rule) !== taken) disagreements.push(`${received} → ${iso(days[j] as Date)}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});
