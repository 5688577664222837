/**
 * The rules of Stages 2 and 3 of the Children Act 1989 procedure that are not clocks:
 * when a request for the next stage is late, who may be an Independent Person
 * or sit on a review panel, and what an adjudication must contain. Pure: the workflow and
 * the services that record Stages 2 and 3 call these and store what they return.
 *
 * - A request for Stage 2 (or 3) is in time when made within the request window (20 working
 *   days from the Stage 1 response, or from the Stage 2 adjudication). A late request is never
 *   refused automatically: it needs a recorded decision — accepted or refused, with reasons.
 * - Stage 3 cannot be asked for before there is a Stage 2 response (the adjudication).
 * - An Independent Person is from outside the council — neither a member nor an officer of it,
 *   nor the spouse or civil partner of one: each is declared, and all must be; someone recorded
 *   as not from outside the council is refused whatever they declared.
 * - A review panel is three independent people, one of whom chairs it; the Independent Person
 *   of Stage 2 may not sit on it. A missing declaration is reported against the member.
 * - The senior manager who adjudicates Stage 2 is independent of the work before it: neither
 *   the investigating officer nor the manager who responded at Stage 1 (the same account; for
 *   an investigating officer appointed without an account, the same name).
 * - An adjudication records a finding for every point of the complaint.
 */
import type { IsoDate } from '../calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import { computeClock, type ClockStatus } from '../clocks/clock-engine.ts';
import { clockDefinition } from '../procedures/procedure-definitions.ts';
import { DomainError } from '../errors.ts';
import { isOneOf } from '../taxonomies/code-list.ts';
import type { Finding } from '../taxonomies/findings.ts';

/** The clock that times the request for each later stage. */
const REQUEST_WINDOW_CLOCKS = { 2: 'stage2_request_window', 3: 'stage3_request_window' } as const;

/**
 * The request windows are defined once, as clocks of the Children Act procedure. The
 * corporate procedure has no window clock of its own: its complainants get the same time to
 * ask for its Stage 2.
 */
function requestWindowClock(stage: 2 | 3) {
  return clockDefinition('children_statutory', REQUEST_WINDOW_CLOCKS[stage]);
}

/** Working days the complainant has to ask for the next stage, from the response it follows. */
export function requestWindowWorkingDays(stage: 2 | 3): number {
  return requestWindowClock(stage).length.value;
}

/**
 * The last day to ask in time for Stage `stage`, after a response (the Stage 1 response, or
 * the Stage 2 adjudication) dated `respondedOn`: the due date of the request window's clock,
 * as the clock engine works it out. Every place that shows or checks this date — letters,
 * the email with the link to ask online, the case page, the check of a late request — calls
 * this function, so they cannot differ.
 */
export function requestWindowEndsOn(calendar: WorkingDayCalendar, stage: 2 | 3, respondedOn: IsoDate): IsoDate {
  return requestWindow(calendar, stage, respondedOn).dueDate;
}

/**
 * The request window's clock, run by the clock engine, stopped by a request on `requestedOn`
 * when there is one. The window starts on the council's own response, not on something
 * received, so it runs under the engine's default receipt rule: day 0 is the response date.
 */
function requestWindow(calendar: WorkingDayCalendar, stage: 2 | 3, respondedOn: IsoDate, requestedOn?: IsoDate): ClockStatus {
  const events = requestedOn === undefined ? { startedOn: respondedOn } : { startedOn: respondedOn, stoppedOn: requestedOn };
  return computeClock(requestWindowClock(stage), calendar, events, requestedOn ?? respondedOn);
}

export interface RequestTiming {
  /** The last day of the window: working day 20 after the response it runs from. */
  readonly windowEndsOn: IsoDate;
  readonly isLate: boolean;
  /** How many working days after the window ended (0 when in time). */
  readonly workingDaysLate: number;
}

/**
 * Whether a request for the next stage made on `requestedOn` is in time: on or before the
 * last day of the window (`requestWindowEndsOn`) after the response it follows. Refuses a
 * request dated before that response (`request_before_response`).
 */
