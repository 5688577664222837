/**
 * The annual report's figures (`redress.annual-report/1`) computed in SQL:
 * every figure is a `count(*)` / `count(distinct …)` / conditional `sum` grouped in the
 * database, never rows loaded and counted here, so a year of 100,000 complaints costs a
 * dozen grouped queries. The same Kysely queries run on SQLite and PostgreSQL; pg returns
 * 64-bit counts and sums as strings (or numbers, with the INT8 parser in database.ts), so
 * every value goes through `count()`.
 *
 * Counting rules:
 * - a representation belongs to the year it was received (1 April – 31 March), and a report
 *   drawn up `as_at` a date inside the year counts only what had been received by then;
 * - Stage 1 "responded" = a response on or before `as_at`, "withdrawn" = withdrawn on or
 *   before `as_at`, "escalated without a response" = taken to Stage 2 by `as_at` with no
 *   Stage 1 response (past its deadline, or by agreement), "open" = none of these. Each is
 *   counted on its own, so a record that is both
 *   responded to and withdrawn makes the `stage1_outcomes_add_up` check fail rather than
 *   disappearing;
 * - findings, remedies and delay reasons are those of the complaints responded to by `as_at`;
 *   issues those of every complaint received (mentions: a complaint can have several);
 * - timescale bands cover the responses by `as_at`, withdrawn complaints excluded.
 */
import { sql, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { addDays, type IsoDate } from '../../domain/calendar/iso-date.ts';
import { engineOf } from '../../db/full-text-search.ts';
import type { Engine } from '../../db/database.ts';
import type { WorkingDayCalendar } from '../../domain/calendar/working-day-calendar.ts';
import { workingDaysTaken } from '../../domain/calendar/counting-rule.ts';
import {
  ANNUAL_REPORT_SCHEMA,
  TIMESCALE_BANDS,
  reportPeriod,
  reportYearLabel,
  timescaleBand,
  zeroCounts,
  type AnnualReportFigures,
  type HistoryYear,
} from '../../domain/reports/annual-report.ts';
import { COMPLAINANT_ROLES } from '../../domain/taxonomies/complainant-roles.ts';
import { CHANNELS } from '../../domain/taxonomies/channels.ts';
import { ETHNICITIES } from '../../domain/taxonomies/ethnicities.ts';
import { FINDINGS } from '../../domain/taxonomies/findings.ts';
import { REMEDIES } from '../../domain/taxonomies/remedies.ts';
import { DELAY_REASONS } from '../../domain/taxonomies/delay-reasons.ts';
import { COMPLIMENT_SOURCES } from '../../domain/taxonomies/compliment-sources.ts';
import { OMBUDSMAN_DECISIONS } from '../../domain/taxonomies/ombudsman-decisions.ts';
import { SEEDED_ISSUE_CODES } from '../../domain/taxonomies/issues.ts';
import { REPRESENTATION_KINDS, type RepresentationKind } from '../../domain/taxonomies/representation-kinds.ts';
import type { TeamKind } from '../../domain/organisation/team.ts';
import { asHistoryYear, type HistoryTotals } from '../../domain/interchange/history-totals.ts';
import { penceToPounds } from '../../domain/money.ts';

/** How a residential home with no alias is named in public output (it is never named). */
export const UNNAMED_HOME = 'Children’s home (no alias recorded)';

export interface FiguresOptions {
  /** Public output: residential homes appear by their public alias, never their name. */
  readonly isPublic?: boolean;
  /** Totals entered by hand for earlier years: each figure entered replaces the records' count in `history`. */
  readonly manualHistory?: readonly HistoryTotals[];
}

/** A response whose working days could not be counted (a date outside the calendar, a response before receipt). */
export interface UncountedResponse {
  readonly receivedOn: IsoDate;
  readonly respondedOn: IsoDate;
  readonly complaints: number;
  readonly reason: string;
}

export interface FiguresResult {
  readonly figures: AnnualReportFigures;
  readonly uncounted: readonly UncountedResponse[];
}

/**
 * The later-stage row `s` is of a Children Act complaint: a look-up of its complaint, so that
 * the plan starts from the later stage's rows in the period (a few) and not from the
 * complaints (every one, when the later-stage table has no statistics yet).
 */
export function ofChildrenAct(eb: ExpressionBuilder<Database & { s: { representation_id: number } }, 's'>) {
  return eb.selectFrom('representation as r').select(sql.lit(1).as('one')).whereRef('r.id', '=', 's.representation_id').where('r.kind', '=', 'children_statutory');
}

/** A count from either engine: number, numeric string (pg bigint), bigint or null (sum of nothing). */
export function count(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new Error(`not a count: ${typeof value === 'string' ? value : typeof value}`);
  return n;
}

/** Days of the year read at a time by `bySlices` on SQLite. */
const SLICE_DAYS = 31;

/**
 * A count grouped by its other columns, over the records received from `from` to `to`. On
 * SQLite it is read a month at a time and added up by group: its driver holds the event loop
 * while a statement runs, and a year of a large council's complaints takes a fifth of a
 * second at once (the report lets other requests in between statements). Only for counts
 * where a record adds to one group: the same record is never in two months.
 */
async function bySlices<Row extends { n: unknown }>(engine: Engine, from: IsoDate, to: IsoDate, run: (from: IsoDate, to: IsoDate) => Promise<Row[]>): Promise<Row[]> {
  if (engine !== 'sqlite') return run(from, to);
  const groups = new Map<string, Row>();
  for (let start = from; start <= to; start = addDays(start, SLICE_DAYS)) {
    const end = addDays(start, SLICE_DAYS - 1);
    for (const row of await run(start, end < to ? end : to)) {
      const { n, ...group } = row;
      const key = JSON.stringify(group);
      groups.set(key, { ...row, n: count(groups.get(key)?.n) + count(n) });
    }
  }
  return [...groups.values()];
}

/** Adds grouped counts into a map with every code of a fixed list (other codes are left out, and the checks show it). */
function intoCodes<Code extends string>(codes: readonly Code[], rows: readonly { code: string | null; n: unknown }[]): Record<Code, number> {
  const counts = zeroCounts(codes);
  for (const row of rows) {
    if (row.code !== null && (codes as readonly string[]).includes(row.code)) counts[row.code as Code] += count(row.n);
  }
  return counts;
}

interface TeamGroup {
  readonly name: string | null;
  readonly kind: TeamKind | null;
  readonly alias: string | null;
  readonly n: unknown;
}

/** Team groups by display name (teams with at least one), sorted by name; homes by alias in public output. */
function byTeam(rows: readonly TeamGroup[], isPublic: boolean): Record<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (row.name === null) continue; // no team recorded: the check "… by team" shows it
    const name = isPublic && row.kind === 'residential_home' ? (row.alias ?? UNNAMED_HOME) : row.name;
    counts.set(name, (counts.get(name) ?? 0) + count(row.n));
  }
  return Object.fromEntries([...counts.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b, 'en-GB')));
}

