/**
 * Stage 1 of a representation, as data: `STAGE1_TRANSITIONS` says, for each status and
 * action, who may do it, the status it leads to, what must be recorded and which guards
 * must hold. `decide` applies it and `allowedActions` / `availableActions` read it for pages;
 * neither re-encodes a rule the table holds.
 *
 * How `decide` refuses, in this order (every refusal a DomainError with a stable code):
 *
 * 1. `STAGE1_REFUSALS`: things never allowed whatever the status says (`finding_on_withdrawn`).
 * 2. No transition for the case's status and the action: `action_not_allowed_in_status`.
 * 3. The action does not apply to the case's kind: `action_not_for_kind`.
 * 4. None of the actor's roles may take it: `role_may_not`.
 * 5. A guard on the case does not hold (the role's guards, then the transition's): the guard's code.
 * 6. A field forbidden for the action was given: its code (`finding_on_withdrawn`).
 * 7. What must be recorded is missing or wrong: `missing_<field>`, `invalid_<field>`,
 *    `<field>_too_long`, `date_in_future`, `date_before_receipt`, `response_before_receipt`,
 *    `delay_reasons_required`, …
 * 8. A check across the inputs and the case fails (the clock engine's `extension_beyond_cap`, …).
 *
 * The Stage 1 clock runs from receipt (corporate: from the acknowledgement) whatever the
 * status; statuses say whose move it is, the clock's own state says paused or extended.
 */
import type { IsoDate } from '../calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import { type ClockEvents, type ClockExtension, type ClockPause, type ClockStatus, computeClock } from '../clocks/clock-engine.ts';
import { DomainError } from '../errors.ts';
import type { CouncilSettings } from '../procedures/council-settings.ts';
import { PROCEDURE_KINDS, type ClockDefinition } from '../procedures/procedure-definitions.ts';
import type { Role } from '../users/roles.ts';
import { isOneOf } from '../taxonomies/code-list.ts';
import { DEFAULT_ISSUES, type IssueDefinition } from '../taxonomies/issues.ts';
import { COMPLAINT_KINDS, REPRESENTATION_KINDS, REPRESENTATION_KIND_LABELS, RESPONSE_KINDS, type RepresentationKind } from '../taxonomies/representation-kinds.ts';
import { type AdvocacyFacts, isAdvocacyOfferMissing } from './advocacy.ts';
import { CASE_STATUSES, CASE_STATUS_LABELS, ENDED_STATUSES, type CaseStatus, STAGE1_OPEN_STATUSES, isEndedStatus } from './case-status.ts';
import { storedExtensionReason } from '../taxonomies/extension-reasons.ts';
import {
  ELIGIBILITY_DECISION_LABELS,
  ELIGIBILITY_RULES,
  type EligibilityFacts,
  fieldsToRecord,
  isDeclinedWholly,
  outstandingDecisions,
} from './eligibility.ts';
import { type Stage1ClockFacts, stage1ClockDefinition, stage1ClockEvents } from './stage1-clock.ts';
import { type FieldEnvironment, type Stage1Field, type Stage1Record, checkField, formatLongDate, missingField } from './stage1-fields.ts';

// ---- actions ----

export const STAGE1_ACTIONS = [
  'register',
  'allocate',
  'acknowledge',
  'extend',
  'pause',
  'resume',
  'record_response',
  'request_information',
  'record_information_received',
  'send_closure_warning',
  'withdraw_no_response',
  'withdraw_by_complainant',
  'close',
  'reopen',
  'reclassify',
  'record_circumstances',
  'record_eligibility_decision',
  'record_advocacy_offer',
  'add_note',
] as const;

export type Stage1Action = (typeof STAGE1_ACTIONS)[number];

export function isStage1Action(value: unknown): value is Stage1Action {
  return isOneOf(STAGE1_ACTIONS, value);
}

export const STAGE1_ACTION_LABELS: Readonly<Record<Stage1Action, string>> = {
  register: 'Register',
  allocate: 'Allocate to a responding manager',
  acknowledge: 'Record the acknowledgement',
  extend: 'Extend the time to respond',
  pause: 'Put on hold',
  resume: 'End the hold',
  record_response: 'Record the Stage 1 response',
  request_information: 'Ask for more information',
  record_information_received: 'Record the information received',
  send_closure_warning: 'Record the closure letter',
  withdraw_no_response: 'Close as withdrawn: no reply',
  withdraw_by_complainant: 'Record a withdrawal by the complainant',
  close: 'Close',
  reopen: 'Re-open',
  reclassify: 'Change the kind of representation',
  record_circumstances: 'Record who is complaining for whom, and any proceedings',
  record_eligibility_decision: 'Record an eligibility decision',
  record_advocacy_offer: 'Record the offer of an advocate',
  add_note: 'Add a note',
};

// ---- the facts a decision reads ----

