import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../../src/domain/errors.ts';
import { formatIsoDate, parseIsoDate } from '../../../src/domain/calendar/iso-date.ts';
import { shippedCalendar } from '../../../src/domain/calendar/shipped-holidays.ts';
import { type ClockEvents, type ClockExtension, computeClock } from '../../../src/domain/clocks/clock-engine.ts';
import { clockDefinition } from '../../../src/domain/procedures/procedure-definitions.ts';
import { codeOf } from '../../support/domain-errors.ts';

const calendar = shippedCalendar();
const stage1 = clockDefinition('children_statutory', 'stage1_response');
const stage2 = clockDefinition('children_statutory', 'stage2_response');
const acknowledgement = clockDefinition('children_statutory', 'acknowledgement');
const window = clockDefinition('children_statutory', 'stage2_request_window');
const adultResponse = clockDefinition('adult_statutory', 'response');
const corporateStage1 = clockDefinition('corporate', 'stage1_response');

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

  it('counts a stop on the Saturday after a Friday deadline as on time, as "working days taken" does', () => {
    const friday = { startedOn: '2020-01-03' }; // due Friday 17 January 2020
    expect(computeClock(stage1, calendar, friday, '2020-01-03').dueDate).toBe('2020-01-17');
    expect(computeClock(stage1, calendar, { ...friday, stoppedOn: '2020-01-18' }, '2020-02-01')).toMatchObject({ state: 'met', workingDaysUsed: 10 });
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

  it('pauses Stage 1 across the June 2012 jubilee: two paused working days move the deadline two working days', () => {
    // Received Monday 21 May 2012; 28 May was a working day that year, 4 and 5 June were not.
    // Unpaused: 22, 23, 24, 25, 28, 29, 30, 31 May, 1, 6 June → due Wednesday 6 June.
    const start = { startedOn: '2012-05-21' };
    expect(computeClock(stage1, calendar, start, '2012-05-21').dueDate).toBe('2012-06-06');
    // Paused on Wednesday 23 and resumed on Friday 25: Thursday 24 and Friday 25 do not count.
    const paused = { ...start, pauses: [{ from: '2012-05-23', to: '2012-05-25', reason: 'waiting for the complainant' }] };
    expect(computeClock(stage1, calendar, paused, '2012-06-01')).toMatchObject({
      state: 'due_soon',
      dueDate: '2012-06-08',
      pausedWorkingDays: 2,
      workingDaysUsed: 7,
      workingDaysRemaining: 3,
    });
    // While paused (as at 24 May), the due date shown assumes the clock restarts that day.
    expect(computeClock(stage1, calendar, paused, '2012-05-24')).toMatchObject({ state: 'paused', isPaused: true, workingDaysUsed: 2, pausedWorkingDays: 1, dueDate: '2012-06-07' });
    // On the day it resumes the clock runs again.
    expect(computeClock(stage1, calendar, paused, '2012-05-25')).toMatchObject({ state: 'running', isPaused: false });
    // A pause with no end, as at 6 June: 8 working days paused, still 2 used.
    const open = { ...start, pauses: [{ from: '2012-05-23', reason: 'waiting for the complainant' }] };
    expect(computeClock(stage1, calendar, open, '2012-06-06')).toMatchObject({ state: 'paused', pausedWorkingDays: 8, workingDaysUsed: 2, dueDate: '2012-06-18' });
    // A pause from F to F removes nothing.
    const sameDay = { ...start, pauses: [{ from: '2012-05-23', to: '2012-05-23', reason: 'a call' }] };
    expect(computeClock(stage1, calendar, sameDay, '2012-06-01').dueDate).toBe('2012-06-06');
  });

  it('pauses Stage 2 across Easter 2011 and the royal wedding', () => {
    // Statement agreed Friday 15 April 2011. Unpaused, 25 working days end Thursday 26 May.
    const agreed = { startedOn: '2011-04-15' };
    expect(computeClock(stage2, calendar, agreed, '2011-04-15').dueDate).toBe('2011-05-26');
    // Paused Wednesday 20 April to Tuesday 3 May: 21, 26, 27, 28 April and 3 May are paused (5),
    // so the due date moves 5 working days, past the spring holiday on 30 May, to Friday 3 June.
    const paused = { ...agreed, pauses: [{ from: '2011-04-20', to: '2011-05-03', reason: 'investigating officer unavailable' }] };
    expect(computeClock(stage2, calendar, paused, '2011-05-04')).toMatchObject({ dueDate: '2011-06-03', pausedWorkingDays: 5, workingDaysUsed: 4 });
  });

  it('counts nothing before day 0, paused or not', () => {
    // Received Saturday 4 Jan 2020, paused that day until Tuesday 7: only Tuesday is paused.
    const events = { startedOn: '2020-01-04', pauses: [{ from: '2020-01-04', to: '2020-01-07', reason: 'consent check' }] };
    expect(computeClock(stage1, calendar, events, '2020-01-07')).toMatchObject({ dayZero: '2020-01-06', pausedWorkingDays: 1, workingDaysUsed: 0 });
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
    ['a pause of a request window', window, { ...start, pauses: [pause('2011-04-26', '2011-04-27')] }, 'clock_not_pausable'],
    ['a pause of a corporate response', corporateStage1, { ...start, pauses: [pause('2011-04-26', '2011-04-27')] }, 'clock_not_pausable'],
    ['a pause with no reason', stage1, { ...start, pauses: [pause('2011-04-26', '2011-04-27', '')] }, 'pause_reason_required'],
    ['a pause before the start', stage1, { ...start, pauses: [pause('2011-04-20', '2011-04-27')] }, 'pause_before_start'],
    ['a pause that ends before it starts', stage1, { ...start, pauses: [pause('2011-04-27', '2011-04-26')] }, 'pause_ends_before_it_starts'],
    ['overlapping pauses', stage1, { ...start, pauses: [pause('2011-04-26', '2011-04-28'), pause('2011-04-27', '2011-05-03')] }, 'overlapping_pauses'],
    ['a pause after an open one', stage1, { ...start, pauses: [pause('2011-04-26'), pause('2011-05-03', '2011-05-04')] }, 'overlapping_pauses'],
    ['a pause on the due date', stage1, { ...start, pauses: [pause('2011-05-11', '2011-05-13')] }, 'pause_after_due_date'],
    ['a pause on the stop date', stage1, { ...start, stoppedOn: '2011-05-04', pauses: [pause('2011-05-04', '2011-05-06')] }, 'pause_after_stop'],
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

  it('allows pauses that touch', () => {
    const touching = { ...start, pauses: [pause('2011-04-26', '2011-04-27'), pause('2011-04-27', '2011-04-28')] };
    expect(computeClock(stage1, calendar, touching, '2011-06-30').pausedWorkingDays).toBe(2);
  });
});

describe('clock engine: properties', () => {
  const anyStart = fc.integer({ min: parseIsoDate('2000-01-01'), max: parseIsoDate('2039-12-31') }).map(formatIsoDate);

  it('a pause only ever moves the due date later, by exactly the working days paused', () => {
    fc.assert(
      fc.property(anyStart, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), (startedOn, offset, length) => {
        const plain = computeClock(stage2, calendar, { startedOn }, startedOn);
        const from = formatIsoDate(parseIsoDate(startedOn) + offset);
        if (from >= plain.dueDate) return; // a pause must start before the due date
        const to = formatIsoDate(parseIsoDate(from) + length);
        const asAt = formatIsoDate(parseIsoDate(to) + 1);
        const paused = computeClock(stage2, calendar, { startedOn, pauses: [{ from, to, reason: 'waiting' }] }, asAt);
        expect(paused.dueDate >= plain.dueDate).toBe(true);
        expect(calendar.workingDaysBetween(plain.dueDate, paused.dueDate)).toBe(paused.pausedWorkingDays);
      }),
      { numRuns: 2000 },
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
