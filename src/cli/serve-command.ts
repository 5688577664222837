import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { createContainer, migrateDatabase, type Container } from '../container.ts';
import { systemClock } from '../app/clock.ts';
import { openDatabase } from '../db/database.ts';
import { DEMO_PASSWORD } from '../app/demo-service.ts';
import { Scheduler } from '../jobs/scheduler.ts';
import { JobClaims } from '../jobs/job-claims.ts';
import { RateLimitRepository } from '../db/rate-limit-repository.ts';
import { sql } from 'kysely';
import { CliError } from './cli-io.ts';
import { stopOnSignals } from './shutdown.ts';
import { print, withContainer } from './context.ts';

/** Adds the demo data where it is missing; returns what to tell the person who started it. */
async function ensureDemo(container: Container): Promise<string[]> {
  if (container.config.env === 'production') {
    throw new CliError('demo data is never created in production (NODE_ENV=production)');
  }
  const { created, accounts } = await container.demo.ensure({ withCases: true });
  return [
    created ? 'Demo data created.' : 'Demo data already present.',
    '',
    'Sign in with any of these demo accounts, password: ' + DEMO_PASSWORD,
    ...accounts.map((account) => `  ${account.label.padEnd(24)} ${account.email}`),
    '',
    'The administrator sets up an authenticator app (any TOTP app) at first sign-in.',
    ...(container.config.mfaRequired ? ['MFA_REQUIRED is on: every demo account does.'] : []),
    '',
  ];
}

/** Where emails are only recorded (NOTIFY_TRANSPORT=log), where to read them. */
function emailsLine(container: Container, base: string): string[] {
  return container.config.notify.transport === 'log' ? [`Emails are recorded, not sent: read them at ${base}/emails`] : [];
}

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('start the web server (migrates the database first)')
    .option('--demo', 'add demo teams and one demo user per role if missing, and print how to sign in')
    .addHelpText('after', '\nSettings come from the environment: PORT, DATABASE_URL, SESSION_SECRET, … (see README).')
    .action(async (options: { demo?: boolean }) => {
      const container = await createContainer(loadConfig());
      const demoLines = options.demo === true ? await ensureDemo(container) : [];
      // Loaded here so that other commands start without the web stack.
      const { createApp } = await import('../web/app.ts');
      const app = await createApp(container);
      // Files staged on the public pages and never sent are removed after a day (src/app/attachment-service.ts).
      const housekeeping = new Scheduler(container.logger, { claims: new JobClaims(container.db.kysely) });
      const rateLimits = new RateLimitRepository(container.db.kysely);
      // SIGTERM or SIGINT: finish requests in flight and background work, close the database, exit 0 (src/cli/shutdown.ts).
      stopOnSignals({
        logger: container.logger,
        stop: async () => {
          await Promise.all([app.close(), housekeeping.stop(), container.notifications.stop()]);
          if (container.db.engine === 'sqlite') await sql`pragma wal_checkpoint(TRUNCATE)`.execute(container.db.kysely);
          await container.close();
        },
      });
      await app.listen({ port: container.config.port, host: container.config.host });
      // The outbox worker and the reminder job run beside the web server (src/notify/).
      container.notifications.start();
      housekeeping.start([
        { name: 'attachment-cleanup', intervalMs: 60 * 60 * 1000, oncePerInterval: true, run: () => container.attachments.cleanUp() },
        // Ended rate-limit windows, old sign-in failures and stale sessions.
        { name: 'limits-cleanup', intervalMs: 10 * 60 * 1000, oncePerInterval: true, run: async () => [await rateLimits.purgeExpired(new Date()), await container.auth.purgeStale(), await (container.oidc?.purgeStale() ?? 0), await container.mfa.purgeExpired()] },
      ]);
      // The banner comes after the start-up logs (the first runs of the jobs and the outbox), not buried under them.
      await Promise.all([container.notifications.idle(), housekeeping.idle()]);
      await container.notifications.deliverOnce();
      const shown = container.config.host === '0.0.0.0' ? 'localhost' : container.config.host;
      const base = `http://${shown}:${String(container.config.port)}`;
      for (const line of [...demoLines, ...emailsLine(container, base), `Redress is running at ${base}`]) print(line);
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
    .action(() =>
      withContainer(async (container) => {
        for (const line of await ensureDemo(container)) print(line);
      }),
    );
}
