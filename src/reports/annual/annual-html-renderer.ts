/**
 * The annual report as HTML: the report's body (sections, tables with their bases, the
 * consistency checks) for the staff page, and a standalone printable document (its own
 * small GOV.UK-like print stylesheet, no scripts, no external files) to download. Nunjucks
 * escapes every value: compliment quotes and team names are text, never markup.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import type { AnnualReport } from '../../app/annual-report-service.ts';
import { presentAnnualReport, type AnnualReportView } from './annual-report-presenter.ts';

const templates = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates');
const environment = new nunjucks.Environment(new nunjucks.FileSystemLoader(templates), { autoescape: true, throwOnUndefined: false });

/** The report's body, to place inside a page. */
export function annualReportBodyHtml(report: AnnualReport | AnnualReportView): string {
  const view = 'sections' in report ? report : presentAnnualReport(report);
  return environment.render('annual-report.njk', { report: view });
}

/** The whole report as one printable HTML document. */
export function annualReportDocumentHtml(report: AnnualReport, councilName: string): string {
  const view = presentAnnualReport(report);
  return environment.render('annual-report-document.njk', { report: view, councilName, body: annualReportBodyHtml(view) });
}