export class AnnualFiguresQuery {
  constructor(private readonly db: Kysely<Database>) {}

  async figures(year: number, asAt: IsoDate, calendar: WorkingDayCalendar, options: FiguresOptions = {}): Promise<FiguresResult> {
    const period = reportPeriod(year, asAt);
    const isPublic = options.isPublic === true;
    // Only what had been received by the date the report is drawn up.
    const upTo = asAt < period.to ? asAt : period.to;
    const db = this.db;

    const inYear = (kind: RepresentationKind, from: IsoDate = period.from, to: IsoDate = upTo) =>
      db.selectFrom('representation as r').where('r.kind', '=', kind).where('r.received_on', '>=', from).where('r.received_on', '<=', to);
    const sliced = <Row extends { n: unknown }>(run: (from: IsoDate, to: IsoDate) => Promise<Row[]>) => bySlices(engineOf(db), period.from, upTo, run);
    const responded = sql<boolean>`r.responded_on <= ${asAt}`;
    const withdrawn = sql<boolean>`r.withdrawn_on <= ${asAt}`;

    // By the kinds there are: each kind's year is one range of `representation_annual_idx`.
    const kinds = await db
      .selectFrom('representation as r')
      .select((eb) => ['r.kind', eb.fn.countAll().as('n')])
      .where('r.kind', 'in', [...REPRESENTATION_KINDS])
      .where('r.received_on', '>=', period.from)
      .where('r.received_on', '<=', upTo)
      .groupBy('r.kind')
      .execute();
    const received = (kind: RepresentationKind): number => count(kinds.find((k) => k.kind === kind)?.n);

    // Each grouped query is one pass over the year's complaints (read from
    // `representation_annual_idx` alone), so the figures with few possible values share one:
    // outcomes (finding, responded, withdrawn, through the complaints team) and who complained
    // and how, at most 6 × 2 × 2 × 2 × 11 × 7 groups; their counts are added up by figure here.
    // Grouped by position: PostgreSQL does not see a parameterised expression as the same twice.
    const outcomes = await sliced((from, to) =>
      inYear('children_statutory', from, to)
        .select((eb) => [
          sql<string | null>`case when ${responded} then r.finding end`.as('finding'),
          sql<number>`case when ${responded} then 1 else 0 end`.as('is_responded'),
          sql<number>`case when ${withdrawn} then 1 else 0 end`.as('is_withdrawn'),
          'r.is_via_complaints_team as is_via',
          'r.complainant_role',
          'r.channel',
          eb.fn.countAll().as('n'),
        ])
        .groupBy([sql`1`, sql`2`, sql`3`, sql`4`, sql`5`, sql`6`])
        .execute(),
    );
    const sumOf = (keep: (row: (typeof outcomes)[number]) => boolean): number => outcomes.filter(keep).reduce((sum, row) => sum + count(row.n), 0);
    const isSet = (flag: unknown): boolean => count(flag) === 1;
    const roles = outcomes.map((row) => ({ code: row.complainant_role, n: row.n }));
    const channels = outcomes.map((row) => ({ code: row.channel, n: row.n }));
    const findings = outcomes.filter((row) => isSet(row.is_responded)).map((row) => ({ code: row.finding, n: row.n }));

    // Taken to Stage 2 by `as_at` with no Stage 1 response nor withdrawal: read from the Stage 2
    // side (one row a complaint: `stage2.representation_id` is unique), not looked up for each
    // complaint. "Open" is what is left of the complaints neither responded to nor withdrawn.
    const escalated = await db
      .selectFrom('stage2 as s')
      .innerJoin('representation as r', 'r.id', 's.representation_id')
      .where('r.kind', '=', 'children_statutory')
      .where('r.received_on', '>=', period.from)
      .where('r.received_on', '<=', upTo)
      .where('s.route', 'is not', null)
      .where('s.requested_on', '<=', asAt)
      .where((eb) => eb.or([eb('r.responded_on', 'is', null), eb('r.responded_on', '>', asAt)]))
      .where((eb) => eb.or([eb('r.withdrawn_on', 'is', null), eb('r.withdrawn_on', '>', asAt)]))
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();

    // `extended`: the Stage 1 clock's events hold at least one extension. The clock is the
    // record of truth (a reclassification can drop extensions the history still mentions);
    // the clocks with one are a partial index keyed like the clock's unique key
    // (`clock_extended_idx`), so the test is one look-up in it a complaint. The condition must
    // be spelt as the index's for the index to serve it.
    const extended = await inYear('children_statutory')
      .where(sql<SqlBool>`exists (select 1 from clock c where c.subject_id = r.id and c.subject_type = 'representation' and c.clock_key = 'stage1_response' and c.events like '%"extraWorkingDays"%')`)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();

    // Grouped by team id, then named: a look-up of a team a group, not a complaint.
    const teamGroups = (kind: RepresentationKind) =>
      db
        .selectFrom(
          inYear(kind)
            .select((eb) => ['r.team_id', eb.fn.countAll().as('n')])
            .groupBy('r.team_id')
            .as('g'),
        )
        .leftJoin('team as t', 't.id', 'g.team_id')
        .select(['t.name as name', 't.kind as kind', 't.public_alias as alias', 'g.n'])
        .execute();

    // Ethnicity is the young person's: distinct young people of the year's complaints. A young
    // person has one ethnicity (or none), so the groups' counts add up to the young people.
    const ethnicities = await db
      .selectFrom('young_person as yp')
      .where('yp.id', 'in', inYear('children_statutory').select('r.young_person_id'))
      .select((eb) => ['yp.ethnicity as code', eb.fn.countAll().as('n')])
      .groupBy('yp.ethnicity')
      .execute();

    // Mentions: issues of every complaint; remedies and delay reasons of those responded to.
    const codes = await sliced((from, to) =>
      inYear('children_statutory', from, to)
        .innerJoin('representation_code as rc', 'rc.representation_id', 'r.id')
        .where((eb) => eb.or([eb('rc.list', '=', 'issue'), responded]))
        .select((eb) => ['rc.list', 'rc.code', eb.fn.countAll().as('n')])
        .groupBy(['rc.list', 'rc.code'])
        .execute(),
    );

    const advocacy = await inYear('children_statutory')
      .innerJoin('advocacy_offer as ao', 'ao.representation_id', 'r.id')
      .where('ao.stage', '=', 1)
      .where('ao.offered_on', '<=', asAt)
      .select((eb) => [
        eb.fn.count('r.id').distinct().as('offered'),
        sql<number>`count(distinct case when ao.outcome = 'accepted' then r.id end)`.as('accepted'),
      ])
      .executeTakeFirst();

    // Timescales need the working days each response took, which only the calendar (data,
    // with the administrator's changes) can count. Rather than load every complaint, SQL
    // groups them by their (received, responded, receipt rule) triple and the distinct ones are banded
    // here, each weighted by its count: a year has at most 365 × (a few hundred) distinct
    // pairs, however many complaints, and in practice a few thousand.
    const pairs = await inYear('children_statutory')
      .where(responded)
      .where((eb) => eb.or([eb('r.withdrawn_on', 'is', null), eb('r.withdrawn_on', '>', asAt)]))
      .select((eb) => ['r.received_on', 'r.responded_on', 'r.receipt_rule', eb.fn.countAll().as('n')])
      .groupBy(['r.received_on', 'r.responded_on', 'r.receipt_rule'])
      .execute();
    const timescales = zeroCounts(TIMESCALE_BANDS);
    const uncounted: UncountedResponse[] = [];
    for (const pair of pairs) {
      if (pair.responded_on === null) continue;
      try {
        timescales[timescaleBand(workingDaysTaken(calendar, pair.received_on, pair.responded_on, pair.receipt_rule))] += count(pair.n);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        uncounted.push({ receivedOn: pair.received_on, respondedOn: pair.responded_on, complaints: count(pair.n), reason: error.message });
      }
    }

    const sources = await inYear('compliment').select((eb) => ['r.compliment_source as code', eb.fn.countAll().as('n')]).groupBy('r.compliment_source').execute();

    const mentions = (list: string) => codes.filter((c) => c.list === list).map((c) => ({ code: c.code, n: c.n }));
    const issueCounts = new Map(mentions('issue').map((c) => [c.code, count(c.n)]));
    const issueOrder = [...SEEDED_ISSUE_CODES, ...[...issueCounts.keys()].filter((c) => !(SEEDED_ISSUE_CODES as readonly string[]).includes(c)).sort()];
    const issues = Object.fromEntries(issueOrder.flatMap((code) => ((issueCounts.get(code) ?? 0) > 0 ? [[code, issueCounts.get(code) ?? 0]] : [])));

    const statutory = received('children_statutory');
    const corporate = received('corporate');
    const informal = received('informal');

    const figures: AnnualReportFigures = {
      schema: ANNUAL_REPORT_SCHEMA,
      period,
      children_statutory: {
        received: statutory,
        young_people: ethnicities.reduce((sum, row) => sum + count(row.n), 0),
        by_complainant_role: intoCodes(COMPLAINANT_ROLES, roles),
        by_team: byTeam(await teamGroups('children_statutory'), isPublic),
        by_channel: intoCodes(CHANNELS, channels),
        via_complaints_team: sumOf((row) => isSet(row.is_via)),
        issues,
        by_ethnicity: intoCodes(ETHNICITIES, ethnicities),
        advocacy: { offered: count(advocacy?.offered), accepted: count(advocacy?.accepted) },
        stage1: {
          responded: sumOf((row) => isSet(row.is_responded)),
          withdrawn: sumOf((row) => isSet(row.is_withdrawn)),
          escalated_without_response: count(escalated?.n),
          open: sumOf((row) => !isSet(row.is_responded) && !isSet(row.is_withdrawn)) - count(escalated?.n),
          extended: count(extended?.n),
          findings: intoCodes(FINDINGS, findings),
          remedies: intoCodes(REMEDIES, mentions('remedy')),
          timescales,
          delay_reasons: intoCodes(DELAY_REASONS, mentions('delay_reason')),
        },
        ...(await this.laterStages(period.from, upTo)),
      },
      corporate: { received: corporate },
      informal: { received: informal, by_team: byTeam(await teamGroups('informal'), isPublic) },
      other_agency: { received: received('other_agency') },
      comments: { received: received('comment') },
      compliments: { received: received('compliment'), by_team: byTeam(await teamGroups('compliment'), isPublic), by_source: intoCodes(COMPLIMENT_SOURCES, sources) },
      ombudsman: await this.ombudsman(period.from, upTo, asAt),
      adverse_contacts: statutory + corporate + informal,
      history: await this.history(year, options.manualHistory ?? []),
    };
    return { figures, uncounted };
  }

