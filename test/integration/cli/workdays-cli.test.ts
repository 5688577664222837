/**
 * `redress workdays` as a user runs it: a real `node bin/redress.js` process, its stdout,
 * stderr and exit code.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = 'bin/redress.js';
/** The calendar in force comes from the database: each run of this file gets its own. */
const DATABASE_URL = `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'redress-workdays-')), 'redress.db')}`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  milliseconds: number;
}

function redress(args: string[], input?: string): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TZ: 'Europe/London', LOG_LEVEL: 'warn', DATABASE_URL },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        milliseconds: performance.now() - started,
      });
    });
    child.stdin.end(input ?? '');
  });
}

describe('redress workdays (a real process)', () => {
  it('prints a deadline and the working days it took, under the council setting or the rule given', async () => {
    // Received Saturday 4 January 2020. Statutory (the default setting): day 0 is that Saturday,
    // working day 1 Monday 6 January, working day 20 Friday 31 January.
    expect(await redress(['workdays', 'add', '2020-01-04', '20'])).toMatchObject({ code: 0, stdout: '2020-01-31\n', stderr: '' });
    expect(await redress(['workdays', 'between', '2020-01-04', '2020-01-31'])).toMatchObject({ code: 0, stdout: '20\n', stderr: '' });
    // Next working day: day 0 is Monday 6 January, working day 20 Monday 3 February.
    expect(await redress(['workdays', 'add', '2020-01-04', '20', '--receipt-rule', 'next-working-day'])).toMatchObject({ code: 0, stdout: '2020-02-03\n', stderr: '' });
    expect(await redress(['workdays', 'add', '2020-01-04', '20', '--receipt-rule', 'sometimes'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'redress: --receipt-rule: "sometimes" is not a receipt rule; use statutory or next-working-day\n',
    });
    // The council's setting is the default.
    expect(await redress(['settings', 'set', 'receipt-rule', 'next-working-day'])).toMatchObject({ code: 0 });
    expect(await redress(['workdays', 'add', '2020-01-04', '20'])).toMatchObject({ code: 0, stdout: '2020-02-03\n', stderr: '' });
    expect(await redress(['settings', 'set', 'receipt-rule', 'statutory'])).toMatchObject({ code: 0 });
  });

  it('answers 100,000 lines from standard input, one answer a line', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const year = 2000 + (i % 40);
      const month = String(1 + (i % 12)).padStart(2, '0');
      const day = String(1 + (i % 28)).padStart(2, '0');
      lines.push(`${String(year)}-${month}-${day} ${String(i % 66)}`);
    }
    lines[0] = '2020-01-04 20';
    lines[1] = '2011-04-21 10';
    const run = await redress(['workdays', 'add', '--stdin', '--receipt-rule', 'next-working-day'], `${lines.join('\n')}\n`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const answers = run.stdout.split('\n');
    expect(answers).toHaveLength(100_001);
    expect(answers.slice(0, 2)).toEqual(['2020-02-03', '2011-05-11']);
    expect(answers.slice(0, -1).every((a) => /^\d{4}-\d{2}-\d{2}$/.test(a))).toBe(true);
    // Start-up included; the target is "a second or two", this only catches a pathological slow-down.
    console.log(`redress workdays add --stdin: 100,000 lines in ${run.milliseconds.toFixed(0)} ms`);
    expect(run.milliseconds).toBeLessThan(20_000);

    const between = await redress(['workdays', 'between', '--stdin'], '2020-01-04 2020-01-06\r\n2020-01-04 2020-01-31\r\n');
    expect(between).toMatchObject({ code: 0, stdout: '1\n20\n', stderr: '' });
  });

  it('refuses bad lines with their line and column on stderr, prints nothing and exits 2', async () => {
    const run = await redress(['workdays', 'add', '--stdin'], '2020-01-04 20\n2023-02-30 5\n2020-01-06 -1\nten days\n2041-01-01 3\n');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([
      'redress: standard input has problems; nothing was printed:',
      'line 2, column 1: "2023-02-30" is not a real date in the form YYYY-MM-DD',
      'line 3, column 12: "-1" is not a number of working days (a whole number, 0 or more)',
      'line 4, column 1: "ten" is not a real date in the form YYYY-MM-DD',
      'line 5, column 1: 2041-01-01 is outside the working-day calendar (1999-12-31 to 2040-12-31)',
      '',
    ]);
  });

  it('refuses bad arguments and a response before its receipt with exit code 2', async () => {
    expect(await redress(['workdays', 'add', '2023-02-30', '5'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'redress: DATE: "2023-02-30" is not a real date in the form YYYY-MM-DD\n',
    });
    expect(await redress(['workdays', 'between', '2020-01-06', '2020-01-03'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'redress: TO: the response date 2020-01-03 is before the receipt date 2020-01-06\n',
    });
  });

  it('counts with the calendar in force, so an added bank holiday moves the deadline', async () => {
    expect((await redress(['workdays', 'add', '2036-06-06', '1'])).stdout).toBe('2036-06-09\n');
    const added = await redress(['calendar', 'add', '2036-06-09', '--title', 'Proclaimed holiday', '--reason', 'Proclamation for the test']);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect((await redress(['workdays', 'add', '2036-06-06', '1'])).stdout).toBe('2036-06-10\n');
    expect((await redress(['workdays', 'add', '2036-06-06', '1', '--shipped'])).stdout).toBe('2036-06-09\n');
  });

  it('explains itself in --help', async () => {
    const run = await redress(['workdays', 'between', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: redress workdays between [options] [FROM] [TO]');
    expect(run.stdout).toContain('Counting rule');
  });
});
