import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { createContainer, migrateDatabase, type Container } from '../container.ts';
import { systemClock } from '../app/clock.ts';
import { openDatabase } from '../db/database.ts';
import { DEMO_PASSWORD } from '../app/demo-service.ts';
import { Scheduler } from '../jobs/scheduler.ts';
import { JobClaims } from '../jobs/job-claims.ts';
import { RateLimitRepository } from '../db/rate-limit-repository.ts';
import { CliError } from './cli-io.ts';
import { print, withContainer } from './context.ts';

async function ensureDemo(container: Container): Promise<void> {
  if (container.config.env === 'production') {
    throw new CliError('demo data is never created in production (NODE_ENV=production)');
  }
  const { created, accounts } = await container.demo.ensure({ withCases: true });
  print(created ? 'Demo data created.' : 'Demo data already present.');
  print('');
  print('Sign in with any of these demo accounts, password: ' + DEMO_PASSWORD);
  for (const account of accounts) print(`  ${account.label.padEnd(24)} ${account.email}`);
  print('');
}

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('start the web server (migrates the database first)')
    .option('--demo', 'add demo teams and one demo user per role if missing, and print how to sign in')
    .addHelpText('after', '\nSettings come from the environment: PORT, DATABASE_URL, SESSION_SECRET, … (see README).')
    .action(async (options: { demo?: boolean }) => {
      const container = await createContainer(loadConfig());
      if (options.demo === true) await ensureDemo(container);
      // Loaded here so that other commands start without the web stack.
      const { createApp } = await import('../web/app.ts');
      const app = await createApp(container);
      // Files staged on the public pages and never sent are removed after a day (src/app/attachment-service.ts).
      const housekeeping = new Scheduler(container.logger, { claims: new JobClaims(container.db.kysely) });
      const rateLimits = new RateLimitRepository(container.db.kysely);
      const stop = async () => {
        await app.close();
        await housekeeping.stop();
        await container.notifications.stop();
        await container.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      await app.listen({ port: container.config.port, host: container.config.host });
      // The outbox worker and the reminder job run beside the web server (src/notify/).
      container.notifications.start();
      housekeeping.start([
        { name: 'attachment-cleanup', intervalMs: 60 * 60 * 1000, oncePerInterval: true, run: () => container.attachments.cleanUp() },
        // Ended rate-limit windows, old sign-in failures and stale sessions.
        { name: 'limits-cleanup', intervalMs: 10 * 60 * 1000, oncePerInterval: true, run: async () => [await rateLimits.purgeExpired(new Date()), await container.auth.purgeStale()] },
      ]);
      const shown = container.config.host === '0.0.0.0' ? 'localhost' : container.config.host;
      print(`Redress is running at http://${shown}:${container.config.port}`);
      await new Promise(() => undefined);
    });

  program
    .command('migrate')
    .description('bring the database schema up to date (safe to run again)')
    .action(async () => {
      const db = openDatabase(loadConfig().database);
      try {
        const { applied, redatedClocks } = await migrateDatabase(db, systemClock);
        print(applied.length === 0 ? 'The database is up to date.' : `Applied: ${applied.join(', ')}`);
        if (redatedClocks > 0) print(`${redatedClocks} open deadline${redatedClocks === 1 ? '' : 's'} re-dated (see each case's history).`);
      } finally {
        await db.close();
      }
    });

  program
    .command('demo')
    .description('add demo teams and one demo user per role (never in production) and print how to sign in')
    .action(() => withContainer(ensureDemo));
}
