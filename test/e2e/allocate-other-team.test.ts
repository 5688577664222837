/** Allocating a case to a responding manager of another team asks first, on a plain form (no script needed), which passes axe. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import { TEST_PASSWORD, aStaffMember, teamIdsByName } from '../support/builders.ts';
import { paths } from '../../src/web/paths.ts';
import { e2eEngines, expectNoAxeViolations, launchChromium, openPage, signInThroughForm, startTestServer, type TestServer } from '../support/browser.ts';

describe.each(e2eEngines())('allocating to another team’s manager [%s]', (engine) => {
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

  it('asks, keeps the answers on "No", and allocates on "Yes"', async () => {
    const { container } = server;
    await container.users.add({ email: 'fostering.manager@test.example', name: 'Fran Fostering', roles: ['responding_manager'], teamName: 'Fostering', password: TEST_PASSWORD, mustChangePassword: false }, CLI_ACTOR);
    const officer = await aStaffMember(container, ['complaints_officer']);
    const teamId = await teamIdsByName(container);
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-11-24', channel: 'email', via_complaints_team: 'yes', summary: 'Contact visits were cancelled.', complainant_role: 'parent' },
        teamIds: [teamId('Care Management North')],
        complainant: { name: 'Sam Parent' },
      },
      officer,
    );
    const row = { reference: made?.reference ?? '', team_name: 'Care Management North' };

    const { page, problems } = await openPage(browser);
    await signInThroughForm(page, server, officer.email, TEST_PASSWORD);
    await page.goto(server.url(paths.caseAction.url({ reference: row.reference, action: 'allocate' })));
    await page.locator('#responder_user_id').selectOption({ label: 'Fran Fostering (Fostering)' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: /Allocate to Fran Fostering anyway\?/ }).waitFor();
    expect(await page.getByText(`Fran Fostering is in Fostering, not ${row.team_name}.`).count()).toBe(1);
    await expectNoAxeViolations(page, 'the other-team question');

    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectNoAxeViolations(page, 'the other-team question with an error');

    await page.getByLabel('No, choose someone else').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Allocate to a responding manager' }).waitFor();
    expect(await page.locator('#responder_user_id option:checked').textContent()).toBe('Fran Fostering (Fostering)');

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByLabel('Yes, allocate to Fran Fostering').check();
    await Promise.all([page.waitForURL(server.url(paths.caseDetail.url({ reference: row.reference }))), page.getByRole('button', { name: 'Continue' }).click()]);
    expect(await page.locator('main').textContent()).toContain('Fran Fostering');
    problems.expectNone();
  });
});
