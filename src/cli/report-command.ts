import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { CLI_ACTOR } from '../app/clock.ts';
import { isIsoDate } from '../domain/calendar/iso-date.ts';
import { FIRST_REPORT_YEAR, LAST_REPORT_YEAR } from '../domain/reports/annual-report.ts';
import { annualReportDocumentHtml } from '../reports/annual/annual-html-renderer.ts';
import { chartsBySection } from '../reports/annual/annual-charts.ts';
import { annualReportDocx } from '../reports/annual/annual-docx-renderer.ts';
import { annualReportXlsx } from '../reports/annual/annual-xlsx-renderer.ts';
import { chartFont } from '../reports/chart-png.ts';
import type { AnnualReport } from '../app/annual-report-service.ts';
import { CliError, refusalsAsCliErrors } from './cli-io.ts';
import { withContainer } from './context.ts';

interface AnnualOptions {
  year: string;
  asAt?: string;
  format: ReportFormat;
  out?: string;
  public?: boolean;
}

const FORMATS = ['json', 'html', 'docx', 'xlsx'] as const;
type ReportFormat = (typeof FORMATS)[number];
/** Formats that are not text: never written to a terminal. */
const BINARY_FORMATS: readonly ReportFormat[] = ['docx', 'xlsx'];

/** The report in a format, as bytes or text. */
async function rendered(report: AnnualReport, format: ReportFormat, councilName: string): Promise<string | Buffer> {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report.figures, null, 2)}\n`;
    case 'html':
      return annualReportDocumentHtml(report, councilName, { charts: await chartsBySection(report) });
    case 'docx':
      if (chartFont() === undefined) process.stderr.write('No font was found to draw the charts with (install fonts-dejavu-core): the DOCX has the tables without the charts.\n');
      return annualReportDocx(report, councilName);
    case 'xlsx':
      return annualReportXlsx(report, councilName);
  }
}

/** The year argument: four digits within the years the calendar covers. */
function parseYear(raw: string): number {
  const year = /^\d{4}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(year) || year < FIRST_REPORT_YEAR || year > LAST_REPORT_YEAR) {
    throw new CliError(`--year must be the year the report starts, ${String(FIRST_REPORT_YEAR)} to ${String(LAST_REPORT_YEAR)}: for example --year 2011 for 1 April 2011 to 31 March 2012 (got "${raw}")`);
  }
  return year;
}

export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('reports written from the records');

  report
    .command('annual')
    .description('the statutory annual report for a year (1 April to 31 March); exits 1 when its consistency checks fail')
    .requiredOption('--year <year>', 'the year the report starts: 2011 for 1 April 2011 to 31 March 2012')
    .option('--as-at <date>', 'the date the report is drawn up, YYYY-MM-DD (default: today)')
    .addOption(new Option('--format <format>', 'json (the redress.annual-report/1 figures), html (printable, with charts), docx (Word, editable) or xlsx (a sheet a table)').choices([...FORMATS]).default('json'))
    .option('--out <file>', 'write the report to this file (default: standard output)')
    .option('--public', 'public version: children’s homes by their alias; in HTML, DOCX and XLSX, numbers from 1 to 4 shown as <5')
    .action((options: AnnualOptions) => {
      const year = parseYear(options.year);
      if (options.asAt !== undefined && !isIsoDate(options.asAt)) throw new CliError(`--as-at must be a real date, YYYY-MM-DD (got "${options.asAt}")`);
      if (BINARY_FORMATS.includes(options.format) && options.out === undefined && process.stdout.isTTY) {
        throw new CliError(`--format ${options.format} writes a binary file: give --out FILE (or redirect standard output to a file)`);
      }
      return withContainer(async (c) => {
        const service = c.annualReports;
        const isPublic = options.public === true;
        const result = await refusalsAsCliErrors(() => service.report(year, { asAt: options.asAt, isPublic }));
        const output = await rendered(result, options.format, c.config.councilName);
        if (options.out === undefined) process.stdout.write(output);
        else {
          try {
            await writeFile(options.out, output);
          } catch {
            throw new CliError(`cannot write ${options.out}`, 1);
          }
          process.stderr.write(`Wrote the ${result.figures.period.label} annual report (${options.format}) to ${options.out}\n`);
        }
        await service.recordView(CLI_ACTOR, year, options.format, isPublic);
        if (result.isEmpty) process.stderr.write(`No representations were received in ${result.figures.period.label} (as at ${result.figures.period.as_at}).\n`);
        const failing = result.checks.filter((check) => !check.holds);
        if (failing.length > 0) {
          for (const check of failing) {
            const records = check.references !== undefined && check.references.length > 0 ? `; records: ${check.references.join(', ')}` : '';
            process.stderr.write(`check failed: ${check.id}: ${check.rule} (${check.detail})${records}\n`);
          }
          for (const response of result.uncounted) {
            process.stderr.write(`working days not counted for ${String(response.complaints)} complaint(s) received ${response.receivedOn}, responded ${response.respondedOn}: ${response.reason}\n`);
          }
          throw new CliError(`${String(failing.length)} consistency check(s) failed: the records contradict each other`, 1);
        }
      });
    });
}
