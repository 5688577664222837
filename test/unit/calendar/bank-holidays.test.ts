import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { easterSunday, englandAndWalesBankHolidays, PROCLAMATIONS } from '../../../src/domain/calendar/bank-holiday-rules.ts';
import { buildShippedBankHolidaysFile, parseBankHolidaysFile, renderBankHolidaysFile } from '../../../src/domain/calendar/bank-holidays-file.ts';
import { shippedBankHolidayEvents, shippedCalendar, shippedHolidays } from '../../../src/domain/calendar/shipped-holidays.ts';
import { codeOf } from '../../support/domain-errors.ts';
import { EASTER_SUNDAYS } from '../../support/easter-dates.ts';

const SHIPPED_FILE = new URL('../../../src/domain/calendar/bank-holidays-england-and-wales.json', import.meta.url);


describe('the shipped bank-holiday file', () => {
  it('is exactly what the rules and proclamations build (run `npm run calendar:build` after changing them)', () => {
    expect(readFileSync(SHIPPED_FILE, 'utf8')).toBe(buildShippedBankHolidaysFile());
  });

  it('has the shape of GOV.UK bank-holidays.json, England and Wales only', () => {
    const file = JSON.parse(readFileSync(SHIPPED_FILE, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(file)).toEqual(['england-and-wales']);
    const division = file['england-and-wales'] as { division: string; events: Record<string, unknown>[] };
    expect(division.division).toBe('england-and-wales');
    for (const event of division.events) {
      expect(Object.keys(event)).toEqual(['title', 'date', 'notes', 'bunting']);
    }
  });

  it('covers 1999-12-31 and 2000 to 2040, sorted, with the right number of days each year', () => {
    const dates = shippedHolidays();
    expect(dates[0]).toBe('1999-12-31');
    expect(dates.at(-1)).toBe('2040-12-26');
    expect([...dates].sort()).toEqual(dates);
    const extraDays: Record<number, number> = { 2002: 1, 2011: 1, 2012: 1, 2022: 2, 2023: 1 };
    for (let year = 2000; year <= 2040; year++) {
      expect(dates.filter((d) => d.startsWith(`${year}-`)).length, String(year)).toBe(8 + (extraDays[year] ?? 0));
    }
  });

  it('never lists a weekend', () => {
    for (const date of shippedHolidays()) {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      expect(weekday === 0 || weekday === 6, date).toBe(false);
    }
  });
});

describe('bank holidays of England and Wales', () => {
  // Every one-off or moved day since 2000 (and the millennium), and the substitute days of
  // the years where the rules bite; titles and notes as GOV.UK writes them.
  it.each([
    ['1999-12-31', 'Millennium celebrations', 'Extra bank holiday'],
    ['2000-01-03', 'New Year’s Day', 'Substitute day'],
    ['2002-06-03', 'Queen’s Golden Jubilee', 'Extra bank holiday'],
    ['2002-06-04', 'Spring bank holiday', 'Substitute day'],
    ['2004-12-27', 'Christmas Day', 'Substitute day'],
    ['2004-12-28', 'Boxing Day', 'Substitute day'],
    ['2005-01-03', 'New Year’s Day', 'Substitute day'],
    ['2005-12-26', 'Boxing Day', ''],
    ['2005-12-27', 'Christmas Day', 'Substitute day'],
    ['2010-12-27', 'Christmas Day', 'Substitute day'],
    ['2010-12-28', 'Boxing Day', 'Substitute day'],
    ['2011-01-03', 'New Year’s Day', 'Substitute day'],
    ['2011-04-22', 'Good Friday', ''],
    ['2011-04-25', 'Easter Monday', ''],
    ['2011-04-29', 'Royal wedding', 'Extra bank holiday'],
    ['2011-05-02', 'Early May bank holiday', ''],
    ['2011-12-26', 'Boxing Day', ''],
    ['2011-12-27', 'Christmas Day', 'Substitute day'],
    ['2012-01-02', 'New Year’s Day', 'Substitute day'],
    ['2012-06-04', 'Spring bank holiday', 'Substitute day'],
    ['2012-06-05', 'Queen’s Diamond Jubilee', 'Extra bank holiday'],
    ['2015-12-28', 'Boxing Day', 'Substitute day'],
    ['2016-12-26', 'Boxing Day', ''],
    ['2016-12-27', 'Christmas Day', 'Substitute day'],
    ['2017-01-02', 'New Year’s Day', 'Substitute day'],
    ['2020-05-08', 'Early May bank holiday (VE day)', ''],
    ['2020-12-28', 'Boxing Day', 'Substitute day'],
    ['2021-12-27', 'Christmas Day', 'Substitute day'],
    ['2021-12-28', 'Boxing Day', 'Substitute day'],
    ['2022-01-03', 'New Year’s Day', 'Substitute day'],
    ['2022-06-02', 'Spring bank holiday', ''],
    ['2022-06-03', 'Platinum Jubilee bank holiday', ''],
    ['2022-09-19', 'Bank Holiday for the State Funeral of Queen Elizabeth II', ''],
    ['2022-12-26', 'Boxing Day', ''],
    ['2022-12-27', 'Christmas Day', 'Substitute day'],
    ['2023-01-02', 'New Year’s Day', 'Substitute day'],
    ['2023-05-08', 'Bank holiday for the coronation of King Charles III', ''],
    ['2027-12-27', 'Christmas Day', 'Substitute day'],
    ['2027-12-28', 'Boxing Day', 'Substitute day'],
    ['2032-12-27', 'Christmas Day', 'Substitute day'],
    ['2033-01-03', 'New Year’s Day', 'Substitute day'],
    ['2040-01-02', 'New Year’s Day', 'Substitute day'],
  ])('%s is %s (%j)', (date, title, notes) => {
    const event = shippedBankHolidayEvents().find((e) => e.date === date);
    expect(event).toMatchObject({ date, title, notes });
    expect(shippedCalendar().isWorkingDay(date)).toBe(false);
  });

  it.each([
    ['2002-05-27', 'spring holiday moved to 4 June for the Golden Jubilee'],
    ['2004-12-25', 'Christmas on a Saturday: the holiday is Monday 27'],
    ['2011-01-01', 'a Saturday'],
    ['2012-05-28', 'spring holiday moved to 4 June for the Diamond Jubilee'],
    ['2015-12-26', 'Boxing Day on a Saturday: the holiday is Monday 28'],
    ['2020-05-04', 'early May holiday moved to Friday 8 May for VE Day'],
    ['2022-05-30', 'spring holiday moved to 2 June for the Platinum Jubilee'],
  ])('%s is not a bank holiday (%s)', (date) => {
    expect(shippedHolidays()).not.toContain(date);
  });

  it('keeps the 2023 early May holiday as well as the coronation', () => {
    expect(shippedHolidays()).toEqual(expect.arrayContaining(['2023-05-01', '2023-05-08']));
  });

  it.each([
    ['2002-05-27', true],
    ['2012-05-28', true],
    ['2020-05-04', true],
    ['2022-05-30', true],
    ['2011-04-28', true],
    ['2011-04-29', false],
    ['2012-06-06', true],
  ])('%s is a working day: %s', (date, isWorking) => {
    expect(shippedCalendar().isWorkingDay(date)).toBe(isWorking);
  });

  it('computes Easter Sunday for every year of the calendar (against a published table)', () => {
    for (let year = 2000; year <= 2040; year++) expect(easterSunday(year)).toBe(`${year}-${EASTER_SUNDAYS[year] ?? ''}`);
    // Extremes of the Easter range, from the same rule.
    expect(easterSunday(1818)).toBe('1818-03-22');
    expect(easterSunday(1943)).toBe('1943-04-25');
  });

  it('refuses a proclamation that moves a day the rules do not produce', () => {
    const wrong = [...PROCLAMATIONS, { kind: 'move' as const, title: 'Spring bank holiday', from: '2030-05-20', to: '2030-05-21', notes: '', why: 'test' }];
    expect(codeOf(() => englandAndWalesBankHolidays('2030-01-01', '2030-12-31', wrong))).toBe('invalid_proclamation');
  });

  it('refuses two holidays on one day', () => {
    const clash = [{ kind: 'extra' as const, event: { title: 'Clash', date: '2030-12-25', notes: '', bunting: true }, why: 'test' }];
    expect(codeOf(() => englandAndWalesBankHolidays('2030-01-01', '2030-12-31', clash))).toBe('invalid_proclamation');
  });
});

describe('reading a GOV.UK bank-holidays.json file', () => {
  const govUk = {
    'england-and-wales': {
      division: 'england-and-wales',
      events: [
        { title: 'Bank holiday for the coronation of King Charles III', date: '2023-05-08', notes: '', bunting: true },
        { title: 'New Year’s Day', date: '2023-01-02', notes: 'Substitute day', bunting: true },
      ],
    },
    scotland: { division: 'scotland', events: [{ title: 'St Andrew’s Day', date: '2023-11-30', notes: '', bunting: true }] },
    'northern-ireland': { division: 'northern-ireland', events: [] },
  };

  it('takes the England and Wales events, sorted, and ignores the other divisions', () => {
    expect(parseBankHolidaysFile(govUk).map((e) => e.date)).toEqual(['2023-01-02', '2023-05-08']);
  });

  it('round-trips through the rendered file', () => {
    const events = parseBankHolidaysFile(govUk);
    expect(parseBankHolidaysFile(JSON.parse(renderBankHolidaysFile(events)))).toEqual(events);
  });

  it.each([
    ['no England and Wales division', { scotland: govUk.scotland }],
    ['the wrong division name', { 'england-and-wales': { division: 'scotland', events: [] } }],
    ['an impossible date', { 'england-and-wales': { division: 'england-and-wales', events: [{ title: 'x', date: '2023-02-30', notes: '', bunting: true }] } }],
    ['a missing field', { 'england-and-wales': { division: 'england-and-wales', events: [{ title: 'x', date: '2023-02-01', bunting: true }] } }],
    [
      'a date listed twice',
      {
        'england-and-wales': {
          division: 'england-and-wales',
          events: [
            { title: 'x', date: '2023-02-01', notes: '', bunting: true },
            { title: 'y', date: '2023-02-01', notes: '', bunting: true },
          ],
        },
      },
    ],
    ['not an object', 'bank holidays'],
  ])('refuses %s', (_what, json) => {
    expect(codeOf(() => parseBankHolidaysFile(json))).toBe('invalid_bank_holidays_file');
  });
});
