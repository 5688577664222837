import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testContainer, type TestClock } from '../support/builders.ts';
import { startClock } from '../../src/app/clock-service.ts';
import type { ClockEvents } from '../../src/domain/clocks/clock-engine.ts';
import { ClockRepository } from '../../src/db/clock-repository.ts';
import { HistoryRepository } from '../../src/db/history-repository.ts';
import type { Container } from '../../src/container.ts';

/**
 * A bank holiday added or removed moves only the open clocks whose due date it truly changes,
 * and removing the day again puts every due date back as it was.
 */
describeEachEngine('re-dating clocks when the bank holidays change', (database) => {
  let container: Container;
  let clock: TestClock;
  const actor = { userId: null, ip: '192.0.2.1', requestId: 'r-1' };
  let subject = 100;

  beforeAll(async () => {
    clock = testClock('2034-03-06T09:00:00.000Z'); // Monday 6 March 2034
    container = await testContainer(database(), clock);
    await container.councilSettings.update({ corporatePausesAllowed: true }, actor);
  });

  async function aClock(kind: 'children_statutory' | 'corporate', key: string, events: ClockEvents): Promise<{ id: number; subjectId: number }> {
    subject += 1;
    const calendar = await container.calendar.calendar();
    const { id } = await startClock(database().db.kysely, calendar, { type: 'redating_case', id: subject }, kind, key, events, clock());
    return { id, subjectId: subject };
  }

  async function dueDates(ids: readonly number[]): Promise<(string | undefined)[]> {
    const clocks = new ClockRepository(database().db.kysely);
    return Promise.all(ids.map(async (id) => (await clocks.findById(id))?.dueOn));
  }

  const historyOf = (subjectId: number) => new HistoryRepository(database().db.kysely).forSubject('redating_case', subjectId);

  it('moves only the clocks whose due date changes, and adding then removing the day leaves every due date as it was', async () => {
    // A Children Act Stage 1 clock from Monday 6 March: due Monday 20 March.
    const plain = await aClock('children_statutory', 'stage1_response', { startedOn: '2034-03-06' });
    // A corporate Stage 1 clock paused on Tuesday 7 March, the pause still running: its due
    // date, as at today, grows day by day while it stays paused.
    clock.set('2034-03-07T09:00:00.000Z');
    const paused = await aClock('corporate', 'stage1_response', { startedOn: '2034-03-06', pauses: [{ from: '2034-03-07', reason: 'Waiting for consent' }] });
    // One extended on Wednesday 8 March by 5 working days: due Monday 27 March.
    clock.set('2034-03-08T09:00:00.000Z');
    const extended = await aClock('children_statutory', 'stage1_response', {
      startedOn: '2034-03-06',
      extensions: [{ extraWorkingDays: 5, reason: 'An advocate is needed', complainantToldOn: '2034-03-08' }],
    });
    // One that started after the day that changes: never moved.
    const later = await aClock('children_statutory', 'stage1_response', { startedOn: '2034-03-17' });
    const ids = [plain.id, extended.id, paused.id, later.id];
    const original = await dueDates(ids);
    expect(original).toEqual(['2034-03-20', '2034-03-27', '2034-03-20', '2034-03-31']);

    // A fortnight later the paused clock would read later if worked out today.
    clock.set('2034-03-20T09:00:00.000Z');
    const far = await container.calendar.change({ date: '2034-03-16', change: 'add', title: 'Extra day', reason: 'test' }, actor);
    // 16 March is before Monday 20 March: the plain and extended clocks move; the paused one
    // (paused since 7 March, so 16 March was a paused day) and the later one do not.
    expect(far.map((r) => [r.clockId, r.from, r.to])).toEqual([
      [plain.id, '2034-03-20', '2034-03-21'],
      [extended.id, '2034-03-27', '2034-03-28'],
    ]);
    expect(await dueDates(ids)).toEqual(['2034-03-21', '2034-03-28', '2034-03-20', '2034-03-31']);
    expect(await historyOf(paused.subjectId)).toEqual([]);
    expect(await historyOf(later.subjectId)).toEqual([]);
    expect((await historyOf(plain.subjectId)).map((h) => [h.action, h.before, h.after])).toEqual([
      ['clock_redated', { clock: 'stage1_response', dueOn: '2034-03-20' }, { clock: 'stage1_response', dueOn: '2034-03-21' }],
    ]);

    // A day after every due date moves nothing and writes no history.
    const unmoved = await container.calendar.change({ date: '2034-06-06', change: 'add', title: 'A day after every due date', reason: 'test' }, actor);
    expect(unmoved).toEqual([]);

    await container.calendar.change({ date: '2034-06-06', change: 'remove', title: '', reason: 'test' }, actor);
    const back = await container.calendar.change({ date: '2034-03-16', change: 'remove', title: '', reason: 'entered by mistake' }, actor);
    expect(back.map((r) => [r.clockId, r.from, r.to])).toEqual([
      [plain.id, '2034-03-21', '2034-03-20'],
      [extended.id, '2034-03-28', '2034-03-27'],
    ]);
    expect(await dueDates(ids)).toEqual(original);
    expect(await historyOf(paused.subjectId)).toEqual([]);
    expect(await historyOf(plain.subjectId)).toHaveLength(2);
  });

  it('moves a paused clock by the day a change makes, not by the days it has been paused since', async () => {
    // Paused on Wednesday 5 April, with 2 working days used.
    clock.set('2034-04-05T09:00:00.000Z');
    const paused = await aClock('corporate', 'stage1_response', { startedOn: '2034-04-03', pauses: [{ from: '2034-04-05', reason: 'Waiting for information' }] });
    const clocks = new ClockRepository(database().db.kysely);
    const stored = (await clocks.findById(paused.id))?.dueOn;
    expect(stored).toBe('2034-04-19'); // 3 April + 10 working days, Good Friday and Easter Monday (7 and 10 April) skipped
    clock.set('2034-04-24T09:00:00.000Z');
    // A day before the pause began moves it one day; the days paused since do not.
    const moved = await container.calendar.change({ date: '2034-04-04', change: 'add', title: 'Early day', reason: 'test' }, actor);
    expect(moved.map((r) => [r.clockId, r.from, r.to])).toEqual([[paused.id, '2034-04-19', '2034-04-20']]);
    await container.calendar.change({ date: '2034-04-04', change: 'remove', title: '', reason: 'test' }, actor);
    expect((await clocks.findById(paused.id))?.dueOn).toBe(stored);
  });
});
