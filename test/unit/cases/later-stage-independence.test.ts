/**
 * Independence at Stage 2 and the later-stage rules around it, without a database: the
 * Independent Person from outside the council, the adjudicator independent of the
 * investigation and of the Stage 1 response, panel declarations reported against the member,
 * reasons for a late panel meeting or Stage 2 response (lateness as the clock engine decides
 * it), and who stays appointed once Stage 2 is answered.
 */
import { describe, expect, it } from 'vitest';
import { shippedCalendar } from '../../../src/domain/calendar/shipped-holidays.ts';
import { addDays } from '../../../src/domain/calendar/iso-date.ts';
import { computeClock } from '../../../src/domain/clocks/clock-engine.ts';
import { procedureDefinition } from '../../../src/domain/procedures/procedure-definitions.ts';
import { DomainError, InputProblems } from '../../../src/domain/errors.ts';
import { type Appointment, type LaterStageFacts, availableSteps, decideStep } from '../../../src/domain/cases/later-stage-workflow.ts';
import { checkAdjudicator, checkIndependence, isSamePerson, panelProblems } from '../../../src/domain/cases/later-stages.ts';
import type { Role } from '../../../src/domain/users/roles.ts';

const calendar = shippedCalendar();
const context = { today: '2026-09-30', calendar };
const team = { userId: 1, roles: ['complaints_officer'] as Role[], name: 'Tess Team' };
const senior = { userId: 2, roles: ['senior_manager'] as Role[], name: 'Sam Senior' };
const DECLARED = ['not_member', 'not_officer', 'not_spouse_or_partner'];

const investigatorAppointment: Appointment = { id: 1, stage: 2, role: 'investigator', userId: 3, name: 'Ira Vestigate', isExternal: false, isChair: false, declarations: [], appointedOn: '2026-03-23' };
const ipAppointment: Appointment = {
  id: 2,
  stage: 2,
  role: 'independent_person',
  userId: 4,
  name: 'Indie Person',
  isExternal: true,
  isChair: false,
  declarations: DECLARED,
  declaredOn: '2026-03-23',
  appointedOn: '2026-03-23',
};

/** Stage 2 ready to be adjudicated: statement, investigator, Independent Person, report, advocacy offered. */
const readyToAdjudicate: LaterStageFacts = {
  kind: 'children_statutory',
  status: 'stage2',
  receivedOn: '2026-03-02',
  complainantRole: 'parent',
  stage1RespondedOn: '2026-03-13',
  stage2: { state: 'investigating', requestedOn: '2026-03-20', statementAgreedOn: '2026-03-23', reportReceivedOn: '2026-04-15' },
  points: [
    { number: 1, text: 'Not told' },
    { number: 2, text: 'Not visited' },
  ],
  appointments: [investigatorAppointment, ipAppointment],
  stage2AdvocacyOffered: true,
  clocks: { stage2_response: { startedOn: '2026-03-23' } },
};

const adjudicated: LaterStageFacts = {
  ...readyToAdjudicate,
  status: 'responded',
  stage2: { state: 'adjudicated', requestedOn: '2026-03-20', statementAgreedOn: '2026-03-23', reportReceivedOn: '2026-04-15', respondedOn: '2026-04-20' },
  appointments: [],
  endedAppointments: [investigatorAppointment, ipAppointment],
  clocks: { stage2_response: { startedOn: '2026-03-23', stoppedOn: '2026-04-20' } },
};

const awaitingPanel: LaterStageFacts = {
  ...adjudicated,
  status: 'stage3',
  stage3: { state: 'awaiting_panel', requestedOn: '2026-04-27' },
  appointments: [{ ...ipAppointment, id: 5, stage: 3, appointedOn: '2026-04-27' }],
  clocks: { ...adjudicated.clocks, panel_meeting: { startedOn: '2026-04-27' } },
};

/** The due date the clock engine gives a clock of the Children Act procedure started on `startedOn`. */
function dueDateOf(key: string, startedOn: string): string {
  const definition = procedureDefinition('children_statutory').clocks.find((c) => c.key === key);
  if (definition === undefined) throw new Error(`no clock ${key}`);
  return computeClock(definition, calendar, { startedOn }, startedOn).dueDate;
}

/** Every problem a step reports, as `field: code`. */
function problemsOf(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof InputProblems) return error.problems.map((p) => `${p.field ?? ''}: ${p.code}`);
    if (error instanceof DomainError) return [`: ${error.code}`];
    throw error;
  }
  return [];
}

function thrown(work: () => unknown): DomainError | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof DomainError) return error instanceof InputProblems ? error.problems[0] : error;
    throw error;
  }
  return undefined;
}

