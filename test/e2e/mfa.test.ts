/**
 * Multi-factor sign-in in Chromium over HTTP: the demo administrator's first sign-in sets up an
 * authenticator (the key read from the page, codes computed in the test with the project's
 * TOTP for the server's clock), a wrong code and a replayed one are refused, the next sign-in
 * takes a fresh code; the pages pass axe and work without JavaScript.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoEmail } from '../../src/app/demo-service.ts';
import { base32Decode, hotp, totpCode, totpStep } from '../../src/domain/auth/totp.ts';
import { paths } from '../../src/web/paths.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import { e2eEngines, errorSummaryLinks, expectNoAxeViolations, launchChromium, openPage, startTestServer, type TestServer } from '../support/browser.ts';

const ADMIN = demoEmail('admin');

describe.each(e2eEngines())('authenticator sign-in [%s]', (engine) => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer(engine);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  const pathOf = (page: Page): string => new URL(page.url()).pathname;

  async function password(page: Page): Promise<void> {
    await page.goto(server.url(paths.signIn.url()));
    await page.getByLabel('Email address').fill(ADMIN);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/sign-in'), page.getByRole('button', { name: 'Sign in' }).click()]);
  }

  for (const javaScriptEnabled of [true, false]) {
    it(`enrols at the first sign-in and signs in with a code next time (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const { page, problems } = await openPage(browser, { javaScriptEnabled });
      // axe runs in the page: only with JavaScript on.
      const checkAxe = (p: Page, label: string) => (javaScriptEnabled ? expectNoAxeViolations(p, label) : Promise.resolve());
      if (!javaScriptEnabled) {
        // The administrator lost their phone: reset, they enrol again.
        await server.container.mfa.reset(ADMIN, CLI_ACTOR);
      }
      await password(page);
      expect(pathOf(page)).toBe(paths.signInAuthenticator.url());
      expect(await page.title()).toBe('Set up an authenticator app – Redress');
      expect(await page.getByRole('img', { name: 'QR code to set up Redress in your authenticator app' }).locator('svg').count()).toBe(1);
      await checkAxe(page, 'the authenticator set-up page');

      await page.getByText('I cannot scan the QR code').click();
      const key = ((await page.locator('#secret').textContent()) ?? '').trim();
      expect(key).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{4})+$/);
      const secret = base32Decode(key);
      if (!secret) throw new Error('the key is not base32');

      // A wrong code: the error summary links to the box, and nothing is set up.
      await page.getByLabel('Code from your authenticator app').fill(hotp(secret, totpStep(server.clock()) + 3));
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForSelector('.govuk-error-summary');
      expect(await errorSummaryLinks(page)).toEqual([
        { text: 'The code is not right. Check the app shows Redress, then enter the 6-digit code it shows now', href: '#code', targetExists: true },
      ]);
      const adminId = (await server.container.users.list()).find((u) => u.email === ADMIN)?.id ?? 0;
      expect((await server.container.mfa.status(adminId, ['admin'])).enrolled).toBe(false);

      await page.getByLabel('Code from your authenticator app').fill(totpCode(secret, server.clock()));
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
      expect(await page.locator('#recovery-codes li').count()).toBe(10);
      await checkAxe(page, 'the recovery codes page');
      await Promise.all([page.waitForURL(server.url(paths.dashboard.url())), page.getByRole('link', { name: 'Continue' }).click()]);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'You have signed out' }).waitFor();

      // Next time: a code. The one used a moment ago is refused as a replay.
      await password(page);
      expect(pathOf(page)).toBe(paths.signInCode.url());
      await checkAxe(page, 'the code page');
      const codeBox = page.getByLabel('Enter the code from your authenticator app');
      await codeBox.fill(totpCode(secret, server.clock()));
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForSelector('.govuk-error-summary');
      expect((await errorSummaryLinks(page)).map((l) => l.text)).toEqual(['That code has already been used. Wait for your authenticator app to show a new code, then enter it']);
      expect(pathOf(page)).toBe(paths.signInCode.url());

      server.clock.advance(30_000);
      await codeBox.fill(totpCode(secret, server.clock()));
      await Promise.all([page.waitForURL(server.url(paths.dashboard.url())), page.getByRole('button', { name: 'Continue' }).click()]);
      expect(await page.getByText(ADMIN).count()).toBeGreaterThan(0);

      await page.getByRole('link', { name: 'Your account' }).click();
      await page.getByRole('heading', { name: 'Your account' }).waitFor();
      await checkAxe(page, 'the account page');
      await page.getByRole('link', { name: 'Change your password' }).click();
      await page.getByRole('heading', { name: 'Change your password' }).waitFor();
      await checkAxe(page, 'the change password page');
      server.clock.advance(30_000);
      problems.expectNone();
    }, 120_000);
  }
});
