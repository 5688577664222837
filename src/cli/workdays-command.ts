/**
 * `redress workdays add DATE N` and `redress workdays between FROM TO`: the counting rule
 * (`counting-rule.ts`) on the command line, under either receipt rule, one case from the arguments or many from standard
 * input (`--stdin`, one case a line, one answer a line).
 *
 * With `--stdin` every line is checked before anything is printed: when any line is wrong,
 * the problems go to stderr (line and column), nothing goes to stdout, and the exit code is 2
 * — the same all-or-nothing habit as the CSV import, so a script never reads half an answer.
 */
import type { Command } from 'commander';
import { DomainError } from '../domain/errors.ts';
import { tryParseIsoDate } from '../domain/calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../domain/calendar/working-day-calendar.ts';
import { type ReceiptRule, DEFAULT_RECEIPT_RULE, deadlineOfDayNumber, workingDaysTakenOfDayNumbers } from '../domain/calendar/counting-rule.ts';
import { shippedCalendar } from '../domain/calendar/shipped-holidays.ts';
import { receiptRuleOfText } from '../domain/procedures/council-setting-names.ts';
import { CliError } from './cli-io.ts';
import { withContainer } from './context.ts';

export type WorkdaysMode = 'add' | 'between';

/** What is wrong with one case: which of its two fields (0 or 1), when it is one field. */
export interface WorkdaysProblem {
  field?: 0 | 1;
  message: string;
}

/** Ways to run the commands without the real process (tests). */
export interface WorkdaysDeps {
  /** The calendar to count with; by default the one in force in the database. */
  calendar?: () => WorkingDayCalendar | Promise<WorkingDayCalendar>;
  /** The receipt rule when none is given; by default the council's setting in the database. */
  receiptRule?: () => ReceiptRule | Promise<ReceiptRule>;
  readStdin?: () => Promise<string>;
  writeStdout?: (text: string) => void;
}

/** The most problems listed for one input; the rest are counted. */
const MAX_PROBLEMS_LISTED = 20;

const FIELD_NAMES: Record<WorkdaysMode, readonly [string, string]> = {
  add: ['DATE', 'N'],
  between: ['FROM', 'TO'],
};

const EXPECTED: Record<WorkdaysMode, string> = {
  add: '"YYYY-MM-DD N" (a receipt date and a number of working days)',
  between: '"YYYY-MM-DD YYYY-MM-DD" (a receipt date and a response date)',
};

const COUNTING_RULE_HELP = `
Counting rule:
  Day 0 is the date of receipt, whatever day it is (--receipt-rule statutory, the reading
  of the 2006 Regulations), or, under --receipt-rule next-working-day, the next working day
  when something is received on a non-working day. Without the option, the council's
  setting in the database is used (statutory with --shipped).
  The deadline for N working days is working day N after day 0.
  Working days taken by a response are the working days after day 0 up to and including
  the response date; a response dated on a non-working day counts as made on the next
  working day. So a response is on time exactly when it is dated on or before the deadline.

Working days exclude Saturdays, Sundays and the bank holidays of England and Wales
(substitute and one-off days included) shipped with Redress, 1999-12-31 to 2040-12-31,
with the changes recorded in the database (see \`redress calendar\`); --shipped uses the
shipped days alone, without opening the database. A date outside those years is refused.`;

/** The rule `--receipt-rule` names; exit 2 for anything else. */
export function parseReceiptRuleOption(text: string): ReceiptRule {
  const rule = receiptRuleOfText(text);
  if (rule === undefined) throw new CliError(`--receipt-rule: "${text}" is not a receipt rule; use statutory or next-working-day`);
  return rule;
}

function dateProblem(text: string, calendar: WorkingDayCalendar, field: 0 | 1): WorkdaysProblem | number {
  const day = tryParseIsoDate(text);
  if (day === undefined) return { field, message: `"${text}" is not a real date in the form YYYY-MM-DD` };
  try {
    return calendar.dayNumberOf(text);
  } catch (error) {
    if (error instanceof DomainError) return { field, message: error.message };
    throw error;
  }
}

