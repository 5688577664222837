/**
 * A timeline people can read: each field a history entry recorded (its `before` and `after`)
 * as a label, and each value in words — codes by their code list's label, people by name,
 * dates as "4 December 2026", flags as Yes or No, lists joined with commas, money in pounds.
 * A field this does not know gets its name in words and a plain value, never JSON; database
 * ids with nothing to name them by are left out.
 *
 * Pure: the names of the people and teams an entry mentions are looked up by the caller
 * (`historyIdsOf` says which) and handed in, once for a whole timeline.
 */
import { tryParseIsoDate } from '../calendar/iso-date.ts';
import { formatPence } from '../money.ts';
import { mediaTypeLabel } from '../attachments/file-kinds.ts';
import { LETTER_DEFINITIONS, isLetterKey } from '../letters/letter-definitions.ts';
import { OMBUDSMAN_DECISION_LABELS } from '../taxonomies/ombudsman-decisions.ts';
import { CHANNEL_LABELS } from '../taxonomies/channels.ts';
import { COMPLAINANT_ROLE_LABELS } from '../taxonomies/complainant-roles.ts';
import { COMPLIMENT_SOURCE_LABELS } from '../taxonomies/compliment-sources.ts';
import { DELAY_REASON_LABELS } from '../taxonomies/delay-reasons.ts';
import { EXTENSION_REASON_LABELS } from '../taxonomies/extension-reasons.ts';
import { FINDING_LABELS } from '../taxonomies/findings.ts';
import { DEFAULT_ISSUES, issueLabel, type IssueDefinition } from '../taxonomies/issues.ts';
import { REMEDY_LABELS } from '../taxonomies/remedies.ts';
import { REPRESENTATION_KIND_LABELS } from '../taxonomies/representation-kinds.ts';
import { PROCEDURE_KINDS, procedureDefinition } from '../procedures/procedure-definitions.ts';
import { ADVOCACY_OUTCOME_LABELS } from './advocacy.ts';
import { CASE_STATUS_LABELS } from './case-status.ts';
import { ELIGIBILITY_DECISION_LABELS, ELIGIBILITY_RULES, isEligibilityDecision } from './eligibility.ts';
import { LATER_STATE_LABELS, STAGE2_ROUTE_LABELS } from './later-stage-workflow.ts';
import { formatLongDate } from './stage1-fields.ts';

/** One recorded field, for people to read. */
export interface HistoryChangeWords {
  /** The field as recorded (a stable key for API clients, never shown on a page). */
  readonly field: string;
  /** "Finding", "Responding manager", "Stage 1 response due". */
  readonly label: string;
  readonly before: string | undefined;
  readonly after: string | undefined;
}

/** What naming the values needs beyond the entry itself. */
export interface HistoryNames {
  /** The names of the users the timeline mentions, by id. */
  readonly users: ReadonlyMap<number, string>;
  /** The names of the teams it mentions, by id. */
  readonly teams?: ReadonlyMap<number, string>;
  /** The council's issues (the default list when not given). */
  readonly issues?: readonly IssueDefinition[];
}

type Labels = Readonly<Record<string, string>>;

/** Every clock's label by its key, from the procedures (a key has the same label in each). */
const CLOCK_LABELS: Labels = Object.fromEntries(
  PROCEDURE_KINDS.flatMap((kind) => procedureDefinition(kind).clocks.map((clock) => [clock.key, clock.label] as const)).reverse(),
);

const ELIGIBILITY_OUTCOME_LABELS: Labels = Object.fromEntries(Object.values(ELIGIBILITY_RULES).flatMap((rule) => rule.outcomes.map((o) => [o.code, o.label] as const)).reverse());

const LATE_OUTCOME_LABELS: Labels = { accepted: 'Accepted', refused: 'Refused' };

const LETTER_FORMAT_LABELS: Labels = { html: 'Web page (to print)', docx: 'Word document' };

