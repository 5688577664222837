/**
 * The statutory annual report, written from the records: the figures
 * (`redress.annual-report/1`, computed in SQL by src/reports/annual/), the report's own
 * consistency checks with the records that break them, the quotable compliments, and the
 * sections the JSON contract has no keys for (context, Stage 2/3 timeliness and cost, what
 * the Ombudsman asked for, learning actions, questionnaires). The renderers (JSON, HTML,
 * DOCX, XLSX) all take the `AnnualReport` this returns; JSON writes only `figures`.
 */
import { type ReceiptRule, RECEIPT_RULES } from '../domain/calendar/counting-rule.ts';
import { CouncilSettingsRepository } from '../db/council-settings-repository.ts';
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import type { IsoDate } from '../domain/calendar/iso-date.ts';
import { reportPeriod, type AnnualReportFigures } from '../domain/reports/annual-report.ts';
import { consistencyChecks, type CheckId, type ConsistencyCheck } from '../domain/reports/annual-report-checks.ts';
import { COMPLAINANT_ROLES } from '../domain/taxonomies/complainant-roles.ts';
import { CHANNELS } from '../domain/taxonomies/channels.ts';
import { FINDINGS } from '../domain/taxonomies/findings.ts';
import { COMPLIMENT_SOURCES, type ComplimentSource } from '../domain/taxonomies/compliment-sources.ts';
import { AnnualFiguresQuery, UNNAMED_HOME, type UncountedResponse } from '../reports/annual/annual-figures-query.ts';
import type { CalendarService } from './calendar-service.ts';
import { AnnualDetailsQuery, type AnnualDetails } from '../reports/annual/annual-details-query.ts';
import type { QuestionnaireSummary } from '../domain/questionnaires/questionnaire.ts';
import { HistoryTotalService, type ReportContext } from './history-total-service.ts';
import { LearningService, type LearningSummary } from './learning-service.ts';
import { QuestionnaireService } from './questionnaire-service.ts';
import type { Actor, Clock } from './clock.ts';
import { YieldBetweenQueries } from '../db/yield-between-queries.ts';

/** A compliment whose giver agreed to its being quoted: its words, team and source — never who gave it or the worker named. */
export interface ComplimentQuote {
  readonly team: string;
  readonly source: ComplimentSource | null;
  readonly text: string;
}

export interface AnnualReport {
  readonly figures: AnnualReportFigures;
  readonly checks: readonly ConsistencyCheck[];
  /** Responses whose working days could not be counted (they are missing from the bands; a check says so). */
  readonly uncounted: readonly UncountedResponse[];
  readonly quotes: readonly ComplimentQuote[];
  /** Display names (as in the figures) of the externally commissioned teams. */
  readonly commissionedTeams: readonly string[];
  readonly isPublic: boolean;
  /** No representation of any kind was received in the year (by `as_at`). */
  readonly isEmpty: boolean;
  /** The context figures entered by hand for the year (new referrals, cases worked). */
  readonly context: ReportContext;
  readonly details: AnnualDetails;
  /** Actions of the lessons identified in the year, by status as at `as_at`. */
  readonly learning: LearningSummary;
  /** Questionnaires sent in the year and their answers (counts only: no comments). */
  readonly questionnaires: QuestionnaireSummary;
  /** The counting rules: the receipt rule in force, the rules the year's complaints were counted under, the corporate pause policy. */
  readonly counting: CountingBasis;
}

export interface CountingBasis {
  readonly receiptRule: ReceiptRule;
  /** The receipt rules of the year's children's statutory complaints (each keeps the rule it was received under). */
  readonly receiptRulesCounted: readonly ReceiptRule[];
  /** The most working days a hold may pause a corporate clock; undefined when the council's policy allows no pause. */
  readonly corporateMaxPausedWorkingDays: number | undefined;
  /** Children's statutory complaints responded to by `as_at` that had been on hold at Stage 1 (a hold never moves their deadline). */
  readonly respondedAfterHold: number;
}

export interface AnnualReportOptions {
  /** The date the report is drawn up; today (by the clock) when not given. */
  readonly asAt?: IsoDate | undefined;
  /** Public version: homes by alias (and, in HTML, counts 1–4 as "<5"). */
  readonly isPublic?: boolean | undefined;
}

