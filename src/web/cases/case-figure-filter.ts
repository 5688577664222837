/**
 * The case list's "records behind a figure" filter in its query string: a link from a
 * report's figure (src/web/reports/annual-report-links.ts) names what the figure counted, and
 * the case list (`GET /cases?queue=all&…`) lists exactly those records. Parameters:
 * `received_from`, `received_to` (YYYY-MM-DD); one of `channel`, `finding`, `role`, `source`;
 * one of `issue`, `remedy`, `delay`; `outcome` (responded, withdrawn, escalated, open) with `as_at`;
 * `band` (a Stage 1 timescale band: 0-10, 11-20, 21-25, 26-30, 31+) with `as_at`;
 * `stage_event` (a Stage 2 or 3 event: stage2_requested, stage2_responded, stage3_requested,
 * stage3_panel, stage3_recommendations, stage3_response) with `event_from` and `event_to`,
 * and optionally `timing` (in_time; for a Stage 2 response also extended, late, not_known).
 * Anything not understood is ignored, as the list's other filters are.
 */
import { LATER_STAGE_EVENTS, LATER_STAGE_EVENT_COLUMNS, type FigureFilter, type LaterStageEvent, type LaterStageFigure, type LaterStageTiming } from '../../db/case-read-repository.ts';
import { TIMESCALE_BANDS, TIMESCALE_BAND_LABELS } from '../../domain/reports/annual-report.ts';
import type { CodeList } from '../../db/schema.ts';
import { filterDate, queryDate, queryValue } from '../forms.ts';
import { CHANNEL_LABELS } from '../../domain/taxonomies/channels.ts';
import { FINDING_LABELS } from '../../domain/taxonomies/findings.ts';
import { COMPLAINANT_ROLE_LABELS } from '../../domain/taxonomies/complainant-roles.ts';
import { COMPLIMENT_SOURCE_LABELS } from '../../domain/taxonomies/compliment-sources.ts';
import { issueLabel } from '../../domain/taxonomies/issues.ts';
import { REMEDY_LABELS } from '../../domain/taxonomies/remedies.ts';
import { DELAY_REASON_LABELS } from '../../domain/taxonomies/delay-reasons.ts';

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
const OUTCOMES: readonly Outcome[] = ['responded', 'withdrawn', 'escalated', 'open'];
const ADVOCACY: readonly NonNullable<FigureFilter['advocacy']>['outcome'][] = ['offered', 'accepted'];

const EVENT_WORDS: Readonly<Record<LaterStageEvent, string>> = {
  stage2_requested: 'Stage 2 requested',
  stage2_responded: 'Stage 2 response made',
  stage3_requested: 'Stage 3 review panel requested',
  stage3_panel: 'Stage 3 review panel held',
  stage3_recommendations: 'Stage 3 panel’s recommendations received',
  stage3_response: 'council’s response to the Stage 3 panel made',
};
const TIMING_WORDS: Readonly<Record<LaterStageTiming, string>> = {
  in_time: 'in time',
  extended: 'in the extended time allowed',
  late: 'later than the time allowed',
  not_known: 'time taken not known',
};
const CODE = /^[a-z0-9_]{1,60}$/;

/** The figure filter in a query string, or undefined when it has none. */
export function figureFilterFrom(query: unknown): FigureFilter | undefined {
  const raw = (query ?? {}) as Record<string, unknown>;
  const date = (name: string) => queryDate(raw, name);
  const code = (name: string) => {
    const value = queryValue(raw[name]);
    return value !== undefined && CODE.test(value) ? value : undefined;
  };
  const fieldParam = FIELD_PARAMS.find(([param]) => code(param) !== undefined);
  const codeParam = CODE_PARAMS.find(([param]) => code(param) !== undefined);
  const outcome = OUTCOMES.find((o) => o === queryValue(raw.outcome));
  const asAt = date('as_at');
  const band = TIMESCALE_BANDS.find((b) => b === queryValue(raw.band));
  const advocacy = ADVOCACY.find((a) => a === queryValue(raw.advocacy));
  const event = LATER_STAGE_EVENTS.find((e) => e === queryValue(raw.stage_event));
  const eventFrom = date('event_from');
  const eventTo = date('event_to');
  const timingRaw = queryValue(raw.timing);
  const timing = event === undefined ? undefined : LATER_STAGE_EVENT_COLUMNS[event].timings.find((t) => t === timingRaw);
  // A timing the event cannot have makes the whole part not understood (so it is ignored).
  const laterStage: LaterStageFigure | undefined =
    event === undefined || eventFrom === undefined || eventTo === undefined || (timingRaw !== undefined && timing === undefined) ? undefined : { event, from: eventFrom, to: eventTo, timing };
  const filter: FigureFilter = {
    receivedFrom: date('received_from'),
    receivedTo: date('received_to'),
    field: fieldParam === undefined ? undefined : { name: fieldParam[1], value: code(fieldParam[0]) ?? '' },
    code: codeParam === undefined ? undefined : { list: codeParam[1], code: code(codeParam[0]) ?? '' },
    stage1: outcome === undefined || asAt === undefined ? undefined : { outcome, asAt },
    band: band === undefined || asAt === undefined ? undefined : { band, asAt },
    laterStage,
    advocacy: advocacy === undefined || asAt === undefined ? undefined : { outcome: advocacy, asAt },
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
  if (filter.band !== undefined) {
    query.band = filter.band.band;
    query.as_at = filter.band.asAt;
  }
  if (filter.laterStage !== undefined) {
    query.stage_event = filter.laterStage.event;
    query.event_from = filter.laterStage.from;
    query.event_to = filter.laterStage.to;
    if (filter.laterStage.timing !== undefined) query.timing = filter.laterStage.timing;
  }
  if (filter.advocacy !== undefined) {
    query.advocacy = filter.advocacy.outcome;
    query.as_at = filter.advocacy.asAt;
  }
  return query;
}

/** The filter in words, for the case list: "received 1 April 2019 to 31 March 2020; how received: Email". */
export function figureFilterText(filter: FigureFilter): string {
  const parts: string[] = [];
  if (filter.receivedFrom !== undefined || filter.receivedTo !== undefined) {
    parts.push(`received ${filter.receivedFrom === undefined ? 'up' : `from ${filterDate(filter.receivedFrom)}`} to ${filter.receivedTo === undefined ? 'now' : filterDate(filter.receivedTo)}`);
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
    const on = filterDate(filter.stage1.asAt);
    const words = { open: `Stage 1 still open on ${on}`, escalated: `Stage 1 escalated to Stage 2 without a response by ${on}` } as const;
    parts.push(filter.stage1.outcome === 'open' || filter.stage1.outcome === 'escalated' ? words[filter.stage1.outcome] : `Stage 1 ${filter.stage1.outcome} by ${on}`);
  }
  if (filter.band !== undefined) {
    parts.push(`Stage 1 responded to by ${filterDate(filter.band.asAt)}, not withdrawn, in working days taken: ${TIMESCALE_BAND_LABELS[filter.band.band]}`);
  }
  const later = filter.laterStage;
  if (later !== undefined) {
    parts.push(`${EVENT_WORDS[later.event]} from ${filterDate(later.from)} to ${filterDate(later.to)}${later.timing === undefined ? '' : `, ${TIMING_WORDS[later.timing]}`} (whenever received)`);
  }
  if (filter.advocacy !== undefined) parts.push(`an advocate ${filter.advocacy.outcome} at Stage 1 by ${filterDate(filter.advocacy.asAt)}`);
  return parts.join('; ');
}
