import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../../src/domain/errors.ts';
import {
  addDays,
  daysBetween,
  formatIsoDate,
  isIsoDate,
  isoDateFromParts,
  isoDateParts,
  isoWeekday,
  parseIsoDate,
  tryParseIsoDate,
} from '../../../src/domain/calendar/iso-date.ts';

describe('ISO dates', () => {
  it.each([
    ['2023-02-28', true],
    ['2023-02-29', false],
    ['2023-02-30', false],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2023-04-31', false],
    ['2023-12-31', true],
    ['2023-13-01', false],
    ['2023-00-10', false],
    ['2023-01-00', false],
    ['0000-01-01', false],
    ['0001-01-01', true],
    ['9999-12-31', true],
    ['2023-2-3', false],
    ['2023-02-03T00:00', false],
    [' 2023-02-03', false],
    ['2023/02/03', false],
    ['20230203', false],
    ['2023-02-0a', false],
    ['', false],
  ])('%j is a real date: %s', (text, isValid) => {
    expect(isIsoDate(text)).toBe(isValid);
  });

  it('refuses an impossible date with DomainError invalid_date', () => {
    expect(() => parseIsoDate('2023-02-30', 'received')).toThrow(DomainError);
    try {
      parseIsoDate('2023-02-30', 'received');
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_date', field: 'received' });
    }
  });

  it('counts days from 1970-01-01 exactly as Date.UTC does, and formats them back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (year, month, day) => {
        const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const utc = new Date(0);
        utc.setUTCFullYear(year, month - 1, day);
        const isReal = utc.getUTCMonth() === month - 1;
        const parsed = tryParseIsoDate(text);
        expect(parsed !== undefined).toBe(isReal);
        if (parsed !== undefined) {
          expect(parsed).toBe(Math.floor(utc.getTime() / 86_400_000));
          expect(formatIsoDate(parsed)).toBe(text);
          expect(isoDateParts(text)).toEqual({ year, month, day });
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('knows the weekday', () => {
    expect(isoWeekday('1970-01-01')).toBe(4); // Thursday
    expect(isoWeekday('2020-01-04')).toBe(6); // Saturday
    expect(isoWeekday('2020-01-05')).toBe(7); // Sunday
    expect(isoWeekday('2020-01-06')).toBe(1); // Monday
    expect(isoWeekday('1969-12-29')).toBe(1); // Monday, before day 0
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2020-12-31', 1)).toBe('2021-01-01');
    expect(addDays('2021-01-01', -1)).toBe('2020-12-31');
    expect(daysBetween('2020-01-04', '2020-02-03')).toBe(30);
    expect(isoDateFromParts(2012, 6, 5)).toBe('2012-06-05');
    expect(() => isoDateFromParts(2023, 2, 30)).toThrow(DomainError);
  });
});
