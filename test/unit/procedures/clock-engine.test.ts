import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../../src/domain/errors.ts';
import { formatIsoDate, parseIsoDate } from '../../../src/domain/calendar/iso-date.ts';
import { shippedCalendar } from '../../../src/domain/calendar/shipped-holidays.ts';
import { RECEIPT_RULES, type ReceiptRule, deadline, workingDaysTaken } from '../../../src/domain/calendar/counting-rule.ts';
import { type ClockEvents, type ClockExtension, type ClockPause, computeClock } from '../../../src/domain/clocks/clock-engine.ts';
import { clockDefinition } from '../../../src/domain/procedures/procedure-definitions.ts';
import { codeOf } from '../../support/domain-errors.ts';

const calendar = shippedCalendar();
const stage1 = clockDefinition('children_statutory', 'stage1_response');
const stage2 = clockDefinition('children_statutory', 'stage2_response');
const acknowledgement = clockDefinition('children_statutory', 'acknowledgement');
const window = clockDefinition('children_statutory', 'stage2_request_window');
const adultResponse = clockDefinition('adult_statutory', 'response');
const corporateStage1 = clockDefinition('corporate', 'stage1_response');
const corporateStage2 = clockDefinition('corporate', 'stage2_response');
/** What the clock service stamps on a corporate clock started while the council's policy allows pauses. */
const policy = (maxPausedWorkingDays = 20): Pick<ClockEvents, 'maxPausedWorkingDays'> => ({ maxPausedWorkingDays });

const told = (on: string, extra: Partial<ClockExtension> = {}): ClockExtension => ({ reason: 'complex, several teams', complainantToldOn: on, ...extra });