describe('the Independent Person', () => {
  const appoint = { name: 'Indie Other', appointed_on: '2026-04-01', declarations: DECLARED, declared_on: '2026-04-01' };
  const stage2Open: LaterStageFacts = { ...readyToAdjudicate, appointments: [investigatorAppointment] };

  it('must be from outside the council, whatever they declared', () => {
    const refused = thrown(() => decideStep(stage2Open, team, 'appoint_independent_person', { ...appoint, is_external: 'no' }, context));
    expect(refused).toMatchObject({ code: 'independent_person_not_external', field: 'is_external' });
    expect(refused?.message).toContain('outside the council');
    const outcome = decideStep(stage2Open, team, 'appoint_independent_person', { ...appoint, is_external: 'yes' }, context);
    expect(outcome.appointments).toEqual([expect.objectContaining({ role: 'independent_person', isExternal: true, declarations: DECLARED })]);
  });

  it('still has to make every declaration', () => {
    expect(problemsOf(() => decideStep(stage2Open, team, 'appoint_independent_person', { ...appoint, is_external: 'yes', declarations: ['not_member', 'not_officer'] }, context))).toEqual([
      'declarations: independence_not_declared',
    ]);
    expect(problemsOf(() => decideStep(stage2Open, team, 'appoint_independent_person', { ...appoint, is_external: 'yes', declarations: [] }, context))).toEqual(['declarations: missing_declarations']);
  });

  it('is checked as a rule of its own: an insider is refused before the declarations are looked at', () => {
    expect(thrown(() => { checkIndependence({ personKey: 'name:x', declarations: [], isExternal: false }); })?.code).toBe('independent_person_not_external');
    expect(thrown(() => { checkIndependence({ personKey: 'name:x', declarations: DECLARED, declaredOn: '2026-04-01', isExternal: true }); })).toBeUndefined();
    // Panel members are not asked whether they are from outside: their declarations decide.
    expect(thrown(() => { checkIndependence({ personKey: 'name:x', declarations: DECLARED, declaredOn: '2026-04-01' }); })).toBeUndefined();
  });
});

describe('the adjudicator', () => {
  const adjudication = { responded_on: '2026-04-20', finding_1: 'upheld', finding_2: 'not_upheld' };

  it('may not be the investigating officer: by account', () => {
    const investigatingSenior = { userId: 3, roles: ['senior_manager'] as Role[], name: 'Someone Else' };
    const refused = thrown(() => decideStep(readyToAdjudicate, investigatingSenior, 'adjudicate', adjudication, context));
    expect(refused?.code).toBe('adjudicator_not_independent');
    expect(refused?.message).toContain('investigating officer');
  });

  it('may not be the investigating officer: by name, when the investigator was appointed without an account', () => {
    const byName: LaterStageFacts = { ...readyToAdjudicate, appointments: [{ ...investigatorAppointment, userId: undefined, name: '  SAM   senior ' }, ipAppointment] };
    expect(thrown(() => decideStep(byName, senior, 'adjudicate', adjudication, context))?.code).toBe('adjudicator_not_independent');
  });

  it('may not be an investigating officer who was replaced during Stage 2', () => {
    const replaced: LaterStageFacts = { ...readyToAdjudicate, endedAppointments: [{ ...investigatorAppointment, id: 0, userId: 2, name: 'Sam Senior' }] };
    expect(thrown(() => decideStep(replaced, senior, 'adjudicate', adjudication, context))?.code).toBe('adjudicator_not_independent');
  });

  it('may not be the Stage 1 responding manager, recognised by their account', () => {
    const byAccount = thrown(() => decideStep({ ...readyToAdjudicate, stage1Responder: { userId: 2, name: 'Renamed Since' } }, senior, 'adjudicate', adjudication, context));
    expect(byAccount?.code).toBe('adjudicator_not_independent');
    expect(byAccount?.message).toContain('Stage 1');
    // Another account is another person, even with the same name.
    expect(thrown(() => decideStep({ ...readyToAdjudicate, stage1Responder: { userId: 77, name: 'sam senior' } }, senior, 'adjudicate', adjudication, context))).toBeUndefined();
  });

  it('may be someone who shares a name with an investigating officer appointed with another account', () => {
    const namesake: LaterStageFacts = { ...readyToAdjudicate, appointments: [{ ...investigatorAppointment, userId: 3, name: 'Sam Senior' }, ipAppointment] };
    expect(thrown(() => decideStep(namesake, senior, 'adjudicate', adjudication, context))).toBeUndefined();
  });

  it('is refused before the form is shown, and the case page says why', () => {
    const facts = { ...readyToAdjudicate, stage1Responder: { userId: 2, name: 'Sam Senior' } };
    expect(availableSteps(facts, senior, context).find((s) => s.step === 'adjudicate')).toMatchObject({ isAllowed: false, message: expect.stringContaining('another senior manager') as unknown });
    // Another senior manager may adjudicate.
    const other = { userId: 9, roles: ['senior_manager'] as Role[], name: 'Olu Other' };
    expect(availableSteps(facts, other, context).find((s) => s.step === 'adjudicate')).toMatchObject({ isAllowed: true });
    expect(decideStep(facts, other, 'adjudicate', adjudication, context).changes).toMatchObject({ state: 'adjudicated' });
  });

  it('is checked as a rule of its own', () => {
    expect(thrown(() => { checkAdjudicator({ userId: 2, name: 'A' }, { investigators: [{ userId: 3, name: 'B' }] }); })).toBeUndefined();
    expect(thrown(() => { checkAdjudicator({ userId: 2, name: 'A' }, { investigators: [], stage1Responder: { userId: 2, name: 'X' } }); })?.code).toBe('adjudicator_not_independent');
    expect(thrown(() => { checkAdjudicator({ userId: 2, name: 'Ann Lee' }, { investigators: [{ name: ' ann  LEE ' }] }); })?.code).toBe('adjudicator_not_independent');
    // Someone whose name is not known is matched by account only.
    expect(thrown(() => { checkAdjudicator({ userId: 2, name: '' }, { investigators: [{ name: '' }] }); })).toBeUndefined();
    expect(isSamePerson({ name: ' Pat  Smith' }, { userId: 5, name: 'pat smith ' })).toBe(true);
  });
});

