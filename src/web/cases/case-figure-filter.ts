/**
 * The case list's "records behind a figure" filter in its query string: a link from a
 * report's figure (src/web/reports/annual-report-links.ts) names what the figure counted, and
 * the case list (`GET /cases?queue=all&…`) lists exactly those records. Parameters:
 * `received_from`, `received_to` (YYYY-MM-DD); one of `channel`, `finding`, `role`, `source`;
 * one of `issue`, `remedy`, `delay`; `outcome` (responded, withdrawn, open) with `as_at`.
 * Anything not understood is ignored, as the list's other filters are.
 */
import type { FigureFilter } from '../../db/case-read-repository.ts';
import type { CodeList } from '../../db/schema.ts';
import { isIsoDate } from '../../domain/calendar/iso-date.ts';
import { CHANNEL_LABELS } from '../../domain/taxonomies/channels.ts';
import { FINDING_LABELS } from '../../domain/taxonomies/findings.ts';
import { COMPLAINANT_ROLE_LABELS } from '../../domain/taxonomies/complainant-roles.ts';
import { COMPLIMENT_SOURCE_LABELS } from '../../domain/taxonomies/compliment-sources.ts';
import { issueLabel } from '../../domain/taxonomies/issues.ts';
import { REMEDY_LABELS } from '../../domain/taxonomies/remedies.ts';
import { DELAY_REASON_LABELS } from '../../domain/taxonomies/delay-reasons.ts';
import { formatLongDate } from '../../domain/cases/stage1-fields.ts';

type FieldName = NonNullable<FigureFilter['field']>['name'];
type Outcome = NonNullable<FigureFilter['stage1']>['outcome'];

const FIELD_PARAMS: readonly (readonly [string, FieldName, Readonly<Record<string, string>>, string])[] = [
  ['channel', 'channel', CHANNEL_LABELS, 'how received'],
  ['finding', 'finding', FINDING_LABELS, 'finding'],
  ['role', 'complainant_role', COMPLAINANT_ROLE_LABELS, 'complainant'],
  ['source', 'compliment_source', COMPLIMENT_SOURCE_LABELS, 'compliment from'],
];
const CODE_PARAMS: readonly (readonly [string, CodeList, string])[] = [
  ['issue', 'issue', 'issue'],
  ['remedy', 'remedy', 'remedy'],
  ['delay', 'delay_reason', 'reason for delay'],
];
const OUTCOMES: readonly Outcome[] = ['responded', 'withdrawn', 'open'];
const CODE = /^[a-z0-9_]{1,60}$/;

function one(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

/** The figure filter in a query string, or undefined when it has none. */
export function figureFilterFrom(query: unknown): FigureFilter | undefined {
  const raw = (query ?? {}) as Record<string, unknown>;
  const date = (name: string) => {
    const value = one(raw[name]);
    return value !== undefined && isIsoDate(value) ? value : undefined;
  };
  const code = (name: string) => {
    const value = one(raw[name]);
    return value !== undefined && CODE.test(value) ? value : undefined;
  };
  const fieldParam = FIELD_PARAMS.find(([param]) => code(param) !== undefined);
  const codeParam = CODE_PARAMS.find(([param]) => code(param) !== undefined);
  const outcome = OUTCOMES.find((o) => o === one(raw.outcome));
  const asAt = date('as_at');
  const filter: FigureFilter = {
    receivedFrom: date('received_from'),
    receivedTo: date('received_to'),
    field: fieldParam === undefined ? undefined : { name: fieldParam[1], value: code(fieldParam[0]) ?? '' },
    code: codeParam === undefined ? undefined : { list: codeParam[1], code: code(codeParam[0]) ?? '' },
    stage1: outcome === undefined || asAt === undefined ? undefined : { outcome, asAt },
  };
  return Object.values(filter).some((v) => v !== undefined) ? filter : undefined;
}

/** The query string parameters of a figure filter (the inverse of `figureFilterFrom`). */
export function figureFilterQuery(filter: FigureFilter | undefined): Record<string, string> {
  if (filter === undefined) return {};
  const query: Record<string, string> = {};
  if (filter.receivedFrom !== undefined) query.received_from = filter.receivedFrom;
  if (filter.receivedTo !== undefined) query.received_to = filter.receivedTo;
  const field = filter.field;
  const fieldParam = field === undefined ? undefined : FIELD_PARAMS.find(([, name]) => name === field.name)?.[0];
  if (field !== undefined && fieldParam !== undefined) query[fieldParam] = field.value;
  const code = filter.code;
  const codeParam = code === undefined ? undefined : CODE_PARAMS.find(([, list]) => list === code.list)?.[0];
  if (code !== undefined && codeParam !== undefined) query[codeParam] = code.code;
  if (filter.stage1 !== undefined) {
    query.outcome = filter.stage1.outcome;
    query.as_at = filter.stage1.asAt;
  }
  return query;
}

function longDate(date: string): string {
  try {
    return formatLongDate(date);
  } catch {
    return date;
  }
}

/** The filter in words, for the case list: "received 1 April 2019 to 31 March 2020; how received: Email". */
export function figureFilterText(filter: FigureFilter): string {
  const parts: string[] = [];
  if (filter.receivedFrom !== undefined || filter.receivedTo !== undefined) {
    parts.push(`received ${filter.receivedFrom === undefined ? 'up' : `from ${longDate(filter.receivedFrom)}`} to ${filter.receivedTo === undefined ? 'now' : longDate(filter.receivedTo)}`);
  }
  const field = filter.field;
  const fieldParam = field === undefined ? undefined : FIELD_PARAMS.find(([, name]) => name === field.name);
  if (field !== undefined && fieldParam !== undefined) parts.push(`${fieldParam[3]}: ${fieldParam[2][field.value] ?? field.value}`);
  const code = filter.code;
  if (code !== undefined) {
    const words = CODE_PARAMS.find(([, list]) => list === code.list)?.[2] ?? code.list;
    const label = code.list === 'issue' ? issueLabel(code.code) : code.list === 'remedy' ? ((REMEDY_LABELS as Readonly<Record<string, string>>)[code.code] ?? code.code) : ((DELAY_REASON_LABELS as Readonly<Record<string, string>>)[code.code] ?? code.code);
    parts.push(`${words}: ${label}`);
  }
  if (filter.stage1 !== undefined) {
    const on = longDate(filter.stage1.asAt);
    parts.push(filter.stage1.outcome === 'open' ? `Stage 1 still open on ${on}` : `Stage 1 ${filter.stage1.outcome} by ${on}`);
  }
  return parts.join('; ');
}
