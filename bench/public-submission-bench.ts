/**
 * Durable public submissions per second (issue: at least 200/s on SQLite): the real app
 * in-process on a fresh SQLite database (WAL, `synchronous=FULL`), over real HTTP on
 * loopback. Each request sends a finished child's complaint to `/contact-us/send` with a new
 * idempotency key and its own client address (so the per-address limit is not what is
 * measured), and is stored in one transaction before the 303 that gives the reference.
 *
 * Baseline: `/health/live` with the same connections and time. Measured: the submissions
 * stored per second — counted in the database afterwards, so only what is really there
 * counts. Passes when that rate is at least 200/s and every send was answered with a 303.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.ts';
import { createContainer, type Container } from '../src/container.ts';
import { createApp } from '../src/web/app.ts';
import { paths } from '../src/web/paths.ts';
import { cookiePair, isClean, load, report } from './http-load.ts';

const CONNECTIONS = 10;
const SECONDS = 5;
const TARGET_PER_SECOND = 200;

const ANSWERS = {
  topic: 'complaint',
  who: 'child',
  what_happened: 'My social worker did not come to my review.',
  what_would_help: 'I want to know why.',
  advocate: 'yes',
  name: 'Benchmark Child',
  contact: 'none',
};

export default async function publicSubmissionBench(): Promise<boolean> {
  const dir = mkdtempSync(path.join(tmpdir(), 'redress-bench-'));
  let container: Container | undefined;
  let app: FastifyInstance | undefined;
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
      DATABASE_URL: `sqlite:${path.join(dir, 'bench.db')}`,
      TRUST_PROXY: 'true',
    });
    container = await createContainer(config);
    app = await createApp(container);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('the server has no port');
    const base = `http://127.0.0.1:${String(address.port)}`;

    // One CSRF cookie and token serve every send, as for one browser.
    const start = await app.inject({ method: 'GET', url: paths.contactUs.url() });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(start.body)?.[1];
    if (csrf === undefined) throw new Error('no CSRF token on the start page');
    const cookie = cookiePair(start.headers['set-cookie'], 'redress_csrf');

    let sent = 0;
    const setupRequest = (request: { body?: string; headers: Record<string, string> }) => {
      sent += 1;
      const client = `10.${String((sent >> 16) & 255)}.${String((sent >> 8) & 255)}.${String(sent & 255)}`;
      return {
        ...request,
        body: new URLSearchParams({ ...ANSWERS, _csrf: csrf, _key: randomBytes(24).toString('base64url') }).toString(),
        headers: { ...request.headers, 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-forwarded-for': client },
      };
    };

    console.log(`${String(CONNECTIONS)} connections, ${String(SECONDS)} s each, SQLite (WAL, synchronous=FULL), Node ${process.version}`);
    const baseline = await load({ url: `${base}${paths.healthLive.url()}`, connections: CONNECTIONS, duration: SECONDS });
    report('baseline /health/live', baseline);
    const before = Date.now();
    const submissions = await load({ url: `${base}${paths.contactUsSend.url()}`, method: 'POST', connections: CONNECTIONS, duration: SECONDS, requests: [{ setupRequest }] });
    const seconds = (Date.now() - before) / 1000;
    const stored = Number((await container.db.kysely.selectFrom('public_submission').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const perSecond = stored / seconds;
    console.log(`submissions: ${String(stored)} stored in ${seconds.toFixed(1)} s = ${perSecond.toFixed(0)} per second (target ${String(TARGET_PER_SECOND)})`);
    console.log(`submissions/baseline: ${(perSecond / baseline.requests.average).toFixed(3)}`);
    // A 303 is the acknowledgement: everything else (errors, 4xx, 5xx) is a failure here.
    const isAcknowledged = submissions.errors === 0 && submissions.timeouts === 0 && submissions.non2xx === submissions.requests.total;
    if (!isAcknowledged) console.log(`not every send was acknowledged: ${String(submissions.errors)} errors, ${String(submissions.timeouts)} timeouts`);
    if (!isClean(baseline)) console.log('the baseline had errors or non-2xx answers: the ratio is not meaningful');
    return isAcknowledged && perSecond >= TARGET_PER_SECOND;
  } finally {
    await app?.close();
    await container?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
