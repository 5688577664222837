/**
 * Import and export pages and yearly totals entered by hand.
 *
 * - `/reports/export`: choose a year and a format (CSV or XLSX); with `?year=` it downloads the
 *   file. Administrators and complaints managers: the file holds summaries and pseudonymous ids.
 * - `/admin/import`: administrators upload a CSV or XLSX file (a plain multipart form: no
 *   JavaScript needed), optionally only to check it. The result page gives the counts, or an
 *   error summary and a table of every problem by line and column — and nothing is written;
 *   and, with either, a warning and a table of the warnings (lines taken as they are, such as a
 *   young person with different ethnicities), which never stop an import.
 * - `/admin/history`: the yearly totals and context figures, listed and edited with an error
 *   summary; administrators and complaints managers.
 */
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { Container } from '../../container.ts';
import { canAccess, type Role } from '../../domain/users/roles.ts';
import { DomainError, InputProblems } from '../../domain/errors.ts';
import { FIRST_REPORT_YEAR, LAST_REPORT_YEAR, reportYearLabel, reportYearOf } from '../../domain/reports/annual-report.ts';
import { FIRST_HISTORY_YEAR, HISTORY_FIGURE_FIELDS, HISTORY_FIGURE_LABELS, HISTORY_FIGURES, parseHistoryFigures, type HistoryFigure } from '../../domain/interchange/history-totals.ts';
import { INTERCHANGE_COLUMNS } from '../../domain/interchange/interchange-columns.ts';
import type { ImportResult } from '../../app/interchange-service.ts';
import type { InterchangeProblem } from '../../domain/interchange/interchange-rows.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { sendErrorPage } from '../errors.ts';

const IMPORTERS: readonly Role[] = ['admin'];
/**
 * An export is every representation of a year in full (names, summaries, outcomes): only the
 * roles that read cases in full may take one. An administrator runs the service, not the
 * casework, so administering alone does not let anyone read case content in bulk.
 */
export const EXPORTERS: readonly Role[] = ['complaints_manager'];
const TOTALS_EDITORS: readonly Role[] = ['admin', 'complaints_manager'];
/** Who may open the import and export page (each part of it is shown to those who may use it). */
const HUB_USERS: readonly Role[] = [...new Set([...EXPORTERS, ...IMPORTERS, ...TOTALS_EDITORS])];
/** The largest file accepted (100,000 lines of CSV are about 20 MB). */
const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
/** Problems shown in the table (all are counted; the CLI prints every one). */
const PROBLEMS_SHOWN = 1000;
/** Years the export page offers, back from the current one. */
const YEARS_OFFERED = 15;

interface ExportQuery {
  year?: string;
  format?: string;
}

type MultipartBody = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** A problem or warning as a row of the page's table: line, column (letter and name), message. */
const problemRow = (p: InterchangeProblem) => [{ text: String(p.line) }, { text: p.letter === null ? '' : p.column === null ? p.letter : `${p.letter} (${p.column})` }, { text: p.message }];

