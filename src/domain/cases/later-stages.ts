/**
 * The rules of Stages 2 and 3 of the Children Act 1989 procedure that are not clocks
 * (DOMAIN.md §3): when a request for the next stage is late, who may be an Independent Person
 * or sit on a review panel, and what an adjudication must contain. Pure: the workflow and
 * the services that record Stages 2 and 3 call these and store what they return.
 *
 * - A request for Stage 2 (or 3) is in time when made within the request window (20 working
 *   days from the Stage 1 response, or from the Stage 2 adjudication). A late request is never
 *   refused automatically: it needs a recorded decision — accepted or refused, with reasons.
 * - Stage 3 cannot be asked for before there is a Stage 2 response (the adjudication).
 * - An Independent Person is neither a member nor an officer of the council, nor the spouse
 *   or civil partner of one: each is declared, and all must be.
 * - A review panel is three independent people, one of whom chairs it; the Independent Person
 *   of Stage 2 may not sit on it.
 * - An adjudication records a finding for every point of the complaint.
 */
import type { IsoDate } from '../calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import { DomainError } from '../errors.ts';
import { isOneOf } from '../taxonomies/code-list.ts';
import type { Finding } from '../taxonomies/findings.ts';

/** Working days the complainant has to ask for the next stage (DOMAIN.md §3). */
export const REQUEST_WINDOW_WORKING_DAYS = 20;

export interface RequestTiming {
  /** The last day of the window: working day 20 after the response it runs from. */
  readonly windowEndsOn: IsoDate;
  readonly isLate: boolean;
  /** How many working days after the window ended (0 when in time). */
  readonly workingDaysLate: number;
}

/**
 * Whether a request for the next stage made on `requestedOn` is in time, counting from the
 * response it follows (the counting rule: day 0 is the response date, or the next working
 * day). Refuses a request dated before that response (`request_before_response`).
 */
export function requestTiming(calendar: WorkingDayCalendar, respondedOn: IsoDate, requestedOn: IsoDate): RequestTiming {
  if (requestedOn < respondedOn) {
    throw new DomainError('request_before_response', 'The date of the request must be the same as or after the date of the response it asks to take further', 'requested_on');
  }
  const dayZero = calendar.workingDayOnOrAfter(respondedOn);
  const windowEndsOn = calendar.addWorkingDays(dayZero, REQUEST_WINDOW_WORKING_DAYS);
  if (requestedOn <= windowEndsOn) return { windowEndsOn, isLate: false, workingDaysLate: 0 };
  return { windowEndsOn, isLate: true, workingDaysLate: calendar.workingDaysBetween(windowEndsOn, requestedOn) };
}

export const LATE_REQUEST_OUTCOMES = ['accepted', 'refused'] as const;
export type LateRequestOutcome = (typeof LATE_REQUEST_OUTCOMES)[number];

/** The decision on a late request: never automatic, always with reasons. */
export interface LateRequestDecision {
  readonly outcome: LateRequestOutcome;
  readonly reason: string;
  readonly decidedOn: IsoDate;
}

/**
 * Checks the decision a late request needs: none for a request in time (giving one is refused,
 * `late_decision_not_needed`), and for a late one an outcome (`missing_late_decision`) with
 * reasons (`missing_late_reason`). Returns whether the request goes ahead.
 */
export function decideRequest(timing: RequestTiming, decision: Partial<LateRequestDecision> | undefined): boolean {
  if (!timing.isLate) {
    if (decision?.outcome !== undefined) throw new DomainError('late_decision_not_needed', 'The request is in time: it needs no decision on lateness', 'late_outcome');
    return true;
  }
  if (decision?.outcome === undefined || !isOneOf(LATE_REQUEST_OUTCOMES, decision.outcome)) {
    throw new DomainError('missing_late_decision', 'The request is late: record whether it is accepted or refused — a late request is never refused automatically', 'late_outcome');
  }
  if ((decision.reason ?? '').trim() === '') throw new DomainError('missing_late_reason', 'Enter the reasons for the decision on the late request', 'late_reason');
  return decision.outcome === 'accepted';
}

/** Stage 3 follows a Stage 2 response: refuses a request before one (`stage3_before_stage2_response`). */
export function checkStage3Request(stage2RespondedOn: IsoDate | undefined): IsoDate {
  if (stage2RespondedOn === undefined) {
    throw new DomainError('stage3_before_stage2_response', 'A review panel can only be asked for once the Stage 2 response (the adjudication) has been sent');
  }
  return stage2RespondedOn;
}

