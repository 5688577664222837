import type { Command } from 'commander';
import { CLI_ACTOR } from '../app/clock.ts';
import { CliError, readInputFile, refusalsAsCliErrors } from './cli-io.ts';
import { print, withContainer } from './context.ts';

export function registerCalendarCommands(program: Command): void {
  const calendar = program
    .command('calendar')
    .description('the working-day calendar: England and Wales bank holidays, and changes to them')
    .addHelpText('after', '\nA change re-dates every open clock it affects and records the move in the case history.');

  calendar
    .command('list')
    .description('list the bank holidays of a year, with where each came from')
    .requiredOption('--year <year>', 'the calendar year, e.g. 2027')
    .action((options: { year: string }) =>
      withContainer(async (c) => {
        if (!/^\d{4}$/.test(options.year)) throw new CliError(`--year must be a year such as 2027, not "${options.year}"`);
        const year = await refusalsAsCliErrors(() => c.calendar.year(Number(options.year)));
        if (year.holidays.length === 0) print(`No bank holidays in ${year.year}.`);
        for (const h of year.holidays) print([h.date, h.title, h.source === 'shipped' ? 'shipped' : `added: ${h.reason ?? ''}`].join('\t'));
        for (const r of year.removed) print([r.date, r.title, `removed: ${r.reason}`].join('\t'));
      }),
    );

  calendar
    .command('import')
    .description('add the new days from GOV.UK’s bank-holidays.json (England and Wales); report what differs; change nothing on error')
    .argument('<file>', 'the bank-holidays.json file published by GOV.UK')
    .option('--dry-run', 'report what would change without writing')
    .action((file: string, options: { dryRun?: boolean }) =>
      withContainer(async (c) => {
        const text = await readInputFile(file);
        const result = await refusalsAsCliErrors(() => c.calendar.importGovUk(text, CLI_ACTOR, { dryRun: options.dryRun === true }));
        const verb = options.dryRun === true ? 'Would add' : 'Added';
        print(`${verb} ${result.toAdd.length} bank holiday(s); ${result.alreadyPresent} already present; ${result.outsideCalendar} outside the calendar's years.`);
        for (const e of result.toAdd) print(`  + ${e.date}\t${e.title}`);
        if (result.differences.length > 0) print(`Differences (not changed):`);
        for (const d of result.differences) print(`  ! ${d.date}\t${d.message}`);
        if (result.redated.length > 0) print(`${result.redated.length} open clock(s) re-dated.`);
      }),
    );

  calendar
    .command('add')
    .description('make a date a bank holiday (e.g. a newly proclaimed one)')
    .argument('<date>', 'YYYY-MM-DD')
    .requiredOption('--title <title>', 'the holiday’s name')
    .requiredOption('--reason <reason>', 'why it is added (recorded in the history of every clock it moves)')
    .action((date: string, options: { title: string; reason: string }) =>
      withContainer(async (c) => {
        const redated = await refusalsAsCliErrors(() => c.calendar.change({ date, change: 'add', title: options.title, reason: options.reason }, CLI_ACTOR));
        print(`${date} is now a bank holiday. ${redated.length} open clock(s) re-dated.`);
      }),
    );

  calendar
    .command('remove')
    .description('make a bank holiday a working day again')
    .argument('<date>', 'YYYY-MM-DD')
    .requiredOption('--reason <reason>', 'why it is removed')
    .action((date: string, options: { reason: string }) =>
      withContainer(async (c) => {
        const redated = await refusalsAsCliErrors(() => c.calendar.change({ date, change: 'remove', title: '', reason: options.reason }, CLI_ACTOR));
        print(`${date} is now a working day. ${redated.length} open clock(s) re-dated.`);
      }),
    );
}
