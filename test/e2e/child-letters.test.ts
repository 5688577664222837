/**
 * Letters for a child or young person, in Chromium with axe: the case's letter list, a child's
 * letter naming the advocate and copied to them, and a posted letter whose address is missing
 * (the error summary says so, with a link to the case's people, before the download).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoEmail } from '../../src/app/demo-service.ts';
import { paths } from '../../src/web/paths.ts';
import { e2eEngines, expectNoAxeViolations, launchChromium, openPage, signInThroughForm, startTestServer, type TestServer } from '../support/browser.ts';
import { aStaffMember, teamIdsByName } from '../support/builders.ts';

describe.each(e2eEngines())('letters for children in a browser [%s]', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let childCase: string;
  let postedCase: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    browser = await launchChromium();
    const { container } = server;
    const teamId = await teamIdsByName(container);
    const officer = await aStaffMember(container, ['complaints_officer']);
    const register = async (role: string, complainant: { name: string; email?: string; preferredContact?: string }, advocate?: { name: string }) => {
      const [made] = await container.registration.register(
        {
          fields: { kind: 'children_statutory', received_on: '2026-11-20', channel: 'email', via_complaints_team: 'yes', summary: 'My visits were stopped.', complainant_role: role },
          teamIds: [teamId('Care Management North')],
          complainant,
          ...(advocate === undefined ? {} : { advocate }),
        },
        officer,
      );
      return made?.reference ?? '';
    };
    childCase = await register('child', { name: 'Jade Smith', email: 'jade@example.org' }, { name: 'Priya Shah' });
    postedCase = await register('parent', { name: 'Lee Post', preferredContact: 'letter' });
  });
  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  it('shows a child’s letters, naming the advocate and copied to them, and a missing address before download', async () => {
    const { page, problems } = await openPage(browser);
    await signInThroughForm(page, server, demoEmail('complaints_officer'), DEMO_PASSWORD);

    await page.goto(server.url(paths.caseLetters.url({ reference: childCase })));
    await expect(page.locator('.govuk-inset-text').first().textContent()).resolves.toContain('child or young person');
    await expectNoAxeViolations(page, 'letters for a child');

    await page.getByRole('link', { name: 'Acknowledgement' }).first().click();
    await page.waitForSelector('.app-letter');
    const letter = (await page.locator('.app-letter').textContent()) ?? '';
    expect(letter).toContain('Your advocate, Priya Shah, has a copy of this letter.');
    expect(letter).toContain('Copy to: Priya Shah');
    expect(letter).not.toContain('address');
    await expectNoAxeViolations(page, 'a child’s letter');

    await page.goto(server.url(paths.caseLetter.url({ reference: postedCase, key: 'acknowledgement' })));
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.textContent()).resolves.toContain('The complainant’s address is not recorded');
    expect(await summary.getByRole('link').getAttribute('href')).toBe(`/cases/${postedCase}#people`);
    await expectNoAxeViolations(page, 'a posted letter without an address');
    problems.expectNone();
  });
});
