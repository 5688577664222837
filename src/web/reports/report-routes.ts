/**
 * The annual report for staff: the report for a chosen year (a GOV.UK select and button,
 * a plain GET form that works without JavaScript), with its charts, and every count linked
 * to the list of the records behind it; downloads of its JSON figures, the printable HTML,
 * an editable Word document (DOCX) and a spreadsheet (XLSX), staff or public version (no
 * links in any download). Every view and download is audited; the report holds no personal
 * data, so viewers may read it.
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { FIRST_REPORT_YEAR, LAST_REPORT_YEAR, reportYearLabel, reportYearOf } from '../../domain/reports/annual-report.ts';
import { annualReportBodyHtml, annualReportDocumentHtml } from '../../reports/annual/annual-html-renderer.ts';
import { chartsBySection } from '../../reports/annual/annual-charts.ts';
import { annualReportDocx } from '../../reports/annual/annual-docx-renderer.ts';
import { annualReportXlsx } from '../../reports/annual/annual-xlsx-renderer.ts';
import { annualReportLinks } from './annual-report-links.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { REPORT_READERS } from '../cases/case-access.ts';

/** How many years the chooser offers, back from the current one. */
const YEARS_OFFERED = 10;

type DownloadFormat = 'json' | 'html' | 'docx' | 'xlsx';

const MEDIA_TYPES: Readonly<Record<DownloadFormat, string>> = {
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

interface ReportQuery {
  year?: string;
  public?: string;
}

export function reportRoutes(container: Container): FastifyPluginCallback {
  const service = container.annualReports;
  const currentYear = (): number => reportYearOf(service.today());

  /** The year asked for, the current reporting year when none, or an error for the chooser. */
  function chosenYear(raw: string | undefined): { year: number; errors?: FormErrors } {
    if (raw === undefined || raw === '') return { year: currentYear() };
    const year = /^\d{4}$/.test(raw) ? Number(raw) : Number.NaN;
    if (Number.isInteger(year) && year >= FIRST_REPORT_YEAR && year <= LAST_REPORT_YEAR) return { year };
    return { year: currentYear(), errors: formErrors([{ field: 'year', message: `Select a year from ${String(FIRST_REPORT_YEAR)} to ${String(LAST_REPORT_YEAR)}` }]) };
  }

  async function download(request: FastifyRequest<{ Querystring: ReportQuery }>, reply: FastifyReply, format: DownloadFormat): Promise<FastifyReply> {
    const { year, errors } = chosenYear(request.query.year);
    if (errors !== undefined) return reply.redirect(paths.annualReport.url({ year: request.query.year ?? '' }));
    const isPublic = request.query.public === '1';
    const report = await service.report(year, { isPublic });
    await service.recordView(actorOf(request), year, format, isPublic);
    const name = `annual-report-${String(year)}-${String((year + 1) % 100).padStart(2, '0')}${isPublic ? '-public' : ''}.${format}`;
    reply.header('content-disposition', `attachment; filename="${name}"`);
    const council = container.config.councilName;
    reply.type(MEDIA_TYPES[format]);
    switch (format) {
      case 'json':
        return reply.send(`${JSON.stringify(report.figures, null, 2)}\n`);
      case 'html':
        return reply.send(annualReportDocumentHtml(report, council, { charts: await chartsBySection(report) }));
      case 'docx':
        return reply.send(await annualReportDocx(report, council));
      case 'xlsx':
        return reply.send(await annualReportXlsx(report, council));
    }
  }

  return (app, _options, done) => {
    app.get<{ Querystring: ReportQuery }>(paths.annualReport.pattern, { config: { access: REPORT_READERS } }, async (request, reply) => {
      const { year, errors } = chosenYear(request.query.year);
      const report = await service.report(year);
      await service.recordView(actorOf(request), year, 'page', false);
      const latest = Math.max(currentYear(), year);
      const years = Array.from({ length: YEARS_OFFERED }, (_, i) => latest - i).filter((y) => y >= FIRST_REPORT_YEAR);
      if (errors !== undefined) reply.code(400);
      return renderPage(request, reply, 'pages/reports/annual.njk', {
        title: `Annual report ${reportYearLabel(year)}`,
        errors,
        year,
        label: reportYearLabel(year),
        yearItems: years.map((y) => ({ value: String(y), text: `${reportYearLabel(y)} (1 April ${String(y)} to 31 March ${String(y + 1)})`, selected: y === year })),
        failingChecks: report.checks.filter((c) => !c.holds).length,
        asAt: report.figures.period.as_at,
        reportHtml: annualReportBodyHtml(report, { charts: await chartsBySection(report), links: annualReportLinks(report, await container.organisation.listTeams()) }),
        jsonUrl: paths.annualReportJson.url({ year: String(year) }),
        htmlUrl: paths.annualReportHtml.url({ year: String(year) }),
        publicHtmlUrl: paths.annualReportHtml.url({ year: String(year), public: '1' }),
        docxUrl: paths.annualReportDocx.url({ year: String(year) }),
        xlsxUrl: paths.annualReportXlsx.url({ year: String(year) }),
        publicDocxUrl: paths.annualReportDocx.url({ year: String(year), public: '1' }),
        publicXlsxUrl: paths.annualReportXlsx.url({ year: String(year), public: '1' }),
      });
    });
    app.get<{ Querystring: ReportQuery }>(paths.annualReportJson.pattern, { config: { access: REPORT_READERS } }, (request, reply) => download(request, reply, 'json'));
    app.get<{ Querystring: ReportQuery }>(paths.annualReportHtml.pattern, { config: { access: REPORT_READERS } }, (request, reply) => download(request, reply, 'html'));
    app.get<{ Querystring: ReportQuery }>(paths.annualReportDocx.pattern, { config: { access: REPORT_READERS } }, (request, reply) => download(request, reply, 'docx'));
    app.get<{ Querystring: ReportQuery }>(paths.annualReportXlsx.pattern, { config: { access: REPORT_READERS } }, (request, reply) => download(request, reply, 'xlsx'));
    done();
  };
}
