/**
 * The annual report's other outputs, from a small year of records made through the real
 * services, on SQLite and PostgreSQL: charts (SVG inline in the HTML, PNG in the DOCX), the
 * editable DOCX, the XLSX read back with exceljs, the public version's suppression in each,
 * the CLI's binary formats, the staff page's downloads, and the staff page's links from
 * figures to the case list, whose count must equal the figure.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testContainer } from '../support/builders.ts';
import { runCli } from '../support/cli.ts';
import { decodeEntities, signedInAs } from '../support/http.ts';
import { readZipEntry, zipEntries } from '../support/zip.ts';
import { createApp } from '../../src/web/app.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import type { AnnualReport } from '../../src/app/annual-report-service.ts';
import { annualReportDocumentHtml } from '../../src/reports/annual/annual-html-renderer.ts';
import { annualCharts, chartSvg, chartsBySection } from '../../src/reports/annual/annual-charts.ts';
import { annualReportDocx } from '../../src/reports/annual/annual-docx-renderer.ts';
import { annualReportXlsx } from '../../src/reports/annual/annual-xlsx-renderer.ts';
import { presentAnnualReport } from '../../src/reports/annual/annual-report-presenter.ts';

const CLI_TIMEOUT = 180_000;
const HTTP_TIMEOUT = 120_000;
const NOW = '2020-06-30T10:00:00.000Z';

async function workbookOf(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

/** The row of a sheet whose first cell is `header`, as values from column 1. */
function rowOf(workbook: ExcelJS.Workbook, sheet: string, header: string): unknown[] {
  const ws = workbook.getWorksheet(sheet);
  if (ws === undefined) throw new Error(`no sheet ${sheet}`);
  let found: unknown[] | undefined;
  ws.eachRow((row) => {
    const values = (row.values as unknown[]).slice(1);
    if (values[0] === header) found = values;
  });
  if (found === undefined) throw new Error(`no row ${header} in ${sheet}`);
  return found;
}

