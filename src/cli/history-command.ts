import type { Command } from 'commander';
import { CLI_ACTOR } from '../app/clock.ts';
import { FIRST_HISTORY_YEAR, HISTORY_FIGURES, parseHistoryFigures, type HistoryFigure } from '../domain/interchange/history-totals.ts';
import { LAST_REPORT_YEAR, reportYearLabel } from '../domain/reports/annual-report.ts';
import { CliError, refusalsAsCliErrors } from './cli-io.ts';
import { print, withContainer } from './context.ts';
import { InputProblems } from '../domain/errors.ts';

/** A four-digit reporting year (the year it starts). */
export function parseYear(raw: string, option: string, first = FIRST_HISTORY_YEAR): number {
  const year = /^\d{4}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(year) || year < first || year > LAST_REPORT_YEAR) {
    throw new CliError(`${option} must be the year it starts, ${String(first)} to ${String(LAST_REPORT_YEAR)}: for example ${option} 2011 for 1 April 2011 to 31 March 2012 (got "${raw}")`);
  }
  return year;
}

type SetOptions = { year: string } & Partial<Record<HistoryFigure, string>>;

const OPTIONS: Readonly<Record<HistoryFigure, [string, string]>> = {
  childrenStatutory: ['--children-statutory <n>', 'complaints under the Children Act 1989 procedure received'],
  informal: ['--informal <n>', 'informal complaints received'],
  corporate: ['--corporate <n>', 'corporate complaints received'],
  compliments: ['--compliments <n>', 'compliments received'],
  newReferrals: ['--new-referrals <n>', 'new referrals in the year (context figure)'],
  casesWorked: ['--cases-worked <n>', 'cases worked in the year (context figure)'],
};

const shown = (value: number | null): string => (value === null ? '-' : String(value));

export function registerHistoryCommands(program: Command): void {
  const history = program.command('history').description('yearly totals entered by hand for years before Redress (the annual report’s history), and context figures');

  const set = history
    .command('set')
    .description('set a year’s totals; figures not given are kept, an empty one ("") is cleared')
    .requiredOption('--year <year>', 'the year it starts: 2009 for 2009/10');
  for (const figure of HISTORY_FIGURES) set.option(OPTIONS[figure][0], OPTIONS[figure][1]);
  set.action((options: SetOptions) => {
    const year = parseYear(options.year, '--year');
    let figures;
    try {
      figures = parseHistoryFigures(options);
    } catch (error) {
      if (error instanceof InputProblems) throw new CliError(error.problems.map((p) => `--${(p.field ?? '').replaceAll('_', '-')}: ${p.message}`).join('; '));
      throw error;
    }
    if (Object.keys(figures).length === 0) throw new CliError('give at least one figure, for example --children-statutory 104');
    return withContainer(async (c) => {
      const saved = await refusalsAsCliErrors(() => c.historyTotals.set(year, figures, CLI_ACTOR));
      print(`Saved ${reportYearLabel(saved.year)}: ${HISTORY_FIGURES.map((f) => `${f} ${shown(saved[f])}`).join(', ')}`);
    });
  });

  history
    .command('list')
    .description('list the years with totals entered by hand (tab-separated, - where not entered)')
    .action(() =>
      withContainer(async (c) => {
        const rows = await c.historyTotals.list();
        if (rows.length === 0) {
          print('No totals entered.');
          return;
        }
        print(['year', 'children_statutory', 'informal', 'corporate', 'compliments', 'new_referrals', 'cases_worked'].join('\t'));
        for (const row of rows) print([reportYearLabel(row.year), ...HISTORY_FIGURES.map((f) => shown(row[f]))].join('\t'));
      }),
    );
}
