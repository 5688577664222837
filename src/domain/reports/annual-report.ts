/**
 * The annual report's figures: the `redress.annual-report/1` JSON contract as
 * types, the reporting year, and the timescale bands. Pure: the queries that fill these are in
 * src/reports/annual/, the consistency checks in `annual-report-checks.ts`.
 */
import { DomainError } from '../errors.ts';
import { isIsoDate, type IsoDate } from '../calendar/iso-date.ts';
import type { ComplainantRole } from '../taxonomies/complainant-roles.ts';
import type { Channel } from '../taxonomies/channels.ts';
import type { Ethnicity } from '../taxonomies/ethnicities.ts';
import type { Finding } from '../taxonomies/findings.ts';
import type { Remedy } from '../taxonomies/remedies.ts';
import type { DelayReason } from '../taxonomies/delay-reasons.ts';
import type { ComplimentSource } from '../taxonomies/compliment-sources.ts';
import type { OmbudsmanDecision } from '../taxonomies/ombudsman-decisions.ts';

export const ANNUAL_REPORT_SCHEMA = 'redress.annual-report/1';

/** Working days taken (the counting rule), in the report's bands. */
export const TIMESCALE_BANDS = ['0-10', '11-20', '21-25', '26-30', '31+'] as const;
export type TimescaleBand = (typeof TIMESCALE_BANDS)[number];

export const TIMESCALE_BAND_LABELS: Readonly<Record<TimescaleBand, string>> = {
  '0-10': 'Within 10 working days',
  '11-20': '11 to 20 working days',
  '21-25': '21 to 25 working days',
  '26-30': '26 to 30 working days',
  '31+': '31 working days or more',
};

/** The band of a response that took `workingDays` working days (a whole number, 0 or more). */
export function timescaleBand(workingDays: number): TimescaleBand {
  if (!Number.isInteger(workingDays) || workingDays < 0) {
    throw new DomainError('invalid_working_days', `working days taken must be a whole number, 0 or more (got ${workingDays})`);
  }
  if (workingDays <= 10) return '0-10';
  if (workingDays <= 20) return '11-20';
  if (workingDays <= 25) return '21-25';
  if (workingDays <= 30) return '26-30';
  return '31+';
}

export interface ReportPeriod {
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** "2011/12". */
  readonly label: string;
  readonly as_at: IsoDate;
}

/** The earliest and latest reporting years accepted (the working-day calendar covers 2000–2040). */
export const FIRST_REPORT_YEAR = 2000;
export const LAST_REPORT_YEAR = 2039;

/** "2011/12" for the year starting 1 April 2011. */
export function reportYearLabel(year: number): string {
  return `${String(year)}/${String((year + 1) % 100).padStart(2, '0')}`;
}

/** The reporting year starting 1 April `year` (to 31 March `year + 1`), drawn up on `asAt`. */
export function reportPeriod(year: number, asAt: IsoDate): ReportPeriod {
  if (!Number.isInteger(year) || year < FIRST_REPORT_YEAR || year > LAST_REPORT_YEAR) {
    throw new DomainError('invalid_report_year', `The year must be a whole year from ${FIRST_REPORT_YEAR} to ${LAST_REPORT_YEAR}, for example 2011 for 2011/12`, 'year');
  }
  if (!isIsoDate(asAt)) throw new DomainError('invalid_as_at', 'The "as at" date must be a real date, YYYY-MM-DD', 'as_at');
  return { from: `${String(year)}-04-01`, to: `${String(year + 1)}-03-31`, label: reportYearLabel(year), as_at: asAt };
}

/** The reporting year (1 April – 31 March) a date falls in: 2012-03-31 is in 2011, 2012-04-01 in 2012. */
export function reportYearOf(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5) >= '04-01' ? year : year - 1;
}

/** Counts by code: every code of a fixed list is a key. */
export type CodeCounts<Code extends string> = Record<Code, number>;

export interface HistoryYear {
  readonly label: string;
  readonly children_statutory: number;
  readonly informal: number;
  readonly corporate: number;
  readonly compliments: number;
}

/** The `redress.annual-report/1` figures. Key order is the contract's. */
export interface AnnualReportFigures {
  schema: typeof ANNUAL_REPORT_SCHEMA;
  period: ReportPeriod;
  children_statutory: {
    received: number;
    young_people: number;
    by_complainant_role: CodeCounts<ComplainantRole>;
    by_team: Record<string, number>;
    by_channel: CodeCounts<Channel>;
    via_complaints_team: number;
    issues: Record<string, number>;
    by_ethnicity: CodeCounts<Ethnicity>;
    advocacy: { offered: number; accepted: number };
    stage1: {
      responded: number;
      withdrawn: number;
      /** Taken to Stage 2 with no Stage 1 response: past the Stage 1 deadline, or by agreement. */
      escalated_without_response: number;
      open: number;
      extended: number;
      findings: CodeCounts<Finding>;
      remedies: CodeCounts<Remedy>;
      timescales: CodeCounts<TimescaleBand>;
      delay_reasons: CodeCounts<DelayReason>;
    };
    stage2: { requested: number; responded: number; cost_gbp: number };
    stage3: { requested: number; panels_held: number };
  };
  corporate: { received: number };
  informal: { received: number; by_team: Record<string, number> };
  other_agency: { received: number };
  comments: { received: number };
  compliments: { received: number; by_team: Record<string, number>; by_source: CodeCounts<ComplimentSource> };
  ombudsman: { enquiries: number; decisions: CodeCounts<OmbudsmanDecision> };
  adverse_contacts: number;
  history: HistoryYear[];
}

/** `{ code: 0 }` for every code of a list. */
export function zeroCounts<Code extends string>(codes: readonly Code[]): CodeCounts<Code> {
  return Object.fromEntries(codes.map((code) => [code, 0])) as CodeCounts<Code>;
}

/** The sum of a count map's values. */
export function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