describe('clock engine: hand-worked scenarios', () => {
  // Stage 1 received Thursday 21 April 2011: Good Friday 22, Easter Monday 25, royal wedding
  // Friday 29 April and early May Monday 2 May all fall inside it.
  // Working days after day 0: 26, 27, 28 Apr, 3, 4, 5, 6, 9, 10, 11 May → due Wednesday 11 May.
  const easter2011: ClockEvents = { startedOn: '2011-04-21' };

  it.each([
    ['2011-04-21', 'running', 0, 10],
    ['2011-04-29', 'running', 3, 7],
    ['2011-05-05', 'running', 6, 4],
    ['2011-05-06', 'due_soon', 7, 3],
    ['2011-05-11', 'due_soon', 10, 0],
    ['2011-05-12', 'missed', 11, -1],
  ])('Stage 1 from 21 Apr 2011, as at %s: %s, %i used, %i left', (asAt, state, used, remaining) => {
    expect(computeClock(stage1, calendar, easter2011, asAt)).toMatchObject({
      state,
      dayZero: '2011-04-21',
      dueDate: '2011-05-11',
      workingDaysUsed: used,
      workingDaysRemaining: remaining,
      totalWorkingDays: 10,
    });
  });

  it('is met when stopped on the due date, missed the working day after', () => {
    expect(computeClock(stage1, calendar, { ...easter2011, stoppedOn: '2011-05-11' }, '2011-06-30')).toMatchObject({ state: 'met', workingDaysUsed: 10, workingDaysRemaining: 0, stoppedOn: '2011-05-11' });
    expect(computeClock(stage1, calendar, { ...easter2011, stoppedOn: '2011-05-12' }, '2011-06-30')).toMatchObject({ state: 'missed', workingDaysUsed: 11 });
    // As at a date before the stop, the stop has not happened yet.
    expect(computeClock(stage1, calendar, { ...easter2011, stoppedOn: '2011-05-11' }, '2011-05-06')).toMatchObject({ state: 'due_soon', workingDaysUsed: 7 });
  });

  it('counts a stop on the Saturday after a Friday deadline as made on the Monday: missed, 1 working day late', () => {
    // Received Friday 3 January 2020 (day 0): working days 6–10 and 13–17 January → due Friday 17 January.
    const friday = { startedOn: '2020-01-03' };
    expect(computeClock(stage1, calendar, friday, '2020-01-03').dueDate).toBe('2020-01-17');
    expect(computeClock(stage1, calendar, { ...friday, stoppedOn: '2020-01-17' }, '2020-02-01')).toMatchObject({ state: 'met', workingDaysUsed: 10, workingDaysRemaining: 0 });
    // Saturday 18 counts as made on Monday 20, working day 11: as "working days taken" says.
    expect(computeClock(stage1, calendar, { ...friday, stoppedOn: '2020-01-18' }, '2020-02-01')).toMatchObject({ state: 'missed', workingDaysUsed: 11, workingDaysRemaining: -1, stoppedOn: '2020-01-18' });
    expect(workingDaysTaken(calendar, '2020-01-03', '2020-01-18', 'statutory')).toBe(11);
    expect(computeClock(stage1, calendar, { ...friday, stoppedOn: '2020-01-19' }, '2020-02-01')).toMatchObject({ state: 'missed', workingDaysUsed: 11 });
    expect(computeClock(stage1, calendar, { ...friday, stoppedOn: '2020-01-20' }, '2020-02-01')).toMatchObject({ state: 'missed', workingDaysUsed: 11 });
  });

  it('extends Stage 1 to 20 working days (Easter 2011): due Wednesday 25 May, before the spring holiday', () => {
    const extended = { ...easter2011, extensions: [told('2011-05-05', { newTotalWorkingDays: 20 })] };
    expect(computeClock(stage1, calendar, extended, '2011-05-12')).toMatchObject({
      state: 'running',
      dueDate: '2011-05-25',
      baseWorkingDays: 10,
      totalWorkingDays: 20,
      workingDaysUsed: 11,
      workingDaysRemaining: 9,
      isExtended: true,
    });
    // The same by extra days, in two steps.
    const twoSteps = { ...easter2011, extensions: [told('2011-05-05', { extraWorkingDays: 4 }), told('2011-05-10', { extraWorkingDays: 6 })] };
    expect(computeClock(stage1, calendar, twoSteps, '2011-05-12').dueDate).toBe('2011-05-25');
    // As at a day before the extension was told, it had not been granted.
    expect(computeClock(stage1, calendar, extended, '2011-05-04')).toMatchObject({ dueDate: '2011-05-11', isExtended: false });
    // Told on the due date itself is in time.
    expect(computeClock(stage1, calendar, { ...easter2011, extensions: [told('2011-05-11', { extraWorkingDays: 10 })] }, '2011-05-12').state).toBe('running');
  });

  it('holds Stage 1 across the June 2012 jubilee: a Children Act hold leaves the due date where it was', () => {
    // Received Monday 21 May 2012; 28 May was a working day that year (the spring holiday moved
    // to Monday 4 June), 4 and 5 June (the Diamond Jubilee) were not.
    // Working days after day 0: 22, 23, 24, 25, 28, 29, 30, 31 May, 1, 6 June → due Wednesday 6 June.
    const start = { startedOn: '2012-05-21' };
    expect(computeClock(stage1, calendar, start, '2012-05-21').dueDate).toBe('2012-06-06');
    // On hold from Wednesday 23 to Friday 25: the 2006 Regulations have no pause, so Thursday 24
    // and Friday 25 still count. As at Friday 1 June: 9 used (22 May–1 June), 1 left.
    const held = { ...start, pauses: [{ from: '2012-05-23', to: '2012-05-25', reason: 'waiting for the complainant' }] };
    expect(computeClock(stage1, calendar, held, '2012-06-01')).toMatchObject({
      state: 'due_soon',
      dueDate: '2012-06-06',
      pausedWorkingDays: 0,
      workingDaysUsed: 9,
      workingDaysRemaining: 1,
      isOnHold: false,
    });
    // While the hold runs (as at Thursday 24: 22, 23, 24 used) it is shown, but the clock runs on.
    expect(computeClock(stage1, calendar, held, '2012-05-24')).toMatchObject({ state: 'running', isOnHold: true, workingDaysUsed: 3, pausedWorkingDays: 0, dueDate: '2012-06-06' });
    // The day it ends, the hold is over.
    expect(computeClock(stage1, calendar, held, '2012-05-25')).toMatchObject({ state: 'running', isOnHold: false, workingDaysUsed: 4 });
    // A hold with no end, as at Thursday 7 June: on hold, and missed (11 used: 22 May–1 June, 6, 7 June).
    const open = { ...start, pauses: [{ from: '2012-05-23', reason: 'waiting for the complainant' }] };
    expect(computeClock(stage1, calendar, open, '2012-06-07')).toMatchObject({ state: 'missed', isOnHold: true, pausedWorkingDays: 0, workingDaysUsed: 11, dueDate: '2012-06-06' });
    // A response the day after the deadline is late, whatever the hold (the response ends it).
    const answered = { ...start, pauses: [{ from: '2012-05-23', to: '2012-06-07', reason: 'waiting' }], stoppedOn: '2012-06-07' };
    expect(computeClock(stage1, calendar, answered, '2012-06-30')).toMatchObject({ state: 'missed', workingDaysUsed: 11, isOnHold: false });
    // A policy maximum stamped on a Children Act clock changes nothing: it cannot pause.
    expect(computeClock(stage1, calendar, { ...open, ...policy() }, '2012-06-07')).toMatchObject({ state: 'missed', pausedWorkingDays: 0, dueDate: '2012-06-06' });
  });

  it('pauses a corporate Stage 1 across the June 2012 jubilee where the policy allows: two paused working days move the deadline two working days', () => {
    // Acknowledged Monday 21 May 2012: the same 10 working days → due Wednesday 6 June.
    const start = { startedOn: '2012-05-21', ...policy() };
    expect(computeClock(corporateStage1, calendar, start, '2012-05-21').dueDate).toBe('2012-06-06');
    // Paused on Wednesday 23 and resumed on Friday 25: the working days after 23 up to and
    // including 25 — Thursday 24 and Friday 25 — do not count. Due: 6 June + 2 working days =
    // Thursday 7, Friday 8 June. As at 1 June: 9 working days after day 0, less 2 = 7 used, 3 left.
    const paused = { ...start, pauses: [{ from: '2012-05-23', to: '2012-05-25', reason: 'waiting for the complainant' }] };
    expect(computeClock(corporateStage1, calendar, paused, '2012-06-01')).toMatchObject({
      state: 'due_soon',
      dueDate: '2012-06-08',
      pausedWorkingDays: 2,
      workingDaysUsed: 7,
      workingDaysRemaining: 3,
      isOnHold: false,
    });
    // While paused (as at Thursday 24: the end is in the future, so the pause is running): 24 is
    // paused, 22 and 23 used; the due date shown assumes the clock restarts the next working day.
    expect(computeClock(corporateStage1, calendar, paused, '2012-05-24')).toMatchObject({ state: 'paused', isOnHold: true, workingDaysUsed: 2, pausedWorkingDays: 1, dueDate: '2012-06-07' });
    // On the day it resumes the clock runs again.
    expect(computeClock(corporateStage1, calendar, paused, '2012-05-25')).toMatchObject({ state: 'running', isOnHold: false, pausedWorkingDays: 2, workingDaysUsed: 2 });
    // A pause with no end, as at 6 June: 24, 25, 28–31 May, 1 and 6 June paused (8), still 2
    // used. Due: day 0 + 18 working days = 22 May–1 June (9), 6, 7, 8 (12), 11–15 (17), Monday 18 June.
    const open = { ...start, pauses: [{ from: '2012-05-23', reason: 'waiting for the complainant' }] };
    expect(computeClock(corporateStage1, calendar, open, '2012-06-06')).toMatchObject({ state: 'paused', isOnHold: true, pausedWorkingDays: 8, workingDaysUsed: 2, dueDate: '2012-06-18' });
    // A pause from F to F removes nothing.
    const sameDay = { ...start, pauses: [{ from: '2012-05-23', to: '2012-05-23', reason: 'a call' }] };
    expect(computeClock(corporateStage1, calendar, sameDay, '2012-06-01').dueDate).toBe('2012-06-06');
  });

  it('caps the working days a corporate clock is paused at the policy maximum', () => {
    // The same open pause from Wednesday 23 May 2012 with a maximum of 3: of the 8 working days
    // held by 6 June only 24, 25 and 28 May are paused. Used: 10 working days after day 0 up to
    // 6 June, less 3 = 7; 3 left. Due: day 0 + 13 = 22 May–1 June (9), 6, 7, 8 June (12), Monday 11 June.
    // Once the maximum is reached the clock runs again, though the hold goes on.
    const open = { startedOn: '2012-05-21', ...policy(3), pauses: [{ from: '2012-05-23', reason: 'waiting for the complainant' }] };
    expect(computeClock(corporateStage1, calendar, open, '2012-06-06')).toMatchObject({
      state: 'due_soon',
      isOnHold: true,
      pausedWorkingDays: 3,
      workingDaysUsed: 7,
      workingDaysRemaining: 3,
      dueDate: '2012-06-11',
    });
    // Before the maximum is reached (as at 25 May: 24 and 25 paused) it is paused.
    expect(computeClock(corporateStage1, calendar, open, '2012-05-25')).toMatchObject({ state: 'paused', pausedWorkingDays: 2 });
    // The cap is across all pauses: 24–25 May (2), then 29 May–1 June (30, 31 May and 1 June held, but only
    // 1 more may be paused).
    // Due: 6 June + 3 = 7, 8, Monday 11 June.
    const two = {
      startedOn: '2012-05-21',
      ...policy(3),
      pauses: [
        { from: '2012-05-23', to: '2012-05-25', reason: 'waiting' },
        { from: '2012-05-29', to: '2012-06-01', reason: 'waiting again' },
      ],
    };
    expect(computeClock(corporateStage1, calendar, two, '2012-06-01')).toMatchObject({ pausedWorkingDays: 3, dueDate: '2012-06-11' });
  });

  it('a hold on a corporate clock without a policy maximum does not move it', () => {
    // Corporate Stage 1 acknowledged Thursday 21 April 2011: working days after day 0 are 26, 27,
    // 28 April (22, 25, 29 April and 2 May were bank holidays), 3, 4, 5, 6, 9, 10, 11 May → due
    // Wednesday 11 May. A hold on 26–27 April with no policy (or a policy of 0) is only shown.
    const held = { startedOn: '2011-04-21', pauses: [{ from: '2011-04-26', to: '2011-04-27', reason: 'waiting' }] };
    expect(computeClock(corporateStage1, calendar, held, '2011-05-04')).toMatchObject({ state: 'running', dueDate: '2011-05-11', pausedWorkingDays: 0, workingDaysUsed: 5 });
    expect(computeClock(corporateStage1, calendar, { ...held, maxPausedWorkingDays: 0 }, '2011-05-04')).toMatchObject({ dueDate: '2011-05-11', pausedWorkingDays: 0 });
    // With the policy it pauses: Wednesday 27 April is paused (the day after the pause starts up
    // to its end), so the due date moves one working day to Thursday 12 May; 4 used as at 4 May.
    expect(computeClock(corporateStage1, calendar, { ...held, ...policy() }, '2011-05-04')).toMatchObject({ dueDate: '2011-05-12', pausedWorkingDays: 1, workingDaysUsed: 4 });
    // With a maximum of 1, a longer pause (26 April–4 May: 27, 28 April, 3, 4 May held) pauses 1.
    const longer = { startedOn: '2011-04-21', ...policy(1), pauses: [{ from: '2011-04-26', to: '2011-05-04', reason: 'waiting' }] };
    expect(computeClock(corporateStage1, calendar, longer, '2011-05-05')).toMatchObject({ dueDate: '2011-05-12', pausedWorkingDays: 1 });
  });

  it('holds Stage 2 across Easter 2011 and the royal wedding: the Children Act date stands, the corporate one moves', () => {
    // Statement agreed Friday 15 April 2011. Working days after day 0: 18, 19, 20, 21 April (4),
    // [22 Good Friday, 25 Easter Monday], 26, 27, 28 (7), [29 royal wedding, 2 May early May],
    // 3–6 May (11), 9–13 (16), 16–19 (20), 20, 23, 24, 25, 26 May (25) → due Thursday 26 May.
    const agreed = { startedOn: '2011-04-15' };
    expect(computeClock(stage2, calendar, agreed, '2011-04-15').dueDate).toBe('2011-05-26');
    // On hold Wednesday 20 April to Tuesday 3 May: shown, but nothing moves. As at 4 May: 9 used
    // (18, 19, 20, 21, 26, 27, 28 April, 3, 4 May).
    const hold = { pauses: [{ from: '2011-04-20', to: '2011-05-03', reason: 'investigating officer unavailable' }] };
    expect(computeClock(stage2, calendar, { ...agreed, ...hold }, '2011-05-04')).toMatchObject({ dueDate: '2011-05-26', pausedWorkingDays: 0, workingDaysUsed: 9 });
    // Corporate Stage 2 (20 working days) acknowledged the same day: due Thursday 19 May (working
    // day 20 above). Paused over the same dates with the policy: 21, 26, 27, 28 April and 3 May are
    // paused (5), so the due date moves 5 working days — 20, 23, 24, 25, 26 May — to Thursday 26
    // May, and as at 4 May 9 − 5 = 4 working days are used.
    expect(computeClock(corporateStage2, calendar, agreed, '2011-04-15').dueDate).toBe('2011-05-19');
    expect(computeClock(corporateStage2, calendar, { ...agreed, ...policy(), ...hold }, '2011-05-04')).toMatchObject({ dueDate: '2011-05-26', pausedWorkingDays: 5, workingDaysUsed: 4 });
  });

  it('counts nothing before day 0, paused or not', () => {
    // Corporate Stage 1 acknowledged Saturday 4 Jan 2020, paused that day until Tuesday 7.
    // next_working_day: day 0 is Monday 6, so only Tuesday 7 is paused; 0 used as at the 7th; due
    // Monday 20 January (working day 10 after 6 Jan) + 1 = Tuesday 21.
    const events = { startedOn: '2020-01-04', ...policy(), pauses: [{ from: '2020-01-04', to: '2020-01-07', reason: 'consent check' }] };
    expect(computeClock(corporateStage1, calendar, { ...events, receiptRule: 'next_working_day' }, '2020-01-07')).toMatchObject({
      dayZero: '2020-01-06',
      pausedWorkingDays: 1,
      workingDaysUsed: 0,
      dueDate: '2020-01-21',
    });
    // statutory: day 0 is Saturday 4, so Monday 6 and Tuesday 7 are paused; 0 used; due Friday
    // 17 January (working day 10 after 4 Jan) + 2 = Tuesday 21.
    expect(computeClock(corporateStage1, calendar, events, '2020-01-07')).toMatchObject({
      dayZero: '2020-01-04',
      receiptRule: 'statutory',
      pausedWorkingDays: 2,
      workingDaysUsed: 0,
      dueDate: '2020-01-21',
    });
  });

  it.each([
    ['children acknowledgement, 2 working days from Friday 23 Dec 2022', '2022-12-29', acknowledgement, '2022-12-23'],
    ['children acknowledgement set to 5 days', '2023-01-04', clockDefinition('children_statutory', 'acknowledgement', { childrenAcknowledgementDays: 5 }), '2022-12-23'],
    ['Stage 2 from 25 May 2022, across the Platinum Jubilee', '2022-07-01', stage2, '2022-05-25'],
    ['Stage 2 request window from the Friday before the 2022 state funeral', '2022-10-17', window, '2022-09-16'],
    ['adult response, 6 months from Monday 15 Jan 2024 (period ends Sunday 14 Jul)', '2024-07-12', adultResponse, '2024-01-15'],
    ['adult response, 6 months ending on Christmas Day 2023', '2023-12-22', adultResponse, '2023-06-26'],
    ['adult response, 6 months from 31 Aug 2023 (no 31 Feb: ends 29 Feb)', '2024-02-29', adultResponse, '2023-08-31'],
    ['adult response, council default of 3 months', '2024-04-12', clockDefinition('adult_statutory', 'response', { adultResponseMonths: 3 }), '2024-01-15'],
    ['corporate Stage 1 from acknowledgement, 10 working days', '2023-05-22', corporateStage1, '2023-05-05'],
  ])('%s: due %s', (_what, due, definition, startedOn) => {
    expect(computeClock(definition, calendar, { startedOn }, startedOn).dueDate).toBe(due);
  });

  it('uses a length agreed with the complainant for an adult response', () => {
    const agreed = computeClock(adultResponse, calendar, { startedOn: '2024-01-15', agreedLength: { unit: 'months', value: 3 } }, '2024-01-15');
    expect(agreed.dueDate).toBe('2024-04-12');
    const inDays = computeClock(adultResponse, calendar, { startedOn: '2024-01-15', agreedLength: { unit: 'working_days', value: 40 } }, '2024-01-15');
    expect(inDays.dueDate).toBe('2024-03-11');
  });
});