/** What the workflow reads from a case. Repositories give absent values as undefined, not null. */
export interface CaseFacts extends EligibilityFacts, Stage1ClockFacts, AdvocacyFacts {
  status: CaseStatus;
  kind: RepresentationKind;
  teamId?: number;
  responderUserId?: number;
  informationRequestedOn?: IsoDate;
  closureWarningSentOn?: IsoDate;
  withdrawnOn?: IsoDate;
  /**
   * For a withdrawn or closed case: the status it had before it was withdrawn or closed (what
   * re-opening returns it to). Recorded when it is withdrawn or closed; for a case ended before
   * that was recorded, the repository reads it from the case's history.
   */
  statusBeforeClosure?: CaseStatus;
}

export interface Stage1Actor {
  userId: number;
  roles: readonly Role[];
  teamId?: number | null;
}

export interface Stage1Context {
  /** The date the action is taken (passed in: the domain never reads the clock). */
  today: IsoDate;
  calendar: WorkingDayCalendar;
  settings?: Partial<CouncilSettings>;
  /** The council's issue taxonomy; the seeded one when not given. */
  issues?: readonly IssueDefinition[];
}

// ---- the table ----

/**
 * Where an action leads: a status, the same status, back to whoever has the case now, or (a
 * re-opening) the status the case had before it was withdrawn or closed.
 */
export type NextStatus = CaseStatus | 'unchanged' | 'back_to_work' | 'status_before_closure';

/** When a field must be recorded only in some cases. */
export type Condition =
  | 'new_kind_is_complaint'
  | 'new_kind_is_complaint_without_role'
  | 'new_kind_is_other_agency'
  | 'new_kind_is_compliment'
  | 'new_kind_is_informal'
  | 'kind_has_procedure'
  | 'response_is_late'
  | 'eligibility_rule_asks'
  | 'extension_reason_is_other';

export interface Requirement {
  field: Stage1Field;
  /** Required only when the condition holds (otherwise not recorded, unless listed as optional). */
  when?: Condition;
  /** Overrides the field's usual label in messages, e.g. "the reason for the extension". */
  label?: string;
  /** Overrides `missing_<field>` and its message when missing. */
  missing?: { code: string; message: string };
}

/** Guards on the case (and actor), evaluated by `allowedActions` too. */
export type GuardName =
  | 'is_allocated_to_actor_or_team'
  | 'not_yet_acknowledged'
  | 'stage1_clock_started'
  | 'stage1_clock_extendable'
  | 'clock_not_paused'
  | 'clock_is_paused'
  | 'not_declined_wholly'
  | 'eligibility_decisions_made'
  | 'advocacy_offer_recorded'
  | 'nothing_left_to_respond_to'
  | 'reopens_at_stage1';

/** Checks across the inputs and the case, once every field is valid. */
export type CheckName =
  | 'event_not_after_receipt'
  | 'new_kind_differs'
  | 'decision_applies_to_kind'
  | 'outcome_belongs_to_decision'
  | 'not_before_information_request'
  | 'not_before_closure_warning'
  | 'clock_accepts_extension'
  | 'clock_accepts_pause'
  | 'clock_accepts_resume'
  | 'fields_fit_kind'
  | 'something_recorded';

export interface Stage1Transition {
  action: Stage1Action;
  from: readonly CaseStatus[];
  to: NextStatus;
  /** Who may take it, in order of preference: an actor with several roles acts in the first they hold. */
  roles: readonly Role[];
  kinds: readonly RepresentationKind[];
  records: readonly Requirement[];
  optional?: readonly Stage1Field[];
  /** Fields that must not be given, and the refusal when they are. */
  forbids?: readonly { field: Stage1Field; code: string; message: string }[];
  guards?: readonly GuardName[];
  checks?: readonly CheckName[];
}

/** The complaints team runs the procedure. */
const TEAM: readonly Role[] = ['complaints_manager', 'complaints_officer'];
/** … and a responding manager answers for their team (guarded: see `ROLE_GUARDS`). */
const TEAM_AND_RESPONDER: readonly Role[] = [...TEAM, 'responding_manager'];
const OPEN = STAGE1_OPEN_STATUSES;
const ALL_KINDS = REPRESENTATION_KINDS;

const NO_FINDING_WHEN_WITHDRAWN = [
  { field: 'finding', code: 'finding_on_withdrawn', message: 'A withdrawn complaint has no finding: remove the finding, or record the response instead' },
] as const;