describeEachEngine('the annual report’s charts, DOCX, XLSX and links', (database) => {
  let container: Container;
  let officer: StaffActor;
  let staff: AnnualReport;
  let publicReport: AnnualReport;
  let teamId: (name: string) => number;

  const versionOf = async (reference: string): Promise<number> =>
    (await database().db.kysely.selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
  const act = async (reference: string, action: string, input: Record<string, unknown>): Promise<void> => {
    await container.caseActions.apply(reference, action, input, officer, await versionOf(reference));
  };
  const register = async (fields: Record<string, unknown>, teams: readonly string[], externalId?: string): Promise<string[]> => {
    const made = await container.registration.register(
      {
        fields: { via_complaints_team: 'yes', summary: 'About the service.', ...fields },
        teamIds: teams.map(teamId),
        youngPerson: externalId === undefined ? undefined : { externalId, ethnicity: 'WBRI' },
        complainant: { name: 'Pat Example' },
      },
      officer,
    );
    return made.map((m) => m.reference);
  };
  const complaint = (receivedOn: string, channel: string, role: string, issues: string[] = []) => ({ kind: 'children_statutory', received_on: receivedOn, channel, complainant_role: role, issues });

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    const teams = await container.organisation.listTeams();
    teamId = (name) => {
      const team = teams.find((t) => t.name === name);
      if (!team) throw new Error(`no team ${name}`);
      return team.id;
    };
    const { user } = await container.users.add({ email: 'officer@exports.example', name: 'Export Officer', roles: ['complaints_officer'], password: 'correct-horse-battery' }, CLI_ACTOR);
    officer = { userId: user.id, roles: ['complaints_officer'], teamId: null, ip: null, requestId: null };

    // Six email complaints about Fostering (enough not to be suppressed), two by telephone, one about a home.
    for (let i = 0; i < 6; i++) {
      const [ref = ''] = await register(complaint(`2019-05-0${String(i + 1)}`, 'email', 'parent', ['delay']), ['Fostering'], `YP-${String(i)}`);
      if (i < 4) await act(ref, 'record_response', { responded_on: '2019-05-14', finding: i < 2 ? 'upheld' : 'not_upheld', remedies: ['apology'] });
    }
    const [phoned = ''] = await register(complaint('2019-06-03', 'telephone', 'child', ['placement']), ['Care Management North'], 'YP-10');
    await act(phoned, 'withdraw_by_complainant', { withdrawn_on: '2019-06-10' });
    await register(complaint('2019-07-01', 'telephone', 'parent', ['placement']), ['Ashfield House'], 'YP-11');
    // Outside the year: not counted, not listed.
    await register(complaint('2020-04-02', 'email', 'parent', ['delay']), ['Fostering'], 'YP-12');
    await register({ kind: 'compliment', received_on: '2019-10-10', channel: 'letter', compliment_source: 'judge', consent_to_quote: 'yes', summary: 'Thank you.' }, ['Brook Lodge']);
    await register({ kind: 'informal', received_on: '2019-11-11', channel: 'telephone', complainant_role: 'relative', informal_reason: 'Court proceedings are under way.' }, ['Care Management North']);

    staff = await container.annualReports.report(2019);
    publicReport = await container.annualReports.report(2019, { isPublic: true });
  });

  it('has the figures the outputs are checked against', () => {
    const cs = staff.figures.children_statutory;
    expect(cs.received).toBe(8);
    expect(cs.by_channel.email).toBe(6);
    expect(cs.by_channel.telephone).toBe(2);
    expect(cs.stage1).toMatchObject({ responded: 4, withdrawn: 1, open: 3 });
    expect(cs.stage1.findings).toMatchObject({ upheld: 2, not_upheld: 2 });
    expect(staff.checks.every((c) => c.holds)).toBe(true);
  });

  describe('charts', () => {
    it('draws the charts from the figures, with their words, the same every time', async () => {
      const charts = annualCharts(staff);
      expect(charts.map((c) => c.section)).toEqual(['history', 'teams', 'how-received', 'findings', 'timescales']);
      const channels = charts.find((c) => c.section === 'how-received');
      if (channels === undefined) throw new Error('no chart of how complaints were received');
      expect(channels.description).toContain('Email: 6');
      const svg = await chartSvg(channels);
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('Email');
      expect(svg).toContain('>6</text>');
      expect((svg.match(/<path[^>]*aria-hidden|role-mark/g) ?? []).length).toBeGreaterThan(0);
      expect(await chartSvg(channels)).toBe(svg);
    });

    it('inlines accessible SVG beside the tables in the HTML, and hides small counts in the public version', async () => {
      const html = annualReportDocumentHtml(staff, 'Test Council', { charts: await chartsBySection(staff) });
      expect(html).toContain('<svg role="img" aria-labelledby="chart-how-received-title"');
      expect(html).toContain('<title id="chart-how-received-title">Bar chart of the complaints received in 2019/20 by how they were received: ');
      expect(html.indexOf('chart-how-received-title')).toBeLessThan(html.indexOf('<caption class="govuk-table__caption govuk-table__caption--s">Complaints by how they were received</caption>'));
      expect(html).not.toContain('href="/cases');

      const charts = await chartsBySection(publicReport);
      const svg = charts['how-received']?.svg ?? '';
      expect(svg).toContain('Telephone: &lt;5');
      expect(svg).toContain('>&lt;5</text>');
      const spec = annualCharts(publicReport).find((c) => c.section === 'how-received')?.spec as { data: { values: { category: string; value: number; label: string }[] } };
      expect(spec.data.values.find((v) => v.category === 'Telephone')).toMatchObject({ value: 0, label: '<5' });
      expect(spec.data.values.find((v) => v.category === 'Email')).toMatchObject({ value: 6, label: '6' });
      expect(charts.teams?.svg ?? '').not.toContain('Ashfield House');
    });
  });

  describe('DOCX', () => {
    it('is an editable document: headings, tables with a header row and base, sentences, charts with alt text, checks', async () => {
      const docx = await annualReportDocx(staff, 'Test Council');
      const names = zipEntries(docx).map((e) => e.name);
      expect(names).toContain('word/document.xml');
      expect(names.filter((n) => n.startsWith('word/media/') && n.endsWith('.png'))).toHaveLength(5);
      const xml = readZipEntry(docx, 'word/document.xml');
      const text = decodeEntities(xml.replace(/<[^>]+>/g, ''));
      expect(xml).toContain('<w:pStyle w:val="Title"/>');
      expect(xml).toMatch(/<w:pStyle w:val="Heading1"\/>.*?<w:t[^>]*>Summary<\/w:t>/);
      expect(xml).toMatch(/<w:pStyle w:val="Heading1"\/>.*?<w:t[^>]*>Consistency checks<\/w:t>/);
      expect(xml).toMatch(/<w:pStyle w:val="Heading2"\/>.*?<w:t[^>]*>Complaints by how they were received<\/w:t>/);
      expect((xml.match(/<w:tbl>/g) ?? []).length).toBeGreaterThan(10);
      expect(xml).toContain('<w:tblHeader/>');
      expect(text).toContain('Base: 8 complaints received in 2019/20');
      expect(text).toContain('Complaints under the Children Act 1989 procedure received in 2019/20: 8 complaints');
      expect(text).toContain('Complaints received = responded to + withdrawn + escalated without a response + open');
      expect(xml).toContain('descr="Bar chart of the complaints received in 2019/20 by how they were received: ');
      expect(text).toContain('Ashfield House');
      expect(text).not.toContain('Pat Example');
    });

    it('suppresses small numbers in the public version as the HTML does', async () => {
      const text = decodeEntities(readZipEntry(await annualReportDocx(publicReport, 'Test Council'), 'word/document.xml').replace(/<[^>]+>/g, ' '));
      expect(text).toContain('<5');
      expect(text).not.toContain('Ashfield House');
      expect(text).toContain('Public version');
    });
  });

  describe('XLSX', () => {
    it('has an About sheet and a sheet a table, numbers equal to the JSON figures', async () => {
      const workbook = await workbookOf(await annualReportXlsx(staff, 'Test Council'));
      const names = workbook.worksheets.map((w) => w.name);
      expect(names[0]).toBe('About');
      expect(names.at(-1)).toBe('Consistency checks');
      expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
      expect(names.every((n) => n.length <= 31)).toBe(true);
      // Each sheet is named in full: a short name where the caption is longer than Excel allows.
      expect(names).toEqual(expect.arrayContaining(['Representations received', 'How complaints were received', 'Stage 1 working days taken', 'Received by year']));
      // …so no name is cut short: each is a table's own sheet name or caption, whole.
      const wanted = presentAnnualReport(staff).sections.flatMap((section) => section.tables.map((t) => t.sheet ?? t.caption));
      expect(wanted.filter((name) => name.length > 31)).toEqual([]);
      expect(names.slice(1, -1)).toEqual(wanted);
      const channels = names.find((n) => n === 'How complaints were received');
      if (channels === undefined) throw new Error(`no sheet of channels in ${names.join(', ')}`);
      expect(workbook.getWorksheet(channels)?.getRow(1).values).toEqual([undefined, 'How received', 'Complaints', '%']);
      const cs = staff.figures.children_statutory;
      expect(rowOf(workbook, channels, 'Email')[1]).toBe(cs.by_channel.email);
      expect(rowOf(workbook, channels, 'Telephone')[1]).toBe(cs.by_channel.telephone);
      expect(rowOf(workbook, channels, 'Email')[2]).toBe(0.75);
      expect(rowOf(workbook, 'Stage 1 findings', 'Upheld')[1]).toBe(cs.stage1.findings.upheld);
      expect(rowOf(workbook, 'Complaints by team', 'Fostering')[1]).toBe(cs.by_team.Fostering);
      expect(rowOf(workbook, 'About', 'As at')[1]).toBe('2020-06-30');
      expect(rowOf(workbook, 'About', 'From')[1]).toBe('2019-04-01');
      expect(rowOf(workbook, 'About', channels)[2]).toBe('Base: 8 complaints received in 2019/20');
    });

    it('keeps suppressed counts as "<5" text in the public version', async () => {
      const workbook = await workbookOf(await annualReportXlsx(publicReport, 'Test Council'));
      const channels = 'How complaints were received';
      expect(rowOf(workbook, channels, 'Email')[1]).toBe(6);
      expect(rowOf(workbook, channels, 'Telephone')[1]).toBe('<5');
      expect(rowOf(workbook, channels, 'Telephone')[2]).toBe('–');
      const json = JSON.stringify(workbook.worksheets.map((w) => w.getSheetValues()));
      expect(json).not.toContain('Ashfield House');
      expect(json).not.toContain('Brook Lodge');
    });
  });

  describe('the CLI', () => {
    it('writes DOCX and XLSX to --out, and binary to a redirected standard output', async () => {
      const env = { DATABASE_URL: database().url };
      const dir = mkdtempSync(path.join(tmpdir(), 'redress-report-'));
      try {
        const file = path.join(dir, 'report.xlsx');
        const written = await runCli(['report', 'annual', '--year', '2019', '--as-at', '2020-06-30', '--format', 'xlsx', '--public', '--out', file], env);
        expect(written.stderr).toContain('Wrote the 2019/20 annual report (xlsx)');
        expect(written.code).toBe(0);
        const workbook = await workbookOf(readFileSync(file));
        expect(rowOf(workbook, 'About', 'Version')[1]).toContain('Public');
        const docx = path.join(dir, 'report.docx');
        expect((await runCli(['report', 'annual', '--year', '2019', '--as-at', '2020-06-30', '--format', 'docx', '--out', docx], env)).code).toBe(0);
        expect(readZipEntry(readFileSync(docx), 'word/document.xml')).toContain('Consistency checks');
        const html = await runCli(['report', 'annual', '--year', '2019', '--as-at', '2020-06-30', '--format', 'html'], env);
        expect(html.stdout).toContain('<svg role="img"');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, CLI_TIMEOUT);
  });

  describe('the staff page', () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await createApp(container);
    });
    afterAll(async () => {
      await app.close();
    });

    it('offers DOCX and XLSX downloads, audited, and shows the charts', async () => {
      const manager = await signedInAs(app, container, 'complaints_manager');
      const page = await manager.get('/reports/annual?year=2019');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('href="/reports/annual.docx?year=2019"');
      expect(page.body).toContain('href="/reports/annual.xlsx?year=2019&amp;public=1"');
      expect(page.body).toContain('<svg role="img"');
      const docx = await manager.get('/reports/annual.docx?year=2019&public=1');
      expect(docx.statusCode).toBe(200);
      expect(docx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(docx.headers['content-disposition']).toContain('annual-report-2019-20-public.docx');
      expect(readZipEntry(docx.rawPayload, 'word/document.xml')).not.toContain('Ashfield House');
      const xlsx = await manager.get('/reports/annual.xlsx?year=2019');
      expect(xlsx.statusCode).toBe(200);
      expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect((await workbookOf(xlsx.rawPayload)).worksheets[0]?.name).toBe('About');
      const audit = await database().db.kysely.selectFrom('audit_event').select('details').where('action', '=', 'annual_report_viewed').execute();
      const details = audit.map((a) => (typeof a.details === 'string' ? a.details : JSON.stringify(a.details))).join(' ');
      expect(details).toContain('"format":"docx"');
      expect(details).toContain('"format":"xlsx"');
    }, HTTP_TIMEOUT);

    it('links each figure to the list of exactly the records behind it', async () => {
      const manager = await signedInAs(app, container, 'complaints_manager');
      const page = decodeEntities((await manager.get('/reports/annual?year=2019')).body);
      const cs = staff.figures.children_statutory;
      /** The link in the row `row` of the table `caption`, column `column` (1 = the first count). */
      const linkIn = (caption: string, row: string, column = 1): string => {
        const table = page.slice(page.indexOf(`>${caption}</caption>`));
        const tr = /<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g;
        for (let m = tr.exec(table); m !== null; m = tr.exec(table)) {
          const cells = m[1] ?? '';
          if (!cells.includes(`>${row}</th>`)) continue;
          const tds = [...cells.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((td) => td[1] ?? '');
          const href = /href="([^"]+)"/.exec(tds[column - 1] ?? '')?.[1];
          if (href === undefined) throw new Error(`no link for ${row} in ${caption}`);
          return href;
        }
        throw new Error(`no row ${row} in ${caption}`);
      };
      const listed = async (href: string): Promise<number> => {
        const list = await manager.get(href);
        expect(list.statusCode).toBe(200);
        expect(list.body).toContain('Records behind a report figure');
        const count = /id="results-count">\s*(?:Showing \d+ to \d+ of )?(\d+) cases?/.exec(list.body)?.[1];
        if (count === undefined) throw new Error(`no count on ${href}`);
        return Number(count);
      };
      const cases: [string, string, number, number?][] = [
        ['Representations received in 2019/20', 'Complaints (Children Act 1989 procedure)', cs.received],
        ['Representations received in 2019/20', 'Informal complaints', staff.figures.informal.received],
        ['Representations received by year', '2019/20', staff.figures.compliments.received, 4],
        ['Complaints by how they were received', 'Email', cs.by_channel.email],
        ['Complaints by how they were received', 'Telephone', cs.by_channel.telephone],
        ['Complaints by team', 'Fostering', cs.by_team.Fostering ?? -1],
        ['Complaints by who made them', 'Child or young person', cs.by_complainant_role.child],
        ['Stage 1 outcomes', 'Open', cs.stage1.open],
        ['Stage 1 outcomes', 'Withdrawn', cs.stage1.withdrawn],
        ['Stage 1 findings', 'Not upheld', cs.stage1.findings.not_upheld],
        ['Remedies', 'Apology', cs.stage1.remedies.apology],
        ['Issues raised', 'Delay', cs.issues.delay ?? -1],
      ];
      for (const [caption, row, figure, column] of cases) {
        expect(figure, `${caption} / ${row}`).toBeGreaterThan(0);
        expect(await listed(linkIn(caption, row, column)), `${caption} / ${row}`).toBe(figure);
      }
      // Downloads and the public version have no links.
      expect((await manager.get('/reports/annual.html?year=2019')).body).not.toContain('href="/cases');
    }, HTTP_TIMEOUT);
  });
});
