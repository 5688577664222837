/**
 * axe (WCAG 2.0–2.2 A and AA rules) on every page there is so far, in Chromium against the
 * real server, in each state a person can meet it: empty forms, forms with errors, error
 * pages. Each page is also watched for console errors (a CSP refusal shows up there).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoEmail } from '../../src/app/demo-service.ts';
import { paths } from '../../src/web/paths.ts';
import { issueSecureLink } from '../../src/app/secure-link-service.ts';
import {
  e2eEngines,
  expectNoAxeViolations,
  launchChromium,
  openPage,
  signInThroughForm,
  startTestServer,
  watchedPage,
  type PageProblems,
  type TestServer,
} from '../support/browser.ts';

describe.each(e2eEngines())('accessibility of every page [%s]', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let admin: BrowserContext;

  beforeAll(async () => {
    server = await startTestServer(engine);
    browser = await launchChromium();
    const { page } = await openPage(browser);
    await signInThroughForm(page, server, demoEmail('admin'), DEMO_PASSWORD);
    admin = page.context();
    await page.close();
  });
  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  /** Opens `path`, expects its status and main heading, then runs axe and the console check. */
  async function visit(page: Page, problems: PageProblems, path: string, expected: { status: number; heading: string }): Promise<void> {
    const response = await page.goto(server.url(path));
    expect(response?.status(), `status of ${path}`).toBe(expected.status);
    await expectPage(page, problems, expected.heading);
  }

  async function expectPage(page: Page, problems: PageProblems, heading: string): Promise<void> {
    expect(((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim()).toBe(heading);
    await expectNoAxeViolations(page, heading);
    problems.expectNone();
  }

  async function asAdmin(): Promise<{ page: Page; problems: PageProblems }> {
    return watchedPage(admin);
  }

  describe('signed out', () => {
    it('the sign-in page', async () => {
      const { page, problems } = await openPage(browser);
      await visit(page, problems, paths.signIn.url(), { status: 200, heading: 'Sign in to Redress' });
    });

    it('the sign-in page with errors', async () => {
      const { page, problems } = await openPage(browser);
      await page.goto(server.url(paths.signIn.url()));
      await page.getByLabel('Email address').fill('nobody@redress.example');
      await page.getByLabel('Password', { exact: true }).fill('not-the-password');
      const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
      expect(response.status()).toBe(400);
      await page.waitForSelector('.govuk-error-summary');
      expect(await page.title()).toBe('Error: Sign in – Redress');
      await expectPage(page, problems, 'Sign in to Redress');
    });

    it('the accessibility statement', async () => {
      const { page, problems } = await openPage(browser);
      await visit(page, problems, paths.accessibility.url(), { status: 200, heading: 'Accessibility statement for Redress' });
    });

    it('the 404 page', async () => {
      const { page, problems } = await openPage(browser);
      await visit(page, problems, '/no-such-page', { status: 404, heading: 'Page not found' });
    });

    it('the CSRF 403 page, after the CSRF cookie is lost', async () => {
      const { page, problems } = await openPage(browser);
      await page.goto(server.url(paths.signIn.url()));
      await page.context().clearCookies({ name: 'redress_csrf' });
      await page.getByLabel('Email address').fill(demoEmail('admin'));
      await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
      const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
      expect(response.status()).toBe(403);
      await page.waitForLoadState();
      await expectPage(page, problems, 'Your form could not be sent');
      expect((await page.context().cookies()).map((c) => c.name)).not.toContain('redress_session');
    });
  });

  describe('signed in as an administrator', () => {
    it('the dashboard', async () => {
      const { page, problems } = await asAdmin();
      await visit(page, problems, paths.dashboard.url(), { status: 200, heading: 'Dashboard' });
    });

    it('the teams page', async () => {
      const { page, problems } = await asAdmin();
      await visit(page, problems, paths.teams.url(), { status: 200, heading: 'Teams' });
    });

    it('the add-team form, empty and with errors', async () => {
      const { page, problems } = await asAdmin();
      await visit(page, problems, paths.newTeam.url(), { status: 200, heading: 'Add a team' });
      await page.getByRole('button', { name: 'Save team' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await expectPage(page, problems, 'Add a team');
    });

    it('the teams page with the "saved" banner', async () => {
      const { page, problems } = await asAdmin();
      await page.goto(server.url(paths.newTeam.url()));
      await page.getByLabel('Team name').fill('Short Breaks');
      await page.getByLabel('Service area').selectOption('Specialist Services');
      await Promise.all([page.waitForURL((url) => url.pathname === paths.teams.url()), page.getByRole('button', { name: 'Save team' }).click()]);
      await page.waitForSelector('.govuk-notification-banner--success');
      await expectPage(page, problems, 'Teams');
    });

    it('the edit-team form, and with errors', async () => {
      const teams = await server.container.organisation.listTeams();
      const home = teams.find((t) => t.kind === 'residential_home');
      if (home === undefined) throw new Error('the demo data has no children’s home');
      const { page, problems } = await asAdmin();
      await visit(page, problems, paths.editTeam.url({ teamId: home.id }), { status: 200, heading: `Change ${home.name}` });
      // A home's public alias never changes: trying to is refused against the alias field.
      await page.getByLabel(/Public alias/).fill('Home 99');
      await page.getByRole('button', { name: 'Save team' }).click();
      await page.waitForSelector('.govuk-error-summary');
      expect(await page.locator('.govuk-error-summary a').getAttribute('href')).toBe('#publicAlias');
      await expectPage(page, problems, `Change ${home.name}`);
    });

    it('the add-service-area form, empty and with errors', async () => {
      const { page, problems } = await asAdmin();
      const heading = 'What is the service area called?';
      await visit(page, problems, paths.newServiceArea.url(), { status: 200, heading });
      await page.getByRole('button', { name: 'Add service area' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await expectPage(page, problems, heading);
    });

    it('the users page', async () => {
      const { page, problems } = await asAdmin();
      await visit(page, problems, paths.users.url(), { status: 200, heading: 'Users' });
    });

    it('the add-user form, empty, with errors, and the new user’s one-time password', async () => {
      const { page, problems } = await asAdmin();
      await visit(page, problems, paths.newUser.url(), { status: 200, heading: 'Add a user' });
      await page.getByRole('button', { name: 'Add user' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await expectPage(page, problems, 'Add a user');

      await page.getByLabel('Full name').fill('Sam Reviewer');
      await page.getByLabel('Email address').fill('sam.reviewer@redress.example');
      await page.getByLabel('Viewer').check();
      await page.getByRole('button', { name: 'Add user' }).click();
      await page.waitForSelector('#one-time-password');
      await expectPage(page, problems, 'User added');
    });

    it('the calendar page, its add form with errors, and the remove page with errors', async () => {
      const { page, problems } = await asAdmin();
      await visit(page, problems, paths.calendar.url({ year: '2027' }), { status: 200, heading: 'Bank holidays 2027' });
      await page.getByRole('button', { name: 'Add bank holiday' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await expectPage(page, problems, 'Bank holidays 2027');
      await visit(page, problems, paths.removeHoliday.url({ date: '2027-08-30' }), { status: 200, heading: 'Make Summer bank holiday a working day?' });
      await page.getByRole('button', { name: 'Remove bank holiday' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await expectPage(page, problems, 'Make Summer bank holiday a working day?');
      await page.close();
    });

    it('the council settings, and with errors', async () => {
      const { page, problems } = await asAdmin();
      const response = await page.goto(server.url(paths.councilSettings.url()));
      expect(response?.status()).toBe(200);
      await expectPage(page, problems, 'Council settings');
      await page.getByLabel('Working days to acknowledge a Children Act complaint').fill('9');
      const [posted] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Save settings' }).click()]);
      expect(posted.status()).toBe(400);
      await page.waitForSelector('.govuk-error-summary');
      await expectPage(page, problems, 'Council settings');
      await page.close();
    });

    it('the letters, a letter’s wording with errors, and after saving', async () => {
      const { page, problems } = await asAdmin();
      await visit(page, problems, paths.letterTemplates.url(), { status: 200, heading: 'Letters' });
      const heading = 'Change the extension letter';
      await visit(page, problems, paths.letterTemplate.url({ key: 'extension' }), { status: 200, heading });
      await page.getByLabel('Letter', { exact: true }).fill('Dear {{ complainant_nmae }}');
      await page.getByRole('button', { name: 'Save wording' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await expectPage(page, problems, heading);
      await page.getByLabel('Letter', { exact: true }).fill('Dear {{ complainant_name }}\n\nWe need until {{ new_due_date }}.');
      await Promise.all([page.waitForURL((url) => url.searchParams.get('saved') === 'yes'), page.getByRole('button', { name: 'Save wording' }).click()]);
      await page.waitForSelector('.govuk-notification-banner--success');
      await expectPage(page, problems, heading);
    }, 120_000);

    it('the 404 page, signed in', async () => {
      const { page, problems } = await asAdmin();
      await visit(page, problems, paths.editTeam.url({ teamId: 999_999 }), { status: 404, heading: 'Page not found' });
    });

    it('the case queue (with cases, filtered to none) and a case page, in full and as a viewer sees it', async () => {
      // The administrator reads no cases: a demo complaints officer registers one and looks.
      const { container } = server;
      const officer = (await container.users.list()).find((u) => u.email === demoEmail('complaints_officer'));
      if (officer === undefined) throw new Error('the demo data has no complaints officer');
      const teams = await container.organisation.listTeams();
      const teamIds = ['Care Management North', 'Contact Team'].map((name) => teams.find((t) => t.name === name)?.id ?? 0);
      const [registered] = await container.registration.register(
        {
          fields: {
            kind: 'children_statutory',
            received_on: '2026-11-20',
            channel: 'leaflet',
            via_complaints_team: 'yes',
            summary: 'Contact with my son was cancelled three times without notice.',
            issues: ['contact_arrangements'],
            complainant_role: 'parent',
          },
          teamIds,
          youngPerson: { externalId: 'YP-E2E-1', dateOfBirth: '2012-03-04', ethnicity: 'WBRI' },
          complainant: { name: 'Sam Parent', email: 'sam@example.org', preferredContact: 'email' },
        },
        { userId: officer.id, roles: officer.roles, teamId: officer.teamId, ip: null, requestId: null },
      );
      if (registered === undefined) throw new Error('nothing was registered');

      const { page, problems } = await openPage(browser);
      await signInThroughForm(page, server, demoEmail('complaints_officer'), DEMO_PASSWORD);
      await visit(page, problems, paths.cases.url(), { status: 200, heading: 'Cases' });
      await visit(page, problems, paths.cases.url({ queue: 'overdue', q: 'nobody' }), { status: 200, heading: 'Cases' });
      await visit(page, problems, paths.caseDetail.url({ reference: registered.reference }), { status: 200, heading: registered.reference });

      const asViewer = await openPage(browser);
      await signInThroughForm(asViewer.page, server, demoEmail('viewer'), DEMO_PASSWORD);
      await visit(asViewer.page, asViewer.problems, paths.caseDetail.url({ reference: registered.reference }), { status: 200, heading: registered.reference });
    });
  });

  describe('signed in as a complaints officer', () => {
    it('the register form, empty and with errors, and its confirmation', async () => {
      const { page, problems } = await openPage(browser);
      await signInThroughForm(page, server, demoEmail('complaints_officer'), DEMO_PASSWORD);
      await visit(page, problems, paths.newCase.url(), { status: 200, heading: 'Register a representation' });
      await page.getByRole('button', { name: 'Register' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await expectPage(page, problems, 'Register a representation');

      await page.getByLabel('Complaint (Children Act 1989 procedure)').check();
      await page.getByLabel('Summary').fill('The review meeting went ahead without me.');
      await page.getByLabel('Adoption').check();
      await page.locator('#received_on-day').fill('2');
      await page.locator('#received_on-month').fill('11');
      await page.locator('#received_on-year').fill('2026');
      await page.getByLabel('How it was received').selectOption('email');
      await page.getByLabel('Who made it').selectOption('parent');
      await page.getByLabel('Name', { exact: true }).fill('Alex Example');
      await Promise.all([page.waitForURL((url) => url.pathname === paths.caseRegistered.url()), page.getByRole('button', { name: 'Register' }).click()]);
      await expectPage(page, problems, 'Representation registered');
    });

    it('a case’s letters and a filled letter', async () => {
      const { container } = server;
      const officer = (await container.users.list()).find((u) => u.email === demoEmail('complaints_officer'));
      if (officer === undefined) throw new Error('the demo data has no complaints officer');
      const team = (await container.organisation.listTeams()).find((t) => t.name === 'Care Management North');
      const [registered] = await container.registration.register(
        {
          fields: { kind: 'children_statutory', received_on: '2026-11-20', channel: 'letter', via_complaints_team: 'yes', summary: 'Visits were cancelled.', complainant_role: 'parent' },
          teamIds: [team?.id ?? 0],
          complainant: { name: 'Sam Parent', address: '1 High Street\nTown' },
        },
        { userId: officer.id, roles: officer.roles, teamId: officer.teamId, ip: null, requestId: null },
      );
      if (registered === undefined) throw new Error('nothing was registered');
      const { page, problems } = await openPage(browser);
      await signInThroughForm(page, server, demoEmail('complaints_officer'), DEMO_PASSWORD);
      await visit(page, problems, paths.caseLetters.url({ reference: registered.reference }), { status: 200, heading: 'Letters' });
      await visit(page, problems, paths.caseLetter.url({ reference: registered.reference, key: 'acknowledgement' }), { status: 200, heading: 'Acknowledgement letter' });
      // With gaps for what the case has not recorded.
      await visit(page, problems, paths.caseLetter.url({ reference: registered.reference, key: 'withdrawal' }), { status: 200, heading: 'Withdrawal letter' });
    }, 120_000);
  });

  describe('the Ombudsman register, the annual report and the notification emails', () => {
    it('the register, a new enquiry with errors, an enquiry and its decision form with errors', async () => {
      const { container } = server;
      const officer = (await container.users.list()).find((u) => u.email === demoEmail('complaints_officer'));
      if (officer === undefined) throw new Error('the demo data has no complaints officer');
      const actor = { userId: officer.id, roles: officer.roles, teamId: officer.teamId, ip: null, requestId: null };
      const team = (await container.organisation.listTeams()).find((t) => t.name === 'Fostering');
      const [registered] = await container.registration.register(
        { fields: { kind: 'children_statutory', received_on: '2026-03-02', channel: 'email', summary: 'Contact was cancelled.', complainant_role: 'parent' }, teamIds: [team?.id ?? 0], complainant: { name: 'Sam Parent' } },
        actor,
      );
      if (registered === undefined) throw new Error('nothing was registered');
      const enquiryId = await container.ombudsman.create(registered.reference, { lgscoReference: '26 011 222', receivedOn: '2026-10-01' }, actor);
      await container.ombudsman.addInformationRequest(enquiryId, { requestedOn: '2026-10-02', dueOn: '2026-10-16', details: 'The case notes' }, actor, 1);

      const { page, problems } = await openPage(browser);
      await signInThroughForm(page, server, demoEmail('complaints_officer'), DEMO_PASSWORD);
      await visit(page, problems, paths.ombudsman.url(), { status: 200, heading: 'Ombudsman enquiries' });
      // Filtered, as the annual report links to it.
      await visit(page, problems, paths.ombudsman.url({ received_from: '2026-04-01', received_to: '2027-03-31', as_at: '2026-11-26', decision: 'none' }), { status: 200, heading: 'Ombudsman enquiries' });
      await visit(page, problems, paths.newOmbudsmanEnquiry.url(), { status: 200, heading: 'Record an Ombudsman enquiry' });
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await expectPage(page, problems, 'Record an Ombudsman enquiry');
      await visit(page, problems, paths.ombudsmanEnquiry.url({ enquiryId }), { status: 200, heading: '26 011 222' });
      await visit(page, problems, paths.ombudsmanStep.url({ enquiryId, step: 'decision' }), { status: 200, heading: 'Record the Ombudsman’s decision' });
      await page.getByLabel('Upheld', { exact: true }).check();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await expectPage(page, problems, 'Record the Ombudsman’s decision');
    }, 120_000);

    it('the learning log, a new lesson with errors and the overdue actions', async () => {
      const { page, problems } = await openPage(browser);
      await signInThroughForm(page, server, demoEmail('complaints_officer'), DEMO_PASSWORD);
      await visit(page, problems, paths.learning.url(), { status: 200, heading: 'Learning from complaints' });
      await visit(page, problems, paths.newLesson.url(), { status: 200, heading: 'Record a lesson learnt' });
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await expectPage(page, problems, 'Record a lesson learnt');
      await visit(page, problems, paths.overdueLearningActions.url(), { status: 200, heading: 'Overdue learning actions' });
      await visit(page, problems, paths.learningActions.url({ identified_from: '2026-04-01', identified_to: '2027-03-31', status: 'open' }), { status: 200, heading: 'Learning actions' });
    }, 120_000);

    it('the annual report page', async () => {
      const { page, problems } = await openPage(browser);
      await signInThroughForm(page, server, demoEmail('complaints_manager'), DEMO_PASSWORD);
      await visit(page, problems, paths.annualReport.url({ year: '2026' }), { status: 200, heading: 'Complaints, comments and compliments 2026/27' });
    }, 120_000);

    it('the dashboard with its charts, and quarterly monitoring', async () => {
      const { page, problems } = await openPage(browser);
      await signInThroughForm(page, server, demoEmail('complaints_manager'), DEMO_PASSWORD);
      await visit(page, problems, paths.dashboard.url(), { status: 200, heading: 'Dashboard' });
      await visit(page, problems, paths.monitoringReport.url({ from: '2026-01-01', to: '2026-03-31' }), { status: 200, heading: 'Quarterly monitoring: Q4 2025/26 (January to March 2026)' });
      await visit(page, problems, paths.monitoringReport.url({ from: '2026-03-31', to: '2026-01-01' }), { status: 400, heading: 'Quarterly monitoring' });
    }, 120_000);

    it('the notification emails and a template form', async () => {
      const { page, problems } = await openPage(browser);
      await signInThroughForm(page, server, demoEmail('admin'), DEMO_PASSWORD);
      await visit(page, problems, paths.notificationTemplates.url(), { status: 200, heading: 'Notification emails' });
      await visit(page, problems, paths.notificationTemplate.url({ templateKey: 'submission_received' }), { status: 200, heading: 'Sent online: we have it' });
    }, 120_000);
  });

  describe('a complainant asking for the next stage by a secure link', () => {
    it('the page, with errors, the confirmation, and the link once used or wrong', async () => {
      const { container } = server;
      const officer = (await container.users.list()).find((u) => u.email === demoEmail('complaints_officer'));
      const team = (await container.organisation.listTeams()).find((t) => t.name === 'Fostering');
      const [registered] = await container.registration.register(
        { fields: { kind: 'children_statutory', received_on: '2026-03-02', channel: 'email', summary: 'Contact was cancelled.', complainant_role: 'parent' }, teamIds: [team?.id ?? 0], complainant: { name: 'Sam Parent' } },
        { userId: officer?.id ?? 0, roles: officer?.roles ?? [], teamId: officer?.teamId ?? null, ip: null, requestId: null },
      );
      const now = server.clock();
      const link = await issueSecureLink(container.db.kysely, { purpose: 'stage2_request', representationId: registered?.id ?? 0, expiresAt: new Date(now.getTime() + 86_400_000) }, now);
      const { page, problems } = await openPage(browser);
      await visit(page, problems, link.path, { status: 200, heading: 'Ask for your complaint to be looked at again' });
      await page.getByRole('button', { name: 'Send' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await expectPage(page, problems, 'Ask for your complaint to be looked at again');
      await page.locator('#reason').fill('Nothing has changed since the response.');
      await Promise.all([page.waitForURL((url) => url.pathname === paths.nextStageSent.url()), page.getByRole('button', { name: 'Send' }).click()]);
      await expectPage(page, problems, 'We have your request');
      await visit(page, problems, link.path, { status: 410, heading: 'You have already asked' });
      await visit(page, problems, `/respond/stage-2/${'x'.repeat(43)}`, { status: 404, heading: 'This link does not work' });
    }, 120_000);
  });

  describe('signed in without the role a page needs', () => {
    it('the 403 page (a complaints officer asking for the users page)', async () => {
      const { page, problems } = await openPage(browser);
      await signInThroughForm(page, server, demoEmail('complaints_officer'), DEMO_PASSWORD);
      await visit(page, problems, paths.users.url(), { status: 403, heading: 'You do not have access to this page' });
    });
  });

  it('the signed-out page', async () => {
    const { page, problems } = await openPage(browser);
    await signInThroughForm(page, server, demoEmail('viewer'), DEMO_PASSWORD);
    await Promise.all([page.waitForURL(server.url(paths.signOut.url())), page.getByRole('button', { name: 'Sign out' }).click()]);
    await expectPage(page, problems, 'You have signed out');
  });
});
