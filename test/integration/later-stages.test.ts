/**
 * Stages 2 and 3 through the service on both engines: every clock checked against dates
 * worked out by hand across Christmas, New Year, Easter and the May bank holidays; the
 * late-request decision, the 65-working-day cap, independence, the panel without the
 * Stage 2 Independent Person, findings on every point; and who may see and act while
 * appointed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aStaffMember, teamIdsByName, testClock, testContainer, type TestClock } from '../support/builders.ts';
import { codeOfAsync } from '../support/domain-errors.ts';
import { aReport } from '../support/multipart.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import { InputProblems } from '../../src/domain/errors.ts';

const DECLARED = ['not_member', 'not_officer', 'not_spouse_or_partner'];

async function expectDomainError(work: Promise<unknown>, code: string): Promise<void> {
  expect(await codeOfAsync(work)).toBe(code);
}

describeEachEngine('Stages 2 and 3', (database) => {
  let container: Container;
  let clock: TestClock;
  let officer: StaffActor;
  let senior: StaffActor;
  let investigator: StaffActor;
  let independentPerson: StaffActor;
  let panellist: StaffActor;
  let otherInvestigator: StaffActor;
  let teamId: (name: string) => number;
  const kysely = () => database().db.kysely;

  /** Moves "today" to the end of `date`, so that steps dated then are not in the future. */
  const on = (date: string) => {
    clock.set(`${date}T17:00:00.000Z`);
  };

  const versionOf = async (reference: string) => (await kysely().selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
  const step = async (reference: string, name: string, input: Record<string, unknown>, actor: StaffActor = officer) =>
    container.laterStages.apply(reference, name, input, actor, await versionOf(reference));
  const stage1 = async (reference: string, action: string, input: Record<string, unknown>) =>
    container.caseActions.apply(reference, action, input, officer, await versionOf(reference));
  const clockOf = async (reference: string, key: string) => {
    const { id } = await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
    const row = await kysely().selectFrom('clock').selectAll().where('subject_id', '=', id).where('clock_key', '=', key).executeTakeFirst();
    return row === undefined ? undefined : { dueOn: row.due_on, isOpen: row.is_open === 1 };
  };

  /** A parent's complaint received on `receivedOn` and answered at Stage 1 on `respondedOn`. */
  const answeredComplaint = async (receivedOn: string, respondedOn: string): Promise<string> => {
    on(receivedOn);
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: receivedOn, channel: 'email', via_complaints_team: 'yes', summary: 'Contact visits were cancelled.', complainant_role: 'parent' },
        teamIds: [teamId('Care Management North')],
        complainant: { name: 'Sam Parent', email: 'sam@example.org' },
      },
      officer,
    );
    if (made === undefined) throw new Error('nothing registered');
    on(respondedOn);
    await stage1(made.reference, 'record_response', { responded_on: respondedOn, finding: 'not_upheld', remedies: ['explanation'] });
    return made.reference;
  };

  beforeAll(async () => {
    clock = testClock('2025-12-01T09:00:00.000Z');
    container = await testContainer(database(), clock);
    await container.demo.ensure();
    teamId = await teamIdsByName(container);
    officer = await aStaffMember(container, ['complaints_officer']);
    senior = await aStaffMember(container, ['senior_manager']);
    investigator = await aStaffMember(container, ['investigator']);
    otherInvestigator = await aStaffMember(container, ['investigator']);
    independentPerson = await aStaffMember(container, ['independent_person']);
    panellist = await aStaffMember(container, ['panel_member']);
  });

  it('takes a complaint from Stage 1 through Stage 2 and a review panel, with every clock dated by hand', async () => {
    // Stage 1 answered on Friday 12 December 2025.
    const reference = await answeredComplaint('2025-12-01', '2025-12-12');

    // 20 working days from 12 Dec, skipping 25 and 26 Dec and 1 Jan: the window ends Wednesday 14 January 2026.
    on('2026-01-16');
    const late = await (async () => {
      try {
        await step(reference, 'request_stage2', { requested_on: '2026-01-15' });
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(late).toBeInstanceOf(InputProblems);
    expect((late as InputProblems).problems.map((p) => p.code)).toEqual(['missing_late_decision']);
    expect(await kysely().selectFrom('stage2').select('id').execute()).toHaveLength(0);

    await step(reference, 'request_stage2', { requested_on: '2026-01-15', late_outcome: 'accepted', late_reason: 'Away over Christmas; the complaint can still be looked at fairly.', late_decided_on: '2026-01-16' });
    const stage2 = await kysely().selectFrom('stage2').selectAll().executeTakeFirstOrThrow();
    expect(stage2).toMatchObject({ state: 'investigating', requested_on: '2026-01-15', window_ends_on: '2026-01-14', is_late: 1, late_outcome: 'accepted' });
    expect(await kysely().selectFrom('representation').select(['status', 'stage']).where('reference', '=', reference).executeTakeFirstOrThrow()).toEqual({ status: 'stage2', stage: 2 });
    // Until the statement is agreed the 25 working days run from the request (Thu 15 Jan): due Thursday 19 February.
    expect(await clockOf(reference, 'stage2_response')).toEqual({ dueOn: '2026-02-19', isOpen: true });

    on('2026-01-20');
    await step(reference, 'agree_statement', { statement_agreed_on: '2026-01-20', points: '1. Contact visits were cancelled without notice.\n2. Nobody returned my calls.' });
    // From the statement (Tue 20 Jan): due Tuesday 24 February.
    expect(await clockOf(reference, 'stage2_response')).toEqual({ dueOn: '2026-02-24', isOpen: true });
    expect((await kysely().selectFrom('complaint_point').select(['number', 'text']).orderBy('number').execute()).map((p) => p.text)).toEqual([
      'Contact visits were cancelled without notice.',
      'Nobody returned my calls.',
    ]);

    // Extended by 40 to 65 working days, across Good Friday (3 Apr) and Easter Monday (6 Apr): due Thursday 23 April.
    on('2026-02-10');
    await step(reference, 'extend_stage2', { extra_working_days: '40', extension_reason: 'complexity', complainant_told_on: '2026-02-10' });
    expect(await clockOf(reference, 'stage2_response')).toEqual({ dueOn: '2026-04-23', isOpen: true });
    // One more day would take it beyond 65 working days.
    await expectDomainError(step(reference, 'extend_stage2', { extra_working_days: '1', extension_reason: 'complexity', complainant_told_on: '2026-02-10' }), 'extension_beyond_cap');

    // Not appointed yet: the investigator may not know the case exists.
    await expectDomainError(container.laterStages.view(reference, investigator), 'case_not_found');
    await step(reference, 'appoint_investigator', { name: 'Ira Vestigate', user_id: String(investigator.userId), is_external: 'yes', appointed_on: '2026-02-10' });
    await expectDomainError(
      step(reference, 'appoint_independent_person', { name: 'Indie Person', user_id: String(independentPerson.userId), is_external: 'yes', appointed_on: '2026-02-10', declarations: ['not_member', 'not_officer'], declared_on: '2026-02-09' }),
      'independence_not_declared',
    );
    await step(reference, 'appoint_independent_person', { name: 'Indie Person', user_id: String(independentPerson.userId), is_external: 'yes', appointed_on: '2026-02-10', declarations: DECLARED, declared_on: '2026-02-09' });
    expect((await container.laterStages.view(reference, investigator)).appointments).toHaveLength(2);
    await expectDomainError(container.laterStages.view(reference, otherInvestigator), 'case_not_found');
    expect(await container.cases.load(reference, investigator)).toMatchObject({ visibility: 'full' });
    expect(await container.cases.load(reference, otherInvestigator)).toBeUndefined();

    // The appointed investigator records the report; a senior manager adjudicates.
    on('2026-04-01');
    await step(reference, 'record_report', { report_received_on: '2026-04-01', report: aReport() }, investigator);
    await expectDomainError(step(reference, 'adjudicate', { responded_on: '2026-04-01' }, officer), 'role_may_not');
    on('2026-04-23');
    await expectDomainError(step(reference, 'adjudicate', { responded_on: '2026-04-23', finding_1: 'upheld' }, senior), 'adjudication_without_findings');
    expect(await kysely().selectFrom('stage2').select('state').executeTakeFirstOrThrow()).toEqual({ state: 'investigating' });
    const adjudication = await step(reference, 'adjudicate', { responded_on: '2026-04-23', finding_1: 'upheld', finding_2: 'not_upheld' }, senior);
    expect(adjudication.isLate).toBe(false);
    expect(await kysely().selectFrom('stage2').select(['state', 'responded_on', 'finding', 'adjudicated_by']).executeTakeFirstOrThrow()).toEqual({
      state: 'adjudicated',
      responded_on: '2026-04-23',
      finding: 'partially_upheld',
      adjudicated_by: senior.userId,
    });
    expect(await clockOf(reference, 'stage2_response')).toEqual({ dueOn: '2026-04-23', isOpen: false });
    await step(reference, 'record_costs', { cost_investigator: '2,000', cost_independent_person: '£1,500.50' });
    expect(await kysely().selectFrom('stage2').select(['cost_investigator_pence', 'cost_independent_person_pence', 'cost_other_pence']).executeTakeFirstOrThrow()).toEqual({
      cost_investigator_pence: 200_000,
      cost_independent_person_pence: 150_050,
      cost_other_pence: null,
    });

    // Stage 3 asked for on Monday 27 April: in time (the window runs to Friday 22 May, past the early May bank holiday).
    on('2026-04-27');
    await step(reference, 'request_stage3', { requested_on: '2026-04-27' });
    expect(await kysely().selectFrom('stage3').select(['state', 'window_ends_on', 'is_late']).executeTakeFirstOrThrow()).toEqual({ state: 'awaiting_panel', window_ends_on: '2026-05-22', is_late: 0 });
    // 30 working days, skipping 4 May and 25 May: the panel is due to meet by Wednesday 10 June.
    expect(await clockOf(reference, 'panel_meeting')).toEqual({ dueOn: '2026-06-10', isOpen: true });

    const member = (n: number, name: string, userId?: number) => ({
      [`member_${String(n)}_name`]: name,
      ...(userId === undefined ? {} : { [`member_${String(n)}_user_id`]: String(userId) }),
      [`member_${String(n)}_declarations`]: DECLARED,
      [`member_${String(n)}_declared_on`]: '2026-04-27',
    });
    // The Stage 2 Independent Person may not sit.
    on('2026-04-28');
    await expectDomainError(
      step(reference, 'appoint_panel', { ...member(1, 'Pat Chair', panellist.userId), ...member(2, 'Indie Person'), ...member(3, 'Quinn Third'), chair: '1', appointed_on: '2026-04-28' }),
      'panel_includes_stage2_independent_person',
    );
    expect(await kysely().selectFrom('appointment').select('id').where('role', '=', 'panel_member').execute()).toHaveLength(0);
    await step(reference, 'appoint_panel', { ...member(1, 'Pat Chair', panellist.userId), ...member(2, 'Robin Second'), ...member(3, 'Quinn Third'), chair: '1', appointed_on: '2026-04-28' });

    // The panel member records the meeting: recommendations due 5 working days later, Tuesday 16 June.
    on('2026-06-09');
    await step(reference, 'record_panel_meeting', { panel_met_on: '2026-06-09', attendees: 'The complainant, the investigating officer, the Independent Person.' }, panellist);
    expect(await clockOf(reference, 'panel_meeting')).toEqual({ dueOn: '2026-06-10', isOpen: false });
    expect(await clockOf(reference, 'panel_recommendations')).toEqual({ dueOn: '2026-06-16', isOpen: true });
    on('2026-06-15');
    await step(reference, 'record_recommendations', { recommendations_received_on: '2026-06-15', recommendations: 'Review how contact is cancelled.\nCall back within two days.' }, panellist);
    // The council responds within 15 working days: by Monday 6 July.
    expect(await clockOf(reference, 'council_response')).toEqual({ dueOn: '2026-07-06', isOpen: true });
    on('2026-07-03');
    await expectDomainError(step(reference, 'record_council_response', { responded_on: '2026-07-03', independent_person_consulted_on: '2026-07-02' }, officer), 'role_may_not');
    await expectDomainError(step(reference, 'record_council_response', { responded_on: '2026-07-03', independent_person_consulted_on: '2026-07-02', decision_1: 'not_accepted' }, senior), 'missing_decision_2');
    // Each recommendation the council accepts becomes a learning action: it needs a due date.
    await expectDomainError(step(reference, 'record_council_response', { responded_on: '2026-07-03', independent_person_consulted_on: '2026-07-02', decision_1: 'not_accepted', decision_2: 'accepted_in_part' }, senior), 'missing_actions_due_on');
    await step(reference, 'record_council_response', { responded_on: '2026-07-03', independent_person_consulted_on: '2026-07-02', decision_1: 'not_accepted', decision_2: 'not_accepted', reasons_2: 'We already call back within two days.' }, senior);
    expect(JSON.parse((await kysely().selectFrom('stage3').select('council_decisions').executeTakeFirstOrThrow()).council_decisions ?? '')).toEqual([
      { decision: 'not_accepted' },
      { decision: 'not_accepted', reasons: 'We already call back within two days.' },
    ]);
    expect(await kysely().selectFrom('stage3').select(['state', 'responded_on']).executeTakeFirstOrThrow()).toEqual({ state: 'responded', responded_on: '2026-07-03' });
    expect(await clockOf(reference, 'council_response')).toEqual({ dueOn: '2026-07-06', isOpen: false });
    expect(await kysely().selectFrom('representation').select(['status', 'stage']).where('reference', '=', reference).executeTakeFirstOrThrow()).toEqual({ status: 'responded', stage: 3 });

    // Appointments end with the procedure: the panel member and the investigator see it no more.
    await expectDomainError(container.laterStages.view(reference, panellist), 'case_not_found');
    await expectDomainError(container.laterStages.view(reference, investigator), 'case_not_found');

    // The annual report counts each event in the year it happened (docs/annual-report.md).
    const figuresOf = async (year: number) => (await container.annualReports.report(year, { asAt: '2026-11-26' })).figures.children_statutory;
    expect(await figuresOf(2025)).toMatchObject({ stage2: { requested: 1, responded: 0, cost_gbp: 0 }, stage3: { requested: 0, panels_held: 0 } });
    expect(await figuresOf(2026)).toMatchObject({ stage2: { requested: 0, responded: 1, cost_gbp: 3500.5 }, stage3: { requested: 1, panels_held: 1 } });
    // Beyond the JSON: each stage's timeliness from its clock, and the cost by heading.
    const details = (await container.annualReports.report(2026, { asAt: '2026-11-26' })).details;
    expect(details.stage2).toEqual({ responded: 1, inTime: 0, inExtendedTime: 1, late: 0, notKnown: 0, costPence: { investigator: 200_000, independentPerson: 150_050, other: 0 } });
    expect(details.stage3).toEqual({ panelsHeld: 1, panelsInTime: 1, recommendations: 1, recommendationsInTime: 1, responses: 1, responsesInTime: 1 });
    expect((await container.annualReports.report(2025, { asAt: '2026-11-26' })).details.stage2.responded).toBe(0);

    const history = await kysely()
      .selectFrom('history_entry as h')
      .innerJoin('representation as r', 'r.id', 'h.subject_id')
      .select(['h.action', 'h.summary'])
      .where('r.reference', '=', reference)
      .orderBy('h.id')
      .execute();
    expect(history.map((h) => h.action)).toEqual([
      'registered',
      'record_response',
      'request_stage2',
      'agree_statement',
      'extend_stage2',
      'appoint_investigator',
      'appoint_independent_person',
      'record_report',
      'adjudicate',
      'record_costs',
      'request_stage3',
      'appoint_panel',
      'record_panel_meeting',
      'record_recommendations',
      'record_council_response',
    ]);
    expect(history.map((h) => h.summary).join(' ')).not.toMatch(/Sam|Ira|Indie|Pat Chair/);
    const { id } = await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
    const audits = await kysely().selectFrom('audit_event').select(['action', 'user_id']).where('entity_id', '=', String(id)).where('action', 'like', 'representation_%').orderBy('id').execute();
    expect(audits.map((a) => a.action).slice(-13)).toEqual(history.slice(2).map((h) => `representation_${h.action}`));
    expect(audits.find((a) => a.action === 'representation_record_report')?.user_id).toBe(investigator.userId);
  });

  describe('refusals', () => {
    it('refuses Stage 3 before a Stage 2 response, and Stage 2 before a Stage 1 response', async () => {
      const reference = await answeredComplaint('2026-03-02', '2026-03-06');
      await expectDomainError(step(reference, 'request_stage3', { requested_on: '2026-03-09' }), 'stage3_before_stage2_response');
      on('2026-03-09');
      const [fresh] = await container.registration.register(
        { fields: { kind: 'children_statutory', received_on: '2026-03-09', channel: 'email', summary: 'Another', complainant_role: 'parent' }, teamIds: [teamId('Fostering')], complainant: { name: 'Alex Other' } },
        officer,
      );
      // Without a response, Stage 2 needs a route: Stage 1 past its deadline, or an agreement.
      await expectDomainError(step(fresh?.reference ?? '', 'request_stage2', { requested_on: '2026-03-09' }), 'missing_stage2_route');
      await expectDomainError(step(fresh?.reference ?? '', 'request_stage2', { requested_on: '2026-03-09', stage2_route: 'no_response' }), 'stage1_not_overdue');
    });

    it('records a refused late request without starting Stage 2', async () => {
      const reference = await answeredComplaint('2026-01-05', '2026-01-09');
      on('2026-03-20');
      await step(reference, 'request_stage2', { requested_on: '2026-03-20', late_outcome: 'refused', late_reason: 'Nine weeks late with no reason given.', late_decided_on: '2026-03-20' });
      const row = await kysely()
        .selectFrom('stage2 as s')
        .innerJoin('representation as r', 'r.id', 's.representation_id')
        .select(['s.state', 'r.status', 'r.stage'])
        .where('r.reference', '=', reference)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ state: 'refused', status: 'responded', stage: 1 });
      expect(await clockOf(reference, 'stage2_response')).toBeUndefined();
    });

    it('lists every problem with a form at once and writes nothing', async () => {
      const reference = await answeredComplaint('2026-02-02', '2026-02-06');
      on('2026-02-09');
      await step(reference, 'request_stage2', { requested_on: '2026-02-09' });
      const before = await versionOf(reference);
      try {
        await step(reference, 'appoint_independent_person', { name: '', appointed_on: '2026-02-31', declared_on: 'soon', is_external: 'maybe' });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(InputProblems);
        expect((error as InputProblems).problems.map((p) => p.field)).toEqual(['name', 'is_external', 'appointed_on', 'declarations', 'declared_on']);
      }
      expect(await versionOf(reference)).toBe(before);
      expect(await kysely().selectFrom('appointment').select('appointment.id').innerJoin('representation as r', 'r.id', 'appointment.representation_id').where('r.reference', '=', reference).execute()).toHaveLength(0);
    });

    it('asks for reasons when the adjudication is late, and refuses a stale version', async () => {
      const reference = await answeredComplaint('2026-01-05', '2026-01-09');
      on('2026-01-12');
      await step(reference, 'request_stage2', { requested_on: '2026-01-12' });
      await step(reference, 'agree_statement', { statement_agreed_on: '2026-01-12', points: 'One point' });
      await step(reference, 'appoint_investigator', { name: 'Ira', is_external: 'no', appointed_on: '2026-01-12' });
      await step(reference, 'appoint_independent_person', { name: 'Indie', is_external: 'yes', appointed_on: '2026-01-12', declarations: DECLARED, declared_on: '2026-01-12' });
      await step(reference, 'record_report', { report_received_on: '2026-01-12', report: aReport() });
      // 25 working days from Mon 12 Jan: due Monday 16 February; answered on Tuesday 17 February.
      on('2026-02-17');
      await expectDomainError(step(reference, 'adjudicate', { responded_on: '2026-02-17', finding_1: 'upheld' }, senior), 'delay_reasons_required');
      const version = await versionOf(reference);
      await expectDomainError(container.laterStages.apply(reference, 'adjudicate', { responded_on: '2026-02-17', finding_1: 'upheld', delay_reasons: ['complex_multi_team'] }, senior, version - 1), 'stale_update');
      const done = await step(reference, 'adjudicate', { responded_on: '2026-02-17', finding_1: 'upheld', delay_reasons: ['complex_multi_team'] }, senior);
      expect(done.isLate).toBe(true);
    });
  });
});
