/**
 * What several processes share through the database, on both engines: rate-limit counters
 * counted atomically, the sign-in throttle closed to parallel guesses, the outbox's lease
 * checked right before sending, and scheduled jobs claimed once per period.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aUser, TEST_PASSWORD, testClock, testContainer } from '../support/builders.ts';
import { RateLimitRepository } from '../../src/db/rate-limit-repository.ts';
import { JobClaims } from '../../src/jobs/job-claims.ts';
import { enqueue, OutboxRepository } from '../../src/notify/outbox.ts';

const ACTOR = { ip: '127.0.0.1', requestId: null };

describeEachEngine('state shared between processes', (database) => {
  it('counts parallel hits on one rate-limit window once each, and purges ended windows', async () => {
    const counters = new RateLimitRepository(database().db.kysely);
    const now = new Date('2026-11-26T10:00:30.000Z');
    const hits = await Promise.all(Array.from({ length: 25 }, () => counters.hit('POST /sign-in', '203.0.113.9', 60_000, now)));
    expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(hits[0]?.ttlMs).toBe(30_000);
    expect((await counters.hit('POST /sign-in', '203.0.113.9', 60_000, new Date('2026-11-26T10:01:00.000Z'))).count).toBe(1);
    expect((await counters.hit('GET /other', '203.0.113.9', 60_000, now)).count).toBe(1);
    expect(await counters.purgeExpired(new Date('2026-11-26T10:01:00.000Z'))).toBe(2);
  });

  it('lets at most five of twenty parallel wrong guesses reach the password check', async () => {
    const clock = testClock();
    const container = await testContainer(database(), clock);
    const { email } = await aUser(container, 'viewer');
    const results = await Promise.all(Array.from({ length: 20 }, () => container.auth.signIn(email, 'wrong-password', ACTOR)));
    const checked = results.filter((r) => r.kind === 'invalid').length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.kind === 'throttled')).toHaveLength(20 - checked);
    // The throttled ones were not failures: exactly five wrong passwords are checked in all before the wait.
    let further = 0;
    for (;;) {
      clock.advance(1_000);
      const result = await container.auth.signIn(email, 'wrong-password', ACTOR);
      if (result.kind === 'throttled') break;
      further += 1;
      expect(further).toBeLessThanOrEqual(5);
    }
    expect(checked + further).toBe(5);
    // Even the right password waits now; after the wait one more try is allowed.
    expect((await container.auth.signIn(email, TEST_PASSWORD, ACTOR)).kind).toBe('throttled');
    clock.advance(31_000);
    expect((await container.auth.signIn(email, TEST_PASSWORD, ACTOR)).kind).toBe('signed_in');
  });

  it('does not send a message whose lease ran out, and claims each due message once', async () => {
    const db = database().db.kysely;
    const outbox = new OutboxRepository(db);
    const now = new Date('2026-11-26T10:00:00.000Z');
    for (let i = 0; i < 6; i += 1) {
      await enqueue(db, { idempotencyKey: `lease-test:${String(i)}`, templateKey: 'daily_digest', recipient: `lease-${String(i)}@test.example`, personalisation: {} }, now);
    }
    const lease = new Date(now.getTime() + 60_000);
    const [a, b] = await Promise.all([outbox.claim('worker-a', now, lease, 6), outbox.claim('worker-b', now, lease, 6)]);
    const ids = [...a, ...b].map((m) => m.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    const [first] = [...a, ...b];
    if (first === undefined) throw new Error('nothing claimed');
    const holder = a.some((m) => m.id === first.id) ? 'worker-a' : 'worker-b';
    expect(await outbox.renewLease(first.id, 'someone-else', now, lease)).toBe(false);
    expect(await outbox.renewLease(first.id, holder, new Date(now.getTime() + 30_000), lease)).toBe(true);
    // Past its lease the holder may no longer send: another worker takes the message.
    const late = new Date(lease.getTime() + 1);
    expect(await outbox.renewLease(first.id, holder, late, new Date(late.getTime() + 60_000))).toBe(false);
    const retaken = await outbox.claim('worker-c', late, new Date(late.getTime() + 60_000), 10);
    expect(retaken.map((m) => m.id)).toContain(first.id);
    expect(await outbox.markSent(first.id, holder, null, late)).toBe(false);
  });

  it('claims a job for a period once, whoever asks first', async () => {
    const claims = new JobClaims(database().db.kysely);
    const now = new Date('2026-11-26T10:00:00.000Z');
    const results = await Promise.all(['p1', 'p2', 'p3', 'p4'].map((p) => claims.claim('notification-jobs', '29700000', p, now)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await claims.claim('notification-jobs', '29700001', 'p2', now)).toBe(true);
    expect(await claims.claim('questionnaire-jobs', '29700000', 'p2', now)).toBe(true);
  });
});
