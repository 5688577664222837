/**
 * The Stage 2 and 3 table applied to facts, without a database: who may take each step and
 * when, what each refuses, and the clock changes it asks for.
 */
import { describe, expect, it } from 'vitest';
import { shippedCalendar } from '../../../src/domain/calendar/shipped-holidays.ts';
import { DomainError, InputProblems } from '../../../src/domain/errors.ts';
import { type LaterStageFacts, availableSteps, decideStep, isSamePerson, personKeyOf } from '../../../src/domain/cases/later-stage-workflow.ts';
import { readFields } from '../../../src/domain/cases/later-stage-fields.ts';
import { formatPence, poundsToPence } from '../../../src/domain/money.ts';
import type { Role } from '../../../src/domain/users/roles.ts';
import { PDF, PNG } from '../../support/file-samples.ts';

const calendar = shippedCalendar();
const context = { today: '2026-06-30', calendar };
const team = { userId: 1, roles: ['complaints_officer'] as Role[] };
const senior = { userId: 2, roles: ['senior_manager'] as Role[] };
const investigator = { userId: 3, roles: ['investigator'] as Role[] };
const DECLARED = ['not_member', 'not_officer', 'not_spouse_or_partner'];

const answered: LaterStageFacts = {
  kind: 'children_statutory',
  status: 'responded',
  receivedOn: '2026-03-02',
  stage1RespondedOn: '2026-03-13',
  points: [],
  appointments: [],
  stage2AdvocacyOffered: false,
  clocks: {},
};

const investigating: LaterStageFacts = {
  ...answered,
  status: 'stage2',
  complainantRole: 'child',
  stage2: { state: 'investigating', requestedOn: '2026-03-20', statementAgreedOn: '2026-03-23', reportReceivedOn: '2026-04-15' },
  points: [
    { number: 1, text: 'Not told' },
    { number: 2, text: 'Not visited' },
  ],
  appointments: [
    { id: 1, stage: 2, role: 'investigator', userId: 3, name: 'Ira', isExternal: true, isChair: false, declarations: [], appointedOn: '2026-03-23' },
    { id: 2, stage: 2, role: 'independent_person', name: 'Indie Person', isExternal: true, isChair: false, declarations: DECLARED, declaredOn: '2026-03-23', appointedOn: '2026-03-23' },
  ],
  clocks: { stage2_response: { startedOn: '2026-03-23' } },
};

function refusalCode(work: () => unknown): string | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    if (error instanceof InputProblems) return error.problems[0]?.code;
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('requests for the next stage', () => {
  it('starts Stage 2 and its clock from a request in time, with the window it was in', () => {
    const outcome = decideStep(answered, team, 'request_stage2', { requested_on: '2026-04-01' }, context);
    expect(outcome.create).toMatchObject({ state: 'investigating', windowEndsOn: '2026-04-14', isLate: false });
    expect(outcome.caseChanges).toEqual({ status: 'stage2', stage: 2 });
    expect(outcome.clocks).toEqual([{ op: 'start', key: 'stage2_response', events: { startedOn: '2026-04-01' } }]);
  });

  it('never refuses a late request by itself: it needs a decision with reasons', () => {
    expect(refusalCode(() => decideStep(answered, team, 'request_stage2', { requested_on: '2026-04-15' }, context))).toBe('missing_late_decision');
    expect(refusalCode(() => decideStep(answered, team, 'request_stage2', { requested_on: '2026-04-15', late_outcome: 'refused', late_decided_on: '2026-04-16' }, context))).toBe('missing_late_reason');
    const refused = decideStep(answered, team, 'request_stage2', { requested_on: '2026-04-15', late_outcome: 'refused', late_reason: 'No reason given', late_decided_on: '2026-04-16' }, context);
    expect(refused.create).toMatchObject({ state: 'refused', isLate: true, lateOutcome: 'refused' });
    expect(refused.caseChanges).toEqual({});
    expect(refused.clocks).toEqual([]);
  });

  it('refuses Stage 3 before the adjudication, and Stage 2 before the Stage 1 response', () => {
    expect(refusalCode(() => decideStep(investigating, team, 'request_stage3', { requested_on: '2026-06-01' }, context))).toBe('stage3_before_stage2_response');
    const { stage1RespondedOn: _unused, ...unanswered } = answered;
    expect(refusalCode(() => decideStep(unanswered, team, 'request_stage2', { requested_on: '2026-06-01' }, context))).toBe('stage2_before_stage1_response');
  });
});