/** How many quotable compliments the report shows. */
const QUOTES = 6;
/** How many records a failing check names. */
const REFERENCES = 5;

export class AnnualReportService {
  private readonly db: Kysely<Database>;

  constructor(
    db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendars: CalendarService,
  ) {
    // The report is a few dozen queries: on SQLite, without a turn of the event loop between
    // them, the whole report (seconds at national scale) would hold every other request.
    this.db = db.withPlugin(new YieldBetweenQueries());
  }

  /** Today by the service's clock (the default `as_at`). */
  today(): IsoDate {
    return this.clock().toISOString().slice(0, 10);
  }

  /** The report for the year starting 1 April `year`. Refuses a bad year or date with DomainError (`invalid_report_year`, `invalid_as_at`). */
  async report(year: number, options: AnnualReportOptions = {}): Promise<AnnualReport> {
    const asAt = options.asAt ?? this.today();
    const isPublic = options.isPublic === true;
    reportPeriod(year, asAt); // refuses before any query
    const calendar = await this.calendars.calendar();
    const totals = new HistoryTotalService(this.db, this.clock);
    const { figures, uncounted } = await new AnnualFiguresQuery(this.db).figures(year, asAt, calendar, { isPublic, manualHistory: await totals.manualHistory(year) });
    const checks = await Promise.all(consistencyChecks(figures).map(async (check) => (check.holds ? check : { ...check, references: await this.offending(check.id, figures) })));
    const isEmpty = !(await this.receivedAny(figures));
    const { from, to } = figures.period;
    const upTo = asAt < to ? asAt : to;
    return {
      figures,
      checks,
      uncounted,
      quotes: await this.quotes(figures, isPublic),
      commissionedTeams: await this.commissioned(),
      isPublic,
      isEmpty,
      context: await totals.context(year),
      details: await new AnnualDetailsQuery(this.db).details(from, upTo, asAt),
      learning: await new LearningService(this.db, this.clock).summaryForYear(from, upTo, asAt),
      questionnaires: await new QuestionnaireService(this.db, this.clock).summaryForYear(from, upTo),
      counting: await this.countingBasis(from, upTo, asAt),
    };
  }

  private async countingBasis(from: IsoDate, upTo: IsoDate, asAt: IsoDate): Promise<CountingBasis> {
    const settings = await new CouncilSettingsRepository(this.db).load();
    const year = this.db
      .selectFrom('representation as r')
      .where('r.received_on', '>=', from)
      .where('r.received_on', '<=', upTo)
      .where('r.kind', '=', 'children_statutory');
    const rows = await year.select('r.receipt_rule').distinct().execute();
    // A hold is kept with the Stage 1 clock's events (`pauses`); one look-up a complaint in the
    // partial index of the clocks with a pause (`clock_paused_idx`, whose condition this spells
    // exactly: otherwise the index cannot serve it).
    const held = await year
      .where('r.responded_on', '<=', asAt)
      .where(sql<SqlBool>`exists (select 1 from clock c where c.subject_id = r.id and c.subject_type = 'representation' and c.clock_key = 'stage1_response' and c.events like '%"pauses":[{%')`)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst();
    return {
      receiptRule: settings.receiptRule,
      receiptRulesCounted: RECEIPT_RULES.filter((rule) => rows.some((row) => row.receipt_rule === rule)),
      respondedAfterHold: Number(held?.n ?? 0),
      corporateMaxPausedWorkingDays: settings.corporatePausesAllowed ? settings.corporateMaxPausedWorkingDays : undefined,
    };
  }

  /** Records that a report was viewed or downloaded (no personal data: the report has none). */
  async recordView(actor: Actor, year: number, format: string, isPublic: boolean): Promise<void> {
    await new AuditRepository(this.db).record(
      { ...actor, action: 'annual_report_viewed', entityType: 'annual_report', entityId: String(year), details: { format, public: isPublic } },
      this.clock().toISOString(),
    );
  }

