import type { Command } from 'commander';
import { CLI_ACTOR } from '../app/clock.ts';
import type { RetentionItem } from '../app/retention-service.ts';
import { isIsoDate } from '../domain/calendar/iso-date.ts';
import { CliError, refusalsAsCliErrors } from './cli-io.ts';
import { print, withContainer } from './context.ts';

interface RunOptions {
  dryRun?: boolean;
  asAt?: string;
}

function references(items: readonly { reference: string }[] | readonly string[]): string {
  const refs = items.map((i) => (typeof i === 'string' ? i : i.reference));
  return refs.length === 0 ? '' : `: ${refs.join(', ')}`;
}

function dueLine(item: RetentionItem): string {
  return `  ${item.reference}\tclosed ${item.endedOn}\tdue ${item.dueOn} (${item.basis === 'age' ? 'the young person’s age' : 'years after closure'})`;
}

export function registerRetentionCommands(program: Command): void {
  const retention = program.command('retention').description('retention and disposal: dispose of the personal data of closed cases whose retention period is over (legal holds are kept)');

  retention
    .command('run')
    .description('dispose of every closed case that is due and not on legal hold; prints the counts and references due, disposed of and held (safe to run again)')
    .option('--dry-run', 'say what would be disposed of, changing nothing')
    .option('--as-at <date>', 'the day to count as today, YYYY-MM-DD (default: today); a real run after today is refused in production')
    .action((options: RunOptions) => {
      const asAt = options.asAt;
      if (asAt !== undefined && !isIsoDate(asAt)) throw new CliError(`--as-at must be a real date written YYYY-MM-DD (got "${asAt}")`);
      return withContainer(async (c) => {
        const today = c.clock().toISOString().slice(0, 10);
        if (options.dryRun !== true && asAt !== undefined && asAt > today && c.config.env === 'production') {
          throw new CliError(`--as-at ${asAt} is after today: in production only a --dry-run may look ahead`);
        }
        const result = await refusalsAsCliErrors(() => c.retention.run({ asAt, isDryRun: options.dryRun === true }, CLI_ACTOR));
        const policy = `${String(result.policy.yearsAfterClosure)} years after the end of the financial year in which a case closed, and at least to the young person’s ${String(result.policy.minimumAge)}th birthday`;
        print(`Retention as at ${result.asAt}${result.isDryRun ? ' (dry run: nothing changed)' : ''}: kept ${policy}.`);
        print(`Due: ${String(result.due.length)}${references(result.due)}`);
        for (const item of result.due) print(dueLine(item));
        if (result.isDryRun) print(`Would be disposed of: ${String(result.due.length)}${references(result.due)}`);
        else print(`Disposed of: ${String(result.disposed.length)}${references(result.disposed)}`);
        print(`Kept on legal hold: ${String(result.held.length)}${references(result.held)}`);
        if (result.filesLeft.length > 0) {
          print(`Files that could not be deleted (delete them by hand from the attachments folder): ${result.filesLeft.join(', ')}`);
          throw new CliError('some files of disposed cases could not be deleted', 1);
        }
      });
    });
}
