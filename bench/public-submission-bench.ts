/**
 * Durable public submissions per second (issue: at least 200/s on SQLite): the real app
 * in-process on a fresh SQLite database (WAL, `synchronous=FULL`), over real HTTP on
 * loopback. Each request sends a finished child's complaint to `/contact-us/send` with a new
 * idempotency key and its own client address (so the per-address limit is not what is
 * measured), and is stored in one transaction before the 303 that gives the reference.
 *
 * Baseline: `/health/live` with the same connections and time. Measured: the submissions
 * stored per second — counted in the database afterwards, so only what is really there
 * counts. Passes when that rate is at least 200/s and every send answered was stored.
 */
import { randomBytes } from 'node:crypto';
import { paths } from '../src/web/paths.ts';
import { cookiePair, isClean, load, report, withBenchServer } from './http-load.ts';

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

export default function publicSubmissionBench(): Promise<boolean> {
  return withBenchServer({ TRUST_PROXY: 'true' }, () => Promise.resolve(), async ({ app, container, base }) => {
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
    // Every answered send must have been stored (a refusal — 4xx, 5xx — stores nothing); at most one per connection may still be in flight when the time is up.
    const isAcknowledged = submissions.errors === 0 && submissions.timeouts === 0 && stored >= submissions.requests.total - CONNECTIONS;
    if (!isAcknowledged) console.log(`not every send was stored: ${String(submissions.requests.total)} sent, ${String(stored)} stored, ${String(submissions.errors)} errors, ${String(submissions.timeouts)} timeouts`);
    if (!isClean(baseline)) console.log('the baseline had errors or non-2xx answers: the ratio is not meaningful');
    return isAcknowledged && perSecond >= TARGET_PER_SECOND;
  });
}
