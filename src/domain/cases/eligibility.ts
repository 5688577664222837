/**
 * The eligibility decisions, as data. Each is a recorded decision — with its
 * outcome, its reasons, who made it and when (the service records the actor and the time)
 * — never a silent refusal. A case may need several; Stage 1 cannot be completed until every
 * decision the case needs has been recorded (`outstandingDecisions`).
 *
 * - `sufficient_interest`: someone without standing of their own (see `COMPLAINANT_STANDING`)
 *   may complain only if the council decides they have sufficient interest in the young
 *   person's welfare. The decision takes the young person's views into account and is
 *   notified, so both are recorded.
 * - `time_limit`: a complaint about events more than 12 months before it was received may be
 *   refused, but only after weighing why it is late and whether it can still be considered
 *   fairly.
 * - `court_proceedings`: where there are court or other proceedings, the council may decline
 *   to consider the complaint, wholly or in part, only where considering it might prejudice
 *   them.
 * - `child_wishes`: a complaint made for a young person by someone without parental
 *   responsibility must reflect the young person's wishes (parents and others with parental
 *   responsibility need not have their consent).
 */
import { type IsoDate, dayNumberFromParts, daysInMonth, isoDateParts, parseIsoDate } from '../calendar/iso-date.ts';
import { DomainError } from '../errors.ts';
import type { ProcedureKind } from '../procedures/procedure-definitions.ts';
import { isOneOf } from '../taxonomies/code-list.ts';
import type { ComplainantRole } from '../taxonomies/complainant-roles.ts';
import type { RepresentationKind } from '../taxonomies/representation-kinds.ts';

export const ELIGIBILITY_DECISIONS = ['sufficient_interest', 'time_limit', 'court_proceedings', 'child_wishes'] as const;

export type EligibilityDecision = (typeof ELIGIBILITY_DECISIONS)[number];

export function isEligibilityDecision(value: unknown): value is EligibilityDecision {
  return isOneOf(ELIGIBILITY_DECISIONS, value);
}

/** Every outcome code of every decision; each decision allows some of them (`ELIGIBILITY_RULES`). */
export const ELIGIBILITY_OUTCOMES = [
  'accepted',
  'not_accepted',
  'consider',
  'decline_partly',
  'decline_wholly',
  'reflects_wishes',
  'wishes_not_known',
  'against_wishes',
] as const;

export type EligibilityOutcome = (typeof ELIGIBILITY_OUTCOMES)[number];

export function isEligibilityOutcome(value: unknown): value is EligibilityOutcome {
  return isOneOf(ELIGIBILITY_OUTCOMES, value);
}

/** How much of the complaint an outcome takes out of the procedure. */
export type Declines = 'nothing' | 'part' | 'all';

/** What is recorded with a decision beyond its outcome and date (field names as the Stage 1 workflow's inputs). */
export type EligibilityField = 'reason' | 'child_views' | 'notified_on' | 'parts_declined';

export interface EligibilityRule {
  decision: EligibilityDecision;
  label: string;
  /** The question the decision answers, as the page asks it. */
  question: string;
  /** The procedures the decision belongs to. */
  kinds: readonly ProcedureKind[];
  outcomes: readonly { code: EligibilityOutcome; label: string; declines: Declines }[];
  /** What must be recorded: always, or only with the outcomes listed. */
  records: readonly { field: EligibilityField; onlyWith?: readonly EligibilityOutcome[] }[];
  basis: string;
}

const DECLINING: readonly EligibilityOutcome[] = ['decline_partly', 'decline_wholly'];

