/**
 * An error met on the public pages keeps the public layout — "Exit this page", the public
 * service name, no staff navigation or API link — whether it is a page that does not exist,
 * a form that could not be sent (CSRF) or too many requests; each passes axe.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/web/paths.ts';
import { SEND_LIMIT } from '../../src/web/contact/public-routes.ts';
import { e2eEngines, expectNoAxeViolations, launchChromium, openPage, startTestServer, type TestServer } from '../support/browser.ts';

describe.each(e2eEngines())('error pages on the public pages [%s]', (engine) => {
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

  async function expectPublicLayout(page: Page, heading: string): Promise<void> {
    expect(((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim()).toBe(heading);
    expect(await page.getByRole('button', { name: 'Exit this page' }).count()).toBe(1);
    expect(await page.locator('.govuk-service-navigation__service-name').textContent()).toContain('Tell us about children’s social care');
    expect(await page.getByRole('navigation', { name: 'Menu' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'API documentation' }).count()).toBe(0);
    await expectNoAxeViolations(page, heading);
  }

  it('shows a page that does not exist in the public layout, leading back to the contact form', async () => {
    const { page, problems } = await openPage(browser);
    const response = await page.goto(server.url(`${paths.contactUs.url()}/no-such-page`));
    expect(response?.status()).toBe(404);
    await expectPublicLayout(page, 'Page not found');
    expect(await page.getByRole('link', { name: 'Go to the start' }).getAttribute('href')).toBe(paths.contactUs.url());
    problems.expectNone();

    // A staff page that does not exist keeps the staff layout.
    const staff = await page.goto(server.url('/no-such-page'));
    expect(staff?.status()).toBe(404);
    expect(await page.getByRole('button', { name: 'Exit this page' }).count()).toBe(0);
    await page.context().close();
  });

  it('shows a form that could not be sent (CSRF) in the public layout', async () => {
    const { page } = await openPage(browser);
    await page.goto(server.url(paths.contactUs.url()));
    await page.locator('input[name="_csrf"]').first().evaluate((input: { value: string }) => {
      input.value = 'not-the-token';
    });
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.locator('form button[type="submit"], form .govuk-button').first().click()]);
    expect(response.status()).toBe(403);
    await page.waitForLoadState();
    await expectPublicLayout(page, 'Your form could not be sent');
    await page.context().close();
  });

  it('shows too many requests in the public layout', async () => {
    const { page } = await openPage(browser);
    await page.goto(server.url(paths.contactUs.url()));
    for (let i = 0; i < SEND_LIMIT.max; i++) await page.request.post(server.url(paths.contactUsSend.url()), { form: { _csrf: 'x' } });
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(paths.contactUsSend.url())),
      // A form posted by the browser, as the "Send" button would.
      page.evaluate(`(() => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = ${JSON.stringify(paths.contactUsSend.url())};
        document.body.append(form);
        form.submit();
      })()`),
    ]);
    expect(response.status()).toBe(429);
    await page.waitForLoadState();
    await expectPublicLayout(page, 'Too many requests');
    await page.context().close();
  });
});
