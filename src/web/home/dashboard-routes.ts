import type { FastifyPluginCallback } from 'fastify';
import type { Container } from '../../container.ts';
import { ROLE_LABELS, canAccess } from '../../domain/users/roles.ts';
import { CASE_STATUS_LABELS, isCaseStatus } from '../../domain/cases/case-status.ts';
import { longDate, monthLabel, MONITORED_KINDS, MONITORED_KIND_LABELS, percentOf } from '../../domain/reports/monitoring.ts';
import type { DashboardFigures, Timeliness } from '../../app/monitoring-service.ts';
import { TIMELY_WORKING_DAYS } from '../../app/monitoring-service.ts';
import { barChartSpec, chartInline, lineChartSpec, type DashboardChart } from '../../reports/monitoring/monitoring-charts.ts';
import { REPORT_READERS } from '../cases/case-access.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { ownWorkFor } from './own-work-presenter.ts';
import { outboxHealthFor } from './outbox-health.ts';

const percentText = (t: Timeliness): string => {
  const percent = percentOf(t.within, t.responded);
  return percent === undefined ? 'No responses' : `${percent.toFixed(1)}%`;
};

/** The dashboard's figures as charts (inline SVG) with the numbers they show. */
async function dashboardView(figures: DashboardFigures) {
  const statusLabel = (status: string): string => (isCaseStatus(status) ? CASE_STATUS_LABELS[status] : status);
  const stageTotal = (stage: number): number => figures.openByStatus.filter((s) => s.stage === stage).reduce((sum, s) => sum + s.n, 0);
  const stages = [
    { category: 'Stage 1', value: stageTotal(1) },
    { category: 'Stage 2', value: stageTotal(2) },
    { category: 'Stage 3', value: stageTotal(3) },
  ];
  const openChart: DashboardChart = {
    id: 'chart-open',
    title: 'Open cases by stage',
    description: `Bar chart of open cases by stage: Stage 1 ${String(stages[0]?.value ?? 0)}, Stage 2 ${String(stages[1]?.value ?? 0)}, Stage 3 ${String(stages[2]?.value ?? 0)}.`,
    spec: barChartSpec(stages, 'Open cases'),
  };
  const clockChart: DashboardChart = {
    id: 'chart-due',
    title: 'Stage 1 responses due this week and overdue',
    description: `Bar chart of open Stage 1 clocks: due this week ${String(figures.dueThisWeek.n)}, overdue ${String(figures.overdue)}.`,
    spec: barChartSpec(
      [
        { category: 'Due this week', value: figures.dueThisWeek.n },
        { category: 'Overdue', value: figures.overdue },
      ],
      'Cases',
    ),
  };
  const yearLabel = (t: Timeliness): string => `${longDate(t.from)} to ${longDate(t.to)}`;
  const timelinessChart: DashboardChart = {
    id: 'chart-timeliness',
    title: `Stage 1 responses within ${String(TIMELY_WORKING_DAYS)} working days`,
    description: `Bar chart of the percentage of Stage 1 responses made within ${String(TIMELY_WORKING_DAYS)} working days: this year so far ${percentText(figures.thisYear)} of ${String(figures.thisYear.responded)}, the same point last year ${percentText(figures.lastYear)} of ${String(figures.lastYear.responded)}.`,
    spec: barChartSpec(
      [
        { category: 'This year so far', value: percentOf(figures.thisYear.within, figures.thisYear.responded) ?? 0, label: percentText(figures.thisYear) },
        { category: 'Same point last year', value: percentOf(figures.lastYear.within, figures.lastYear.responded) ?? 0, label: percentText(figures.lastYear) },
      ],
      'Per cent within the time',
      { maxValue: 100 },
    ),
  };
  const series = MONITORED_KINDS.map((k) => MONITORED_KIND_LABELS[k]);
  const trendData = figures.trend.flatMap((m) => MONITORED_KINDS.map((k) => ({ month: monthLabel(m.month), series: MONITORED_KIND_LABELS[k], value: m.received[k] })));
  const first = figures.trend[0]?.month ?? '';
  const last = figures.trend.at(-1)?.month ?? '';
  const trendChart: DashboardChart = {
    id: 'chart-trend',
    title: 'Received by month',
    description: `Line chart of the representations received each month from ${monthLabel(first)} to ${monthLabel(last)}, by kind. The numbers are in the table that follows.`,
    spec: lineChartSpec(trendData, series, 'Received'),
  };
  return {
    open: { svg: await chartInline(openChart), title: openChart.title, rows: figures.openByStatus.map((s) => ({ stage: s.stage, label: statusLabel(s.status), n: s.n })), stages },
    due: { svg: await chartInline(clockChart), title: clockChart.title, from: longDate(figures.dueThisWeek.from), to: longDate(figures.dueThisWeek.to), n: figures.dueThisWeek.n, overdue: figures.overdue },
    timeliness: {
      svg: await chartInline(timelinessChart),
      title: timelinessChart.title,
      years: [
        { label: 'This year so far', period: yearLabel(figures.thisYear), responded: figures.thisYear.responded, within: figures.thisYear.within, percent: percentText(figures.thisYear) },
        { label: 'Same point last year', period: yearLabel(figures.lastYear), responded: figures.lastYear.responded, within: figures.lastYear.within, percent: percentText(figures.lastYear) },
      ],
      workingDays: TIMELY_WORKING_DAYS,
    },
    trend: {
      svg: await chartInline(trendChart),
      title: trendChart.title,
      kinds: series,
      months: figures.trend.map((m) => ({ label: monthLabel(m.month), values: MONITORED_KINDS.map((k) => m.received[k]) })),
    },
  };
}

/**
 * The view of each set of figures, drawn once: the monitoring service hands back the same
 * figures until something they count changes, so the charts and tables are not built again
 * on every request. Derived, so each process keeps its own; dropped with the figures.
 */
const views = new WeakMap<DashboardFigures, ReturnType<typeof dashboardView>>();

function dashboardViewOf(figures: DashboardFigures): ReturnType<typeof dashboardView> {
  let view = views.get(figures);
  if (view === undefined) {
    view = dashboardView(figures);
    views.set(figures, view);
    view.catch(() => views.delete(figures));
  }
  return view;
}

export function dashboardRoutes(container: Container): FastifyPluginCallback {
  return (app, _options, done) => {
    app.get(paths.dashboard.pattern, { config: { access: 'signed_in' } }, async (request, reply) => {
      const user = request.user;
      const teams = await container.organisation.listTeams();
      const mayReadReports = canAccess(REPORT_READERS, user?.roles ?? []);
      return renderPage(request, reply, 'pages/dashboard.njk', {
        title: 'Dashboard',
        roleLabels: (user?.roles ?? []).map((role) => ROLE_LABELS[role]),
        teamCount: teams.filter((t) => t.isActive).length,
        homeCount: teams.filter((t) => t.isActive && t.kind === 'residential_home').length,
        commissionedCount: teams.filter((t) => t.isActive && t.kind === 'commissioned').length,
        mayReadReports,
        ownWork: await ownWorkFor(container, user),
        figures: mayReadReports ? await dashboardViewOf(await container.monitoring.dashboard()) : undefined,
        outboxHealth: await outboxHealthFor(container, user?.roles ?? []),
      });
    });
    app.get(paths.accessibility.pattern, { config: { access: 'public' } }, (request, reply) =>
      renderPage(request, reply, 'pages/accessibility.njk', { title: 'Accessibility statement' }),
    );
    done();
  };
}
