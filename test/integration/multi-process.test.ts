/**
 * Two real `redress serve` processes on one PostgreSQL schema (loopback only): the sign-in
 * throttle is shared (the sixth wrong try is refused whichever process gets it), the outbox
 * sends each message once between them (a real SMTP server counts deliveries per message),
 * and the reminder job runs once per period though both processes tick it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { aUser, testContainer } from '../support/builders.ts';
import { enqueue } from '../../src/notify/outbox.ts';
import { freePort } from '../support/ports.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/redress.js');
const MESSAGES = 40;

interface Server {
  readonly child: ChildProcess;
  readonly base: string;
  readonly logs: string[];
}

async function startServer(databaseUrl: string, smtpUrl: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      SESSION_SECRET: 'multi-process-secret-multi-process',
      NOTIFY_TRANSPORT: 'smtp',
      SMTP_URL: smtpUrl,
      NOTIFY_WORKER_INTERVAL_SECONDS: '1',
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const logs: string[] = [];
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    logs.push(...lines);
  });
  const base = `http://127.0.0.1:${String(port)}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server stopped with ${String(child.exitCode)}`);
    const ready = await fetch(`${base}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { child, base, logs };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not become ready');
}

/** Posts a sign-in on `server` with a fresh CSRF cookie and token; the status code. */
async function signIn(server: Server, email: string, password: string): Promise<number> {
  const page = await fetch(`${server.base}/sign-in`);
  const html = await page.text();
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const response = await fetch(`${server.base}/sign-in`, {
    method: 'POST',
    body: new URLSearchParams({ email, password, _csrf: csrf }),
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
  });
  await response.text();
  return response.status;
}

interface LogLine {
  readonly msg?: string;
  readonly job?: string;
  readonly period?: string;
  readonly isMine?: boolean;
}

function jobTicks(servers: readonly Server[], job: string): { server: number; period: string; isMine: boolean }[] {
  return servers.flatMap((server, index) =>
    server.logs
      .map((line): LogLine => {
        try {
          return JSON.parse(line) as LogLine;
        } catch {
          return {};
        }
      })
      .filter((l) => l.job === job && l.period !== undefined && typeof l.isMine === 'boolean')
      .map((l) => ({ server: index, period: l.period ?? '', isMine: l.isMine === true })),
  );
}

describe.skipIf(inject('postgresUrl') === null)('two processes on one PostgreSQL', () => {
  let database: TestDatabase;
  let smtp: TestSmtpServer;
  let servers: Server[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    smtp = await startSmtpServer();
    // Start both within one minute, so that they tick the reminder job in the same period.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 35_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
    servers = await Promise.all([startServer(database.url, smtp.url), startServer(database.url, smtp.url)]);
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGKILL');
    await smtp.close();
    await database.close();
  });

  it('shares the sign-in throttle: the sixth wrong try is refused by either process', async () => {
    const container = await testContainer(database);
    const { email } = await aUser(container, 'viewer');
    const [a, b] = servers;
    if (a === undefined || b === undefined) throw new Error('servers not started');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push(await signIn(i % 2 === 0 ? a : b, email, 'wrong-password'));
    expect(statuses).toEqual([400, 400, 400, 400, 400]);
    expect(await signIn(a, email, 'wrong-password')).toBe(429);
    expect(await signIn(b, email, 'wrong-password')).toBe(429);

    // Parallel guesses at another account, spread over both processes: at most five are checked.
    const other = await aUser(container, 'viewer');
    const parallel = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(i % 2 === 0 ? a : b, other.email, 'wrong-password')));
    expect(parallel.filter((s) => s === 400).length).toBeLessThanOrEqual(5);
    expect(parallel.every((s) => s === 400 || s === 429)).toBe(true);
  }, 60_000);

  it('sends each outbox message once between the two workers', async () => {
    const now = new Date();
    for (let i = 0; i < MESSAGES; i += 1) {
      await enqueue(database.db.kysely, { idempotencyKey: `multi:${String(i)}`, templateKey: 'daily_digest', recipient: `person-${String(i)}@test.example`, personalisation: { open_cases: 1 } }, now);
    }
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      const row = await database.db.kysely
        .selectFrom('notification_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('idempotency_key', 'like', 'multi:%')
        .where('status', '=', 'sent')
        .executeTakeFirstOrThrow();
      if (row.n === MESSAGES) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Give a duplicate, if there were one, time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const perRecipient = new Map<string, number>();
    for (const email of smtp.received) for (const to of email.to) if (to.startsWith('person-')) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    expect(perRecipient.size).toBe(MESSAGES);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);

  it('runs the reminder job once per period though both processes tick it', async () => {
    const ticks = jobTicks(servers, 'notification-jobs');
    expect(new Set(ticks.map((t) => t.server))).toEqual(new Set([0, 1]));
    const periods = new Set(ticks.map((t) => t.period));
    for (const period of periods) expect(ticks.filter((t) => t.period === period && t.isMine)).toHaveLength(1);
    // Both ticked in one period at least once, and only one of them ran it.
    const shared = [...periods].filter((p) => new Set(ticks.filter((t) => t.period === p).map((t) => t.server)).size === 2);
    expect(shared.length).toBeGreaterThan(0);
    const runs = await database.db.kysely.selectFrom('job_run').select(['job', 'period']).where('job', '=', 'notification-jobs').execute();
    expect(runs.map((r) => r.period).sort()).toEqual([...periods].sort());
  });
});