describe('reasons for a late response or meeting (as the clock engine dates it)', () => {
  it('requires reasons for a panel meeting after its due date, and records them', () => {
    const panel: LaterStageFacts = {
      ...awaitingPanel,
      appointments: [...awaitingPanel.appointments, { id: 9, stage: 3, role: 'panel_member', name: 'A', isExternal: true, isChair: true, declarations: DECLARED, appointedOn: '2026-04-28' }],
    };
    const dueOn = dueDateOf('panel_meeting', '2026-04-27');
    const onTime = decideStep(panel, team, 'record_panel_meeting', { panel_met_on: dueOn, attendees: 'Them' }, context);
    expect(onTime.isLate).toBe(false);
    expect(onTime.changes.panel_delay_reasons).toBeNull();

    const late = addDays(dueOn, 1);
    const refused = thrown(() => decideStep(panel, team, 'record_panel_meeting', { panel_met_on: late, attendees: 'Them' }, context));
    expect(refused).toMatchObject({ code: 'delay_reasons_required', field: 'delay_reasons' });
    expect(refused?.message).toContain('panel met after its due date');

    const recorded = decideStep(panel, team, 'record_panel_meeting', { panel_met_on: late, attendees: 'Them', delay_reasons: ['complex_multi_team', 'consent_check'] }, context);
    expect(recorded.isLate).toBe(true);
    expect(recorded.changes).toMatchObject({ panel_met_on: late, state: 'panel_met', panel_delay_reasons: 'complex_multi_team,consent_check' });
    expect(recorded.recorded).toMatchObject({ delay_reasons: ['complex_multi_team', 'consent_check'] });
    expect(problemsOf(() => decideStep(panel, team, 'record_panel_meeting', { panel_met_on: late, attendees: 'Them', delay_reasons: ['no_such_reason'] }, context))).toEqual(['delay_reasons: invalid_delay_reasons']);
  });

  it('requires reasons for a Stage 2 adjudication after its due date', () => {
    const dueOn = dueDateOf('stage2_response', '2026-03-23');
    const adjudication = { finding_1: 'upheld', finding_2: 'not_upheld' };
    expect(decideStep(readyToAdjudicate, senior, 'adjudicate', { ...adjudication, responded_on: dueOn }, context).isLate).toBe(false);
    const late = addDays(dueOn, 1);
    expect(thrown(() => decideStep(readyToAdjudicate, senior, 'adjudicate', { ...adjudication, responded_on: late }, context))).toMatchObject({ code: 'delay_reasons_required', field: 'delay_reasons' });
    const outcome = decideStep(readyToAdjudicate, senior, 'adjudicate', { ...adjudication, responded_on: late, delay_reasons: ['complex_multi_team'] }, context);
    expect(outcome).toMatchObject({ isLate: true, changes: { delay_reasons: 'complex_multi_team' } });
  });
});

