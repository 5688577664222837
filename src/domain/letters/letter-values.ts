/**
 * A case's values for its letters, as text, worked out from what the case records. A value
 * that has not been recorded is left out, so the letter shows a visible gap for it.
 *
 * Dates are written the GOV.UK way ("26 November 2026"). Dates Redress works out itself:
 *
 * - `reply_by_date`: `REPLY_WORKING_DAYS` working days after the information was asked for
 *   (after today if the request has not been recorded yet);
 * - `closure_date`: `REPLY_WORKING_DAYS` working days after the closure letter (or today);
 * - `stage2_request_by` and `stage3_request_by`: the last day to ask for the next stage, from
 *   the Stage 1 response or the Stage 2 adjudication (from today while it is still being
 *   written), by `requestWindowEndsOn` — the one function the check of a late request and
 *   the email with the link to ask online call too, so the dates cannot differ.
 */
import { deadline, DEFAULT_RECEIPT_RULE } from '../calendar/counting-rule.ts';
import type { IsoDate } from '../calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import { requestWindowEndsOn, requestWindowWorkingDays } from '../cases/later-stages.ts';
import { formatLongDate } from '../cases/stage1-fields.ts';
import { REPLY_WORKING_DAYS, type LetterField, type LetterValues } from './letter-fields.ts';
import { decisionText, type DecidedRecommendation } from '../cases/recommendation-decisions.ts';
import { letterAudienceFor, type LetterAudience } from './letter-audience.ts';

/** What a case records that its letters use. Absent or null: not recorded. */
export interface LetterCaseFacts {
  readonly reference: string;
  readonly kind: string;
  readonly councilName: string;
  readonly today: IsoDate;
  readonly complainantName?: string | null;
  readonly complainantAddress?: string | null;
  /** The complainant's role: a child or young person gets the child version of each letter (`letter-audience.ts`). */
  readonly complainantRole?: string | null;
  /** The advocate recorded on the case. */
  readonly advocateName?: string | null;
  readonly youngPersonId?: string | null;
  readonly teamName?: string | null;
  readonly receivedOn: IsoDate;
  readonly acknowledgedOn?: IsoDate | null;
  readonly respondedOn?: IsoDate | null;
  readonly withdrawnOn?: IsoDate | null;
  /** The Stage 1 clock, when it has started: its due date (extensions and pauses counted) and extensions. */
  readonly stage1?: { readonly dueOn: IsoDate; readonly extraWorkingDays: number; readonly extensionReason?: string | undefined } | undefined;
  readonly findingLabel?: string | null;
  /** The Stage 1 finding's code, for the child version's sentence. */
  readonly findingCode?: string | null;
  readonly remedyLabels?: readonly string[];
  readonly responderName?: string | null;
  readonly informationRequestedOn?: IsoDate | null;
  readonly informationRequested?: string | null;
  readonly closureWarningSentOn?: IsoDate | null;
  /** Stages 2 and 3, when there are any. */
  readonly later?: LaterLetterFacts;
}

/** What Stages 2 and 3 record that their letters use. */
export interface LaterLetterFacts {
  readonly stage2RequestedOn?: IsoDate | null;
  readonly statementAgreedOn?: IsoDate | null;
  /** The Stage 2 response clock: its due date and the working days it was extended by. */
  readonly stage2?: { readonly dueOn: IsoDate; readonly extraWorkingDays: number; readonly extensionReason?: string | undefined } | undefined;
  readonly investigatingOfficer?: string | null;
  readonly independentPerson?: string | null;
  /** The Stage 2 response: the adjudication (Children Act), or the final response (corporate). */
  readonly adjudicatedOn?: IsoDate | null;
  readonly stage2FindingLabel?: string | null;
  /** The Stage 2 finding's code, for the child version's sentence. */
  readonly stage2FindingCode?: string | null;
  /** "1. The point: Upheld", one a point. */
  readonly pointFindings?: readonly string[];
  /** The recommendations the adjudication accepted. */
  readonly stage2Recommendations?: readonly string[];
  readonly stage3RequestedOn?: IsoDate | null;
  readonly panelDueOn?: IsoDate | null;
  /** Names, the chair marked. */
  readonly panelMembers?: readonly string[];
  readonly panelMetOn?: IsoDate | null;
  readonly councilRespondedOn?: IsoDate | null;
  /** The panel's recommendations with the council's decision on each (once it has responded). */
  readonly panelDecisions?: readonly DecidedRecommendation[];
}

