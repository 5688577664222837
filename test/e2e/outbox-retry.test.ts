/**
 * In Chromium against the real server: an administrator sees the email
 * outbox on the dashboard, follows "try the failed emails again", confirms, and is back on the
 * Notifications page with the emails queued again. Each page passes axe.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoEmail } from '../../src/app/demo-service.ts';
import { paths } from '../../src/web/paths.ts';
import { enqueue } from '../../src/notify/outbox.ts';
import { e2eEngines, expectNoAxeViolations, launchChromium, openPage, signInThroughForm, startTestServer, type TestServer } from '../support/browser.ts';

describe.each(e2eEngines())('trying failed emails again [%s]', (engine) => {
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

  it('from the dashboard, through the confirmation (a plain form post)', async () => {
    const kysely = server.container.db.kysely;
    for (const n of [1, 2]) {
      await enqueue(kysely, { idempotencyKey: `e2e-failed:${String(n)}`, templateKey: 'daily_digest', recipient: `e2e-${String(n)}@test.example`, personalisation: { open_cases: 1 } }, server.clock());
    }
    await kysely.updateTable('notification_outbox').set({ status: 'failed', attempts: 11, last_error: 'smtp ECONNECTION' }).where('idempotency_key', 'like', 'e2e-failed:%').execute();

    const { page, problems } = await openPage(browser);
    page.setDefaultTimeout(20_000);
    await signInThroughForm(page, server, demoEmail('admin'), DEMO_PASSWORD);
    await page.goto(server.url(paths.dashboard.url()));
    const outbox = page.locator('section[aria-labelledby="outbox-health-heading"]');
    await expect(outbox.getByRole('heading', { name: 'Email outbox' }).isVisible()).resolves.toBe(true);
    expect(await outbox.innerText()).toMatch(/Failed after 48 hours of trying\s+2/);
    await expectNoAxeViolations(page, 'Dashboard');

    await outbox.getByRole('link', { name: 'try the failed emails again' }).click();
    expect(((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim()).toBe('Try the failed emails again?');
    await expectNoAxeViolations(page, 'Try the failed emails again?');
    await page.getByRole('button', { name: 'Try them all again' }).click();

    expect(new URL(page.url()).pathname).toBe(paths.notificationTemplates.url());
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('2 emails will be tried again.');
    await expectNoAxeViolations(page, 'Notification emails');
    const statuses = await kysely.selectFrom('notification_outbox').select('status').where('idempotency_key', 'like', 'e2e-failed:%').execute();
    expect(statuses.map((s) => s.status)).toEqual(['pending', 'pending']);
    problems.expectNone();
  }, 120_000);
});
