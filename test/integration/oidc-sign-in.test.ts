/**
 * Single sign-on with OpenID Connect, end to end on both engines: a real provider
 * (oidc-provider on loopback) and Chromium going through its own login and consent pages.
 */
import type { FastifyInstance } from 'fastify';
import type { Browser as Chromium, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aUser, TEST_PASSWORD, testClock, testConfig, testContainer } from '../support/builders.ts';
import { expectNoAxeViolations, launchChromium, openPage } from '../support/browser.ts';
import { freePort } from '../support/ports.ts';
import { startTestProvider, type TestProvider } from '../support/oidc.ts';
import { Browser } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';

describeEachEngine('single sign-on with OpenID Connect', (database) => {
  let provider: TestProvider;
  let container: Container;
  let app: FastifyInstance;
  let chromium: Chromium;
  let baseUrl: string;
  /** A second Redress on the same database whose roles are given by administrators only (no OIDC_ROLE_CLAIM). */
  let plainApp: FastifyInstance;
  let plainUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    const plainPort = await freePort();
    baseUrl = `http://127.0.0.1:${String(port)}`;
    plainUrl = `http://127.0.0.1:${String(plainPort)}`;
    provider = await startTestProvider(`${baseUrl}/sign-in/oidc/callback`, `${plainUrl}/sign-in/oidc/callback`);
    const config = testConfig({
      PUBLIC_BASE_URL: baseUrl,
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_SCOPES: 'openid email profile groups',
      OIDC_ROLE_CLAIM: 'groups',
      OIDC_ROLE_MAP: 'redress-complaints=complaints_officer;redress-admins=admin;redress-admins=complaints_manager',
    });
    container = await testContainer(database(), testClock(), config);
    app = await createApp(container);
    await app.listen({ port, host: '127.0.0.1' });
    const plainConfig = testConfig({ PUBLIC_BASE_URL: plainUrl, OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: provider.clientId, OIDC_CLIENT_SECRET: provider.clientSecret, OIDC_SCOPES: 'openid email profile groups' });
    plainApp = await createApp(await testContainer(database(), testClock(), plainConfig));
    await plainApp.listen({ port: plainPort, host: '127.0.0.1' });
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium.close();
    await plainApp.close();
    await app.close();
    await provider.close();
  });

  const count = async (table: 'app_user' | 'session' | 'user_identity'): Promise<number> => {
    const { n } = await container.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    return Number(n);
  };
  const auditOf = async (action: string) =>
    (await container.db.kysely.selectFrom('audit_event').select(['user_id', 'details', 'entity_id']).where('action', '=', action).orderBy('id').execute()).map((row) => ({
      userId: row.user_id,
      entityId: row.entity_id,
      details: JSON.parse(row.details ?? '{}') as Record<string, unknown>,
    }));
  const userByEmail = async (email: string) => {
    const user = (await container.users.list()).find((u) => u.email === email);
    if (!user) throw new Error(`no user ${email}`);
    return user;
  };

  /** From Redress's sign-in page through the provider's login and consent pages, back to Redress. */
  async function signInAtProvider(page: Page, login: string, start = '/sign-in', redress = baseUrl): Promise<void> {
    await page.goto(`${redress}${start}`);
    await page.getByRole('button', { name: 'Sign in with your council account' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await loginAtProvider(page, login);
  }

  /** The provider's own login and consent pages, then back to Redress. */
  async function loginAtProvider(page: Page, login: string): Promise<void> {
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.origin !== provider.issuer && url.pathname !== '/sign-in/oidc');
  }

  /**
   * A sign-in started from Redress whose request to the provider is changed on the way (as an
   * attacker replaying another reply or a broken provider would), then finished in Chromium.
   */
  async function signInWithChangedRequest(page: Page, login: string, change: (url: URL) => void): Promise<void> {
    const start = await app.inject({ method: 'GET', url: '/sign-in/oidc' });
    const handle = start.cookies.find((c) => c.name === 'redress_oidc');
    if (handle === undefined) throw new Error('no sign-in cookie');
    await page.context().addCookies([{ name: handle.name, value: handle.value, domain: '127.0.0.1', path: '/sign-in/oidc/callback', httpOnly: true, sameSite: 'Lax' }]);
    const authorization = new URL(String(start.headers.location));
    change(authorization);
    await page.goto(authorization.href);
    await loginAtProvider(page, login);
  }

  it('offers single sign-on on the sign-in page, beside the password form', async () => {
    const { page } = await openPage(chromium);
    await page.goto(`${baseUrl}/sign-in`);
    await expect(page.getByRole('button', { name: 'Sign in with your council account' }).getAttribute('href')).resolves.toBe('/sign-in/oidc');
    await expect(page.getByLabel('Email address').count()).resolves.toBe(1);
    await expectNoAxeViolations(page, 'the sign-in page with single sign-on');
    await page.context().close();
  });

  it('creates an account with no roles on a first sign-in whose groups give none, and does not sign it in', async () => {
    provider.addAccount('newcomer', { email: 'New.Comer@Council.example', name: 'New Comer', groups: ['some-other-group'] });
    const users = await count('app_user');
    const { page } = await openPage(chromium);
    await signInAtProvider(page, 'newcomer');

    await expect(page.locator('h1').textContent()).resolves.toContain('Your account has been created');
    await expect(page.locator('main').textContent()).resolves.toContain('An administrator must give you access before you can use Redress.');
    const created = await userByEmail('new.comer@council.example');
    expect(created.roles).toEqual([]);
    expect(created.name).toBe('New Comer');
    expect(await count('app_user')).toBe(users + 1);
    expect(await count('session')).toBe(0);
    await expect(page.context().cookies()).resolves.not.toContainEqual(expect.objectContaining({ name: 'redress_session' }));
    // The account cannot sign in with a password: it has none.
    const http = new Browser(app);
    const response = await http.post('/sign-in', { email: 'new.comer@council.example', password: '!single-sign-on' }, '/sign-in');
    expect(response.statusCode).toBe(400);
    const added = (await auditOf('user_added')).find((event) => event.entityId === String(created.id));
    expect(added?.details).toEqual({ method: 'oidc', after: { roles: [] } });
    await expectNoAxeViolations(page, 'the account-created page');
    await page.context().close();
  });

  it('signs in with roles from the group claim and lands on the dashboard (or the page asked for)', async () => {
    provider.addAccount('officer', { email: 'officer@council.example', name: 'Olu Officer', groups: ['redress-complaints'] });
    const { page, problems } = await openPage(chromium);
    await page.goto(`${baseUrl}/cases`);
    expect(page.url()).toBe(`${baseUrl}/sign-in?returnTo=%2Fcases`);
    await signInAtProvider(page, 'officer', '/sign-in?returnTo=%2Fcases');
    expect(page.url()).toBe(`${baseUrl}/cases`);

    await page.goto(`${baseUrl}/dashboard`);
    await expect(page.locator('h1').textContent()).resolves.toContain('Dashboard');
    const officer = await userByEmail('officer@council.example');
    expect(officer.roles).toEqual(['complaints_officer']);
    expect(await count('session')).toBe(1);
    const signedIn = (await auditOf('signed_in')).filter((event) => event.userId === officer.id);
    expect(signedIn.map((event) => event.details)).toEqual([{ method: 'oidc' }]);

    // Signing out ends the session.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.locator('h1').textContent()).resolves.toContain('You have signed out');
    expect(await count('session')).toBe(0);
    // The provider's development pages ask for a web font from the internet: only Redress's pages are judged.
    expect(problems.list.filter((problem) => !problem.includes(provider.issuer))).toEqual([]);
    await page.context().close();
  });

  it('links an existing account by its verified email, replaces its roles from the claim and audits the change', async () => {
    const existing = await aUser(container, 'viewer');
    provider.addAccount('manager', { email: existing.email.toUpperCase(), name: 'Someone Else', groups: ['redress-admins'] });
    const users = await count('app_user');
    const { page } = await openPage(chromium);
    await signInAtProvider(page, 'manager');
    expect(page.url()).toBe(`${baseUrl}/dashboard`);

    expect(await count('app_user')).toBe(users);
    const linked = await userByEmail(existing.email);
    expect(linked.id).toBe(existing.id);
    expect([...linked.roles].sort()).toEqual(['admin', 'complaints_manager']);
    const changed = (await auditOf('user_roles_changed')).filter((event) => event.entityId === String(existing.id));
    expect(changed.map((event) => event.details)).toEqual([{ method: 'oidc', before: { roles: ['viewer'] }, after: { roles: ['admin', 'complaints_manager'] } }]);

    // The Users page says how each account signs in.
    await page.goto(`${baseUrl}/admin/users`);
    const row = page.locator('tr', { hasText: existing.email });
    await expect(row.textContent()).resolves.toContain('Council account');
    await page.context().close();

    // Found again by the provider's subject even after the address changes there.
    provider.addAccount('manager', { email: 'renamed@council.example', groups: ['redress-admins'] });
    const again = await openPage(chromium);
    await signInAtProvider(again.page, 'manager');
    expect(again.page.url()).toBe(`${baseUrl}/dashboard`);
    expect(await count('app_user')).toBe(users);
    await again.page.context().close();
  });

  it('without a role claim, leaves roles to administrators: none at first, then those given, kept at each sign-in', async () => {
    provider.addAccount('by-hand', { email: 'by.hand@council.example', name: 'Bea Hand', groups: ['redress-admins'] });
    const first = await openPage(chromium);
    await signInAtProvider(first.page, 'by-hand', '/sign-in', plainUrl);
    await expect(first.page.locator('h1').textContent()).resolves.toContain('Your account has been created');
    await first.page.context().close();
    const account = await userByEmail('by.hand@council.example');
    expect(account.roles).toEqual([]);

    // Signing in again before an administrator acts: still no access, no session.
    const sessions = await count('session');
    const waiting = await openPage(chromium);
    await signInAtProvider(waiting.page, 'by-hand', '/sign-in', plainUrl);
    await expect(waiting.page.locator('h1').textContent()).resolves.toContain('You do not have access to Redress yet');
    expect(await count('session')).toBe(sessions);
    await waiting.page.context().close();

    await container.users.setRoles(account.id, ['viewer'], CLI_ACTOR);
    const given = await openPage(chromium);
    await signInAtProvider(given.page, 'by-hand', '/sign-in', plainUrl);
    expect(given.page.url()).toBe(`${plainUrl}/dashboard`);
    expect((await userByEmail('by.hand@council.example')).roles).toEqual(['viewer']);
    await given.page.context().close();
  });

  it('refuses a disabled account, changing nothing', async () => {
    provider.addAccount('leaver', { email: 'leaver@council.example', groups: ['redress-complaints'] });
    const first = await openPage(chromium);
    await signInAtProvider(first.page, 'leaver');
    expect(first.page.url()).toBe(`${baseUrl}/dashboard`);
    await first.page.context().close();
    await container.users.setActive('leaver@council.example', false, CLI_ACTOR);

    const sessions = await count('session');
    const { page } = await openPage(chromium);
    const response = page.waitForResponse((r) => r.url().startsWith(`${baseUrl}/sign-in/oidc/callback`));
    await signInAtProvider(page, 'leaver');
    expect((await response).status()).toBe(403);
    await expect(page.locator('main').textContent()).resolves.toContain('Your Redress account has been disabled');
    expect(await count('session')).toBe(sessions);
    await page.context().close();
  });

  it('refuses a callback whose state was tampered with: a clear page, no user, no session', async () => {
    provider.addAccount('tampered-state', { email: 'tampered.state@council.example', groups: ['redress-complaints'] });
    const before = { users: await count('app_user'), sessions: await count('session'), identities: await count('user_identity') };
    const { page } = await openPage(chromium);
    const response = page.waitForResponse((r) => r.url().startsWith(`${baseUrl}/sign-in/oidc/callback`));
    // The provider sends back the state it was given: not the one Redress keeps.
    await signInWithChangedRequest(page, 'tampered-state', (url) => {
      url.searchParams.set('state', `${url.searchParams.get('state') ?? ''}x`);
    });

    expect((await response).status()).toBe(400);
    await expect(page.locator('h1').textContent()).resolves.toContain('You could not be signed in');
    await expect(page.locator('main').textContent()).resolves.toContain('did not match the sign-in started from Redress');
    await expect(page.getByRole('link', { name: 'Try signing in again' }).getAttribute('href')).resolves.toBe('/sign-in');
    expect({ users: await count('app_user'), sessions: await count('session'), identities: await count('user_identity') }).toEqual(before);
    const refusal = (await auditOf('sign_in_failed')).at(-1);
    expect(refusal).toEqual({ userId: null, entityId: null, details: { method: 'oidc', reason: 'state_mismatch' } });
    await expectNoAxeViolations(page, 'the single sign-on problem page');
    await page.context().close();
  });

  it('refuses an ID token with the wrong nonce: a clear page, no user, no session', async () => {
    provider.addAccount('wrong-nonce', { email: 'wrong.nonce@council.example', groups: ['redress-complaints'] });
    const before = { users: await count('app_user'), sessions: await count('session'), identities: await count('user_identity') };
    const { page } = await openPage(chromium);
    const response = page.waitForResponse((r) => r.url().startsWith(`${baseUrl}/sign-in/oidc/callback`));
    // The provider puts another nonce in the ID token than the one Redress expects.
    await signInWithChangedRequest(page, 'wrong-nonce', (url) => {
      url.searchParams.set('nonce', 'a-nonce-redress-never-sent');
    });

    expect((await response).status()).toBe(400);
    await expect(page.locator('main').textContent()).resolves.toContain('did not match the sign-in started from Redress');
    expect({ users: await count('app_user'), sessions: await count('session'), identities: await count('user_identity') }).toEqual(before);
    expect((await auditOf('sign_in_failed')).at(-1)?.details).toEqual({ method: 'oidc', reason: 'nonce_mismatch' });
    await page.context().close();
  });

  it('refuses a callback without a sign-in started in this browser, and one used twice', async () => {
    const http = new Browser(app);
    const stray = await http.get('/sign-in/oidc/callback?code=made-up&state=made-up');
    expect(stray.statusCode).toBe(400);
    expect(stray.headers['cache-control']).toBe('no-store');
    expect(stray.body).toContain('We could not match this sign-in to one started from Redress');
    expect((await auditOf('sign_in_failed')).at(-1)?.details).toEqual({ method: 'oidc', reason: 'no_attempt' });

    // The start sets a short-lived, HttpOnly, SameSite=Lax cookie for the callback only, and sends the browser on with PKCE.
    const start = await http.get('/sign-in/oidc');
    expect(start.statusCode).toBe(303);
    const location = new URL(String(start.headers.location));
    expect(location.origin).toBe(provider.issuer);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('redirect_uri')).toBe(`${baseUrl}/sign-in/oidc/callback`);
    const cookie = start.cookies.find((c) => c.name === 'redress_oidc');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/sign-in/oidc/callback', maxAge: 600 });
    const replayed = await http.get(`/sign-in/oidc/callback?code=made-up&state=${location.searchParams.get('state') ?? ''}`);
    expect(replayed.statusCode).toBe(400);
    const again = await http.get(`/sign-in/oidc/callback?code=made-up&state=${location.searchParams.get('state') ?? ''}`);
    expect(again.body).toContain('We could not match this sign-in to one started from Redress');
  });
});

