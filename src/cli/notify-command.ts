import type { Command } from 'commander';
import type { NotificationStatus } from '../db/schema.ts';
import { CliError } from './cli-io.ts';
import { print, withContainer } from './context.ts';
import { CLI_ACTOR } from '../app/clock.ts';

const STATUSES: readonly NotificationStatus[] = ['pending', 'sending', 'sent', 'failed'];

export function registerNotifyCommands(program: Command): void {
  const notify = program.command('notify').description('the email outbox: reminders, deliveries and what failed');

  notify
    .command('run-once')
    .description('enqueue today’s reminders, escalations and digests, then deliver what is due now (as `serve` does on a timer)')
    .option('--no-jobs', 'only deliver: do not enqueue reminders, escalations and digests')
    .action((options: { jobs: boolean }) =>
      withContainer(async (c) => {
        if (options.jobs) {
          const jobs = await c.notifications.runJobs();
          print(
            jobs.isWorkingDay
              ? `Enqueued for ${jobs.date}: ${String(jobs.reminders)} reminders, ${String(jobs.escalations)} escalations, ${String(jobs.digests)} digests.`
              : `${jobs.date} is not a working day: no reminders or digests.`,
          );
        }
        const result = await c.notifications.deliverOnce();
        if (result === undefined) {
          print('NOTIFY_TRANSPORT is not set: nothing was sent (messages wait in the outbox).');
          return;
        }
        print(`Delivered: ${String(result.sent)} sent, ${String(result.retrying)} to try again, ${String(result.failed)} failed (of ${String(result.claimed)} due).`);
      }),
    );

  notify
    .command('list')
    .description('list outbox messages, newest first (ids, template and status: never addresses or content)')
    .option('--status <status>', `only messages in this status: ${STATUSES.join(', ')}`)
    .option('--limit <n>', 'how many to show', '50')
    .action((options: { status?: string; limit: string }) =>
      withContainer(async (c) => {
        const status = options.status;
        if (status !== undefined && !STATUSES.some((s) => s === status)) throw new CliError(`--status must be one of ${STATUSES.join(', ')}`);
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new CliError('--limit must be a whole number from 1 to 10000');
        const counts = await c.notifications.outbox.counts();
        print(STATUSES.map((s) => `${s} ${String(counts[s])}`).join(', '));
        const rows = await c.notifications.outbox.list({ ...(status === undefined ? {} : { status: status as NotificationStatus }), limit });
        for (const r of rows) {
          print([String(r.id), r.status, r.templateKey, r.idempotencyKey, `attempts ${String(r.attempts)}`, r.sentAt ?? `next ${r.nextAttemptAt}`, r.lastError ?? ''].join('\t').trimEnd());
        }
      }),
    );

  notify
    .command('retry')
    .description('try a failed message again now')
    .argument('<id>', 'the message’s id (see notify list --status failed)')
    .action((id: string) =>
      withContainer(async (c) => {
        if (!/^\d{1,15}$/.test(id)) throw new CliError('give the message’s id, a whole number');
        if (!(await c.notifications.outbox.retry(Number(id), c.clock()))) throw new CliError(`message ${id} is not a failed message`);
        print(`Message ${id} will be tried again.`);
      }),
    );

  notify
    .command('retry-all')
    .description('try every failed message again now, each for a fresh 48 hours (recorded in the audit trail)')
    .action(() =>
      withContainer(async (c) => {
        const count = await c.notifications.retryAllFailed(CLI_ACTOR);
        print(count === 0 ? 'No failed messages.' : `${String(count)} failed message${count === 1 ? '' : 's'} will be tried again.`);
      }),
    );
}
