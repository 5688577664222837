/**
 * Yearly totals entered by hand: for a reporting year before Redress, how many
 * children's statutory complaints, informal complaints, corporate complaints and compliments
 * were received — the annual report's `history` (complaints over the last four years) takes
 * each figure entered in place of the records' count, since a year before Redress may hold a
 * few records (a Stage 2 carried over) but not the whole year — and, for any year, the context figures no record
 * holds: new referrals to children's social care and cases worked in the year. A figure not
 * entered is null. Pure: checks what an administrator typed.
 */
import { DomainError, InputProblems } from '../errors.ts';
import { LAST_REPORT_YEAR, reportYearLabel, type HistoryYear } from '../reports/annual-report.ts';

/** The earliest year totals may be entered for (the annual report looks back four years from 2000). */
export const FIRST_HISTORY_YEAR = 1990;
/** The largest figure accepted (a sanity limit, far above any council's). */
export const MAX_HISTORY_FIGURE = 10_000_000;

export const HISTORY_FIGURES = ['childrenStatutory', 'informal', 'corporate', 'compliments', 'newReferrals', 'casesWorked'] as const;
export type HistoryFigure = (typeof HISTORY_FIGURES)[number];

export const HISTORY_FIGURE_LABELS: Readonly<Record<HistoryFigure, string>> = {
  childrenStatutory: 'Complaints under the Children Act 1989 procedure',
  informal: 'Informal complaints',
  corporate: 'Corporate complaints',
  compliments: 'Compliments',
  newReferrals: 'New referrals',
  casesWorked: 'Cases worked in the year',
};

/** The field name each figure has in forms and on the command line (`children_statutory`, `--children-statutory`). */
export const HISTORY_FIGURE_FIELDS: Readonly<Record<HistoryFigure, string>> = {
  childrenStatutory: 'children_statutory',
  informal: 'informal',
  corporate: 'corporate',
  compliments: 'compliments',
  newReferrals: 'new_referrals',
  casesWorked: 'cases_worked',
};

export type HistoryFigures = Readonly<Record<HistoryFigure, number | null>>;

export interface HistoryTotals extends HistoryFigures {
  /** The year the reporting year starts: 2009 for 2009/10. */
  readonly year: number;
  readonly version: number;
}

/** The year, checked: DomainError `invalid_history_year`. */
export function checkHistoryYear(year: number): number {
  if (!Number.isInteger(year) || year < FIRST_HISTORY_YEAR || year > LAST_REPORT_YEAR) {
    throw new DomainError('invalid_history_year', `The year must be a whole year from ${String(FIRST_HISTORY_YEAR)} to ${String(LAST_REPORT_YEAR)}, for example 2009 for 2009/10`, 'year');
  }
  return year;
}

/**
 * Reads typed figures ('' or undefined: not entered). Throws InputProblems naming each bad
 * field (`invalid_history_figure`).
 */
export function parseHistoryFigures(input: Readonly<Partial<Record<HistoryFigure, string | undefined>>>): Partial<Record<HistoryFigure, number | null>> {
  const figures: Partial<Record<HistoryFigure, number | null>> = {};
  const problems: DomainError[] = [];
  for (const figure of HISTORY_FIGURES) {
    const raw = input[figure];
    if (raw === undefined) continue;
    const text = raw.trim().replaceAll(',', '');
    if (text === '') {
      figures[figure] = null;
      continue;
    }
    const value = /^\d{1,8}$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isInteger(value) || value > MAX_HISTORY_FIGURE) {
      problems.push(new DomainError('invalid_history_figure', `${HISTORY_FIGURE_LABELS[figure]} must be a whole number, 0 or more`, HISTORY_FIGURE_FIELDS[figure]));
      continue;
    }
    figures[figure] = value;
  }
  if (problems.length > 0) throw new InputProblems(problems);
  return figures;
}

/** Whether any of the four counts of the report's `history` was entered. */
export function hasHistoryCounts(totals: HistoryFigures): boolean {
  return totals.childrenStatutory !== null || totals.informal !== null || totals.corporate !== null || totals.compliments !== null;
}

/**
 * The year as the annual report's `history` has it: each figure entered by hand, or else the
 * records' count (0 when the year has no records).
 */
export function asHistoryYear(totals: HistoryTotals, fromRecords?: HistoryYear): HistoryYear {
  return {
    label: reportYearLabel(totals.year),
    children_statutory: totals.childrenStatutory ?? fromRecords?.children_statutory ?? 0,
    informal: totals.informal ?? fromRecords?.informal ?? 0,
    corporate: totals.corporate ?? fromRecords?.corporate ?? 0,
    compliments: totals.compliments ?? fromRecords?.compliments ?? 0,
  };
}
