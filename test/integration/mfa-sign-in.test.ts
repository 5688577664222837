/**
 * Multi-factor sign-in and passwords on both engines, through the real app: enrolling an
 * authenticator (its key read from the page, codes computed here with the project's TOTP),
 * codes refused when wrong or replayed, recovery codes used once, a pending sign-in that grants
 * nothing, passwords set by an administrator changed at first sign-in, self-service change,
 * an administrator's reset, and the sign-in throttle by account and source.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aUser, TEST_PASSWORD, testClock, testConfig, testContainer, type TestClock } from '../support/builders.ts';
import { Browser, errorSummary, signedInAs } from '../support/http.ts';
import { secretFromPage } from '../support/authenticator.ts';
import { runCli } from '../support/cli.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import { base32Decode, hotp, totpCode, totpStep } from '../../src/domain/auth/totp.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import { newDeviceValue } from '../../src/app/auth-service.ts';
import { AuditRepository } from '../../src/db/audit-repository.ts';

const ACTOR = { ip: '198.51.100.7', requestId: null };

function secretBytes(html: string): Uint8Array {
  const bytes = base32Decode(secretFromPage(html));
  if (!bytes) throw new Error('secret not base32');
  return bytes;
}

function recoveryCodes(html: string): string[] {
  return [...html.matchAll(/<li><code>([A-Z0-9-]+)<\/code><\/li>/g)].map((m) => m[1] ?? '');
}

describeEachEngine('multi-factor sign-in and passwords', (database) => {
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

  async function actions(userId: number): Promise<string[]> {
    return (await new AuditRepository(container.db.kysely).forEntity('user', String(userId))).map((e) => e.action);
  }

  /** Signs an administrator in up to the set-up page and enrols with a computed code; returns the secret and recovery codes. */
  async function enrolledAdmin(): Promise<{ email: string; id: number; secret: Uint8Array; codes: string[]; browser: Browser }> {
    const { email, id } = await aUser(container, 'admin');
    const browser = new Browser(app);
    const signIn = await browser.post('/sign-in', { email, password: TEST_PASSWORD }, '/sign-in');
    expect(signIn.headers.location).toBe('/sign-in/authenticator');
    const page = await browser.get('/sign-in/authenticator');
    const secret = secretBytes(page.body);
    const done = await browser.post('/sign-in/authenticator', { code: totpCode(secret, clock()) }, '/sign-in/authenticator');
    expect(done.statusCode, done.body).toBe(200);
    return { email, id, secret, codes: recoveryCodes(done.body), browser };
  }

  it('makes an administrator set up an authenticator at first sign-in; the half-signed-in browser sees nothing', async () => {
    const { email, id } = await aUser(container, 'admin');
    const browser = new Browser(app);
    const signIn = await browser.post('/sign-in', { email, password: TEST_PASSWORD, returnTo: '/admin/users' }, '/sign-in');
    expect(signIn.statusCode).toBe(303);
    expect(signIn.headers.location).toBe('/sign-in/authenticator');
    expect(browser.cookie('redress_session')).toBeUndefined();
    // Past the password, nothing is granted until the code is in.
    expect((await browser.get('/admin/users')).statusCode).toBe(302);
    expect((await browser.get('/sign-in/code')).headers.location).toBe('/sign-in/authenticator');

    const page = await browser.get('/sign-in/authenticator');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<svg');
    const secret = secretBytes(page.body);
    // Shown again, the page offers the same key (the app may already have scanned it).
    expect(secretBytes((await browser.get('/sign-in/authenticator')).body)).toEqual(secret);

    const wrong = await browser.post('/sign-in/authenticator', { code: hotp(secret, totpStep(clock()) + 5) }, '/sign-in/authenticator');
    expect(wrong.statusCode).toBe(400);
    expect(errorSummary(wrong.body)).toEqual(['The code is not right. Check the app shows Redress, then enter the 6-digit code it shows now']);
    expect((await container.mfa.status(id, ['admin'])).enrolled).toBe(false);
    const empty = await browser.post('/sign-in/authenticator', { code: '' }, '/sign-in/authenticator');
    expect(errorSummary(empty.body)).toEqual(['Enter the 6-digit code your authenticator app shows']);

    const done = await browser.post('/sign-in/authenticator', { code: totpCode(secret, clock()) }, '/sign-in/authenticator');
    expect(done.statusCode).toBe(200);
    const codes = recoveryCodes(done.body);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(done.body).toContain('href="/admin/users"');
    expect(browser.cookie('redress_session')).toBeDefined();
    expect((await browser.get('/admin/users')).statusCode).toBe(200);
    // The key is never shown again: the set-up page now sends a signed-in browser away.
    expect((await browser.get('/sign-in/authenticator')).headers.location).toBe('/sign-in');
    expect(await actions(id)).toEqual(expect.arrayContaining(['mfa_enrolment_failed', 'mfa_enrolled', 'signed_in']));
  });

  it('asks for a code at the next sign-in: a wrong or replayed code is refused and changes nothing; a new one signs in', async () => {
    const { email, id, secret } = await enrolledAdmin();
    const browser = new Browser(app);
    const signIn = await browser.post('/sign-in', { email, password: TEST_PASSWORD }, '/sign-in');
    expect(signIn.headers.location).toBe('/sign-in/code');
    const pendingCookie = browser.cookie('redress_sign_in');
    expect(pendingCookie).toBeDefined();

    const wrong = await browser.post('/sign-in/code', { code: hotp(secret, totpStep(clock()) + 7) }, '/sign-in/code');
    expect(wrong.statusCode).toBe(400);
    expect(errorSummary(wrong.body)).toEqual(['The code is not right. Enter the 6-digit code your authenticator app shows now, or one of your recovery codes']);
    // The code used at enrolment, in this same 30 seconds: a replay.
    const replay = await browser.post('/sign-in/code', { code: totpCode(secret, clock()) }, '/sign-in/code');
    expect(replay.statusCode).toBe(400);
    expect(errorSummary(replay.body)).toEqual(['That code has already been used. Wait for your authenticator app to show a new code, then enter it']);
    expect(browser.cookie('redress_session')).toBeUndefined();
    expect((await browser.get('/dashboard')).statusCode).toBe(302);

    clock.advance(30_000);
    const accepted = await browser.post('/sign-in/code', { code: totpCode(secret, clock()) }, '/sign-in/code');
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe('/dashboard');
    const session = browser.cookie('redress_session');
    expect(session).toBeDefined();
    expect(session).not.toBe(pendingCookie);
    expect(browser.cookie('redress_sign_in')).toBeUndefined();
    expect((await browser.get('/dashboard')).statusCode).toBe(200);
    const failures = (await new AuditRepository(container.db.kysely).forEntity('user', String(id))).filter((e) => e.action === 'mfa_code_failed');
    expect(failures.map((e) => e.details)).toEqual([{ reason: 'wrong_code' }, { reason: 'replayed_code' }]);
  });

  it('accepts one of many parallel tries with the same code, and refuses the rest', async () => {
    const { email, secret } = await enrolledAdmin();
    clock.advance(30_000);
    const browsers = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const browser = new Browser(app);
        await browser.post('/sign-in', { email, password: TEST_PASSWORD }, '/sign-in');
        return { browser, csrf: await browser.csrfToken('/sign-in/code') };
      }),
    );
    const code = totpCode(secret, clock());
    const statuses = await Promise.all(browsers.map(({ browser, csrf }) => browser.post('/sign-in/code', { code, _csrf: csrf }).then((r) => r.statusCode)));
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(4);
  });

  it('takes each recovery code once, and says how many are left on the account page', async () => {
    const { email, codes } = await enrolledAdmin();
    const first = new Browser(app);
    await first.post('/sign-in', { email, password: TEST_PASSWORD }, '/sign-in');
    const used = await first.post('/sign-in/code', { code: (codes[0] ?? '').toLowerCase() }, '/sign-in/code');
    expect(used.statusCode).toBe(303);
    const account = await first.get('/account');
    expect(account.body).toMatch(/Recovery codes left[\s\S]*?9/);

    const second = new Browser(app);
    await second.post('/sign-in', { email, password: TEST_PASSWORD }, '/sign-in');
    const again = await second.post('/sign-in/code', { code: codes[0] ?? '' }, '/sign-in/code');
    expect(again.statusCode).toBe(400);
    expect(second.cookie('redress_session')).toBeUndefined();

    // New codes replace the old ones.
    const fresh = await first.post('/account/recovery-codes', {}, '/account');
    const newCodes = recoveryCodes(fresh.body);
    expect(newCodes).toHaveLength(10);
    const old = await second.post('/sign-in/code', { code: codes[1] ?? '' }, '/sign-in/code');
    expect(old.statusCode).toBe(400);
    expect((await second.post('/sign-in/code', { code: newCodes[0] ?? '' }, '/sign-in/code')).statusCode).toBe(303);
  });

  it('slows down guessing of codes: after five wrong codes the next waits', async () => {
    const { email, secret } = await enrolledAdmin();
    const browser = new Browser(app);
    await browser.post('/sign-in', { email, password: TEST_PASSWORD }, '/sign-in');
    clock.advance(30_000);
    const step = totpStep(clock());
    for (let i = 0; i < 5; i += 1) {
      expect((await browser.post('/sign-in/code', { code: hotp(secret, step + 10 + i) }, '/sign-in/code')).statusCode).toBe(400);
    }
    // Even the right code waits now.
    const throttled = await browser.post('/sign-in/code', { code: totpCode(secret, clock()) }, '/sign-in/code');
    expect(throttled.statusCode).toBe(429);
    expect(errorSummary(throttled.body)[0]).toMatch(/^Too many wrong codes\. Wait \d+ minutes? and try again$/);
    clock.advance(31_000);
    expect((await browser.post('/sign-in/code', { code: totpCode(secret, clock()) }, '/sign-in/code')).statusCode).toBe(303);
  });

  it('makes someone whose password an administrator set choose their own at first sign-in', async () => {
    const email = `new-officer-${String(Date.now())}@test.example`;
    const { password, user } = await container.users.add({ email, name: 'New Officer', roles: ['complaints_officer'] }, CLI_ACTOR);
    const browser = new Browser(app);
    const signIn = await browser.post('/sign-in', { email, password }, '/sign-in');
    expect(signIn.headers.location).toBe('/sign-in/new-password');
    expect((await browser.get('/dashboard')).statusCode).toBe(302);

    const weak = await browser.post('/sign-in/new-password', { newPassword: 'password1234', confirmPassword: 'password1234' }, '/sign-in/new-password');
    expect(errorSummary(weak.body)).toEqual(['Choose a password that is harder to guess: this one is too common']);
    const short = await browser.post('/sign-in/new-password', { newPassword: 'short', confirmPassword: 'short' }, '/sign-in/new-password');
    expect(errorSummary(short.body)).toEqual(['Password must be at least 12 characters']);
    const mismatch = await browser.post('/sign-in/new-password', { newPassword: 'lantern orchard kettle', confirmPassword: 'lantern orchard kettles' }, '/sign-in/new-password');
    expect(errorSummary(mismatch.body)).toEqual(['The passwords do not match']);
    const same = await browser.post('/sign-in/new-password', { newPassword: password, confirmPassword: password }, '/sign-in/new-password');
    expect(errorSummary(same.body)).toEqual(['Choose a password different from your current one']);

    const done = await browser.post('/sign-in/new-password', { newPassword: 'lantern orchard kettle', confirmPassword: 'lantern orchard kettle' }, '/sign-in/new-password');
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/dashboard');
    expect((await browser.get('/dashboard')).statusCode).toBe(200);
    expect((await container.auth.signIn(email, password, ACTOR)).kind).toBe('invalid');
    expect((await container.auth.signIn(email, 'lantern orchard kettle', ACTOR)).kind).toBe('signed_in');
    expect(await actions(user.id)).toContain('password_changed');

    // A reset by an administrator asks again.
    await container.users.resetPassword(email, 'a-password-the-admin-knows', CLI_ACTOR);
    const again = await new Browser(app).post('/sign-in', { email, password: 'a-password-the-admin-knows' }, '/sign-in');
    expect(again.headers.location).toBe('/sign-in/new-password');
  });

  it('lets a signed-in user change their password, ending their other sessions', async () => {
    const { email } = await aUser(container, 'complaints_officer');
    const browser = new Browser(app);
    await browser.signIn(email, TEST_PASSWORD);
    const elsewhere = new Browser(app);
    await elsewhere.signIn(email, TEST_PASSWORD);

    const form = await browser.get('/account/password');
    expect(form.statusCode).toBe(200);
    const wrong = await browser.post('/account/password', { currentPassword: 'not-my-password', newPassword: 'quiet meadow lantern', confirmPassword: 'quiet meadow lantern' }, '/account/password');
    expect(wrong.statusCode).toBe(400);
    expect(errorSummary(wrong.body)).toEqual(['Your current password is not right']);
    const empty = await browser.post('/account/password', { currentPassword: TEST_PASSWORD, newPassword: '', confirmPassword: '' }, '/account/password');
    expect(errorSummary(empty.body)).toEqual(['Enter a new password']);

    const before = browser.cookie('redress_session');
    const done = await browser.post('/account/password', { currentPassword: TEST_PASSWORD, newPassword: 'quiet meadow lantern', confirmPassword: 'quiet meadow lantern' }, '/account/password');
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/account?changed=password');
    expect(browser.cookie('redress_session')).not.toBe(before);
    expect((await browser.get('/account?changed=password')).body).toContain('Your password has been changed');
    expect((await elsewhere.get('/dashboard')).statusCode).toBe(302);
    expect((await container.auth.signIn(email, 'quiet meadow lantern', ACTOR)).kind).toBe('signed_in');
  });

  it('lets an administrator reset a lost authenticator (audited); the user sets it up again', async () => {
    const { email, id, browser: userBrowser } = await enrolledAdmin();
    const admin = await signedInAs(app, container, 'admin');
    const reset = await admin.post(`/admin/users/${String(id)}/authenticator-reset`, {}, '/admin/users');
    expect(reset.statusCode).toBe(303);
    expect((await admin.get(reset.headers.location ?? '')).body).toContain(`Authenticator reset for ${email}`);
    expect((await userBrowser.get('/dashboard')).statusCode).toBe(302);
    const again = await new Browser(app).post('/sign-in', { email, password: TEST_PASSWORD }, '/sign-in');
    expect(again.headers.location).toBe('/sign-in/authenticator');
    expect(await actions(id)).toContain('mfa_reset');
    // Not for anyone but administrators.
    const officer = await signedInAs(app, container, 'complaints_officer');
    expect((await officer.post(`/admin/users/${String(id)}/authenticator-reset`, {}, '/dashboard')).statusCode).toBe(403);
  });

  it('resets a lost authenticator from the command line, and refuses an unknown email clearly', async () => {
    const { email, id } = await enrolledAdmin();
    const reset = await runCli(['user', 'reset-mfa', email], { DATABASE_URL: database().url });
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout.trim()).toBe(`Authenticator reset for ${email}: they will set it up again when they next sign in`);
    expect((await container.mfa.status(id, ['admin'])).enrolled).toBe(false);
    const unknown = await runCli(['user', 'reset-mfa', 'nobody@test.example'], { DATABASE_URL: database().url });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no user with the email nobody@test.example');
  }, 60_000);

  it('throttles by account and source: guessing from one place does not stop the owner elsewhere', async () => {
    const { email } = await aUser(container, 'viewer');
    const attacker = { ip: '203.0.113.66', requestId: null };
    for (let i = 0; i < 5; i += 1) expect((await container.auth.signIn(email, 'wrong-password', attacker)).kind).toBe('invalid');
    expect((await container.auth.signIn(email, 'wrong-password', attacker)).kind).toBe('throttled');
    expect((await container.auth.signIn(email, TEST_PASSWORD, attacker)).kind).toBe('throttled');
    expect((await container.auth.signIn(email, TEST_PASSWORD, ACTOR)).kind).toBe('signed_in');
  });

  it('never locks the owner out when guesses come from everywhere: a browser they signed in on before is not held back', async () => {
    const { email } = await aUser(container, 'viewer');
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => container.auth.signIn(email, 'wrong-password', { ip: `203.0.113.${String(i + 1)}`, requestId: null })),
    );
    let checked = results.filter((r) => r.kind === 'invalid').length;
    expect(checked).toBeLessThanOrEqual(20);
    // Those held back were not counted: more guesses from new places, until the account-wide limit.
    for (let i = 0; checked < 30; i += 1) {
      const result = await container.auth.signIn(email, 'wrong-password', { ip: `198.18.0.${String(i + 1)}`, requestId: null });
      if (result.kind === 'throttled') break;
      checked += 1;
    }
    expect(checked).toBe(20);
    // A new place waits a minute at most…
    expect((await container.auth.signIn(email, TEST_PASSWORD, { ip: '192.0.2.200', requestId: null })).kind).toBe('throttled');
    // …but the owner's browser, with its device cookie for this account, signs in straight away.
    expect((await container.auth.signIn(email, TEST_PASSWORD, { ip: '192.0.2.200', requestId: null }, { device: newDeviceValue(email) })).kind).toBe('signed_in');
    // A device cookie for another account does not help.
    expect((await container.auth.signIn(email, TEST_PASSWORD, { ip: '192.0.2.201', requestId: null }, { device: newDeviceValue('someone.else@test.example') })).kind).toBe('throttled');
    clock.advance(61_000);
    expect((await container.auth.signIn(email, TEST_PASSWORD, { ip: '192.0.2.202', requestId: null })).kind).toBe('signed_in');
  }, 120_000);
});

describeEachEngine('MFA_REQUIRED', (database) => {
  it('makes every local account set up an authenticator when on', async () => {
    const clock = testClock();
    const container = await testContainer(database(), clock, testConfig({ MFA_REQUIRED: 'true' }));
    const app = await createApp(container);
    try {
      const { email } = await aUser(container, 'viewer');
      const browser = new Browser(app);
      const signIn = await browser.post('/sign-in', { email, password: TEST_PASSWORD }, '/sign-in');
      expect(signIn.headers.location).toBe('/sign-in/authenticator');
      await browser.signIn(email, TEST_PASSWORD, clock);
      expect((await browser.get('/dashboard')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