  /**
   * Stage 2 and Stage 3 of Children Act complaints, counted by the date of the event in the
   * year (by `upTo`), whenever the complaint was received: requests received
   * (a late request refused is still a request), adjudications made with the cost of those
   * investigations, panels held.
   */
  private async laterStages(from: IsoDate, upTo: IsoDate): Promise<Pick<AnnualReportFigures['children_statutory'], 'stage2' | 'stage3'>> {
    const within = (column: string) => sql<number | string | null>`sum(case when ${sql.ref(column)} >= ${from} and ${sql.ref(column)} <= ${upTo} then 1 else 0 end)`;
    // Only the rows with an event in the year, found through the events' date indexes.
    const inPeriod = (columns: readonly string[]) => sql<SqlBool>`(${sql.join(
      columns.map((column) => sql`(${sql.ref(column)} >= ${from} and ${sql.ref(column)} <= ${upTo})`),
      sql` or `,
    )})`;
    const stage2 = await this.db
      .selectFrom('stage2 as s')
      .where(inPeriod(['s.requested_on', 's.responded_on']))
      .where((eb) => eb.exists(ofChildrenAct(eb)))
      .select([
        within('s.requested_on').as('requested'),
        within('s.responded_on').as('responded'),
        sql<number | string | null>`sum(case when s.responded_on >= ${from} and s.responded_on <= ${upTo}
          then coalesce(s.cost_investigator_pence, 0) + coalesce(s.cost_independent_person_pence, 0) + coalesce(s.cost_other_pence, 0) else 0 end)`.as('cost_pence'),
      ])
      .executeTakeFirst();
    const stage3 = await this.db
      .selectFrom('stage3 as s')
      .where(inPeriod(['s.requested_on', 's.panel_met_on']))
      .where((eb) => eb.exists(ofChildrenAct(eb)))
      .select([within('s.requested_on').as('requested'), within('s.panel_met_on').as('panels_held')])
      .executeTakeFirst();
    return {
      stage2: { requested: count(stage2?.requested), responded: count(stage2?.responded), cost_gbp: penceToPounds(count(stage2?.cost_pence)) },
      stage3: { requested: count(stage3?.requested), panels_held: count(stage3?.panels_held) },
    };
  }