/** The code list each coded field's values come from (also the labels a form's choices show). */
export const CODE_FIELDS: Readonly<Record<string, Labels>> = {
  status: CASE_STATUS_LABELS,
  status_before_closure: CASE_STATUS_LABELS,
  kind: REPRESENTATION_KIND_LABELS,
  to_kind: REPRESENTATION_KIND_LABELS,
  channel: CHANNEL_LABELS,
  complainant_role: COMPLAINANT_ROLE_LABELS,
  compliment_source: COMPLIMENT_SOURCE_LABELS,
  finding: FINDING_LABELS,
  remedies: REMEDY_LABELS,
  delay_reasons: DELAY_REASON_LABELS,
  panel_delay_reasons: DELAY_REASON_LABELS,
  extension_reason: EXTENSION_REASON_LABELS,
  advocacy_outcome: ADVOCACY_OUTCOME_LABELS,
  stage2_route: STAGE2_ROUTE_LABELS,
  late_outcome: LATE_OUTCOME_LABELS,
  state: LATER_STATE_LABELS,
  clock: CLOCK_LABELS,
  format: LETTER_FORMAT_LABELS,
  // An eligibility decision, or the Ombudsman's (their codes differ).
  decision: { ...OMBUDSMAN_DECISION_LABELS, ...ELIGIBILITY_DECISION_LABELS },
  outcome: ELIGIBILITY_OUTCOME_LABELS,
};

/** Fields holding a user's id. */
const USER_FIELDS = new Set(['responder_user_id', 'owner_user_id', 'adjudicated_by', 'created_by', 'user_id']);

/** Fields holding a team's id. */
const TEAM_FIELDS = new Set(['team_id']);

/** Database ids with nothing to name them by: left out (the entry's summary says what they were). */
const HIDDEN_FIELDS = new Set(['lesson_id', 'action_id', 'id', 'note']);

/** Flags stored as 0 or 1 (and true or false). */
const FLAG_FIELD = /^(has_|is_|via_)|^(consent_to_quote|parental_responsibility|made_for_child|proceedings|remedy_apology|independent_person_reappointed)$/;