  /** Whether anything at all (any kind, adult complaints included) was received in the period. */
  private async receivedAny(figures: AnnualReportFigures): Promise<boolean> {
    const upTo = figures.period.as_at < figures.period.to ? figures.period.as_at : figures.period.to;
    const row = await this.db.selectFrom('representation').select('id').where('received_on', '>=', figures.period.from).where('received_on', '<=', upTo).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  private async quotes(figures: AnnualReportFigures, isPublic: boolean): Promise<ComplimentQuote[]> {
    const { period } = figures;
    const upTo = period.as_at < period.to ? period.as_at : period.to;
    const rows = await this.db
      .selectFrom('representation as r')
      .leftJoin('team as t', 't.id', 'r.team_id')
      .select(['r.summary', 'r.compliment_source', 't.name', 't.kind', 't.public_alias'])
      .where('r.kind', '=', 'compliment')
      .where('r.has_consent_to_quote', '=', 1)
      // A disposed-of compliment's words are gone (docs/adr/0015-retention-and-disposal.md).
      .where('r.disposed_at', 'is', null)
      .where('r.received_on', '>=', period.from)
      .where('r.received_on', '<=', upTo)
      .orderBy('r.received_on')
      .orderBy('r.id')
      .limit(QUOTES)
      .execute();
    return rows.map((row) => ({
      team: row.name === null ? 'No team recorded' : isPublic && row.kind === 'residential_home' ? (row.public_alias ?? UNNAMED_HOME) : row.name,
      source: (COMPLIMENT_SOURCES as readonly string[]).includes(row.compliment_source ?? '') ? (row.compliment_source as ComplimentSource) : null,
      text: row.summary,
    }));
  }

  private async commissioned(): Promise<string[]> {
    const rows = await this.db.selectFrom('team').select('name').where('kind', '=', 'commissioned').execute();
    return rows.map((r) => r.name);
  }

  /** A few references of records that break a check, where a cheap query finds them. */
  private async offending(id: CheckId, figures: AnnualReportFigures): Promise<string[]> {
    const { period } = figures;
    const asAt = period.as_at;
    const upTo = asAt < period.to ? asAt : period.to;
    const base = (kind: string) => this.db.selectFrom('representation as r').select('r.reference').where('r.kind', '=', kind).where('r.received_on', '>=', period.from).where('r.received_on', '<=', upTo);
    const statutory = () => base('children_statutory');
    let query;
    switch (id) {
      case 'stage1_outcomes_add_up':
        query = statutory().where('r.responded_on', '<=', asAt).where('r.withdrawn_on', '<=', asAt);
        break;
      case 'findings_match_responses':
        query = statutory()
          .where('r.responded_on', '<=', asAt)
          .where((eb) => eb.or([eb('r.finding', 'is', null), eb('r.finding', 'not in', [...FINDINGS])]));
        break;
      case 'timescales_match_responses':
        query = statutory()
          .where('r.responded_on', '<=', asAt)
          .where((eb) => eb.or([eb('r.withdrawn_on', '<=', asAt), eb('r.responded_on', '<', eb.ref('r.received_on'))]));
        break;
      case 'complainant_roles_add_up':
        query = statutory().where((eb) => eb.or([eb('r.complainant_role', 'is', null), eb('r.complainant_role', 'not in', [...COMPLAINANT_ROLES])]));
        break;
      case 'channels_add_up':
        query = statutory().where((eb) => eb.or([eb('r.channel', 'is', null), eb('r.channel', 'not in', [...CHANNELS])]));
        break;
      case 'teams_add_up':
        query = statutory().where('r.team_id', 'is', null);
        break;
      case 'informal_teams_add_up':
        query = base('informal').where('r.team_id', 'is', null);
        break;
      case 'compliment_teams_add_up':
        query = base('compliment').where('r.team_id', 'is', null);
        break;
      case 'compliment_sources_add_up':
        query = base('compliment').where((eb) => eb.or([eb('r.compliment_source', 'is', null), eb('r.compliment_source', 'not in', [...COMPLIMENT_SOURCES])]));
        break;
      default:
        return [];
    }
    // The year's offending records first, then the first few by reference: PostgreSQL would
    // otherwise walk every reference in order, looking for a few offending ones of the year.
    const rows = await this.db
      .with((cte) => cte('offending').materialized(), () => query)
      .selectFrom('offending')
      .select('reference')
      .orderBy('reference')
      .limit(REFERENCES)
      .execute();
    return rows.map((r) => r.reference);
  }
}
