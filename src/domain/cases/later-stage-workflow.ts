/**
 * Stages 2 and 3, as a table of steps: for each, the stage, who may take it
 * (the complaints team, a senior manager, or someone appointed to the case), when it can be
 * taken, the fields it records and what it changes. `decideStep` applies a step to a case's
 * facts and returns what to write — the stage's record, the case's status, appointments,
 * points and findings, clocks — or refuses with DomainErrors (every problem with the input at
 * once, as InputProblems). The service writes the outcome in one transaction.
 *
 * Children Act complaints: request (the late-request decision of `later-stages.ts`), the
 * statement of complaint agreed as numbered points (the 25-working-day clock runs from it,
 * and from the request until it is agreed), investigating officer and Independent Person
 * appointed (independence declared; not the same person; the Independent Person from outside
 * the council), advocacy offered again, extension
 * to 65 working days at most, holds (which never move the deadline), the report, the adjudication by a senior manager with a
 * finding per point and recommendations, costs. The adjudicating senior manager is neither the
 * investigating officer nor the Stage 1 responding manager; the adjudication ends the
 * investigating officer's and the Independent Person's appointments. Stage 3: request after the
 * adjudication (which appoints the Stage 2 Independent Person again), a panel of three with a
 * chair and without the Stage 2 Independent Person (a missing declaration reported against the
 * member), the meeting (30 WD; reasons for the delay when it is late),
 * recommendations (5 WD), the council's response made with the Independent Person (15 WD).
 *
 * Corporate complaints have a Stage 2 of their own: request, acknowledgement (the 20-working-
 * day clock runs from it, extendable to 40), response with a finding.
 */
import type { IsoDate } from '../calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import { type ClockEvents, type ClockExtension, type ClockStatus, computeClock } from '../clocks/clock-engine.ts';
import { DomainError, InputProblems } from '../errors.ts';
import { formatFileSize, MAX_ATTACHMENT_BYTES } from '../attachments/file-kinds.ts';
import { type ClockDefinition, type ProcedureKind, isProcedureKind, procedureDefinition } from '../procedures/procedure-definitions.ts';
import { DELAY_REASONS, DELAY_REASON_LABELS } from '../taxonomies/delay-reasons.ts';
import { EXTENSION_REASONS, EXTENSION_REASON_LABELS, isExtensionReason, storedExtensionReason } from '../taxonomies/extension-reasons.ts';
import { FINDINGS, FINDING_LABELS, type Finding, isFinding } from '../taxonomies/findings.ts';
import type { ComplainantRole } from '../taxonomies/complainant-roles.ts';
import type { RepresentationKind } from '../taxonomies/representation-kinds.ts';
import type { Role } from '../users/roles.ts';
import { ADVOCACY_OUTCOMES, ADVOCACY_OUTCOME_LABELS, needsAdvocacyOffer } from './advocacy.ts';
import { type CaseStatus, STAGE1_OPEN_STATUSES } from './case-status.ts';
import { STAGE1_CLOCK_KEYS } from './stage1-clock.ts';
import { isOneOf } from '../taxonomies/code-list.ts';
import {
  type CheckedFile,
  type FieldContext,
  type FieldValues,
  type LaterField,
  dateValue,
  fileValue,
  listValue,
  numberValue,
  readFields,
  textValue,
} from './later-stage-fields.ts';
import {
  INDEPENDENCE_DECLARATIONS,
  INDEPENDENCE_DECLARATION_LABELS,
  LATE_REQUEST_OUTCOMES,
  type PanelMember,
  checkAdjudication,
  checkAdjudicator,
  checkIndependence,
  type Refusal,
  decideRequest,
  isSamePerson,
  overallFinding,
  panelProblems,
  personKeyOf,
  requestTiming,
  stage3RequestRefusal,
} from './later-stages.ts';
import { formatLongDate } from './stage1-fields.ts';
import { acceptedTexts, decisionText, isRecommendationDecision, RECOMMENDATION_DECISION_LABELS, RECOMMENDATION_DECISIONS, type DecidedRecommendation } from './recommendation-decisions.ts';

// ---- facts ----

export const STAGE2_STATES = ['investigating', 'adjudicated', 'refused', 'withdrawn'] as const;
export const STAGE3_STATES = ['awaiting_panel', 'panel_met', 'recommendations_received', 'responded', 'refused', 'withdrawn'] as const;
export type Stage2State = (typeof STAGE2_STATES)[number];
export type Stage3State = (typeof STAGE3_STATES)[number];

export const LATER_STATE_LABELS: Readonly<Record<Stage2State | Stage3State, string>> = {
  investigating: 'Being investigated',
  adjudicated: 'Adjudicated',
  refused: 'Late request refused',
  withdrawn: 'Withdrawn',
  awaiting_panel: 'Waiting for the panel to meet',
  panel_met: 'Panel has met',
  recommendations_received: 'Recommendations received',
  responded: 'Council has responded',
};

export const APPOINTMENT_ROLES = ['investigator', 'independent_person', 'panel_member'] as const;
export type AppointmentRole = (typeof APPOINTMENT_ROLES)[number];

export const APPOINTMENT_ROLE_LABELS: Readonly<Record<AppointmentRole, string>> = {
  investigator: 'Investigating officer',
  independent_person: 'Independent Person',
  panel_member: 'Review panel member',
};

export interface Appointment {
  readonly id: number;
  readonly stage: 2 | 3;
  readonly role: AppointmentRole;
  readonly userId?: number;
  readonly name: string;
  readonly isExternal: boolean;
  readonly isChair: boolean;
  readonly declarations: readonly string[];
  readonly declaredOn?: IsoDate;
  readonly appointedOn: IsoDate;
}

/** Who someone is, and whether two are the same person, for the independence rules (`later-stages.ts`). */
export { isSamePerson, personKeyOf };

export interface Stage2Facts {
  readonly state: Stage2State;
  readonly requestedOn: IsoDate;
  readonly acknowledgedOn?: IsoDate;
  readonly statementAgreedOn?: IsoDate;
  readonly reportReceivedOn?: IsoDate;
  readonly respondedOn?: IsoDate;
}

export interface Stage3Facts {
  readonly state: Stage3State;
  readonly requestedOn: IsoDate;
  readonly acknowledgedOn?: IsoDate;
  readonly panelMetOn?: IsoDate;
  readonly recommendationsReceivedOn?: IsoDate;
  /** The panel's recommendations, in order. */
  readonly recommendations?: readonly string[];
  readonly respondedOn?: IsoDate;
}

export interface LaterStageFacts {
  readonly kind: RepresentationKind;
  readonly status: CaseStatus;
  readonly receivedOn: IsoDate;
  readonly complainantRole?: ComplainantRole;
  /** The Stage 1 response, which the Stage 2 request window runs from. */
  readonly stage1RespondedOn?: IsoDate;
  /** The Stage 1 response clock, for a Stage 2 asked for without a Stage 1 response. */
  readonly stage1Clock?: ClockEvents;
  readonly withdrawnOn?: IsoDate;
  readonly stage2?: Stage2Facts;
  readonly stage3?: Stage3Facts;
  readonly points: readonly { number: number; text: string; finding?: Finding }[];
  /** Current appointments (ended ones are history). */
  readonly appointments: readonly Appointment[];
  /** Appointments that have ended, oldest first (who investigated, who was the Independent Person). */
  readonly endedAppointments?: readonly Appointment[];
  /** The responding manager of Stage 1, who may not adjudicate Stage 2. */
  readonly stage1Responder?: { readonly userId: number; readonly name: string };
  readonly stage2AdvocacyOffered: boolean;
  /** The case's Stage 2 and 3 clocks by key. */
  readonly clocks: Readonly<Partial<Record<string, ClockEvents>>>;
}

export interface LaterActor {
  readonly userId: number;
  readonly roles: readonly Role[];
  /** Their name, for the rules that recognise someone recorded by name only. */
  readonly name?: string;
}

export interface LaterContext extends FieldContext {
  readonly calendar: WorkingDayCalendar;
}

// ---- what a step does ----

export type ClockChange =
  | { readonly op: 'start'; readonly key: string; readonly events: ClockEvents }
  /** The same clock with new events (a new start, an extension, a pause, a stop). */
  | { readonly op: 'update'; readonly key: string; readonly events: ClockEvents; readonly isOpen: boolean };

export interface NewAppointment {
  readonly role: AppointmentRole;
  readonly userId?: number;
  readonly name: string;
  readonly isExternal: boolean;
  readonly isChair: boolean;
  readonly declarations: readonly string[];
  readonly declaredOn?: IsoDate;
  readonly appointedOn: IsoDate;
}