export const ELIGIBILITY_RULES: Readonly<Record<EligibilityDecision, EligibilityRule>> = {
  sufficient_interest: {
    decision: 'sufficient_interest',
    label: 'Sufficient interest',
    question: "Does the complainant have sufficient interest in the young person's welfare to make this complaint?",
    kinds: ['children_statutory'],
    outcomes: [
      { code: 'accepted', label: 'Yes: consider the complaint', declines: 'nothing' },
      { code: 'not_accepted', label: 'No: the complaint will not be considered', declines: 'all' },
    ],
    records: [{ field: 'reason' }, { field: 'child_views' }, { field: 'notified_on' }],
    basis: 'Children Act 1989 s.26(3)(e): anyone the council considers has sufficient interest in the child’s welfare.',
  },
  time_limit: {
    decision: 'time_limit',
    label: 'Time limit',
    question: 'The complaint is about events more than 12 months before it was received. Can it still be considered fairly?',
    kinds: ['children_statutory', 'corporate', 'adult_statutory'],
    outcomes: [
      { code: 'consider', label: 'Yes: consider all of it', declines: 'nothing' },
      { code: 'decline_partly', label: 'Consider only part of it', declines: 'part' },
      { code: 'decline_wholly', label: 'No: the complaint will not be considered', declines: 'all' },
    ],
    records: [{ field: 'reason' }, { field: 'parts_declined', onlyWith: ['decline_partly'] }, { field: 'notified_on', onlyWith: DECLINING }],
    basis: '2006 Regulations: a complaint made after 12 months may still be considered; the decision weighs why it is late and whether it can be considered fairly.',
  },
  court_proceedings: {
    decision: 'court_proceedings',
    label: 'Court or other proceedings',
    question: 'Might considering the complaint prejudice court or other proceedings?',
    kinds: ['children_statutory', 'corporate', 'adult_statutory'],
    outcomes: [
      { code: 'consider', label: 'No: consider all of it', declines: 'nothing' },
      { code: 'decline_partly', label: 'Partly: do not consider the parts that might prejudice them', declines: 'part' },
      { code: 'decline_wholly', label: 'Yes: the complaint will not be considered', declines: 'all' },
    ],
    records: [{ field: 'reason' }, { field: 'parts_declined', onlyWith: ['decline_partly'] }, { field: 'notified_on', onlyWith: DECLINING }],
    basis: '2006 Regulations: the council may decline to consider a complaint, wholly or in part, only where it might prejudice proceedings.',
  },
  child_wishes: {
    decision: 'child_wishes',
    label: "Young person's wishes",
    question: "Does the complaint made for the young person reflect their wishes?",
    kinds: ['children_statutory'],
    outcomes: [
      { code: 'reflects_wishes', label: 'Yes', declines: 'nothing' },
      { code: 'wishes_not_known', label: 'Their wishes cannot be known (for example, they are too young): consider it', declines: 'nothing' },
      { code: 'against_wishes', label: 'No: the complaint will not be considered', declines: 'all' },
    ],
    records: [{ field: 'reason' }, { field: 'notified_on', onlyWith: ['against_wishes'] }],
    basis: 'Getting the Best from Complaints (2006): a complaint made on a child’s behalf must reflect the child’s wishes, unless made by someone with parental responsibility.',
  },
};

export const ELIGIBILITY_DECISION_LABELS: Readonly<Record<EligibilityDecision, string>> = {
  sufficient_interest: ELIGIBILITY_RULES.sufficient_interest.label,
  time_limit: ELIGIBILITY_RULES.time_limit.label,
  court_proceedings: ELIGIBILITY_RULES.court_proceedings.label,
  child_wishes: ELIGIBILITY_RULES.child_wishes.label,
};

/**
 * Who may complain in their own right, and whose complaint made for a young person must be
 * checked against the young person's wishes (Children Act 1989 s.26(3)).
 *
 * - Entitled without a decision: the child; a parent; a local authority foster carer; a care
 *   leaver; a special guardian; an adopter. An `advocate` brings the young person's own
 *   complaint on their instructions, so needs no decision on standing either.
 * - Everyone else — a relative, an Independent Reviewing Officer, a professional, anyone
 *   else — needs a decision that they have sufficient interest, unless they hold parental
 *   responsibility (a fact recorded on the case).
 * - The young person's wishes are checked when the complaint is made for them by someone
 *   without parental responsibility: always for those who can complain only for the young
 *   person, and for a foster carer when they complain for the young person rather than about
 *   their own dealings with the council.
 */
export const COMPLAINANT_STANDING: Readonly<
  Record<ComplainantRole, { needsSufficientInterest: boolean; childWishes: 'never' | 'when_made_for_child' | 'always' }>
> = {
  child: { needsSufficientInterest: false, childWishes: 'never' },
  advocate: { needsSufficientInterest: false, childWishes: 'never' },
  parent: { needsSufficientInterest: false, childWishes: 'never' },
  special_guardian: { needsSufficientInterest: false, childWishes: 'never' },
  adopter: { needsSufficientInterest: false, childWishes: 'never' },
  care_leaver: { needsSufficientInterest: false, childWishes: 'never' },
  foster_carer: { needsSufficientInterest: false, childWishes: 'when_made_for_child' },
  relative: { needsSufficientInterest: true, childWishes: 'always' },
  iro: { needsSufficientInterest: true, childWishes: 'always' },
  professional: { needsSufficientInterest: true, childWishes: 'always' },
  other: { needsSufficientInterest: true, childWishes: 'always' },
};

/** A decision as recorded on a case. */
export interface RecordedEligibilityDecision {
  decision: EligibilityDecision;
  outcome: EligibilityOutcome;
  decidedOn: IsoDate;
}

