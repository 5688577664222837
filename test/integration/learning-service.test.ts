/**
 * The learning log's service on both engines: lessons linked to complaints, actions through
 * their statuses, overdue as at a date, who sees which lessons, the recommendations of Stage 2
 * and 3, and the annual summary — with every change in history and audit, and nothing written
 * by a refused change.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aStaffMember, testClock, testContainer, teamIdsByName, type TestClock } from '../support/builders.ts';
import { codeOfAsync } from '../support/domain-errors.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import { InputProblems } from '../../src/domain/errors.ts';

const NOW = '2026-11-26T10:00:00.000Z';

describeEachEngine('the learning service', (database) => {
  let container: Container;
  let clock: TestClock;
  let officer: StaffActor;
  let fostering: number;
  let complaints: string[];
  const kysely = () => database().db.kysely;

  const register = async (team: number, receivedOn: string): Promise<string> => {
    const [made] = await container.registration.register(
      { fields: { kind: 'children_statutory', received_on: receivedOn, channel: 'email', summary: 'Contact was cancelled.', complainant_role: 'parent' }, teamIds: [team], complainant: { name: 'Sam Parent' } },
      officer,
    );
    return made?.reference ?? '';
  };
  const lesson = (title: string, caseReferences: string, identifiedOn = '2026-10-01', teamId: number | null = null) =>
    container.learning.create({ title, description: 'Give families a week’s notice before cancelling contact.', identifiedOn, teamId, caseReferences }, officer);

  beforeAll(async () => {
    clock = testClock(NOW);
    container = await testContainer(database(), clock);
    await container.demo.ensure();
    officer = await aStaffMember(container, ['complaints_officer']);
    const team = await teamIdsByName(container);
    fostering = team('Fostering');
    complaints = [await register(fostering, '2026-03-02'), await register(team('Family Support'), '2026-04-10'), await register(fostering, '2026-05-05')];
  });

  it('records a lesson linked to complaints, links and unlinks them, and keeps the history', async () => {
    const id = await lesson('Give notice of cancelled contact', `${complaints[0] ?? ''}, ${(complaints[1] ?? '').toLowerCase()}`);
    let view = await container.learning.view(id, officer);
    expect(view.complaints.map((c) => c.reference)).toEqual([complaints[0], complaints[1]]);
    expect(view.lesson).toMatchObject({ title: 'Give notice of cancelled contact', identified_on: '2026-10-01', version: 1 });

    await container.learning.link(id, complaints[2] ?? '', officer, 1);
    expect(await codeOfAsync(container.learning.link(id, complaints[2] ?? '', officer, 2))).toBe('already_linked');
    await container.learning.unlink(id, view.complaints[0]?.representationId ?? 0, officer, 2);
    view = await container.learning.view(id, officer);
    expect(view.complaints.map((c) => c.reference)).toEqual([complaints[1], complaints[2]]);
    expect(view.lesson.version).toBe(3);
    expect(await codeOfAsync(container.learning.link(id, complaints[0] ?? '', officer, 2))).toBe('stale_update');

    const forCase = await container.learning.forRepresentation(view.complaints[1]?.representationId ?? 0);
    expect(forCase.map((l) => l.id)).toContain(id);

    const history = await kysely().selectFrom('history_entry').select(['action', 'summary']).where('subject_type', '=', 'lesson').where('subject_id', '=', id).orderBy('id').execute();
    expect(history.map((h) => h.action)).toEqual(['lesson_recorded', 'lesson_complaint_linked', 'lesson_complaint_unlinked']);
    const audit = await kysely().selectFrom('audit_event').select(['action', 'details']).where('entity_type', '=', 'lesson').where('entity_id', '=', String(id)).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['lesson_recorded', 'lesson_viewed', 'lesson_complaint_linked']));
    expect(JSON.stringify(audit)).not.toContain('Sam');
    expect(JSON.stringify(audit)).not.toContain('notice');
  });

  it('refuses a lesson with bad input, unknown complaints or a future date, writing nothing', async () => {
    const before = await kysely().selectFrom('lesson').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const error = await container.learning.create({ title: '', description: 'x', identifiedOn: '2026-11-27', teamId: 999_999, caseReferences: 'CSC-2026-9999' }, officer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputProblems);
    expect((error as InputProblems).problems.map((p) => p.code)).toEqual(['missing_title', 'date_in_future', 'case_not_found', 'team_not_found']);
    expect(await codeOfAsync(lesson('No complaints', ''))).toBe('missing_case_reference');
    const after = await kysely().selectFrom('lesson').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('takes actions through their statuses and finds them overdue once the due date has passed', async () => {
    const id = await lesson('Update the contact leaflet', complaints[0] ?? '', '2026-11-01', fostering);
    const owner = await aStaffMember(container, ['responding_manager'], 'Fostering');
    const first = await container.learning.addAction(id, { description: 'Rewrite the leaflet', dueOn: '2026-11-30', ownerUserId: owner.userId, ownerName: '' }, officer);
    const second = await container.learning.addAction(id, { description: 'Train the duty team', dueOn: '2026-12-10', ownerUserId: null, ownerName: 'Alex Trainer' }, officer);
    expect(await codeOfAsync(container.learning.addAction(id, { description: 'Too early', dueOn: '2026-10-31', ownerUserId: null, ownerName: 'Alex' }, officer))).toBe('due_on_too_early');

    const overdueIds = async () => (await container.learning.actionQueue({ isOverdueOnly: true }, officer)).filter((a) => a.lessonId === id).map((a) => a.id);
    // On its due date an action is not overdue; the day after, it is.
    clock.set('2026-11-30T23:00:00.000Z');
    expect(await overdueIds()).toEqual([]);
    clock.set('2026-12-01T09:00:00.000Z');
    expect(await overdueIds()).toEqual([first]);
    const queue = await container.learning.actionQueue({ isOverdueOnly: true }, officer);
    expect(queue.find((a) => a.id === first)).toMatchObject({ daysOverdue: 1, ownerName: expect.stringContaining('Test responding_manager') as unknown, teamName: 'Fostering' });
    expect((await container.learning.log({ isOverdueOnly: true }, officer)).map((l) => l.id)).toContain(id);
    clock.set('2026-12-15T09:00:00.000Z');
    expect(await overdueIds()).toEqual([first, second]);

    // The owner marks their own action done; a senior manager may not mark someone else's.
    const senior = await aStaffMember(container, ['senior_manager']);
    expect(await codeOfAsync(container.learning.completeAction(second, '2026-12-14', senior, 1))).toBe('forbidden');
    expect(await codeOfAsync(container.learning.completeAction(first, '2026-12-16', owner, 1))).toBe('date_in_future');
    await container.learning.completeAction(first, '2026-12-14', owner, 1);
    expect(await codeOfAsync(container.learning.completeAction(first, '2026-12-14', owner, 1))).toBe('stale_update');
    expect(await codeOfAsync(container.learning.completeAction(first, '2026-12-14', owner, 2))).toBe('action_not_open');
    expect(await codeOfAsync(container.learning.moveAction(second, 'cancel', '', officer, 1))).toBe('missing_reason');
    await container.learning.moveAction(second, 'cancel', 'Covered by the new induction', officer, 1);
    expect(await overdueIds()).toEqual([]);
    await container.learning.moveAction(first, 'reopen', 'The leaflet was not printed', officer, 2);
    const view = await container.learning.view(id, officer);
    expect(view.actions.map((a) => [a.description, a.status, a.doneOn, a.cancelledReason, a.version])).toEqual([
      ['Rewrite the leaflet', 'open', null, null, 3],
      ['Train the duty team', 'cancelled', null, 'Covered by the new induction', 2],
    ]);
    const audit = await kysely().selectFrom('audit_event').select('action').where('entity_type', '=', 'learning_action').where('entity_id', '=', String(first)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['learning_action_added', 'learning_action_done', 'learning_action_reopened']);
    clock.set(NOW);
  });

  it('shows a responding manager only their own lessons and a viewer the figures without text', async () => {
    const ownTeam = await lesson('Fostering lesson', complaints[2] ?? '', '2026-10-01');
    const other = await lesson('Family support lesson', complaints[1] ?? '', '2026-10-01');
    const manager = await aStaffMember(container, ['responding_manager'], 'Fostering');
    const seen = (await container.learning.log({}, manager)).map((l) => l.id);
    expect(seen).toContain(ownTeam);
    expect(seen).not.toContain(other);
    expect(await codeOfAsync(container.learning.view(other, manager))).toBe('lesson_not_found');

    const viewer = await aStaffMember(container, ['viewer']);
    const log = await container.learning.log({}, viewer);
    expect(log.find((l) => l.id === other)).toMatchObject({ isTextShown: false });
    expect((await container.learning.view(other, viewer)).isTextShown).toBe(false);
    const admin = await aStaffMember(container, ['admin']);
    expect(await codeOfAsync(container.learning.log({}, admin))).toBe('forbidden');
  });

  it('records the recommendations of a stage as a lesson with an action each, inside the caller’s transaction', async () => {
    const reference = complaints[1] ?? '';
    const { id: representationId } = await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
    const lessonId = await kysely()
      .transaction()
      .execute((trx) =>
        container.learning.recordRecommendations(trx, {
          representationId,
          stage: 2,
          recommendations: [{ text: 'Apologise in writing', dueOn: '2026-12-31' }, { text: 'Review the contact policy', dueOn: '2027-01-31', ownerName: 'Head of Service' }],
          actorUserId: officer.userId,
          today: '2026-11-26',
        }),
      );
    const view = await container.learning.view(lessonId, officer);
    expect(view.lesson.title).toBe(`Recommendations of the Stage 2 investigation for ${reference}`);
    expect(view.complaints.map((c) => c.reference)).toEqual([reference]);
    expect(view.actions.map((a) => [a.description, a.source, a.ownerName, a.dueOn])).toEqual([
      ['Apologise in writing', 'stage2_recommendation', null, '2026-12-31'],
      ['Review the contact policy', 'stage2_recommendation', 'Head of Service', '2027-01-31'],
    ]);

    // A second call for the same stage adds to the same lesson; a rolled-back call leaves nothing.
    await kysely().transaction().execute((trx) => container.learning.recordRecommendations(trx, { representationId, stage: 2, recommendations: [{ text: 'Check in a year', dueOn: '2027-11-26' }], actorUserId: officer.userId, today: '2026-11-27' }));
    expect((await container.learning.view(lessonId, officer)).actions).toHaveLength(3);
    const failed = await kysely()
      .transaction()
      .execute(async (trx) => {
        await container.learning.recordRecommendations(trx, { representationId, stage: 3, recommendations: [{ text: 'Panel action', dueOn: '2027-01-01' }], actorUserId: officer.userId, today: '2026-11-26' });
        throw new Error('the step failed');
      })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect((await container.learning.forRepresentation(representationId)).map((l) => l.title).filter((t) => t.startsWith('Recommendations'))).toEqual([`Recommendations of the Stage 2 investigation for ${reference}`]);
    expect(
      await codeOfAsync(kysely().transaction().execute((trx) => container.learning.recordRecommendations(trx, { representationId, stage: 3, recommendations: [{ text: ' ', dueOn: '2027-01-01' }], actorUserId: officer.userId, today: '2026-11-26' }))),
    ).toBe('missing_description');
  });

  it('sums the actions of the lessons identified in a year by status, with overdue as at a date, in SQL', async () => {
    const inYear = await lesson('Summary lesson', complaints[0] ?? '', '2025-06-01');
    const before = await lesson('Earlier lesson', complaints[0] ?? '', '2025-03-31');
    const add = (lessonId: number, dueOn: string) => container.learning.addAction(lessonId, { description: 'Do it', dueOn, ownerUserId: null, ownerName: 'Pat' }, officer);
    await add(inYear, '2025-07-01');
    await add(inYear, '2026-08-01');
    const done = await add(inYear, '2025-09-01');
    const cancelled = await add(inYear, '2025-10-01');
    await add(before, '2025-04-30');
    await container.learning.completeAction(done, '2025-08-20', officer, 1);
    await container.learning.moveAction(cancelled, 'cancel', 'No longer needed', officer, 1);

    expect(await container.learning.summaryForYear('2025-04-01', '2026-03-31', '2026-06-30')).toEqual({ total: 4, open: 2, done: 1, cancelled: 1, overdue: 1, asAt: '2026-06-30' });
    expect(await container.learning.summaryForYear('2025-04-01', '2026-03-31', '2026-08-02')).toMatchObject({ open: 2, overdue: 2 });
    expect(await container.learning.summaryForYear('2019-04-01', '2020-03-31', '2020-06-30')).toEqual({ total: 0, open: 0, done: 0, cancelled: 0, overdue: 0, asAt: '2020-06-30' });
  });
});