export const STAGE1_TRANSITIONS: readonly Stage1Transition[] = [
  {
    action: 'register',
    from: ['awaiting_registration'],
    to: 'registered',
    roles: TEAM,
    kinds: ALL_KINDS,
    records: [
      { field: 'kind' },
      { field: 'received_on' },
      { field: 'channel' },
      { field: 'team_id' },
      { field: 'summary' },
      { field: 'complainant_role', when: 'new_kind_is_complaint' },
      { field: 'agency', when: 'new_kind_is_other_agency' },
      { field: 'forwarded_on', when: 'new_kind_is_other_agency' },
      { field: 'compliment_source', when: 'new_kind_is_compliment' },
      { field: 'consent_to_quote', when: 'new_kind_is_compliment' },
      { field: 'informal_reason', when: 'new_kind_is_informal' },
    ],
    optional: ['event_on', 'issues', 'via_complaints_team', 'complainant_role', 'parental_responsibility', 'made_for_child', 'proceedings'],
    checks: ['event_not_after_receipt'],
  },
  {
    action: 'allocate',
    from: ['registered', 'allocated'], // from allocated: a reallocation
    to: 'allocated',
    roles: TEAM,
    kinds: RESPONSE_KINDS,
    records: [{ field: 'responder_user_id' }],
  },
  {
    action: 'acknowledge',
    from: OPEN,
    to: 'unchanged',
    roles: TEAM,
    kinds: RESPONSE_KINDS,
    records: [{ field: 'acknowledged_on' }],
    guards: ['not_yet_acknowledged'],
  },
  {
    action: 'extend',
    from: OPEN,
    to: 'unchanged',
    roles: TEAM,
    kinds: PROCEDURE_KINDS,
    records: [
      { field: 'extra_working_days' },
      { field: 'extension_reason' },
      // "Other" needs the reason in words (a form shows the box under that choice).
      { field: 'extension_reason_text', when: 'extension_reason_is_other', label: 'the reason for the extension, in your own words' },
      { field: 'complainant_told_on' },
    ],
    guards: ['stage1_clock_extendable', 'stage1_clock_started'],
    checks: ['clock_accepts_extension'],
  },
  {
    action: 'pause',
    from: OPEN,
    to: 'unchanged',
    roles: TEAM,
    kinds: PROCEDURE_KINDS,
    records: [{ field: 'paused_on' }, { field: 'reason', label: 'the reason for the hold' }],
    guards: ['stage1_clock_started', 'clock_not_paused'],
    checks: ['clock_accepts_pause'],
  },
  {
    action: 'resume',
    from: OPEN,
    to: 'unchanged',
    roles: TEAM,
    kinds: PROCEDURE_KINDS,
    records: [{ field: 'resumed_on' }, { field: 'reason', label: 'why the hold is ending' }],
    guards: ['clock_is_paused'],
    checks: ['clock_accepts_resume'],
  },
  ...(['registered', 'allocated'] as const).map(
    (status): Stage1Transition => ({
      action: 'record_response',
      from: [status],
      to: 'responded',
      // Only once allocated does a responding manager answer; before that the complaints team may.
      roles: status === 'allocated' ? TEAM_AND_RESPONDER : TEAM,
      kinds: RESPONSE_KINDS,
      records: [
        { field: 'responded_on' },
        { field: 'finding', when: 'kind_has_procedure' },
        { field: 'remedies', when: 'kind_has_procedure' },
        {
          field: 'delay_reasons',
          when: 'response_is_late',
          missing: { code: 'delay_reasons_required', message: 'Select at least one reason for the delay: the response is after its due date' },
        },
      ],
      // An informal complaint or a comment may have a finding and remedies; they need not. A comment may have a reply.
      optional: ['finding', 'remedies', 'reply'],
      checks: ['fields_fit_kind'],
      guards: ['not_declined_wholly', 'eligibility_decisions_made', 'advocacy_offer_recorded'],
    }),
  ),
  {
    action: 'request_information',
    from: ['registered', 'allocated'],
    to: 'awaiting_information',
    roles: TEAM,
    kinds: RESPONSE_KINDS,
    records: [{ field: 'requested_on' }, { field: 'details' }],
  },
  {
    action: 'record_information_received',
    from: ['awaiting_information', 'closure_warning_sent'],
    to: 'back_to_work',
    roles: TEAM,
    kinds: RESPONSE_KINDS,
    records: [{ field: 'information_received_on' }],
    checks: ['not_before_information_request'],
  },
  {
    action: 'send_closure_warning',
    from: ['awaiting_information'],
    to: 'closure_warning_sent',
    roles: TEAM,
    kinds: RESPONSE_KINDS,
    records: [{ field: 'sent_on' }],
    checks: ['not_before_information_request'],
  },
  {
    action: 'withdraw_no_response',
    from: ['closure_warning_sent'],
    to: 'withdrawn',
    roles: TEAM,
    kinds: RESPONSE_KINDS,
    records: [{ field: 'withdrawn_on' }],
    forbids: NO_FINDING_WHEN_WITHDRAWN,
    checks: ['not_before_closure_warning'],
  },
  {
    action: 'withdraw_by_complainant',
    from: OPEN,
    to: 'withdrawn',
    roles: TEAM,
    kinds: RESPONSE_KINDS,
    records: [{ field: 'withdrawn_on' }],
    optional: ['reason'],
    forbids: NO_FINDING_WHEN_WITHDRAWN,
  },
  {
    action: 'close',
    from: OPEN,
    to: 'closed',
    roles: TEAM,
    kinds: ALL_KINDS,
    records: [{ field: 'closed_on' }],
    // Before a response only when there is nothing to answer (see the guard).
    guards: ['nothing_left_to_respond_to'],
  },
  {
    action: 'close',
    from: ['responded', 'withdrawn'],
    to: 'closed',
    roles: TEAM,
    kinds: ALL_KINDS,
    records: [{ field: 'closed_on' }],
  },
  {
    // Back to where it was (the complainant replied after the closure letter, …): a complaints
    // manager's decision, with the reason recorded. Its clocks keep their due dates.
    action: 'reopen',
    from: ENDED_STATUSES,
    to: 'status_before_closure',
    roles: ['complaints_manager'],
    kinds: ALL_KINDS,
    records: [{ field: 'reason', label: 'the reason for re-opening' }],
    guards: ['reopens_at_stage1'],
  },
  {
    action: 'reclassify',
    from: OPEN,
    to: 'unchanged',
    roles: TEAM,
    kinds: ALL_KINDS,
    records: [
      { field: 'to_kind' },
      { field: 'reclassified_on' },
      { field: 'reason', label: 'the reason for the change' },
      { field: 'complainant_role', when: 'new_kind_is_complaint_without_role' },
      { field: 'agency', when: 'new_kind_is_other_agency' },
      { field: 'forwarded_on', when: 'new_kind_is_other_agency' },
      { field: 'compliment_source', when: 'new_kind_is_compliment' },
      { field: 'consent_to_quote', when: 'new_kind_is_compliment' },
    ],
    checks: ['new_kind_differs'],
  },
  {
    action: 'record_circumstances',
    from: OPEN,
    to: 'unchanged',
    roles: TEAM,
    kinds: PROCEDURE_KINDS,
    records: [],
    // Each answer is recorded when given; what is not known yet is left out.
    optional: ['parental_responsibility', 'made_for_child', 'proceedings'],
    checks: ['something_recorded'],
  },
  {
    action: 'record_eligibility_decision',
    from: OPEN,
    to: 'unchanged',
    roles: TEAM,
    kinds: PROCEDURE_KINDS,
    records: [
      { field: 'decision' },
      { field: 'outcome' },
      { field: 'decided_on' },
      { field: 'reason', when: 'eligibility_rule_asks', label: 'the reasons for the decision' },
      { field: 'child_views', when: 'eligibility_rule_asks' },
      { field: 'parts_declined', when: 'eligibility_rule_asks' },
      { field: 'notified_on', when: 'eligibility_rule_asks' },
    ],
    checks: ['decision_applies_to_kind', 'outcome_belongs_to_decision'],
  },
  ...OPEN.map(
    (status): Stage1Transition => ({
      action: 'record_advocacy_offer',
      from: [status],
      to: 'unchanged',
      // Once the case is allocated, its responding manager may record the offer too (on their own or their team's case: `ROLE_GUARDS`).
      roles: status === 'registered' ? TEAM : TEAM_AND_RESPONDER,
      kinds: ['children_statutory'],
      records: [{ field: 'offered_on' }, { field: 'advocacy_outcome' }, { field: 'provider' }],
    }),
  ),
  {
    action: 'add_note',
    from: CASE_STATUSES,
    to: 'unchanged',
    roles: TEAM_AND_RESPONDER,
    kinds: ALL_KINDS,
    records: [{ field: 'note' }],
  },
];

