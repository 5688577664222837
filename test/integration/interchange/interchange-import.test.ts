/**
 * Import and export of the interchange file through the real service, on
 * SQLite and PostgreSQL: a file with every column round-trips byte for byte; importing it
 * again changes nothing; bad input of every kind is reported by line and column and writes
 * nothing; formula-like cells are stored as text and exported escaped; XLSX both ways.
 */
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { describeEachEngine } from '../../support/databases.ts';
import { testClock, testContainer } from '../../support/builders.ts';
import { collect, FULL_YEAR_CSV, HEADER, line } from '../../support/interchange-files.ts';
import type { Container } from '../../../src/container.ts';
import type { Database } from '../../../src/db/schema.ts';
import { CLI_ACTOR } from '../../../src/app/clock.ts';

const TABLES = ['representation', 'representation_code', 'advocacy_offer', 'clock', 'stage2', 'stage3', 'ombudsman_enquiry', 'history_entry', 'young_person', 'team', 'contact'] as const;

async function counts(db: Kysely<Database>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

async function exportCsv(container: Container, year: number): Promise<string> {
  const { stream, done } = collect();
  await container.interchange.exportYear(year, 'csv', stream, CLI_ACTOR);
  return (await done).toString('utf8');
}

describeEachEngine('interchange import and export', (database) => {
  let container: Container;
  const db = () => database().db.kysely;

  beforeAll(async () => {
    container = await testContainer(database(), testClock('2026-11-26T10:00:00.000Z'));
  });

  it('checks a file without writing in a dry run', async () => {
    const before = await counts(db());
    const result = await container.interchange.importFile(Buffer.from(FULL_YEAR_CSV), CLI_ACTOR, { isDryRun: true, createTeams: true });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ lines: 6, created: 6, unchanged: 0, isDryRun: true, isWritten: false, teamsCreated: ['Care Management North', 'Fostering'] });
    expect(await counts(db())).toEqual(before);
  });

  it('imports every column and exports the same bytes', async () => {
    const result = await container.interchange.importFile(Buffer.from(`\uFEFF${FULL_YEAR_CSV}`), CLI_ACTOR, { createTeams: true });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ lines: 6, created: 6, unchanged: 0, isWritten: true });
    expect(await exportCsv(container, 2011)).toBe(FULL_YEAR_CSV);

    const first = await db().selectFrom('representation').selectAll().where('reference', '=', 'CSC-2011-0001').executeTakeFirstOrThrow();
    expect(first).toMatchObject({ status: 'stage3', stage: 3, summary: '=SUM(A1) said the parent, "twice"', finding: 'partially_upheld', responded_on: '2011-05-03' });
    const stage2 = await db().selectFrom('stage2').selectAll().where('representation_id', '=', first.id).executeTakeFirstOrThrow();
    expect(stage2).toMatchObject({ state: 'adjudicated', requested_on: '2011-05-10', statement_agreed_on: '2011-05-12', cost_other_pence: 350_050, is_late: 0 });
    expect(stage2.window_ends_on).toBe('2011-06-01'); // 20 working days after Tue 3 May 2011 (bank holiday Mon 30 May)
    const enquiry = await db().selectFrom('ombudsman_enquiry').selectAll().where('representation_id', '=', first.id).executeTakeFirstOrThrow();
    expect(enquiry).toMatchObject({ lgsco_reference: 'IMPORTED-CSC-2011-0001', decision: 'upheld', decided_on: '2011-09-01' });
    const history = await db().selectFrom('history_entry').select(['action', 'summary']).where('subject_id', '=', first.id).where('subject_type', '=', 'representation').execute();
    expect(history).toEqual([{ action: 'imported', summary: 'Imported from an interchange file' }]);

    // The open complaint has its Stage 1 clocks running from receipt; the closed ones only the extended one's.
    const open = await db().selectFrom('representation').select('id').where('reference', '=', 'CSC-2011-0004').executeTakeFirstOrThrow();
    const clocks = await db().selectFrom('clock').select(['subject_id', 'clock_key', 'is_open', 'started_on']).orderBy('subject_id').orderBy('clock_key').execute();
    expect(clocks).toEqual([
      { subject_id: first.id, clock_key: 'stage1_response', is_open: 0, started_on: '2011-04-05' },
      { subject_id: open.id, clock_key: 'acknowledgement', is_open: 1, started_on: '2011-08-01' },
      { subject_id: open.id, clock_key: 'stage1_response', is_open: 1, started_on: '2011-08-01' },
      ...(await db().selectFrom('representation').select('id').where('reference', '=', 'COR-2011-0006').execute()).map((r) => ({ subject_id: r.id, clock_key: 'acknowledgement', is_open: 1, started_on: '2011-10-03' })),
    ]);
    // Registration never gives an imported reference again.
    const sequence = await db().selectFrom('reference_sequence').selectAll().where('prefix', '=', 'CSC').where('year', '=', 2011).executeTakeFirstOrThrow();
    expect(sequence.last_number).toBe(5);
    const audit = await db().selectFrom('audit_event').select(['action', 'details']).where('action', '=', 'representations_imported').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.details ?? '{}')).toEqual({ lines: 6, created: 6, unchanged: 0, repeats: 0, teams_created: 2 });
  });

  it('changes nothing when the same file is imported again (or its lines repeated)', async () => {
    const before = await counts(db());
    const lines = FULL_YEAR_CSV.trimEnd().split('\n');
    const twice = [...lines, ...lines.slice(1)].join('\r\n');
    const result = await container.interchange.importFile(Buffer.from(twice), CLI_ACTOR);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ lines: 12, created: 0, unchanged: 6, repeats: 6, isWritten: false });
    expect(await counts(db())).toEqual(before);
  });

  it('reports every bad line by line and column and writes nothing', async () => {
    const before = await counts(db());
    const good = { kind: 'children_statutory', received_on: '2012-01-10', team: 'Fostering', summary: 'fine' };
    const file = [
      `${HEADER},colour`,
      line({ ...good, reference: 'CSC-2012-0101', kind: 'complaint' }), // unknown code: line 2, B
      line({ ...good, reference: 'CSC-2012-0102', team: 'Nowhere Team' }), // unknown team: line 3, G
      line({ ...good, reference: 'CSC-2012-0103', received_on: '2012-02-30' }), // impossible date: line 4, C
      line({ ...good, reference: 'CSC-2012-0104', stage1_responded_on: '2012-01-09' }), // response before receipt: line 5, O
      line({ ...good, reference: 'CSC-2012-0105' }), // good
      line({ ...good, reference: 'CSC-2012-0105', summary: 'different' }), // duplicate with different content: line 7, A
      line({ ...good, reference: 'CSC-2011-0001' }), // recorded already, differently: line 8, A
      line({ ...good, reference: 'CSC-2012-0106', issues: 'delay;nonsense', ethnicity: 'WBRI' }), // unknown issue (J) and ethnicity without young person (K): line 9
    ].join('\n');
    const result = await container.interchange.importFile(Buffer.from(file), CLI_ACTOR);
    expect(result.isWritten).toBe(false);
    expect(result.problems.map((p) => [p.line, p.letter, p.column, p.code])).toEqual([
      [1, 'AD', 'colour', 'unknown_column'],
      [2, 'B', 'kind', 'unknown_code'],
      [3, 'G', 'team', 'unknown_team'],
      [4, 'C', 'received_on', 'invalid_date'],
      [5, 'O', 'stage1_responded_on', 'response_before_receipt'],
      [7, 'A', 'reference', 'duplicate_reference'],
      [8, 'A', 'reference', 'reference_recorded_differently'],
      [9, 'J', 'issues', 'unknown_code'],
      [9, 'K', 'ethnicity', 'ethnicity_without_young_person'],
    ]);
    expect(result.problems.find((p) => p.line === 7)?.message).toContain('line 6');
    expect(result.problems.find((p) => p.line === 8)?.message).toMatch(/already recorded, with different .*received_on/);
    expect(await counts(db())).toEqual(before);
  });

  it('refuses a file without its required columns, and a file that is not CSV', async () => {
    const before = await counts(db());
    const missing = await container.interchange.importFile(Buffer.from('reference,summary\nX-1,hello\n'), CLI_ACTOR);
    expect(missing.problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [1, 'kind', 'missing_column'],
      [1, 'received_on', 'missing_column'],
    ]);
    const unreadable = await container.interchange.importFile(Buffer.from(`${HEADER}\n"CSC-1,children_statutory\n`), CLI_ACTOR);
    expect(unreadable.problems.map((p) => p.code)).toEqual(['unreadable_file']);
    expect(await counts(db())).toEqual(before);
  });

  it('exports XLSX with every cell as text and formula-like cells escaped, and imports it back unchanged', async () => {
    const { stream, done } = collect();
    await container.interchange.exportYear(2011, 'xlsx', stream, CLI_ACTOR);
    const xlsx = await done;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
    const sheet = workbook.worksheets[0];
    expect(sheet?.getRow(1).getCell(1).value).toBe('reference');
    expect(sheet?.getRow(2).getCell(29).value).toBe('\'=SUM(A1) said the parent, "twice"');
    expect(sheet?.getRow(2).getCell(23).value).toBe('3500.50');
    const before = await counts(db());
    const again = await container.interchange.importFile(xlsx, CLI_ACTOR);
    expect(again.problems).toEqual([]);
    expect(again).toMatchObject({ created: 0, unchanged: 6 });
    expect(await counts(db())).toEqual(before);
  });

  it('imports an XLSX sheet: dates, numbers and a real formula read as text, never run', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('First');
    sheet.addRow(['reference', 'kind', 'received_on', 'team', 'stage1_responded_on', 'finding', 'summary']);
    sheet.addRow(['CSC-2012-0201', 'children_statutory', new Date(Date.UTC(2012, 0, 16)), 'fostering', '2012-01-20', 'upheld', { formula: 'HYPERLINK("http://example.com")', result: 'click' }]);
    sheet.addRow([]);
    sheet.addRow(['CPL-2012-0202', 'compliment', '2012-02-01', 'Fostering', '', '', 12345]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const result = await container.interchange.importFile(buffer, CLI_ACTOR);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ lines: 2, created: 2, isWritten: true });
    const rows = await db().selectFrom('representation as r').innerJoin('team as t', 't.id', 'r.team_id').select(['r.reference', 'r.received_on', 'r.summary', 't.name']).where('r.reference', 'in', ['CSC-2012-0201', 'CPL-2012-0202']).orderBy('r.reference').execute();
    expect(rows).toEqual([
      { reference: 'CPL-2012-0202', received_on: '2012-02-01', summary: '12345', name: 'Fostering' },
      { reference: 'CSC-2012-0201', received_on: '2012-01-16', summary: '=HYPERLINK("http://example.com")', name: 'Fostering' },
    ]);
    const csv = await exportCsv(container, 2011);
    expect(csv).toContain('CSC-2012-0201,children_statutory,2012-01-16,,,,Fostering,,true,,,,,,2012-01-20,upheld,,,,,,,,,,,,,"\'=HYPERLINK(""http://example.com"")"');
  });

  it('feeds hand-entered yearly totals into the annual report history, and context figures to the report', async () => {
    await container.historyTotals.set(2009, { childrenStatutory: 104, informal: 45, corporate: 5, compliments: 56 }, CLI_ACTOR);
    await container.historyTotals.set(2012, { newReferrals: 2400, casesWorked: 5100 }, CLI_ACTOR);
    // Records exist for 2011/12, but a figure entered by hand for it replaces the records' count (the others stay).
    await container.historyTotals.set(2011, { childrenStatutory: 999 }, CLI_ACTOR);
    const report = await container.annualReports.report(2012, { asAt: '2013-06-30' });
    expect(report.figures.history).toEqual([
      { label: '2009/10', children_statutory: 104, informal: 45, corporate: 5, compliments: 56 },
      { label: '2010/11', children_statutory: 0, informal: 0, corporate: 0, compliments: 0 },
      { label: '2011/12', children_statutory: 999, informal: 1, corporate: 1, compliments: 2 },
    ]);
    expect(report.context).toEqual({ newReferrals: 2400, casesWorked: 5100 });
    const list = await container.historyTotals.list();
    expect(list.map((t) => [t.year, t.childrenStatutory, t.newReferrals])).toEqual([
      [2009, 104, null],
      [2011, 999, null],
      [2012, null, 2400],
    ]);
  });
});