/** The label of every field the services record. */
export const HISTORY_FIELD_LABELS: Labels = {
  status: 'Status',
  status_before_closure: 'Status before it was closed',
  kind: 'Kind of representation',
  to_kind: 'New kind of representation',
  reference: 'Reference',
  received_on: 'Received',
  event_on: 'Date of the events complained about',
  channel: 'How it was received',
  complainant_role: 'Who made it',
  team_id: 'Team',
  summary: 'Summary',
  issues: 'Issues',
  via_complaints_team: 'Came to the complaints team directly',
  agency: 'Forwarded to',
  forwarded_on: 'Forwarded',
  compliment_source: 'Who paid the compliment',
  consent_to_quote: 'May be quoted',
  has_consent_to_quote: 'May be quoted',
  informal_reason: 'Why it is not being taken as a complaint',
  parental_responsibility: 'Complainant has parental responsibility',
  has_parental_responsibility: 'Complainant has parental responsibility',
  made_for_child: 'Made for the young person',
  is_made_for_child: 'Made for the young person',
  proceedings: 'Court or other proceedings',
  has_proceedings: 'Court or other proceedings',
  responder_user_id: 'Responding manager',
  acknowledged_on: 'Acknowledged',
  extra_working_days: 'Working days added',
  extension_reason: 'Reason for the extension',
  extension_reason_text: 'Reason for the extension, in words',
  reason: 'Reason',
  complainant_told_on: 'Complainant told',
  paused_on: 'On hold from',
  resumed_on: 'Hold ended',
  responded_on: 'Response date',
  finding: 'Finding',
  remedies: 'Remedies',
  delay_reasons: 'Reasons for the delay',
  panel_delay_reasons: 'Reasons for the delay',
  reply: 'Reply',
  requested_on: 'Asked for',
  details: 'Information asked for',
  information_received_on: 'Information received',
  sent_on: 'Closure letter sent',
  withdrawn_on: 'Withdrawn',
  closed_on: 'Closed',
  reclassified_on: 'Changed on',
  decision: 'Decision',
  outcome: 'Outcome',
  decided_on: 'Decided',
  child_views: 'Young person’s views',
  notified_on: 'Complainant told of the decision',
  parts_declined: 'Parts not considered',
  offered_on: 'Advocate offered',
  advocacy_outcome: 'Offer of an advocate',
  provider: 'Advocacy provider',
  stage: 'Stage',
  stage2_route: 'Route into Stage 2',
  agreed_on: 'Agreed with the complainant',
  stage1_ended: 'Stage 1 ended',
  is_late: 'Asked for late',
  late_outcome: 'Late request',
  statement_agreed_on: 'Statement of complaint agreed',
  points: 'Points of complaint',
  appointed_on: 'Appointed',
  is_external: 'From outside the council',
  has_account: 'Has a Redress account',
  declared_on: 'Independence declared',
  report_received_on: 'Investigation report received',
  report_media_type: 'Investigation report',
  cost_investigator_pence: 'Cost of the investigating officer',
  cost_independent_person_pence: 'Cost of the Independent Person',
  cost_other_pence: 'Other costs',
  recommendations: 'Recommendations',
  council_decisions: 'The council’s decisions',
  independent_person_reappointed: 'Independent Person appointed again',
  members: 'Panel members',
  panel_met_on: 'Panel met',
  recommendations_received_on: 'Recommendations received',
  independent_person_consulted_on: 'Independent Person consulted',
  adjudicated_by: 'Adjudicated by',
  state: 'Stage state',
  clock: 'Time limit',
  dueOn: 'Due',
  due_on: 'Due',
  letter: 'Letter',
  format: 'Format',
  lgsco_reference: 'Ombudsman’s reference',
  answered_on: 'Answered',
  is_fault: 'Fault found',
  is_injustice: 'Injustice found',
  remedy_apology: 'Apology',
  remedy_amount_pence: 'Payment',
  remedy_service_improvements: 'Service improvements',
  compliance_due_on: 'Remedy due',
  compliance_done_on: 'Remedy carried out',
  identified_on: 'Identified',
  owner_user_id: 'Owner',
  complaints: 'Complaints',
  complaint: 'Complaint',
  source: 'Source',
  done_on: 'Done',
  cancelled_reason: 'Why it was cancelled',
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "stage2_response_due_on" → "Stage 2 response due". */
function dueLabel(field: string): string | undefined {
  const match = /^(.+)_due_on$/.exec(field);
  const key = match?.[1];
  if (key === undefined) return undefined;
  const clock = CLOCK_LABELS[key];
  return clock === undefined ? undefined : `${clock} due`;
}

/** A field's label: known, a clock's due date, or its name in words ("panel_size" → "Panel size"). */
export function historyFieldLabel(field: string): string {
  if (Object.hasOwn(HISTORY_FIELD_LABELS, field)) return HISTORY_FIELD_LABELS[field] ?? field;
  const due = dueLabel(field);
  if (due !== undefined) return due;
  const words = field
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_pence$/, '')
    .replace(/_(user_)?id$/, '')
    .replace(/_on$/, '')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return capitalise(words === '' ? field : words);
}

/** Fields whose values are lists of sentences. */
const SENTENCE_LISTS: ReadonlySet<string> = new Set(['recommendations', 'council_decisions']);

/** A value that is a date ("2026-12-04") as "4 December 2026"; other text as it is. */
function dateOrText(text: string): string {
  return tryParseIsoDate(text) !== undefined ? formatLongDate(text) : text;
}

/** Every ISO date in a sentence as "4 December 2026" (summaries written before they were worded so). */
export function readableSummary(summary: string): string {
  return summary.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (date) => dateOrText(date));
}

function idOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

/** A code by its list's label; a code the list does not know, in words ("no_reply" → "No reply"). */
function codeLabel(labels: Labels, code: string): string {
  if (Object.hasOwn(labels, code)) return labels[code] ?? code;
  return /^[a-z0-9]+(_[a-z0-9]+)+$/.test(code) ? capitalise(code.replaceAll('_', ' ')) : code;
}