describe('Stage 2', () => {
  it('holds the 25-working-day clock to 65 at most', () => {
    const extended = decideStep(investigating, team, 'extend_stage2', { extra_working_days: '40', extension_reason: 'complexity', complainant_told_on: '2026-04-01' }, context);
    expect(extended.clocks[0]).toMatchObject({ op: 'update', key: 'stage2_response', isOpen: true });
    expect(extended.recorded.stage2_response_due_on).toBe('2026-06-26');
    expect(refusalCode(() => decideStep(investigating, team, 'extend_stage2', { extra_working_days: '41', extension_reason: 'complexity', complainant_told_on: '2026-04-01' }, context))).toBe('extension_beyond_cap');
  });

  it('records the reason for an extension as a code, with words only for "other"', () => {
    const extend = (input: Record<string, unknown>) => decideStep(investigating, team, 'extend_stage2', { extra_working_days: '5', complainant_told_on: '2026-04-01', ...input }, context);
    const coded = extend({ extension_reason: 'advocate_needed' });
    expect(coded.recorded.extension_reason).toBe('advocate_needed');
    expect(coded.clocks[0]).toMatchObject({ events: { extensions: [{ extraWorkingDays: 5, reasonCode: 'advocate_needed', reason: 'The complainant needs an advocate' }] } });
    const other = extend({ extension_reason: 'other', extension_reason_text: 'The police have the records' });
    expect(other.clocks[0]).toMatchObject({ events: { extensions: [{ reasonCode: 'other', reason: 'The police have the records' }] } });

    const problems = (input: Record<string, unknown>) => {
      try {
        extend(input);
      } catch (error) {
        if (error instanceof InputProblems) return error.problems.map((p) => ({ code: p.code, field: p.field }));
        throw error;
      }
      return [];
    };
    expect(problems({ extension_reason: 'other' })).toEqual([{ code: 'missing_extension_reason_text', field: 'extension_reason_text' }]);
    expect(problems({ extension_reason: 'busy' })).toEqual([{ code: 'invalid_extension_reason', field: 'extension_reason' }]);
    expect(problems({})).toEqual([{ code: 'missing_extension_reason', field: 'extension_reason' }]);
  });

  it('lets only a senior manager adjudicate, once the advocate has been offered again, with a finding on every point', () => {
    expect(refusalCode(() => decideStep(investigating, team, 'adjudicate', {}, context))).toBe('role_may_not');
    expect(refusalCode(() => decideStep(investigating, senior, 'adjudicate', {}, context))).toBe('advocacy_offer_required');
    const offered = { ...investigating, stage2AdvocacyOffered: true };
    expect(refusalCode(() => decideStep(offered, senior, 'adjudicate', { responded_on: '2026-04-20', finding_1: 'upheld' }, context))).toBe('adjudication_without_findings');
    const outcome = decideStep(offered, senior, 'adjudicate', { responded_on: '2026-04-20', finding_1: 'upheld', finding_2: 'not_upheld' }, context);
    expect(outcome.changes).toMatchObject({ state: 'adjudicated', finding: 'partially_upheld', responded_on: '2026-04-20' });
    expect(outcome.caseChanges).toEqual({ status: 'responded' });
    expect(outcome.clocks[0]).toMatchObject({ op: 'update', key: 'stage2_response', isOpen: false });
  });

  it('lets the appointed investigator record the report, and no other investigator', () => {
    const before = { ...investigating, stage2: { state: 'investigating' as const, requestedOn: '2026-03-20', statementAgreedOn: '2026-03-23' } };
    const report = { fileName: 'Report.pdf', bytes: PDF };
    const outcome = decideStep(before, investigator, 'record_report', { report_received_on: '2026-05-01', report }, context);
    expect(outcome.changes).toEqual({ report_received_on: '2026-05-01' });
    expect(outcome.documents).toEqual([{ subjectType: 'stage2_report', file: { upload: report, accepted: { kind: 'pdf', mediaType: 'application/pdf', fileName: 'Report.pdf' } } }]);
    expect(outcome.recorded).toEqual({ report_received_on: '2026-05-01', report_media_type: 'application/pdf' });
    expect(refusalCode(() => decideStep(before, { userId: 99, roles: ['investigator'] }, 'record_report', { report_received_on: '2026-05-01', report }, context))).toBe('role_may_not');
  });

  it('refuses a report without its document, or one that is not a PDF or Word document', () => {
    const before = { ...investigating, stage2: { state: 'investigating' as const, requestedOn: '2026-03-20', statementAgreedOn: '2026-03-23' } };
    const problemsOf = (input: Record<string, unknown>): string[] => {
      try {
        decideStep(before, investigator, 'record_report', input, context);
      } catch (error) {
        if (error instanceof InputProblems) return error.problems.map((p) => `${p.field ?? ''}: ${p.code}`);
        throw error;
      }
      return [];
    };
    expect(problemsOf({ report_received_on: '2026-05-01' })).toEqual(['report: missing_report']);
    expect(problemsOf({ report_received_on: '2026-05-01', report: 'report.pdf' })).toEqual(['report: invalid_report']);
    expect(problemsOf({ report_received_on: '2026-05-01', report: { fileName: 'report.pdf', bytes: Buffer.from('not a pdf') } })).toEqual(['report: file_not_what_name_says']);
    expect(problemsOf({ report_received_on: '2026-05-01', report: { fileName: 'photo.png', bytes: PNG } })).toEqual(['report: file_type_not_allowed']);
    expect(problemsOf({ report_received_on: '2026-05-01', report: { fileName: 'big.pdf', bytes: Buffer.alloc(0), size: 11 * 1024 * 1024 } })).toEqual(['report: file_too_large']);
    expect(problemsOf({ report: { fileName: 'report.pdf', bytes: PDF } })).toEqual(['report_received_on: missing_report_received_on']);
  });

  it('refuses the same person as investigating officer and Independent Person, by account or by name', () => {
    expect(refusalCode(() => decideStep(investigating, team, 'appoint_independent_person', { name: 'Someone', user_id: '3', is_external: 'yes', appointed_on: '2026-04-01', declarations: DECLARED, declared_on: '2026-04-01' }, context))).toBe(
      'independent_person_is_investigator',
    );
    expect(refusalCode(() => decideStep(investigating, team, 'appoint_investigator', { name: ' indie  person ', is_external: 'no', appointed_on: '2026-04-01' }, context))).toBe('investigator_is_independent_person');
  });

  it('says what to do first for a step held back by the order of the work', () => {
    const { reportReceivedOn: _unused, ...stage2 } = investigating.stage2 ?? { state: 'investigating' as const, requestedOn: '' };
    const steps = availableSteps({ ...investigating, stage2 }, senior, context);
    expect(steps.find((s) => s.step === 'adjudicate')).toMatchObject({ isAllowed: false, message: 'Record the investigation report first' });
  });
});