describeEachEngine('local sign-in switched off', (database) => {
  let app: FastifyInstance;
  /** The same database served with passwords allowed: the control. */
  let withPasswords: FastifyInstance;
  let passwordContainer: Container;

  beforeAll(async () => {
    const config = testConfig({
      OIDC_ISSUER: 'http://127.0.0.1:9/never-contacted',
      OIDC_CLIENT_ID: 'redress',
      OIDC_CLIENT_SECRET: 'secret',
      LOCAL_SIGN_IN: 'off',
    });
    const container = await testContainer(database(), testClock(), config);
    app = await createApp(container);
    passwordContainer = await testContainer(database());
    withPasswords = await createApp(passwordContainer);
  });
  afterAll(async () => {
    await app.close();
    await withPasswords.close();
  });

  it('shows only the council account on the sign-in page, and refuses a password', async () => {
    const http = new Browser(app);
    const page = await http.get('/sign-in?returnTo=%2Fcases');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Sign in with your council account');
    expect(page.body).toContain('href="/sign-in/oidc?returnTo=%2Fcases"');
    expect(page.body).not.toContain('name="password"');
    // The form is gone; a password posted anyway (with a valid CSRF token) is refused.
    const user = await aUser(passwordContainer, 'admin');
    const donor = new Browser(withPasswords);
    const form = { email: user.email, password: TEST_PASSWORD, _csrf: await donor.csrfToken('/sign-in') };
    const post = (target: FastifyInstance) =>
      target.inject({
        method: 'POST',
        url: '/sign-in',
        payload: new URLSearchParams(form).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { redress_csrf: donor.cookie('redress_csrf') ?? '' },
      });
    const refused = await post(app);
    expect(refused.statusCode).toBe(404);
    expect(refused.cookies.find((c) => c.name === 'redress_session')).toBeUndefined();
    expect((await post(withPasswords)).statusCode).toBe(303);
  });

  it('says so clearly when the provider cannot be reached', async () => {
    const http = new Browser(app);
    const response = await http.get('/sign-in/oidc');
    expect(response.statusCode).toBe(502);
    expect(response.body).toContain('Redress could not reach your council’s sign-in service');
    expect(response.body).toContain('Try signing in again');
  });
});
