/**
 * Restricting a case in the browser (no JavaScript needed): the complaints manager opens
 * "Restrict access" from the case page, sends the form empty (error summary, each link to its
 * field), excludes a member of staff with a reason, and that person then finds "Page not found"
 * at the case's address; axe on the page with and without errors.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoEmail } from '../../src/app/demo-service.ts';
import { UserRepository } from '../../src/db/user-repository.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import { e2eEngines, errorSummaryLinks, expectNoAxeViolations, launchChromium, openPage, signInThroughForm, startTestServer, type TestServer } from '../support/browser.ts';

describe.each(e2eEngines())('restricting a case in the browser [%s]', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let reference = '';
  const excludedEmail = 'excluded.officer@test.example';
  const password = 'restricted-case-password';

  beforeAll(async () => {
    server = await startTestServer(engine);
    browser = await launchChromium();
    const { container } = server;
    const officer = await new UserRepository(container.db.kysely).findByEmail(demoEmail('complaints_officer'));
    if (officer === undefined) throw new Error('no demo officer');
    const teamId = (await container.organisation.listTeams()).find((t) => t.name === 'Fostering')?.id ?? 0;
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-11-18', channel: 'email', summary: 'About a foster carer’s social worker.', complainant_role: 'parent' },
        teamIds: [teamId],
        complainant: { name: 'Jo Parent' },
      },
      { userId: officer.id, roles: officer.roles, teamId: officer.teamId, ip: null, requestId: null },
    );
    reference = made?.reference ?? '';
    await container.users.add({ email: excludedEmail, name: 'Ezra Excluded', roles: ['complaints_officer'], password, mustChangePassword: false }, CLI_ACTOR);
  }, 120_000);
  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  it('excludes a member of staff, who then finds nothing at the case’s address', { timeout: 120_000 }, async () => {
    const { page, problems } = await openPage(browser);
    await signInThroughForm(page, server, demoEmail('complaints_manager'), DEMO_PASSWORD);
    await page.goto(server.url(`/cases/${reference}`));
    await page.getByRole('link', { name: 'Restrict access' }).click();
    await page.getByRole('heading', { name: 'Restrict access' }).waitFor();
    await expectNoAxeViolations(page, 'restrict access');

    await page.getByRole('button', { name: 'Exclude from the case' }).click();
    const links = await errorSummaryLinks(page);
    expect(links.map((l) => l.text)).toEqual(['Select the staff or teams to exclude from this case', 'Enter why these staff must not see the case']);
    expect(links.every((l) => l.targetExists)).toBe(true);
    await expectNoAxeViolations(page, 'restrict access with errors');

    await page.getByLabel('Ezra Excluded').check();
    await page.getByLabel('Why must they not see the case?').fill('The complaint is about them');
    await page.getByRole('button', { name: 'Exclude from the case' }).click();
    await page.getByRole('cell', { name: 'Ezra Excluded', exact: true }).waitFor();
    expect(await page.getByRole('cell', { name: 'The complaint is about them' }).count()).toBe(1);
    problems.expectNone();

    const excluded = await openPage(browser);
    await signInThroughForm(excluded.page, server, excludedEmail, password);
    const response = await excluded.page.goto(server.url(`/cases/${reference}`));
    expect(response?.status()).toBe(404);
    expect(await excluded.page.getByRole('heading', { name: 'Page not found' }).count()).toBe(1);
    await excluded.page.goto(server.url(`/cases?queue=all`));
    expect(await excluded.page.content()).not.toContain(reference);
  });
});
