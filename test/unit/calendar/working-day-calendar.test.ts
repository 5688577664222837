import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dayZero, deadline, workingDaysTaken } from '../../../src/domain/calendar/counting-rule.ts';
import { formatIsoDate, parseIsoDate } from '../../../src/domain/calendar/iso-date.ts';
import { shippedCalendar, shippedHolidays } from '../../../src/domain/calendar/shipped-holidays.ts';
import { SHIPPED_RANGE, createCalendar } from '../../../src/domain/calendar/working-day-calendar.ts';
import { codeOf } from '../../support/domain-errors.ts';

const calendar = shippedCalendar();


/** Any date from 2000-01-01 to 2040-06-30 (leaving room for deadlines up to 65 working days). */
const anyDate = fc.integer({ min: parseIsoDate('2000-01-01'), max: parseIsoDate('2040-06-30') }).map(formatIsoDate);
const anyLength = fc.integer({ min: 0, max: 65 });

describe('the counting rule under the next_working_day receipt rule', () => {
  it('received Saturday 4 Jan 2020 → day 0 Monday 6 Jan → 20 WD deadline Monday 3 Feb 2020', () => {
    expect(dayZero(calendar, '2020-01-04', 'next_working_day')).toBe('2020-01-06');
    expect(deadline(calendar, '2020-01-04', 20, 'next_working_day')).toBe('2020-02-03');
    expect(workingDaysTaken(calendar, '2020-01-04', '2020-02-03', 'next_working_day')).toBe(20);
  });

  it.each([
    // received, N, deadline — worked by hand on a printed calendar
    ['2020-01-06', 0, '2020-01-06'], // N = 0 is day 0 itself
    ['2020-01-04', 0, '2020-01-06'],
    ['2020-01-06', 1, '2020-01-07'],
    ['2020-01-10', 1, '2020-01-13'], // Friday → Monday
    ['2011-04-21', 10, '2011-05-11'], // Good Friday, Easter Monday, royal wedding, early May
    ['2011-04-21', 20, '2011-05-25'],
    ['2011-04-28', 1, '2011-05-03'], // Thursday before the royal wedding → Tuesday after early May
    ['2012-05-28', 10, '2012-06-13'], // 28 May 2012 was a working day; 4 and 5 June were not
    ['2012-06-01', 1, '2012-06-06'],
    ['2012-06-02', 0, '2012-06-06'], // Saturday before the jubilee: day 0 is Wednesday
    ['2020-05-07', 1, '2020-05-11'], // VE day Friday
    ['2020-05-04', 1, '2020-05-05'], // the usual early May Monday was a working day in 2020
    ['2022-06-01', 1, '2022-06-06'], // Platinum Jubilee Thursday and Friday
    ['2022-05-25', 25, '2022-07-01'],
    ['2022-09-16', 1, '2022-09-20'], // state funeral Monday
    ['2022-12-23', 2, '2022-12-29'], // Boxing Day Monday, substitute Christmas Tuesday
    ['2023-05-05', 1, '2023-05-09'], // coronation Monday
    ['2020-12-24', 1, '2020-12-29'], // Christmas Friday, substitute Boxing Day Monday 28
    ['2021-12-24', 1, '2021-12-29'], // both substitute days, 27 and 28
    ['2027-12-24', 1, '2027-12-29'],
    ['1999-12-31', 0, '2000-01-04'], // millennium holiday, then New Year substitute Monday 3 Jan
  ])('received %s, %i working days → %s', (received, n, due) => {
    expect(deadline(calendar, received, n, 'next_working_day')).toBe(due);
    expect(workingDaysTaken(calendar, received, due, 'next_working_day')).toBe(n);
  });

  it('counts a same-day response as 0, and a response before day 0 as 0', () => {
    expect(workingDaysTaken(calendar, '2020-01-06', '2020-01-06', 'next_working_day')).toBe(0);
    expect(workingDaysTaken(calendar, '2020-01-04', '2020-01-04', 'next_working_day')).toBe(0); // Saturday receipt, Saturday response
    expect(workingDaysTaken(calendar, '2020-01-04', '2020-01-05', 'next_working_day')).toBe(0);
    expect(workingDaysTaken(calendar, '2020-01-04', '2020-01-07', 'next_working_day')).toBe(1);
  });

  it('counts a response dated on a non-working day as made on the next working day: deadline Friday, response Saturday → late by 1', () => {
    for (const rule of ['statutory', 'next_working_day'] as const) {
      expect(deadline(calendar, '2020-01-06', 4, rule)).toBe('2020-01-10');
      expect(workingDaysTaken(calendar, '2020-01-06', '2020-01-11', rule)).toBe(5);
      expect(workingDaysTaken(calendar, '2020-01-06', '2020-01-13', rule)).toBe(5);
    }
  });

  it('refuses a response dated before its receipt', () => {
    expect(codeOf(() => workingDaysTaken(calendar, '2020-01-06', '2020-01-05', 'next_working_day'))).toBe('response_before_receipt');
  });
});

