/**
 * The satisfaction questionnaire's results for a reporting year (1 April – 31 March), for the
 * same staff who read the annual report: sent, answered, the response rate and how many gave
 * each answer to each question, counted in SQL (src/app/questionnaire-service.ts). A plain GET
 * form chooses the year; every view is audited. No answer is linked to a case here.
 */
import type { FastifyPluginCallback } from 'fastify';
import type { Container } from '../../container.ts';
import { FIRST_REPORT_YEAR, LAST_REPORT_YEAR, reportYearLabel, reportYearOf } from '../../domain/reports/annual-report.ts';
import { SCALE } from '../../domain/questionnaires/questionnaire.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { REPORT_READERS } from '../cases/case-access.ts';

const YEARS_OFFERED = 10;

export function questionnaireReportRoutes(container: Container): FastifyPluginCallback {
  const service = container.questionnaires;
  const currentYear = (): number => reportYearOf(container.clock().toISOString().slice(0, 10));

  function chosenYear(raw: string | undefined): { year: number; errors?: FormErrors } {
    if (raw === undefined || raw === '') return { year: currentYear() };
    const year = /^\d{4}$/.test(raw) ? Number(raw) : Number.NaN;
    if (Number.isInteger(year) && year >= FIRST_REPORT_YEAR && year <= LAST_REPORT_YEAR) return { year };
    return { year: currentYear(), errors: formErrors([{ field: 'year', message: `Select a year from ${String(FIRST_REPORT_YEAR)} to ${String(LAST_REPORT_YEAR)}` }]) };
  }

  return (app, _options, done) => {
    app.get<{ Querystring: { year?: string } }>(paths.questionnaireReport.pattern, { config: { access: REPORT_READERS } }, async (request, reply) => {
      const { year, errors } = chosenYear(request.query.year);
      const summary = await service.summaryForYear(`${String(year)}-04-01`, `${String(year + 1)}-03-31`);
      await service.recordSummaryView(actorOf(request), year);
      const latest = Math.max(currentYear(), year);
      const years = Array.from({ length: YEARS_OFFERED }, (_, i) => latest - i).filter((y) => y >= FIRST_REPORT_YEAR);
      if (errors !== undefined) reply.code(400);
      const label = reportYearLabel(year);
      return renderPage(request, reply, 'pages/reports/questionnaires.njk', {
        title: `Questionnaire results ${label}`,
        errors,
        label,
        summary,
        yearItems: years.map((y) => ({ value: String(y), text: `${reportYearLabel(y)} (1 April ${String(y)} to 31 March ${String(y + 1)})`, selected: y === year })),
        head: [{ text: 'Question' }, ...SCALE.map((point) => ({ text: String(point), format: 'numeric' })), { text: 'Answers', format: 'numeric' }],
        rows: summary.questions.map((q) => [
          { text: q.text },
          ...SCALE.map((point) => ({ html: `${String(q.counts[point])}<span class="govuk-visually-hidden"> ${escapeHtml(q.labels[point])}</span>`, format: 'numeric' })),
          { text: String(SCALE.reduce((sum, point) => sum + q.counts[point], 0)), format: 'numeric' },
        ]),
        scaleLabels: summary.questions.map((q) => ({ text: q.text, labels: SCALE.map((point) => `${String(point)}: ${q.labels[point]}`).join(', ') })),
      });
    });
    done();
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