export function interchangeRoutes(container: Container): FastifyPluginAsync {
  const service = container.interchange;
  const totals = container.historyTotals;
  const currentYear = (): number => reportYearOf(container.annualReports.today());

  function yearItems(selected: number | undefined) {
    const latest = currentYear();
    return Array.from({ length: YEARS_OFFERED }, (_, i) => latest - i)
      .filter((y) => y >= FIRST_REPORT_YEAR)
      .map((y) => ({ value: String(y), text: `${reportYearLabel(y)} (1 April ${String(y)} to 31 March ${String(y + 1)})`, selected: y === selected }));
  }

  async function exportPage(request: FastifyRequest, reply: FastifyReply, errors?: FormErrors): Promise<FastifyReply> {
    return renderPage(request, reply, 'pages/interchange/export.njk', {
      title: 'Import and export',
      errors,
      yearItems: yearItems(currentYear()),
      canImport: canAccess(IMPORTERS, request.user?.roles),
      canExport: canAccess(EXPORTERS, request.user?.roles),
      canEditTotals: canAccess(TOTALS_EDITORS, request.user?.roles),
    });
  }

  async function importPage(request: FastifyRequest, reply: FastifyReply, data: { errors?: FormErrors; result?: ImportResult; values?: Record<string, boolean> } = {}): Promise<FastifyReply> {
    const result = data.result;
    const problems = result?.problems ?? [];
    const warnings = result?.warnings ?? [];
    return renderPage(request, reply, 'pages/interchange/import.njk', {
      title: result === undefined ? 'Import representations' : problems.length > 0 ? 'The file has problems' : result.isDryRun ? 'The file has been checked' : 'File imported',
      errors: data.errors,
      values: data.values ?? {},
      result,
      problemRows: problems.slice(0, PROBLEMS_SHOWN).map(problemRow),
      problemsHidden: Math.max(0, problems.length - PROBLEMS_SHOWN),
      warningRows: warnings.slice(0, PROBLEMS_SHOWN).map(problemRow),
      warningsHidden: Math.max(0, warnings.length - PROBLEMS_SHOWN),
      columns: INTERCHANGE_COLUMNS,
    });
  }

  async function historyPage(request: FastifyRequest, reply: FastifyReply, data: { errors?: FormErrors; values?: Record<string, string>; saved?: string } = {}): Promise<FastifyReply> {
    const rows = await totals.list();
    return renderPage(request, reply, 'pages/interchange/history.njk', {
      title: 'Yearly totals',
      errors: data.errors,
      saved: data.saved,
      values: data.values ?? {},
      figures: HISTORY_FIGURES.map((f) => ({ name: HISTORY_FIGURE_FIELDS[f], label: HISTORY_FIGURE_LABELS[f] })),
      tableHead: [{ text: 'Year' }, ...HISTORY_FIGURES.map((f) => ({ text: HISTORY_FIGURE_LABELS[f], format: 'numeric' })), { html: '<span class="govuk-visually-hidden">Action</span>' }],
      tableRows: rows.map((row) => [
        { text: reportYearLabel(row.year) },
        ...HISTORY_FIGURES.map((f) => ({ text: row[f] === null ? '–' : String(row[f]), format: 'numeric' })),
        { html: `<a class="govuk-link" href="${paths.historyTotals.url({ year: String(row.year) })}#totals-form">Change<span class="govuk-visually-hidden"> ${reportYearLabel(row.year)}</span></a>` },
      ]),
      firstYear: FIRST_HISTORY_YEAR,
      lastYear: LAST_REPORT_YEAR,
    });
  }

  return async (app) => {
    await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 } });

    app.get<{ Querystring: ExportQuery }>(paths.exportFile.pattern, { config: { access: HUB_USERS } }, async (request, reply) => {
      const raw = request.query.year;
      if (raw === undefined) return exportPage(request, reply);
      if (!canAccess(EXPORTERS, request.user?.roles)) return sendErrorPage(request, reply, 'forbidden');
      const year = /^\d{4}$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isInteger(year) || year < FIRST_REPORT_YEAR || year > LAST_REPORT_YEAR) {
        reply.code(400);
        return exportPage(request, reply, formErrors([{ field: 'year', message: `Select a year from ${String(FIRST_REPORT_YEAR)} to ${String(LAST_REPORT_YEAR)}` }]));
      }
      const format = request.query.format === 'xlsx' ? 'xlsx' : 'csv';
      const name = `redress-${String(year)}-${String((year + 1) % 100).padStart(2, '0')}.${format}`;
      const body = new PassThrough();
      // Restricted cases: not in the file of someone excluded from them.
      const excluding = request.user === undefined ? undefined : { userId: request.user.id, teamId: request.user.teamId };
      service.exportYear(year, format, body, actorOf(request), excluding).catch((error: unknown) => {
        // The error's type only: a database error's details can quote the values of a record.
        request.log.error({ err: { type: error instanceof Error ? error.name : 'unknown' } }, 'export failed');
        body.destroy(error instanceof Error ? error : new Error('export failed'));
      });
      reply.header('content-disposition', `attachment; filename="${name}"`);
      reply.type(format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8');
      return reply.send(body);
    });

    app.get(paths.importFile.pattern, { config: { access: IMPORTERS } }, (request, reply) => importPage(request, reply, { values: { isDryRun: true } }));

    app.post<{ Body: MultipartBody }>(paths.importFile.pattern, { config: { access: IMPORTERS }, bodyLimit: MAX_UPLOAD_BYTES }, async (request, reply) => {
      const body = request.body as MultipartBody | undefined;
      const file = body?.file;
      const values = { isDryRun: text(body?.dryRun) === 'yes', createTeams: text(body?.createTeams) === 'yes' };
      if (!Buffer.isBuffer(file) || file.length === 0) {
        return importPage(request, reply, { values, errors: formErrors([{ field: 'file', message: 'Select a CSV or XLSX file to import' }]) });
      }
      const result = await service.importFile(file, actorOf(request), { isDryRun: values.isDryRun, createTeams: values.createTeams });
      if (result.problems.length > 0) {
        const count = result.problems.length;
        const errors: FormErrors = {
          list: [{ text: `The file has ${String(count)} ${count === 1 ? 'problem' : 'problems'}: nothing was imported. Correct ${count === 1 ? 'it' : 'them'} and upload the file again.`, href: '#problems' }],
          fields: {},
        };
        return importPage(request, reply, { values, result, errors });
      }
      return importPage(request, reply, { values, result });
    });

    app.get<{ Querystring: { year?: string } }>(paths.historyTotals.pattern, { config: { access: TOTALS_EDITORS } }, async (request, reply) => {
      const year = /^\d{4}$/.test(request.query.year ?? '') ? Number(request.query.year) : undefined;
      const found = year === undefined ? undefined : await totals.find(year).catch(() => undefined);
      const values: Record<string, string> = { year: year === undefined ? '' : String(year), editing: found === undefined ? '' : String(found.year), version: String(found?.version ?? 0) };
      for (const f of HISTORY_FIGURES) values[HISTORY_FIGURE_FIELDS[f]] = found?.[f] === null || found?.[f] === undefined ? '' : String(found[f]);
      return historyPage(request, reply, { values });
    });

    app.post<{ Body: Record<string, string | undefined> }>(paths.historyTotals.pattern, { config: { access: TOTALS_EDITORS } }, async (request, reply) => {
      const body = request.body;
      const values: Record<string, string> = { year: text(body.year), editing: text(body.editing), version: text(body.version) };
      const input: Partial<Record<HistoryFigure, string>> = {};
      for (const f of HISTORY_FIGURES) {
        values[HISTORY_FIGURE_FIELDS[f]] = text(body[HISTORY_FIGURE_FIELDS[f]]);
        input[f] = values[HISTORY_FIGURE_FIELDS[f]];
      }
      const problems: { field: string; message: string }[] = [];
      const year = /^\d{4}$/.test(values.year ?? '') ? Number(values.year) : Number.NaN;
      if (!Number.isInteger(year) || year < FIRST_HISTORY_YEAR || year > LAST_REPORT_YEAR) {
        problems.push({ field: 'year', message: `Enter the year the reporting year starts, from ${String(FIRST_HISTORY_YEAR)} to ${String(LAST_REPORT_YEAR)}, for example 2009 for 2009/10` });
      }
      let figures: Partial<Record<HistoryFigure, number | null>> = {};
      try {
        figures = parseHistoryFigures(input);
      } catch (error) {
        if (!(error instanceof InputProblems)) throw error;
        problems.push(...error.problems.map((p) => ({ field: p.field ?? 'year', message: p.message })));
      }
      if (problems.length > 0) return historyPage(request, reply, { values, errors: formErrors(problems) });
      // The version read guards an edit of a year shown in the form; a year typed in afresh is simply set.
      const version = values.editing === values.year && /^\d+$/.test(values.version ?? '') ? Number(values.version) : undefined;
      try {
        const saved = await totals.set(year, figures, actorOf(request), version);
        return await historyPage(request, reply, { saved: `Totals for ${reportYearLabel(saved.year)} saved`, values: {} });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return historyPage(request, reply, { values, errors: formErrors([{ field: error.field ?? 'year', message: error.message }]) });
      }
    });
  };
}
