import { describe, expect, it } from 'vitest';
import { shippedCalendar } from '../../../src/domain/calendar/shipped-holidays.ts';
import {
  INDEPENDENCE_DECLARATIONS,
  type PanelMember,
  checkAdjudication,
  checkIndependence,
  checkPanel,
  stage3RequestRefusal,
  decideRequest,
  overallFinding,
  requestTiming,
  requestWindowEndsOn,
} from '../../../src/domain/cases/later-stages.ts';
import { codeOf } from '../../support/domain-errors.ts';

const calendar = shippedCalendar();

describe('the window to ask for the next stage', () => {
  it('ends on working day 20 after the response, across the Christmas bank holidays (worked by hand)', () => {
    // Response Friday 11 December 2026. Working days: 14–18 Dec (5), 21–24 Dec (9), 29–31 Dec (12),
    // 1 Jan is New Year's Day, 4–8 Jan (17), 11–13 Jan (20): the window ends Wednesday 13 January 2027.
    expect(requestTiming(calendar, '2026-12-11', '2027-01-13')).toEqual({ windowEndsOn: '2027-01-13', isLate: false, workingDaysLate: 0 });
    expect(requestTiming(calendar, '2026-12-11', '2027-01-15')).toEqual({ windowEndsOn: '2027-01-13', isLate: true, workingDaysLate: 2 });
  });

  it('counts from the response itself when it went out on a non-working day (day 0 is its date, whatever day it is)', () => {
    // Saturday 28 November 2026 is day 0. Working days: 30 Nov (1), 1–4 Dec (5), 7–11 (10),
    // 14–18 (15), 21–24 (19); 25 and 28 December are holidays; 29 (20).
    expect(requestTiming(calendar, '2026-11-28', '2026-12-29')).toEqual({ windowEndsOn: '2026-12-29', isLate: false, workingDaysLate: 0 });
    expect(requestTiming(calendar, '2026-11-28', '2026-12-30')).toEqual({ windowEndsOn: '2026-12-29', isLate: true, workingDaysLate: 1 });
    // The window is the request window clock's, as the clock engine works it out: the same for Stage 3.
    expect(requestWindowEndsOn(calendar, 2, '2026-11-28')).toBe('2026-12-29');
    expect(requestWindowEndsOn(calendar, 3, '2026-11-28')).toBe('2026-12-29');
  });

  it('refuses a request dated before the response', () => {
    expect(codeOf(() => requestTiming(calendar, '2026-12-11', '2026-12-10'))).toBe('request_before_response');
  });

  it('never refuses a late request without a recorded decision with reasons', () => {
    const late = requestTiming(calendar, '2026-12-11', '2027-02-01');
    expect(codeOf(() => decideRequest(late, undefined))).toBe('missing_late_decision');
    expect(codeOf(() => decideRequest(late, { outcome: 'refused', reason: ' ' }))).toBe('missing_late_reason');
    expect(decideRequest(late, { outcome: 'refused', reason: 'Two years late, and the worker has left', decidedOn: '2027-02-02' })).toBe(false);
    expect(decideRequest(late, { outcome: 'accepted', reason: 'The complainant was in hospital', decidedOn: '2027-02-02' })).toBe(true);
  });

  it('takes a request in time without a decision, and refuses a decision it does not need', () => {
    const inTime = requestTiming(calendar, '2026-12-11', '2026-12-14');
    expect(decideRequest(inTime, undefined)).toBe(true);
    expect(codeOf(() => decideRequest(inTime, { outcome: 'accepted', reason: 'x' }))).toBe('late_decision_not_needed');
  });

  it('refuses a Stage 3 request before a Stage 2 response', () => {
    expect(stage3RequestRefusal(undefined)?.code).toBe('stage3_before_stage2_response');
    expect(stage3RequestRefusal('2027-03-01')).toBeUndefined();
  });
});

describe('independence', () => {
  const declared = { declarations: [...INDEPENDENCE_DECLARATIONS], declaredOn: '2027-01-04' };
  const member = (personKey: string, isChair = false): PanelMember => ({ personKey, isChair, ...declared });

  it('needs every declaration, and its date', () => {
    expect(() => { checkIndependence({ personKey: 'ip-1', ...declared }); }).not.toThrow();
    expect(codeOf(() => { checkIndependence({ personKey: 'ip-1', declarations: ['not_member', 'not_officer'], declaredOn: '2027-01-04' }); })).toBe('independence_not_declared');
    expect(codeOf(() => { checkIndependence({ personKey: 'ip-1', declarations: [...INDEPENDENCE_DECLARATIONS] }); })).toBe('missing_declared_on');
  });

  it('accepts a panel of three independent people with one chair', () => {
    expect(() => { checkPanel([member('a', true), member('b'), member('c')], 'ip-1'); }).not.toThrow();
  });

  it.each([
    ['two members', [member('a', true), member('b')], 'panel_size'],
    ['the same person twice', [member('a', true), member('a'), member('c')], 'panel_member_repeated'],
    ['no chair', [member('a'), member('b'), member('c')], 'panel_chair'],
    ['two chairs', [member('a', true), member('b', true), member('c')], 'panel_chair'],
    ['the Stage 2 Independent Person', [member('a', true), member('ip-1'), member('c')], 'panel_includes_stage2_independent_person'],
    ['someone not declared independent', [member('a', true), member('b'), { personKey: 'c', isChair: false, declarations: ['not_member'], declaredOn: '2027-01-04' }], 'independence_not_declared'],
  ] as const)('refuses a panel with %s', (_name, members, code) => {
    expect(codeOf(() => { checkPanel(members, 'ip-1'); })).toBe(code);
  });
});

describe('adjudication', () => {
  const points = [
    { number: 1, text: 'Contact was cancelled without notice' },
    { number: 2, text: 'Calls were not returned' },
  ];

  it('needs a finding for every point of the complaint', () => {
    expect(codeOf(() => { checkAdjudication(points, new Map([[1, 'upheld']])); })).toBe('adjudication_without_findings');
    expect(codeOf(() => { checkAdjudication(points, new Map()); })).toBe('adjudication_without_findings');
    expect(codeOf(() => { checkAdjudication([], new Map()); })).toBe('no_complaint_points');
    expect(codeOf(() => { checkAdjudication(points, new Map([[1, 'upheld'], [2, 'upheld'], [3, 'upheld']])); })).toBe('finding_for_unknown_point');
    expect(() => { checkAdjudication(points, new Map([[1, 'upheld'], [2, 'not_upheld']])); }).not.toThrow();
  });

  it('sums the points up as upheld, not upheld or partially upheld', () => {
    expect(overallFinding(['upheld', 'upheld'])).toBe('upheld');
    expect(overallFinding(['not_upheld', 'not_upheld'])).toBe('not_upheld');
    expect(overallFinding(['upheld', 'not_upheld'])).toBe('partially_upheld');
    expect(overallFinding(['partially_upheld'])).toBe('partially_upheld');
    expect(overallFinding([])).toBeUndefined();
  });
});