/** Fields only some kinds of representation record (a form leaves them out for the others). */
export const FIELD_KINDS: Readonly<Partial<Record<Stage1Field, { kinds: readonly RepresentationKind[]; message: string }>>> = {
  reply: { kinds: ['comment'], message: 'Only a comment has a reply: a complaint is answered in its response letter' },
};

/** Whether a case of `kind` records `field` (see `FIELD_KINDS`). */
export function fieldFitsKind(field: Stage1Field, kind: RepresentationKind): boolean {
  return FIELD_KINDS[field]?.kinds.includes(kind) ?? true;
}

/** Guards every action a role takes must pass: a responding manager works only on their own or their team's cases. */
export const ROLE_GUARDS: Readonly<Partial<Record<Role, readonly GuardName[]>>> = {
  responding_manager: ['is_allocated_to_actor_or_team'],
};

/** Conditions for `STAGE1_REFUSALS`. A withdrawn case stays withdrawn in substance after it is closed. */
const REFUSAL_CONDITIONS = {
  case_was_withdrawn: (facts: CaseFacts): boolean => facts.status === 'withdrawn' || facts.withdrawnOn !== undefined,
} as const;

/** Refusals that hold whatever the status, checked first so the reason given is the real one. */
export const STAGE1_REFUSALS: readonly { action: Stage1Action; when: keyof typeof REFUSAL_CONDITIONS; code: string; message: string }[] = [
  {
    action: 'record_response',
    when: 'case_was_withdrawn',
    code: 'finding_on_withdrawn',
    message: 'This complaint was withdrawn, so it has no response or finding',
  },
];

/** The table by status and action. A status and action with two transitions is a mistake in the table. */
const TABLE: ReadonlyMap<string, Stage1Transition> = (() => {
  const table = new Map<string, Stage1Transition>();
  for (const transition of STAGE1_TRANSITIONS) {
    for (const status of transition.from) {
      const key = `${status}:${transition.action}`;
      if (table.has(key)) throw new Error(`the Stage 1 table has two transitions for ${key}`);
      table.set(key, transition);
    }
  }
  return table;
})();

/** The transition for `action` in `status`, if the table has one. */
export function transitionFor(status: CaseStatus, action: Stage1Action): Stage1Transition | undefined {
  return TABLE.get(`${status}:${action}`);
}

