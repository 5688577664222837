import { describe, expect, it } from 'vitest';
import { type Stage1ClockFacts, describeDue, stage1Clock, stage1ClockEvents } from '../../../src/domain/cases/stage1-clock.ts';
import { RECEIVED, calendar } from './stage1-builders.ts';

const children = (overrides: Partial<Stage1ClockFacts> = {}): Stage1ClockFacts => ({ kind: 'children_statutory', receivedOn: RECEIVED, ...overrides });

function describeAsAt(facts: Stage1ClockFacts, asAt: string): ReturnType<typeof describeDue> | undefined {
  const status = stage1Clock(facts, calendar, asAt);
  return status === undefined ? undefined : describeDue(status);
}

describe('describing the Stage 1 clock', () => {
  // Received Monday 2 March 2026 (day 0); due Monday 16 March.
  it.each([
    ['2026-03-02', 'Due in 10 working days', 'on_track'],
    ['2026-03-10', 'Due in 4 working days', 'on_track'],
    ['2026-03-11', 'Due in 3 working days', 'due_soon'],
    ['2026-03-13', 'Due in 1 working day', 'due_soon'],
    ['2026-03-14', 'Due in 1 working day', 'due_soon'],
    ['2026-03-16', 'Due today', 'due_soon'],
    ['2026-03-17', 'Overdue by 1 working day', 'overdue'],
    ['2026-03-18', 'Overdue by 2 working days', 'overdue'],
  ])('as at %s: "%s" (%s)', (asAt, text, tag) => {
    expect(describeAsAt(children(), asAt)).toEqual({ text, tag, dueDate: '2026-03-16' });
  });

  it('says how long a response took, and how late', () => {
    expect(describeAsAt(children({ respondedOn: '2026-03-11' }), '2026-04-01')).toEqual({ text: 'Responded in 7 working days', tag: 'met', dueDate: '2026-03-16' });
    expect(describeAsAt(children({ respondedOn: '2026-03-02' }), '2026-04-01')?.text).toBe('Responded in 0 working days');
    expect(describeAsAt(children({ respondedOn: '2026-03-18' }), '2026-04-01')).toEqual({ text: 'Responded in 12 working days, 2 working days late', tag: 'late', dueDate: '2026-03-16' });
  });

  // A hold on a Children Act clock (no pause): the deadline runs on; the words say "On hold",
  // the tag is the one the clock would have without the hold. Held from Monday 9 March 2026.
  it.each([
    // As at Wednesday 11: 3–6, 9, 10, 11 March used (7), 3 left.
    ['2026-03-11', 'On hold: due in 3 working days', 'due_soon'],
    // As at Tuesday 10: 6 used, 4 left.
    ['2026-03-10', 'On hold: due in 4 working days', 'on_track'],
    // As at Thursday 12: 8 used, 2 left.
    ['2026-03-12', 'On hold: due in 2 working days', 'due_soon'],
    ['2026-03-16', 'On hold: due today', 'due_soon'],
    ['2026-03-17', 'On hold: overdue by 1 working day', 'overdue'],
  ])('a Children Act hold, as at %s: "%s" (%s)', (asAt, text, tag) => {
    const held = children({ stage1Pauses: [{ from: '2026-03-09', reason: 'Waiting' }] });
    expect(stage1Clock(held, calendar, asAt)).toMatchObject({ state: tag === 'overdue' ? 'missed' : tag === 'on_track' ? 'running' : 'due_soon', isOnHold: true });
    expect(describeAsAt(held, asAt)).toEqual({ text, tag, dueDate: '2026-03-16' });
  });

  it('drops "On hold" once the hold has ended or the response is recorded', () => {
    const ended = children({ stage1Pauses: [{ from: '2026-03-09', to: '2026-03-10', reason: 'Waiting' }] });
    expect(describeAsAt(ended, '2026-03-11')).toEqual({ text: 'Due in 3 working days', tag: 'due_soon', dueDate: '2026-03-16' });
    const answered = children({ stage1Pauses: [{ from: '2026-03-09', to: '2026-03-18', reason: 'Waiting' }], respondedOn: '2026-03-18' });
    expect(describeAsAt(answered, '2026-04-01')).toEqual({ text: 'Responded in 12 working days, 2 working days late', tag: 'late', dueDate: '2026-03-16' });
  });

  it('says how much is left while a corporate clock is paused under the council policy', () => {
    // Acknowledged Monday 2 March 2026 (day 0), due Monday 16 March; the clock started while the
    // policy allowed pauses (it records the maximum). Paused from Monday 9 March: as at Thursday
    // 12, 3–6 and 9 March used (5), 10–12 paused (3), 5 left; due 16 March + 3 = Thursday 19.
    const corporate = (maxPausedWorkingDays?: number): Stage1ClockFacts => ({
      kind: 'corporate',
      receivedOn: '2026-02-27',
      acknowledgedOn: RECEIVED,
      stage1Pauses: [{ from: '2026-03-09', reason: 'Waiting' }],
      ...(maxPausedWorkingDays === undefined ? {} : { stage1Rules: { maxPausedWorkingDays } }),
    });
    expect(stage1Clock(corporate(20), calendar, '2026-03-12')?.state).toBe('paused');
    expect(describeAsAt(corporate(20), '2026-03-12')).toEqual({ text: 'Paused with 5 working days left', tag: 'paused', dueDate: '2026-03-19' });
    // Paused to the maximum of 3 (10, 11, 12 March): as at Friday 13 the hold goes on but the clock
    // runs again — 3–6, 9, 13 March used (6), 4 left: "On hold", not "Paused".
    expect(stage1Clock(corporate(3), calendar, '2026-03-13')).toMatchObject({ state: 'running', isOnHold: true, pausedWorkingDays: 3, workingDaysUsed: 6 });
    expect(describeAsAt(corporate(3), '2026-03-13')).toEqual({ text: 'On hold: due in 4 working days', tag: 'on_track', dueDate: '2026-03-19' });
    // Without the policy a corporate hold is only a hold: as at Thursday 12, 8 used, 2 left.
    expect(describeAsAt(corporate(), '2026-03-12')).toEqual({ text: 'On hold: due in 2 working days', tag: 'due_soon', dueDate: '2026-03-16' });
  });

  it('counts a weekend receipt from the day of receipt (statutory), or from the next working day if the council so chose', () => {
    // Received Saturday 7 March 2026. statutory (the default): day 0 Saturday; 9–13 (5), 16–20 (10) → Friday 20 March.
    expect(describeAsAt(children({ receivedOn: '2026-03-07' }), '2026-03-07')).toEqual({ text: 'Due in 10 working days', tag: 'on_track', dueDate: '2026-03-20' });
    expect(describeAsAt(children({ receivedOn: '2026-03-07', stage1Rules: { receiptRule: 'statutory' } }), '2026-03-07')?.dueDate).toBe('2026-03-20');
    // next_working_day: day 0 Monday 9; 10–13 (4), 16–20 (9), Monday 23 (10).
    const nextWorkingDay = children({ receivedOn: '2026-03-07', stage1Rules: { receiptRule: 'next_working_day' } });
    expect(describeAsAt(nextWorkingDay, '2026-03-07')).toEqual({ text: 'Due in 10 working days', tag: 'on_track', dueDate: '2026-03-23' });
    expect(describeAsAt({ ...nextWorkingDay, respondedOn: '2026-03-23' }, '2026-04-01')).toEqual({ text: 'Responded in 10 working days', tag: 'met', dueDate: '2026-03-23' });
    // A Children Act clock cannot pause, whatever it records: a hold stays a hold.
    const held = children({ stage1Rules: { maxPausedWorkingDays: 20 }, stage1Pauses: [{ from: '2026-03-09', reason: 'Waiting' }] });
    expect(describeAsAt(held, '2026-03-11')).toEqual({ text: 'On hold: due in 3 working days', tag: 'due_soon', dueDate: '2026-03-16' });
  });

  it('counts a response dated on a Saturday after a Friday deadline as 1 working day late', () => {
    // Received Saturday 7 March 2026 (statutory): due Friday 20; a response on Saturday 21 counts as made on Monday 23.
    expect(describeAsAt(children({ receivedOn: '2026-03-07', respondedOn: '2026-03-20' }), '2026-04-01')).toEqual({ text: 'Responded in 10 working days', tag: 'met', dueDate: '2026-03-20' });
    expect(describeAsAt(children({ receivedOn: '2026-03-07', respondedOn: '2026-03-21' }), '2026-04-01')).toEqual({ text: 'Responded in 11 working days, 1 working day late', tag: 'late', dueDate: '2026-03-20' });
  });
});

describe('which Stage 1 clock', () => {
  it('corporate runs from the acknowledgement; adult social care has its response clock; others none', () => {
    expect(stage1ClockEvents({ kind: 'corporate', receivedOn: RECEIVED })).toBeUndefined();
    expect(stage1Clock({ kind: 'corporate', receivedOn: RECEIVED, acknowledgedOn: '2026-03-04' }, calendar, '2026-03-04')?.dueDate).toBe('2026-03-18');
    expect(stage1Clock({ kind: 'adult_statutory', receivedOn: RECEIVED }, calendar, '2026-03-04')?.totalWorkingDays).toBeGreaterThan(100);
    for (const kind of ['informal', 'other_agency', 'comment', 'compliment'] as const) {
      expect(stage1Clock({ kind, receivedOn: RECEIVED }, calendar, '2026-03-04')).toBeUndefined();
    }
  });
});
