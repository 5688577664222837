/**
 * The satisfaction questionnaire in Chromium over HTTP: opened by its secure link with
 * JavaScript switched off, answered by keyboard alone, axe checking every page (the error
 * state, the used link and a wrong link included).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eEngines, errorSummaryLinks, expectNoAxeViolations, launchChromium, openPage, startTestServer, type TestServer } from '../support/browser.ts';
import { aStaffMember, teamIdsByName } from '../support/builders.ts';
import { freshToken, newToken } from '../../src/app/secure-link-service.ts';

async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if ((await page.locator(`${selector}:focus`).count()) > 0) return;
  }
  throw new Error(`could not reach ${selector} with the Tab key on ${page.url()}`);
}

/** Tabs into radio group `name` and moves to the `index`-th choice with the arrow keys (Space for the first). */
async function chooseRadio(page: Page, name: string, index: number): Promise<void> {
  await tabTo(page, `input[type=radio][name="${name}"]`);
  if (index === 0) await page.keyboard.press('Space');
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  expect(await page.locator(`input[type=radio][name="${name}"]`).nth(index).isChecked()).toBe(true);
}

async function pressButton(page: Page, selector = 'button.govuk-button'): Promise<void> {
  await tabTo(page, selector);
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
}

const heading = async (page: Page): Promise<string> => ((await page.locator('h1').first().textContent()) ?? '').trim();

describe.each(e2eEngines())('the satisfaction questionnaire in a browser [%s]', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let path: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    browser = await launchChromium();
    const { container } = server;
    const officer = await aStaffMember(container, ['complaints_officer']);
    const teamId = await teamIdsByName(container);
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-11-24', channel: 'email', via_complaints_team: 'yes', summary: 'Contact visits were cancelled.', complainant_role: 'parent' },
        teamIds: [teamId('Care Management North')],
        complainant: { name: 'Sam Parent', email: 'sam@example.org' },
      },
      officer,
    );
    if (made === undefined) throw new Error('nothing registered');
    const db = container.db.kysely;
    const act = async (action: string, input: Record<string, unknown>) => {
      const { version } = await db.selectFrom('representation').select('version').where('reference', '=', made.reference).executeTakeFirstOrThrow();
      await container.caseActions.apply(made.reference, action, input, officer, version);
    };
    await act('acknowledge', { acknowledged_on: '2026-11-25' });
    await act('record_response', { responded_on: '2026-11-26', finding: 'upheld', remedies: ['apology'] });
    await act('close', { closed_on: '2026-11-26' });
    // As the outbox worker does when it sends the email: the link gets its token.
    const { link_id } = await db.selectFrom('questionnaire').select('link_id').executeTakeFirstOrThrow();
    const issued = await freshToken(db, link_id, server.clock());
    if (issued === undefined) throw new Error('no link');
    path = issued.path;
  });
  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  it('is answered without JavaScript, by keyboard alone, with no WCAG 2.2 AA problem on any page', async () => {
    const { page, problems } = await openPage(browser, { javaScriptEnabled: false });
    // axe needs scripts: each page is checked as served (scripts taken out) in a second page.
    const { page: checker } = await openPage(browser);
    const snapshotUrl = server.url('/axe-snapshot');
    let snapshot = '';
    await checker.route(snapshotUrl, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: snapshot }));
    const check = async (label: string) => {
      snapshot = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/g, '');
      await checker.goto(snapshotUrl);
      await expectNoAxeViolations(checker, label);
    };

    await page.goto(server.url(path));
    expect(await heading(page)).toBe('How did we do?');
    await check('the questions');

    await pressButton(page);
    expect(await page.title()).toMatch(/^Error: /);
    const links = await errorSummaryLinks(page);
    expect(links.map((l) => l.href)).toEqual(['#ease', '#kept_informed', '#timeliness', '#listened']);
    expect(links.every((l) => l.targetExists)).toBe(true);
    await check('the questions, with errors');

    await chooseRadio(page, 'ease', 0);
    await chooseRadio(page, 'kept_informed', 1);
    await chooseRadio(page, 'timeliness', 3);
    await chooseRadio(page, 'listened', 0);
    await tabTo(page, 'textarea#comments');
    await page.keyboard.type('The officer was kind.');
    await pressButton(page);
    expect(await heading(page)).toBe('Check your answers');
    expect(await page.locator('.govuk-summary-list').textContent()).toContain('Not really');
    await check('check your answers');

    await pressButton(page, 'button.govuk-button');
    expect(await heading(page)).toBe('Thank you for your answers');
    await check('thank you');

    // The used link, and a wrong one: clear pages, nobody's data.
    const used = await page.goto(server.url(path));
    expect(used?.status()).toBe(410);
    expect(await heading(page)).toBe('You have already answered');
    await check('a used link');
    const wrong = await page.goto(server.url(`/respond/questionnaire/${newToken()}`));
    expect(wrong?.status()).toBe(404);
    expect(await heading(page)).toBe('This link does not work');
    await check('a wrong link');
    problems.expectNone();
  });
});
