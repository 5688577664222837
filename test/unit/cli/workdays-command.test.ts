import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../../src/cli/cli-io.ts';
import { answerWorkdaysLines, registerWorkdaysCommands } from '../../../src/cli/workdays-command.ts';
import { shippedCalendar } from '../../../src/domain/calendar/shipped-holidays.ts';

const calendar = shippedCalendar();

/**
 * Runs `redress …` in process with the given standard input; returns stdout and the error, if
 * any. The council's receipt rule, when no option names one, is `next_working_day` here.
 */
async function run(args: string[], stdin = ''): Promise<{ stdout: string; error?: CliError }> {
  let stdout = '';
  const program = new Command('redress').exitOverride().configureOutput({ writeOut: (text) => (stdout += text), writeErr: () => undefined });
  registerWorkdaysCommands(program, { readStdin: () => Promise.resolve(stdin), writeStdout: (text) => (stdout += text), receiptRule: () => 'next_working_day' });
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CliError) return { stdout, error };
    if (error instanceof CommanderError && error.exitCode === 0) return { stdout }; // --help
    throw error;
  }
  return { stdout };
}

describe('redress workdays (in process)', () => {
  it('prints a deadline and working days taken', async () => {
    expect(await run(['workdays', 'add', '2020-01-04', '20'])).toEqual({ stdout: '2020-02-03\n' });
    expect(await run(['workdays', 'between', '2020-01-04', '2020-02-03'])).toEqual({ stdout: '20\n' });
    expect(await run(['workdays', 'between', '2020-01-06', '2020-01-06'])).toEqual({ stdout: '0\n' });
  });

  it('counts under the receipt rule given, or the council setting without one', async () => {
    // Received Saturday 24 December 2011: day 0 is that Saturday (statutory) or Wednesday 28 December.
    expect(await run(['workdays', 'add', '2011-12-24', '10', '--receipt-rule', 'statutory'])).toEqual({ stdout: '2012-01-11\n' });
    expect(await run(['workdays', 'add', '2011-12-24', '10', '--receipt-rule', 'next-working-day'])).toEqual({ stdout: '2012-01-12\n' });
    expect(await run(['workdays', 'add', '2011-12-24', '10'])).toEqual({ stdout: '2012-01-12\n' });
    expect(await run(['workdays', 'between', '2011-12-24', '2012-01-12', '--receipt-rule', 'statutory'])).toEqual({ stdout: '11\n' });
    expect(await run(['workdays', 'add', '--stdin', '--receipt-rule', 'statutory'], '2011-12-24 10\n2020-01-04 20\n')).toEqual({ stdout: '2012-01-11\n2020-01-31\n' });
  });

  it('refuses an unknown receipt rule with exit code 2', async () => {
    const { stdout, error } = await run(['workdays', 'add', '2011-12-24', '10', '--receipt-rule', 'deemed']);
    expect(stdout).toBe('');
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toBe('--receipt-rule: "deemed" is not a receipt rule; use statutory or next-working-day');
  });

  it('answers one case a line from standard input', async () => {
    expect(await run(['workdays', 'add', '--stdin'], '2020-01-04 20\r\n2011-04-21\t10\n  2012-06-01   1  \n')).toEqual({
      stdout: '2020-02-03\n2011-05-11\n2012-06-06\n',
    });
    expect(await run(['workdays', 'between', '--stdin'], '\uFEFF2020-01-04 2020-01-06\n2020-01-04 2020-02-03')).toEqual({ stdout: '0\n20\n' });
    expect(await run(['workdays', 'add', '--stdin'], '')).toEqual({ stdout: '' });
  });

  it.each([
    [['workdays', 'add', '2023-02-30', '5'], 'DATE: "2023-02-30" is not a real date in the form YYYY-MM-DD'],
    [['workdays', 'add', '2023-02-01', '-5'], 'N: "-5" is not a number of working days (a whole number, 0 or more)'],
    [['workdays', 'add', '2023-02-01', 'five'], 'N: "five" is not a number of working days (a whole number, 0 or more)'],
    [['workdays', 'add', '2041-01-02', '5'], 'DATE: 2041-01-02 is outside the working-day calendar (1999-12-31 to 2040-12-31)'],
    [['workdays', 'add', '2040-12-24', '10'], 'N: 10 working days after 2040-12-24 falls after the end of the calendar (2040-12-31)'],
    [['workdays', 'between', '2020-01-06', '2020-01-03'], 'TO: the response date 2020-01-03 is before the receipt date 2020-01-06'],
    [['workdays', 'add', '2020-01-06'], 'missing N (or use --stdin); see --help'],
    [['workdays', 'add'], 'missing DATE and N (or use --stdin); see --help'],
    [['workdays', 'add', '2020-01-06', '5', '--stdin'], 'give either DATE and N, or --stdin, not both'],
  ])('refuses %j with exit code 2', async (args, message) => {
    const { stdout, error } = await run(args);
    expect(stdout).toBe('');
    expect(error?.message).toBe(message);
    expect(error?.exitCode).toBe(2);
  });

  it('names the line and column of every bad line, and prints nothing', async () => {
    const input = ['2020-01-04 20', '2023-02-30 5', '', '2020-01-05   -3', 'words', '1999-01-04 2', '2020-01-04 20 7'].join('\n');
    const { stdout, error } = await run(['workdays', 'add', '--stdin'], input);
    expect(stdout).toBe('');
    expect(error?.exitCode).toBe(2);
    expect(error?.message.split('\n')).toEqual([
      'standard input has problems; nothing was printed:',
      'line 2, column 1: "2023-02-30" is not a real date in the form YYYY-MM-DD',
      'line 3: expected "YYYY-MM-DD N" (a receipt date and a number of working days), found an empty line',
      'line 4, column 14: "-3" is not a number of working days (a whole number, 0 or more)',
      'line 5: expected "YYYY-MM-DD N" (a receipt date and a number of working days), found 1 field',
      'line 6, column 1: 1999-01-04 is outside the working-day calendar (1999-12-31 to 2040-12-31)',
      'line 7: expected "YYYY-MM-DD N" (a receipt date and a number of working days), found 3 fields',
    ]);
  });

  it('lists at most 20 problems and counts the rest', () => {
    const { output, problems } = answerWorkdaysLines('between', 'x\n'.repeat(25), calendar, 'statutory');
    expect(output).toBe('');
    expect(problems).toHaveLength(21);
    expect(problems.at(-1)).toBe('… and 5 more problems');
  });

  it('answers 100,000 lines, one answer a line in order', () => {
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) lines.push(`20${String(10 + (i % 30))}-0${String(1 + (i % 9))}-1${String(i % 10)} ${String(i % 66)}`);
    const { output, problems } = answerWorkdaysLines('add', lines.join('\n'), calendar, 'next_working_day');
    expect(problems).toEqual([]);
    const answers = output.split('\n');
    expect(answers).toHaveLength(100_001);
    expect(answers.at(-1)).toBe('');
    for (const i of [0, 1, 4242, 99_999]) {
      const [date = '', n = ''] = (lines[i] ?? '').split(' ');
      expect(answers[i]).toBe(calendar.addWorkingDays(calendar.workingDayOnOrAfter(date), Number(n)));
    }
  });

  it('explains itself in --help', async () => {
    const { stdout } = await run(['workdays', 'add', '--help']);
    expect(stdout).toContain('Usage: redress workdays add [options] [DATE] [N]');
    expect(stdout).toContain('--stdin');
    expect(stdout).toContain('Day 0 is the date of receipt, whatever day it is (--receipt-rule statutory');
    expect(stdout).toContain('--receipt-rule <rule>');
  });
});