describe('Stage 3', () => {
  const awaitingPanel: LaterStageFacts = {
    ...investigating,
    status: 'stage3',
    stage2: { state: 'adjudicated', requestedOn: '2026-03-20', respondedOn: '2026-04-20' },
    stage3: { state: 'awaiting_panel', requestedOn: '2026-04-27' },
    clocks: { panel_meeting: { startedOn: '2026-04-27' } },
  };
  const member = (n: number, name: string) => ({ [`member_${String(n)}_name`]: name, [`member_${String(n)}_declarations`]: DECLARED, [`member_${String(n)}_declared_on`]: '2026-04-28' });

  it('appoints a panel of three with one chair, without the Stage 2 Independent Person', () => {
    const ok = decideStep(awaitingPanel, team, 'appoint_panel', { ...member(1, 'A'), ...member(2, 'B'), ...member(3, 'C'), chair: '2', appointed_on: '2026-04-28' }, context);
    expect(ok.appointments?.map((a) => [a.name, a.isChair])).toEqual([
      ['A', false],
      ['B', true],
      ['C', false],
    ]);
    expect(refusalCode(() => decideStep(awaitingPanel, team, 'appoint_panel', { ...member(1, 'A'), ...member(2, 'Indie Person'), ...member(3, 'C'), chair: '1', appointed_on: '2026-04-28' }, context))).toBe(
      'panel_includes_stage2_independent_person',
    );
    expect(refusalCode(() => decideStep(awaitingPanel, team, 'appoint_panel', { ...member(1, 'A'), ...member(2, 'A'), ...member(3, 'C'), chair: '1', appointed_on: '2026-04-28' }, context))).toBe('panel_member_repeated');
  });

  it('moves the clocks on: meeting (30), recommendations (5), response (15)', () => {
    const panel = { ...awaitingPanel, appointments: [...awaitingPanel.appointments, { id: 9, stage: 3 as const, role: 'panel_member' as const, name: 'A', isExternal: true, isChair: true, declarations: DECLARED, appointedOn: '2026-04-28' }] };
    const met = decideStep(panel, team, 'record_panel_meeting', { panel_met_on: '2026-06-05', attendees: 'Them' }, context);
    expect(met.clocks.map((c) => [c.op, c.key])).toEqual([
      ['update', 'panel_meeting'],
      ['start', 'panel_recommendations'],
    ]);
    expect(met.isLate).toBe(false);
  });
});

describe('fields', () => {
  it('reads pounds, lines and people as people type them', () => {
    expect(poundsToPence('£1,250.50')).toBe(125_050);
    expect(poundsToPence('12.5')).toBeUndefined();
    expect(formatPence(350_050)).toBe('£3,500.50');
    const { values, problems } = readFields([{ kind: 'lines', name: 'points', label: 'Points', noun: 'the points', required: true, maxItems: 3, maxLength: 20 }], { points: '1. One\n\n- Two\r\n3) Three' }, context);
    expect(problems).toEqual([]);
    expect(values.get('points')).toEqual(['One', 'Two', 'Three']);
    expect(personKeyOf({ name: ' Pat  Smith ' })).toBe('name:pat smith');
    expect(isSamePerson({ userId: 4, name: 'X' }, { userId: 4, name: 'Y' })).toBe(true);
  });
});
