import { describe, expect, it } from 'vitest';
import { InputProblems } from '../../../src/domain/errors.ts';
import { asHistoryYear, checkHistoryYear, hasHistoryCounts, parseHistoryFigures } from '../../../src/domain/interchange/history-totals.ts';

describe('yearly totals entered by hand', () => {
  it('reads whole numbers (commas allowed), empty as not entered, and leaves out what was not given', () => {
    expect(parseHistoryFigures({ childrenStatutory: '104', informal: ' 1,045 ', corporate: '' })).toEqual({ childrenStatutory: 104, informal: 1045, corporate: null });
  });

  it('names every figure that is not a whole number', () => {
    let caught: unknown;
    try {
      parseHistoryFigures({ childrenStatutory: '-1', compliments: '2.5', newReferrals: '7' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputProblems);
    expect((caught as InputProblems).problems.map((p) => [p.code, p.field])).toEqual([
      ['invalid_history_figure', 'children_statutory'],
      ['invalid_history_figure', 'compliments'],
    ]);
  });

  it('gives the annual report’s history year, each figure entered replacing the records’ count, and refuses a year out of range', () => {
    const totals = { year: 2009, version: 1, childrenStatutory: 104, informal: null, corporate: 5, compliments: 56, newReferrals: 900, casesWorked: null };
    expect(asHistoryYear(totals)).toEqual({ label: '2009/10', children_statutory: 104, informal: 0, corporate: 5, compliments: 56 });
    const records = { label: '2009/10', children_statutory: 1, informal: 3, corporate: 0, compliments: 0 };
    expect(asHistoryYear(totals, records)).toEqual({ label: '2009/10', children_statutory: 104, informal: 3, corporate: 5, compliments: 56 });
    expect(hasHistoryCounts({ ...totals, childrenStatutory: null, corporate: null, compliments: null })).toBe(false);
    expect(checkHistoryYear(1990)).toBe(1990);
    expect(() => checkHistoryYear(1989)).toThrow('The year must be a whole year from 1990 to 2039');
  });
});