/**
 * The answer to one case, from its two fields: the deadline date (`add`) or the working
 * days taken (`between`), or what is wrong with it.
 */
export function answerWorkdaysCase(mode: WorkdaysMode, first: string, second: string, calendar: WorkingDayCalendar, rule: ReceiptRule): string | WorkdaysProblem {
  const from = dateProblem(first, calendar, 0);
  if (typeof from !== 'number') return from;
  if (mode === 'add') {
    if (!/^\d{1,9}$/.test(second)) {
      return { field: 1, message: `"${second}" is not a number of working days (a whole number, 0 or more)` };
    }
    try {
      return calendar.formatDayNumber(deadlineOfDayNumber(calendar, from, Number(second), rule));
    } catch (error) {
      if (error instanceof DomainError) return { field: 1, message: error.message };
      throw error;
    }
  }
  const to = dateProblem(second, calendar, 1);
  if (typeof to !== 'number') return to;
  if (to < from) return { field: 1, message: `the response date ${second} is before the receipt date ${first}` };
  return String(workingDaysTakenOfDayNumbers(calendar, from, to, rule));
}

/** Splits a line on spaces and tabs, keeping each field's 1-based column. */
function fieldsOf(line: string): { text: string; column: number }[] {
  const fields: { text: string; column: number }[] = [];
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    const code = i < line.length ? line.charCodeAt(i) : 32;
    const isSpace = code === 32 || code === 9;
    if (isSpace && start >= 0) {
      fields.push({ text: line.slice(start, i), column: start + 1 });
      start = -1;
    } else if (!isSpace && start < 0) {
      start = i;
    }
  }
  return fields;
}

/**
 * Answers every line of `text` (one case a line; `\n` or `\r\n`; a final newline is
 * optional; a UTF-8 byte order mark is ignored). Returns the output (one answer a line) when
 * every line is good, otherwise the problems, each naming its line and column.
 */
export function answerWorkdaysLines(mode: WorkdaysMode, text: string, calendar: WorkingDayCalendar, rule: ReceiptRule): { output: string; problems: string[] } {
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const answers: string[] = [];
  const problems: string[] = [];
  let problemCount = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const fields = fieldsOf(line);
    let problem: WorkdaysProblem | undefined;
    let column: number | undefined;
    const [first, second] = fields;
    if (fields.length !== 2 || first === undefined || second === undefined) {
      problem = { message: `expected ${EXPECTED[mode]}, found ${fields.length === 0 ? 'an empty line' : `${fields.length} field${fields.length === 1 ? '' : 's'}`}` };
    } else {
      const answer = answerWorkdaysCase(mode, first.text, second.text, calendar, rule);
      if (typeof answer === 'string') {
        answers.push(answer);
        continue;
      }
      problem = answer;
      column = answer.field === undefined ? undefined : fields[answer.field]?.column;
    }
    problemCount += 1;
    if (problems.length < MAX_PROBLEMS_LISTED) {
      problems.push(`line ${i + 1}${column === undefined ? '' : `, column ${column}`}: ${problem.message}`);
    }
  }
  if (problemCount > problems.length) problems.push(`… and ${problemCount - problems.length} more problems`);
  return problemCount > 0 ? { output: '', problems } : { output: answers.length === 0 ? '' : `${answers.join('\n')}\n`, problems };
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function registerMode(
  parent: Command,
  mode: WorkdaysMode,
  deps: Required<WorkdaysDeps>,
  description: string,
  argumentHelp: readonly [string, string],
  examples: string,
): void {
  const [firstName, secondName] = FIELD_NAMES[mode];
  parent
    .command(mode)
    .description(description)
    .argument(`[${firstName}]`, argumentHelp[0])
    .argument(`[${secondName}]`, argumentHelp[1])
    .option('--stdin', `read many cases from standard input, one a line as ${EXPECTED[mode]}, and print one answer a line`)
    .option('--shipped', 'count with the bank holidays shipped with Redress only, without reading the database')
    .option('--receipt-rule <rule>', 'statutory or next-working-day (default: the council setting)', parseReceiptRuleOption)
    .addHelpText('after', `${examples}\n${COUNTING_RULE_HELP}`)
    .action(async (first: string | undefined, second: string | undefined, options: { stdin?: boolean; shipped?: boolean; receiptRule?: ReceiptRule }) => {
      const calendar = options.shipped === true ? shippedCalendar() : await deps.calendar();
      const rule = options.receiptRule ?? (options.shipped === true ? DEFAULT_RECEIPT_RULE : await deps.receiptRule());
      if (options.stdin === true) {
        if (first !== undefined) throw new CliError(`give either ${firstName} and ${secondName}, or --stdin, not both`);
        const { output, problems } = answerWorkdaysLines(mode, await deps.readStdin(), calendar, rule);
        if (problems.length > 0) throw new CliError(`standard input has problems; nothing was printed:\n${problems.join('\n')}`);
        deps.writeStdout(output);
        return;
      }
      if (first === undefined || second === undefined) {
        throw new CliError(`missing ${first === undefined ? `${firstName} and ${secondName}` : secondName} (or use --stdin); see --help`);
      }
      const answer = answerWorkdaysCase(mode, first, second, calendar, rule);
      if (typeof answer !== 'string') {
        throw new CliError(answer.field === undefined ? answer.message : `${FIELD_NAMES[mode][answer.field]}: ${answer.message}`);
      }
      deps.writeStdout(`${answer}\n`);
    });
}

