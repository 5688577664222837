import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testContainer } from '../support/builders.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import { startClock } from '../../src/app/clock-service.ts';
import { ClockRepository } from '../../src/db/clock-repository.ts';
import { HistoryRepository } from '../../src/db/history-repository.ts';
import { codeOfAsync } from '../support/domain-errors.ts';
import type { Container } from '../../src/container.ts';

describeEachEngine('calendar administration', (database) => {
  let container: Container;
  const actor = { userId: null, ip: '192.0.2.1', requestId: 'r-1' };

  beforeAll(async () => {
    container = await testContainer(database(), testClock('2030-05-20T09:00:00.000Z'));
  });

  async function aStage1Clock(subjectId: number, receivedOn: string, stoppedOn?: string): Promise<number> {
    const calendar = await container.calendar.calendar();
    return (await startClock(database().db.kysely, calendar, { type: 'test_case', id: subjectId }, 'children_statutory', 'stage1_response', { startedOn: receivedOn, ...(stoppedOn ? { stoppedOn } : {}) }, container.clock())).id;
  }

  it('adds a proclaimed bank holiday and re-dates the open clocks it moves, recording why in their history', async () => {
    // Received Tuesday 21 May 2030: 10 working days, the Spring bank holiday (27 May) skipped → due Wednesday 5 June.
    const open = await aStage1Clock(1, '2030-05-21');
    const closed = await aStage1Clock(2, '2030-05-21', '2030-05-24');
    const later = await aStage1Clock(3, '2030-06-05');
    const clocks = new ClockRepository(database().db.kysely);
    expect((await clocks.findById(open))?.dueOn).toBe('2030-06-05');
    expect((await clocks.findById(later))?.dueOn).toBe('2030-06-19');

    const redated = await container.calendar.change({ date: '2030-06-03', change: 'add', title: 'Royal celebration', reason: 'Proclamation of 1 March 2030' }, actor);
    expect(redated.map((r) => [r.clockId, r.from, r.to])).toEqual([[open, '2030-06-05', '2030-06-06']]);
    expect((await clocks.findById(open))?.dueOn).toBe('2030-06-06');
    expect((await clocks.findById(closed))?.dueOn).toBe('2030-06-05');
    expect((await clocks.findById(later))?.dueOn).toBe('2030-06-19');

    const history = await new HistoryRepository(database().db.kysely).forSubject('test_case', 1);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      action: 'clock_redated',
      before: { clock: 'stage1_response', dueOn: '2030-06-05' },
      after: { clock: 'stage1_response', dueOn: '2030-06-06' },
    });
    expect(history[0]?.summary).toContain('Royal celebration (2030-06-03) added as a bank holiday. Reason: Proclamation of 1 March 2030');
    expect((await container.calendar.calendar()).isWorkingDay('2030-06-03')).toBe(false);
  });

  it('removes a holiday, moving open clocks earlier, and lists the year with where each day came from', async () => {
    const open = await aStage1Clock(4, '2030-08-20');
    const clocks = new ClockRepository(database().db.kysely);
    expect((await clocks.findById(open))?.dueOn).toBe('2030-09-04');
    await container.calendar.change({ date: '2030-08-26', change: 'remove', title: '', reason: 'Moved by proclamation' }, actor);
    expect((await clocks.findById(open))?.dueOn).toBe('2030-09-03');
    const year = await container.calendar.year(2030);
    expect(year.holidays.find((h) => h.date === '2030-06-03')).toMatchObject({ source: 'added', title: 'Royal celebration' });
    expect(year.holidays.some((h) => h.date === '2030-08-26')).toBe(false);
    expect(year.removed).toEqual([{ date: '2030-08-26', title: 'Summer bank holiday', reason: 'Moved by proclamation' }]);
  });

  it('refuses changes that make no sense, with codes, and writes nothing', async () => {
    const { calendar } = container;
    expect(await codeOfAsync(calendar.change({ date: '2030-06-08', change: 'add', title: 'Saturday', reason: 'x' }, actor))).toBe('holiday_on_weekend');
    expect(await codeOfAsync(calendar.change({ date: '2030-12-25', change: 'add', title: 'Christmas', reason: 'x' }, actor))).toBe('already_a_holiday');
    expect(await codeOfAsync(calendar.change({ date: '2030-07-02', change: 'remove', title: '', reason: 'x' }, actor))).toBe('not_a_holiday');
    expect(await codeOfAsync(calendar.change({ date: '2030-07-02', change: 'add', title: '', reason: 'x' }, actor))).toBe('holiday_title_required');
    expect(await codeOfAsync(calendar.change({ date: '2030-07-02', change: 'add', title: 'Day', reason: ' ' }, actor))).toBe('calendar_reason_required');
    expect(await codeOfAsync(calendar.change({ date: '2030-02-30', change: 'add', title: 'Day', reason: 'x' }, actor))).toBe('invalid_date');
    expect(await codeOfAsync(calendar.change({ date: '2041-07-02', change: 'add', title: 'Day', reason: 'x' }, actor))).toBe('date_outside_calendar');
    expect(await codeOfAsync(calendar.year(2050))).toBe('year_outside_calendar');
    expect((await calendar.year(2030)).holidays.some((h) => h.date === '2030-07-02')).toBe(false);
  });

  it('imports GOV.UK’s file: adds what is new, reports what differs, and changes nothing on error or dry run', async () => {
    const file = (events: { title: string; date: string }[]) =>
      JSON.stringify({
        'england-and-wales': { division: 'england-and-wales', events: events.map((e) => ({ ...e, notes: '', bunting: true })) },
        scotland: { division: 'scotland', events: [] },
      });
    const text = file([
      { title: 'Spring bank holiday', date: '2031-05-26' },
      { title: 'Extra day for the test', date: '2031-06-02' },
      { title: 'Christmas', date: '2031-12-25' },
      { title: 'Far future', date: '2045-01-02' },
    ]);
    const dry = await container.calendar.importGovUk(text, actor, { dryRun: true });
    expect(dry.toAdd.map((e) => e.date)).toEqual(['2031-06-02']);
    expect((await container.calendar.year(2031)).holidays.some((h) => h.date === '2031-06-02')).toBe(false);

    const result = await container.calendar.importGovUk(text, actor);
    expect(result.toAdd.map((e) => e.date)).toEqual(['2031-06-02']);
    expect(result.alreadyPresent).toBe(2);
    expect(result.outsideCalendar).toBe(1);
    expect(result.differences.map((d) => d.date)).toEqual(['2031-08-25', '2031-12-25']);
    expect(result.differences[1]?.message).toContain('named "Christmas" in the file but "Christmas Day" here');
    expect((await container.calendar.year(2031)).holidays.find((h) => h.date === '2031-06-02')).toMatchObject({ source: 'added' });

    const again = await container.calendar.importGovUk(text, actor);
    expect(again.toAdd).toEqual([]);

    const before = await container.calendar.year(2031);
    expect(await codeOfAsync(container.calendar.importGovUk('{ not json', actor))).toBe('invalid_bank_holidays_file');
    expect(await codeOfAsync(container.calendar.importGovUk(file([{ title: 'Bad', date: '2031-02-30' }]), actor))).toBe('invalid_bank_holidays_file');
    expect(await container.calendar.year(2031)).toEqual(before);
  });

  it('keeps several processes in step: a change made by one is seen by another', async () => {
    const other = await testContainer(database());
    expect((await other.calendar.calendar()).isWorkingDay('2032-07-06')).toBe(true);
    await container.calendar.change({ date: '2032-07-06', change: 'add', title: 'Shared day', reason: 'two processes' }, CLI_ACTOR);
    expect((await other.calendar.calendar()).isWorkingDay('2032-07-06')).toBe(false);
  });
});