function workingDays(n: number): string {
  return n === 1 ? '1 working day' : `${String(n)} working days`;
}

/** How to take a complaint to the Local Government and Social Care Ombudsman. */
export function ombudsmanRouteText(reference: string): string {
  return `If you are not satisfied with this response, you can ask the Local Government and Social Care Ombudsman to look at your complaint. The Ombudsman is free and independent: see www.lgo.org.uk or telephone 0300 061 0614. Please quote your reference ${reference}.`;
}

/** How to ask for a review panel (Stage 3), by when. */
export function stage3RouteText(requestBy: IsoDate, reference: string, councilName: string): string {
  return (
    'If you are not satisfied with this response, you can ask for your complaint to be considered by a review panel (Stage 3 of the complaints procedure): three people who are independent of the council. ' +
    `Please tell the Complaints Team at ${councilName} within ${workingDays(requestWindowWorkingDays(3))} of this letter, that is by ${formatLongDate(requestBy)}, quoting your reference ${reference}. ` +
    'If you ask after that date, tell us why: we will still consider your request.'
  );
}

/**
 * What Stage 2 is, by the kind's procedure: under the Children Act, an independent
 * investigation; under the corporate procedure, a second and last look by the council, after
 * which the Ombudsman is the next step (there is no review panel).
 */
function stage2Is(kind: string): string {
  if (kind === 'children_statutory') {
    return 'you can ask for your complaint to be considered at Stage 2 of the complaints procedure. It will then be looked into by an investigating officer who does not work for the service, overseen by an Independent Person.';
  }
  if (kind === 'corporate') {
    return 'you can ask us to look at your complaint again, at Stage 2 of our complaints procedure. This is the last stage. After it, you can ask the Local Government and Social Care Ombudsman to look at your complaint.';
  }
  return 'you can ask for your complaint to be considered at Stage 2 of the complaints procedure.';
}

/** How to take the complaint further, by the kind's procedure. Always has the date and the reference. */
export function stage2RouteText(kind: string, requestBy: IsoDate, reference: string, councilName: string): string {
  const by = formatLongDate(requestBy);
  if (kind === 'adult_statutory') return ombudsmanRouteText(reference);
  return (
    `If you are not satisfied with this response, ${stage2Is(kind)} ` +
    `Please tell the Complaints Team at ${councilName} within ${workingDays(requestWindowWorkingDays(2))} of this response, that is by ${by}, quoting your reference ${reference}. ` +
    'You can ask by letter, email, telephone or in person, and you can ask for an advocate to help you. If you ask after that date, tell us why: we will still consider your request.'
  );
}

/** The accepted Stage 2 recommendations, numbered, or a sentence saying there are none. */
function acceptedRecommendationsText(texts: readonly string[]): string {
  if (texts.length === 0) return 'There are no recommendations for the council to act on.';
  return ['The council accepts these recommendations and will act on them:', ...texts.map((text, i) => `${String(i + 1)}. ${text}`)].join('\n');
}

/** Each of the panel's recommendations, numbered, with the council's decision and its reasons. */
function councilDecisionsText(decided: readonly DecidedRecommendation[]): string {
  return decided.map((r) => `${String(r.number)}. ${r.text}\nThe council’s decision: ${r.decision === undefined ? '[not recorded]' : decisionText(r.decision)}`).join('\n');
}

// ---- the child versions: short sentences in everyday words (see `readability.ts`) ----

/** A finding as a child reads it: one short sentence. */
const CHILD_FINDINGS: Readonly<Record<string, string>> = {
  upheld: 'We agree with your complaint.',
  partially_upheld: 'We agree with some of your complaint.',
  not_upheld: 'We do not agree with your complaint.',
  service_provided: 'We have now given you the help you asked for.',
  resolution_meeting_offered: 'We would like to meet you to sort it out.',
};

/** The Ombudsman, for a child or young person. */
export function childOmbudsmanRouteText(reference: string): string {
  return (
    'If you are still not happy, you can ask the Ombudsman to look at your complaint. The Ombudsman is free. They do not work for the council. ' +
    `You can go to www.lgo.org.uk or phone 0300 061 0614. Give them your complaint number: ${reference}.`
  );
}

/** A review panel (Stage 3), for a child or young person. */
export function childStage3RouteText(requestBy: IsoDate, reference: string, councilName: string): string {
  return (
    'If you are not happy with this answer, you can ask for a review panel. This is Stage 3. A panel is three people. They do not work for the council. ' +
    `Tell the Complaints Team at ${councilName} by ${formatLongDate(requestBy)}. Give us your complaint number: ${reference}. ` +
    'If it is later than that, still tell us. We will still listen.'
  );
}

