/**
 * Money in the annual report, to the penny, on SQLite and PostgreSQL: Stage 2 costs recorded
 * with pence (through an interchange import, as a council brings in its register) are summed
 * in pence and come out as pounds with two decimals in the JSON (21020.5), as £ with pence in
 * the HTML and the DOCX (£21,020.50), and as a number with a £ format in the XLSX; the
 * Ombudsman's payments likewise, and their drill-down link still finds its row.
 */
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testContainer } from '../support/builders.ts';
import { runCli } from '../support/cli.ts';
import { decodeEntities } from '../support/http.ts';
import { readZipEntry } from '../support/zip.ts';
import { HEADER, line } from '../support/interchange-files.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Container } from '../../src/container.ts';
import type { AnnualReport } from '../../src/app/annual-report-service.ts';
import { annualReportDocumentHtml } from '../../src/reports/annual/annual-html-renderer.ts';
import { annualReportDocx } from '../../src/reports/annual/annual-docx-renderer.ts';
import { annualReportXlsx, MONEY_FORMAT } from '../../src/reports/annual/annual-xlsx-renderer.ts';
import { annualReportLinks } from '../../src/web/reports/annual-report-links.ts';

const CLI_TIMEOUT = 180_000;

/** Three Stage 2 investigations responded to in 2011/12: £10,000.10 + £11,020.20 + £0.20 = £21,020.50 (in floats, 0.1 + 0.2 is not 0.3). */
const FILE = [
  HEADER,
  ...[
    ['CSC-2011-0101', '10000.10', '2011-07-01'],
    ['CSC-2011-0102', '11020.2', '2011-07-04'],
    ['CSC-2011-0103', '0.20', '2011-07-05'],
  ].map(([reference = '', cost = '', enquiry = ''], i) =>
    line({
      reference,
      kind: 'children_statutory',
      received_on: `2011-04-0${String(i + 4)}`,
      complainant_role: 'parent',
      team: 'Fostering',
      channel: 'email',
      stage1_responded_on: '2011-04-15',
      finding: 'not_upheld',
      stage2_requested_on: '2011-04-20',
      stage2_responded_on: '2011-06-01',
      stage2_cost_gbp: cost,
      ombudsman_enquiry_on: enquiry,
      ombudsman_decision: 'upheld',
      summary: 'About a placement',
    }),
  ),
  '',
].join('\n');

describeEachEngine('money in the annual report', (database) => {
  let container: Container;
  let report: AnnualReport;

  beforeAll(async () => {
    container = await testContainer(database(), testClock('2012-06-30T10:00:00.000Z'));
    const imported = await container.interchange.importFile(Buffer.from(FILE), CLI_ACTOR, { createTeams: true });
    expect(imported.problems).toEqual([]);
    // The Ombudsman asked for payments of £123.45 and £678.90 on two of the enquiries: £802.35 in all.
    const db = database().db.kysely;
    for (const [reference, pence] of [
      ['IMPORTED-CSC-2011-0101', 12_345],
      ['IMPORTED-CSC-2011-0102', 67_890],
    ] as const) {
      await db.updateTable('ombudsman_enquiry').set({ remedy_amount_pence: pence, is_fault: 1 }).where('lgsco_reference', '=', reference).execute();
    }
    report = await container.annualReports.report(2011, { asAt: '2012-06-30' });
  });

  it('gives the Stage 2 cost in the JSON as pounds with two decimals, summed in pence', () => {
    expect(report.figures.children_statutory.stage2).toEqual({ requested: 3, responded: 3, cost_gbp: 21020.5 });
    expect(JSON.stringify(report.figures)).toContain('"stage2":{"requested":3,"responded":3,"cost_gbp":21020.5}');
    expect(report.details.stage2.costPence).toEqual({ investigator: 0, independentPerson: 0, other: 2_102_050 });
    expect(report.details.ombudsman.paymentsPence).toBe(80_235);
  });

  it('shows £ with pence in the HTML and the DOCX', async () => {
    const html = decodeEntities(annualReportDocumentHtml(report, 'Test Council'));
    expect(html).toContain('The Stage 2 investigations responded to cost £21,020.50 in all.');
    expect(html).toMatch(/Total<\/th>\s*<td[^>]*>£21,020.50</);
    expect(html).toMatch(/Investigating officers<\/th>\s*<td[^>]*>£0.00</);
    expect(html).toContain('Payment asked for (£802.35 in all)');
    const docx = decodeEntities(readZipEntry(await annualReportDocx(report, 'Test Council', { withoutCharts: true }), 'word/document.xml').replace(/<[^>]+>/g, ''));
    expect(docx).toContain('£21,020.50');
    expect(docx).toContain('The Stage 2 investigations responded to cost £21,020.50 in all.');
    expect(docx).toContain('Payment asked for (£802.35 in all)');
    expect(docx).not.toContain('£21,021');
  });

  it('keeps money a number in the XLSX, shown with a £ format, so totals still work', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await annualReportXlsx(report, 'Test Council')) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets.find((ws) => ws.getRow(1).getCell(1).value === 'Cost');
    if (sheet === undefined) throw new Error('no sheet of Stage 2 costs');
    const cells = new Map<string, ExcelJS.Cell>();
    sheet.eachRow((row) => {
      const header = row.getCell(1).value;
      if (typeof header === 'string') cells.set(header, row.getCell(2));
    });
    expect(cells.get('Total')?.value).toBe(21020.5);
    expect(cells.get('Total')?.numFmt).toBe(MONEY_FORMAT);
    expect(MONEY_FORMAT).toBe('"£"#,##0.00');
    expect(cells.get('Other')?.value).toBe(21020.5);
    expect(cells.get('Investigating officers')?.value).toBe(0);
    expect(cells.get('Investigating officers')?.numFmt).toBe(MONEY_FORMAT);
  });

  it('links the payments row of the staff report to the register, whatever its total', () => {
    const links = annualReportLinks(report, []);
    expect(Object.keys(links['What the Ombudsman found and asked for'] ?? {})).toContain('Payment asked for (£802.35 in all)');
  });

  it(
    'prints the JSON with the CLI as 21020.5',
    async () => {
      const result = await runCli(['report', 'annual', '--year', '2011', '--as-at', '2012-06-30', '--format', 'json'], { DATABASE_URL: database().url });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/"stage2": \{\s*"requested": 3,\s*"responded": 3,\s*"cost_gbp": 21020.5\s*\}/);
    },
    CLI_TIMEOUT,
  );
});
