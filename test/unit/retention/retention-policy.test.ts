import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, formatIsoDate, parseIsoDate } from '../../../src/domain/calendar/iso-date.ts';
import { addYears, disposalDueOn, financialYearEnd } from '../../../src/domain/retention/retention-policy.ts';
import { parseCouncilSettingText } from '../../../src/domain/procedures/council-setting-names.ts';
import { DEFAULT_COUNCIL_SETTINGS, validateCouncilSettings } from '../../../src/domain/procedures/council-settings.ts';

const POLICY = { yearsAfterClosure: 6, minimumAge: 25 };

describe('when a closed case is due for disposal', () => {
  it.each([
    // closed on, born on, due on, because of
    ['2020-06-10', null, '2027-04-01', 'closure'],
    ['2021-03-31', null, '2027-04-01', 'closure'],
    ['2021-04-01', null, '2028-04-01', 'closure'],
    ['2026-01-15', '2000-05-05', '2032-04-01', 'closure'],
    ['2026-01-15', '2008-01-01', '2033-01-01', 'age'],
    ['2026-01-15', '2008-02-29', '2033-03-01', 'age'],
    ['2026-01-15', '2007-04-01', '2032-04-01', 'closure'], // 25 on the very day: either way the same day
  ] as const)('closed %s, born %s: due %s (%s)', (closedOn, bornOn, dueOn, basis) => {
    expect(disposalDueOn(closedOn, bornOn, POLICY)).toEqual({ dueOn, basis });
  });

  it('follows a longer council policy', () => {
    expect(disposalDueOn('2020-06-10', '2019-01-01', { yearsAfterClosure: 10, minimumAge: 75 })).toEqual({ dueOn: '2094-01-01', basis: 'age' });
    expect(disposalDueOn('2020-06-10', null, { yearsAfterClosure: 10, minimumAge: 25 })).toEqual({ dueOn: '2031-04-01', basis: 'closure' });
  });

  it('is never before the financial year’s end plus the years, nor before the young person’s birthday at the age', () => {
    const day = fc.integer({ min: parseIsoDate('1990-01-01'), max: parseIsoDate('2060-12-31') }).map(formatIsoDate);
    fc.assert(
      fc.property(day, fc.option(day, { nil: null }), fc.integer({ min: 6, max: 40 }), fc.integer({ min: 25, max: 90 }), (closedOn, bornOn, years, age) => {
        const { dueOn } = disposalDueOn(closedOn, bornOn, { yearsAfterClosure: years, minimumAge: age });
        expect(dueOn > addYears(financialYearEnd(closedOn), years)).toBe(true);
        expect(dueOn.slice(5)).toBe(bornOn === null || addYears(bornOn, age) <= addDays(addYears(financialYearEnd(closedOn), years), 1) ? '04-01' : addYears(bornOn, age).slice(5));
        if (bornOn !== null) expect(dueOn >= addYears(bornOn, age)).toBe(true);
        expect(dueOn > closedOn).toBe(true);
      }),
    );
  });
});

describe('the retention settings', () => {
  it('default to six years after the financial year and the 25th birthday', () => {
    expect(DEFAULT_COUNCIL_SETTINGS).toMatchObject({ retentionYearsAfterClosure: 6, retentionMinimumAge: 25 });
  });

  it('refuse a policy shorter than the law allows, saying why', () => {
    expect(() => validateCouncilSettings({ retentionYearsAfterClosure: 5 })).toThrow(/retentionYearsAfterClosure cannot be less than 6: .*end of the financial year/);
    expect(() => validateCouncilSettings({ retentionMinimumAge: 24 })).toThrow(/cannot be less than 25: .*25th birthday/);
    expect(() => parseCouncilSettingText('retentionYearsAfterClosure', '3')).toThrow('retention-years-after-closure must be at least 6');
    expect(() => parseCouncilSettingText('retentionMinimumAge', '18')).toThrow('retention-minimum-age must be at least 25');
    expect(() => parseCouncilSettingText('retentionMinimumAge', 'old')).toThrow('a whole number of years of age from 25 to 120');
    expect(parseCouncilSettingText('retentionYearsAfterClosure', '10')).toBe(10);
  });
});