  /** Enquiries received in the year (by `upTo`), and the decisions on them made by `asAt`. */
  private async ombudsman(from: IsoDate, upTo: IsoDate, asAt: IsoDate): Promise<AnnualReportFigures['ombudsman']> {
    const rows = await this.db
      .selectFrom('ombudsman_enquiry as e')
      .select((eb) => ['e.decision as code', eb.fn.countAll().as('n'), sql<number | string | null>`sum(case when e.decided_on <= ${asAt} then 1 else 0 end)`.as('decided')])
      .where('e.received_on', '>=', from)
      .where('e.received_on', '<=', upTo)
      .groupBy('e.decision')
      .execute();
    return { enquiries: rows.reduce((sum, row) => sum + count(row.n), 0), decisions: intoCodes(OMBUDSMAN_DECISIONS, rows.map((row) => ({ code: row.code, n: row.decided }))) };
  }

  /**
   * Up to four earlier years, oldest first, counted by kind in one query (a year and a kind
   * are one range of `representation_annual_idx`, counted without a sort). A year is
   * included from the first year with any records (or hand-entered totals) on; each figure
   * entered by hand for a year (before the system, when its records are not the whole year)
   * replaces the records' count.
   */
  private async history(year: number, manual: readonly HistoryTotals[]): Promise<HistoryYear[]> {
    const first = year - 4;
    const ofYear = (offset: number) =>
      this.db
        .selectFrom('representation as r')
        .select((eb) => [sql<number>`${sql.lit(offset)}`.as('bucket'), 'r.kind', eb.fn.countAll().as('n')])
        .where('r.kind', 'in', ['children_statutory', 'informal', 'corporate', 'compliment'])
        .where('r.received_on', '>=', `${String(first + offset - 1)}-04-01`)
        .where('r.received_on', '<=', `${String(first + offset)}-03-31`)
        .groupBy('r.kind');
    const rows = await ofYear(1).unionAll(ofYear(2)).unionAll(ofYear(3)).unionAll(ofYear(4)).execute();
    const years: HistoryYear[] = [];
    for (let offset = 1; offset <= 4; offset++) {
      const y = first + offset - 1;
      const of = (kind: RepresentationKind) => count(rows.find((r) => count(r.bucket) === offset && r.kind === kind)?.n);
      const fromRecords: HistoryYear = { label: reportYearLabel(y), children_statutory: of('children_statutory'), informal: of('informal'), corporate: of('corporate'), compliments: of('compliment') };
      const hasRecords = rows.some((r) => count(r.bucket) === offset);
      const entered = manual.find((m) => m.year === y);
      if (entered !== undefined) years.push(asHistoryYear(entered, fromRecords));
      else if (hasRecords || years.length > 0) years.push(fromRecords); // a quiet year after the first one with records is a real 0
    }
    return years;
  }
}
