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

  it('says how much is left while paused', () => {
    // Paused from Monday 9 March: as at Thursday 12, 5 working days used and 5 left.
    const paused = children({ stage1Pauses: [{ from: '2026-03-09', reason: 'Waiting' }] });
    expect(describeAsAt(paused, '2026-03-12')).toMatchObject({ text: 'Paused with 5 working days left', tag: 'paused' });
  });

  it('runs from the next working day for a weekend receipt', () => {
    expect(describeAsAt(children({ receivedOn: '2026-03-07' }), '2026-03-07')).toEqual({ text: 'Due in 10 working days', tag: 'on_track', dueDate: '2026-03-23' });
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
