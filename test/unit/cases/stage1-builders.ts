/**
 * Builders for the Stage 1 tests: a case with defaults and named traits, actors, and a valid
 * input for every action. Dates are in March 2026, a month with no bank holiday: received
 * Monday 2 March (day 0), so the 10 working day Stage 1 response is due Monday 16 March.
 */
import { shippedCalendar } from '../../../src/domain/calendar/shipped-holidays.ts';
import type { CaseStatus } from '../../../src/domain/cases/case-status.ts';
import type { CaseFacts, Stage1Action, Stage1Actor, Stage1Context } from '../../../src/domain/cases/stage1-workflow.ts';
import type { Role } from '../../../src/domain/users/roles.ts';

export const calendar = shippedCalendar();
export const RECEIVED = '2026-03-02';
export const DUE = '2026-03-16';
export const TODAY = '2026-03-20';
export const context: Stage1Context = { today: TODAY, calendar };

/** The responding manager's user id and team, used by `caseFacts` so their guard passes by default. */
export const RESPONDER_ID = 21;
export const TEAM_ID = 7;

export function caseFacts(overrides: Partial<CaseFacts> = {}): CaseFacts {
  return {
    status: 'allocated',
    kind: 'children_statutory',
    receivedOn: RECEIVED,
    complainantRole: 'parent',
    teamId: TEAM_ID,
    responderUserId: RESPONDER_ID,
    ...overrides,
  };
}

export const actor = (roles: readonly Role[], userId = RESPONDER_ID, teamId: number | null = TEAM_ID): Stage1Actor => ({ userId, roles, teamId });
export const officer = actor(['complaints_officer'], 1, null);
export const responder = actor(['responding_manager']);

/** A valid input for each action, against `caseFacts()` in its happy state (`happyFacts`). */
export const VALID_INPUT: Readonly<Record<Stage1Action, Readonly<Record<string, unknown>>>> = {
  register: { kind: 'children_statutory', received_on: RECEIVED, channel: 'email', team_id: '7', summary: 'Visits keep being cancelled', complainant_role: 'parent' },
  allocate: { responder_user_id: RESPONDER_ID },
  acknowledge: { acknowledged_on: '2026-03-03' },
  extend: { extra_working_days: 5, extension_reason: 'complexity', complainant_told_on: '2026-03-09' },
  pause: { paused_on: '2026-03-09', reason: 'Waiting for the complainant to agree what the complaint is' },
  resume: { resumed_on: '2026-03-10', reason: 'The complainant agreed' },
  record_response: { responded_on: '2026-03-13', finding: 'partially_upheld', remedies: ['apology', 'explanation'] },
  request_information: { requested_on: '2026-03-03', details: 'Which team the complaint is about' },
  record_information_received: { information_received_on: '2026-03-09' },
  send_closure_warning: { sent_on: '2026-03-09' },
  withdraw_no_response: { withdrawn_on: '2026-03-10' },
  withdraw_by_complainant: { withdrawn_on: '2026-03-10' },
  close: { closed_on: '2026-03-18' },
  reopen: { reason: 'The complainant replied after the closure letter' },
  reclassify: { to_kind: 'corporate', reclassified_on: '2026-03-04', reason: 'It is about the council tax office' },
  record_circumstances: { parental_responsibility: 'no', made_for_child: 'yes', proceedings: 'yes' },
  record_eligibility_decision: { decision: 'court_proceedings', outcome: 'consider', decided_on: '2026-03-04', reason: 'The complaint is about visits, not the care proceedings' },
  record_advocacy_offer: { offered_on: '2026-03-03', advocacy_outcome: 'declined', provider: "The Children's Society" },
  add_note: { note: 'Spoke to the complainant on the telephone.' },
};

/** A case in `status` on which every guard of `action` holds (the table alone decides). */
export function happyFacts(action: Stage1Action, status: CaseStatus): CaseFacts {
  const facts = caseFacts({ status, informationRequestedOn: '2026-03-03', closureWarningSentOn: '2026-03-09' });
  if (action === 'resume') facts.stage1Pauses = [{ from: '2026-03-05', reason: 'Waiting for the complainant' }];
  // Closing before a response needs nothing left to answer: here, a decision not to consider it.
  if (action === 'close') facts.eligibilityDecisions = [{ decision: 'court_proceedings', outcome: 'decline_wholly', decidedOn: '2026-03-04' }];
  if (status === 'responded') facts.respondedOn = '2026-03-13';
  if (status === 'withdrawn') facts.withdrawnOn = '2026-03-10';
  // A withdrawn or closed case was allocated before: re-opening returns it there.
  if (status === 'withdrawn' || status === 'closed') facts.statusBeforeClosure = 'allocated';
  return facts;
}
