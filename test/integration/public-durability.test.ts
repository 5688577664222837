/**
 * Durability of the front door, on both engines: the real server runs in a child process
 * while many people send complaints at once; it is killed with SIGKILL mid-stream, started
 * again on the same database, and then every submission that was acknowledged (a reference
 * given) is there exactly once, and every one that was cut off, sent again with the same
 * idempotency key, ends up there exactly once too — nothing lost, nothing doubled.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { YOUNG_COMPLAINT } from '../support/public-visitor.ts';
import { freePort } from '../support/ports.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/redress.js');

/** Starts `redress serve` on the database and waits until it is ready. */
async function startServer(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      SESSION_SECRET: 'durability-secret-durability-secret',
      // Each sender comes from its own address, as the public would (the rate limit is per address).
      TRUST_PROXY: '1',
    },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server stopped with ${String(child.exitCode)}`);
    const ready = await fetch(`http://127.0.0.1:${String(port)}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not become ready');
}

interface Attempt {
  readonly key: string;
  readonly address: string;
  readonly cookie: string;
  readonly csrf: string;
  reference?: string;
}

/** Opens the start page: a CSRF cookie and token, and the journey's idempotency key. */
async function begin(base: string, address: string): Promise<Attempt> {
  const page = await fetch(`${base}/contact-us`, { headers: { 'x-forwarded-for': address } });
  const html = await page.text();
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const key = /name="_key" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return { key, address, cookie, csrf };
}

/** Sends the finished answers; the reference when the server acknowledged them (a redirect to the confirmation). */
async function send(base: string, attempt: Attempt): Promise<string | undefined> {
  const body = new URLSearchParams({ ...YOUNG_COMPLAINT, _csrf: attempt.csrf, _key: attempt.key });
  const response = await fetch(`${base}/contact-us/send`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: attempt.cookie, 'x-forwarded-for': attempt.address },
  });
  if (response.status !== 303) throw new Error(`sending gave ${String(response.status)}`);
  return new URL(response.headers.get('location') ?? '', base).searchParams.get('reference') ?? undefined;
}

describeEachEngine('submissions survive a crash', (database) => {
  it('keeps every acknowledged submission, once, across kill -9 and a retry of those cut off', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${String(port)}`;
    let server = await startServer(database().url, port);
    const attempts: Attempt[] = [];
    let isKilled = false;
    let sender = 0;

    // Eight people at a time send complaints until the server dies under them.
    const senders = Array.from({ length: 8 }, async () => {
      while (!isKilled) {
        sender += 1;
        let attempt: Attempt;
        try {
          attempt = await begin(base, `203.0.113.${String((sender % 250) + 1)}`);
        } catch {
          return; // the server is gone before this one began: nothing was sent
        }
        attempts.push(attempt);
        try {
          attempt.reference = await send(base, attempt);
        } catch {
          return; // cut off: not acknowledged (it may or may not have been stored)
        }
      }
    });
    // Kill it once a good number have been acknowledged, while others are in flight.
    while (attempts.filter((a) => a.reference !== undefined).length < 25) await new Promise((resolve) => setTimeout(resolve, 20));
    server.kill('SIGKILL');
    isKilled = true;
    await Promise.all(senders);

    const acknowledged = attempts.filter((a) => a.reference !== undefined);
    const cutOff = attempts.filter((a) => a.reference === undefined);
    expect(acknowledged.length).toBeGreaterThanOrEqual(25);

    server = await startServer(database().url, port);
    try {
      // Every acknowledged submission is there, under the reference it was given, once.
      const db = database().db.kysely;
      for (const attempt of acknowledged) {
        const rows = await db
          .selectFrom('public_submission as s')
          .innerJoin('representation as r', 'r.id', 's.representation_id')
          .select(['r.reference', 'r.status'])
          .where('s.idempotency_key', '=', attempt.key)
          .execute();
        expect(rows).toEqual([{ reference: attempt.reference, status: 'awaiting_registration' }]);
      }
      // Those cut off are sent again with the same key (a browser's retry): each ends up stored once.
      for (const attempt of cutOff) {
        const fresh = await begin(base, attempt.address);
        attempt.reference = await send(base, { ...fresh, key: attempt.key });
      }
      const keys = attempts.map((a) => a.key);
      const stored = await db.selectFrom('public_submission').select(['idempotency_key', 'representation_id']).where('idempotency_key', 'in', keys).execute();
      expect(stored.length).toBe(keys.length);
      expect(stored.every((s) => s.representation_id !== null)).toBe(true);
      const references = await db.selectFrom('representation').select('reference').where('status', '=', 'awaiting_registration').execute();
      expect(references.length).toBe(keys.length);
      expect(new Set(attempts.map((a) => a.reference)).size).toBe(keys.length);
    } finally {
      server.kill('SIGKILL');
    }
  }, 180_000);
});
