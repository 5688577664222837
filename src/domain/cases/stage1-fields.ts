/**
 * What may be recorded by a Stage 1 action, field by field: its type, the code list it is
 * checked against, the date rules it keeps, and the words of its error messages (GOV.UK
 * style: "Enter the date of the response", "The date of the response must be a real date").
 *
 * Field names are snake_case, the same as the form fields and API properties, so that a
 * DomainError's `field` points straight at the input to highlight. Values arrive as a form
 * or an API body gives them (strings, arrays of strings, numbers, booleans); an empty string
 * or an empty list is "not given".
 */
import { type IsoDate, tryParseIsoDate, isoDateParts } from '../calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import { DomainError } from '../errors.ts';
import { CHANNELS, type Channel } from '../taxonomies/channels.ts';
import { COMPLAINANT_ROLES, type ComplainantRole } from '../taxonomies/complainant-roles.ts';
import { COMPLIMENT_SOURCES, type ComplimentSource } from '../taxonomies/compliment-sources.ts';
import { DELAY_REASONS, type DelayReason } from '../taxonomies/delay-reasons.ts';
import { EXTENSION_REASONS, type ExtensionReason } from '../taxonomies/extension-reasons.ts';
import { FINDINGS, type Finding } from '../taxonomies/findings.ts';
import { type IssueCode, type IssueDefinition, isCurrentIssue } from '../taxonomies/issues.ts';
import { REMEDIES, type Remedy } from '../taxonomies/remedies.ts';
import { REPRESENTATION_KINDS, type RepresentationKind } from '../taxonomies/representation-kinds.ts';
import { ADVOCACY_OUTCOMES, type AdvocacyOutcome } from './advocacy.ts';
import { ELIGIBILITY_DECISIONS, ELIGIBILITY_OUTCOMES, type EligibilityDecision, type EligibilityOutcome } from './eligibility.ts';

/** Everything a Stage 1 action may record, checked and typed. */
export interface Stage1Record {
  kind?: RepresentationKind;
  received_on?: IsoDate;
  event_on?: IsoDate;
  channel?: Channel;
  complainant_role?: ComplainantRole;
  team_id?: number;
  summary?: string;
  issues?: IssueCode[];
  via_complaints_team?: boolean;
  agency?: string;
  forwarded_on?: IsoDate;
  compliment_source?: ComplimentSource;
  consent_to_quote?: boolean;
  informal_reason?: string;
  parental_responsibility?: boolean;
  made_for_child?: boolean;
  proceedings?: boolean;
  responder_user_id?: number;
  acknowledged_on?: IsoDate;
  extra_working_days?: number;
  extension_reason?: ExtensionReason;
  extension_reason_text?: string;
  reason?: string;
  complainant_told_on?: IsoDate;
  paused_on?: IsoDate;
  resumed_on?: IsoDate;
  responded_on?: IsoDate;
  finding?: Finding;
  remedies?: Remedy[];
  delay_reasons?: DelayReason[];
  reply?: string;
  requested_on?: IsoDate;
  details?: string;
  information_received_on?: IsoDate;
  sent_on?: IsoDate;
  withdrawn_on?: IsoDate;
  closed_on?: IsoDate;
  to_kind?: RepresentationKind;
  reclassified_on?: IsoDate;
  decision?: EligibilityDecision;
  outcome?: EligibilityOutcome;
  decided_on?: IsoDate;
  child_views?: string;
  notified_on?: IsoDate;
  parts_declined?: string;
  offered_on?: IsoDate;
  advocacy_outcome?: AdvocacyOutcome;
  provider?: string;
  note?: string;
}

export type Stage1Field = keyof Stage1Record;

/**
 * How a field is checked. `label` completes "Enter …" / "Select …" and, capitalised, starts
 * "… must be a real date"; a list's `label` is one item ("Select at least one remedy").
 */
export type FieldSpec =
  | { type: 'date'; label: string; notInFuture: boolean; notBeforeReceipt?: { code: string } }
  | { type: 'code'; label: string; codes: readonly string[] }
  | { type: 'codes'; label: string; plural: string; codes: readonly string[] }
  | { type: 'issues'; label: string; plural: string }
  | { type: 'text'; label: string; maxLength: number }
  | { type: 'id'; label: string }
  | { type: 'count'; label: string; min: number }
  | { type: 'yes_no'; label: string };

const SHORT_TEXT = 200;
const TEXT = 2_000;
const LONG_TEXT = 10_000;
const PAST_DATE = { type: 'date', notInFuture: true } as const;
const SINCE_RECEIPT = { type: 'date', notInFuture: true, notBeforeReceipt: { code: 'date_before_receipt' } } as const;