/** How to ask for Stage 2, for a child or young person. */
export function childStage2RouteText(kind: string, requestBy: IsoDate, reference: string, councilName: string): string {
  if (kind === 'adult_statutory') return childOmbudsmanRouteText(reference);
  const what =
    kind === 'corporate'
      ? 'you can ask us to look at it again. This is Stage 2. It is the last stage. After that, you can ask the Ombudsman to look at it.'
      : 'you can ask for Stage 2. At Stage 2, a new person looks at your complaint. They do not work in the team. Another person checks that it is fair.';
  return (
    `If you are not happy with this answer, ${what} ` +
    `Tell the Complaints Team at ${councilName} by ${formatLongDate(requestBy)}. You can phone us, write to us, email us or come to see us. Give us your complaint number: ${reference}. ` +
    'If it is later than that, still tell us. We will still listen.'
  );
}

/** Names the advocate (who has a copy of the letter), or says what an advocate is. */
export function advocateHelpText(advocateName: string | undefined): string {
  return advocateName === undefined
    ? 'An advocate is a person who is on your side. They can help you say what you think. Tell us if you would like one. It is free.'
    : `Your advocate, ${advocateName}, has a copy of this letter. You can ask them to help you.`;
}

function childRecommendationsText(texts: readonly string[]): string {
  if (texts.length === 0) return 'There is nothing more we need to do.';
  return ['We will do these things:', ...texts.map((text, i) => `${String(i + 1)}. ${text}`)].join('\n');
}

function childDecisionsText(decided: readonly DecidedRecommendation[]): string {
  return decided.map((r) => `${String(r.number)}. ${r.text}\nWhat we decided: ${r.decision === undefined ? '[not recorded]' : decisionText(r.decision)}`).join('\n');
}

/** The values a child's letter writes its own way; the rest are the same as the standard letter's. */
function childValues(facts: LetterCaseFacts, calendar: WorkingDayCalendar): Partial<Record<LetterField, string | undefined>> {
  const later = facts.later ?? {};
  const requestBy = requestWindowEndsOn(calendar, 2, facts.respondedOn ?? facts.today);
  const stage3By = requestWindowEndsOn(calendar, 3, later.adjudicatedOn ?? facts.today);
  const findingOf = (code: string | null | undefined, label: string | null | undefined): string | undefined =>
    (code === null || code === undefined ? undefined : CHILD_FINDINGS[code]) ?? present(label);
  return {
    finding: findingOf(facts.findingCode, facts.findingLabel),
    stage2_finding: findingOf(later.stage2FindingCode, later.stage2FindingLabel),
    stage2_route: childStage2RouteText(facts.kind, requestBy, facts.reference, facts.councilName),
    stage3_route: childStage3RouteText(stage3By, facts.reference, facts.councilName),
    ombudsman_route: childOmbudsmanRouteText(facts.reference),
    stage2_recommendations: present(later.adjudicatedOn) === undefined ? undefined : childRecommendationsText(later.stage2Recommendations ?? []),
    council_decisions: later.panelDecisions === undefined || later.panelDecisions.length === 0 ? undefined : childDecisionsText(later.panelDecisions),
  };
}

const present = (value: string | null | undefined): string | undefined => (value === null || value === undefined || value.trim() === '' ? undefined : value);
const date = (value: IsoDate | null | undefined): string | undefined => (present(value) === undefined ? undefined : formatLongDate(value as IsoDate));

type LaterField = Extract<
  LetterField,
  | 'stage2_request_date'
  | 'statement_agreed_date'
  | 'stage2_due_date'
  | 'stage2_response_date'
  | 'stage2_extension_days'
  | 'stage2_extension_reason'
  | 'stage2_new_due_date'
  | 'investigating_officer_name'
  | 'independent_person_name'
  | 'adjudication_date'
  | 'stage2_finding'
  | 'stage2_findings'
  | 'stage2_recommendations'
  | 'stage3_request_by'
  | 'stage3_route'
  | 'stage3_request_date'
  | 'panel_due_date'
  | 'panel_members'
  | 'panel_meeting_date'
  | 'council_response_date'
  | 'council_decisions'
  | 'ombudsman_route'
>;