export function requestTiming(calendar: WorkingDayCalendar, respondedOn: IsoDate, requestedOn: IsoDate, stage: 2 | 3 = 2): RequestTiming {
  if (requestedOn < respondedOn) {
    throw new DomainError('request_before_response', 'The date of the request must be the same as or after the date of the response it asks to take further', 'requested_on');
  }
  // Late means after the date the complainant was given ("ask by …"), whatever day of the week the request came.
  const windowEndsOn = requestWindowEndsOn(calendar, stage, respondedOn);
  if (requestedOn <= windowEndsOn) return { windowEndsOn, isLate: false, workingDaysLate: 0 };
  const stopped = requestWindow(calendar, stage, respondedOn, requestedOn);
  return { windowEndsOn, isLate: true, workingDaysLate: stopped.workingDaysUsed - stopped.totalWorkingDays };
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

/**
 * Why a step cannot be taken: a DomainError's code and message, made into one only when it is
 * thrown. A case page asks every later-stage step and shows few refusals, and making an Error
 * records the stack, which for every step of every case page cost more than the rest of the
 * page's work (issue #16).
 */
export interface Refusal {
  readonly code: string;
  readonly message: string;
}

/** Stage 3 follows a Stage 2 response: why a request before one is refused, or undefined after one. */
export function stage3RequestRefusal(stage2RespondedOn: IsoDate | undefined): Refusal | undefined {
  return stage2RespondedOn === undefined
    ? { code: 'stage3_before_stage2_response', message: 'A review panel can only be asked for once the Stage 2 response (the adjudication) has been sent' }
    : undefined;
}

// ---- independence ----

/** What an Independent Person or panel member declares (a recorded declaration). */
export const INDEPENDENCE_DECLARATIONS = ['not_member', 'not_officer', 'not_spouse_or_partner'] as const;
export type IndependenceDeclaration = (typeof INDEPENDENCE_DECLARATIONS)[number];

export const INDEPENDENCE_DECLARATION_LABELS: Readonly<Record<IndependenceDeclaration, string>> = {
  not_member: 'They are not a member (councillor) of the council',
  not_officer: 'They are not an officer (employee) of the council',
  not_spouse_or_partner: 'They are not the spouse or civil partner of a member or officer of the council',
};

// ---- who is who ----

/** Someone taking part in a complaint: their account when they have one, and their name. */
export interface PersonRef {
  readonly userId?: number | undefined;
  readonly name: string;
}

/** Who someone is for the independence rules: their account when they have one, otherwise their name. */
export function personKeyOf(person: PersonRef): string {
  return person.userId === undefined ? `name:${normalName(person.name)}` : `user:${String(person.userId)}`;
}

/** A name as compared: trimmed, in lower case, single spaces. */
function normalName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The same person: the same account, or the same name (one may have been entered without the account). */
export function isSamePerson(a: PersonRef, b: PersonRef): boolean {
  return (a.userId !== undefined && a.userId === b.userId) || (normalName(a.name) !== '' && normalName(a.name) === normalName(b.name));
}

export interface IndependentPerson {
  /** Who they are, as the council identifies them (a user or a name). */
  readonly personKey: string;
  readonly declarations: readonly string[];
  readonly declaredOn?: IsoDate;
  /** Whether they were recorded as from outside the council (not asked of panel members). */
  readonly isExternal?: boolean;
}

/**
 * Refuses someone recorded as not from outside the council (`independent_person_not_external`),
 * then someone who has not made every declaration (`independence_not_declared`, naming the first
 * missing) or without the date of the declaration (`missing_declared_on`).
 */
export function checkIndependence(person: IndependentPerson, field = 'declarations'): void {
  if (person.isExternal === false) {
    throw new DomainError(
      'independent_person_not_external',
      'An Independent Person must be from outside the council: someone who is a member or officer of the council, or the spouse or civil partner of one, cannot be appointed',
      'is_external',
    );
  }
  const missing = INDEPENDENCE_DECLARATIONS.find((d) => !person.declarations.includes(d));
  if (missing !== undefined) {
    throw new DomainError('independence_not_declared', `They cannot act as an independent person unless it is declared that ${lowerFirst(INDEPENDENCE_DECLARATION_LABELS[missing])}`, field);
  }
  if (person.declaredOn === undefined) throw new DomainError('missing_declared_on', 'Enter the date of the declaration', 'declared_on');
}

export const PANEL_SIZE = 3;

export interface PanelMember extends IndependentPerson {
  readonly isChair: boolean;
  /** Their name, to say who a problem is about. */
  readonly name?: string;
}

/** The form field of panel member `number` (1 to 3) that a problem is about: `member_2_declarations`. */
export function panelMemberField(number: number, field: 'name' | 'declarations' | 'declared_on'): string {
  return `member_${String(number)}_${field}`;
}

/**
 * A review panel: exactly three independent people (`panel_size`), none twice
 * (`panel_member_repeated`), not the Independent Person of Stage 2
 * (`panel_includes_stage2_independent_person`), exactly one chair (`panel_chair`), and each
 * declared independent: every member without a declaration is a problem of their own
 * (`independence_not_declared` against `member_<n>_declarations`, naming them), so that a form
 * can point at that member's answers. Every problem, in that order; none when the panel may sit.
 */
export function panelProblems(members: readonly PanelMember[], stage2IndependentPerson: string | undefined): DomainError[] {
  if (members.length !== PANEL_SIZE) return [new DomainError('panel_size', `A review panel has ${String(PANEL_SIZE)} members: it has ${String(members.length)}`, 'members')];
  if (new Set(members.map((m) => m.personKey)).size !== members.length) return [new DomainError('panel_member_repeated', 'Choose three different people for the panel', 'members')];
  const problems: DomainError[] = [];
  if (stage2IndependentPerson !== undefined && members.some((m) => m.personKey === stage2IndependentPerson)) {
    problems.push(new DomainError('panel_includes_stage2_independent_person', 'The Independent Person of Stage 2 may not sit on the review panel: choose someone else', 'members'));
  }
  const chairs = members.filter((m) => m.isChair).length;
  if (chairs !== 1) problems.push(new DomainError('panel_chair', 'Choose one member of the panel to chair it', 'chair'));
  members.forEach((member, index) => {
    const number = index + 1;
    const who = `Panel member ${String(number)}${member.name === undefined || member.name.trim() === '' ? '' : ` (${member.name.trim()})`}`;
    const missing = INDEPENDENCE_DECLARATIONS.find((d) => !member.declarations.includes(d));
    if (missing !== undefined) {
      problems.push(
        new DomainError(
          'independence_not_declared',
          `${who} has not declared that ${lowerFirst(INDEPENDENCE_DECLARATION_LABELS[missing])}: they cannot sit on the panel unless they do`,
          panelMemberField(number, 'declarations'),
        ),
      );
    } else if (member.declaredOn === undefined) {
      problems.push(new DomainError('missing_declared_on', `Enter the date of ${who.charAt(0).toLowerCase()}${who.slice(1)}’s declaration`, panelMemberField(number, 'declared_on')));
    }
  });
  return problems;
}

/** Refuses a panel that cannot sit (the first of `panelProblems`). */
export function checkPanel(members: readonly PanelMember[], stage2IndependentPerson: string | undefined): void {
  const [first] = panelProblems(members, stage2IndependentPerson);
  if (first !== undefined) throw first;
}

// ---- the adjudicator ----

/** Who the adjudicator must be independent of: everyone who investigated Stage 2, and the Stage 1 responding manager. */
export interface AdjudicationConflicts {
  readonly investigators: readonly PersonRef[];
  readonly stage1Responder?: PersonRef | undefined;
}

/**
 * Whether the adjudicator is `other`: their account when `other` was recorded with one (two
 * accounts are two people, whatever their names), otherwise their name (trimmed, in any case).
 */
function isAdjudicatorThem(adjudicator: PersonRef, other: PersonRef): boolean {
  if (other.userId !== undefined) return other.userId === adjudicator.userId;
  return normalName(other.name) !== '' && normalName(other.name) === normalName(adjudicator.name);
}

/**
 * Refuses an adjudicator who is not independent of the work before it
 * (`adjudicator_not_independent`): someone who is, or was, the investigating officer of Stage 2,
 * or who responded at Stage 1 — the same account, or for someone recorded without an account,
 * the same name.
 */
export function checkAdjudicator(adjudicator: PersonRef, conflicts: AdjudicationConflicts): void {
  if (conflicts.investigators.some((investigator) => isAdjudicatorThem(adjudicator, investigator))) {
    throw new DomainError(
      'adjudicator_not_independent',
      'You cannot adjudicate this complaint because you are its investigating officer: another senior manager, independent of the investigation, must make the adjudication',
    );
  }
  if (conflicts.stage1Responder !== undefined && isAdjudicatorThem(adjudicator, conflicts.stage1Responder)) {
    throw new DomainError(
      'adjudicator_not_independent',
      'You cannot adjudicate this complaint because you responded to it at Stage 1: another senior manager, independent of the Stage 1 response, must make the adjudication',
    );
  }
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