export interface StepOutcome {
  readonly step: LaterStep;
  readonly stage: 2 | 3;
  /** A new Stage 2 or 3 record (a request). */
  readonly create?: {
    readonly state: Stage2State | Stage3State;
    readonly requestedOn: IsoDate;
    readonly windowEndsOn: IsoDate;
    readonly isLate: boolean;
    readonly lateOutcome?: string;
    readonly lateReason?: string;
    readonly lateDecidedOn?: IsoDate;
  };
  /** Columns of the stage's record. */
  readonly changes: Readonly<Record<string, string | number | null>>;
  readonly caseChanges: { readonly status?: CaseStatus; readonly stage?: number; readonly closed_on?: IsoDate };
  /** Replaces the statement's points. */
  readonly points?: readonly string[];
  readonly pointFindings?: ReadonlyMap<number, Finding>;
  /** Appointments in these roles end (on `endOn`) before the new ones start. */
  readonly endAppointments?: { readonly roles: readonly AppointmentRole[]; readonly on: IsoDate };
  readonly appointments?: readonly NewAppointment[];
  readonly advocacyOffer?: { readonly offeredOn: IsoDate; readonly outcome: string; readonly provider: string };
  readonly recommendations?: { readonly texts: readonly string[]; readonly dueOn: IsoDate };
  /** Documents to keep with the stage's record (the investigation report), in the step's transaction. */
  readonly documents?: readonly { readonly subjectType: LaterDocumentSubject; readonly file: CheckedFile }[];
  readonly clocks: readonly ClockChange[];
  /** What the history says was recorded (no personal text). */
  readonly recorded: Readonly<Record<string, unknown>>;
  readonly isLate?: boolean;
}

/** What a step's documents belong to: `stage2_report`, the Stage 2 record's investigation report. */
export const STAGE2_REPORT_SUBJECT = 'stage2_report';
export type LaterDocumentSubject = typeof STAGE2_REPORT_SUBJECT;

/** What a report may be: a PDF or a Word document, checked by its content. */
const REPORT_FILE_KINDS = ['pdf', 'docx', 'doc'] as const;

interface StepDefinition {
  readonly stage: 2 | 3;
  readonly label: string;
  /** What the history says. */
  readonly summary: string;
  readonly kinds: readonly ProcedureKind[];
  readonly roles: readonly Role[];
  /** Someone appointed to the case in one of these roles may take the step too. */
  readonly appointed?: readonly AppointmentRole[];
  /** Why the step cannot be taken now (by `actor`), or undefined when it can. */
  readonly refusal: (facts: LaterStageFacts, context: LaterContext, actor: LaterActor) => Refusal | undefined;
  readonly fields: (facts: LaterStageFacts, context: LaterContext) => readonly LaterField[];
  readonly apply: (facts: LaterStageFacts, values: FieldValues, context: LaterContext) => Omit<StepOutcome, 'step' | 'stage'>;
}

export const LATER_STEPS = [
  'request_stage2',
  'acknowledge_stage2',
  'agree_statement',
  'appoint_investigator',
  'appoint_independent_person',
  'offer_advocacy_stage2',
  'extend_stage2',
  'pause_stage2',
  'resume_stage2',
  'record_report',
  'record_costs',
  'adjudicate',
  'respond_stage2',
  'withdraw_stage2',
  'request_stage3',
  'acknowledge_stage3',
  'appoint_panel',
  'record_panel_meeting',
  'record_recommendations',
  'record_council_response',
  'withdraw_stage3',
] as const;

export type LaterStep = (typeof LATER_STEPS)[number];

export function isLaterStep(value: unknown): value is LaterStep {
  return typeof value === 'string' && (LATER_STEPS as readonly string[]).includes(value);
}

const TEAM: readonly Role[] = ['complaints_manager', 'complaints_officer'];
const SENIOR: readonly Role[] = ['senior_manager'];
const BOTH: readonly ProcedureKind[] = ['children_statutory', 'corporate'];
const CHILDREN: readonly ProcedureKind[] = ['children_statutory'];
const CORPORATE: readonly ProcedureKind[] = ['corporate'];

const MAX_TEXT = 4_000;
const MAX_POINTS = 20;
const DECLARATION_OPTIONS = INDEPENDENCE_DECLARATIONS.map((d) => ({ value: d, label: INDEPENDENCE_DECLARATION_LABELS[d] }));
const YES_NO = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
];

// ---- field builders ----

function date(name: string, label: string, noun: string, options: { notBefore?: { date: IsoDate; what: string } | undefined; required?: boolean; future?: boolean; group?: string; hint?: string } = {}): LaterField {
  return {
    kind: 'date',
    name,
    label,
    noun,
    required: options.required ?? true,
    notInFuture: options.future !== true,
    ...(options.notBefore === undefined ? {} : { notBefore: options.notBefore }),
    ...(options.group === undefined ? {} : { group: options.group }),
    ...(options.hint === undefined ? {} : { hint: options.hint }),
  };
}

function longText(name: string, label: string, noun: string, required = true, hint?: string): LaterField {
  return { kind: 'long_text', name, label, noun, required, maxLength: MAX_TEXT, ...(hint === undefined ? {} : { hint }) };
}

function delayReasons(hint = 'Needed when the response is after its due date.'): LaterField {
  return {
    kind: 'checkboxes',
    name: 'delay_reasons',
    label: 'Reasons for the delay',
    noun: 'at least one reason for the delay',
    hint,
    required: false,
    options: DELAY_REASONS.map((code) => ({ value: code, label: DELAY_REASON_LABELS[code] })),
  };
}

// ---- helpers on facts ----

function procedureKindOf(facts: LaterStageFacts): ProcedureKind {
  if (!isProcedureKind(facts.kind)) throw new DomainError('action_not_for_kind', 'Only complaints under a procedure have later stages');
  return facts.kind;
}

function clockDefinitionOf(facts: LaterStageFacts, key: string): ClockDefinition | undefined {
  return procedureDefinition(procedureKindOf(facts)).clocks.find((c) => c.key === key);
}

function appointed(facts: LaterStageFacts, role: AppointmentRole): Appointment[] {
  return facts.appointments.filter((a) => a.role === role);
}

const refuse = (code: string, message: string): Refusal => ({ code, message });

/** The Stage 2 record as a step needs it: there, and still open. */
function openStage2(facts: LaterStageFacts): Refusal | undefined {
  if (facts.stage2?.state !== 'investigating') return refuse('stage2_not_open', 'There is no Stage 2 investigation under way on this complaint');
  return undefined;
}

function openStage3(facts: LaterStageFacts, states: readonly Stage3State[]): Refusal | undefined {
  if (facts.stage3 === undefined || !states.includes(facts.stage3.state)) return refuse('stage3_not_open', 'There is no review panel under way at that point on this complaint');
  return undefined;
}

/** The Stage 2 response clock's key and events, when it has started. */
function stage2Clock(facts: LaterStageFacts): { definition: ClockDefinition; events: ClockEvents } | undefined {
  const definition = clockDefinitionOf(facts, 'stage2_response');
  const events = facts.clocks.stage2_response;
  return definition === undefined || events === undefined ? undefined : { definition, events };
}

/** Runs the clock engine on a changed clock as at today, giving its refusals the form's field names. */
function tryClock(definition: ClockDefinition, events: ClockEvents, context: LaterContext, fields: Readonly<Record<string, string>>): ClockStatus {
  try {
    return computeClock(definition, context.calendar, events, context.today < events.startedOn ? events.startedOn : context.today);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw new DomainError(error.code, error.message.charAt(0).toUpperCase() + error.message.slice(1), fields[error.field ?? ''] ?? error.field);
  }
}

/** Stops a clock on `on`, ending a pause still running; whether the stop was after its due date. */
function stopClock(definition: ClockDefinition, events: ClockEvents, on: IsoDate, context: LaterContext): { change: ClockChange; isLate: boolean } {
  const pauses = (events.pauses ?? []).filter((p) => p.from < on).map((p) => (p.to === undefined ? { ...p, to: on } : p));
  const stopped: ClockEvents = { ...events, pauses, stoppedOn: on < events.startedOn ? events.startedOn : on };
  const status = computeClock(definition, context.calendar, stopped, stopped.stoppedOn ?? on);
  return { change: { op: 'update', key: definition.key, events: stopped, isOpen: false }, isLate: status.state === 'missed' };
}

/** The clocks of `facts`' procedure that start on `event` (with `on` as their start). */
function clocksStartingOn(facts: LaterStageFacts, event: string, on: IsoDate): ClockChange[] {
  return procedureDefinition(procedureKindOf(facts))
    .clocks.filter((c) => c.stage > 1 && !c.isRequestWindow && (c.startsOn === event || c.startDefaultsTo === event) && facts.clocks[c.key] === undefined)
    .map((c) => ({ op: 'start', key: c.key, events: { startedOn: on } }));
}

/** Stops the open clock `key` on `on` (when it is there); adds whether that was late. */
function stopping(facts: LaterStageFacts, key: string, on: IsoDate, context: LaterContext): { clocks: ClockChange[]; isLate: boolean } {
  const definition = clockDefinitionOf(facts, key);
  const events = facts.clocks[key];
  if (definition === undefined || events === undefined || events.stoppedOn !== undefined) return { clocks: [], isLate: false };
  const { change, isLate } = stopClock(definition, events, on, context);
  return { clocks: [change], isLate };
}

