/**
 * The staff service navigation fits one line on a 1280-pixel-wide screen, the administration
 * pages grouped under "Admin", whose index page lists the ones the user may open (axe-checked).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoEmail } from '../../src/app/demo-service.ts';
import { paths } from '../../src/web/paths.ts';
import { e2eEngines, expectNoAxeViolations, launchChromium, openPage, signInThroughForm, startTestServer, type TestServer } from '../support/browser.ts';

describe.each(e2eEngines())('the staff navigation [%s]', (engine) => {
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

  it.each([
    ['admin', ['Dashboard', 'Admin'], ['Teams', 'Calendar', 'Letters', 'Users', 'Notifications', 'Import and export', 'Settings', 'Retention']],
    ['complaints_manager', ['Dashboard', 'Cases', 'Ombudsman', 'Learning', 'Reports', 'Admin'], ['Teams', 'Calendar', 'Letters', 'Import and export', 'Settings', 'Retention']],
  ] as const)('fits one line at 1280 pixels for a %s, with the admin pages on the Admin index', async (role, items, sections) => {
    const { page, problems } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await signInThroughForm(page, server, demoEmail(role), DEMO_PASSWORD);
    await page.goto(server.url(paths.dashboard.url()));

    const menu = page.getByRole('navigation', { name: 'Menu' });
    const links = menu.locator('.govuk-service-navigation__item');
    expect((await links.allTextContents()).map((t) => t.trim())).toEqual(items);
    const tops = await links.evaluateAll((elements: readonly { readonly offsetTop: number }[]) => elements.map((e) => e.offsetTop));
    expect(new Set(tops).size, `the items' tops: ${tops.join(', ')}`).toBe(1);
    // Sign out and the account link sit on the same line too.
    const endTops = await page
      .locator('.govuk-service-navigation__link')
      .evaluateAll((elements: readonly { getBoundingClientRect(): { readonly top: number } }[]) => elements.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(Math.max(...endTops) - Math.min(...endTops), `the links' tops: ${endTops.join(', ')}`).toBeLessThan(4);

    await menu.getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL(server.url(paths.adminIndex.url()));
    expect(((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim()).toBe('Admin');
    expect(await menu.getByRole('link', { name: 'Admin' }).getAttribute('aria-current')).toBe('page');
    const listed = (await page.getByRole('main').locator('h2 a').allTextContents()).map((t) => t.trim());
    expect(listed).toEqual(sections);
    await expectNoAxeViolations(page, `the admin index (${role})`);

    // A page under Admin marks "Admin" as the section it is in.
    await page.getByRole('main').getByRole('link', { name: 'Calendar' }).click();
    await page.waitForURL(server.url(paths.calendar.url()));
    expect(await menu.getByRole('link', { name: 'Admin' }).getAttribute('aria-current')).toBe('true');
    problems.expectNone();
    await page.context().close();
  });

  it('refuses the admin index to a role with no admin page', async () => {
    const { page } = await openPage(browser);
    await signInThroughForm(page, server, demoEmail('viewer'), DEMO_PASSWORD);
    const response = await page.goto(server.url(paths.adminIndex.url()));
    expect(response?.status()).toBe(403);
    expect(await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await page.context().close();
  });
});
