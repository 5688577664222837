/**
 * Recommendations accepted at a Stage 2 adjudication become a lesson with one action each,
 * in the same transaction as the step (the container wires `LearningService.recordRecommendations`
 * into `LaterStageService`) — on both engines.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aStaffMember, teamIdsByName, testClock, testContainer, type TestClock } from '../support/builders.ts';
import { codeOfAsync } from '../support/domain-errors.ts';
import { aReport } from '../support/multipart.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';

describeEachEngine('recommendations into the learning log', (database) => {
  let container: Container;
  let clock: TestClock;
  let officer: StaffActor;
  let senior: StaffActor;
  const kysely = () => database().db.kysely;
  const on = (date: string) => {
    clock.set(`${date}T17:00:00.000Z`);
  };
  const versionOf = async (reference: string) => (await kysely().selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
  const step = async (reference: string, name: string, input: Record<string, unknown>, actor: StaffActor = officer) => container.laterStages.apply(reference, name, input, actor, await versionOf(reference));

  beforeAll(async () => {
    clock = testClock('2026-01-05T09:00:00.000Z');
    container = await testContainer(database(), clock);
    await container.demo.ensure();
    officer = await aStaffMember(container, ['complaints_officer']);
    senior = await aStaffMember(container, ['senior_manager']);
  });

  it('turns the accepted recommendations of a Stage 2 adjudication into a lesson with an action each', async () => {
    const teamId = await teamIdsByName(container);
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-01-05', channel: 'email', via_complaints_team: 'yes', summary: 'Contact visits were cancelled.', complainant_role: 'parent' },
        teamIds: [teamId('Fostering')],
        complainant: { name: 'Sam Parent' },
      },
      officer,
    );
    const reference = made?.reference ?? '';
    on('2026-01-16');
    await container.caseActions.apply(reference, 'record_response', { responded_on: '2026-01-16', finding: 'not_upheld', remedies: ['explanation'] }, officer, await versionOf(reference));
    on('2026-01-20');
    await step(reference, 'request_stage2', { requested_on: '2026-01-20' });
    await step(reference, 'agree_statement', { statement_agreed_on: '2026-01-20', points: '1. Contact visits were cancelled without notice.' });
    await step(reference, 'appoint_investigator', { name: 'Ira Vestigate', is_external: 'yes', appointed_on: '2026-01-20' });
    await step(reference, 'appoint_independent_person', {
      name: 'Indie Person',
      is_external: 'yes',
      appointed_on: '2026-01-20',
      declarations: ['not_member', 'not_officer', 'not_spouse_or_partner'],
      declared_on: '2026-01-20',
    });
    on('2026-02-10');
    await step(reference, 'record_report', { report_received_on: '2026-02-10', report: aReport() });
    // A refused step writes no lesson: recommendations without a due date.
    expect(await codeOfAsync(step(reference, 'adjudicate', { responded_on: '2026-02-10', finding_1: 'upheld', recommendations: 'Give a week’s notice' }, senior))).toBe('missing_actions_due_on');
    expect(await kysely().selectFrom('lesson').select('id').execute()).toEqual([]);

    await step(reference, 'adjudicate', { responded_on: '2026-02-10', finding_1: 'upheld', recommendations: 'Give a week’s notice\nRing back within two days', actions_due_on: '2026-05-29' }, senior);
    const { id: representationId } = await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
    const lessons = await container.learning.forRepresentation(representationId);
    expect(lessons).toEqual([{ id: expect.any(Number) as unknown, title: `Recommendations of the Stage 2 investigation for ${reference}`, identifiedOn: '2026-02-10', open: 2, overdue: 0 }]);
    const view = await container.learning.view(lessons[0]?.id ?? 0, officer);
    expect(view.lesson.team_id).toBe(teamId('Fostering'));
    expect(view.actions.map((a) => [a.description, a.dueOn, a.source, a.status])).toEqual([
      ['Give a week’s notice', '2026-05-29', 'stage2_recommendation', 'open'],
      ['Ring back within two days', '2026-05-29', 'stage2_recommendation', 'open'],
    ]);
    on('2026-06-01');
    expect((await container.learning.actionQueue({ isOverdueOnly: true }, officer)).map((a) => a.description)).toEqual(['Give a week’s notice', 'Ring back within two days']);
  });

  it('dates the lesson by the adjudication, not by the day it was typed, so it counts in the report year of the decision', async () => {
    const teamId = await teamIdsByName(container);
    on('2026-02-02');
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-02-02', channel: 'email', via_complaints_team: 'yes', summary: 'Letters went to the wrong address.', complainant_role: 'parent' },
        teamIds: [teamId('Fostering')],
        complainant: { name: 'Pat Parent' },
      },
      officer,
    );
    const reference = made?.reference ?? '';
    on('2026-02-13');
    await container.caseActions.apply(reference, 'record_response', { responded_on: '2026-02-13', finding: 'not_upheld', remedies: ['explanation'] }, officer, await versionOf(reference));
    on('2026-03-02');
    await step(reference, 'request_stage2', { requested_on: '2026-03-02' });
    await step(reference, 'agree_statement', { statement_agreed_on: '2026-03-02', points: '1. Letters went to the wrong address.' });
    await step(reference, 'appoint_investigator', { name: 'Ira Vestigate', is_external: 'yes', appointed_on: '2026-03-02' });
    await step(reference, 'appoint_independent_person', {
      name: 'Indie Person',
      is_external: 'yes',
      appointed_on: '2026-03-02',
      declarations: ['not_member', 'not_officer', 'not_spouse_or_partner'],
      declared_on: '2026-03-02',
    });
    on('2026-03-27');
    await step(reference, 'record_report', { report_received_on: '2026-03-27', report: aReport() });

    const learningIn = async (year: number) => (await container.annualReports.report(year, { asAt: '2026-04-03' })).learning.total;
    const before = { year2025: await learningIn(2025), year2026: await learningIn(2026) };
    // The adjudication is dated Monday 30 March 2026 (report year 2025/26) but recorded on Friday 3 April (2026/27).
    on('2026-04-03');
    await step(reference, 'adjudicate', { responded_on: '2026-03-30', finding_1: 'upheld', recommendations: 'Check the address on every letter\nAudit the address records', actions_due_on: '2026-06-30' }, senior);

    const { id: representationId } = await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
    const lessons = await container.learning.forRepresentation(representationId);
    expect(lessons.map((l) => l.identifiedOn)).toEqual(['2026-03-30']);
    const stored = await kysely().selectFrom('lesson').select(['identified_on', 'created_at']).where('id', '=', lessons[0]?.id ?? 0).executeTakeFirstOrThrow();
    expect(stored.identified_on).toBe('2026-03-30');
    expect(stored.created_at).toContain('2026-04-03');
    // Its two actions count in 2025/26, the year of the decision, and not in 2026/27.
    expect(await learningIn(2025)).toBe(before.year2025 + 2);
    expect(await learningIn(2026)).toBe(before.year2026);
  });
});