describe('clock engine: the two receipt rules', () => {
  // Stage 1, 10 working days, received on a non-working day. `statutory`: day 0 is the day of
  // receipt; `next_working_day`: day 0 is the next working day. Each row gives the due date, and
  // the day after it (a response on the due date takes 10 working days, the day after 11).
  it.each([
    // Saturday 4 January 2020. statutory: 6–10 Jan (5), 13–17 (10) → Friday 17; the day after is
    // Saturday 18, counted as made on Monday 20 (working day 11).
    ['a Saturday (4 Jan 2020)', '2020-01-04', 'statutory', '2020-01-04', '2020-01-17', '2020-01-18'],
    // next_working_day: day 0 Monday 6; 7–10 (4), 13–17 (9), Monday 20 (10).
    ['a Saturday (4 Jan 2020)', '2020-01-04', 'next_working_day', '2020-01-06', '2020-01-20', '2020-01-21'],
    // Good Friday 22 April 2011. statutory: day 0 Good Friday; [25 Easter Monday] 26, 27, 28 (3),
    // [29 royal wedding, 2 May early May], 3–6 May (7), 9, 10, 11 (10) → Wednesday 11 May.
    ['Good Friday (22 Apr 2011)', '2011-04-22', 'statutory', '2011-04-22', '2011-05-11', '2011-05-12'],
    // next_working_day: day 0 Tuesday 26 April; 27, 28 (2), 3–6 May (6), 9–12 (10) → Thursday 12 May.
    ['Good Friday (22 Apr 2011)', '2011-04-22', 'next_working_day', '2011-04-26', '2011-05-12', '2011-05-13'],
    // Saturday 24 December 2011: 25 Sunday, 26 Boxing Day, 27 Christmas substitute, 2 Jan New
    // Year substitute. statutory: 28, 29, 30 Dec (3), 3–6 Jan (7), 9, 10, 11 (10) → Wednesday 11 January.
    ['Christmas Eve (Saturday 24 Dec 2011)', '2011-12-24', 'statutory', '2011-12-24', '2012-01-11', '2012-01-12'],
    // next_working_day: day 0 Wednesday 28 December; 29, 30 (2), 3–6 Jan (6), 9–12 (10) → Thursday 12 January.
    ['Christmas Eve (Saturday 24 Dec 2011)', '2011-12-24', 'next_working_day', '2011-12-28', '2012-01-12', '2012-01-13'],
    // Saturday 2 June 2012: Monday 4 (spring, moved) and Tuesday 5 (Diamond Jubilee) were bank
    // holidays. statutory: 6, 7, 8 (3), 11–15 (8), 18, 19 (10) → Tuesday 19 June.
    ['the Jubilee weekend (Saturday 2 Jun 2012)', '2012-06-02', 'statutory', '2012-06-02', '2012-06-19', '2012-06-20'],
    // next_working_day: day 0 Wednesday 6 June; 7, 8 (2), 11–15 (7), 18, 19, 20 (10) → Wednesday 20 June.
    ['the Jubilee weekend (Saturday 2 Jun 2012)', '2012-06-02', 'next_working_day', '2012-06-06', '2012-06-20', '2012-06-21'],
    // Saturday 31 March 2012, the last day of the 2011/12 year; Good Friday 6 and Easter Monday 9
    // April. statutory: 2–5 April (4), 10–13 (8), 16, 17 (10) → Tuesday 17 April.
    ['the year end (Saturday 31 Mar 2012)', '2012-03-31', 'statutory', '2012-03-31', '2012-04-17', '2012-04-18'],
    // next_working_day: day 0 Monday 2 April; 3, 4, 5 (3), 10–13 (7), 16, 17, 18 (10) → Wednesday 18 April.
    ['the year end (Saturday 31 Mar 2012)', '2012-03-31', 'next_working_day', '2012-04-02', '2012-04-18', '2012-04-19'],
  ] as const)('received on %s (%s), %s: day 0 %s, due %s', (_what, startedOn, receiptRule, dayZero, due, dayAfter) => {
    expect(deadline(calendar, startedOn, 10, receiptRule)).toBe(due);
    expect(workingDaysTaken(calendar, startedOn, due, receiptRule)).toBe(10);
    expect(workingDaysTaken(calendar, startedOn, dayAfter, receiptRule)).toBe(11);
    const events: ClockEvents = { startedOn, receiptRule };
    expect(computeClock(stage1, calendar, events, startedOn)).toMatchObject({ state: 'running', receiptRule, dayZero, dueDate: due, workingDaysUsed: 0, workingDaysRemaining: 10 });
    expect(computeClock(stage1, calendar, { ...events, stoppedOn: due }, '2040-12-31')).toMatchObject({ state: 'met', workingDaysUsed: 10, workingDaysRemaining: 0, dueDate: due });
    expect(computeClock(stage1, calendar, { ...events, stoppedOn: dayAfter }, '2040-12-31')).toMatchObject({ state: 'missed', workingDaysUsed: 11, workingDaysRemaining: -1, dueDate: due });
    // A response dated the (non-working) day of receipt counts as made on the next working day:
    // working day 1 under `statutory`, day 0 itself under `next_working_day`.
    expect(workingDaysTaken(calendar, startedOn, startedOn, receiptRule)).toBe(receiptRule === 'statutory' ? 1 : 0);
  });

  it('uses the statutory rule when the clock names none, and keeps the rule it started under', () => {
    expect(computeClock(stage1, calendar, { startedOn: '2011-12-24' }, '2011-12-24')).toMatchObject({ receiptRule: 'statutory', dayZero: '2011-12-24', dueDate: '2012-01-11' });
    expect(computeClock(stage1, calendar, { startedOn: '2011-12-24', receiptRule: 'statutory' }, '2011-12-24').dueDate).toBe('2012-01-11');
  });

  it('makes no difference for something received on a working day', () => {
    // Thursday 21 April 2011 (see the Easter scenario above): due Wednesday 11 May under both.
    for (const receiptRule of RECEIPT_RULES) {
      expect(computeClock(stage1, calendar, { startedOn: '2011-04-21', receiptRule }, '2011-04-21')).toMatchObject({ dayZero: '2011-04-21', dueDate: '2011-05-11' });
    }
  });
});