// ---- guards ----

interface Guard {
  code: string;
  message: (facts: CaseFacts) => string;
  holds: (facts: CaseFacts, actor: Stage1Actor, settings: Partial<CouncilSettings> | undefined) => boolean;
}

const hasOpenPause = (facts: CaseFacts): boolean => (facts.stage1Pauses ?? []).some((pause) => pause.to === undefined);

export const STAGE1_GUARDS: Readonly<Record<GuardName, Guard>> = {
  is_allocated_to_actor_or_team: {
    code: 'not_allocated_to_you',
    message: () => 'You can only work on cases allocated to you or to your team',
    holds: (facts, actor) => facts.responderUserId === actor.userId || (actor.teamId != null && facts.teamId === actor.teamId),
  },
  not_yet_acknowledged: {
    code: 'already_acknowledged',
    message: (facts) => `The acknowledgement was recorded on ${formatLongDate(facts.acknowledgedOn ?? facts.receivedOn)}`,
    holds: (facts) => facts.acknowledgedOn === undefined,
  },
  stage1_clock_started: {
    code: 'clock_not_started',
    message: () => 'Record the acknowledgement first: the time to respond runs from it',
    holds: (facts, _actor, settings) => stage1ClockEvents(facts, settings) !== undefined,
  },
  stage1_clock_extendable: {
    code: 'clock_not_extendable',
    message: () => 'The time to respond to this kind of complaint cannot be extended',
    holds: (facts, _actor, settings) => stage1ClockDefinition(facts.kind, settings)?.canExtend === true,
  },
  clock_not_paused: {
    code: 'clock_already_paused',
    message: () => 'The case is already on hold: end the hold before starting another',
    holds: (facts) => !hasOpenPause(facts),
  },
  clock_is_paused: {
    code: 'clock_not_paused',
    message: () => 'The case is not on hold',
    holds: hasOpenPause,
  },
  not_declined_wholly: {
    code: 'complaint_declined',
    message: () => 'A decision not to consider this complaint has been recorded, so it gets no response: close it instead',
    holds: (facts) => !isDeclinedWholly(facts),
  },
  eligibility_decisions_made: {
    code: 'eligibility_decision_required',
    message: (facts) => {
      const names = outstandingDecisions(facts).map((d) => ELIGIBILITY_DECISION_LABELS[d].toLowerCase());
      return `Record the ${names.join(' and ')} ${names.length === 1 ? 'decision' : 'decisions'} before recording the response`;
    },
    holds: (facts) => outstandingDecisions(facts).length === 0,
  },
  advocacy_offer_recorded: {
    code: 'advocacy_offer_required',
    message: () => 'Record the offer of an advocate before recording the response: a young person or care leaver who complains must be offered one',
    holds: (facts) => !isAdvocacyOfferMissing(facts),
  },
  reopens_at_stage1: {
    code: 'reopen_later_stage',
    message: (facts) =>
      `This complaint was withdrawn at ${facts.statusBeforeClosure === 'stage3' ? 'Stage 3' : 'Stage 2'}: it cannot be re-opened from here yet`,
    // A case withdrawn at Stage 2 or 3 has that stage's record, appointments and stopped clocks to undo as well.
    holds: (facts) => !['stage2', 'stage3'].includes(statusToReopenTo(facts)),
  },
  nothing_left_to_respond_to: {
    code: 'close_needs_response',
    message: () => 'Record the response, the withdrawal or a decision not to consider the complaint before closing it',
    // Complaints must be answered. A comment's answer is optional, a complaint about another
    // body is forwarded and a compliment registered: those may close at any time.
    holds: (facts) => !isOneOf(COMPLAINT_KINDS, facts.kind) || isDeclinedWholly(facts),
  },
};

// ---- permission: status, kind, role, guards ----

// A refusal is an error only when it is thrown: `availableActions` asks about every action, and most are refused.
type Permission = { ok: true; transition: Stage1Transition; actingRole: Role } | { ok: false; code: string; message: string; isGuard: boolean };

function refuse(code: string, message: string, isGuard = false): Permission {
  return { ok: false, code, message, isGuard };
}

function permission(facts: CaseFacts, actor: Stage1Actor, action: Stage1Action, settings?: Partial<CouncilSettings>): Permission {
  for (const refusal of STAGE1_REFUSALS) {
    if (refusal.action === action && REFUSAL_CONDITIONS[refusal.when](facts)) return refuse(refusal.code, refusal.message);
  }
  const doing = lowerFirst(STAGE1_ACTION_LABELS[action]);
  const transition = transitionFor(facts.status, action);
  if (transition === undefined) {
    return refuse('action_not_allowed_in_status', `You cannot ${doing} for a case with the status "${CASE_STATUS_LABELS[facts.status]}"`);
  }
  if (!transition.kinds.includes(facts.kind)) {
    return refuse('action_not_for_kind', `You cannot ${doing} for this kind of representation (${REPRESENTATION_KIND_LABELS[facts.kind]})`);
  }
  const actingRole = transition.roles.find((role) => actor.roles.includes(role));
  if (actingRole === undefined) return refuse('role_may_not', `Your role does not allow you to ${doing}`);
  for (const name of [...(ROLE_GUARDS[actingRole] ?? []), ...(transition.guards ?? [])]) {
    const guard = STAGE1_GUARDS[name];
    if (!guard.holds(facts, actor, settings)) return refuse(guard.code, guard.message(facts), true);
  }
  return { ok: true, transition, actingRole };
}