export const STAGE1_FIELD_SPECS: Readonly<Record<Stage1Field, FieldSpec>> = {
  kind: { type: 'code', label: 'the kind of representation', codes: REPRESENTATION_KINDS },
  received_on: { ...PAST_DATE, label: 'the date it was received' },
  event_on: { ...PAST_DATE, label: 'the date of the events complained about' },
  channel: { type: 'code', label: 'how it was received', codes: CHANNELS },
  complainant_role: { type: 'code', label: 'who made it', codes: COMPLAINANT_ROLES },
  team_id: { type: 'id', label: 'the team concerned' },
  summary: { type: 'text', label: 'a summary', maxLength: LONG_TEXT },
  issues: { type: 'issues', label: 'issue', plural: 'issues' },
  via_complaints_team: { type: 'yes_no', label: 'whether it came to the complaints team directly' },
  agency: { type: 'text', label: 'the organisation it was forwarded to', maxLength: SHORT_TEXT },
  forwarded_on: { ...SINCE_RECEIPT, label: 'the date it was forwarded' },
  compliment_source: { type: 'code', label: 'who paid the compliment', codes: COMPLIMENT_SOURCES },
  consent_to_quote: { type: 'yes_no', label: 'whether the compliment may be quoted' },
  informal_reason: { type: 'text', label: 'why it is not being taken as a complaint', maxLength: TEXT },
  parental_responsibility: { type: 'yes_no', label: 'whether the complainant has parental responsibility for the young person' },
  made_for_child: { type: 'yes_no', label: 'whether the complaint is made for the young person' },
  proceedings: { type: 'yes_no', label: 'whether there are court or other proceedings about the young person' },
  responder_user_id: { type: 'id', label: 'the responding manager' },
  acknowledged_on: { ...SINCE_RECEIPT, label: 'the date it was acknowledged' },
  extra_working_days: { type: 'count', label: 'the number of working days to extend by', min: 1 },
  extension_reason: { type: 'code', label: 'the reason for the extension', codes: EXTENSION_REASONS },
  extension_reason_text: { type: 'text', label: 'the other reason for the extension', maxLength: TEXT },
  reason: { type: 'text', label: 'the reason', maxLength: TEXT },
  complainant_told_on: { ...SINCE_RECEIPT, label: 'the date the complainant was told' },
  paused_on: { ...SINCE_RECEIPT, label: 'the date the hold started' },
  resumed_on: { ...SINCE_RECEIPT, label: 'the date the hold ended' },
  responded_on: { ...SINCE_RECEIPT, notBeforeReceipt: { code: 'response_before_receipt' }, label: 'the date of the response' },
  finding: { type: 'code', label: 'the finding', codes: FINDINGS },
  remedies: { type: 'codes', label: 'remedy', plural: 'remedies', codes: REMEDIES },
  delay_reasons: { type: 'codes', label: 'reason for the delay', plural: 'reasons for the delay', codes: DELAY_REASONS },
  reply: { type: 'text', label: 'the reply', maxLength: LONG_TEXT },
  requested_on: { ...SINCE_RECEIPT, label: 'the date the information was asked for' },
  details: { type: 'text', label: 'what information was asked for', maxLength: TEXT },
  information_received_on: { ...SINCE_RECEIPT, label: 'the date the information was received' },
  sent_on: { ...SINCE_RECEIPT, label: 'the date the closure letter was sent' },
  withdrawn_on: { ...SINCE_RECEIPT, label: 'the date it was withdrawn' },
  closed_on: { ...SINCE_RECEIPT, label: 'the date it was closed' },
  to_kind: { type: 'code', label: 'the new kind of representation', codes: REPRESENTATION_KINDS },
  reclassified_on: { ...SINCE_RECEIPT, label: 'the date of the change' },
  decision: { type: 'code', label: 'the decision to record', codes: ELIGIBILITY_DECISIONS },
  outcome: { type: 'code', label: 'the outcome of the decision', codes: ELIGIBILITY_OUTCOMES },
  decided_on: { ...SINCE_RECEIPT, label: 'the date of the decision' },
  child_views: { type: 'text', label: "how the young person's views were taken into account", maxLength: TEXT },
  notified_on: { ...SINCE_RECEIPT, label: 'the date the complainant was told of the decision' },
  parts_declined: { type: 'text', label: 'which parts will not be considered', maxLength: TEXT },
  offered_on: { ...SINCE_RECEIPT, label: 'the date an advocate was offered' },
  advocacy_outcome: { type: 'code', label: 'whether the offer was accepted', codes: ADVOCACY_OUTCOMES },
  provider: { type: 'text', label: 'the advocacy provider', maxLength: SHORT_TEXT },
  note: { type: 'text', label: 'the note', maxLength: LONG_TEXT },
};

export function isStage1Field(value: string): value is Stage1Field {
  return Object.hasOwn(STAGE1_FIELD_SPECS, value);
}