/** Registers `redress workdays add` and `redress workdays between`. */
export function registerWorkdaysCommands(program: Command, deps: WorkdaysDeps = {}): void {
  // The database is opened once, for both the calendar and the council's receipt rule.
  let stored: Promise<{ calendar: WorkingDayCalendar; receiptRule: ReceiptRule }> | undefined;
  const fromDatabase = () =>
    (stored ??= withContainer(async (c) => ({ calendar: await c.calendar.calendar(), receiptRule: (await c.councilSettings.settings()).receiptRule })));
  const resolved: Required<WorkdaysDeps> = {
    calendar: deps.calendar ?? (async () => (await fromDatabase()).calendar),
    receiptRule: deps.receiptRule ?? (async () => (await fromDatabase()).receiptRule),
    readStdin: deps.readStdin ?? readProcessStdin,
    writeStdout: deps.writeStdout ?? ((text) => process.stdout.write(text)),
  };
  const workdays = program
    .command('workdays')
    .description('count working days in England and Wales by the complaints counting rule (deadlines, working days taken)');
  registerMode(
    workdays,
    'add',
    resolved,
    'print the deadline N working days from a receipt on DATE (working day N after day 0)',
    ['the date of receipt, YYYY-MM-DD', 'the number of working days, a whole number 0 or more'],
    `
Examples:
  $ redress workdays add 2011-12-24 10 --receipt-rule statutory          # received Saturday 24 December 2011
  2012-01-11
  $ redress workdays add 2011-12-24 10 --receipt-rule next-working-day
  2012-01-12
  $ printf '2011-12-24 10\\n2011-04-21 10\\n' | redress workdays add --stdin --receipt-rule statutory
  2012-01-11
  2011-05-11`,
  );
  registerMode(
    workdays,
    'between',
    resolved,
    'print the working days taken by a response on TO to something received on FROM',
    ['the date of receipt, YYYY-MM-DD', 'the date of the response, YYYY-MM-DD (not before FROM: that is refused)'],
    `
Examples:
  $ redress workdays between 2011-12-24 2012-01-11 --receipt-rule statutory
  10
  $ printf '2012-01-06 2012-01-07\\n' | redress workdays between --stdin   # answered on a Saturday
  1`,
  );
}
