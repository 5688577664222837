/**
 * The outbox through a long outage, on both engines with a real SMTP server: a message is
 * tried for 48 hours from its first failure and then `failed` with the reason code;
 * administrators put every failed message back (page with confirmation and CSRF, or
 * `redress notify retry-all`), audited; the dashboard shows the oldest unsent message's age
 * and the failed count to administrators and complaints managers; a service's log line
 * written during a request carries the request's id; a stopping worker gives back its batch;
 * and a slow mail server never gets a message twice.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testConfig, type TestClock } from '../support/builders.ts';
import { signedInAs } from '../support/http.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { runCli } from '../support/cli.ts';
import { createApp } from '../../src/web/app.ts';
import { createContainer, type Container } from '../../src/container.ts';
import { createLogger } from '../../src/logger.ts';
import { systemClock } from '../../src/app/clock.ts';
import { enqueue } from '../../src/notify/outbox.ts';
import { OutboxWorker } from '../../src/notify/outbox-worker.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describeEachEngine('the outbox through a long outage', (database) => {
  let smtp: TestSmtpServer;
  let clock: TestClock;
  let container: Container;
  let app: FastifyInstance;
  const logLines: Record<string, unknown>[] = [];

  const kysely = () => database().db.kysely;
  const rows = () => kysely().selectFrom('notification_outbox').selectAll().orderBy('id').execute();
  const digest = (key: string, to: string) => enqueue(kysely(), { idempotencyKey: key, templateKey: 'daily_digest', recipient: to, personalisation: { open_cases: 1, date: '2026-11-26' } }, clock());
  const worker = () => {
    const made = container.notifications.worker({ workerId: 'outage-worker' });
    if (made === undefined) throw new Error('no transport');
    return made;
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    clock = testClock('2026-11-26T10:00:00.000Z');
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logLines.push(JSON.parse(line) as Record<string, unknown>);
        callback();
      },
    });
    const config = testConfig({ NOTIFY_TRANSPORT: 'smtp', SMTP_URL: smtp.url, LOG_LEVEL: 'info' });
    container = await createContainer({ ...config, database: database().config }, { db: database().db, clock, logger: createLogger(config, sink) });
    app = await createApp(container);
  });
  afterAll(async () => {
    await app.close();
    await container.notifications.stop();
    await smtp.close();
  });
  beforeEach(async () => {
    await kysely().deleteFrom('notification_outbox').execute();
    smtp.received.length = 0;
    smtp.refuseNext(0);
    clock.set('2026-11-26T10:00:00.000Z');
  });

  /** Runs the worker each time the message is next due, until it is sent or failed; the times it tried. */
  async function triesUntilSettled(limit = 40): Promise<Date[]> {
    const tries: Date[] = [];
    const w = worker();
    for (let i = 0; i < limit; i += 1) {
      const [row] = await rows();
      if (row === undefined || row.status === 'sent' || row.status === 'failed') break;
      clock.set(row.next_attempt_at);
      const result = await w.runOnce();
      expect(result.claimed).toBe(1);
      tries.push(clock());
    }
    return tries;
  }

  it('keeps trying through a 30-hour outage and delivers once the mail server is back', async () => {
    await digest('outage:30h', 'thirty@test.example');
    const start = clock().getTime();
    smtp.refuseNext(1000);
    const w = worker();
    await w.runOnce();
    // Through the outage: every try before hour 30 is refused.
    for (;;) {
      const [row] = await rows();
      expect(row?.status).toBe('pending');
      if (row === undefined || new Date(row.next_attempt_at).getTime() - start >= 30 * HOUR) break;
      clock.set(row.next_attempt_at);
      await w.runOnce();
    }
    expect((await rows())[0]?.failing_since).toBe('2026-11-26T10:00:00.000Z');
    smtp.refuseNext(0);
    const [row] = await rows();
    clock.set(row?.next_attempt_at ?? '');
    expect(await w.runOnce()).toMatchObject({ sent: 1 });
    expect(smtp.received.filter((m) => m.to.includes('thirty@test.example'))).toHaveLength(1);
    expect((await rows())[0]).toMatchObject({ status: 'sent', failing_since: null, last_error: null });
  });

  it('gives up 48 hours after the first failure: failed, with the reason code, and no sooner', async () => {
    await digest('outage:48h', 'fortyeight@test.example');
    smtp.refuseNext(1000);
    const tries = await triesUntilSettled();
    const first = tries[0]?.getTime() ?? 0;
    const last = tries.at(-1)?.getTime() ?? 0;
    expect(last - first).toBe(48 * HOUR);
    expect(tries.length).toBeGreaterThan(6);
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'failed', attempts: tries.length, failing_since: '2026-11-26T10:00:00.000Z' });
    expect(row?.last_error).toMatch(/^smtp .*451/);
    expect(row?.last_error).not.toContain('@');
    // Failed stays failed: later runs do not touch it.
    clock.advance(24 * HOUR);
    expect((await worker().runOnce()).claimed).toBe(0);
  });

  it('lets an administrator try every failed email again, confirmed, with CSRF, audited, the log line carrying the request id', async () => {
    for (const n of [1, 2, 3]) await digest(`retry-all:${String(n)}`, `retry-${String(n)}@test.example`);
    await kysely().updateTable('notification_outbox').set({ status: 'failed', attempts: 9, last_error: 'smtp EENVELOPE 451 RCPT TO', failing_since: '2026-11-24T10:00:00.000Z' }).where('idempotency_key', 'in', ['retry-all:1', 'retry-all:2']).execute();

    const manager = await signedInAs(app, container, 'complaints_manager');
    expect((await manager.get('/admin/notifications/retry-failed')).statusCode).toBe(403);
    expect((await manager.post('/admin/notifications/retry-failed', {}, '/dashboard')).statusCode).toBe(403);

    const admin = await signedInAs(app, container, 'admin');
    const list = await admin.get('/admin/notifications');
    expect(list.body).toContain('href="/admin/notifications/retry-failed"');
    const confirm = await admin.get('/admin/notifications/retry-failed');
    expect(confirm.statusCode).toBe(200);
    expect(confirm.headers['cache-control']).toBe('no-store');
    expect(confirm.body).toContain('Try the failed emails again?');
    expect(confirm.body).toMatch(/2 emails could not be sent in 48 hours/);
    // Without the form's token: refused, nothing changed.
    expect((await admin.post('/admin/notifications/retry-failed', { _csrf: 'forged' })).statusCode).toBe(403);
    expect((await rows()).filter((r) => r.status === 'failed')).toHaveLength(2);

    const done = await admin.post('/admin/notifications/retry-failed', {}, '/admin/notifications/retry-failed');
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/admin/notifications?retried=2');
    expect((await admin.get(done.headers.location ?? '')).body).toContain('2 emails will be tried again.');
    const after = await rows();
    expect(after.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
    expect(after.filter((r) => r.idempotency_key !== 'retry-all:3').every((r) => r.attempts === 0 && r.failing_since === null && r.next_attempt_at === clock().toISOString())).toBe(true);

    const audit = await kysely().selectFrom('audit_event').selectAll().where('action', '=', 'notifications_retried').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ entity_type: 'notification_outbox' });
    expect(JSON.parse(audit.details ?? '{}')).toEqual({ count: 2 });
    expect(audit.request_id).toEqual(expect.any(String));
    // The service's own log line carries the request's id (src/log-context.ts), and no address.
    const line = logLines.find((l) => l.msg === 'failed notifications put back in the queue' && l.reqId === audit.request_id);
    expect(line).toMatchObject({ count: 2 });
    expect(JSON.stringify(logLines)).not.toContain('@test.example');

    expect(await worker().runOnce()).toMatchObject({ claimed: 3, sent: 3 });
  });

  it('retries every failed message from the command line, audited', async () => {
    await digest('cli-retry:1', 'cli-1@test.example');
    await kysely().updateTable('notification_outbox').set({ status: 'failed', attempts: 12 }).execute();
    const result = await runCli(['notify', 'retry-all'], { DATABASE_URL: database().url });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 failed message will be tried again.');
    expect((await rows())[0]).toMatchObject({ status: 'pending', attempts: 0 });
    const again = await runCli(['notify', 'retry-all'], { DATABASE_URL: database().url });
    expect(again.stdout).toContain('No failed messages.');
    const audits = await kysely().selectFrom('audit_event').select('details').where('action', '=', 'notifications_retried').where('user_id', 'is', null).execute();
    expect(audits.map((a) => a.details)).toEqual(expect.arrayContaining(['{"count":1}', '{"count":0}']));
  });

  it('shows the oldest unsent email’s age and the failed count on the dashboard to administrators and complaints managers only', async () => {
    await digest('dash:old', 'dash-1@test.example');
    clock.advance(90 * MINUTE);
    await digest('dash:new', 'dash-2@test.example');
    await digest('dash:failed', 'dash-3@test.example');
    await kysely().updateTable('notification_outbox').set({ status: 'failed' }).where('idempotency_key', '=', 'dash:failed').execute();
    clock.advance(30 * MINUTE);

    const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    for (const role of ['admin', 'complaints_manager'] as const) {
      const page = await (await signedInAs(app, container, role)).get('/dashboard');
      expect(page.statusCode).toBe(200);
      const shown = text(page.body);
      expect(shown).toContain('Email outbox');
      expect(shown).toContain('Oldest email not yet sent waiting 2 hours Late');
      expect(shown).toContain('Waiting to be sent 2');
      expect(shown).toContain('Failed after 48 hours of trying 1');
      expect(page.body.includes('href="/admin/notifications/retry-failed"')).toBe(role === 'admin');
    }
    const officer = await (await signedInAs(app, container, 'complaints_officer')).get('/dashboard');
    expect(officer.statusCode).toBe(200);
    expect(officer.body).not.toContain('Email outbox');

    await kysely().deleteFrom('notification_outbox').execute();
    const empty = await (await signedInAs(app, container, 'complaints_manager')).get('/dashboard');
    expect(text(empty.body)).toContain('Oldest email not yet sent None waiting');
  });

  it('a stopping worker finishes the message it is sending and gives the rest of its batch back', async () => {
    const slow = await startSmtpServer({ delayMs: 400 });
    try {
      for (const n of [1, 2, 3]) await digest(`stop:${String(n)}`, `stop-${String(n)}@test.example`);
      const transport = (await import('../../src/notify/transports.ts')).createTransport({ ...container.config.notify, smtpUrl: slow.url }, container.logger);
      if (transport === undefined) throw new Error('no transport');
      const w = new OutboxWorker(kysely(), transport, container.notifications.templates, { councilName: 'Test', baseUrl: 'https://redress.example' }, clock, container.logger, { workerId: 'stopping' });
      const run = w.runOnce();
      await new Promise((resolve) => setTimeout(resolve, 150));
      w.requestStop();
      expect(await run).toMatchObject({ claimed: 3, sent: 1 });
      const after = await rows();
      expect(after.map((r) => r.status)).toEqual(['sent', 'pending', 'pending']);
      expect(after.slice(1).every((r) => r.attempts === 0 && r.locked_by === null)).toBe(true);
      expect(slow.received).toHaveLength(1);
      expect((await w.runOnce()).claimed).toBe(0);
      await transport.close();
    } finally {
      await slow.close();
    }
  });

  it('never sends a message twice through a slow mail server, even when a worker’s lease runs out mid-batch', async () => {
    const slow = await startSmtpServer({ delayMs: 400 });
    try {
      const MESSAGES = 10;
      for (let n = 0; n < MESSAGES; n += 1) await enqueue(kysely(), { idempotencyKey: `slow:${String(n)}`, templateKey: 'daily_digest', recipient: `slow-${String(n)}@test.example`, personalisation: { open_cases: 1 } }, new Date(Date.now() - MINUTE));
      const { createTransport } = await import('../../src/notify/transports.ts');
      const workers = ['slow-a', 'slow-b', 'slow-c'].map((id) => {
        const transport = createTransport({ ...container.config.notify, smtpUrl: slow.url }, container.logger);
        if (transport === undefined) throw new Error('no transport');
        // Real time, and a lease (1.5 s) longer than one message takes to send but shorter than a batch: the last in a batch loses its lease.
        return { transport, worker: new OutboxWorker(kysely(), transport, container.notifications.templates, { councilName: 'Test', baseUrl: 'https://redress.example' }, systemClock, container.logger, { workerId: id, leaseMs: 1500, batchSize: 5 }) };
      });
      const deadline = Date.now() + 30_000;
      const loop = async (w: OutboxWorker, startAfterMs: number) => {
        await new Promise((resolve) => setTimeout(resolve, startAfterMs));
        while (Date.now() < deadline) {
          const sent = await kysely().selectFrom('notification_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('idempotency_key', 'like', 'slow:%').where('status', '=', 'sent').executeTakeFirstOrThrow();
          if (sent.n === MESSAGES) return;
          await w.runOnce();
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      await Promise.all(workers.map((w, i) => loop(w.worker, i * 350)));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const perRecipient = new Map<string, number>();
      for (const email of slow.received) for (const to of email.to) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
      expect(perRecipient.size).toBe(MESSAGES);
      expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
      // Some batch did lose a lease before sending (the check that keeps it from sending twice was used).
      expect(logLines.some((l) => l.msg === 'notification not sent: its lease ran out')).toBe(true);
      for (const w of workers) await w.transport.close();
    } finally {
      await slow.close();
    }
  }, 60_000);
});
