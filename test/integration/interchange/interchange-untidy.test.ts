/**
 * Registers kept by hand, imported as they are where the data is plausible, on SQLite and
 * PostgreSQL: Stage 2 costs with pence (exact both ways, export → import to the penny), Stage 1
 * recorded as extended for any kind whose procedure can extend it, and a young person with
 * different ethnicities on different lines (their latest line wins; each conflict a warning,
 * never an error) — while what is impossible is still refused, with nothing written.
 */
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { describeEachEngine } from '../../support/databases.ts';
import { testClock, testContainer } from '../../support/builders.ts';
import { collect, HEADER, line } from '../../support/interchange-files.ts';
import type { Container } from '../../../src/container.ts';
import type { Database } from '../../../src/db/schema.ts';
import { CLI_ACTOR } from '../../../src/app/clock.ts';

const TABLES = ['representation', 'clock', 'stage2', 'young_person', 'team'] as const;

async function counts(db: Kysely<Database>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return out;
}

const STAGE2 = { kind: 'children_statutory', team: 'Fostering', stage1_responded_on: '2013-05-01', finding: 'not_upheld', stage2_requested_on: '2013-05-02', stage2_responded_on: '2013-06-20' };

describeEachEngine('importing untidy registers', (database) => {
  let container: Container;
  const db = () => database().db.kysely;
  const exportCsv = async (year: number): Promise<string> => {
    const { stream, done } = collect();
    await container.interchange.exportYear(year, 'csv', stream, CLI_ACTOR);
    return (await done).toString('utf8');
  };
  const cellsOf = (csv: string, reference: string): Record<string, string> => {
    const [head = '', ...rows] = csv.trimEnd().split('\n');
    const names = head.split(',');
    const cells = rows.find((r) => r.startsWith(`${reference},`))?.split(',') ?? [];
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  };
  const ethnicityOf = async (externalId: string) => (await db().selectFrom('young_person').select('ethnicity').where('external_id', '=', externalId).executeTakeFirstOrThrow()).ethnicity;

  beforeAll(async () => {
    container = await testContainer(database(), testClock('2014-06-30T10:00:00.000Z'));
    await container.interchange.importFile(Buffer.from([HEADER, line({ reference: 'SEED-1', kind: 'compliment', received_on: '2013-04-01', team: 'Fostering' })].join('\n')), CLI_ACTOR, { createTeams: true });
  });

  it('imports Stage 2 costs to the penny, exports them with two decimals, and a round trip changes nothing', async () => {
    const costs = ['1234', '1234.5', '1234.56', '0.29', '4.35', '21020.50'];
    const file = [HEADER, ...costs.map((cost, i) => line({ ...STAGE2, reference: `CSC-2013-010${String(i)}`, received_on: '2013-04-10', stage2_cost_gbp: cost }))].join('\n');
    const result = await container.interchange.importFile(Buffer.from(file), CLI_ACTOR);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ created: 6, isWritten: true, warnings: [] });
    const stored = await db().selectFrom('stage2 as s').innerJoin('representation as r', 'r.id', 's.representation_id').select(['r.reference', 's.cost_other_pence']).orderBy('r.reference').execute();
    expect(stored.map((s) => s.cost_other_pence)).toEqual([123_400, 123_450, 123_456, 29, 435, 2_102_050]);

    const csv = await exportCsv(2013);
    expect(costs.map((_, i) => cellsOf(csv, `CSC-2013-010${String(i)}`).stage2_cost_gbp)).toEqual(['1234.00', '1234.50', '1234.56', '0.29', '4.35', '21020.50']);
    const before = await counts(db());
    const again = await container.interchange.importFile(Buffer.from(csv), CLI_ACTOR);
    expect(again.problems).toEqual([]);
    expect(again).toMatchObject({ created: 0, unchanged: 7, isWritten: false });
    expect(await counts(db())).toEqual(before);
    expect(await exportCsv(2013)).toBe(csv);

    // XLSX carries the same text, and reads back to the penny; a number typed into a spreadsheet is read as written.
    const { stream, done } = collect();
    await container.interchange.exportYear(2013, 'xlsx', stream, CLI_ACTOR);
    const xlsx = await done;
    const again2 = await container.interchange.importFile(xlsx, CLI_ACTOR);
    expect(again2).toMatchObject({ problems: [], created: 0, unchanged: 7 });
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Register');
    sheet.addRow(['reference', 'kind', 'received_on', 'team', 'stage1_responded_on', 'finding', 'stage2_requested_on', 'stage2_responded_on', 'stage2_cost_gbp']);
    sheet.addRow(['CSC-2013-0200', 'children_statutory', '2013-04-11', 'Fostering', '2013-05-01', 'upheld', '2013-05-02', '2013-06-20', 1020.3]);
    const typed = await container.interchange.importFile(Buffer.from(await workbook.xlsx.writeBuffer()), CLI_ACTOR);
    expect(typed).toMatchObject({ problems: [], created: 1 });
    expect(cellsOf(await exportCsv(2013), 'CSC-2013-0200').stage2_cost_gbp).toBe('1020.30');
  });

  it('refuses a cost with more than two decimals, below nothing or not a number, by line and column, writing nothing', async () => {
    const before = await counts(db());
    const file = [
      HEADER,
      line({ ...STAGE2, reference: 'CSC-2013-0301', received_on: '2013-04-12', stage2_cost_gbp: '12.345' }),
      line({ ...STAGE2, reference: 'CSC-2013-0302', received_on: '2013-04-12', stage2_cost_gbp: '-5' }),
      line({ ...STAGE2, reference: 'CSC-2013-0303', received_on: '2013-04-12', stage2_cost_gbp: 'about 300' }),
      line({ ...STAGE2, reference: 'CSC-2013-0304', received_on: '2013-04-12', stage2_cost_gbp: '300' }),
    ].join('\n');
    const result = await container.interchange.importFile(Buffer.from(file), CLI_ACTOR);
    expect(result.isWritten).toBe(false);
    expect(result.problems.map((p) => [p.line, p.letter, p.column, p.code])).toEqual([
      [2, 'W', 'stage2_cost_gbp', 'too_many_decimals'],
      [3, 'W', 'stage2_cost_gbp', 'negative_amount'],
      [4, 'W', 'stage2_cost_gbp', 'invalid_amount'],
    ]);
    expect(result.problems.map((p) => p.message)).toEqual([
      '"12.345" has more than two decimal places: give pounds and pence, such as 120.50',
      '"-5" is less than nothing: a cost is 0 or more',
      '"about 300" is not an amount in pounds, such as 3500, 120.5 or 120.50',
    ]);
    expect(await counts(db())).toEqual(before);
  });

  it('takes Stage 1 as extended for corporate and adult complaints, keeps it on their clock, and exports it back', async () => {
    const file = [
      HEADER,
      line({ reference: 'COR-2013-0401', kind: 'corporate', received_on: '2013-04-15', team: 'Fostering', stage1_extended: 'true', stage1_responded_on: '2013-05-20' }),
      line({ reference: 'COR-2013-0402', kind: 'corporate', received_on: '2013-04-16', team: 'Fostering', stage1_extended: 'true' }),
      line({ reference: 'ASC-2013-0403', kind: 'adult_statutory', received_on: '2013-04-17', team: 'Fostering', stage1_extended: 'true', stage1_responded_on: '2013-07-01' }),
      line({ reference: 'CSC-2013-0404', kind: 'children_statutory', received_on: '2013-04-18', team: 'Fostering', stage1_extended: 'true', stage1_responded_on: '2013-05-10', finding: 'upheld' }),
    ].join('\n');
    const result = await container.interchange.importFile(Buffer.from(file), CLI_ACTOR);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ created: 4, isWritten: true });
    const clocks = await db()
      .selectFrom('clock as c')
      .innerJoin('representation as r', 'r.id', 'c.subject_id')
      .select(['r.reference', 'c.clock_key', 'c.is_open', 'c.events'])
      .where('c.subject_type', '=', 'representation')
      .where('r.reference', 'in', ['COR-2013-0401', 'COR-2013-0402', 'ASC-2013-0403', 'CSC-2013-0404'])
      .orderBy('r.reference')
      .orderBy('c.clock_key')
      .execute();
    expect(clocks.map((c) => [c.reference, c.clock_key, c.is_open, (JSON.parse(c.events) as { extensions?: unknown[] }).extensions?.length ?? 0])).toEqual([
      ['ASC-2013-0403', 'response', 0, 1],
      ['COR-2013-0401', 'stage1_response', 0, 1],
      ['COR-2013-0402', 'acknowledgement', 1, 0],
      ['COR-2013-0402', 'stage1_response', 1, 1],
      ['CSC-2013-0404', 'stage1_response', 0, 1],
    ]);
    const csv = await exportCsv(2013);
    expect(['COR-2013-0401', 'COR-2013-0402', 'ASC-2013-0403', 'CSC-2013-0404'].map((r) => cellsOf(csv, r).stage1_extended)).toEqual(['true', 'true', 'true', 'true']);
    const before = await counts(db());
    expect(await container.interchange.importFile(Buffer.from(file), CLI_ACTOR)).toMatchObject({ problems: [], created: 0, unchanged: 4, isWritten: false });
    expect(await counts(db())).toEqual(before);
  });

  it('still refuses Stage 1 extended for kinds with no procedure, and what is impossible', async () => {
    const before = await counts(db());
    const file = [
      HEADER,
      line({ reference: 'CMT-2013-0501', kind: 'comment', received_on: '2013-04-15', stage1_extended: 'true' }),
      line({ reference: 'INF-2013-0502', kind: 'informal', received_on: '2013-04-15', stage1_extended: 'true' }),
      line({ reference: 'CSC-2013-0503', kind: 'children_statutory', received_on: '2013-02-29' }),
      line({ reference: 'CSC-2013-0504', kind: 'children_statutory', received_on: '2013-04-15', channel: 'pigeon' }),
      line({ reference: 'CSC-2013-0505', kind: 'children_statutory', received_on: '2013-04-15', stage1_responded_on: '2013-04-14' }),
      // A conflict of ethnicities on a good line: a warning, but the file's errors still stop it.
      line({ reference: 'CSC-2013-0506', kind: 'children_statutory', received_on: '2013-04-15', young_person_id: 'YP-X', ethnicity: 'WBRI' }),
      line({ reference: 'CSC-2013-0507', kind: 'children_statutory', received_on: '2013-04-16', young_person_id: 'YP-X', ethnicity: 'BCRB' }),
    ].join('\n');
    const result = await container.interchange.importFile(Buffer.from(file), CLI_ACTOR);
    expect(result.isWritten).toBe(false);
    expect(result.problems.map((p) => [p.line, p.letter, p.code])).toEqual([
      [2, 'N', 'not_for_kind'],
      [3, 'N', 'not_for_kind'],
      [4, 'C', 'invalid_date'],
      [5, 'H', 'unknown_code'],
      [6, 'O', 'response_before_receipt'],
    ]);
    expect(result.warnings.map((w) => [w.line, w.letter, w.code])).toEqual([[7, 'K', 'ethnicity_conflict']]);
    expect(await counts(db())).toEqual(before);
  });

  it('gives a young person the ethnicity on their latest line, listing each conflict as a warning, and imports the file', async () => {
    const file = [
      HEADER,
      line({ reference: 'CSC-2013-0601', kind: 'children_statutory', received_on: '2013-09-01', young_person_id: 'YP-601', ethnicity: 'WBRI' }),
      line({ reference: 'CSC-2013-0602', kind: 'children_statutory', received_on: '2013-05-01', young_person_id: 'YP-601', ethnicity: 'BCRB' }),
      line({ reference: 'CSC-2013-0603', kind: 'children_statutory', received_on: '2013-06-01', young_person_id: 'YP-601' }),
      // The same date of receipt: the later line wins.
      line({ reference: 'CSC-2013-0604', kind: 'children_statutory', received_on: '2013-07-01', young_person_id: 'YP-602', ethnicity: 'AIND' }),
      line({ reference: 'CSC-2013-0605', kind: 'children_statutory', received_on: '2013-07-01', young_person_id: 'YP-602', ethnicity: 'APKN' }),
    ].join('\n');
    const result = await container.interchange.importFile(Buffer.from(file), CLI_ACTOR);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ created: 5, isWritten: true, ethnicitiesChanged: 0 });
    expect(result.warnings.map((w) => [w.line, w.letter, w.column, w.code, w.message])).toEqual([
      [3, 'K', 'ethnicity', 'ethnicity_conflict', 'The young person YP-601 has the ethnicity BCRB here but WBRI on line 2, their latest line (received 2013-09-01): they keep WBRI'],
      [5, 'K', 'ethnicity', 'ethnicity_conflict', 'The young person YP-602 has the ethnicity AIND here but APKN on line 6, their latest line (received 2013-07-01): they keep APKN'],
    ]);
    expect(await ethnicityOf('YP-601')).toBe('WBRI');
    expect(await ethnicityOf('YP-602')).toBe('APKN');
    const csv = await exportCsv(2013);
    expect(['CSC-2013-0601', 'CSC-2013-0602', 'CSC-2013-0603'].map((r) => cellsOf(csv, r).ethnicity)).toEqual(['WBRI', 'WBRI', 'WBRI']);

    // Importing the same file again changes nothing, and says the same.
    const before = await counts(db());
    const again = await container.interchange.importFile(Buffer.from(file), CLI_ACTOR);
    expect(again).toMatchObject({ problems: [], created: 0, unchanged: 5, isWritten: false, ethnicitiesChanged: 0 });
    expect(again.warnings).toEqual(result.warnings);
    expect(await counts(db())).toEqual(before);
  });

  it('replaces a recorded ethnicity with the file’s latest line, with a warning', async () => {
    const file = [
      HEADER,
      line({ reference: 'CSC-2013-0701', kind: 'children_statutory', received_on: '2013-10-01', young_person_id: 'YP-601', ethnicity: 'MWBA' }),
      line({ reference: 'CSC-2013-0702', kind: 'children_statutory', received_on: '2013-10-02', young_person_id: 'YP-602' }),
    ].join('\n');
    const dry = await container.interchange.importFile(Buffer.from(file), CLI_ACTOR, { isDryRun: true });
    expect(dry).toMatchObject({ problems: [], created: 2, isWritten: false, ethnicitiesChanged: 1 });
    expect(await ethnicityOf('YP-601')).toBe('WBRI');
    const result = await container.interchange.importFile(Buffer.from(file), CLI_ACTOR);
    expect(result).toMatchObject({ problems: [], created: 2, isWritten: true, ethnicitiesChanged: 1 });
    expect(result.warnings.map((w) => [w.line, w.letter, w.code, w.message])).toEqual([
      [2, 'K', 'ethnicity_replaces_recorded', 'The young person YP-601 is recorded with the ethnicity WBRI; this line, their latest in the file, gives MWBA, which replaces it'],
    ]);
    expect(await ethnicityOf('YP-601')).toBe('MWBA');
    expect(await ethnicityOf('YP-602')).toBe('APKN'); // no line gives one: kept
    // A line already recorded, imported again, agrees with the person's ethnicity: nothing to warn about or write.
    const earlier = await container.interchange.importFile(Buffer.from([HEADER, line({ reference: 'CSC-2013-0701', kind: 'children_statutory', received_on: '2013-10-01', young_person_id: 'YP-601', ethnicity: 'MWBA' })].join('\n')), CLI_ACTOR);
    expect(earlier).toMatchObject({ problems: [], warnings: [], created: 0, unchanged: 1, isWritten: false });
  });
});
