/**
 * A complaints officer takes a complaint from registration to closure in the browser:
 * register → allocate → record the Stage 1 response → close, with axe on every page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoEmail } from '../../src/app/demo-service.ts';
import { addDays } from '../../src/domain/calendar/iso-date.ts';
import { paths } from '../../src/web/paths.ts';
import { e2eEngines, expectNoAxeViolations, launchChromium, openPage, signInThroughForm, startTestServer, type PageProblems, type TestServer } from '../support/browser.ts';

describe.each(e2eEngines())('casework in the browser [%s]', (engine) => {
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

  async function checked(page: Page, problems: PageProblems, heading: string): Promise<void> {
    expect(((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim()).toBe(heading);
    await expectNoAxeViolations(page, heading);
    problems.expectNone();
  }

  async function fillDate(page: Page, name: string, iso: string): Promise<void> {
    const [year = '', month = '', day = ''] = iso.split('-');
    await page.locator(`#${name}-day`).fill(String(Number(day)));
    await page.locator(`#${name}-month`).fill(String(Number(month)));
    await page.locator(`#${name}-year`).fill(year);
  }

  async function save(page: Page): Promise<void> {
    await Promise.all([page.waitForURL((url) => !url.pathname.includes('/actions/')), page.getByRole('button', { name: 'Save' }).click()]);
  }

  it('registers, allocates, responds and closes a complaint', async () => {
    const today = server.clock().toISOString().slice(0, 10); // the server's day, which its date checks use
    const { page, problems } = await openPage(browser);
    await signInThroughForm(page, server, demoEmail('complaints_officer'), DEMO_PASSWORD);

    await page.goto(server.url(paths.cases.url()));
    await page.getByRole('link', { name: 'Register a representation' }).click();
    await checked(page, problems, 'Register a representation');
    await page.getByLabel('Complaint (Children Act 1989 procedure)').check();
    await page.getByLabel('Summary').fill('Nobody told me about the change of social worker.');
    await page.getByLabel('Care Management North').check();
    await fillDate(page, 'received_on', addDays(today, -3));
    await page.getByLabel('How it was received').selectOption('letter');
    await page.getByLabel('Who made it').selectOption('parent');
    await page.getByLabel('Name', { exact: true }).fill('Robin Example');
    await Promise.all([page.waitForURL((url) => url.pathname === paths.caseRegistered.url()), page.getByRole('button', { name: 'Register' }).click()]);
    await checked(page, problems, 'Representation registered');

    await page.getByRole('link', { name: /^Open CSC-/ }).click();
    const reference = ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim();
    expect(reference).toMatch(/^CSC-\d{4}-\d{4,}$/);
    await checked(page, problems, reference);

    await page.getByRole('link', { name: 'Allocate to a responding manager' }).click();
    await expectNoAxeViolations(page, 'allocate');
    await page.locator('#responder_user_id').selectOption({ label: 'Demo responding manager (Care Management North)' });
    await save(page);
    await checked(page, problems, reference);
    expect(await page.locator('main').textContent()).toContain('Demo responding manager');

    await page.getByRole('link', { name: 'Record the Stage 1 response' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForSelector('.govuk-error-summary');
    await expectNoAxeViolations(page, 'response with errors');
    await fillDate(page, 'responded_on', today);
    await page.locator('input[name="finding"][value="partially_upheld"]').check();
    await page.locator('input[name="remedies"][value="apology"]').check();
    await save(page);
    await checked(page, problems, reference);
    expect(await page.locator('main').textContent()).toMatch(/Responded in \d+ working days?/);

    await page.getByRole('link', { name: 'Close' }).click();
    await expectNoAxeViolations(page, 'close');
    await fillDate(page, 'closed_on', today);
    await save(page);
    await checked(page, problems, reference);
    expect(await page.locator('main').textContent()).toContain('Closed');
  });
});
