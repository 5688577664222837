/** The monitoring table as CSV: one line a directorate, service area or "no team", figures as columns. */
import type { MonitoringReport } from '../../app/monitoring-service.ts';
import { MONITORING_COLUMNS, type MonitoringFigures } from '../../domain/reports/monitoring.ts';

/** A cell quoted when needed; text starting like a formula is prefixed with ' so a spreadsheet does not run it. */
function cell(value: string): string {
  const safe = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function monitoringCsv(report: MonitoringReport): string {
  const lines: string[][] = [['period_from', 'period_to', 'level', 'directorate', 'service_area', ...MONITORING_COLUMNS.map((c) => c.key)]];
  const line = (level: string, directorate: string, area: string, figures: MonitoringFigures) => {
    lines.push([report.period.from, report.period.to, level, directorate, area, ...MONITORING_COLUMNS.map((c) => String(c.value(figures)))]);
  };
  for (const d of report.directorates) {
    line('directorate', d.name, '', d.figures);
    for (const a of d.areas) line('service_area', d.name, a.name, a.figures);
  }
  if (report.noTeam !== undefined) line('no_team', '', '', report.noTeam);
  line('total', '', '', report.total);
  return `${lines.map((l) => l.map(cell).join(',')).join('\r\n')}\r\n`;
}