describe('clock engine: refusals', () => {
  const start = { startedOn: '2011-04-21' };
  const pause = (from: string, to?: string, reason = 'waiting') => (to === undefined ? { from, reason } : { from, to, reason });

  it.each([
    ['an extension past the Stage 1 cap of 20', stage1, { ...start, extensions: [told('2011-05-05', { newTotalWorkingDays: 21 })] }, 'extension_beyond_cap'],
    ['extra days past the cap', stage1, { ...start, extensions: [told('2011-05-05', { extraWorkingDays: 11 })] }, 'extension_beyond_cap'],
    ['two extensions past the cap', stage1, { ...start, extensions: [told('2011-05-05', { extraWorkingDays: 5 }), told('2011-05-06', { extraWorkingDays: 6 })] }, 'extension_beyond_cap'],
    ['a Stage 2 extension past 65', stage2, { ...start, extensions: [told('2011-05-05', { newTotalWorkingDays: 66 })] }, 'extension_beyond_cap'],
    ['an extension with no reason', stage1, { ...start, extensions: [told('2011-05-05', { extraWorkingDays: 5, reason: '  ' })] }, 'extension_reason_required'],
    ['an extension with no date the complainant was told', stage1, { ...start, extensions: [{ extraWorkingDays: 5, reason: 'complex' }] }, 'extension_told_date_required'],
    ['an extension told after the due date', stage1, { ...start, extensions: [told('2011-05-12', { extraWorkingDays: 5 })] }, 'extension_after_due_date'],
    ['an extension told before the start', stage1, { ...start, extensions: [told('2011-04-20', { extraWorkingDays: 5 })] }, 'extension_before_start'],
    ['an extension told after the stop', stage1, { ...start, stoppedOn: '2011-05-04', extensions: [told('2011-05-05', { extraWorkingDays: 5 })] }, 'extension_after_stop'],
    ['an extension that does not lengthen', stage1, { ...start, extensions: [told('2011-05-05', { newTotalWorkingDays: 10 })] }, 'invalid_extension'],
    ['an extension giving both forms', stage1, { ...start, extensions: [told('2011-05-05', { newTotalWorkingDays: 15, extraWorkingDays: 5 })] }, 'invalid_extension'],
    ['an extension of no days', stage1, { ...start, extensions: [told('2011-05-05', { extraWorkingDays: 0 })] }, 'invalid_extension'],
    ['an extension of the acknowledgement', acknowledgement, { ...start, extensions: [told('2011-04-21', { extraWorkingDays: 1 })] }, 'clock_not_extendable'],
    ['a hold with no reason', stage1, { ...start, pauses: [pause('2011-04-26', '2011-04-27', '')] }, 'hold_reason_required'],
    ['a hold with a blank reason', window, { ...start, pauses: [pause('2011-04-26', '2011-04-27', '   ')] }, 'hold_reason_required'],
    ['a pause with no reason', corporateStage1, { ...start, ...policy(), pauses: [{ from: '2011-04-26', to: '2011-04-27' }] }, 'hold_reason_required'],
    ['a receipt rule that does not exist', stage1, { ...start, receiptRule: 'next_day' as ReceiptRule }, 'invalid_receipt_rule'],
    ['a policy maximum that is not a whole number', corporateStage1, { ...start, maxPausedWorkingDays: 2.5 }, 'invalid_clock_policy'],
    ['a negative policy maximum', corporateStage1, { ...start, maxPausedWorkingDays: -1 }, 'invalid_clock_policy'],
    ['a pause before the start', stage1, { ...start, pauses: [pause('2011-04-20', '2011-04-27')] }, 'pause_before_start'],
    ['a pause that ends before it starts', stage1, { ...start, pauses: [pause('2011-04-27', '2011-04-26')] }, 'pause_ends_before_it_starts'],
    ['overlapping pauses', stage1, { ...start, pauses: [pause('2011-04-26', '2011-04-28'), pause('2011-04-27', '2011-05-03')] }, 'overlapping_pauses'],
    ['a pause after an open one', stage1, { ...start, pauses: [pause('2011-04-26'), pause('2011-05-03', '2011-05-04')] }, 'overlapping_pauses'],
    ['a hold from after the stop date', stage1, { ...start, stoppedOn: '2011-05-04', pauses: [pause('2011-05-05', '2011-05-06')] }, 'pause_after_stop'],
    ['a corporate pause on the due date (11 May 2011)', corporateStage1, { ...start, ...policy(), pauses: [pause('2011-05-11', '2011-05-13')] }, 'pause_after_due_date'],
    ['a corporate pause after the due date', corporateStage1, { ...start, ...policy(), pauses: [pause('2011-05-12')] }, 'pause_after_due_date'],
    ['a hold on the stop date', stage1, { ...start, stoppedOn: '2011-05-04', pauses: [pause('2011-05-04', '2011-05-06')] }, 'pause_after_stop'],
    ['a corporate pause on the stop date', corporateStage1, { ...start, ...policy(), stoppedOn: '2011-05-04', pauses: [pause('2011-05-04', '2011-05-06')] }, 'pause_after_stop'],
    ['a corporate pause before the start', corporateStage1, { ...start, ...policy(), pauses: [pause('2011-04-20', '2011-04-27')] }, 'pause_before_start'],
    ['overlapping corporate pauses', corporateStage1, { ...start, ...policy(), pauses: [pause('2011-04-26', '2011-04-28'), pause('2011-04-27', '2011-05-03')] }, 'overlapping_pauses'],
    ['a stop before the start', stage1, { ...start, stoppedOn: '2011-04-20' }, 'stop_before_start'],
    ['an agreed length on a fixed clock', stage1, { ...start, agreedLength: { unit: 'working_days' as const, value: 15 } }, 'length_not_agreeable'],
    ['an agreed length of nothing', adultResponse, { ...start, agreedLength: { unit: 'months' as const, value: 0 } }, 'invalid_clock_length'],
    ['an impossible date', stage1, { startedOn: '2011-02-29' }, 'invalid_date'],
    ['a date outside the calendar', stage1, { startedOn: '1999-01-04' }, 'date_outside_calendar'],
  ])('refuses %s', (_what, definition, events: ClockEvents, code) => {
    expect(codeOf(() => computeClock(definition, calendar, events, '2011-06-30'))).toBe(code);
  });

  it('refuses an as-at date before the clock started', () => {
    expect(codeOf(() => computeClock(stage1, calendar, start, '2011-04-20'))).toBe('as_at_before_start');
  });

  it('allows holds that touch; on a corporate clock with a policy they pause it', () => {
    // 26–27 and 27–28 April 2011: pausing, Wednesday 27 and Thursday 28 are paused (2).
    const touching = { ...start, pauses: [pause('2011-04-26', '2011-04-27'), pause('2011-04-27', '2011-04-28')] };
    expect(computeClock(stage1, calendar, touching, '2011-06-30')).toMatchObject({ pausedWorkingDays: 0, dueDate: '2011-05-11' });
    expect(computeClock(corporateStage1, calendar, { ...touching, ...policy() }, '2011-06-30')).toMatchObject({ pausedWorkingDays: 2, dueDate: '2011-05-13' });
  });

  it('accepts a hold on any clock, and on one that does not pause, the due date stands', () => {
    // A Children Act hold on the due date itself (Wednesday 11 May 2011) is not a pause: no refusal.
    // As at Thursday 12 the hold (ending Friday 13) is still running; as at the 13th it has ended.
    const held = { ...start, pauses: [pause('2011-05-11', '2011-05-13')] };
    expect(computeClock(stage1, calendar, held, '2011-05-12')).toMatchObject({ state: 'missed', dueDate: '2011-05-11', isOnHold: true, workingDaysUsed: 11 });
    expect(computeClock(stage1, calendar, held, '2011-05-13')).toMatchObject({ state: 'missed', dueDate: '2011-05-11', isOnHold: false, workingDaysUsed: 12 });
    expect(computeClock(stage1, calendar, { ...start, pauses: [pause('2011-05-11')] }, '2011-05-12')).toMatchObject({ state: 'missed', isOnHold: true });
    // A hold on the Stage 2 request window (20 working days from Thursday 21 April 2011:
    // 26–28 April (3), 3–6 (7), 9–13 (12), 16–20 (17), 23–25 May (20) → Wednesday 25 May) is shown only.
    expect(computeClock(window, calendar, { ...start, pauses: [pause('2011-04-26', '2011-04-27')] }, '2011-06-30').dueDate).toBe('2011-05-25');
    // So is one on the adult response clock (canPause false).
    const adult = { startedOn: '2024-01-15' };
    expect(computeClock(adultResponse, calendar, { ...adult, ...policy(), pauses: [pause('2024-02-01', '2024-03-01')] }, '2024-03-04').dueDate).toBe('2024-07-12');
  });
});

