/**
 * The annual report as HTML: the report's body (sections, tables with their bases, the
 * consistency checks) for the staff page, and a standalone printable document (its own
 * small GOV.UK-like print stylesheet, no scripts, no external files) to download. Nunjucks
 * escapes every value: compliment quotes and team names are text, never markup.
 *
 * Options: the charts (inline SVG drawn by `chartsBySection`, placed before the table they
 * picture, which stays the real data) and, on the staff page only, links from figures to
 * the records behind them (`links[caption][row header][column]`); downloads have no links.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import type { AnnualReport } from '../../app/annual-report-service.ts';
import { presentAnnualReport, type AnnualReportView } from './annual-report-presenter.ts';
import type { chartsBySection } from './annual-charts.ts';

const templates = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates');
const environment = new nunjucks.Environment(new nunjucks.FileSystemLoader(templates), { autoescape: true, throwOnUndefined: false });

/** Links from table cells to the records they count: by table caption, then row header, then column index. */
export type FigureLinks = Readonly<Record<string, Readonly<Record<string, Readonly<Record<number, string>>>>>>;

export interface AnnualHtmlOptions {
  /** Inline SVG charts by section id (`chartsBySection`). */
  readonly charts?: Awaited<ReturnType<typeof chartsBySection>>;
  /** Staff page only: links from figures to the case list. */
  readonly links?: FigureLinks;
}

/** The report's body, to place inside a page. */
export function annualReportBodyHtml(report: AnnualReport | AnnualReportView, options: AnnualHtmlOptions = {}): string {
  const view = 'sections' in report ? report : presentAnnualReport(report);
  return environment.render('annual-report.njk', { report: view, charts: options.charts ?? {}, links: options.links ?? {} });
}

/** The whole report as one printable HTML document (never with links: it leaves the system). */
export function annualReportDocumentHtml(report: AnnualReport, councilName: string, options: Pick<AnnualHtmlOptions, 'charts'> = {}): string {
  const view = presentAnnualReport(report);
  return environment.render('annual-report-document.njk', { report: view, councilName, body: annualReportBodyHtml(view, { charts: options.charts ?? {} }) });
}
