/**
 * The annual report as a spreadsheet (XLSX): an "About" sheet (title, period, as-at date,
 * version, and each sheet's base), then one sheet a table of the report, each with a header
 * row and numbers stored as numbers (percentages as fractions shown as %, money as pounds
 * shown as £ with pence, so sums and totals still work), then the
 * consistency checks. The tables come from the same presenter as the HTML and DOCX, so the
 * public version suppresses exactly the same cells ("<5", kept as text).
 */
import ExcelJS from 'exceljs';
import type { AnnualReport } from '../../app/annual-report-service.ts';
import { presentAnnualReport, type ReportTable } from './annual-report-presenter.ts';
import { penceToPounds, poundsToPence } from '../../domain/money.ts';

/** Excel's limit on a sheet's name. */
const SHEET_NAME_MAX = 31;

/**
 * A sheet name Excel accepts: no []:*?/\ characters, no leading or trailing apostrophe, at
 * most 31 characters, and unique (case-insensitively) among `taken`, which it joins.
 */
export function sheetName(wanted: string, taken: Set<string>): string {
  const clean = wanted.replace(/[[\]:*?/\\]/g, ' ').replace(/\s+/g, ' ').replace(/^'+|'+$/g, '').trim() || 'Sheet';
  let name = clean.slice(0, SHEET_NAME_MAX).trim();
  for (let n = 2; taken.has(name.toLowerCase()); n++) {
    const suffix = ` (${String(n)})`;
    name = `${clean.slice(0, SHEET_NAME_MAX - suffix.length).trim()}${suffix}`;
  }
  taken.add(name.toLowerCase());
  return name;
}

/** How an amount of money is shown in a cell: pounds with pence, thousands grouped ("£21,020.50"), so the cell stays a number. */
export const MONEY_FORMAT = '"£"#,##0.00';

/**
 * A table cell's value: a whole number, a percentage or an amount in £ as a number of pounds
 * (read to the penny from its digits: "£21,020.50" is 21020.5); anything else ("<5", "–", a
 * label) as text.
 */
export function cellValue(text: string): string | number {
  if (/^-?\d+$/.test(text)) return Number(text);
  const pence = text.startsWith('£') ? poundsToPence(text) : undefined;
  if (pence !== undefined) return penceToPounds(pence);
  const percent = /^(-?\d+(?:\.\d+)?)%$/.exec(text);
  if (percent?.[1] !== undefined) return Math.round(Number(percent[1]) * 10) / 1000;
  return text;
}

function addTable(workbook: ExcelJS.Workbook, name: string, table: ReportTable): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = sheet.addRow([...table.head]);
  header.font = { bold: true };
  for (const row of table.rows) {
    const added = sheet.addRow(row.map((value, i) => (i === 0 ? value : cellValue(value))));
    row.forEach((value, i) => {
      if (i > 0 && value.endsWith('%')) added.getCell(i + 1).numFmt = '0.0%';
      if (i > 0 && typeof added.getCell(i + 1).value === 'number' && value.startsWith('£')) added.getCell(i + 1).numFmt = MONEY_FORMAT;
      if (i > 0) added.getCell(i + 1).alignment = { horizontal: 'right' };
    });
  }
  sheet.columns.forEach((column, i) => {
    const longest = Math.max(...[table.head[i] ?? '', ...table.rows.map((r) => r[i] ?? '')].map((v) => v.length));
    column.width = Math.min(60, Math.max(10, longest + 2));
  });
}

/** The report as an XLSX file. */
export async function annualReportXlsx(report: AnnualReport, councilName: string): Promise<Buffer> {
  const view = presentAnnualReport(report);
  const f = report.figures;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = councilName;
  workbook.title = view.title;
  // A fixed date (the report's as-at), so the same report gives the same workbook properties.
  workbook.created = new Date(`${f.period.as_at}T00:00:00Z`);
  workbook.modified = workbook.created;

  const taken = new Set<string>();
  const about = workbook.addWorksheet(sheetName('About', taken));
  const tables = view.sections.flatMap((s) => s.tables.map((t) => ({ name: sheetName(t.sheet ?? t.caption, taken), table: t })));
  const checksName = sheetName('Consistency checks', taken);

  about.addRow([view.title]).font = { bold: true, size: 14 };
  about.addRow([councilName]);
  about.addRow([]);
  const facts: [string, string][] = [
    ['Period', view.periodText],
    ['From', f.period.from],
    ['To', f.period.to],
    ['Year', f.period.label],
    ['As at', f.period.as_at],
    ['Version', view.isPublic ? 'Public: numbers from 1 to 4 are shown as <5, and children’s homes by their alias' : 'Staff'],
    ['Consistency checks', view.failingChecks === 0 ? `All ${String(view.checks.length)} hold` : `${String(view.failingChecks)} of ${String(view.checks.length)} fail`],
  ];
  for (const [key, value] of facts) about.addRow([key, value]).getCell(1).font = { bold: true };
  about.addRow([]);
  about.addRow(['Sheet', 'Table', 'Base']).font = { bold: true };
  for (const { name, table } of tables) about.addRow([name, table.caption, table.base]);
  about.addRow([checksName, 'Consistency checks', 'Base: the figures of this report']);
  about.getColumn(1).width = 32;
  about.getColumn(2).width = 45;
  about.getColumn(3).width = 80;

  for (const { name, table } of tables) addTable(workbook, name, table);
  const checks = workbook.addWorksheet(checksName, { views: [{ state: 'frozen', ySplit: 1 }] });
  checks.addRow(['Check', 'Figures', 'Result', 'Records']).font = { bold: true };
  for (const c of view.checks) checks.addRow([c.rule, c.detail, c.holds ? 'Holds' : 'Fails', c.references.join(', ')]);
  checks.getColumn(1).width = 70;
  checks.getColumn(2).width = 30;
  checks.getColumn(3).width = 10;
  checks.getColumn(4).width = 30;

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
