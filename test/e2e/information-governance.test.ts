/**
 * The audit page and subject access in Chromium with JavaScript switched off, axe checking
 * each page (the error states included): an information governance user filters the trail,
 * finds a young person's cases and downloads their bundle.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eEngines, errorSummaryLinks, expectNoAxeViolations, launchChromium, openPage, signInThroughForm, startTestServer, type TestServer } from '../support/browser.ts';
import { aStaffMember, teamIdsByName, TEST_PASSWORD } from '../support/builders.ts';
import { zipEntries } from '../support/zip.ts';

describe.each(e2eEngines())('information governance in a browser [%s]', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let reference: string;
  let igEmail: string;

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
        youngPerson: { externalId: 'YP-E2E-1' },
        complainant: { name: 'Sam Parent', email: 'sam@example.org' },
      },
      officer,
    );
    if (made === undefined) throw new Error('nothing registered');
    reference = made.reference;
    await container.cases.load(reference, officer);
    igEmail = (await aStaffMember(container, ['information_governance'])).email;
  }, 120_000);

  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  it('filters the audit trail and downloads a subject access bundle, without JavaScript', async () => {
    const { page, problems } = await openPage(browser, { javaScriptEnabled: false, acceptDownloads: true });
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
    await signInThroughForm(page, server, igEmail, TEST_PASSWORD);

    await page.goto(server.url('/audit'));
    expect(await page.locator('h1').textContent()).toContain('Audit trail');
    await check('audit trail');
    await page.getByLabel('Case reference').fill(reference);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Show entries' }).click()]);
    const rows = await page.locator('tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.includes(`Case ${reference}`))).toBe(true);
    await page.getByLabel('From (YYYY-MM-DD)').fill('yesterday');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Show entries' }).click()]);
    const links = await errorSummaryLinks(page);
    expect(links.map((l) => l.text)).toEqual(['Enter the "from" date as YYYY-MM-DD, for example 2026-04-01']);
    expect(links.every((l) => l.targetExists)).toBe(true);
    await check('audit trail with an error');

    await page.goto(server.url('/subject-access'));
    await check('subject access');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Find their cases' }).click()]);
    expect((await errorSummaryLinks(page)).map((l) => l.text)).toEqual([
      'Select whether the request is from a young person or a complainant',
      'Enter the young person’s id, or the complainant’s contact record id or email address',
    ]);
    await check('subject access with errors');
    await page.getByLabel('A young person').check();
    await page.getByLabel('Their id or email address').fill('YP-E2E-1');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Find their cases' }).click()]);
    expect(await page.locator('tbody').textContent()).toContain(reference);
    await check('subject access with cases');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the bundle (ZIP)' }).click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(zipEntries(Buffer.concat(chunks)).map((e) => e.name)).toEqual(['subject-access.json', 'subject-access.docx']);
    problems.expectNone();
  }, 120_000);
});