// ---- independence ----

/** What an Independent Person or panel member declares (DOMAIN.md §3: a recorded declaration). */
export const INDEPENDENCE_DECLARATIONS = ['not_member', 'not_officer', 'not_spouse_or_partner'] as const;
export type IndependenceDeclaration = (typeof INDEPENDENCE_DECLARATIONS)[number];

export const INDEPENDENCE_DECLARATION_LABELS: Readonly<Record<IndependenceDeclaration, string>> = {
  not_member: 'They are not a member (councillor) of the council',
  not_officer: 'They are not an officer (employee) of the council',
  not_spouse_or_partner: 'They are not the spouse or civil partner of a member or officer of the council',
};

export interface IndependentPerson {
  /** Who they are, as the council identifies them (a user or a name). */
  readonly personKey: string;
  readonly declarations: readonly string[];
  readonly declaredOn?: IsoDate;
}

/** Refuses someone who has not made every declaration (`independence_not_declared`, naming the first missing). */
export function checkIndependence(person: IndependentPerson, field = 'declarations'): void {
  const missing = INDEPENDENCE_DECLARATIONS.find((d) => !person.declarations.includes(d));
  if (missing !== undefined) {
    throw new DomainError('independence_not_declared', `They cannot act as an independent person unless it is declared that ${lowerFirst(INDEPENDENCE_DECLARATION_LABELS[missing])}`, field);
  }
  if (person.declaredOn === undefined) throw new DomainError('missing_declared_on', 'Enter the date of the declaration', 'declared_on');
}

export const PANEL_SIZE = 3;

export interface PanelMember extends IndependentPerson {
  readonly isChair: boolean;
}

/**
 * A review panel: exactly three independent people (`panel_size`), each declared independent,
 * none twice (`panel_member_repeated`), exactly one chair (`panel_chair`), and not the
 * Independent Person of Stage 2 (`panel_includes_stage2_independent_person`).
 */
export function checkPanel(members: readonly PanelMember[], stage2IndependentPerson: string | undefined): void {
  if (members.length !== PANEL_SIZE) throw new DomainError('panel_size', `A review panel has ${String(PANEL_SIZE)} members: it has ${String(members.length)}`, 'members');
  if (new Set(members.map((m) => m.personKey)).size !== members.length) throw new DomainError('panel_member_repeated', 'Choose three different people for the panel', 'members');
  if (stage2IndependentPerson !== undefined && members.some((m) => m.personKey === stage2IndependentPerson)) {
    throw new DomainError('panel_includes_stage2_independent_person', 'The Independent Person of Stage 2 may not sit on the review panel: choose someone else', 'members');
  }
  const chairs = members.filter((m) => m.isChair).length;
  if (chairs !== 1) throw new DomainError('panel_chair', 'Choose one member of the panel to chair it', 'chair');
  for (const member of members) checkIndependence(member, 'members');
}

// ---- adjudication ----

export interface ComplaintPoint {
  readonly number: number;
  readonly text: string;
}

/**
 * An adjudication needs a finding for every point of the complaint as agreed in the
 * statement (`adjudication_without_findings`, naming the first point without one) and none
 * for a point that is not in it (`finding_for_unknown_point`).
 */
export function checkAdjudication(points: readonly ComplaintPoint[], findings: ReadonlyMap<number, Finding>): void {
  if (points.length === 0) throw new DomainError('no_complaint_points', 'Record the points of the complaint agreed in the statement first');
  for (const number of findings.keys()) {
    if (!points.some((p) => p.number === number)) throw new DomainError('finding_for_unknown_point', `There is no point ${String(number)} in the statement of complaint`, 'findings');
  }
  const without = points.find((p) => !findings.has(p.number));
  if (without !== undefined) {
    throw new DomainError('adjudication_without_findings', `Record a finding for every point of the complaint: point ${String(without.number)} has none`, `finding_${String(without.number)}`);
  }
}

/** The finding for the complaint as a whole, from the findings on its points: upheld if all are, not upheld if none is, otherwise partially. */
export function overallFinding(findings: Iterable<Finding>): Finding | undefined {
  const all = [...findings].filter((f) => f === 'upheld' || f === 'partially_upheld' || f === 'not_upheld');
  if (all.length === 0) return undefined;
  if (all.every((f) => f === 'upheld')) return 'upheld';
  if (all.every((f) => f === 'not_upheld')) return 'not_upheld';
  return 'partially_upheld';
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