/** The actions `actor` may take on the case now (guards included; inputs not yet known), in table order. */
export function allowedActions(facts: CaseFacts, actor: Stage1Actor, settings?: Partial<CouncilSettings>): Stage1Action[] {
  return STAGE1_ACTIONS.filter((action) => permission(facts, actor, action, settings).ok);
}

export type ActionAvailability =
  | { action: Stage1Action; label: string; isAllowed: true }
  | { action: Stage1Action; label: string; isAllowed: false; code: string; message: string };

/**
 * The actions the actor's role could take in this status, each either allowed or held back
 * by a guard with the reason ("Record the offer of an advocate before …"), so a page can say
 * what to do first instead of hiding the button.
 */
export function availableActions(facts: CaseFacts, actor: Stage1Actor, settings?: Partial<CouncilSettings>): ActionAvailability[] {
  const result: ActionAvailability[] = [];
  for (const action of STAGE1_ACTIONS) {
    const outcome = permission(facts, actor, action, settings);
    const label = STAGE1_ACTION_LABELS[action];
    if (outcome.ok) result.push({ action, label, isAllowed: true });
    else if (outcome.isGuard) result.push({ action, label, isAllowed: false, code: outcome.code, message: outcome.message });
  }
  return result;
}

// ---- inputs ----

interface Work {
  facts: CaseFacts;
  record: Stage1Record;
  context: Stage1Context;
  /** The Stage 1 clock after the action, for actions that touch it. */
  clock?: ClockStatus;
  isLate?: boolean;
}

/** The kind a case will be after the action (registering or reclassifying it), or its kind now. */
function newKind(work: Work): RepresentationKind {
  return work.record.kind ?? work.record.to_kind ?? work.facts.kind;
}

function clockOf(work: Work): { definition: ClockDefinition; events: ClockEvents } | undefined {
  const definition = stage1ClockDefinition(work.facts.kind, work.context.settings);
  const events = stage1ClockEvents(work.facts, work.context.settings);
  return definition === undefined || events === undefined ? undefined : { definition, events };
}

/** Works out, once, whether the response being recorded is late (and the clock it stops). */
function isResponseLate(work: Work): boolean {
  if (work.isLate !== undefined) return work.isLate;
  const clock = clockOf(work);
  const respondedOn = work.record.responded_on;
  if (clock === undefined || respondedOn === undefined) return false;
  // The response ends any hold still running; a hold from the response date on never happened.
  const pauses = (clock.events.pauses ?? []).filter((p) => p.from < respondedOn).map((p): ClockPause => (p.to === undefined ? { ...p, to: respondedOn } : p));
  work.clock = computeClock(clock.definition, work.context.calendar, { ...clock.events, pauses, stoppedOn: respondedOn }, respondedOn);
  work.isLate = work.clock.state === 'missed';
  return work.isLate;
}

const CONDITIONS: Readonly<Record<Condition, (work: Work, requirement: Requirement) => boolean>> = {
  new_kind_is_complaint: (work) => isOneOf(COMPLAINT_KINDS, newKind(work)),
  new_kind_is_complaint_without_role: (work) => isOneOf(COMPLAINT_KINDS, newKind(work)) && work.facts.complainantRole === undefined,
  new_kind_is_other_agency: (work) => newKind(work) === 'other_agency',
  new_kind_is_compliment: (work) => newKind(work) === 'compliment',
  new_kind_is_informal: (work) => newKind(work) === 'informal',
  kind_has_procedure: (work) => isOneOf(PROCEDURE_KINDS, work.facts.kind),
  response_is_late: isResponseLate,
  extension_reason_is_other: (work) => work.record.extension_reason === 'other',
  eligibility_rule_asks: (work, requirement) => {
    const { decision, outcome } = work.record;
    if (decision === undefined || outcome === undefined) return false;
    return (fieldsToRecord(decision, outcome) as readonly string[]).includes(requirement.field);
  },
};

type Check = (work: Work) => void;