/** Every clock still running stops on `on` (a withdrawal). */
function stoppingAll(facts: LaterStageFacts, on: IsoDate, context: LaterContext): ClockChange[] {
  return Object.keys(facts.clocks).flatMap((key) => stopping(facts, key, on, context).clocks);
}

function requireDelayReasons(isLate: boolean, values: FieldValues, what = 'the response is after its due date'): void {
  if (isLate && listValue(values, 'delay_reasons').length === 0) {
    throw new InputProblems([new DomainError('delay_reasons_required', `Select at least one reason for the delay: ${what}`, 'delay_reasons')]);
  }
}

/** Every appointment to the case, current and ended. */
function everyAppointment(facts: LaterStageFacts): Appointment[] {
  return [...(facts.endedAppointments ?? []), ...facts.appointments];
}

/** The Independent Person of Stage 2: the latest appointed, current or ended (Stage 3 re-appoints the same person). */
function stage2IndependentPerson(facts: LaterStageFacts): Appointment | undefined {
  return everyAppointment(facts)
    .filter((a) => a.role === 'independent_person' && a.stage === 2)
    .sort((a, b) => a.id - b.id)
    .at(-1);
}

/** The adjudicator is neither an investigating officer of Stage 2 (current or replaced) nor the Stage 1 responding manager. */
function adjudicatorRefusal(facts: LaterStageFacts, actor: LaterActor): Refusal | undefined {
  try {
    checkAdjudicator(
      { userId: actor.userId, name: actor.name ?? '' },
      { investigators: everyAppointment(facts).filter((a) => a.role === 'investigator'), stage1Responder: facts.stage1Responder },
    );
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  return undefined;
}

/** The Stage 2 response (adjudication) ends the appointments of the investigating officer and the Independent Person. */
const STAGE2_APPOINTMENTS: readonly AppointmentRole[] = ['investigator', 'independent_person'];

// ---- requests (Stage 2 and Stage 3 alike) ----

function requestFields(respondedOn: IsoDate | undefined, what: string): LaterField[] {
  return [
    date('requested_on', 'Date of the request', 'the date of the request', respondedOn === undefined ? {} : { notBefore: { date: respondedOn, what } }),
    {
      kind: 'choice',
      name: 'late_outcome',
      label: 'If the request is late: is it accepted?',
      noun: 'whether the late request is accepted',
      hint: 'Only for a request made after the 20 working days. A late request is never refused automatically.',
      required: false,
      options: LATE_REQUEST_OUTCOMES.map((o) => ({ value: o, label: o === 'accepted' ? 'Accepted' : 'Refused' })),
    },
    longText('late_reason', 'Reasons for the decision on the late request', 'the reasons for the decision on the late request', false),
    date('late_decided_on', 'Date of the decision on the late request', 'the date of the decision on the late request', { required: false }),
  ];
}

function applyRequest(
  facts: LaterStageFacts,
  values: FieldValues,
  context: LaterContext,
  respondedOn: IsoDate,
  stage: 2 | 3,
): { create: NonNullable<StepOutcome['create']>; goesAhead: boolean; requestedOn: IsoDate } {
  const requestedOn = dateValue(values, 'requested_on') ?? respondedOn;
  const timing = requestTiming(context.calendar, respondedOn, requestedOn, stage);
  const outcome = textValue(values, 'late_outcome');
  const reason = textValue(values, 'late_reason');
  const decidedOn = dateValue(values, 'late_decided_on');
  const goesAhead = decideRequest(timing, {
    ...(outcome === undefined ? {} : { outcome: outcome as 'accepted' | 'refused' }),
    ...(reason === undefined ? {} : { reason }),
    ...(decidedOn === undefined ? {} : { decidedOn }),
  });
  if (timing.isLate && decidedOn === undefined) throw new InputProblems([new DomainError('missing_late_decided_on', 'Enter the date of the decision on the late request', 'late_decided_on')]);
  if (decidedOn !== undefined && decidedOn < requestedOn) {
    throw new InputProblems([new DomainError('late_decided_on_too_early', `The date of the decision must be the same as or after the request (${formatLongDate(requestedOn)})`, 'late_decided_on')]);
  }
  const state = goesAhead ? (stage === 2 ? 'investigating' : 'awaiting_panel') : 'refused';
  return {
    goesAhead,
    requestedOn,
    create: {
      state,
      requestedOn,
      windowEndsOn: timing.windowEndsOn,
      isLate: timing.isLate,
      ...(timing.isLate && outcome !== undefined ? { lateOutcome: outcome } : {}),
      ...(timing.isLate && reason !== undefined ? { lateReason: reason } : {}),
      ...(timing.isLate && decidedOn !== undefined ? { lateDecidedOn: decidedOn } : {}),
    },
  };
}

/**
 * The two ways into Stage 2 of the Children Act procedure without a Stage 1 response: the
 * complainant asks once Stage 1 is past its deadline (10 working days, or 20 when extended)
 * with no response, or the council and the complainant agree to go straight to Stage 2.
 * Either way Stage 1 ends "escalated without a response".
 */
export const STAGE2_ROUTES = ['no_response', 'by_agreement'] as const;
export type Stage2Route = (typeof STAGE2_ROUTES)[number];

export const STAGE2_ROUTE_LABELS: Readonly<Record<Stage2Route, string>> = {
  no_response: 'Stage 1 is past its deadline and no response has been sent',
  by_agreement: 'The council and the complainant agreed to go straight to Stage 2',
};

/** A Children Act complaint at Stage 1, not yet answered: it may go to Stage 2 by one of the routes above. */
function canEscalateWithoutResponse(facts: LaterStageFacts): boolean {
  return facts.kind === 'children_statutory' && isOneOf(STAGE1_OPEN_STATUSES, facts.status) && facts.stage1Clock !== undefined;
}

function escalationFields(facts: LaterStageFacts): LaterField[] {
  const sinceReceipt = { notBefore: { date: facts.receivedOn, what: 'the date the complaint was received' } };
  return [
    date('requested_on', 'Date of the request', 'the date of the request', sinceReceipt),
    {
      kind: 'choice',
      name: 'stage2_route',
      label: 'Why is Stage 2 starting without a Stage 1 response?',
      noun: 'why Stage 2 is starting without a Stage 1 response',
      required: true,
      options: STAGE2_ROUTES.map((route) => ({ value: route, label: STAGE2_ROUTE_LABELS[route] })),
    },
    date('agreed_on', 'Date of the agreement to go straight to Stage 2', 'the date of the agreement to go straight to Stage 2', {
      ...sinceReceipt,
      required: false,
      hint: 'Only when the council and the complainant agreed to go straight to Stage 2.',
    }),
  ];
}

/**
 * Stage 2 begun without a Stage 1 response: refused (nothing written) when Stage 1 is not
 * yet past its deadline on the request date and there is no agreement, or an agreement has
 * no date. Stage 1's clock closes unanswered: it is counted as escalated without a response.
 */
function applyEscalation(facts: LaterStageFacts, values: FieldValues, context: LaterContext): Omit<StepOutcome, 'step' | 'stage'> {
  const requestedOn = dateValue(values, 'requested_on') ?? context.today;
  const route = textValue(values, 'stage2_route');
  if (!isOneOf(STAGE2_ROUTES, route)) {
    throw new InputProblems([new DomainError('missing_stage2_route', 'Select why Stage 2 is starting without a Stage 1 response', 'stage2_route')]);
  }
  const agreedOn = dateValue(values, 'agreed_on');
  const stage1Key = STAGE1_CLOCK_KEYS[procedureKindOf(facts)];
  const stage1Definition = clockDefinitionOf(facts, stage1Key);
  const stage1 = facts.stage1Clock;
  if (route === 'by_agreement') {
    if (agreedOn === undefined) {
      throw new InputProblems([new DomainError('missing_agreed_on', 'Enter the date the council and the complainant agreed to go straight to Stage 2', 'agreed_on')]);
    }
    if (agreedOn > requestedOn) {
      throw new InputProblems([new DomainError('agreed_after_request', `The date of the agreement must be the same as or before the date of the request (${formatLongDate(requestedOn)})`, 'agreed_on')]);
    }
  } else {
    const status = stage1 === undefined || stage1Definition === undefined ? undefined : computeClock(stage1Definition, context.calendar, stage1, requestedOn < stage1.startedOn ? stage1.startedOn : requestedOn);
    if (status?.state !== 'missed') {
      const due = status === undefined ? '' : ` (the response is due by ${formatLongDate(status.dueDate)})`;
      throw new InputProblems([
        new DomainError('stage1_not_overdue', `Stage 1 is not past its deadline on the date of the request${due}: before then, Stage 2 can only start by agreement with the complainant`, 'stage2_route'),
      ]);
    }
  }
  const clocks = clocksStartingOn(facts, 'stage2_requested', requestedOn);
  if (stage1 !== undefined) clocks.push({ op: 'update', key: stage1Key, events: stage1, isOpen: false });
  return {
    create: { state: 'investigating', requestedOn, windowEndsOn: requestedOn, isLate: false },
    // How Stage 2 began without a Stage 1 response, and for an agreement, when it was agreed.
    changes: { route, agreed_on: route === 'by_agreement' ? (agreedOn ?? null) : null },
    caseChanges: { status: 'stage2', stage: 2 },
    clocks,
    recorded: { requested_on: requestedOn, stage2_route: route, ...(route === 'by_agreement' ? { agreed_on: agreedOn } : {}), stage1_ended: 'escalated without a response' },
  };
}

// ---- the table ----

function appointmentFields(role: 'investigator' | 'independent_person', notBefore: IsoDate): LaterField[] {
  const noun = role === 'investigator' ? 'investigating officer' : 'Independent Person';
  const fields: LaterField[] = [
    { kind: 'text', name: 'name', label: `Name of the ${noun}`, noun: `the name of the ${noun}`, required: true, maxLength: 200 },
    { kind: 'user', name: 'user_id', label: 'Their Redress account, if they have one', noun: 'their account', hint: 'With an account they can see this case while they are appointed, and no other.', required: false, role },
    { kind: 'choice', name: 'is_external', label: 'Are they from outside the council?', noun: 'whether they are from outside the council', required: true, options: YES_NO },
    date('appointed_on', 'Date of the appointment', 'the date of the appointment', { notBefore: { date: notBefore, what: 'the date of the request' } }),
  ];
  if (role === 'independent_person') {
    fields.push(
      { kind: 'checkboxes', name: 'declarations', label: 'What they have declared', noun: 'what they have declared', hint: 'An Independent Person must declare all three.', required: true, options: DECLARATION_OPTIONS },
      date('declared_on', 'Date of the declaration', 'the date of the declaration'),
    );
  }
  return fields;
}

function newAppointment(role: AppointmentRole, values: FieldValues, prefix = '', isChair = false): NewAppointment {
  const userId = numberValue(values, `${prefix}user_id`);
  const declaredOn = dateValue(values, `${prefix}declared_on`);
  return {
    role,
    name: textValue(values, `${prefix}name`) ?? '',
    ...(userId === undefined ? {} : { userId }),
    isExternal: textValue(values, `${prefix}is_external`) !== 'no',
    isChair,
    declarations: listValue(values, `${prefix}declarations`),
    ...(declaredOn === undefined ? {} : { declaredOn }),
    appointedOn: dateValue(values, 'appointed_on') ?? '',
  };
}

const PANEL_PREFIXES = ['member_1_', 'member_2_', 'member_3_'] as const;

const STEPS: Readonly<Record<LaterStep, StepDefinition>> = {
  request_stage2: {
    stage: 2,
    label: 'Record a request for Stage 2',
    summary: 'Stage 2 requested',
    kinds: BOTH,
    roles: TEAM,
    refusal: (facts) => {
      if (facts.withdrawnOn !== undefined) return refuse('complaint_withdrawn', 'This complaint was withdrawn, so it cannot go to Stage 2');
      if (facts.stage2 !== undefined) return refuse('stage2_already_requested', 'A request for Stage 2 has already been recorded');
      if (facts.stage1RespondedOn === undefined && !canEscalateWithoutResponse(facts)) {
        return refuse(
          'stage2_before_stage1_response',
          facts.kind === 'children_statutory'
            ? 'Stage 2 can be asked for once Stage 1 is under way: after the Stage 1 response, once Stage 1 is past its deadline, or by agreement with the complainant'
            : 'Stage 2 can only be asked for once the Stage 1 response has been sent',
        );
      }
      return undefined;
    },
    fields: (facts) => (facts.stage1RespondedOn === undefined ? escalationFields(facts) : requestFields(facts.stage1RespondedOn, 'the date of the Stage 1 response')),
    apply: (facts, values, context) => {
      if (facts.stage1RespondedOn === undefined) return applyEscalation(facts, values, context);
      const { create, goesAhead, requestedOn } = applyRequest(facts, values, context, facts.stage1RespondedOn ?? facts.receivedOn, 2);
      return {
        create,
        changes: {},
        caseChanges: goesAhead ? { status: 'stage2', stage: 2 } : {},
        clocks: goesAhead ? clocksStartingOn(facts, 'stage2_requested', requestedOn) : [],
        recorded: { requested_on: requestedOn, is_late: create.isLate, ...(create.lateOutcome === undefined ? {} : { late_outcome: create.lateOutcome }) },
      };
    },
  },
  acknowledge_stage2: {
    stage: 2,
    label: 'Record the Stage 2 acknowledgement',
    summary: 'Stage 2 acknowledgement recorded',
    kinds: BOTH,
    roles: TEAM,
    refusal: (facts) => openStage2(facts) ?? (facts.stage2?.acknowledgedOn === undefined ? undefined : refuse('already_acknowledged', 'The Stage 2 acknowledgement has already been recorded')),
    fields: (facts) => [date('acknowledged_on', 'Date of the acknowledgement', 'the date of the acknowledgement', { notBefore: { date: facts.stage2?.requestedOn ?? facts.receivedOn, what: 'the date of the request' } })],
    apply: (facts, values, context) => {
      const on = dateValue(values, 'acknowledged_on') ?? context.today;
      return {
        changes: { acknowledged_on: on },
        caseChanges: {},
        clocks: [...stopping(facts, 'stage2_acknowledgement', on, context).clocks, ...clocksStartingOn(facts, 'stage2_acknowledged', on)],
        recorded: { acknowledged_on: on },
      };
    },
  },
  agree_statement: {
    stage: 2,
    label: 'Record the statement of complaint',
    summary: 'Statement of complaint agreed',
    kinds: CHILDREN,
    roles: TEAM,
    appointed: ['investigator'],
    refusal: (facts) => openStage2(facts),
    fields: (facts) => [
      date('statement_agreed_on', 'Date the statement of complaint was agreed with the complainant', 'the date the statement was agreed', {
        notBefore: { date: facts.stage2?.requestedOn ?? facts.receivedOn, what: 'the date of the request' },
        hint: 'The 25 working days for the Stage 2 response run from this date.',
      }),
      {
        kind: 'lines',
        name: 'points',
        label: 'The points of the complaint',
        noun: 'the points of the complaint',
        hint: 'One point a line, as agreed in the statement. The adjudication gives a finding on each.',
        required: true,
        maxItems: MAX_POINTS,
        maxLength: 1_000,
      },
    ],
    apply: (facts, values, context) => {
      const agreedOn = dateValue(values, 'statement_agreed_on') ?? context.today;
      const clock = stage2Clock(facts);
      const clocks: ClockChange[] = [];
      if (clock !== undefined) {
        // The clock now runs from the statement; pauses before it no longer count.
        const events: ClockEvents = { ...clock.events, startedOn: agreedOn, pauses: (clock.events.pauses ?? []).filter((p) => p.from >= agreedOn) };
        tryClock(clock.definition, events, context, { from: 'statement_agreed_on', startedOn: 'statement_agreed_on' });
        clocks.push({ op: 'update', key: clock.definition.key, events, isOpen: true });
      }
      const points = listValue(values, 'points');
      return { changes: { statement_agreed_on: agreedOn }, caseChanges: {}, points, clocks, recorded: { statement_agreed_on: agreedOn, points: points.length } };
    },
  },
  appoint_investigator: {
    stage: 2,
    label: 'Appoint the investigating officer',
    summary: 'Investigating officer appointed',
    kinds: CHILDREN,
    roles: TEAM,
    refusal: (facts) => openStage2(facts),
    fields: (facts) => appointmentFields('investigator', facts.stage2?.requestedOn ?? facts.receivedOn),
    apply: (facts, values) => {
      const appointment = newAppointment('investigator', values);
      if (appointed(facts, 'independent_person').some((ip) => isSamePerson(ip, appointment))) {
        throw new InputProblems([new DomainError('investigator_is_independent_person', 'The investigating officer cannot also be the Independent Person', 'name')]);
      }
      return {
        changes: {},
        caseChanges: {},
        endAppointments: { roles: ['investigator'], on: appointment.appointedOn },
        appointments: [appointment],
        clocks: [],
        recorded: { appointed_on: appointment.appointedOn, is_external: appointment.isExternal, has_account: appointment.userId !== undefined },
      };
    },
  },
  appoint_independent_person: {
    stage: 2,
    label: 'Appoint the Independent Person',
    summary: 'Independent Person appointed',
    kinds: CHILDREN,
    roles: TEAM,
    refusal: (facts) => openStage2(facts),
    fields: (facts) => appointmentFields('independent_person', facts.stage2?.requestedOn ?? facts.receivedOn),
    apply: (facts, values) => {
      const appointment = newAppointment('independent_person', values);
      try {
        checkIndependence({
          personKey: personKeyOf(appointment),
          declarations: appointment.declarations,
          isExternal: appointment.isExternal,
          ...(appointment.declaredOn === undefined ? {} : { declaredOn: appointment.declaredOn }),
        });
      } catch (error) {
        if (error instanceof DomainError) throw new InputProblems([error]);
        throw error;
      }
      if (appointed(facts, 'investigator').some((io) => isSamePerson(io, appointment))) {
        throw new InputProblems([new DomainError('independent_person_is_investigator', 'The Independent Person cannot also be the investigating officer', 'name')]);
      }
      return {
        changes: {},
        caseChanges: {},
        endAppointments: { roles: ['independent_person'], on: appointment.appointedOn },
        appointments: [appointment],
        clocks: [],
        recorded: { appointed_on: appointment.appointedOn, declared_on: appointment.declaredOn, has_account: appointment.userId !== undefined },
      };
    },
  },
  offer_advocacy_stage2: {
    stage: 2,
    label: 'Record the offer of an advocate at Stage 2',
    summary: 'Offer of an advocate at Stage 2 recorded',
    kinds: CHILDREN,
    roles: TEAM,
    refusal: (facts) => openStage2(facts),
    fields: (facts) => [
      date('offered_on', 'Date the advocate was offered', 'the date the advocate was offered', { notBefore: { date: facts.stage2?.requestedOn ?? facts.receivedOn, what: 'the date of the request' } }),
      { kind: 'choice', name: 'advocacy_outcome', label: 'Their answer', noun: 'their answer', required: true, options: ADVOCACY_OUTCOMES.map((o) => ({ value: o, label: ADVOCACY_OUTCOME_LABELS[o] })) },
      { kind: 'text', name: 'provider', label: 'Advocacy service offered', noun: 'the advocacy service offered', required: true, maxLength: 200 },
    ],
    apply: (_facts, values) => {
      const offer = { offeredOn: dateValue(values, 'offered_on') ?? '', outcome: textValue(values, 'advocacy_outcome') ?? '', provider: textValue(values, 'provider') ?? '' };
      return { changes: {}, caseChanges: {}, advocacyOffer: offer, clocks: [], recorded: { offered_on: offer.offeredOn, advocacy_outcome: offer.outcome } };
    },
  },
  extend_stage2: {
    stage: 2,
    label: 'Extend the time for the Stage 2 response',
    summary: 'Time for the Stage 2 response extended',
    kinds: BOTH,
    roles: TEAM,
    refusal: (facts) => openStage2(facts) ?? (facts.clocks.stage2_response === undefined ? refuse('clock_not_started', 'Record the acknowledgement first: the time to respond runs from it') : undefined),
    fields: (facts) => [
      { kind: 'working_days', name: 'extra_working_days', label: 'How many more working days?', noun: 'the number of extra working days', required: true, max: 65 },
      { kind: 'choice', name: 'extension_reason', label: 'Reason for the extension', noun: 'the reason for the extension', required: true, options: EXTENSION_REASONS.map((code) => ({ value: code, label: EXTENSION_REASON_LABELS[code] })) },
      longText('extension_reason_text', 'The reason for the extension, in your own words', 'the reason for the extension, in your own words', false, 'Needed when the reason is “Other”.'),
      date('complainant_told_on', 'Date the complainant was told', 'the date the complainant was told', { notBefore: { date: facts.stage2?.requestedOn ?? facts.receivedOn, what: 'the date of the request' } }),
    ],
    apply: (facts, values, context) => {
      const clock = stage2Clock(facts);
      if (clock === undefined) throw new DomainError('clock_not_started', 'The time to respond has not started');
      const code = textValue(values, 'extension_reason');
      const otherText = textValue(values, 'extension_reason_text');
      if (!isExtensionReason(code)) throw new InputProblems([new DomainError('invalid_extension_reason', 'Select the reason for the extension from the list', 'extension_reason')]);
      if (code === 'other' && otherText === undefined) {
        throw new InputProblems([new DomainError('missing_extension_reason_text', 'Enter the reason for the extension, in your own words: it is needed when the reason is “Other”', 'extension_reason_text')]);
      }
      const reason = storedExtensionReason(code, otherText);
      const extension: ClockExtension = { extraWorkingDays: numberValue(values, 'extra_working_days') ?? 0, ...reason, complainantToldOn: dateValue(values, 'complainant_told_on') ?? '' };
      const events: ClockEvents = { ...clock.events, extensions: [...(clock.events.extensions ?? []), extension] };
      let status: ClockStatus;
      try {
        status = tryClock(clock.definition, events, context, { extensions: 'extra_working_days', complainantToldOn: 'complainant_told_on' });
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'extension_beyond_cap' || clock.definition.capWorkingDays === undefined) throw error;
        const cap = clock.definition.capWorkingDays;
        const room = cap - computeClock(clock.definition, context.calendar, clock.events, context.today < clock.events.startedOn ? clock.events.startedOn : context.today).totalWorkingDays;
        throw new InputProblems([
          new DomainError(
            'extension_beyond_cap',
            room > 0
              ? `The Stage 2 response can take ${String(cap)} working days at most: extend it by ${String(room)} working days or fewer`
              : `The time for the Stage 2 response has already been extended as far as it can be (${String(cap)} working days)`,
            'extra_working_days',
          ),
        ]);
      }
      return { changes: {}, caseChanges: {}, clocks: [{ op: 'update', key: 'stage2_response', events, isOpen: true }], recorded: { extra_working_days: extension.extraWorkingDays, extension_reason: code, complainant_told_on: extension.complainantToldOn, stage2_response_due_on: status.dueDate } };
    },
  },
  pause_stage2: {
    stage: 2,
    label: 'Put Stage 2 on hold',
    summary: 'Stage 2 put on hold',
    kinds: BOTH,
    roles: TEAM,
    refusal: (facts) => {
      const clock = facts.clocks.stage2_response;
      if (openStage2(facts) !== undefined || clock === undefined) return openStage2(facts) ?? refuse('clock_not_started', 'The Stage 2 clock has not started');
      return (clock.pauses ?? []).some((p) => p.to === undefined) ? refuse('clock_already_paused', 'Stage 2 is already on hold: end the hold before starting another') : undefined;
    },
    fields: (facts) => [
      date('paused_on', 'Date the hold starts', 'the date the hold starts', { notBefore: { date: facts.stage2?.requestedOn ?? facts.receivedOn, what: 'the date of the request' } }),
      longText('reason', 'Reason for the hold', 'the reason for the hold'),
    ],
    apply: (facts, values, context) => {
      const clock = stage2Clock(facts);
      if (clock === undefined) throw new DomainError('clock_not_started', 'The Stage 2 clock has not started');
      const events: ClockEvents = { ...clock.events, pauses: [...(clock.events.pauses ?? []), { from: dateValue(values, 'paused_on') ?? '', reason: textValue(values, 'reason') ?? '' }] };
      tryClock(clock.definition, events, context, { from: 'paused_on', pauses: 'paused_on', reason: 'reason' });
      return { changes: {}, caseChanges: {}, clocks: [{ op: 'update', key: 'stage2_response', events, isOpen: true }], recorded: { paused_on: dateValue(values, 'paused_on'), reason: textValue(values, 'reason') } };
    },
  },
  resume_stage2: {
    stage: 2,
    label: 'End the Stage 2 hold',
    summary: 'Stage 2 hold ended',
    kinds: BOTH,
    roles: TEAM,
    refusal: (facts) => openStage2(facts) ?? ((facts.clocks.stage2_response?.pauses ?? []).some((p) => p.to === undefined) ? undefined : refuse('clock_not_paused', 'Stage 2 is not on hold')),
    fields: (facts) => {
      const open = (facts.clocks.stage2_response?.pauses ?? []).find((p) => p.to === undefined);
      return [date('resumed_on', 'Date the hold ends', 'the date the hold ends', open === undefined ? {} : { notBefore: { date: open.from, what: 'the date the hold started' } })];
    },
    apply: (facts, values, context) => {
      const clock = stage2Clock(facts);
      if (clock === undefined) throw new DomainError('clock_not_started', 'The Stage 2 clock has not started');
      const resumedOn = dateValue(values, 'resumed_on') ?? '';
      const events: ClockEvents = { ...clock.events, pauses: (clock.events.pauses ?? []).map((p) => (p.to === undefined ? { ...p, to: resumedOn } : p)) };
      const status = tryClock(clock.definition, events, context, { to: 'resumed_on', pauses: 'resumed_on' });
      return { changes: {}, caseChanges: {}, clocks: [{ op: 'update', key: 'stage2_response', events, isOpen: true }], recorded: { resumed_on: resumedOn, stage2_response_due_on: status.dueDate } };
    },
  },
  record_report: {
    stage: 2,
    label: 'Record the investigation report',
    summary: 'Investigation report received',
    kinds: CHILDREN,
    roles: TEAM,
    appointed: ['investigator'],
    refusal: (facts) => openStage2(facts) ?? (facts.stage2?.statementAgreedOn === undefined ? refuse('statement_not_agreed', 'Record the statement of complaint first: the report answers its points') : undefined),
    fields: (facts) => [
      date('report_received_on', 'Date the report was received', 'the date the report was received', { notBefore: { date: facts.stage2?.statementAgreedOn ?? facts.receivedOn, what: 'the date the statement was agreed' } }),
      {
        kind: 'file',
        name: 'report',
        label: 'Upload the investigation report',
        noun: 'the investigation report',
        hint: `A PDF or Word document, smaller than ${formatFileSize(MAX_ATTACHMENT_BYTES)}.`,
        required: true,
        accepts: REPORT_FILE_KINDS,
        acceptsText: 'a PDF or a Word document',
      },
    ],
    apply: (_facts, values) => {
      const on = dateValue(values, 'report_received_on') ?? '';
      const report = fileValue(values, 'report');
      if (report === undefined) throw new DomainError('missing_report', 'Upload the investigation report', 'report');
      return {
        changes: { report_received_on: on },
        caseChanges: {},
        clocks: [],
        documents: [{ subjectType: STAGE2_REPORT_SUBJECT, file: report }],
        // The history says what kind of file it was, never its name.
        recorded: { report_received_on: on, report_media_type: report.accepted.mediaType },
      };
    },
  },
  record_costs: {
    stage: 2,
    label: 'Record the costs of Stage 2',
    summary: 'Stage 2 costs recorded',
    kinds: CHILDREN,
    roles: TEAM,
    refusal: (facts) => (facts.stage2 === undefined || facts.stage2.state === 'refused' ? refuse('stage2_not_open', 'There is no Stage 2 investigation on this complaint') : undefined),
    fields: () => [
      { kind: 'pounds', name: 'cost_investigator', label: 'Investigating officer, in £', noun: 'the investigating officer’s cost', required: false },
      { kind: 'pounds', name: 'cost_independent_person', label: 'Independent Person, in £', noun: 'the Independent Person’s cost', required: false },
      { kind: 'pounds', name: 'cost_other', label: 'Other costs, in £', noun: 'the other costs', required: false },
    ],
    apply: (_facts, values) => {
      const changes = {
        cost_investigator_pence: numberValue(values, 'cost_investigator') ?? null,
        cost_independent_person_pence: numberValue(values, 'cost_independent_person') ?? null,
        cost_other_pence: numberValue(values, 'cost_other') ?? null,
      };
      if (Object.values(changes).every((v) => v === null)) throw new InputProblems([new DomainError('nothing_recorded', 'Enter at least one cost', 'cost_investigator')]);
      return { changes, caseChanges: {}, clocks: [], recorded: changes };
    },
  },
  adjudicate: {
    stage: 2,
    label: 'Record the adjudication (the Stage 2 response)',
    summary: 'Stage 2 adjudication recorded',
    kinds: CHILDREN,
    roles: SENIOR,
    refusal: (facts, _context, actor) => {
      const open = openStage2(facts) ?? adjudicatorRefusal(facts, actor);
      if (open !== undefined) return open;
      if (facts.points.length === 0) return refuse('statement_not_agreed', 'Record the statement of complaint first: the adjudication gives a finding on each of its points');
      if (appointed(facts, 'investigator').length === 0) return refuse('investigator_not_appointed', 'Appoint the investigating officer first');
      if (appointed(facts, 'independent_person').length === 0) return refuse('independent_person_not_appointed', 'Appoint the Independent Person first');
      if (facts.stage2?.reportReceivedOn === undefined) return refuse('report_not_received', 'Record the investigation report first');
      if (needsAdvocacyOffer(facts) && !facts.stage2AdvocacyOffered) {
        return refuse('advocacy_offer_required', 'Record the offer of an advocate at Stage 2 first: a young person or care leaver must be offered one again');
      }
      return undefined;
    },
    fields: (facts) => [
      date('responded_on', 'Date of the adjudication letter', 'the date of the adjudication letter', { notBefore: { date: facts.stage2?.reportReceivedOn ?? facts.receivedOn, what: 'the date the report was received' } }),
      ...facts.points.map(
        (point): LaterField => ({
          kind: 'choice',
          name: `finding_${String(point.number)}`,
          label: `Point ${String(point.number)}: ${point.text}`,
          noun: `a finding on point ${String(point.number)}`,
          required: false,
          group: 'Findings',
          options: (['upheld', 'partially_upheld', 'not_upheld'] as const).map((f) => ({ value: f, label: FINDING_LABELS[f] })),
        }),
      ),
      {
        kind: 'lines',
        name: 'recommendations',
        label: 'Recommendations accepted (optional)',
        noun: 'the recommendations',
        hint: 'One a line. Each becomes an action in the learning log.',
        required: false,
        maxItems: 30,
        maxLength: 1_000,
      },
      date('actions_due_on', 'Date the actions are due', 'the date the actions are due', { required: false, future: true }),
      delayReasons(),
    ],
    apply: (facts, values, context) => {
      const respondedOn = dateValue(values, 'responded_on') ?? context.today;
      const findings = new Map<number, Finding>();
      for (const point of facts.points) {
        const finding = textValue(values, `finding_${String(point.number)}`);
        if (isFinding(finding)) findings.set(point.number, finding);
      }
      try {
        checkAdjudication(facts.points, findings);
      } catch (error) {
        if (error instanceof DomainError) throw new InputProblems([error]);
        throw error;
      }
      const recommendations = listValue(values, 'recommendations');
      const dueOn = dateValue(values, 'actions_due_on');
      if (recommendations.length > 0 && dueOn === undefined) throw new InputProblems([new DomainError('missing_actions_due_on', 'Enter the date the actions are due', 'actions_due_on')]);
      const stop = stopping(facts, 'stage2_response', respondedOn, context);
      requireDelayReasons(stop.isLate, values);
      const finding = overallFinding(findings.values()) ?? null;
      return {
        changes: {
          responded_on: respondedOn,
          finding,
          state: 'adjudicated',
          delay_reasons: stop.isLate ? listValue(values, 'delay_reasons').join(',') : null,
          recommendations: recommendations.length > 0 ? recommendations.join('\n') : null,
        },
        caseChanges: { status: 'responded' },
        // Stage 2 is over: the investigating officer and the Independent Person no longer see the case (a Stage 3 brings the Independent Person back).
        endAppointments: { roles: STAGE2_APPOINTMENTS, on: respondedOn },
        pointFindings: findings,
        ...(recommendations.length > 0 && dueOn !== undefined ? { recommendations: { texts: recommendations, dueOn } } : {}),
        clocks: stop.clocks,
        isLate: stop.isLate,
        recorded: { responded_on: respondedOn, finding, ...(recommendations.length > 0 ? { recommendations } : {}) },
      };
    },
  },
  respond_stage2: {
    stage: 2,
    label: 'Record the Stage 2 response',
    summary: 'Stage 2 response recorded',
    kinds: CORPORATE,
    roles: [...SENIOR, 'complaints_manager'],
    refusal: (facts) => openStage2(facts) ?? (facts.stage2?.acknowledgedOn === undefined ? refuse('not_acknowledged', 'Record the Stage 2 acknowledgement first') : undefined),
    fields: (facts) => [
      date('responded_on', 'Date of the Stage 2 response', 'the date of the Stage 2 response', { notBefore: { date: facts.stage2?.requestedOn ?? facts.receivedOn, what: 'the date of the request' } }),
      { kind: 'choice', name: 'finding', label: 'Finding', noun: 'the finding', required: true, options: FINDINGS.map((f) => ({ value: f, label: FINDING_LABELS[f] })) },
      delayReasons(),
    ],
    apply: (facts, values, context) => {
      const respondedOn = dateValue(values, 'responded_on') ?? context.today;
      const stop = stopping(facts, 'stage2_response', respondedOn, context);
      requireDelayReasons(stop.isLate, values);
      const finding = textValue(values, 'finding') ?? null;
      return {
        changes: { responded_on: respondedOn, finding, state: 'adjudicated', delay_reasons: stop.isLate ? listValue(values, 'delay_reasons').join(',') : null },
        caseChanges: { status: 'responded' },
        endAppointments: { roles: STAGE2_APPOINTMENTS, on: respondedOn },
        clocks: stop.clocks,
        isLate: stop.isLate,
        recorded: { responded_on: respondedOn, finding },
      };
    },
  },
  withdraw_stage2: {
    stage: 2,
    label: 'Record a withdrawal at Stage 2',
    summary: 'Withdrawn at Stage 2',
    kinds: BOTH,
    roles: TEAM,
    refusal: (facts) => openStage2(facts),
    fields: (facts) => [date('withdrawn_on', 'Date it was withdrawn', 'the date it was withdrawn', { notBefore: { date: facts.stage2?.requestedOn ?? facts.receivedOn, what: 'the date of the request' } })],
    apply: (facts, values, context) => {
      const on = dateValue(values, 'withdrawn_on') ?? context.today;
      return {
        changes: { withdrawn_on: on, state: 'withdrawn' },
        caseChanges: { status: 'closed', closed_on: on },
        endAppointments: { roles: ['investigator', 'independent_person'], on },
        clocks: stoppingAll(facts, on, context),
        recorded: { withdrawn_on: on },
      };
    },
  },
  request_stage3: {
    stage: 3,
    label: 'Record a request for a review panel (Stage 3)',
    summary: 'Review panel (Stage 3) requested',
    kinds: CHILDREN,
    roles: TEAM,
    refusal: (facts) => {
      if (facts.stage3 !== undefined) return refuse('stage3_already_requested', 'A request for a review panel has already been recorded');
      return stage3RequestRefusal(facts.stage2?.state === 'adjudicated' ? facts.stage2.respondedOn : undefined);
    },
    fields: (facts) => requestFields(facts.stage2?.respondedOn, 'the date of the Stage 2 adjudication'),
    apply: (facts, values, context) => {
      const { create, goesAhead, requestedOn } = applyRequest(facts, values, context, facts.stage2?.respondedOn ?? facts.receivedOn, 3);
      // The council's response to the panel is made with the Stage 2 Independent Person: they are appointed again for Stage 3.
      const ip = goesAhead ? stage2IndependentPerson(facts) : undefined;
      const reappointed: NewAppointment | undefined =
        ip === undefined
          ? undefined
          : {
              role: 'independent_person',
              ...(ip.userId === undefined ? {} : { userId: ip.userId }),
              name: ip.name,
              isExternal: ip.isExternal,
              isChair: false,
              declarations: ip.declarations,
              ...(ip.declaredOn === undefined ? {} : { declaredOn: ip.declaredOn }),
              appointedOn: requestedOn,
            };
      return {
        create,
        changes: {},
        caseChanges: goesAhead ? { status: 'stage3', stage: 3 } : {},
        ...(reappointed === undefined ? {} : { endAppointments: { roles: STAGE2_APPOINTMENTS, on: requestedOn }, appointments: [reappointed] }),
        clocks: goesAhead ? clocksStartingOn(facts, 'stage3_requested', requestedOn) : [],
        recorded: {
          requested_on: requestedOn,
          is_late: create.isLate,
          ...(create.lateOutcome === undefined ? {} : { late_outcome: create.lateOutcome }),
          ...(reappointed === undefined ? {} : { independent_person_reappointed: true }),
        },
      };
    },
  },
  acknowledge_stage3: {
    stage: 3,
    label: 'Record the Stage 3 acknowledgement',
    summary: 'Stage 3 acknowledgement recorded',
    kinds: CHILDREN,
    roles: TEAM,
    refusal: (facts) =>
      openStage3(facts, ['awaiting_panel', 'panel_met', 'recommendations_received']) ??
      (facts.stage3?.acknowledgedOn === undefined ? undefined : refuse('already_acknowledged', 'The Stage 3 acknowledgement has already been recorded')),
    fields: (facts) => [date('acknowledged_on', 'Date of the acknowledgement', 'the date of the acknowledgement', { notBefore: { date: facts.stage3?.requestedOn ?? facts.receivedOn, what: 'the date of the request' } })],
    apply: (_facts, values, context) => {
      const on = dateValue(values, 'acknowledged_on') ?? context.today;
      return { changes: { acknowledged_on: on }, caseChanges: {}, clocks: [], recorded: { acknowledged_on: on } };
    },
  },
  appoint_panel: {
    stage: 3,
    label: 'Appoint the review panel',
    summary: 'Review panel appointed',
    kinds: CHILDREN,
    roles: TEAM,
    refusal: (facts) => openStage3(facts, ['awaiting_panel']),
    fields: (facts) => [
      ...PANEL_PREFIXES.flatMap((prefix, index): LaterField[] => {
        const group = `Panel member ${String(index + 1)}`;
        return [
          { kind: 'text', name: `${prefix}name`, label: 'Name', noun: `the name of panel member ${String(index + 1)}`, required: true, maxLength: 200, group },
          { kind: 'user', name: `${prefix}user_id`, label: 'Their Redress account, if they have one', noun: 'their account', required: false, role: 'panel_member', group },
          { kind: 'checkboxes', name: `${prefix}declarations`, label: 'What they have declared', noun: `what panel member ${String(index + 1)} has declared`, required: true, options: DECLARATION_OPTIONS, group },
          date(`${prefix}declared_on`, 'Date of the declaration', `the date of panel member ${String(index + 1)}’s declaration`, { group }),
        ];
      }),
      { kind: 'choice', name: 'chair', label: 'Who chairs the panel?', noun: 'who chairs the panel', required: true, options: PANEL_PREFIXES.map((_, i) => ({ value: String(i + 1), label: `Panel member ${String(i + 1)}` })) },
      date('appointed_on', 'Date of the appointment', 'the date of the appointment', { notBefore: { date: facts.stage3?.requestedOn ?? facts.receivedOn, what: 'the date of the request' } }),
    ],
    apply: (facts, values) => {
      const chair = textValue(values, 'chair');
      const members = PANEL_PREFIXES.map((prefix, i) => newAppointment('panel_member', values, prefix, chair === String(i + 1)));
      // The Independent Person of Stage 2 (current or ended: they took part in it).
      const ip = stage2IndependentPerson(facts);
      const isIp = (m: NewAppointment): boolean => ip !== undefined && isSamePerson(m, ip);
      const panel: PanelMember[] = members.map((m) => ({
        personKey: ip !== undefined && isIp(m) ? personKeyOf(ip) : personKeyOf(m),
        declarations: m.declarations,
        isChair: m.isChair,
        name: m.name,
        ...(m.declaredOn === undefined ? {} : { declaredOn: m.declaredOn }),
      }));
      const problems = panelProblems(panel, ip === undefined ? undefined : personKeyOf(ip));
      if (problems.length > 0) {
        // Each problem against the answer it is about: the Independent Person's name, the chair, a member's declarations.
        const index = members.findIndex(isIp);
        const fieldOf = (problem: DomainError): string => {
          if (problem.code === 'panel_includes_stage2_independent_person') return index >= 0 ? `${PANEL_PREFIXES[index] ?? ''}name` : 'member_1_name';
          if (problem.field === 'chair' || problem.field?.startsWith('member_') === true) return problem.field;
          return 'member_1_name';
        };
        throw new InputProblems(problems.map((problem) => new DomainError(problem.code, problem.message, fieldOf(problem))));
      }
      return {
        changes: {},
        caseChanges: {},
        endAppointments: { roles: ['panel_member'], on: members[0]?.appointedOn ?? '' },
        appointments: members,
        clocks: [],
        recorded: { appointed_on: members[0]?.appointedOn, members: members.length },
      };
    },
  },
  record_panel_meeting: {
    stage: 3,
    label: 'Record the panel meeting',
    summary: 'Review panel met',
    kinds: CHILDREN,
    roles: TEAM,
    appointed: ['panel_member'],
    refusal: (facts) =>
      openStage3(facts, ['awaiting_panel']) ?? (appointed(facts, 'panel_member').length === 0 ? refuse('panel_not_appointed', 'Appoint the review panel first') : undefined),
    fields: (facts) => [
      date('panel_met_on', 'Date the panel met', 'the date the panel met', { notBefore: { date: facts.stage3?.requestedOn ?? facts.receivedOn, what: 'the date of the request' } }),
      longText('attendees', 'Who attended', 'who attended', true, 'For example the complainant and their advocate, the investigating officer, the Independent Person.'),
      delayReasons('Needed when the panel meets after its due date (30 working days from the request).'),
    ],
    apply: (facts, values, context) => {
      const on = dateValue(values, 'panel_met_on') ?? context.today;
      // Late or not as the clock engine says (its due date for the `panel_meeting` clock).
      const stop = stopping(facts, 'panel_meeting', on, context);
      requireDelayReasons(stop.isLate, values, 'the panel met after its due date');
      const reasons = stop.isLate ? listValue(values, 'delay_reasons') : [];
      return {
        changes: { panel_met_on: on, attendees: textValue(values, 'attendees') ?? null, state: 'panel_met', panel_delay_reasons: reasons.length > 0 ? reasons.join(',') : null },
        caseChanges: {},
        clocks: [...stop.clocks, ...clocksStartingOn(facts, 'panel_met', on)],
        isLate: stop.isLate,
        recorded: { panel_met_on: on, ...(reasons.length > 0 ? { delay_reasons: reasons } : {}) },
      };
    },
  },
  record_recommendations: {
    stage: 3,
    label: 'Record the panel’s recommendations',
    summary: 'Panel recommendations received',
    kinds: CHILDREN,
    roles: TEAM,
    appointed: ['panel_member'],
    refusal: (facts) => openStage3(facts, ['panel_met']),
    fields: (facts) => [
      date('recommendations_received_on', 'Date the recommendations were received', 'the date the recommendations were received', {
        notBefore: { date: facts.stage3?.panelMetOn ?? facts.receivedOn, what: 'the date the panel met' },
      }),
      { kind: 'lines', name: 'recommendations', label: 'The panel’s recommendations', noun: 'the panel’s recommendations', hint: 'One a line.', required: true, maxItems: 30, maxLength: 1_000 },
    ],
    apply: (facts, values, context) => {
      const on = dateValue(values, 'recommendations_received_on') ?? context.today;
      const stop = stopping(facts, 'panel_recommendations', on, context);
      const recommendations = listValue(values, 'recommendations');
      return {
        changes: { recommendations_received_on: on, recommendations: recommendations.join('\n'), state: 'recommendations_received' },
        caseChanges: {},
        clocks: [...stop.clocks, ...clocksStartingOn(facts, 'recommendations_received', on)],
        isLate: stop.isLate,
        recorded: { recommendations_received_on: on, recommendations },
      };
    },
  },
  record_council_response: {
    stage: 3,
    label: 'Record the council’s response to the panel',
    summary: 'Council’s response to the panel recorded',
    kinds: CHILDREN,
    roles: SENIOR,
    refusal: (facts) => openStage3(facts, ['recommendations_received']),
    fields: (facts) => [
      date('independent_person_consulted_on', 'Date the response was agreed with the Stage 2 Independent Person', 'the date the response was agreed with the Independent Person', {
        notBefore: { date: facts.stage3?.recommendationsReceivedOn ?? facts.receivedOn, what: 'the date the recommendations were received' },
      }),
      date('responded_on', 'Date of the council’s response', 'the date of the council’s response', {
        notBefore: { date: facts.stage3?.recommendationsReceivedOn ?? facts.receivedOn, what: 'the date the recommendations were received' },
        hint: 'The response letter states how to go to the Local Government and Social Care Ombudsman.',
      }),
      ...(facts.stage3?.recommendations ?? []).flatMap((text, index): LaterField[] => {
        const n = String(index + 1);
        const group = `Recommendation ${n}: ${text}`;
        return [
          {
            kind: 'choice',
            name: `decision_${n}`,
            label: 'The council’s decision',
            noun: `the council’s decision on recommendation ${n}`,
            required: true,
            group,
            options: RECOMMENDATION_DECISIONS.map((d) => ({ value: d, label: RECOMMENDATION_DECISION_LABELS[d] })),
          },
          { kind: 'long_text', name: `reasons_${n}`, label: 'Reasons (optional)', noun: `the reasons for the decision on recommendation ${n}`, hint: 'The response letter gives them.', required: false, maxLength: 2_000, group },
        ];
      }),
      date('actions_due_on', 'Date the actions are due', 'the date the actions are due', {
        required: false,
        future: true,
        hint: 'Each recommendation the council accepts, wholly or in part, becomes an action in the learning log.',
      }),
      delayReasons(),
    ],
    apply: (facts, values, context) => {
      const respondedOn = dateValue(values, 'responded_on') ?? context.today;
      const consultedOn = dateValue(values, 'independent_person_consulted_on') ?? respondedOn;
      if (consultedOn > respondedOn) {
        throw new InputProblems([new DomainError('consulted_after_response', 'The response is made with the Independent Person: the date they agreed it must be on or before the response', 'independent_person_consulted_on')]);
      }
      const decided = (facts.stage3?.recommendations ?? []).map((text, index): DecidedRecommendation => {
        const decision = textValue(values, `decision_${String(index + 1)}`);
        const reasons = textValue(values, `reasons_${String(index + 1)}`);
        return { number: index + 1, text, ...(isRecommendationDecision(decision) ? { decision: { decision, ...(reasons === undefined ? {} : { reasons }) } } : {}) };
      });
      const recommendations = acceptedTexts(decided);
      const dueOn = dateValue(values, 'actions_due_on');
      if (recommendations.length > 0 && dueOn === undefined) throw new InputProblems([new DomainError('missing_actions_due_on', 'Enter the date the actions are due', 'actions_due_on')]);
      const stop = stopping(facts, 'council_response', respondedOn, context);
      requireDelayReasons(stop.isLate, values);
      return {
        changes: {
          responded_on: respondedOn,
          independent_person_consulted_on: consultedOn,
          state: 'responded',
          delay_reasons: stop.isLate ? listValue(values, 'delay_reasons').join(',') : null,
          council_decisions: decided.length > 0 ? JSON.stringify(decided.map((d) => d.decision ?? null)) : null,
        },
        caseChanges: { status: 'responded' },
        endAppointments: { roles: ['panel_member', 'investigator', 'independent_person'], on: respondedOn },
        ...(recommendations.length > 0 && dueOn !== undefined ? { recommendations: { texts: recommendations, dueOn } } : {}),
        clocks: stop.clocks,
        isLate: stop.isLate,
        recorded: {
          responded_on: respondedOn,
          independent_person_consulted_on: consultedOn,
          ...(decided.length > 0 ? { council_decisions: decided.map((d) => `${d.text}: ${d.decision === undefined ? 'no decision' : decisionText(d.decision)}`) } : {}),
        },
      };
    },
  },
  withdraw_stage3: {
    stage: 3,
    label: 'Record a withdrawal at Stage 3',
    summary: 'Withdrawn at Stage 3',
    kinds: CHILDREN,
    roles: TEAM,
    refusal: (facts) => openStage3(facts, ['awaiting_panel', 'panel_met', 'recommendations_received']),
    fields: (facts) => [date('withdrawn_on', 'Date it was withdrawn', 'the date it was withdrawn', { notBefore: { date: facts.stage3?.requestedOn ?? facts.receivedOn, what: 'the date of the request' } })],
    apply: (facts, values, context) => {
      const on = dateValue(values, 'withdrawn_on') ?? context.today;
      return {
        changes: { withdrawn_on: on, state: 'withdrawn' },
        caseChanges: { status: 'closed', closed_on: on },
        // The procedure ends: nobody appointed to it sees the case any more (as with the council's response).
        endAppointments: { roles: ['panel_member', 'investigator', 'independent_person'], on },
        clocks: stoppingAll(facts, on, context),
        recorded: { withdrawn_on: on },
      };
    },
  },
};