/** What checking a field needs besides its value. */
export interface FieldEnvironment {
  today: IsoDate;
  calendar: WorkingDayCalendar;
  /** The date the case was received (for "not before receipt"); undefined while registering it without one. */
  receivedOn: IsoDate | undefined;
  issues: readonly IssueDefinition[];
}

export type FieldResult = { given: false } | { given: true; value: unknown } | { given: true; problem: DomainError };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "3 March 2026", as GOV.UK writes dates. */
export function formatLongDate(date: IsoDate): string {
  const { year, month, day } = isoDateParts(date);
  return `${String(day)} ${MONTHS[month - 1] ?? ''} ${String(year)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isBlank(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '') || (Array.isArray(raw) && raw.every(isBlank));
}

/** A list from a form (one string, or several) or an API body (an array), blanks dropped, each once. */
function listOf(raw: unknown): unknown[] {
  const items = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  return [...new Set(items.filter((item) => !isBlank(item)).map((item) => (typeof item === 'string' ? item.trim() : item)))];
}

function wholeNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : undefined;
  if (typeof raw === 'string' && /^\d{1,15}$/.test(raw.trim())) return Number(raw.trim());
  return undefined;
}

const YES = new Set(['true', 'yes']);
const NO = new Set(['false', 'no']);

/** Checks one field's value. */
export function checkField(field: Stage1Field, raw: unknown, env: FieldEnvironment, label?: string): FieldResult {
  const spec = STAGE1_FIELD_SPECS[field];
  const name = label ?? spec.label;
  const problem = (code: string, message: string): FieldResult => ({ given: true, problem: new DomainError(code, message, field) });
  const invalid = (message: string): FieldResult => problem(`invalid_${field}`, message);
  if (isBlank(raw)) return { given: false };

  switch (spec.type) {
    case 'date': {
      const text = typeof raw === 'string' ? raw.trim() : '';
      if (tryParseIsoDate(text) === undefined) return invalid(`${capitalise(name)} must be a real date`);
      if (!env.calendar.covers(text)) {
        return problem('date_outside_calendar', `${capitalise(name)} must be between ${formatLongDate(env.calendar.first)} and ${formatLongDate(env.calendar.last)}`);
      }
      if (spec.notInFuture && text > env.today) return problem('date_in_future', `${capitalise(name)} must be today or in the past`);
      if (spec.notBeforeReceipt !== undefined && env.receivedOn !== undefined && text < env.receivedOn) {
        return problem(spec.notBeforeReceipt.code, `${capitalise(name)} must be the same as or after the date it was received (${formatLongDate(env.receivedOn)})`);
      }
      return { given: true, value: text };
    }
    case 'code': {
      const code = typeof raw === 'string' ? raw.trim() : raw;
      return typeof code === 'string' && spec.codes.includes(code) ? { given: true, value: code } : invalid(`Select ${name} from the list`);
    }
    case 'codes':
    case 'issues': {
      const codes = listOf(raw);
      const known = (code: unknown): boolean => (spec.type === 'codes' ? typeof code === 'string' && spec.codes.includes(code) : isCurrentIssue(code, env.issues));
      return codes.every(known) ? { given: true, value: codes } : invalid(`Select ${spec.plural} from the list`);
    }
    case 'text': {
      if (typeof raw !== 'string') return invalid(`Enter ${name}`);
      const text = raw.trim();
      if (text.length > spec.maxLength) return problem(`${field}_too_long`, `${capitalise(name)} must be ${String(spec.maxLength)} characters or fewer`);
      return { given: true, value: text };
    }
    case 'id': {
      const id = wholeNumber(raw);
      return id !== undefined && id >= 1 ? { given: true, value: id } : invalid(`Select ${name}`);
    }
    case 'count': {
      const count = wholeNumber(raw);
      return count !== undefined && count >= spec.min ? { given: true, value: count } : invalid(`${capitalise(name)} must be a whole number, ${String(spec.min)} or more`);
    }
    case 'yes_no': {
      if (typeof raw === 'boolean') return { given: true, value: raw };
      const word = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      if (YES.has(word)) return { given: true, value: true };
      if (NO.has(word)) return { given: true, value: false };
      return invalid(`Select ${name}`);
    }
  }
}

/** The error for a field that must be recorded and was not. */
export function missingField(field: Stage1Field, label?: string): DomainError {
  const spec = STAGE1_FIELD_SPECS[field];
  const name = label ?? spec.label;
  const message = ((): string => {
    switch (spec.type) {
      case 'codes':
      case 'issues':
        return `Select at least one ${name}`;
      case 'code':
      case 'id':
      case 'yes_no':
        return `Select ${name}`;
      default:
        return `Enter ${name}`;
    }
  })();
  return new DomainError(`missing_${field}`, message, field);
}
