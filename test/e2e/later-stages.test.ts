/**
 * A complaint answered at Stage 1 goes through Stage 2 and a review panel, and then to the
 * Ombudsman, in the browser: each person signs in with their own account and does their
 * part — the complaints officer, the appointed investigating officer, the senior manager who
 * adjudicates, the appointed panel member — with axe on every form, an error state included.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoEmail } from '../../src/app/demo-service.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import { UserRepository } from '../../src/db/user-repository.ts';
import type { Role } from '../../src/domain/users/roles.ts';
import { paths } from '../../src/web/paths.ts';
import { PDF } from '../support/file-samples.ts';
import { expectNoAxeViolations, launchChromium, openPage, signInThroughForm, startTestServer, type PageProblems, type TestServer } from '../support/browser.ts';

// On both engines always (the "done when"), not only those REDRESS_E2E_ENGINES names.
describe.each(['sqlite', 'postgres'] as const)('Stages 2 and 3 in the browser [%s]', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let reference: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    browser = await launchChromium();
    // Stage 1, answered on 7 September 2026 (the browser journey of Stage 1 is casework.test.ts).
    const officer = await new UserRepository(server.container.db.kysely).findByEmail(demoEmail('complaints_officer'));
    if (officer === undefined) throw new Error('no demo officer');
    const actor: StaffActor = { userId: officer.id, roles: officer.roles, teamId: officer.teamId, ip: null, requestId: null };
    const teams = await server.container.organisation.listTeams();
    const [made] = await server.container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-09-01', channel: 'email', summary: 'Family time was cut without a review.', complainant_role: 'parent' },
        teamIds: [teams.find((t) => t.name === 'Care Management North')?.id ?? 0],
        complainant: { name: 'Sam Example' },
      },
      actor,
    );
    reference = made?.reference ?? '';
    await server.container.caseActions.apply(reference, 'record_response', { responded_on: '2026-09-07', finding: 'not_upheld', remedies: ['explanation'] }, actor, 1);
  });
  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  async function as(role: Role): Promise<{ page: Page; problems: PageProblems }> {
    const opened = await openPage(browser);
    await signInThroughForm(opened.page, server, demoEmail(role), DEMO_PASSWORD);
    await opened.page.goto(server.url(paths.caseDetail.url({ reference })));
    return opened;
  }

  async function fillDate(page: Page, name: string, iso: string): Promise<void> {
    const [year = '', month = '', day = ''] = iso.split('-');
    await page.locator(`#${name}-day`).fill(String(Number(day)));
    await page.locator(`#${name}-month`).fill(String(Number(month)));
    await page.locator(`#${name}-year`).fill(year);
  }

  /** Follows a step's link from the case page, checks the form with axe, fills it and saves. */
  async function step(page: Page, problems: PageProblems, link: string, fill: () => Promise<void>): Promise<void> {
    await page.goto(server.url(paths.caseDetail.url({ reference })));
    await page.getByRole('link', { name: link, exact: true }).click();
    expect(((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim()).toBe(link);
    await expectNoAxeViolations(page, link);
    await fill();
    await Promise.all([page.waitForURL((url) => url.pathname === paths.caseDetail.url({ reference })), page.getByRole('button', { name: 'Save' }).click()]);
    await expectNoAxeViolations(page, `case after ${link}`);
    problems.expectNone();
  }

  it('takes the complaint through Stage 2, a review panel and an Ombudsman enquiry', { timeout: 240_000 }, async () => {
    const declare = async (page: Page, prefix = '') => {
      for (const d of ['not_member', 'not_officer', 'not_spouse_or_partner']) await page.locator(`input[name="${prefix}declarations"][value="${d}"]`).check();
      await fillDate(page, `${prefix}declared_on`, '2026-09-10');
    };

    const officer = await as('complaints_officer');
    await step(officer.page, officer.problems, 'Record a request for Stage 2', () => fillDate(officer.page, 'requested_on', '2026-09-10'));
    await step(officer.page, officer.problems, 'Record the statement of complaint', async () => {
      await fillDate(officer.page, 'statement_agreed_on', '2026-09-14');
      await officer.page.locator('#points').fill('Family time was cut without a review.\nNo one explained why.');
    });
    await step(officer.page, officer.problems, 'Appoint the investigating officer', async () => {
      await officer.page.locator('#name').fill('Demo Investigator');
      await officer.page.locator('#user_id').selectOption({ label: 'Demo investigating officer' });
      await officer.page.locator('input[name="is_external"][value="yes"]').check();
      await fillDate(officer.page, 'appointed_on', '2026-09-14');
    });
    await step(officer.page, officer.problems, 'Appoint the Independent Person', async () => {
      await officer.page.locator('#name').fill('Demo Independent');
      await officer.page.locator('#user_id').selectOption({ label: 'Demo independent person' });
      await officer.page.locator('input[name="is_external"][value="yes"]').check();
      await declare(officer.page);
      await fillDate(officer.page, 'appointed_on', '2026-09-14');
    });
    expect(await officer.page.locator('main').textContent()).toContain('Demo Independent');

    // The appointed investigator sees the case and records the report.
    const investigator = await as('investigator');
    expect(((await investigator.page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim()).toBe(reference);
    await step(investigator.page, investigator.problems, 'Record the investigation report', async () => {
      await fillDate(investigator.page, 'report_received_on', '2026-10-12');
      await investigator.page.getByLabel('Upload the investigation report').setInputFiles({ name: 'Investigation report.pdf', mimeType: 'application/pdf', buffer: PDF });
    });
    // The case page lists the report with a download link.
    expect(await investigator.page.getByRole('link', { name: /Investigation report\.pdf/ }).getAttribute('href')).toMatch(/^\/cases\/[^/]+\/attachments\/\d+$/);

    // The senior manager adjudicates: first without a finding on point 2 (the error summary), then properly.
    const senior = await as('senior_manager');
    await senior.page.getByRole('link', { name: 'Record the adjudication (the Stage 2 response)' }).click();
    await fillDate(senior.page, 'responded_on', '2026-10-14');
    await senior.page.locator('input[name="finding_1"][value="upheld"]').check();
    await senior.page.getByRole('button', { name: 'Save' }).click();
    await senior.page.waitForSelector('.govuk-error-summary');
    expect(await senior.page.locator('.govuk-error-summary').textContent()).toContain('point 2 has none');
    await expectNoAxeViolations(senior.page, 'adjudication with errors');
    await senior.page.locator('input[name="finding_2"][value="not_upheld"]').check();
    await Promise.all([senior.page.waitForURL((url) => url.pathname === paths.caseDetail.url({ reference })), senior.page.getByRole('button', { name: 'Save' }).click()]);
    expect(await senior.page.locator('main').textContent()).toContain('14 October 2026: Partially upheld');

    await step(officer.page, officer.problems, 'Record a request for a review panel (Stage 3)', () => fillDate(officer.page, 'requested_on', '2026-10-20'));
    await step(officer.page, officer.problems, 'Appoint the review panel', async () => {
      const names = ['Pat Chair', 'Robin Second', 'Quinn Third'];
      for (const [index, name] of names.entries()) {
        const prefix = `member_${String(index + 1)}_`;
        await officer.page.locator(`#${prefix}name`).fill(name);
        await declare(officer.page, prefix);
      }
      await officer.page.locator(`#member_1_user_id`).selectOption({ label: 'Demo review panel member' });
      await officer.page.locator('input[name="chair"][value="1"]').check();
      await fillDate(officer.page, 'appointed_on', '2026-10-21');
    });

    const panellist = await as('panel_member');
    await step(panellist.page, panellist.problems, 'Record the panel meeting', async () => {
      await fillDate(panellist.page, 'panel_met_on', '2026-11-16');
      await panellist.page.locator('#attendees').fill('The complainant and their advocate; the investigating officer.');
    });
    await step(panellist.page, panellist.problems, 'Record the panel’s recommendations', async () => {
      await fillDate(panellist.page, 'recommendations_received_on', '2026-11-19');
      await panellist.page.locator('#recommendations').fill('Review family time decisions with the family.');
    });

    await step(senior.page, senior.problems, 'Record the council’s response to the panel', async () => {
      await fillDate(senior.page, 'independent_person_consulted_on', '2026-11-24');
      await fillDate(senior.page, 'responded_on', '2026-11-25');
      await senior.page.getByLabel('Accepted', { exact: true }).check();
      await fillDate(senior.page, 'actions_due_on', '2027-02-26');
    });
    expect(await senior.page.locator('main').textContent()).toContain('Council has responded');

    // Then the Ombudsman: from the case page.
    await officer.page.goto(server.url(paths.caseDetail.url({ reference })));
    await officer.page.getByRole('link', { name: 'Record an Ombudsman enquiry' }).click();
    await expectNoAxeViolations(officer.page, 'new Ombudsman enquiry');
    await officer.page.locator('#lgsco_reference').fill('26 015 777');
    await fillDate(officer.page, 'received_on', '2026-11-26');
    await Promise.all([officer.page.waitForURL((url) => url.pathname.startsWith('/ombudsman/')), officer.page.getByRole('button', { name: 'Save' }).click()]);
    expect(((await officer.page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim()).toBe('26 015 777');
    await expectNoAxeViolations(officer.page, 'Ombudsman enquiry');

    for (const opened of [officer, investigator, senior, panellist]) opened.problems.expectNone();
    // The procedure is over: the panel member no longer sees the case.
    const gone = await panellist.page.goto(server.url(paths.caseDetail.url({ reference })));
    expect(gone?.status()).toBe(404);
  });
});
