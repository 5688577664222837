import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TIMESCALE_BANDS, reportPeriod, reportYearLabel, reportYearOf, timescaleBand, zeroCounts } from '../../../src/domain/reports/annual-report.ts';
import { consistencyChecks } from '../../../src/domain/reports/annual-report-checks.ts';
import { DomainError } from '../../../src/domain/errors.ts';

describe('timescale bands', () => {
  it.each([
    [0, '0-10'],
    [10, '0-10'],
    [11, '11-20'],
    [20, '11-20'],
    [21, '21-25'],
    [25, '21-25'],
    [26, '26-30'],
    [30, '26-30'],
    [31, '31+'],
    [250, '31+'],
  ])('%i working days is in band %s', (days, band) => {
    expect(timescaleBand(days)).toBe(band);
  });

  it('refuses negative or fractional working days', () => {
    expect(() => timescaleBand(-1)).toThrow(DomainError);
    expect(() => timescaleBand(1.5)).toThrow(DomainError);
  });

  it('puts every whole number of days in exactly one band, in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), (days) => {
        const band = TIMESCALE_BANDS.indexOf(timescaleBand(days));
        return band >= 0 && (days === 0 || TIMESCALE_BANDS.indexOf(timescaleBand(days - 1)) <= band);
      }),
    );
  });
});

describe('the reporting year', () => {
  it('runs from 1 April to 31 March', () => {
    expect(reportPeriod(2011, '2012-06-30')).toEqual({ from: '2011-04-01', to: '2012-03-31', label: '2011/12', as_at: '2012-06-30' });
    expect(reportYearLabel(1999)).toBe('1999/00');
    expect(reportYearOf('2012-03-31')).toBe(2011);
    expect(reportYearOf('2012-04-01')).toBe(2012);
  });

  it('refuses a year outside the calendar and a date that is not one', () => {
    expect(() => reportPeriod(1990, '2012-06-30')).toThrow(expect.objectContaining({ code: 'invalid_report_year' }));
    expect(() => reportPeriod(2011.5, '2012-06-30')).toThrow(expect.objectContaining({ code: 'invalid_report_year' }));
    expect(() => reportPeriod(2011, '2012-02-30')).toThrow(expect.objectContaining({ code: 'invalid_as_at' }));
  });
});

describe('consistency checks', () => {
  it('fail when the outcomes do not add up to the complaints received', () => {
    const figures = {
      schema: 'redress.annual-report/1',
      period: reportPeriod(2011, '2012-06-30'),
      children_statutory: {
        received: 10,
        young_people: 8,
        by_complainant_role: { ...zeroCounts(['child', 'advocate', 'parent', 'relative', 'foster_carer', 'special_guardian', 'adopter', 'care_leaver', 'iro', 'professional', 'other'] as const), parent: 10 },
        by_team: { Fostering: 10 },
        by_channel: { ...zeroCounts(['leaflet', 'telephone', 'letter', 'email', 'online', 'in_person', 'other'] as const), email: 10 },
        via_complaints_team: 10,
        issues: {},
        by_ethnicity: zeroCounts(['WBRI'] as const),
        advocacy: { offered: 1, accepted: 1 },
        stage1: {
          responded: 8,
          withdrawn: 1,
          escalated_without_response: 0,
          open: 2,
          extended: 0,
          findings: { upheld: 8, partially_upheld: 0, not_upheld: 0, service_provided: 0, resolution_meeting_offered: 0 },
          remedies: zeroCounts(['explanation'] as const),
          timescales: { '0-10': 8, '11-20': 0, '21-25': 0, '26-30': 0, '31+': 0 },
          delay_reasons: zeroCounts(['other'] as const),
        },
        stage2: { requested: 0, responded: 0, cost_gbp: 0 },
        stage3: { requested: 0, panels_held: 0 },
      },
      corporate: { received: 0 },
      informal: { received: 0, by_team: {} },
      other_agency: { received: 0 },
      comments: { received: 0 },
      compliments: { received: 0, by_team: {}, by_source: zeroCounts(['judge'] as const) },
      ombudsman: { enquiries: 0, decisions: zeroCounts(['upheld'] as const) },
      adverse_contacts: 10,
      history: [],
    } as unknown as Parameters<typeof consistencyChecks>[0];
    const checks = consistencyChecks(figures);
    expect(checks.filter((c) => !c.holds).map((c) => c.id)).toEqual(['stage1_outcomes_add_up']);
    expect(checks.find((c) => c.id === 'stage1_outcomes_add_up')?.detail).toBe('10 = 8 + 1 + 0 + 2 (11)');
  });
});
