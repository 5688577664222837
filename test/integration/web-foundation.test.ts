import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aUser, TEST_PASSWORD, testClock, testConfig, testContainer, type TestClock } from '../support/builders.ts';
import { Browser, errorSummary, signedInAs } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';

describeEachEngine('web foundation', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let clock: TestClock;

  beforeAll(async () => {
    clock = testClock();
    container = await testContainer(database(), clock);
    await container.demo.ensure();
    app = await createApp(container);
  });
  afterAll(async () => {
    await app.close();
  });

  it('redirects a visitor to sign in, then back to where they were going', async () => {
    const browser = new Browser(app);
    const first = await browser.get('/admin/teams');
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe('/sign-in?returnTo=%2Fadmin%2Fteams');
    const { email } = await aUser(container, 'complaints_officer');
    const signIn = await browser.post('/sign-in', { email, password: TEST_PASSWORD, returnTo: '/admin/teams' }, '/sign-in');
    expect(signIn.statusCode).toBe(303);
    expect(signIn.headers.location).toBe('/admin/teams');
    const teams = await browser.get('/admin/teams');
    expect(teams.statusCode).toBe(200);
    expect(teams.body).toContain('Care Management North');
    expect(teams.body).toContain('Home 2');
  });

  it('never redirects off-site after sign-in', async () => {
    const browser = new Browser(app);
    const { email } = await aUser(container, 'viewer');
    const response = await browser.post('/sign-in', { email, password: TEST_PASSWORD, returnTo: '//evil.example/' }, '/sign-in');
    expect(response.headers.location).toBe('/dashboard');
  });

  it('says a wrong password is wrong without revealing whether the account exists', async () => {
    const browser = new Browser(app);
    const { email } = await aUser(container, 'viewer');
    const wrong = await browser.post('/sign-in', { email, password: 'not-the-password' }, '/sign-in');
    const unknown = await browser.post('/sign-in', { email: 'nobody@test.example', password: 'not-the-password' }, '/sign-in');
    expect(wrong.statusCode).toBe(400);
    expect(unknown.statusCode).toBe(400);
    expect(errorSummary(wrong.body)).toEqual(['The email address or password is not right']);
    expect(errorSummary(unknown.body)).toEqual(errorSummary(wrong.body));
    expect(wrong.body).toContain(`value="${email}"`);
    expect(wrong.body).toContain('<title>Error: Sign in – Redress</title>');
  });

  it('asks for both fields when they are empty', async () => {
    const response = await new Browser(app).post('/sign-in', { email: '', password: '' }, '/sign-in');
    expect(response.statusCode).toBe(400);
    expect(errorSummary(response.body)).toEqual(['Enter your email address', 'Enter your password']);
    expect(response.body).toContain('govuk-error-message');
  });

  it('slows further tries after five quick failures, even with the right password', async () => {
    const browser = new Browser(app);
    const { email } = await aUser(container, 'viewer');
    for (let i = 0; i < 5; i += 1) {
      expect((await browser.post('/sign-in', { email, password: 'wrong-password-1' }, '/sign-in')).statusCode).toBe(400);
    }
    const throttled = await browser.post('/sign-in', { email, password: TEST_PASSWORD }, '/sign-in');
    expect(throttled.statusCode).toBe(429);
    expect(errorSummary(throttled.body)[0]).toMatch(/Too many failed attempts/);
    clock.advance(31_000);
    await browser.signIn(email, TEST_PASSWORD);
  });

  it('refuses a form post without a valid CSRF token with a GOV.UK 403 page', async () => {
    const browser = new Browser(app);
    const { email } = await aUser(container, 'viewer');
    const missing = await browser.post('/sign-in', { email, password: TEST_PASSWORD });
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('Your form could not be sent');
    expect(missing.body).toContain('govuk-template');
    await browser.get('/sign-in');
    const forged = await browser.post('/sign-in', { email, password: TEST_PASSWORD, _csrf: 'forged-token' });
    expect(forged.statusCode).toBe(403);
    expect(browser.cookie('redress_session')).toBeUndefined();
  });

  it('gives unknown routes a GOV.UK 404 page', async () => {
    const response = await new Browser(app).get('/no-such-page');
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Page not found');
    expect(response.body).toContain('govuk-footer');
  });

  it('refuses a page to a role that may not use it', async () => {
    const browser = await signedInAs(app, container, 'complaints_officer');
    const response = await browser.get('/admin/users');
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('You do not have access to this page');
  });

  it('ends a session after 30 idle minutes, and keeps an active one alive', async () => {
    const browser = new Browser(app);
    const { email } = await aUser(container, 'viewer');
    await browser.signIn(email, TEST_PASSWORD);
    clock.advance(29 * 60_000);
    expect((await browser.get('/dashboard')).statusCode).toBe(200);
    clock.advance(29 * 60_000);
    expect((await browser.get('/dashboard')).statusCode).toBe(200);
    clock.advance(30 * 60_000);
    expect((await browser.get('/dashboard')).statusCode).toBe(302);
  });

  it('signs out, and the old session cookie no longer works', async () => {
    const browser = new Browser(app);
    const { email } = await aUser(container, 'viewer');
    await browser.signIn(email, TEST_PASSWORD);
    const session = browser.cookie('redress_session');
    const out = await browser.post('/sign-out', {}, '/dashboard');
    expect(out.statusCode).toBe(200);
    expect(out.body).toContain('You have signed out');
    const replay = await app.inject({ method: 'GET', url: '/dashboard', cookies: { redress_session: session ?? '' } });
    expect(replay.statusCode).toBe(302);
  });

  it('shares sessions between processes on the same database', async () => {
    const browser = new Browser(app);
    const { email } = await aUser(container, 'viewer');
    await browser.signIn(email, TEST_PASSWORD);
    const second = await createApp(await testContainer(database(), clock));
    try {
      const response = await second.inject({ method: 'GET', url: '/dashboard', cookies: { redress_session: browser.cookie('redress_session') ?? '' } });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain(email);
    } finally {
      await second.close();
    }
  });

  it('reports liveness and readiness', async () => {
    const live = await app.inject({ method: 'GET', url: '/health/live' });
    expect(live.json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('sends security headers and a CSP whose only inline script carries its nonce', async () => {
    const response = await new Browser(app).get('/sign-in');
    const csp = String(response.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).not.toContain('unsafe-inline');
    const scripts = [...response.body.matchAll(/<script([^>]*)>/g)].map((m) => m[1] ?? '');
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) expect(attributes).toContain(`nonce="${nonce ?? ''}"`);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('serves GOV.UK Frontend assets locally', async () => {
    const css = await app.inject({ method: 'GET', url: '/assets/govuk-frontend.min.css' });
    expect(css.statusCode).toBe(200);
    const font = await app.inject({ method: 'GET', url: '/assets/fonts/bold-b542beb274-v2.woff2' });
    expect(font.statusCode).toBe(200);
    const source = await app.inject({ method: 'GET', url: '/assets/template.njk' });
    expect(source.statusCode).toBe(404);
  });
});

describe('routes that do not declare who may use them', () => {
  it('are refused to everyone', async () => {
    const { createTestDatabase } = await import('../support/databases.ts');
    const database = await createTestDatabase('sqlite');
    const container = await testContainer(database);
    const app = await createApp(container);
    app.get('/undeclared', () => 'secret');
    try {
      const response = await app.inject({ method: 'GET', url: '/undeclared' });
      expect(response.statusCode).toBe(403);
      expect(response.body).not.toContain('secret');
    } finally {
      await app.close();
      await database.close();
    }
  });
});

describe('a request that fails', () => {
  it.each([
    ['production', false],
    ['development', true],
  ] as const)('gets a GOV.UK 500 page, with the stack trace only in development (%s)', async (env, showsStack) => {
    const { createTestDatabase } = await import('../support/databases.ts');
    const database = await createTestDatabase('sqlite');
    const config = testConfig({ NODE_ENV: env, SESSION_SECRET: 's'.repeat(40) });
    const app = await createApp(await testContainer(database, testClock(), config));
    app.get('/boom', { config: { access: 'public' } }, () => {
      throw new Error('kaboom at a secret place');
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/boom' });
      expect(response.statusCode).toBe(500);
      expect(response.body).toContain('Sorry, there is a problem with the service');
      expect(response.body.includes('kaboom at a secret place')).toBe(showsStack);
    } finally {
      await app.close();
      await database.close();
    }
  });
});