// ---- permission ----

export function stepDefinition(step: LaterStep): { stage: 2 | 3; label: string; summary: string } {
  const { stage, label, summary } = STEPS[step];
  return { stage, label, summary };
}

/** Whether the actor holds a current appointment to the case in one of `roles`. */
function isAppointedAs(facts: LaterStageFacts, actor: LaterActor, roles: readonly AppointmentRole[]): boolean {
  return facts.appointments.some((a) => a.userId === actor.userId && roles.includes(a.role) && actor.roles.includes(a.role));
}

/** Why the actor cannot take the step now, or undefined when they can. Kind, role or appointment, then the step's own refusal. */
export function stepRefusal(facts: LaterStageFacts, actor: LaterActor, step: LaterStep, context: LaterContext): Refusal | undefined {
  const definition = STEPS[step];
  const doing = definition.label.charAt(0).toLowerCase() + definition.label.slice(1);
  if (!(definition.kinds as readonly string[]).includes(facts.kind)) return refuse('action_not_for_kind', `You cannot ${doing} for this kind of representation`);
  const mayAct = definition.roles.some((role) => actor.roles.includes(role)) || (definition.appointed !== undefined && isAppointedAs(facts, actor, definition.appointed));
  if (!mayAct) return refuse('role_may_not', `Your role does not allow you to ${doing}`);
  return definition.refusal(facts, context, actor);
}

