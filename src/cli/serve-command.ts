import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
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
import { stopOnSignals, stopper } from './shutdown.ts';
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

/** What a server process of several tells the first process, and is told by it. */
const READY = 'redress:ready';
const STOP = 'redress:stop';
const MAX_PROCESSES = 64;

/** `--processes`: a whole number, or `auto` for one per processor core. */
function processCount(text: string): number {
  if (text === 'auto') return availableParallelism();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_PROCESSES)) throw new CliError(`--processes must be a whole number from 1 to ${String(MAX_PROCESSES)}, or auto (one per processor core): "${text}"`);
  return n;
}

/** The address to tell people: localhost when listening on every interface. */
function baseUrl(container: Container): string {
  const shown = container.config.host === '0.0.0.0' ? 'localhost' : container.config.host;
  return `http://${shown}:${String(container.config.port)}`;
}

/**
 * One server process: the web server, the outbox worker and the scheduled jobs. One of
 * several (`isOneOfSeveral`) leaves the demo data and the banner to the first process, tells
 * it when it is ready, and stops when it says so (or when it is gone).
 */
async function serveOne(options: { readonly demo: boolean; readonly isOneOfSeveral: boolean }): Promise<never> {
  const container = await createContainer(loadConfig());
  const demoLines = options.demo && !options.isOneOfSeveral ? await ensureDemo(container) : [];
  // Loaded here so that other commands start without the web stack.
  const { createApp } = await import('../web/app.ts');
  const app = await createApp(container);
  // Files staged on the public pages and never sent are removed after a day (src/app/attachment-service.ts).
  const housekeeping = new Scheduler(container.logger, { claims: new JobClaims(container.db.kysely) });
  const rateLimits = new RateLimitRepository(container.db.kysely);
  // SIGTERM or SIGINT: finish requests in flight and background work, close the database, exit 0 (src/cli/shutdown.ts).
  const shutdown = {
    logger: container.logger,
    stop: async () => {
      await Promise.all([app.close(), housekeeping.stop(), container.notifications.stop()]);
      if (container.db.engine === 'sqlite') await sql`pragma wal_checkpoint(TRUNCATE)`.execute(container.db.kysely);
      await container.close();
    },
  };
  if (options.isOneOfSeveral) {
    // The first process passes on SIGTERM and SIGINT; a terminal's Ctrl-C reaches every process, so it is left to it.
    const stop = stopper(shutdown, true);
    process.on('message', (message) => {
      if (message === STOP) stop('SIGTERM');
    });
    process.on('disconnect', () => { stop('disconnect'); });
    process.on('SIGTERM', stop);
    process.on('SIGINT', () => undefined);
  } else stopOnSignals(shutdown);
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
  if (options.isOneOfSeveral) process.send?.(READY);
  else for (const line of [...demoLines, ...emailsLine(container, baseUrl(container)), `Redress is running at ${baseUrl(container)}`]) print(line);
  return new Promise<never>(() => undefined);
}

/**
 * Several server processes sharing the port (Node's cluster: the first process hands each
 * new connection to the next of them). The first process migrates the database and adds the
 * demo data once, starts the others, starts another if one stops, and on SIGTERM or SIGINT
 * asks each to stop as one process would, exiting when all have.
 */
async function serveMany(processes: number, demo: boolean): Promise<never> {
  const config = loadConfig();
  if (config.database.engine === 'sqlite' && config.database.location === ':memory:') throw new CliError('several processes need a database they can share: a SQLite file or PostgreSQL, not :memory:');
  const container = await createContainer(config);
  const demoLines = demo ? await ensureDemo(container) : [];
  const { logger } = container;
  const lines = [...demoLines, ...emailsLine(container, baseUrl(container)), `Redress is running at ${baseUrl(container)} (${String(processes)} processes)`];
  await container.close();

  /** Each running process, and whether it is ready (listening, and stopping on request). */
  const running = new Map<ReturnType<typeof cluster.fork>, boolean>();
  let ready = 0;
  let isStopping = false;
  let hasStoppedCleanly = true;
  let allStopped = (): void => undefined;
  const start = (): void => {
    const worker = cluster.fork();
    running.set(worker, false);
    worker.on('message', (message) => {
      if (message !== READY || running.get(worker) !== false) return;
      running.set(worker, true);
      ready += 1;
      if (ready === processes) for (const line of lines) print(line);
    });
    worker.on('exit', (code, signal) => {
      const isReady = running.get(worker) === true;
      running.delete(worker);
      if (isStopping) {
        // One still starting is ended by the signal itself: it had nothing in hand.
        if (isReady && code !== 0) hasStoppedCleanly = false;
        if (running.size === 0) allStopped();
        return;
      }
      if (!isReady) {
        logger.error({ code, signal }, 'a server process stopped while starting: stopping');
        process.exit(1);
      }
      logger.error({ code, signal }, 'a server process stopped: starting another');
      start();
    });
  };
  stopOnSignals({
    logger,
    // Exit 0 only when every process stopped cleanly.
    stop: () =>
      new Promise<void>((resolve, reject) => {
        isStopping = true;
        allStopped = () => {
          if (hasStoppedCleanly) resolve();
          else reject(new Error('a server process did not stop cleanly'));
        };
        if (running.size === 0) allStopped();
        for (const [worker, isReady] of running) {
          if (isReady) worker.send(STOP);
          else worker.process.kill('SIGTERM');
        }
      }),
  });
  // Stopped at once (a second signal, or out of time): the others too.
  process.on('exit', () => {
    for (const worker of running.keys()) worker.process.kill('SIGKILL');
  });
  // /metrics in any of them gives all of their figures, added up here.
  const { serveClusterMetrics } = await import('../web/metrics/metrics.ts');
  serveClusterMetrics();
  for (let i = 0; i < processes; i++) start();
  return new Promise<never>(() => undefined);
}

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('start the web server (migrates the database first)')
    .option('--demo', 'add demo teams and one demo user per role if missing, and print how to sign in')
    .option('--processes <n>', 'serve from this many processes sharing the port, or "auto" for one per processor core', '1')
    .addHelpText('after', '\nSettings come from the environment: PORT, DATABASE_URL, SESSION_SECRET, … (see README).')
    .action(async (options: { demo?: boolean; processes: string }) => {
      const demo = options.demo === true;
      if (cluster.isWorker) return serveOne({ demo, isOneOfSeveral: true });
      const processes = processCount(options.processes);
      return processes === 1 ? serveOne({ demo, isOneOfSeveral: false }) : serveMany(processes, demo);
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