describe('the working-day calendar', () => {
  it('knows weekends, holidays and ordinary days', () => {
    expect(calendar.isWorkingDay('2020-01-04')).toBe(false);
    expect(calendar.isWorkingDay('2020-01-06')).toBe(true);
    expect(calendar.isWorkingDay('2020-12-25')).toBe(false);
    expect(calendar.nextWorkingDay('2020-12-24')).toBe('2020-12-29');
    expect(calendar.nextWorkingDay('2020-01-06')).toBe('2020-01-07');
    expect(calendar.workingDayOnOrAfter('2020-01-06')).toBe('2020-01-06');
    expect(calendar.workingDayOnOrAfter('2020-01-04')).toBe('2020-01-06');
  });

  it('defines addWorkingDays as the n-th working day strictly after the date', () => {
    expect(calendar.addWorkingDays('2020-01-04', 0)).toBe('2020-01-04'); // n = 0: the date itself, even a Saturday
    expect(calendar.addWorkingDays('2020-01-04', 1)).toBe('2020-01-06');
    expect(calendar.addWorkingDays('2020-01-06', 1)).toBe('2020-01-07');
  });

  it('defines workingDaysBetween as the working days after `from` up to and including `to`', () => {
    expect(calendar.workingDaysBetween('2020-01-06', '2020-01-06')).toBe(0);
    expect(calendar.workingDaysBetween('2020-01-03', '2020-01-06')).toBe(1);
    expect(calendar.workingDaysBetween('2020-01-04', '2020-01-05')).toBe(0);
    expect(calendar.workingDaysBetween('2020-01-06', '2020-01-03')).toBe(-1);
    expect(calendar.workingDaysBetween('2020-01-01', '2020-12-31')).toBe(366 - 104 - 8);
  });

  it.each([
    ['a date before the calendar', () => calendar.isWorkingDay('1999-12-30'), 'date_outside_calendar'],
    ['a date after the calendar', () => calendar.addWorkingDays('2041-01-01', 1), 'date_outside_calendar'],
    ['a deadline after the calendar', () => calendar.addWorkingDays('2040-12-20', 10), 'date_outside_calendar'],
    ['a next working day after the calendar', () => calendar.nextWorkingDay('2040-12-31'), 'date_outside_calendar'],
    ['an impossible date', () => calendar.workingDaysBetween('2023-02-30', '2023-03-01'), 'invalid_date'],
    ['a negative number of working days', () => calendar.addWorkingDays('2023-03-01', -1), 'invalid_working_days'],
    ['a fractional number of working days', () => calendar.addWorkingDays('2023-03-01', 1.5), 'invalid_working_days'],
    ['a calendar that ends before it starts', () => createCalendar([], { first: '2020-01-02', last: '2020-01-01' }), 'invalid_date_range'],
    ['an impossible holiday', () => createCalendar(['2023-02-30']), 'invalid_date'],
  ])('refuses %s', (_what, action, code) => {
    expect(codeOf(action)).toBe(code);
  });

  it('covers 1999-12-31 to 2040-12-31', () => {
    expect(calendar.first).toBe('1999-12-31');
    expect(calendar.last).toBe('2040-12-31');
    expect(calendar.covers('1999-12-31')).toBe(true);
    expect(calendar.covers('1999-12-30')).toBe(false);
    expect(calendar.addWorkingDays('2040-12-28', 1)).toBe('2040-12-31');
  });

  it('is built from data: an added holiday re-dates a deadline, a removed one gives the day back', () => {
    const withExtra = createCalendar([...shippedHolidays(), '2026-06-01']);
    expect(deadline(calendar, '2026-05-29', 1, 'next_working_day')).toBe('2026-06-01');
    expect(deadline(withExtra, '2026-05-29', 1, 'next_working_day')).toBe('2026-06-02');
    const withoutFuneral = createCalendar(shippedHolidays().filter((d) => d !== '2022-09-19'));
    expect(deadline(withoutFuneral, '2022-09-16', 1, 'next_working_day')).toBe('2022-09-19');
    expect(withExtra.holidays).toContain('2026-06-01');
  });

  it('ignores holidays outside its range and works over any range', () => {
    const small = createCalendar(['2019-12-25', '2020-01-01', '2030-01-01'], { first: '2020-01-01', last: '2020-01-31' });
    expect(small.holidays).toEqual(['2020-01-01']);
    expect(small.addWorkingDays('2020-01-01', 1)).toBe('2020-01-02');
    expect(codeOf(() => small.isWorkingDay('2019-12-31'))).toBe('date_outside_calendar');
    expect(SHIPPED_RANGE).toEqual({ first: '1999-12-31', last: '2040-12-31' });
  });

  describe('properties', () => {
    it('a deadline is always a working day, on or after day 0', () => {
      fc.assert(
        fc.property(anyDate, anyLength, (received, n) => {
          const due = deadline(calendar, received, n, 'next_working_day');
          expect(calendar.isWorkingDay(due)).toBe(true);
          expect(due >= dayZero(calendar, received, 'next_working_day')).toBe(true);
        }),
        { numRuns: 5000 },
      );
    });

    it('addWorkingDays and workingDaysBetween are inverse', () => {
      fc.assert(
        fc.property(anyDate, anyLength, (date, n) => {
          expect(calendar.workingDaysBetween(date, calendar.addWorkingDays(date, n))).toBe(n);
          expect(workingDaysTaken(calendar, date, deadline(calendar, date, n, 'next_working_day'), 'next_working_day')).toBe(n);
        }),
        { numRuns: 5000 },
      );
      fc.assert(
        fc.property(anyDate, fc.integer({ min: 0, max: 120 }), (date, days) => {
          const later = formatIsoDate(parseIsoDate(date) + days);
          if (calendar.isWorkingDay(later)) expect(calendar.addWorkingDays(date, calendar.workingDaysBetween(date, later))).toBe(later);
          expect(calendar.workingDaysBetween(later, date) + calendar.workingDaysBetween(date, later)).toBe(0);
        }),
        { numRuns: 5000 },
      );
    });

    it('both are monotone', () => {
      fc.assert(
        fc.property(fc.tuple(anyDate, anyDate, anyDate), anyLength, anyLength, (dates, n, m) => {
          const [first, middle, last] = [...dates].sort() as [string, string, string];
          const [short, long] = n <= m ? [n, m] : [m, n];
          // A later receipt never has an earlier deadline; more working days, a strictly later one.
          expect(deadline(calendar, first, n, 'next_working_day') <= deadline(calendar, middle, n, 'next_working_day')).toBe(true);
          if (short < long) expect(deadline(calendar, first, short, 'next_working_day') < deadline(calendar, first, long, 'next_working_day')).toBe(true);
          expect(calendar.addWorkingDays(first, short) <= calendar.addWorkingDays(first, long)).toBe(true);
          // A later response never took fewer working days; a later receipt never more.
          expect(workingDaysTaken(calendar, first, middle, 'next_working_day') <= workingDaysTaken(calendar, first, last, 'next_working_day')).toBe(true);
          expect(workingDaysTaken(calendar, first, last, 'next_working_day') >= workingDaysTaken(calendar, middle, last, 'next_working_day')).toBe(true);
          expect(calendar.workingDaysBetween(first, middle) <= calendar.workingDaysBetween(first, last)).toBe(true);
          expect(calendar.workingDaysBetween(first, last) >= calendar.workingDaysBetween(middle, last)).toBe(true);
        }),
        { numRuns: 5000 },
      );
    });
  });
});