export interface StepAvailability {
  readonly step: LaterStep;
  readonly stage: 2 | 3;
  readonly label: string;
  readonly isAllowed: boolean;
  readonly message?: string;
}

/**
 * The steps the actor could take on the case's current stage: allowed, or held back with the
 * reason when only the order of the work stands in the way (so a page can say what to do first).
 */
export function availableSteps(facts: LaterStageFacts, actor: LaterActor, context: LaterContext): StepAvailability[] {
  const result: StepAvailability[] = [];
  for (const step of LATER_STEPS) {
    const definition = STEPS[step];
    const refusal = stepRefusal(facts, actor, step, context);
    if (refusal === undefined) result.push({ step, stage: definition.stage, label: definition.label, isAllowed: true });
    else if (HELD_BACK.has(refusal.code)) result.push({ step, stage: definition.stage, label: definition.label, isAllowed: false, message: refusal.message });
  }
  return result;
}

/** Refusals that say what to do first, or who must do it (shown beside the step), rather than that the step does not apply. */
const HELD_BACK = new Set([
  'statement_not_agreed',
  'investigator_not_appointed',
  'independent_person_not_appointed',
  'report_not_received',
  'advocacy_offer_required',
  'panel_not_appointed',
  'not_acknowledged',
  'adjudicator_not_independent',
]);

/** The fields the step's form shows now (throws, like `decideStep`, when the step cannot be taken). */
export function stepFields(facts: LaterStageFacts, actor: LaterActor, step: LaterStep, context: LaterContext): readonly LaterField[] {
  const refusal = stepRefusal(facts, actor, step, context);
  if (refusal !== undefined) throw refusal instanceof DomainError ? refusal : new DomainError(refusal.code, refusal.message);
  return STEPS[step].fields(facts, context);
}

/**
 * Applies a step: what to write, or a refusal — a DomainError when the step cannot be taken
 * now, InputProblems listing every problem with the input.
 */
export function decideStep(facts: LaterStageFacts, actor: LaterActor, step: LaterStep, input: Readonly<Record<string, unknown>>, context: LaterContext): StepOutcome {
  const definition = STEPS[step];
  const fields = stepFields(facts, actor, step, context);
  const { values, problems } = readFields(fields, input, context);
  if (problems.length > 0) throw new InputProblems(problems);
  try {
    return { step, stage: definition.stage, ...definition.apply(facts, values, context) };
  } catch (error) {
    if (error instanceof DomainError && !(error instanceof InputProblems)) throw new InputProblems([error]);
    throw error;
  }
}