/** One value of `field` in words; undefined for nothing (null, an empty list). */
export function historyValue(field: string, value: unknown, names: HistoryNames, siblings: Readonly<Record<string, unknown>> = {}): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    const items = (value as unknown[]).map((item) => historyValue(field, item, names, siblings)).filter((item): item is string => item !== undefined && item !== '');
    // Sentences (recommendations, decisions) are listed with semicolons: they may hold commas themselves.
    return items.length === 0 ? undefined : items.join(SENTENCE_LISTS.has(field) ? '; ' : ', ');
  }
  if (USER_FIELDS.has(field)) {
    const id = idOf(value);
    return id === undefined ? undefined : (names.users.get(id) ?? 'A user no longer on record');
  }
  if (TEAM_FIELDS.has(field)) {
    const id = idOf(value);
    return id === undefined ? undefined : (names.teams?.get(id) ?? 'A team no longer on record');
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (FLAG_FIELD.test(field) && (value === 0 || value === 1)) return value === 1 ? 'Yes' : 'No';
  if (typeof value === 'number') {
    if (field.endsWith('_pence')) return formatPence(value);
    return String(value);
  }
  if (typeof value === 'string') {
    if (field === 'issues') return issueLabel(value, names.issues ?? DEFAULT_ISSUES);
    if (field === 'outcome') {
      const decision = siblings.decision;
      const rule = isEligibilityDecision(decision) ? ELIGIBILITY_RULES[decision] : undefined;
      const label = rule?.outcomes.find((o) => o.code === value)?.label;
      if (label !== undefined) return label;
    }
    if (field === 'letter' && isLetterKey(value)) return LETTER_DEFINITIONS[value].title;
    if (field === 'report_media_type') return mediaTypeLabel(value);
    if (field.endsWith('_delay_reasons') || field === 'delay_reasons') {
      // A list kept as one comma-separated column.
      return value
        .split(',')
        .filter((code) => code !== '')
        .map((code) => codeLabel(DELAY_REASON_LABELS, code))
        .join(', ');
    }
    const labels = CODE_FIELDS[field];
    if (labels !== undefined) return codeLabel(labels, value);
    return dateOrText(value);
  }
  if (typeof value === 'object') {
    // Nothing records one today; should one appear, it reads as "Label: value" pairs, never JSON.
    const parts = Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => {
      if (HIDDEN_FIELDS.has(key)) return [];
      const words = historyValue(key, inner, names, value as Record<string, unknown>);
      return words === undefined ? [] : [`${historyFieldLabel(key)}: ${words}`];
    });
    return parts.length === 0 ? undefined : parts.join('; ');
  }
  return undefined;
}

/** The ids of the users and teams an entry's before and after mention, to look up their names once for a timeline. */
export function historyIdsOf(records: readonly (Readonly<Record<string, unknown>> | undefined)[]): { userIds: number[]; teamIds: number[] } {
  const userIds = new Set<number>();
  const teamIds = new Set<number>();
  for (const record of records) {
    for (const [field, value] of Object.entries(record ?? {})) {
      const target = USER_FIELDS.has(field) ? userIds : TEAM_FIELDS.has(field) ? teamIds : undefined;
      if (target === undefined) continue;
      for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
        const id = idOf(item);
        if (id !== undefined) target.add(id);
      }
    }
  }
  return { userIds: [...userIds], teamIds: [...teamIds] };
}

/** An entry's before and after as labelled fields in words, in the order recorded; fields with nothing to show are left out. */
export function presentHistoryChanges(
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>> | undefined,
  names: HistoryNames,
): HistoryChangeWords[] {
  const b = before ?? {};
  const a = after ?? {};
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((field) => !HIDDEN_FIELDS.has(field));
  return fields.flatMap((field) => {
    const was = historyValue(field, b[field], names, b);
    const now = historyValue(field, a[field], names, a);
    if (was === undefined && now === undefined) return [];
    // A value the same before and after (the clock a re-dating moved) is said once.
    return [{ field, label: historyFieldLabel(field), before: was === now ? undefined : was, after: now }];
  });
}