/** What the eligibility rules read from a case. */
export interface EligibilityFacts {
  kind: RepresentationKind;
  receivedOn: IsoDate;
  /** When the matter complained about happened; unknown (or continuing) means no time-limit question. */
  eventOn?: IsoDate;
  complainantRole?: ComplainantRole;
  /** The complainant holds parental responsibility for the young person (whatever their role). */
  hasParentalResponsibility?: boolean;
  /** The complaint is made for the young person, not about the complainant's own dealings (matters for foster carers). */
  isMadeForChild?: boolean;
  /** There are court or other proceedings about the young person. */
  hasProceedings?: boolean;
  /** The decisions recorded, in the order they were recorded: the last for each decision stands. */
  eligibilityDecisions?: readonly RecordedEligibilityDecision[];
}

/**
 * Whether something that happened on `eventOn` was more than 12 months before `receivedOn`.
 * Twelve months after 10 March 2025 is 10 March 2026, so a complaint received that day is in
 * time and one received on 11 March is not; from 29 February the twelve months end on 28
 * February. Refuses (DomainError `event_after_receipt`) an event after the receipt.
 */
export function isOutsideTimeLimit(eventOn: IsoDate, receivedOn: IsoDate): boolean {
  const event = parseIsoDate(eventOn, 'event_on');
  const received = parseIsoDate(receivedOn, 'received_on');
  if (event > received) {
    throw new DomainError('event_after_receipt', 'The date of the events complained about must be on or before the date the complaint was received', 'event_on');
  }
  const { year, month, day } = isoDateParts(eventOn);
  const limit = dayNumberFromParts(year + 1, month, Math.min(day, daysInMonth(year + 1, month)));
  return received > limit;
}

function appliesTo(decision: EligibilityDecision, kind: RepresentationKind): boolean {
  return isOneOf(ELIGIBILITY_RULES[decision].kinds, kind);
}

/** The decisions the case needs, whether or not they have been recorded yet (in the order of `ELIGIBILITY_DECISIONS`). */
export function neededDecisions(facts: EligibilityFacts): EligibilityDecision[] {
  const needed: EligibilityDecision[] = [];
  const standing = facts.complainantRole === undefined ? undefined : COMPLAINANT_STANDING[facts.complainantRole];
  const hasResponsibility = facts.hasParentalResponsibility === true;
  if (standing?.needsSufficientInterest === true && !hasResponsibility) needed.push('sufficient_interest');
  // An event dated after the receipt is refused when recorded; here it only asks nothing, so pages never fail on it.
  if (facts.eventOn !== undefined && facts.eventOn <= facts.receivedOn && isOutsideTimeLimit(facts.eventOn, facts.receivedOn)) needed.push('time_limit');
  if (facts.hasProceedings === true) needed.push('court_proceedings');
  const checksWishes = standing?.childWishes === 'always' || (standing?.childWishes === 'when_made_for_child' && facts.isMadeForChild === true);
  if (checksWishes && !hasResponsibility) needed.push('child_wishes');
  return needed.filter((decision) => appliesTo(decision, facts.kind));
}

/** The decision standing for each kind of decision recorded: the last one recorded. */
export function latestDecisions(facts: EligibilityFacts): ReadonlyMap<EligibilityDecision, RecordedEligibilityDecision> {
  const latest = new Map<EligibilityDecision, RecordedEligibilityDecision>();
  for (const recorded of facts.eligibilityDecisions ?? []) latest.set(recorded.decision, recorded);
  return latest;
}

/** The decisions the case still needs before Stage 1 can be completed. */
export function outstandingDecisions(facts: EligibilityFacts): EligibilityDecision[] {
  const latest = latestDecisions(facts);
  return neededDecisions(facts).filter((decision) => !latest.has(decision));
}

/** How much of the complaint a recorded outcome takes out of the procedure. */
export function declinesOf(decision: EligibilityDecision, outcome: EligibilityOutcome): Declines | undefined {
  return ELIGIBILITY_RULES[decision].outcomes.find((o) => o.code === outcome)?.declines;
}

/** Whether a decision standing on the case means the complaint will not be considered at all. */
export function isDeclinedWholly(facts: EligibilityFacts): boolean {
  return [...latestDecisions(facts).values()].some((recorded) => declinesOf(recorded.decision, recorded.outcome) === 'all');
}

/** What must be recorded with `outcome` of `decision`. */
export function fieldsToRecord(decision: EligibilityDecision, outcome: EligibilityOutcome): EligibilityField[] {
  return ELIGIBILITY_RULES[decision].records.filter((r) => r.onlyWith === undefined || r.onlyWith.includes(outcome)).map((r) => r.field);
}
