/**
 * Quarterly monitoring for staff who may read reports: the figures for a period (the
 * current quarter of the financial year by default, with links to the quarters either
 * side and a plain GET form for any period) for the directorate and each service area, and
 * the same table as CSV. Figures only, no personal data.
 */
import type { FastifyPluginCallback } from 'fastify';
import type { Container } from '../../container.ts';
import { DomainError } from '../../domain/errors.ts';
import {
  financialQuarterOf,
  MONITORING_COLUMNS,
  monitoringPeriod,
  nextQuarter,
  percentOf,
  periodLabel,
  previousQuarter,
  type MonitoringFigures,
  type MonitoringPeriod,
} from '../../domain/reports/monitoring.ts';
import { monitoringCsv } from '../../reports/monitoring/monitoring-csv.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { REPORT_READERS } from '../cases/case-access.ts';

interface PeriodQuery {
  from?: string;
  to?: string;
}

/** The period asked for (the current quarter when neither date is given), or the errors to show. */
function chosenPeriod(query: PeriodQuery, today: string): { period: MonitoringPeriod } | { errors: FormErrors } {
  const from = (query.from ?? '').trim();
  const to = (query.to ?? '').trim();
  if (from === '' && to === '') return { period: financialQuarterOf(today) };
  try {
    return { period: monitoringPeriod(from, to) };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { errors: formErrors([{ field: error.field ?? 'from', message: error.message }]) };
  }
}

const periodQuery = (p: MonitoringPeriod): Record<string, string> => ({ from: p.from, to: p.to });

function cells(figures: MonitoringFigures): string[] {
  return MONITORING_COLUMNS.map((column) => {
    const value = column.value(figures);
    if (column.key === 'within_10' || column.key === 'within_20') {
      const percent = percentOf(value, figures.stage1Responses);
      return percent === undefined ? String(value) : `${String(value)} (${percent.toFixed(1)}%)`;
    }
    return String(value);
  });
}

export function monitoringRoutes(container: Container): FastifyPluginCallback {
  const service = container.monitoring;
  return (app, _options, done) => {
    app.get<{ Querystring: PeriodQuery }>(paths.monitoringReport.pattern, { config: { access: REPORT_READERS } }, async (request, reply) => {
      const chosen = chosenPeriod(request.query, service.today());
      if ('errors' in chosen) {
        return renderPage(request, reply, 'pages/reports/monitoring.njk', {
          title: 'Quarterly monitoring',
          errors: chosen.errors,
          from: request.query.from ?? '',
          to: request.query.to ?? '',
          columns: MONITORING_COLUMNS.map((c) => c.label),
        });
      }
      const { period } = chosen;
      const report = await service.monitoring(period);
      const previous = previousQuarter(period);
      const next = nextQuarter(period);
      return renderPage(request, reply, 'pages/reports/monitoring.njk', {
        title: `Quarterly monitoring: ${periodLabel(period)}`,
        label: periodLabel(period),
        from: period.from,
        to: period.to,
        columns: MONITORING_COLUMNS.map((c) => c.label),
        directorates: report.directorates.map((d) => ({ name: d.name, cells: cells(d.figures), areas: d.areas.map((a) => ({ name: a.name, cells: cells(a.figures) })) })),
        noTeam: report.noTeam === undefined ? undefined : cells(report.noTeam),
        total: cells(report.total),
        uncounted: report.uncounted,
        previous: { label: periodLabel(previous), href: paths.monitoringReport.url(periodQuery(previous)) },
        next: { label: periodLabel(next), href: paths.monitoringReport.url(periodQuery(next)) },
        csvUrl: paths.monitoringReportCsv.url(periodQuery(period)),
      });
    });
    app.get<{ Querystring: PeriodQuery }>(paths.monitoringReportCsv.pattern, { config: { access: REPORT_READERS } }, async (request, reply) => {
      const chosen = chosenPeriod(request.query, service.today());
      if ('errors' in chosen) return reply.redirect(paths.monitoringReport.url({ from: request.query.from ?? '', to: request.query.to ?? '' }));
      const report = await service.monitoring(chosen.period);
      reply.header('content-disposition', `attachment; filename="monitoring-${chosen.period.from}-to-${chosen.period.to}.csv"`);
      return reply.type('text/csv; charset=utf-8').send(monitoringCsv(report));
    });
    done();
  };
}
