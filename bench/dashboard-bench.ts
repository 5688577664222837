/**
 * The signed-in dashboard against the barest route, over real HTTP on loopback: the app
 * in-process on a fresh SQLite database (a temporary directory) with the demo data, driven by
 * autocannon for a fixed time with the same connections on both sides.
 *
 * Baseline: `/health/live` (routing, the hooks every request passes, a tiny JSON reply).
 * Measured: `/dashboard` as the demo administrator (session lookup, access check, a team
 * query, Nunjucks and the GOV.UK layout). The ratio dashboard/baseline is printed; there is
 * no target for it yet. The benchmark passes when every dashboard request answered 2xx with
 * no errors or timeouts (and the baseline did too, or the ratio means nothing).
 */
import type { FastifyInstance } from 'fastify';
import { DEMO_PASSWORD, demoEmail } from '../src/app/demo-service.ts';
import { paths } from '../src/web/paths.ts';
import { type AutocannonResult, cookiePair, isClean, load, report, withBenchServer } from './http-load.ts';

const CONNECTIONS = 10;
const WARM_UP_SECONDS = 1;
const SECONDS = 5;

/** Signs the demo administrator in through the real form (CSRF cookie and token first) and returns the session cookie. */
async function signIn(app: FastifyInstance): Promise<string> {
  const form = await app.inject({ method: 'GET', url: paths.signIn.url() });
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  if (token === undefined) throw new Error(`no CSRF token on the sign-in page (status ${form.statusCode})`);
  const response = await app.inject({
    method: 'POST',
    url: paths.signIn.url(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiePair(form.headers['set-cookie'], 'redress_csrf') },
    payload: new URLSearchParams({ _csrf: token, email: demoEmail('admin'), password: DEMO_PASSWORD }).toString(),
  });
  if (response.statusCode !== 303) throw new Error(`sign-in answered ${response.statusCode}, not 303`);
  return cookiePair(response.headers['set-cookie'], 'redress_session');
}

export default function dashboardBench(): Promise<boolean> {
  return withBenchServer({}, (container) => container.demo.ensure(), async ({ app, base }) => {
    const session = await signIn(app);
    const headers = { cookie: session };
    // Make sure the session really opens the dashboard over HTTP before timing it.
    const check = await fetch(`${base}${paths.dashboard.url()}`, { headers, redirect: 'manual' });
    const body = await check.text();
    if (check.status !== 200 || !body.includes('Dashboard')) throw new Error(`the dashboard answered ${check.status} to the signed-in session`);

    const targets = [
      { name: 'baseline', label: 'baseline /health/live', url: `${base}${paths.healthLive.url()}`, headers: {} },
      { name: 'dashboard', label: 'dashboard (signed in)', url: `${base}${paths.dashboard.url()}`, headers },
    ];
    console.log(`${CONNECTIONS} connections, ${SECONDS} s each after ${WARM_UP_SECONDS} s warm-up, SQLite, Node ${process.version}`);
    const results = new Map<string, AutocannonResult>();
    for (const target of targets) {
      await load({ url: target.url, connections: CONNECTIONS, duration: WARM_UP_SECONDS, headers: target.headers });
      const result = await load({ url: target.url, connections: CONNECTIONS, duration: SECONDS, headers: target.headers });
      results.set(target.name, result);
      report(target.label, result);
    }
    const baseline = results.get('baseline');
    const dashboard = results.get('dashboard');
    if (baseline === undefined || dashboard === undefined) throw new Error('a measurement is missing');
    const ratio = dashboard.requests.average / baseline.requests.average;
    console.log(`dashboard/baseline: ${ratio.toFixed(3)} (${(1 / ratio).toFixed(1)} times slower than the bare route)`);
    console.log('no target yet; the case-page targets come with casework');
    if (!isClean(baseline)) console.log('the baseline had errors or non-2xx answers: the ratio is not meaningful');
    if (!isClean(dashboard)) console.log('the dashboard had errors, timeouts or non-2xx answers');
    return isClean(dashboard) && isClean(baseline);
  });
}
