/**
 * The read side of casework: the work-queue list and everything a case page shows. Writes
 * are elsewhere (the registration and Stage 1 services); nothing here changes a record.
 *
 * The queue is one query for its rows (and one for their count), whatever the page size:
 * the Stage 1 clock comes in by a join, and the caller works out the words for its due date.
 * Conditions are data (`CaseCondition`), ANDed together, so the application layer decides
 * what each queue means and this layer only turns conditions into SQL that runs the same on
 * SQLite and PostgreSQL. A search is the rows it finds, one part for each way of matching
 * (`searchFound`); the full-text match of summaries and notes and the name's trigrams are the
 * parts where the engines differ (`full-text-search.ts`).
 */
import type { ReceiptRule } from '../domain/calendar/counting-rule.ts';
import { sql, type ExpressionBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { CodeList, Database } from './schema.ts';
import { REPRESENTATION_SUBJECT } from './representation-repository.ts';
import { engineOf, fullTextMatch, nameContainsIds, orderedTermsOf, type OrderedTerms } from './full-text-search.ts';
import { fullTextTerms } from '../domain/search/full-text-terms.ts';
import type { TimescaleBand } from '../domain/reports/annual-report.ts';
import { notExcludedFrom } from './case-restriction-repository.ts';
import type { RestrictedPerson } from '../domain/cases/case-restriction.ts';

/** One condition a listed case must meet. */
export type CaseCondition =
  /** Matches nothing (a viewer who may see no case). */
  | { readonly is: 'nothing' }
  /** Not a case the person is excluded from (restricted cases: src/domain/cases/case-restriction.ts). */
  | { readonly is: 'not_excluded'; readonly person: RestrictedPerson }
  | { readonly is: 'status_in'; readonly statuses: readonly string[] }
  | { readonly is: 'status_not_in'; readonly statuses: readonly string[] }
  | { readonly is: 'kind'; readonly kind: string }
  /** About this team; null matches nothing (a user with no team has no team's cases). */
  | { readonly is: 'team'; readonly teamId: number | null }
  | { readonly is: 'responder'; readonly userId: number }
  /** About the user's team or allocated to the user (or, with `orAppointed`, the user is appointed to it now). */
  | { readonly is: 'own_or_team'; readonly userId: number; readonly teamId: number | null; readonly orAppointed?: boolean }
  /** The user is appointed to it now (investigating officer, Independent Person, panel member). */
  | { readonly is: 'appointed'; readonly userId: number }
  /** The Stage 1 clock is open and due on a date in the range (bounds inclusive unless `before`). */
  | { readonly is: 'stage1_open_due'; readonly stage1ClockKeys: readonly string[]; readonly onOrAfter?: string; readonly onOrBefore?: string; readonly before?: string }
  /** Closed or withdrawn on or after `date`. */
  | { readonly is: 'finished_since'; readonly date: string }
  | { readonly is: 'search'; readonly search: CaseSearch }
  /** What one figure of a report counted, so that a link from the figure lists exactly its records. */
  | { readonly is: 'figure'; readonly figure: FigureFilter }
  /** Received on one of these days and responded to within its range of dates (none: matches nothing). */
  | { readonly is: 'response_ranges'; readonly ranges: readonly ResponseRange[] };

/** Complaints received on `receivedOn` under `receiptRule` and responded to from `from` to `to` (inclusive). */
export interface ResponseRange {
  readonly receivedOn: string;
  readonly receiptRule: ReceiptRule;
  readonly from: string;
  readonly to: string;
}

/** A complaint's receipt and response dates, and the receipt rule it is counted under. */
export interface ResponsePair {
  readonly receivedOn: string;
  readonly respondedOn: string;
  readonly receiptRule: ReceiptRule;
}

/**
 * The records behind a report's figure (each part optional, all ANDed): received in a date
 * range; a field's value; a code recorded (issue, remedy, reason for delay); the Stage 1
 * outcome as the annual report counts it on `asAt` (responded = a response on or before it,
 * withdrawn = withdrawn on or before it, open = neither).
 */
export interface FigureFilter {
  readonly receivedFrom?: string | undefined;
  readonly receivedTo?: string | undefined;
  readonly field?: { readonly name: 'channel' | 'finding' | 'complainant_role' | 'compliment_source'; readonly value: string } | undefined;
  readonly code?: { readonly list: CodeList; readonly code: string } | undefined;
  readonly stage1?: { readonly outcome: 'responded' | 'withdrawn' | 'escalated' | 'open'; readonly asAt: string } | undefined;
  /**
   * A Stage 1 timescale band as the annual report counts it on `asAt`: responded to on or
   * before it and not withdrawn by then. The band itself needs the working-day calendar, so
   * here it only limits the list to that base; the application layer works out which
   * (received, responded) pairs fall in the band and adds them as a `response_ranges` condition.
   */
  readonly band?: { readonly band: TimescaleBand; readonly asAt: string } | undefined;
  /** A Stage 2 or Stage 3 event dated in a range (whenever the complaint was received), and how timely it was. */
  readonly laterStage?: LaterStageFigure | undefined;
  /** An advocate offered at Stage 1 on or before `asAt` (and, for `accepted`, accepted), as the annual report counts it. */
  readonly advocacy?: { readonly outcome: 'offered' | 'accepted'; readonly asAt: string } | undefined;
}

/** The Stage 2 and Stage 3 events the annual report counts by their date. */
export const LATER_STAGE_EVENTS = ['stage2_requested', 'stage2_responded', 'stage3_requested', 'stage3_panel', 'stage3_recommendations', 'stage3_response'] as const;
export type LaterStageEvent = (typeof LATER_STAGE_EVENTS)[number];

/**
 * How timely an event was, by its clock (as annual-details-query.ts counts it): `in_time` on
 * or before the clock's due date (for a Stage 2 response: without an extension), `extended`
 * in time with an extension, `late` after it, `not_known` with no clock. Only a Stage 2
 * response has all four; Stage 3 panels, recommendations and responses have `in_time`.
 */
export const LATER_STAGE_TIMINGS = ['in_time', 'extended', 'late', 'not_known'] as const;
export type LaterStageTiming = (typeof LATER_STAGE_TIMINGS)[number];

export interface LaterStageFigure {
  readonly event: LaterStageEvent;
  readonly from: string;
  readonly to: string;
  readonly timing?: LaterStageTiming | undefined;
}

/** Each event's table, date column, the clock that times it (if any), and the timings it can have. */
export const LATER_STAGE_EVENT_COLUMNS: Readonly<Record<LaterStageEvent, { readonly table: 'stage2' | 'stage3'; readonly column: string; readonly clockKey?: string; readonly timings: readonly LaterStageTiming[] }>> = {
  stage2_requested: { table: 'stage2', column: 'requested_on', timings: [] },
  stage2_responded: { table: 'stage2', column: 'responded_on', clockKey: 'stage2_response', timings: LATER_STAGE_TIMINGS },
  stage3_requested: { table: 'stage3', column: 'requested_on', timings: [] },
  stage3_panel: { table: 'stage3', column: 'panel_met_on', clockKey: 'panel_meeting', timings: ['in_time'] },
  stage3_recommendations: { table: 'stage3', column: 'recommendations_received_on', clockKey: 'panel_recommendations', timings: ['in_time'] },
  stage3_response: { table: 'stage3', column: 'responded_on', clockKey: 'council_response', timings: ['in_time'] },
};

/** The clock `alias` has been extended (its events hold an extension), for the list's timings and the annual report's counts. */
export function clockExtended(alias: string): RawBuilder<SqlBool> {
  const events = sql.ref(`${alias}.events`);
  return sql<SqlBool>`(${events} like '%"extraWorkingDays"%' or ${events} like '%"newTotalWorkingDays"%')`;
}

/** The listed record `r` has the later-stage event of `figure` (one row: a record has at most one Stage 2 and one Stage 3). */
function laterStageMatch(figure: LaterStageFigure): RawBuilder<SqlBool> {
  const { table, column, clockKey } = LATER_STAGE_EVENT_COLUMNS[figure.event];
  const on = sql.ref(`ls.${column}`);
  const extended = clockExtended('lc');
  const timing = (() => {
    switch (figure.timing) {
      case undefined:
        return sql`1 = 1`;
      case 'in_time':
        return figure.event === 'stage2_responded' ? sql`lc.due_on >= ${on} and not ${extended}` : sql`lc.due_on >= ${on}`;
      case 'extended':
        return sql`lc.due_on >= ${on} and ${extended}`;
      case 'late':
        return sql`lc.id is not null and (lc.due_on is null or lc.due_on < ${on})`;
      case 'not_known':
        return sql`lc.id is null`;
    }
  })();
  return sql<SqlBool>`exists (select 1 from ${sql.table(table)} ls
    left join clock lc on lc.subject_type = ${REPRESENTATION_SUBJECT} and lc.subject_id = ls.representation_id and lc.clock_key = ${clockKey ?? ''}
    where ls.representation_id = r.id and ${on} >= ${figure.from} and ${on} <= ${figure.to} and ${timing})`;
}

/**
 * Received on one of the ranges' days and responded to within its range: an OR of one
 * condition a day received (three parameters each, so a year's at most ~1,100 on either engine).
 */
function rangesMatch(ranges: readonly ResponseRange[]): RawBuilder<SqlBool> {
  if (ranges.length === 0) return sql<SqlBool>`1 = 0`;
  const parts = ranges.map(
    (range) => sql`(r.received_on = ${range.receivedOn} and r.receipt_rule = ${range.receiptRule} and r.responded_on >= ${range.from} and r.responded_on <= ${range.to})`,
  );
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/**
 * A search box's text. The reference always matches (exactly, ignoring case); the young
 * person's id (exactly) and the complainant's name (contained, ignoring case) match only on
 * the cases whose personal details the viewer may see: `personal` says which those are.
 * So do the words of the text, full-text, in the summary or any note (personal data too):
 * every word must match (stemmed; the last also as a prefix).
 */
export interface CaseSearch {
  readonly text: string;
  readonly personal: { readonly scope: 'all' } | { readonly scope: 'none' } | { readonly scope: 'own_or_team'; readonly userId: number; readonly teamId: number | null };
}

export interface CaseListRow {
  readonly id: number;
  readonly reference: string;
  readonly kind: string;
  readonly status: string;
  readonly receivedOn: string;
  /** Its place in the queues' order. */
  readonly key: QueueKey;
  readonly teamId: number | null;
  readonly teamName: string | null;
  readonly responderUserId: number | null;
  readonly responderName: string | null;
  /** The Stage 1 clock, when it has started. */
  readonly stage1Clock: CaseClockRow | undefined;
  /** Where the search's words were found, full-text (empty without a search, or when the searcher may not see the case's personal details). */
  readonly matchedIn: readonly SearchMatch[];
}

export type SearchMatch = 'summary' | 'note';

export interface CaseClockRow {
  readonly id: number;
  readonly procedureKind: string;
  readonly clockKey: string;
  readonly startedOn: string;
  /** JSON of the clock engine's events. */
  readonly events: string;
  readonly dueOn: string;
  readonly isOpen: boolean;
}

/** A clock as the case page reads it: with its version, as an action finds it. */
export interface CaseDetailClockRow extends CaseClockRow {
  readonly version: number;
}

export interface CaseDetailRow {
  readonly id: number;
  readonly reference: string;
  readonly contactId: number;
  readonly kind: string;
  readonly status: string;
  readonly stage: number;
  /** Goes up by one with every change: the next change must be based on it. */
  readonly version: number;
  readonly receivedOn: string;
  readonly eventOn: string | null;
  readonly channel: string | null;
  readonly isViaComplaintsTeam: boolean;
  readonly teamId: number | null;
  readonly teamName: string | null;
  readonly summary: string;
  readonly complainantRole: string | null;
  readonly responderUserId: number | null;
  readonly responderName: string | null;
  readonly acknowledgedOn: string | null;
  readonly respondedOn: string | null;
  readonly finding: string | null;
  readonly withdrawnOn: string | null;
  readonly closedOn: string | null;
  readonly agency: string | null;
  readonly forwardedOn: string | null;
  readonly complimentSource: string | null;
  readonly workerName: string | null;
  readonly hasConsentToQuote: boolean;
  readonly informalReason: string | null;
  readonly reply: string | null;
  /** Eligibility facts: null when not known yet. */
  readonly hasParentalResponsibility: boolean | null;
  readonly isMadeForChild: boolean | null;
  readonly hasProceedings: boolean | null;
  readonly createdAt: string;
  /** Withdrawn or closed: the status it had before, when recorded. */
  readonly statusBeforeClosure: string | null;
  /** When its personal data was disposed of (retention); null while kept. */
  readonly disposedAt: string | null;
  readonly youngPerson: { readonly externalId: string; readonly dateOfBirth: string | null; readonly ethnicity: string | null } | undefined;
  readonly complainant: PersonRow | undefined;
  readonly advocate: PersonRow | undefined;
}

export interface PersonRow {
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly address: string | null;
  readonly preferredContact: string | null;
  readonly reasonableAdjustments: string | null;
  readonly organisation: string | null;
}

export interface LinkedRow {
  readonly id: number;
  readonly reference: string;
  readonly teamId: number | null;
  readonly teamName: string | null;
  readonly responderUserId: number | null;
}

export interface EligibilityRow {
  readonly decision: string;
  readonly outcome: string;
  readonly reason: string;
  readonly childViews: string | null;
  readonly notifiedOn: string | null;
  readonly partsDeclined: string | null;
  readonly decidedOn: string;
  readonly decidedBy: string | null;
}

export interface AdvocacyRow {
  readonly stage: number;
  readonly offeredOn: string;
  readonly outcome: string;
  readonly provider: string | null;
  readonly recordedBy: string | null;
}

export interface NoteRow {
  readonly body: string;
  readonly author: string | null;
  readonly createdAt: string;
}

export interface HistoryRow {
  readonly id: number;
  readonly occurredAt: string;
  readonly userName: string | null;
  readonly action: string;
  readonly summary: string;
  readonly before: string | null;
  readonly after: string | null;
}

const flag = (value: 0 | 1 | null): boolean | null => (value === null ? null : value === 1);

/** The search text as matched: trimmed, without NUL (PostgreSQL refuses it in text, so no stored text holds one). */
function cleanSearchText(text: string): string {
  return text.replaceAll('\0', '').trim();
}

/** Statuses written into SQL as literals (they are the code's own status names, checked here). */
function statusList(statuses: readonly string[]): RawBuilder<unknown> {
  for (const status of statuses) if (!/^[a-z0-9_]+$/.test(status)) throw new Error(`not a status: ${status}`);
  return sql.join(statuses.map((status) => sql.lit(status)));
}

/** The appointments (not ended) of `userId` to the listed record `r`. */
function appointedNow(eb: ExpressionBuilder<Database & { r: Database['representation'] }, 'r'>, userId: number) {
  return eb.selectFrom('appointment as a').select('a.id').whereRef('a.representation_id', '=', 'r.id').where('a.user_id', '=', userId).where('a.ended_on', 'is', null);
}

/** A listed case's place in the queues' order. */
export interface QueueKey {
  readonly dueOn: string;
  readonly receivedOn: string;
  readonly id: number;
}

interface ListedRow {
  readonly id: number;
  readonly reference: string;
  readonly kind: string;
  readonly status: string;
  readonly received_on: string;
  readonly queue_due_on: string;
  readonly team_id: number | null;
  readonly team_name: string | null;
  readonly responder_user_id: number | null;
  readonly responder_name: string | null;
  readonly clock_id: number | null;
  readonly procedure_kind: string | null;
  readonly clock_key: string | null;
  readonly started_on: string | null;
  readonly events: string | null;
  readonly due_on: string | null;
  readonly is_open: number | null;
  readonly matched_summary: number;
  readonly matched_note: number;
}

function listRowOf(row: ListedRow): CaseListRow {
  return {
    id: row.id,
    reference: row.reference,
    kind: row.kind,
    status: row.status,
    receivedOn: row.received_on,
    key: { dueOn: row.queue_due_on, receivedOn: row.received_on, id: row.id },
    teamId: row.team_id,
    teamName: row.team_name,
    responderUserId: row.responder_user_id,
    responderName: row.responder_name,
    matchedIn: [...(row.matched_summary === 1 ? (['summary'] as const) : []), ...(row.matched_note === 1 ? (['note'] as const) : [])],
    stage1Clock:
      row.clock_id === null || row.procedure_kind === null || row.clock_key === null || row.started_on === null || row.events === null || row.due_on === null
        ? undefined
        : { id: row.clock_id, procedureKind: row.procedure_kind, clockKey: row.clock_key, startedOn: row.started_on, events: row.events, dueOn: row.due_on, isOpen: row.is_open === 1 },
  };
}

/** Clock keys for an `in (…)`: with none, a key no clock has (an empty list is not SQL). */
const clockKeyList = (keys: readonly string[]): string[] => (keys.length > 0 ? [...keys] : ['']);

/** A listed case's place in the queues' order, as the page's select returns it. */
const PAGE_KEY = ['r.id', 'r.queue_due_on', 'r.received_on'] as const;
/** The page's select: its cases' places in the order, and where a search's words were found in each (0 or 1). */
type PageKey = { id: number; queue_due_on: string; received_on: string; matched_summary: number; matched_note: number };

/** Conditions on a listed case that need no column of its record but its id. */
const ID_ONLY_CONDITIONS: readonly CaseCondition['is'][] = ['nothing', 'not_excluded', 'search'];

/** True when no condition but `driving` (the one whose rows a list is read from) needs more of a case than its id. */
const isIdEnoughBeside = (conditions: readonly CaseCondition[], driving: CaseCondition | undefined): boolean =>
  conditions.every((c) => c === driving || ID_ONLY_CONDITIONS.includes(c.is));

/** One page's reach in the queues' order: its first `limit` cases after `key` (or, `isBackwards`, before it; no key: from the start). */
interface PageBound {
  readonly limit: number;
  readonly key: QueueKey | undefined;
  readonly isBackwards: boolean;
  /** A search's ordered terms (PostgreSQL), when it has them. */
  readonly ordered?: OrderedTerms | undefined;
}

/** The cases of `alias` past the page bound's key, in its direction (true without a key). */
function pastKey(alias: string, { key, isBackwards }: PageBound, idColumn = 'id'): RawBuilder<SqlBool> {
  if (key === undefined) return sql<SqlBool>`1 = 1`;
  const row = sql`(${sql.ref(`${alias}.queue_due_on`)}, ${sql.ref(`${alias}.received_on`)}, ${sql.ref(`${alias}.${idColumn}`)})`;
  const value = sql`(${key.dueOn}, ${key.receivedOn}, ${key.id})`;
  return isBackwards ? sql<SqlBool>`${row} < ${value}` : sql<SqlBool>`${row} > ${value}`;
}

/**
 * The representation `alias` was closed or withdrawn on or after `date`: the condition of
 * representation_finished_idx (migration 0035), written as the index's, which no other index
 * serves, so that the finished cases are read alone and then sorted (a month's, of years').
 * Walking the queue order instead would pass nearly every case before reaching them (finished
 * cases come last), and both planners would choose that walk by themselves: SQLite's sampled
 * statistics take a range of days for a quarter of the table (`isSqlite`: `likelihood` says
 * how few), and PostgreSQL expects the month's cases spread through the order (its callers
 * make it find them first).
 */
function finishedIn(alias: 'r' | 'finished', date: string, isSqlite: boolean): RawBuilder<SqlBool> {
  const since = sql<SqlBool>`coalesce(${sql.ref(`${alias}.closed_on`)}, ${sql.ref(`${alias}.withdrawn_on`)}, ${sql.ref(`${alias}.updated_at`)}) >= ${date}`;
  return sql<SqlBool>`${sql.ref(`${alias}.status`)} || '' in ('closed', 'withdrawn') and ${isSqlite ? sql`likelihood(${since}, 0.001)` : since}`;
}

export class CaseReadRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * A page of the cases meeting every condition, ordered by the Stage 1 due date (cases
   * without a running clock last), then the date received, then the reference's order.
   */
  async list(conditions: readonly CaseCondition[], stage1ClockKeys: readonly string[], page: { limit: number; offset: number }): Promise<{ rows: CaseListRow[]; total: number }> {
    const ids = this.pageKeys(conditions).orderBy('r.queue_due_on').orderBy('r.received_on').orderBy('r.id').limit(page.limit).offset(page.offset);
    const [counted, rows] = await Promise.all([
      this.filtered(conditions, 'keys').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
      this.listed(stage1ClockKeys, ids).orderBy('page.queue_due_on').orderBy('page.received_on').orderBy('page.id').execute(),
    ]);
    return { total: Number(counted.n), rows: rows.map(listRowOf) };
  }

  /**
   * A page of the cases meeting every condition in the queues' order (the Stage 1 due date,
   * cases without a clock last; the date received; the id), found by its place in that order
   * (keyset paging: `after` the last row of the page before, or `before` the first row of the
   * page after) rather than by counting rows to skip, and without counting the whole list: it
   * reads at most `limit + 1` rows through an index in that order.
   */
  async listByKey(
    conditions: readonly CaseCondition[],
    stage1ClockKeys: readonly string[],
    page: { readonly limit: number; readonly after?: QueueKey | undefined; readonly before?: QueueKey | undefined },
  ): Promise<{ rows: CaseListRow[]; hasMore: boolean }> {
    const isBackwards = page.after === undefined && page.before !== undefined;
    // On PostgreSQL, what a search read from its own rows (see rowsReadFrom) stands for in the ordered terms.
    const search = conditions.find((c) => c.is === 'search');
    const ordered =
      search !== undefined && isIdEnoughBeside(conditions, search) && search.search.personal.scope !== 'none' && engineOf(this.db) === 'postgres'
        ? await orderedTermsOf(this.db, cleanSearchText(search.search.text))
        : undefined;
    const bound: PageBound = { limit: page.limit + 1, key: page.after ?? page.before, isBackwards, ordered };
    const direction = isBackwards ? 'desc' : 'asc';
    const ids = this.pageKeys(conditions, bound)
      .$if(bound.key !== undefined, (query) => query.where(pastKey('r', bound)))
      .orderBy('r.queue_due_on', direction).orderBy('r.received_on', direction).orderBy('r.id', direction).limit(bound.limit);
    const rows = await this.listed(stage1ClockKeys, ids).orderBy('page.queue_due_on', direction).orderBy('page.received_on', direction).orderBy('page.id', direction).execute();
    const hasMore = rows.length > page.limit;
    const shown = rows.slice(0, page.limit);
    if (isBackwards) shown.reverse();
    return { rows: shown.map(listRowOf), hasMore };
  }

  /**
   * Every column a listed row shows, for the page's cases (`ids`: a select of at most a page
   * of representation ids). The page is found first, with only the tables its conditions
   * need, and the rest joined to those few rows: a join in the same select would make
   * SQLite's planner build a Bloom filter over the whole clock table for every page. The
   * caller orders by the page's own columns (`page.queue_due_on`…), which keeps the page
   * the outer loop (ordering by `r`'s would walk the representation index instead).
   */
  private listed(stage1ClockKeys: readonly string[], ids: SelectQueryBuilder<Database & { r: Database['representation'] }, 'r', PageKey>) {
    const keys = clockKeyList(stage1ClockKeys);
    return this.db
      .selectFrom(ids.as('page'))
      .innerJoin('representation as r', 'r.id', 'page.id')
      .leftJoin('team', 'team.id', 'r.team_id')
      .leftJoin('clock as c', (join) =>
        join
          .onRef('c.subject_id', '=', 'r.id')
          .on('c.subject_type', '=', REPRESENTATION_SUBJECT)
          // At most one row: a record has one clock of each key (clock_subject_key_unique).
          .on('c.clock_key', 'in', keys),
      )
      .leftJoin('app_user as responder', 'responder.id', 'r.responder_user_id')
      .select([
        'r.id',
        'r.reference',
        'r.kind',
        'r.status',
        'r.received_on',
        'r.queue_due_on',
        'r.team_id',
        'team.name as team_name',
        'r.responder_user_id',
        'responder.name as responder_name',
        'c.id as clock_id',
        'c.procedure_kind',
        'c.clock_key',
        'c.started_on',
        'c.events',
        'c.due_on',
        'c.is_open',
      ])
      .select(['page.matched_summary', 'page.matched_note']);
  }

  /** The page's select of the cases meeting every condition (PageKey), before its order and limit (`bound`: how far the page reaches). */
  private pageKeys(conditions: readonly CaseCondition[], bound?: PageBound) {
    const isSearch = conditions.some((c) => c.is === 'search' && cleanSearchText(c.search.text) !== '');
    const flag = (name: 'matched_summary' | 'matched_note') => (isSearch ? sql<number>`${sql.ref(`r.${name}`)}` : sql<number>`0`).as(name);
    return this.filtered(conditions, 'keys', bound).select([...PAGE_KEY, flag('matched_summary'), flag('matched_note')]);
  }

  /**
   * The distinct (received_on, responded_on) pairs of the records meeting every condition
   * and responded to: what a timescale band is worked out from (a few thousand at most a
   * year, however many records).
   */
  async responsePairs(conditions: readonly CaseCondition[]): Promise<ResponsePair[]> {
    const rows = await this.filtered(conditions)
      .where('r.responded_on', 'is not', null)
      .select(['r.received_on', 'r.responded_on', 'r.receipt_rule'])
      .distinct()
      .execute();
    return rows.flatMap((row) => (row.responded_on === null ? [] : [{ receivedOn: row.received_on, respondedOn: row.responded_on, receiptRule: row.receipt_rule }]));
  }

  /**
   * The cases a search finds, as one select of their places in the queues' order and where
   * its words were found (`id`, `queue_due_on`, `received_on`, `matched_summary`,
   * `matched_note`), one row a case: each way of matching is a part of its own, through its
   * own index, that reads the place from that index or the case's record it reads anyway
   * (so a common name or word does not read thousands of records twice). The reference
   * matches exactly (always); on the cases whose personal details the searcher may see, the
   * young person's id (exactly), the complainant's name (containing the text, from three
   * characters) and the words of the summary or a note (full-text; only these set the
   * flags, so a row never says that hidden text matched). Undefined for empty text.
   *
   * With `bound` (a page, when no other condition than `notExcluded` applies), each part
   * reads only that page's reach of its own cases, not excluded (a common word's thousands
   * are not all sorted to show fifty).
   */
  private searchFound(search: CaseSearch, bound?: PageBound & { readonly notExcluded: readonly RestrictedPerson[] }): RawBuilder<unknown> | undefined {
    const text = cleanSearchText(search.text);
    if (text === '') return undefined;
    const engine = engineOf(this.db);
    const { personal } = search;
    // A responding manager's personal matches: their own and their team's cases only.
    const ownOnly =
      personal.scope === 'own_or_team' ? sql` and (k.responder_user_id = ${personal.userId}${personal.teamId === null ? sql`` : sql` or k.team_id = ${personal.teamId}`})` : sql``;
    const part = (condition: RawBuilder<unknown>, isPersonal: boolean, matched?: 'summary' | 'note') => {
      const select = sql`select k.id, k.queue_due_on, k.received_on, ${sql.lit(matched === 'summary' ? 1 : 0)} as matched_summary, ${sql.lit(matched === 'note' ? 1 : 0)} as matched_note
        from representation k where ${condition}${isPersonal ? ownOnly : sql``}`;
      if (bound === undefined) return select;
      const direction = sql.raw(bound.isBackwards ? 'desc' : 'asc');
      const notExcluded = bound.notExcluded.map((person) => sql` and ${notExcludedFrom('k.id', person)}`);
      // PostgreSQL would find a page of a common word by walking the queue's index and testing each case's words
      // on the way (0.6 s at a million): `offset 0` keeps the part's own plan, through its own index, and sorts what it finds.
      const fence = engine === 'postgres' ? sql` offset 0` : sql``;
      return sql`select * from (select * from (${select}${sql.join(notExcluded, sql``)} and ${pastKey('k', bound)}${fence}) as matched
        order by matched.queue_due_on ${direction}, matched.received_on ${direction}, matched.id ${direction} limit ${bound.limit}) as part`;
    };
    /**
     * For a page on PostgreSQL: the cases of the ordered `terms`, each term's read from
     * `table`'s index in the page's order and no further than `perTerm` rows (migration 0037).
     */
    const orderedPart = (terms: readonly string[], table: 'search_term' | 'search_name_term', perTerm: number) => {
      if (bound === undefined) throw new Error('an ordered part is for a page');
      const direction = sql.raw(bound.isBackwards ? 'desc' : 'asc');
      const [term, flags] =
        table === 'search_term' ? [sql`t.term`, sql`(t.source = 1)::int as matched_summary, (t.source = 2)::int as matched_note`] : [sql`t.word`, sql`0 as matched_summary, 0 as matched_note`];
      const own = personal.scope === 'own_or_team' ? sql` join representation k on k.id = t.representation_id` : sql``;
      const notExcluded = bound.notExcluded.map((person) => sql` and ${notExcludedFrom('t.representation_id', person)}`);
      return sql`select t.representation_id as id, t.queue_due_on, t.received_on, ${flags}
        from unnest(${[...terms]}::text[]) as ordered_terms (term) cross join lateral (select t.* from ${sql.table(table)} t${own}
          where ${term} = ordered_terms.term${sql.join(notExcluded, sql``)}${ownOnly} and ${pastKey('t', bound, 'representation_id')}
          order by t.queue_due_on ${direction}, t.received_on ${direction}, t.representation_id ${direction} limit ${perTerm}) as t`;
    };
    const ordered = bound?.ordered;
    const parts = [part(sql`k.reference = ${text.toUpperCase()}`, false)];
    if (personal.scope !== 'none') {
      parts.push(part(sql`k.young_person_id in (select id from young_person where external_id = ${text})`, true));
      const names = nameContainsIds(engine, text);
      if (ordered?.nameWords !== undefined && bound !== undefined) parts.push(orderedPart(ordered.nameWords, 'search_name_term', bound.limit));
      else if (names !== undefined) parts.push(part(sql`k.complainant_id in (${names})`, true));
      const terms = fullTextTerms(text);
      // A case's word can be in its summary and its notes: two rows, so twice a page's reach gives the page.
      if (ordered?.words !== undefined && bound !== undefined) parts.push(orderedPart(ordered.words, 'search_term', 2 * bound.limit));
      else if (terms !== undefined) {
        const match = fullTextMatch(engine, terms, 'k');
        parts.push(part(match.summary, true, 'summary'), part(match.note, true, 'note'));
      }
    }
    return sql`select found.id, found.queue_due_on, found.received_on, max(found.matched_summary) as matched_summary, max(found.matched_note) as matched_note
      from (${sql.join(parts, sql` union all `)}) as found group by found.queue_due_on, found.received_on, found.id`;
  }

  /**
   * What a list is read from, as `r`, when one of its conditions gives the rows more cheaply
   * than the table (undefined: the table), and that condition, which it applies.
   *
   * - A search: the cases it found (`searchFound`). When only their places in the order are
   *   wanted (`keys`) and no other condition needs more than their ids, those rows alone, with
   *   no record read (and no further than `bound`, a page's reach, when given); otherwise each
   *   one's record too.
   * - On PostgreSQL, the recently finished cases, when only their places are wanted and no
   *   other condition needs more: from the rows their index finds (read anyway, for their ids)
   *   rather than each looked up again by its id; `offset 0` keeps that plan (see finishedIn).
   */
  private rowsReadFrom(conditions: readonly CaseCondition[], wanted: 'keys' | 'records', bound: PageBound | undefined) {
    const search = conditions.find((c) => c.is === 'search');
    const finished = conditions.find((c) => c.is === 'finished_since');
    const driving = search ?? finished;
    const isKeysEnough = wanted === 'keys' && isIdEnoughBeside(conditions, driving);
    if (search !== undefined) {
      const notExcluded = conditions.flatMap((c) => (c.is === 'not_excluded' ? [c.person] : []));
      const found = this.searchFound(search.search, isKeysEnough && bound !== undefined ? { ...bound, notExcluded } : undefined);
      if (found === undefined) return undefined;
      const rows = isKeysEnough
        ? sql<Database['representation']>`(${found})`
        : sql<Database['representation']>`(select representation.*, found.matched_summary, found.matched_note from (${found}) as found join representation on representation.id = found.id)`;
      return { rows, applied: search };
    }
    if (finished === undefined || !isKeysEnough || engineOf(this.db) !== 'postgres') return undefined;
    const rows = sql<Database['representation']>`(select finished.id, finished.queue_due_on, finished.received_on from representation finished
      where ${finishedIn('finished', finished.date, false)} offset 0)`;
    return { rows, applied: finished };
  }

  /**
   * The representations that meet the conditions, as `r` (no joins: each condition is on the
   * record or a subquery), read from the table or from the rows one condition gives
   * (`rowsReadFrom`).
   */
  private filtered(conditions: readonly CaseCondition[], wanted: 'keys' | 'records' = 'records', bound?: PageBound) {
    const readFrom = this.rowsReadFrom(conditions, wanted, bound);
    const isPostgres = engineOf(this.db) === 'postgres';
    let query = readFrom === undefined ? this.db.selectFrom('representation as r') : this.db.selectFrom(readFrom.rows.as('r'));

    for (const condition of conditions) {
      switch (condition.is) {
        case 'nothing':
          query = query.where(sql<boolean>`1 = 0`);
          break;
        case 'not_excluded':
          query = query.where(notExcludedFrom('r.id', condition.person));
          break;
        case 'status_in':
          query = condition.statuses.length === 0 ? query.where(sql<boolean>`1 = 0`) : query.where('r.status', 'in', [...condition.statuses]);
          break;
        case 'status_not_in':
          // Written out, not bound: the open-case indexes are partial on this very text (migration 0020).
          if (condition.statuses.length > 0) query = query.where(sql<SqlBool>`r.status not in (${statusList(condition.statuses)})`);
          break;
        case 'kind':
          query = query.where('r.kind', '=', condition.kind);
          break;
        case 'team': {
          const { teamId } = condition;
          query = teamId === null ? query.where(sql<boolean>`1 = 0`) : query.where('r.team_id', '=', teamId);
          break;
        }
        case 'responder':
          query = query.where('r.responder_user_id', '=', condition.userId);
          break;
        case 'own_or_team': {
          const { userId, teamId, orAppointed } = condition;
          query = query.where((eb) =>
            eb.or([eb('r.responder_user_id', '=', userId), ...(teamId === null ? [] : [eb('r.team_id', '=', teamId)]), ...(orAppointed === true ? [eb.exists(appointedNow(eb, userId))] : [])]),
          );
          break;
        }
        case 'appointed':
          query = query.where((eb) => eb.exists(appointedNow(eb, condition.userId)));
          break;
        case 'stage1_open_due': {
          const { stage1ClockKeys, onOrAfter, onOrBefore, before } = condition;
          const keys = clockKeyList(stage1ClockKeys);
          query = query.where('r.id', 'in', (eb) =>
            eb
              .selectFrom('clock as c')
              .select('c.subject_id')
              .where('c.subject_type', '=', REPRESENTATION_SUBJECT)
              .where('c.clock_key', 'in', keys)
              .where('c.is_open', '=', 1)
              .$if(onOrAfter !== undefined, (q) => q.where('c.due_on', '>=', onOrAfter ?? ''))
              .$if(onOrBefore !== undefined, (q) => q.where('c.due_on', '<=', onOrBefore ?? ''))
              .$if(before !== undefined, (q) => q.where('c.due_on', '<', before ?? '')),
          );
          break;
        }
        case 'finished_since':
          if (readFrom?.applied === condition) break;
          query = query.where(
            isPostgres ? sql<SqlBool>`r.id = any(array(select finished.id from representation finished where ${finishedIn('finished', condition.date, false)}))` : finishedIn('r', condition.date, true),
          );
          break;
        case 'figure': {
          const { receivedFrom, receivedTo, field, code, stage1, band, laterStage, advocacy } = condition.figure;
          if (receivedFrom !== undefined) query = query.where('r.received_on', '>=', receivedFrom);
          if (receivedTo !== undefined) query = query.where('r.received_on', '<=', receivedTo);
          if (field !== undefined) query = query.where(`r.${field.name}`, '=', field.value);
          if (code !== undefined) {
            query = query.where((eb) =>
              eb.exists(eb.selectFrom('representation_code as rc').select('rc.code').whereRef('rc.representation_id', '=', 'r.id').where('rc.list', '=', code.list).where('rc.code', '=', code.code)),
            );
          }
          if (stage1 !== undefined) {
            const { asAt } = stage1;
            // Taken to Stage 2 by `asAt` without a Stage 1 response (past its deadline, or by agreement).
            const escalated = sql<SqlBool>`exists (select 1 from stage2 s where s.representation_id = r.id and s.route is not null and s.requested_on <= ${asAt})`;
            if (stage1.outcome === 'responded') query = query.where('r.responded_on', '<=', asAt);
            else if (stage1.outcome === 'withdrawn') query = query.where('r.withdrawn_on', '<=', asAt);
            else {
              query = query
                .where((eb) => eb.or([eb('r.responded_on', 'is', null), eb('r.responded_on', '>', asAt)]))
                .where((eb) => eb.or([eb('r.withdrawn_on', 'is', null), eb('r.withdrawn_on', '>', asAt)]))
                .where(stage1.outcome === 'escalated' ? escalated : sql<SqlBool>`not ${escalated}`);
            }
          }
          if (band !== undefined) {
            query = query.where('r.responded_on', '<=', band.asAt).where((eb) => eb.or([eb('r.withdrawn_on', 'is', null), eb('r.withdrawn_on', '>', band.asAt)]));
          }
          if (laterStage !== undefined) query = query.where(laterStageMatch(laterStage));
          if (advocacy !== undefined) {
            query = query.where((eb) =>
              eb.exists(
                eb
                  .selectFrom('advocacy_offer as ao')
                  .select('ao.id')
                  .whereRef('ao.representation_id', '=', 'r.id')
                  .where('ao.stage', '=', 1)
                  .where('ao.offered_on', '<=', advocacy.asAt)
                  .$if(advocacy.outcome === 'accepted', (q) => q.where('ao.outcome', '=', 'accepted')),
              ),
            );
          }
          break;
        }
        case 'response_ranges':
          query = query.where(rangesMatch(condition.ranges));
          break;
        case 'search':
          // Applied by the rows read from (rowsReadFrom), when there is text to search for.
          break;
      }
    }
    return query;
  }

  async findByReference(reference: string): Promise<CaseDetailRow | undefined> {
    const row = await this.db
      .selectFrom('representation as r')
      .leftJoin('team', 'team.id', 'r.team_id')
      .leftJoin('app_user as responder', 'responder.id', 'r.responder_user_id')
      .leftJoin('young_person as yp', 'yp.id', 'r.young_person_id')
      .leftJoin('person as complainant', 'complainant.id', 'r.complainant_id')
      .leftJoin('person as advocate', 'advocate.id', 'r.advocate_id')
      .select([
        'r.id',
        'r.reference',
        'r.contact_id',
        'r.kind',
        'r.status',
        'r.stage',
        'r.version',
        'r.received_on',
        'r.event_on',
        'r.channel',
        'r.is_via_complaints_team',
        'r.team_id',
        'team.name as team_name',
        'r.summary',
        'r.complainant_role',
        'r.responder_user_id',
        'responder.name as responder_name',
        'r.acknowledged_on',
        'r.responded_on',
        'r.finding',
        'r.withdrawn_on',
        'r.closed_on',
        'r.agency',
        'r.forwarded_on',
        'r.compliment_source',
        'r.worker_name',
        'r.has_consent_to_quote',
        'r.informal_reason',
        'r.reply',
        'r.has_parental_responsibility',
        'r.is_made_for_child',
        'r.has_proceedings',
        'r.created_at',
        'r.status_before_closure',
        'r.disposed_at',
        'yp.external_id as yp_external_id',
        'yp.date_of_birth as yp_date_of_birth',
        'yp.ethnicity as yp_ethnicity',
        'complainant.name as c_name',
        'complainant.email as c_email',
        'complainant.phone as c_phone',
        'complainant.address as c_address',
        'complainant.preferred_contact as c_preferred_contact',
        'complainant.reasonable_adjustments as c_reasonable_adjustments',
        'complainant.organisation as c_organisation',
        'advocate.name as a_name',
        'advocate.email as a_email',
        'advocate.phone as a_phone',
        'advocate.address as a_address',
        'advocate.preferred_contact as a_preferred_contact',
        'advocate.reasonable_adjustments as a_reasonable_adjustments',
        'advocate.organisation as a_organisation',
      ])
      .where('r.reference', '=', reference)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const person = (name: string | null, p: Omit<PersonRow, 'name'>): PersonRow | undefined => (name === null ? undefined : { name, ...p });
    return {
      id: row.id,
      reference: row.reference,
      contactId: row.contact_id,
      kind: row.kind,
      status: row.status,
      stage: row.stage,
      version: row.version,
      receivedOn: row.received_on,
      eventOn: row.event_on,
      channel: row.channel,
      isViaComplaintsTeam: row.is_via_complaints_team === 1,
      teamId: row.team_id,
      teamName: row.team_name,
      summary: row.summary,
      complainantRole: row.complainant_role,
      responderUserId: row.responder_user_id,
      responderName: row.responder_name,
      acknowledgedOn: row.acknowledged_on,
      respondedOn: row.responded_on,
      finding: row.finding,
      withdrawnOn: row.withdrawn_on,
      closedOn: row.closed_on,
      agency: row.agency,
      forwardedOn: row.forwarded_on,
      complimentSource: row.compliment_source,
      workerName: row.worker_name,
      hasConsentToQuote: row.has_consent_to_quote === 1,
      informalReason: row.informal_reason,
      reply: row.reply,
      hasParentalResponsibility: flag(row.has_parental_responsibility),
      isMadeForChild: flag(row.is_made_for_child),
      hasProceedings: flag(row.has_proceedings),
      createdAt: row.created_at,
      statusBeforeClosure: row.status_before_closure,
      disposedAt: row.disposed_at,
      youngPerson: row.yp_external_id === null ? undefined : { externalId: row.yp_external_id, dateOfBirth: row.yp_date_of_birth, ethnicity: row.yp_ethnicity },
      complainant: person(row.c_name, {
        email: row.c_email,
        phone: row.c_phone,
        address: row.c_address,
        preferredContact: row.c_preferred_contact,
        reasonableAdjustments: row.c_reasonable_adjustments,
        organisation: row.c_organisation,
      }),
      advocate: person(row.a_name, {
        email: row.a_email,
        phone: row.a_phone,
        address: row.a_address,
        preferredContact: row.a_preferred_contact,
        reasonableAdjustments: row.a_reasonable_adjustments,
        organisation: row.a_organisation,
      }),
    };
  }

  /** Every representation registered from the contact, this one included, in the order registered. */
  async fromContact(contactId: number): Promise<LinkedRow[]> {
    const rows = await this.db
      .selectFrom('representation as r')
      .leftJoin('team', 'team.id', 'r.team_id')
      .select(['r.id', 'r.reference', 'r.team_id', 'team.name as team_name', 'r.responder_user_id'])
      .where('r.contact_id', '=', contactId)
      .orderBy('r.id')
      .execute();
    return rows.map((r) => ({ id: r.id, reference: r.reference, teamId: r.team_id, teamName: r.team_name, responderUserId: r.responder_user_id }));
  }

  async codes(representationId: number): Promise<{ list: CodeList; code: string }[]> {
    return this.db
      .selectFrom('representation_code')
      .select(['list', 'code'])
      .where('representation_id', '=', representationId)
      .orderBy('list')
      .orderBy('code')
      .execute();
  }

  async clocks(representationId: number): Promise<CaseDetailClockRow[]> {
    const rows = await this.db
      .selectFrom('clock')
      .select(['id', 'procedure_kind', 'clock_key', 'started_on', 'events', 'due_on', 'is_open', 'version'])
      .where('subject_type', '=', REPRESENTATION_SUBJECT)
      .where('subject_id', '=', representationId)
      .orderBy('started_on')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, procedureKind: r.procedure_kind, clockKey: r.clock_key, startedOn: r.started_on, events: r.events, dueOn: r.due_on, isOpen: r.is_open === 1, version: r.version }));
  }

  async eligibilityDecisions(representationId: number): Promise<EligibilityRow[]> {
    const rows = await this.db
      .selectFrom('eligibility_decision as d')
      .leftJoin('app_user as u', 'u.id', 'd.decided_by')
      .select(['d.kind', 'd.outcome', 'd.reason', 'd.child_views', 'd.notified_on', 'd.parts_declined', 'd.decided_on', 'u.name as decided_by'])
      .where('d.representation_id', '=', representationId)
      .orderBy('d.id')
      .execute();
    return rows.map((r) => ({
      decision: r.kind,
      outcome: r.outcome,
      reason: r.reason,
      childViews: r.child_views,
      notifiedOn: r.notified_on,
      partsDeclined: r.parts_declined,
      decidedOn: r.decided_on,
      decidedBy: r.decided_by,
    }));
  }

  async advocacyOffers(representationId: number): Promise<AdvocacyRow[]> {
    const rows = await this.db
      .selectFrom('advocacy_offer as a')
      .leftJoin('app_user as u', 'u.id', 'a.recorded_by')
      .select(['a.stage', 'a.offered_on', 'a.outcome', 'a.provider', 'u.name as recorded_by'])
      .where('a.representation_id', '=', representationId)
      .orderBy('a.id')
      .execute();
    return rows.map((r) => ({ stage: r.stage, offeredOn: r.offered_on, outcome: r.outcome, provider: r.provider, recordedBy: r.recorded_by }));
  }

  async notes(representationId: number): Promise<NoteRow[]> {
    const rows = await this.db
      .selectFrom('case_note as n')
      .leftJoin('app_user as u', 'u.id', 'n.user_id')
      .select(['n.body', 'u.name as author', 'n.created_at'])
      .where('n.representation_id', '=', representationId)
      .orderBy('n.id', 'desc')
      .execute();
    return rows.map((r) => ({ body: r.body, author: r.author, createdAt: r.created_at }));
  }

  /** The case's timeline, newest first, with the name of whoever made each change. */
  async history(representationId: number): Promise<HistoryRow[]> {
    const rows = await this.db
      .selectFrom('history_entry as h')
      .leftJoin('app_user as u', 'u.id', 'h.user_id')
      .select(['h.id', 'h.occurred_at', 'u.name as user_name', 'h.action', 'h.summary', 'h.before', 'h.after'])
      .where('h.subject_type', '=', REPRESENTATION_SUBJECT)
      .where('h.subject_id', '=', representationId)
      .orderBy('h.occurred_at', 'desc')
      .orderBy('h.id', 'desc')
      .execute();
    return rows.map((r) => ({ id: r.id, occurredAt: r.occurred_at, userName: r.user_name, action: r.action, summary: r.summary, before: r.before, after: r.after }));
  }
}
