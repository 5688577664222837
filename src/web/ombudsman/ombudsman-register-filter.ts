/**
 * The Ombudsman register's "enquiries behind a figure" filter in its query string: a link from
 * the annual report's Ombudsman tables (src/web/reports/annual-report-links.ts) names what the
 * figure counted, and the register (`GET /ombudsman?…`) lists exactly those enquiries.
 * Parameters: `received_from`, `received_to` (YYYY-MM-DD); `as_at` (YYYY-MM-DD) with any of
 * `decision` (a decision's code, or `none`: not decided by then), `found` (fault, injustice,
 * apology, payment, service_improvements) and `compliance` (due, in_time, late, outstanding).
 * Anything not understood is ignored, as the case list's figure filters are.
 */
import { ENQUIRY_COMPLIANCE, ENQUIRY_FINDINGS, type EnquiryCompliance, type EnquiryFilter, type EnquiryFinding, type RegisterKey } from '../../db/ombudsman-repository.ts';
import { filterDate, queryDate, queryValue } from '../forms.ts';
import { OMBUDSMAN_DECISIONS, OMBUDSMAN_DECISION_LABELS } from '../../domain/taxonomies/ombudsman-decisions.ts';

const FOUND_WORDS: Readonly<Record<EnquiryFinding, string>> = {
  fault: 'fault found',
  injustice: 'injustice found',
  apology: 'apology asked for',
  payment: 'payment asked for',
  service_improvements: 'service improvements asked for',
};

const COMPLIANCE_WORDS: Readonly<Record<EnquiryCompliance, string>> = {
  due: 'with a date to comply by',
  in_time: 'remedy complied with in time',
  late: 'remedy complied with late',
  outstanding: 'remedy not complied with by its due date',
  not_yet_due: 'remedy not yet due',
};

/** The filter in a query string, or undefined when it has none. */
export function enquiryFilterFrom(query: unknown): EnquiryFilter | undefined {
  const raw = (query ?? {}) as Record<string, unknown>;
  const date = (name: string) => queryDate(raw, name);
  const asAt = date('as_at');
  const decisionRaw = queryValue(raw.decision);
  const decision = decisionRaw === 'none' ? 'none' : OMBUDSMAN_DECISIONS.find((d) => d === decisionRaw);
  const found = ENQUIRY_FINDINGS.find((f) => f === queryValue(raw.found));
  const compliance = ENQUIRY_COMPLIANCE.find((c) => c === queryValue(raw.compliance));
  const filter: EnquiryFilter = {
    receivedFrom: date('received_from'),
    receivedTo: date('received_to'),
    // What stood on a date needs the date: without it, those parts are not understood.
    asAt: asAt !== undefined && (decision !== undefined || found !== undefined || compliance !== undefined) ? asAt : undefined,
    decision: asAt === undefined ? undefined : decision,
    found: asAt === undefined ? undefined : found,
    compliance: asAt === undefined ? undefined : compliance,
  };
  return Object.values(filter).some((v) => v !== undefined) ? filter : undefined;
}

/** The query string parameters of a filter (the inverse of `enquiryFilterFrom`). */
export function enquiryFilterQuery(filter: EnquiryFilter | undefined): Record<string, string> {
  if (filter === undefined) return {};
  const query: Record<string, string> = {};
  if (filter.receivedFrom !== undefined) query.received_from = filter.receivedFrom;
  if (filter.receivedTo !== undefined) query.received_to = filter.receivedTo;
  if (filter.asAt !== undefined) query.as_at = filter.asAt;
  if (filter.decision !== undefined) query.decision = filter.decision;
  if (filter.found !== undefined) query.found = filter.found;
  if (filter.compliance !== undefined) query.compliance = filter.compliance;
  return query;
}

/** The filter in words: "received from 1 April 2019 to 30 June 2020; not decided by 30 June 2020". */
export function enquiryFilterText(filter: EnquiryFilter): string {
  const parts: string[] = [];
  if (filter.receivedFrom !== undefined || filter.receivedTo !== undefined) {
    parts.push(`received ${filter.receivedFrom === undefined ? 'up' : `from ${filterDate(filter.receivedFrom)}`} to ${filter.receivedTo === undefined ? 'now' : filterDate(filter.receivedTo)}`);
  }
  if (filter.asAt !== undefined) {
    const on = filterDate(filter.asAt);
    if (filter.decision === 'none') parts.push(`not decided by ${on}`);
    else if (filter.decision !== undefined) parts.push(`decided by ${on}: ${OMBUDSMAN_DECISION_LABELS[filter.decision]}`);
    if (filter.found !== undefined) parts.push(`decided by ${on}, ${FOUND_WORDS[filter.found]}`);
    if (filter.compliance !== undefined) parts.push(`decided by ${on}, ${COMPLIANCE_WORDS[filter.compliance]}${filter.compliance === 'due' ? '' : ` as at ${on}`}`);
  }
  return parts.join('; ');
}

const REGISTER_KEY_PATTERN = /^(\d{4}-\d{2}-\d{2})\.(\d{1,15})$/;

/** A place in the register's order as a link carries it (`after` or `before`): `received.id`; anything else is ignored (the first page). */
export function registerKeyFrom(text: string | undefined): RegisterKey | undefined {
  const match = text === undefined ? null : REGISTER_KEY_PATTERN.exec(text);
  if (match === null) return undefined;
  const [, receivedOn = '', id = ''] = match;
  return { receivedOn, id: Number(id) };
}

export const registerKeyText = (key: RegisterKey): string => `${key.receivedOn}.${String(key.id)}`;