/** Runs the clock engine on the case's Stage 1 clock with one change, as at today, giving its refusals our field names. */
function tryClock(work: Work, change: (events: ClockEvents) => ClockEvents, fields: Readonly<Record<string, Stage1Field>>): void {
  const clock = clockOf(work);
  if (clock === undefined) return; // guarded: the clock has started
  try {
    work.clock = computeClock(clock.definition, work.context.calendar, change(clock.events), work.context.today);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw new DomainError(error.code, capitalise(error.message), fields[error.field ?? ''] ?? error.field);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

const CHECKS: Readonly<Record<CheckName, Check>> = {
  event_not_after_receipt: ({ record }) => {
    if (record.event_on !== undefined && record.received_on !== undefined && record.event_on > record.received_on) {
      throw new DomainError('event_after_receipt', 'The date of the events complained about must be the same as or before the date it was received', 'event_on');
    }
  },
  new_kind_differs: ({ record, facts }) => {
    if (record.to_kind === facts.kind) throw new DomainError('same_kind', 'Select a different kind of representation: this is the kind it is now', 'to_kind');
  },
  decision_applies_to_kind: ({ record, facts }) => {
    if (record.decision !== undefined && !(ELIGIBILITY_RULES[record.decision].kinds as readonly string[]).includes(facts.kind)) {
      throw new DomainError('decision_not_for_kind', `A ${ELIGIBILITY_DECISION_LABELS[record.decision].toLowerCase()} decision does not apply to this kind of complaint`, 'decision');
    }
  },
  outcome_belongs_to_decision: ({ record }) => {
    const { decision, outcome } = record;
    if (decision !== undefined && !ELIGIBILITY_RULES[decision].outcomes.some((o) => o.code === outcome)) {
      throw new DomainError('invalid_outcome', `Select an outcome of the ${ELIGIBILITY_DECISION_LABELS[decision].toLowerCase()} decision`, 'outcome');
    }
  },
  not_before_information_request: ({ record, facts }) => {
    const requested = facts.informationRequestedOn;
    const field = record.information_received_on !== undefined ? 'information_received_on' : 'sent_on';
    const date = record[field];
    if (requested !== undefined && date !== undefined && date < requested) {
      throw new DomainError('date_before_request', `The date must be the same as or after the date the information was asked for (${formatLongDate(requested)})`, field);
    }
  },
  not_before_closure_warning: ({ record, facts }) => {
    const warned = facts.closureWarningSentOn;
    if (warned !== undefined && record.withdrawn_on !== undefined && record.withdrawn_on < warned) {
      throw new DomainError('date_before_closure_warning', `The date it was withdrawn must be the same as or after the closure letter (${formatLongDate(warned)})`, 'withdrawn_on');
    }
  },
  fields_fit_kind: ({ record, facts }) => {
    for (const [field, only] of Object.entries(FIELD_KINDS)) {
      if (record[field as Stage1Field] !== undefined && !only.kinds.includes(facts.kind)) throw new DomainError(`${field}_not_for_kind`, only.message, field);
    }
  },
  // For an action whose fields are all optional: at least one must be given.
  something_recorded: ({ record }) => {
    if (Object.keys(record).length === 0) throw new DomainError('nothing_recorded', 'Answer at least one question', 'parental_responsibility');
  },
  clock_accepts_extension: (work) => {
    const clock = clockOf(work);
    const cap = clock?.definition.capWorkingDays;
    const reason = storedExtensionReason(work.record.extension_reason ?? 'other', work.record.extension_reason_text);
    const extension: ClockExtension = { extraWorkingDays: work.record.extra_working_days ?? 0, ...reason, complainantToldOn: work.record.complainant_told_on ?? '' };
    try {
      tryClock(work, (events) => ({ ...events, extensions: [...(events.extensions ?? []), extension] }), { extensions: 'extra_working_days', complainantToldOn: 'complainant_told_on' });
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'extension_beyond_cap' || clock === undefined || cap === undefined) throw error;
      // Say how far it can still go, working from the clock as it stands.
      const room = cap - computeClock(clock.definition, work.context.calendar, clock.events, work.context.today).totalWorkingDays;
      const message =
        room > 0
          ? `The time to respond can be extended to ${String(cap)} working days at most: extend it by ${String(room)} working days or fewer`
          : `The time to respond has already been extended as far as it can be (${String(cap)} working days)`;
      throw new DomainError('extension_beyond_cap', message, 'extra_working_days');
    }
  },
  clock_accepts_pause: (work) => {
    const pause: ClockPause = { from: work.record.paused_on ?? '', reason: work.record.reason ?? '' };
    tryClock(work, (events) => ({ ...events, pauses: [...(events.pauses ?? []), pause] }), { from: 'paused_on', pauses: 'paused_on' });
  },
  clock_accepts_resume: (work) => {
    const resumedOn = work.record.resumed_on ?? '';
    const open = (work.facts.stage1Pauses ?? []).find((pause) => pause.to === undefined);
    if (open !== undefined && resumedOn < open.from) {
      throw new DomainError('resume_before_pause', `The date the hold ended must be the same as or after the date it started (${formatLongDate(open.from)})`, 'resumed_on');
    }
    tryClock(work, (events) => ({ ...events, pauses: (events.pauses ?? []).map((p) => (p === open ? { ...p, to: resumedOn } : p)) }), { to: 'resumed_on', pauses: 'resumed_on' });
  },
};

/** Checks and collects what the transition records from `input`: every field problem, or the first failed check. */
function collect(transition: Stage1Transition, work: Work, input: Readonly<Record<string, unknown>>): DomainError[] {
  const problems: DomainError[] = [];
  const env: FieldEnvironment = {
    today: work.context.today,
    calendar: work.context.calendar,
    receivedOn: transition.action === 'register' ? undefined : work.facts.receivedOn,
    issues: work.context.issues ?? DEFAULT_ISSUES,
  };
  const fieldsDone = new Set<Stage1Field>();
  const take = (field: Stage1Field, required: Requirement | undefined): void => {
    fieldsDone.add(field);
    const result = checkField(field, input[field], env, required?.label);
    if (!result.given) {
      if (required === undefined) return;
      problems.push(required.missing === undefined ? missingField(field, required.label) : new DomainError(required.missing.code, required.missing.message, field));
    } else if ('problem' in result) {
      problems.push(result.problem);
    } else {
      (work.record as Record<string, unknown>)[field] = result.value;
      // Registering sets the date of receipt the later dates are checked against.
      if (field === 'received_on') env.receivedOn = result.value as IsoDate;
    }
  };

  for (const forbidden of transition.forbids ?? []) {
    if (checkField(forbidden.field, input[forbidden.field], env).given) problems.push(new DomainError(forbidden.code, forbidden.message, forbidden.field));
  }
  if (problems.length > 0) return problems;

  for (const requirement of transition.records) {
    let isRequired = true;
    if (requirement.when !== undefined) {
      try {
        isRequired = CONDITIONS[requirement.when](work, requirement);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        problems.push(error);
        continue;
      }
    }
    if (isRequired) take(requirement.field, requirement);
  }
  for (const field of transition.optional ?? []) if (!fieldsDone.has(field)) take(field, undefined);
  if (problems.length > 0) return problems;

  for (const name of transition.checks ?? []) {
    try {
      CHECKS[name](work);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return [error];
    }
  }
  return [];
}

// ---- deciding ----

export interface Stage1Decision {
  action: Stage1Action;
  from: CaseStatus;
  to: CaseStatus;
  /** The role the actor acted in (the first of the transition's roles they hold). */
  actingRole: Role;
  /** Who and when, for the case history; the service stores them with the record. */
  recordedBy: number;
  recordedOn: IsoDate;
  /** What to record, checked: only the fields the action records. */
  record: Stage1Record;
  /** The Stage 1 clock after the action, for actions that change or stop it. */
  stage1Clock?: ClockStatus;
  /** For a response: whether it came after the due date. */
  isLate?: boolean;
}

function nextStatus(transition: Stage1Transition, facts: CaseFacts): CaseStatus {
  if (transition.to === 'unchanged') return facts.status;
  if (transition.to === 'back_to_work') return facts.responderUserId === undefined ? 'registered' : 'allocated';
  if (transition.to === 'status_before_closure') return statusToReopenTo(facts);
  return transition.to;
}

/**
 * The status a withdrawn or closed case returns to when re-opened: the one it had before it
 * was withdrawn or closed; when that is not known, the one its facts point to (responded if
 * there is a response, with its responding manager if allocated, otherwise registered).
 */
export function statusToReopenTo(facts: CaseFacts): CaseStatus {
  const before = facts.statusBeforeClosure;
  if (before !== undefined && !isEndedStatus(before) && before !== 'awaiting_registration') return before;
  if (facts.respondedOn !== undefined) return 'responded';
  return facts.responderUserId === undefined ? 'registered' : 'allocated';
}

function permitted(facts: CaseFacts, actor: Stage1Actor, action: Stage1Action, settings?: Partial<CouncilSettings>): { transition: Stage1Transition; actingRole: Role } {
  if (!isStage1Action(action)) throw new DomainError('unknown_action', `There is no Stage 1 action called "${String(action)}"`);
  const outcome = permission(facts, actor, action, settings);
  if (!outcome.ok) throw new DomainError(outcome.code, outcome.message);
  return outcome;
}

/**
 * Every problem with `input` for the action, so a form can show them all in its error
 * summary (empty when the input is fine). Throws, like `decide`, when the action is not
 * allowed at all.
 */
export function inputProblems(
  facts: CaseFacts,
  actor: Stage1Actor,
  action: Stage1Action,
  input: Readonly<Record<string, unknown>>,
  context: Stage1Context,
): DomainError[] {
  const { transition } = permitted(facts, actor, action, context.settings);
  return collect(transition, { facts, record: {}, context }, input);
}

/**
 * Applies the Stage 1 table: the status the case moves to and what to record, or a
 * DomainError saying why not (see the header comment for the order of refusals).
 */
export function decide(
  facts: CaseFacts,
  actor: Stage1Actor,
  action: Stage1Action,
  input: Readonly<Record<string, unknown>>,
  context: Stage1Context,
): Stage1Decision {
  const { transition, actingRole } = permitted(facts, actor, action, context.settings);
  const work: Work = { facts, record: {}, context };
  const [problem] = collect(transition, work, input);
  if (problem !== undefined) throw problem;
  const decision: Stage1Decision = {
    action,
    from: facts.status,
    to: nextStatus(transition, facts),
    actingRole,
    recordedBy: actor.userId,
    recordedOn: context.today,
    record: work.record,
  };
  if (work.clock !== undefined) decision.stage1Clock = work.clock;
  if (action === 'record_response') decision.isLate = work.isLate ?? false;
  return decision;
}