function laterValues(facts: LetterCaseFacts, calendar: WorkingDayCalendar): Record<LaterField, string | undefined> {
  const later = facts.later ?? {};
  const extraDays = later.stage2?.extraWorkingDays ?? 0;
  const stage3By = requestWindowEndsOn(calendar, 3, later.adjudicatedOn ?? facts.today);
  const lines = (items: readonly string[] | undefined): string | undefined => (items === undefined || items.length === 0 ? undefined : items.join('\n'));
  return {
    stage2_request_date: date(later.stage2RequestedOn),
    statement_agreed_date: date(later.statementAgreedOn),
    stage2_due_date: date(later.stage2?.dueOn),
    stage2_response_date: date(later.adjudicatedOn),
    stage2_extension_days: extraDays > 0 ? workingDays(extraDays) : undefined,
    stage2_extension_reason: present(later.stage2?.extensionReason),
    stage2_new_due_date: extraDays > 0 ? date(later.stage2?.dueOn) : undefined,
    investigating_officer_name: present(later.investigatingOfficer),
    independent_person_name: present(later.independentPerson),
    adjudication_date: date(later.adjudicatedOn),
    stage2_finding: present(later.stage2FindingLabel),
    stage2_findings: lines(later.pointFindings),
    stage2_recommendations: present(later.adjudicatedOn) === undefined ? undefined : acceptedRecommendationsText(later.stage2Recommendations ?? []),
    stage3_request_by: formatLongDate(stage3By),
    stage3_route: stage3RouteText(stage3By, facts.reference, facts.councilName),
    stage3_request_date: date(later.stage3RequestedOn),
    panel_due_date: date(later.panelDueOn),
    panel_members: lines(later.panelMembers),
    panel_meeting_date: date(later.panelMetOn),
    council_response_date: date(later.councilRespondedOn),
    council_decisions: later.panelDecisions === undefined || later.panelDecisions.length === 0 ? undefined : councilDecisionsText(later.panelDecisions),
    ombudsman_route: ombudsmanRouteText(facts.reference),
  };
}

/**
 * The case's values for its letters. `audience` (by default, the complainant's: see
 * `letter-audience.ts`) decides how Redress's own paragraphs and the findings are written.
 */
export function letterValues(facts: LetterCaseFacts, calendar: WorkingDayCalendar, audience: LetterAudience = letterAudienceFor(facts.complainantRole)): LetterValues {
  const extraDays = facts.stage1?.extraWorkingDays ?? 0;
  const requestBy = requestWindowEndsOn(calendar, 2, facts.respondedOn ?? facts.today);
  const warningOn = facts.closureWarningSentOn ?? facts.today;
  // The council's own letter starts the time to reply: day 0 is its date, by the counting rule.
  const replyBy = (sentOn: IsoDate): IsoDate => deadline(calendar, sentOn, REPLY_WORKING_DAYS, DEFAULT_RECEIPT_RULE);
  const values: Record<LetterField, string | undefined> = {
    case_reference: facts.reference,
    today: formatLongDate(facts.today),
    council_name: present(facts.councilName),
    complainant_name: present(facts.complainantName),
    complainant_address: present(facts.complainantAddress),
    young_person_id: present(facts.youngPersonId),
    team_name: present(facts.teamName),
    received_date: date(facts.receivedOn),
    acknowledgement_date: date(facts.acknowledgedOn),
    due_date: date(facts.stage1?.dueOn),
    extension_days: extraDays > 0 ? workingDays(extraDays) : undefined,
    extension_reason: present(facts.stage1?.extensionReason),
    new_due_date: extraDays > 0 ? date(facts.stage1?.dueOn) : undefined,
    response_date: date(facts.respondedOn),
    finding: present(facts.findingLabel),
    remedies: facts.remedyLabels !== undefined && facts.remedyLabels.length > 0 ? facts.remedyLabels.join('\n') : undefined,
    responding_manager_name: present(facts.responderName),
    information_requested: present(facts.informationRequested),
    information_requested_date: date(facts.informationRequestedOn),
    reply_by_date: formatLongDate(replyBy(facts.informationRequestedOn ?? facts.today)),
    closure_warning_date: formatLongDate(warningOn),
    closure_date: formatLongDate(replyBy(warningOn)),
    withdrawn_date: date(facts.withdrawnOn),
    stage2_request_by: formatLongDate(requestBy),
    stage2_route: stage2RouteText(facts.kind, requestBy, facts.reference, facts.councilName),
    advocate_name: present(facts.advocateName),
    advocate_help: advocateHelpText(present(facts.advocateName)),
    ...laterValues(facts, calendar),
    ...(audience === 'child' ? childValues(facts, calendar) : {}),
  };
  const recorded: LetterValues = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  return recorded;
}
