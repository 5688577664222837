/** `redress import`, `redress export` and `redress history` run as a user runs them, on both engines. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../support/databases.ts';
import { runCli } from '../../support/cli.ts';
import { FULL_YEAR_CSV, HEADER, line } from '../../support/interchange-files.ts';

/** Each CLI run starts a process and opens the database: slow on a busy machine. */
const CLI_TIMEOUT = 180_000;

describeEachEngine('redress import, export and history', (database) => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'redress-interchange-cli-'));
  const env = () => ({ DATABASE_URL: database().url });
  const count = async () => Number((await database().db.kysely.selectFrom('representation').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it(
    'refuses a bad file with every problem by line and column, exit 1, nothing written',
    async () => {
      const file = path.join(scratch, 'bad.csv');
      writeFileSync(file, [HEADER, line({ reference: 'CSC-2011-0001', kind: 'complaint', received_on: '2011-04-31', summary: 'x' }), line({ reference: 'CSC-2011-0002', kind: 'informal', received_on: '2011-05-01', team: 'Nowhere' })].join('\n'));
      const result = await runCli(['import', file], env());
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('line 2, column B (kind): "complaint" is not a kind code');
      expect(result.stderr).toContain('line 2, column C (received_on): "2011-04-31" is not a real date written YYYY-MM-DD');
      expect(result.stderr).toContain('line 3, column G (team): There is no team called "Nowhere"');
      expect(result.stderr).toContain(`redress: 3 problem(s) in ${file}: nothing was imported`);
      expect(await count()).toBe(0);
    },
    CLI_TIMEOUT,
  );

  it(
    'checks with --dry-run, imports with --create-teams, then a second import changes nothing',
    async () => {
      const file = path.join(scratch, 'year.csv');
      writeFileSync(file, FULL_YEAR_CSV);
      const dry = await runCli(['import', file, '--dry-run', '--create-teams'], env());
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('6 line(s) read: 6 new, 0 already recorded (unchanged), 0 repeated in the file.');
      expect(dry.stdout).toContain('Dry run: the file has no problems; nothing was written.');
      expect(await count()).toBe(0);

      const first = await runCli(['import', file, '--create-teams'], env());
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain('Teams created (service area "Imported"): Care Management North, Fostering');
      expect(first.stdout).toContain('Imported 6 representation(s).');
      expect(first.stderr).toBe(''); // not a terminal: no progress bar
      expect(await count()).toBe(6);

      const again = await runCli(['import', file], env());
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('0 new, 6 already recorded (unchanged)');
      expect(again.stdout).toContain('Nothing new to import: nothing was written.');
      expect(await count()).toBe(6);
    },
    CLI_TIMEOUT,
  );

  it(
    'exports a year as CSV (the same bytes) and as XLSX',
    async () => {
      const csv = path.join(scratch, 'out.csv');
      const result = await runCli(['export', '--year', '2011', '--out', csv], env());
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`Wrote 6 representation(s) received in 2011/12 to ${csv} (CSV)`);
      expect(readFileSync(csv, 'utf8')).toBe(FULL_YEAR_CSV);

      const xlsx = path.join(scratch, 'out.xlsx');
      const asXlsx = await runCli(['export', '--year', '2011', '--out', xlsx], env());
      expect(asXlsx.code, asXlsx.stderr).toBe(0);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(xlsx);
      expect(workbook.worksheets[0]?.rowCount).toBe(7);
      expect(workbook.worksheets[0]?.getRow(4).getCell(29).value).toBe("'+44 thanks from the court");

      const stdout = await runCli(['export', '--year', '2010'], env());
      expect(stdout.code, stdout.stderr).toBe(0);
      expect(stdout.stdout).toBe(`${HEADER}\n`);

      const bad = await runCli(['export', '--year', '11'], env());
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--year must be the year it starts');
    },
    CLI_TIMEOUT,
  );

  it(
    'sets and lists yearly totals, refusing a figure that is not a whole number',
    async () => {
      const set = await runCli(['history', 'set', '--year', '2009', '--children-statutory', '104', '--informal', '45', '--corporate', '5', '--compliments', '56'], env());
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toContain('Saved 2009/10: childrenStatutory 104, informal 45, corporate 5, compliments 56, newReferrals -, casesWorked -');
      const context = await runCli(['history', 'set', '--year', '2009', '--new-referrals', '1200', '--cases-worked', '3000'], env());
      expect(context.code, context.stderr).toBe(0);
      const bad = await runCli(['history', 'set', '--year', '2009', '--informal', 'lots'], env());
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--informal: Informal complaints must be a whole number, 0 or more');
      const list = await runCli(['history', 'list'], env());
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout.trim().split('\n')).toEqual(['year\tchildren_statutory\tinformal\tcorporate\tcompliments\tnew_referrals\tcases_worked', '2009/10\t104\t45\t5\t56\t1200\t3000']);
    },
    CLI_TIMEOUT,
  );
});

describeEachEngine('redress import of an untidy register', (database) => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'redress-untidy-cli-'));
  const env = () => ({ DATABASE_URL: database().url });

  it(
    'prints each ethnicity conflict as a warning on stderr, exits 0 and writes the file',
    async () => {
      const file = path.join(scratch, 'untidy.csv');
      writeFileSync(
        file,
        [
          HEADER,
          line({ reference: 'CSC-2011-0001', kind: 'children_statutory', received_on: '2011-09-01', young_person_id: 'YP-1', ethnicity: 'WBRI' }),
          line({ reference: 'CSC-2011-0002', kind: 'children_statutory', received_on: '2011-05-01', young_person_id: 'YP-1', ethnicity: 'BCRB' }),
          line({ reference: 'COR-2011-0003', kind: 'corporate', received_on: '2011-05-02', stage1_extended: 'true', stage1_responded_on: '2011-06-01' }),
          line({ reference: 'CSC-2011-0004', kind: 'children_statutory', received_on: '2011-05-03', stage1_responded_on: '2011-05-20', finding: 'upheld', stage2_requested_on: '2011-05-21', stage2_responded_on: '2011-07-01', stage2_cost_gbp: '21020.5' }),
        ].join('\n'),
      );
      const dry = await runCli(['import', file, '--dry-run'], env());
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stderr).toContain('warning: line 3, column K (ethnicity): The young person YP-1 has the ethnicity BCRB here but WBRI on line 2');

      const result = await runCli(['import', file], env());
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr.trim().split('\n')).toEqual([
        'warning: line 3, column K (ethnicity): The young person YP-1 has the ethnicity BCRB here but WBRI on line 2, their latest line (received 2011-09-01): they keep WBRI',
      ]);
      expect(result.stdout).toContain('1 warning(s), listed on standard error: taken as they are.');
      expect(result.stdout).toContain('Imported 4 representation(s).');
      const db = database().db.kysely;
      expect((await db.selectFrom('young_person').select('ethnicity').where('external_id', '=', 'YP-1').executeTakeFirstOrThrow()).ethnicity).toBe('WBRI');

      const exported = await runCli(['export', '--year', '2011'], env());
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toContain(',2011-05-21,,2011-07-01,21020.50,');
      expect(exported.stdout).toMatch(/^COR-2011-0003,corporate,2011-05-02,(?:[^,]*,){10}true,2011-06-01,/m);
    },
    CLI_TIMEOUT,
  );
});