describe('panel members’ declarations', () => {
  const member = (n: number, name: string, declarations = DECLARED) => ({
    [`member_${String(n)}_name`]: name,
    [`member_${String(n)}_declarations`]: declarations,
    [`member_${String(n)}_declared_on`]: '2026-04-28',
  });

  it('are reported against the member who has not declared, by number and name', () => {
    const refused = thrown(() =>
      decideStep(awaitingPanel, team, 'appoint_panel', { ...member(1, 'Pat Chair'), ...member(2, 'Robin Second', ['not_member', 'not_officer']), ...member(3, 'Quinn'), chair: '1', appointed_on: '2026-04-28' }, context),
    );
    expect(refused).toMatchObject({ code: 'independence_not_declared', field: 'member_2_declarations' });
    expect(refused?.message).toBe(
      'Panel member 2 (Robin Second) has not declared that they are not the spouse or civil partner of a member or officer of the council: they cannot sit on the panel unless they do',
    );
  });

  it('list every member without a declaration at once', () => {
    expect(
      problemsOf(() =>
        decideStep(awaitingPanel, team, 'appoint_panel', { ...member(1, 'Pat', ['not_member']), ...member(2, 'Robin'), ...member(3, 'Quinn', ['not_officer']), chair: '1', appointed_on: '2026-04-28' }, context),
      ),
    ).toEqual(['member_1_declarations: independence_not_declared', 'member_3_declarations: independence_not_declared']);
  });

  it('still keep the Stage 2 Independent Person off the panel, against their name, after their Stage 2 appointment ended', () => {
    expect(problemsOf(() => decideStep(awaitingPanel, team, 'appoint_panel', { ...member(1, 'Pat'), ...member(2, 'Robin'), ...member(3, 'indie person'), chair: '1', appointed_on: '2026-04-28' }, context))).toEqual([
      'member_3_name: panel_includes_stage2_independent_person',
    ]);
  });

  it('is a rule of its own', () => {
    const declared = { declarations: DECLARED, declaredOn: '2026-04-28', isChair: false };
    expect(panelProblems([{ personKey: 'a', ...declared, isChair: true }, { personKey: 'b', ...declared }, { personKey: 'c', ...declared }], undefined)).toEqual([]);
    const problems = panelProblems([{ personKey: 'a', ...declared }, { personKey: 'b', ...declared, name: 'Bo', declarations: [] }, { personKey: 'c', ...declared }], 'a');
    expect(problems.map((p) => [p.code, p.field])).toEqual([
      ['panel_includes_stage2_independent_person', 'members'],
      ['panel_chair', 'chair'],
      ['independence_not_declared', 'member_2_declarations'],
    ]);
  });
});

describe('who stays appointed once Stage 2 is answered', () => {
  it('the adjudication ends the investigating officer’s and the Independent Person’s appointments', () => {
    const outcome = decideStep(readyToAdjudicate, senior, 'adjudicate', { responded_on: '2026-04-20', finding_1: 'upheld', finding_2: 'not_upheld' }, context);
    expect(outcome.endAppointments).toEqual({ roles: ['investigator', 'independent_person'], on: '2026-04-20' });
  });

  it('the corporate Stage 2 response ends them too', () => {
    const corporate: LaterStageFacts = {
      kind: 'corporate',
      status: 'stage2',
      receivedOn: '2026-03-02',
      stage1RespondedOn: '2026-03-13',
      stage2: { state: 'investigating', requestedOn: '2026-03-20', acknowledgedOn: '2026-03-23' },
      points: [],
      appointments: [],
      stage2AdvocacyOffered: false,
      clocks: {},
    };
    const manager = { userId: 8, roles: ['complaints_manager'] as Role[] };
    expect(decideStep(corporate, manager, 'respond_stage2', { responded_on: '2026-04-01', finding: 'upheld' }, context).endAppointments).toEqual({ roles: ['investigator', 'independent_person'], on: '2026-04-01' });
  });

  it('a review panel asked for appoints the Stage 2 Independent Person again, for Stage 3, and not the investigator', () => {
    const outcome = decideStep(adjudicated, team, 'request_stage3', { requested_on: '2026-04-27' }, context);
    expect(outcome.stage).toBe(3);
    expect(outcome.appointments).toEqual([
      { role: 'independent_person', userId: 4, name: 'Indie Person', isExternal: true, isChair: false, declarations: DECLARED, declaredOn: '2026-03-23', appointedOn: '2026-04-27' },
    ]);
    expect(outcome.endAppointments).toEqual({ roles: ['investigator', 'independent_person'], on: '2026-04-27' });
    expect(outcome.recorded).toMatchObject({ independent_person_reappointed: true });
  });

  it('a late request for a review panel that is refused appoints nobody', () => {
    // Three months after the adjudication: well outside the 20 working days to ask.
    const late = '2026-07-20';
    const outcome = decideStep(adjudicated, team, 'request_stage3', { requested_on: late, late_outcome: 'refused', late_reason: 'No reason given', late_decided_on: late }, context);
    expect(outcome.create?.state).toBe('refused');
    expect(outcome.appointments).toBeUndefined();
    expect(outcome.endAppointments).toBeUndefined();
  });
});
