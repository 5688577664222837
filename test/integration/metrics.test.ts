/**
 * GET /metrics on both engines: Prometheus's text format; request durations by route pattern
 * (never the URL's ids); the outbox's depth, oldest age and failed count and the overdue
 * clocks read when scraped; job runs by outcome; and who may read it (METRICS_TOKEN as a
 * bearer token; not served in production without one).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testConfig, testContainer, type TestClock } from '../support/builders.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import { enqueue } from '../../src/notify/outbox.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { createLogger } from '../../src/logger.ts';

const TOKEN = 'metrics-token-0123456789abcdef0123456789abcdef';

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describeEachEngine('metrics', (database) => {
  let clock: TestClock;
  let container: Container;
  let app: FastifyInstance;
  const apps: FastifyInstance[] = [];

  const appWith = async (overrides: Record<string, string>): Promise<FastifyInstance> => {
    const made = await createApp(await testContainer(database(), clock, testConfig(overrides)));
    apps.push(made);
    return made;
  };

  beforeAll(async () => {
    clock = testClock('2026-11-26T10:00:00.000Z');
    container = await testContainer(database(), clock);
    app = await createApp(container);
  });
  afterAll(async () => {
    await app.close();
    for (const made of apps) await made.close();
  });

  it('serves Prometheus text with request durations labelled by route pattern, never the URL', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    await app.inject({ method: 'GET', url: '/cases/CSC-2026-0042?q=Sam+Parent' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    const text = response.body;
    expect(text).toContain('# TYPE redress_http_request_duration_seconds histogram');
    expect(sample(text, 'redress_http_request_duration_seconds_count{method="GET",route="/health/live",status="200"}')).toBe(1);
    expect(sample(text, 'redress_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/health/live",status="200"}')).toBe(1);
    // The case page (a redirect to sign in) is counted under its pattern; its reference and query are nowhere.
    expect(text).toMatch(/redress_http_request_duration_seconds_count\{method="GET",route="\/cases\/:reference",status="302"\} 1/);
    expect(text).not.toContain('CSC-2026-0042');
    expect(text).not.toContain('Sam');
    // Node's own figures are there too.
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('reads the outbox and the overdue clocks when scraped', async () => {
    const scrape = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const kysely = database().db.kysely;
    await kysely.deleteFrom('notification_outbox').execute();
    let text = await scrape();
    expect(sample(text, 'redress_outbox_unsent_messages')).toBe(0);
    expect(sample(text, 'redress_outbox_oldest_unsent_age_seconds')).toBe(0);

    await enqueue(kysely, { idempotencyKey: 'metrics:1', templateKey: 'daily_digest', recipient: 'm1@test.example', personalisation: {} }, clock());
    clock.advance(90_000);
    await enqueue(kysely, { idempotencyKey: 'metrics:2', templateKey: 'daily_digest', recipient: 'm2@test.example', personalisation: {} }, clock());
    await enqueue(kysely, { idempotencyKey: 'metrics:3', templateKey: 'daily_digest', recipient: 'm3@test.example', personalisation: {} }, clock());
    await kysely.updateTable('notification_outbox').set({ status: 'failed' }).where('idempotency_key', '=', 'metrics:3').execute();
    clock.advance(30_000);
    text = await scrape();
    expect(sample(text, 'redress_outbox_unsent_messages')).toBe(2);
    expect(sample(text, 'redress_outbox_oldest_unsent_age_seconds')).toBe(120);
    expect(sample(text, 'redress_outbox_failed_messages')).toBe(1);
    expect(text).not.toContain('@test.example');

    const clockRow = (dueOn: string, isOpen: 0 | 1, procedure: string, subjectId: number) => ({
      subject_type: 'metrics-test',
      subject_id: subjectId,
      procedure_kind: procedure,
      clock_key: 'stage1',
      started_on: '2026-10-01',
      events: '[]',
      due_on: dueOn,
      is_open: isOpen,
      created_at: clock().toISOString(),
      updated_at: clock().toISOString(),
    });
    await kysely
      .insertInto('clock')
      .values([
        clockRow('2026-11-20', 1, 'children_statutory', 1),
        clockRow('2026-11-25', 1, 'children_statutory', 2),
        clockRow('2026-11-26', 1, 'children_statutory', 3),
        clockRow('2026-11-01', 0, 'children_statutory', 4),
        clockRow('2026-11-02', 1, 'corporate', 5),
      ])
      .execute();
    text = await scrape();
    expect(sample(text, 'redress_clocks_overdue{procedure="children_statutory"}')).toBe(2);
    expect(sample(text, 'redress_clocks_overdue{procedure="corporate"}')).toBe(1);
    await kysely.deleteFrom('clock').where('subject_type', '=', 'metrics-test').execute();
  });

  it('counts background job runs by job and outcome', async () => {
    const scheduler = new Scheduler(createLogger({ logLevel: 'silent' }));
    scheduler.start([
      { name: 'metrics-test-ok', intervalMs: 60_000, run: () => Promise.resolve() },
      { name: 'metrics-test-broken', intervalMs: 60_000, run: () => Promise.reject(new Error('broken')) },
    ]);
    await scheduler.stop();
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(text, 'redress_job_runs_total{job="metrics-test-ok",outcome="succeeded"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'redress_job_runs_total{job="metrics-test-broken",outcome="failed"}')).toBeGreaterThanOrEqual(1);
  });

  it('asks for METRICS_TOKEN as a bearer token when it is set', async () => {
    const guarded = await appWith({ METRICS_TOKEN: TOKEN });
    const without = await guarded.inject({ method: 'GET', url: '/metrics' });
    expect(without.statusCode).toBe(401);
    expect(without.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(without.body).not.toContain('redress_');
    expect((await guarded.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}x` } })).statusCode).toBe(401);
    expect((await guarded.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Basic ${TOKEN}` } })).statusCode).toBe(401);
    const withToken = await guarded.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(withToken.statusCode).toBe(200);
    expect(withToken.body).toContain('redress_outbox_unsent_messages');
  });

  it('is not served in production without a token, and is with one', async () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'production-secret-production-secret-0123' };
    const closed = await appWith(production);
    const response = await closed.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('redress_');
    const open = await appWith({ ...production, METRICS_TOKEN: TOKEN });
    expect((await open.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await open.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(200);
  });
});