describe('clock engine: properties', () => {
  const anyStart = fc.integer({ min: parseIsoDate('2000-01-01'), max: parseIsoDate('2039-12-31') }).map(formatIsoDate);

  it('a corporate pause only ever moves the due date later, by exactly the working days paused, never past the maximum', () => {
    fc.assert(
      fc.property(anyStart, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 65 }), fc.constantFrom(...RECEIPT_RULES), (startedOn, offset, length, max, receiptRule) => {
        const plain = computeClock(corporateStage2, calendar, { startedOn, receiptRule }, startedOn);
        const from = formatIsoDate(parseIsoDate(startedOn) + offset);
        if (from >= plain.dueDate) return; // a pause must start before the due date
        const to = formatIsoDate(parseIsoDate(from) + length);
        const asAt = formatIsoDate(parseIsoDate(to) + 1);
        const paused = computeClock(corporateStage2, calendar, { startedOn, receiptRule, ...policy(max), pauses: [{ from, to, reason: 'waiting' }] }, asAt);
        expect(paused.dueDate >= plain.dueDate).toBe(true);
        expect(calendar.workingDaysBetween(plain.dueDate, paused.dueDate)).toBe(paused.pausedWorkingDays);
        expect(paused.pausedWorkingDays).toBeLessThanOrEqual(max);
        expect(paused.isOnHold).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('a hold never moves a Children Act due date or its working days used', () => {
    fc.assert(
      fc.property(
        anyStart,
        fc.integer({ min: 0, max: 40 }),
        fc.option(fc.integer({ min: 0, max: 40 })),
        fc.integer({ min: 0, max: 80 }),
        fc.constantFrom(stage1, stage2),
        fc.constantFrom(...RECEIPT_RULES),
        (startedOn, offset, length, asAtOffset, definition, receiptRule) => {
          const from = formatIsoDate(parseIsoDate(startedOn) + offset);
          const pause: ClockPause = length === null ? { from, reason: 'waiting' } : { from, to: formatIsoDate(parseIsoDate(from) + length), reason: 'waiting' };
          const asAt = formatIsoDate(parseIsoDate(startedOn) + asAtOffset);
          const plain = computeClock(definition, calendar, { startedOn, receiptRule }, asAt);
          const held = computeClock(definition, calendar, { startedOn, receiptRule, ...policy(), pauses: [pause] }, asAt);
          expect(held).toMatchObject({ dueDate: plain.dueDate, workingDaysUsed: plain.workingDaysUsed, pausedWorkingDays: 0, state: plain.state });
          expect(held.isOnHold).toBe(from <= asAt && (pause.to === undefined || pause.to > asAt));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a response is on time exactly when dated on or before the deadline, under either rule', () => {
    const anyDay = fc.integer({ min: parseIsoDate('2000-01-01'), max: parseIsoDate('2040-06-30') }).map(formatIsoDate);
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 1, max: 65 }), fc.integer({ min: 0, max: 120 }), fc.constantFrom(...RECEIPT_RULES), (started, n, after, rule) => {
        const responded = formatIsoDate(parseIsoDate(started) + after);
        const due = deadline(calendar, started, n, rule);
        expect(workingDaysTaken(calendar, started, responded, rule) <= n).toBe(responded <= due);
      }),
      { numRuns: 5000 },
    );
  });

  it('a stopped clock is met exactly when stopped on or before its due date, having used the working days taken', () => {
    const anyDay = fc.integer({ min: parseIsoDate('2000-01-01'), max: parseIsoDate('2040-06-30') }).map(formatIsoDate);
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 0, max: 120 }), fc.constantFrom(stage1, stage2, acknowledgement, window, corporateStage1, corporateStage2), fc.constantFrom(...RECEIPT_RULES), (startedOn, after, definition, receiptRule) => {
        const stoppedOn = formatIsoDate(parseIsoDate(startedOn) + after);
        const status = computeClock(definition, calendar, { startedOn, receiptRule, stoppedOn }, stoppedOn);
        expect(status.dueDate).toBe(deadline(calendar, startedOn, definition.length.value, receiptRule));
        expect(status.state === 'met').toBe(stoppedOn <= status.dueDate);
        expect(status.state === 'met' || status.state === 'missed').toBe(true);
        expect(status.workingDaysUsed).toBe(workingDaysTaken(calendar, startedOn, stoppedOn, receiptRule));
      }),
      { numRuns: 5000 },
    );
  });

  it('extensions never take a clock past its cap', () => {
    fc.assert(
      fc.property(anyStart, fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 4 }), fc.constantFrom(stage1, stage2), (startedOn, extras, definition) => {
        const extensions = extras.map((extraWorkingDays) => told(startedOn, { extraWorkingDays }));
        const sum = definition.length.value + extras.reduce((a, b) => a + b, 0);
        const cap = definition.capWorkingDays ?? Infinity;
        let status;
        try {
          status = computeClock(definition, calendar, { startedOn, extensions }, startedOn);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe('extension_beyond_cap');
          expect(sum).toBeGreaterThan(cap);
          return;
        }
        expect(status.totalWorkingDays).toBe(sum);
        expect(status.totalWorkingDays).toBeLessThanOrEqual(cap);
      }),
      { numRuns: 1000 },
    );
  });

  it('the due date is a working day and used + remaining = total, whatever the as-at date', () => {
    fc.assert(
      fc.property(anyStart, fc.integer({ min: 0, max: 60 }), fc.option(fc.integer({ min: 0, max: 60 })), (startedOn, asAtOffset, stopOffset) => {
        const asAt = formatIsoDate(parseIsoDate(startedOn) + asAtOffset);
        const events: ClockEvents = stopOffset === null ? { startedOn } : { startedOn, stoppedOn: formatIsoDate(parseIsoDate(startedOn) + stopOffset) };
        const status = computeClock(stage1, calendar, events, asAt);
        expect(calendar.isWorkingDay(status.dueDate)).toBe(true);
        expect(status.workingDaysUsed + status.workingDaysRemaining).toBe(status.totalWorkingDays);
        expect(status.workingDaysUsed).toBeGreaterThanOrEqual(0);
        if (status.state === 'met') expect(status.workingDaysRemaining).toBeGreaterThanOrEqual(0);
        if (status.state === 'missed') expect(status.workingDaysRemaining).toBeLessThan(0);
        if (status.state === 'due_soon') expect(status.workingDaysRemaining).toBeLessThanOrEqual(3);
      }),
      { numRuns: 2000 },
    );
  });
});
