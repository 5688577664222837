/**
 * Everyone's own work in the browser, on both engines: each person signs in with their own
 * account and finds "Your work" first on their dashboard — the complaints manager what was
 * sent online and waits to be registered (and the email about it in the outbox), the
 * responding manager their cases due soon and overdue, the investigating officer, the
 * Independent Person and the panel member their appointments with the next date due, the
 * senior manager what waits for their adjudication — with axe on each dashboard.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoEmail } from '../../src/app/demo-service.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import { UserRepository } from '../../src/db/user-repository.ts';
import type { Role } from '../../src/domain/users/roles.ts';
import { paths } from '../../src/web/paths.ts';
import { aReport } from '../support/multipart.ts';
import { expectNoAxeViolations, launchChromium, openPage, signInThroughForm, startTestServer, type PageProblems, type TestServer } from '../support/browser.ts';

const DECLARED = ['not_member', 'not_officer', 'not_spouse_or_partner'];

const PARENT_COMPLAINT = {
  topic: 'complaint',
  who: 'adult',
  relationship: 'parent',
  for_child: 'yes',
  child_agrees: 'unaware',
  child_name: 'Riley Example',
  child_birth: '3 4 2014',
  what_happened: 'Contact with his father was cancelled three times.',
  what_would_help: 'A new contact plan.',
  name: 'Jo Parent',
  contact: 'none',
};

describe.each(['sqlite', 'postgres'] as const)('each person’s own work in the browser [%s]', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let submitted: string;
  const refs = { dueSoon: '', overdue: '', atStage2: '', atStage3: '' };

  async function actorOf(role: Role): Promise<StaffActor> {
    const user = await new UserRepository(server.container.db.kysely).findByEmail(demoEmail(role));
    if (user === undefined) throw new Error(`no demo ${role}`);
    return { userId: user.id, roles: user.roles, teamId: user.teamId, ip: null, requestId: null };
  }

  beforeAll(async () => {
    server = await startTestServer(engine);
    browser = await launchChromium();
    const { container } = server;
    const kysely = container.db.kysely;
    const officer = await actorOf('complaints_officer');
    const [responder, investigator, independentPerson, panellist, senior] = await Promise.all(
      (['responding_manager', 'investigator', 'independent_person', 'panel_member', 'senior_manager'] as const).map(actorOf),
    );
    if (responder === undefined || investigator === undefined || independentPerson === undefined || panellist === undefined || senior === undefined) throw new Error('demo accounts missing');
    const teamId = (await container.organisation.listTeams()).find((t) => t.name === 'Care Management North')?.id ?? 0;
    const versionOf = async (reference: string) => (await kysely.selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
    const register = async (receivedOn: string) => {
      const [made] = await container.registration.register(
        { fields: { kind: 'children_statutory', received_on: receivedOn, channel: 'email', via_complaints_team: 'yes', summary: 'Contact was cancelled.', complainant_role: 'parent' }, teamIds: [teamId], complainant: { name: 'Sam Parent' } },
        officer,
      );
      return made?.reference ?? '';
    };
    const act = async (reference: string, action: string, input: Record<string, unknown>) => container.caseActions.apply(reference, action, input, officer, await versionOf(reference));
    const step = async (reference: string, name: string, input: Record<string, unknown>, actor: StaffActor = officer) => container.laterStages.apply(reference, name, input, actor, await versionOf(reference));

    // Today is Thursday 26 November 2026 (the test server's clock).
    refs.dueSoon = await register('2026-11-18');
    await act(refs.dueSoon, 'allocate', { responder_user_id: String(responder.userId) });
    refs.overdue = await register('2026-11-02');
    await act(refs.overdue, 'allocate', { responder_user_id: String(responder.userId) });

    const toStage2 = async (receivedOn: string, respondedOn: string, requestedOn: string, agreedOn: string, reportOn: string) => {
      const reference = await register(receivedOn);
      await act(reference, 'record_response', { responded_on: respondedOn, finding: 'not_upheld', remedies: ['explanation'] });
      await step(reference, 'request_stage2', { requested_on: requestedOn });
      await step(reference, 'agree_statement', { statement_agreed_on: agreedOn, points: 'Contact was cancelled.' });
      await step(reference, 'appoint_investigator', { name: 'Demo Investigator', user_id: String(investigator.userId), is_external: 'yes', appointed_on: agreedOn });
      await step(reference, 'appoint_independent_person', { name: 'Demo Independent Person', user_id: String(independentPerson.userId), is_external: 'yes', appointed_on: agreedOn, declarations: DECLARED, declared_on: agreedOn });
      await step(reference, 'record_report', { report_received_on: reportOn, report: aReport() }, investigator);
      return reference;
    };
    refs.atStage2 = await toStage2('2026-09-01', '2026-09-07', '2026-09-10', '2026-09-14', '2026-11-02');
    refs.atStage3 = await toStage2('2026-06-01', '2026-06-08', '2026-06-10', '2026-06-12', '2026-07-10');
    await step(refs.atStage3, 'adjudicate', { responded_on: '2026-07-15', finding_1: 'not_upheld' }, senior);
    await step(refs.atStage3, 'request_stage3', { requested_on: '2026-07-20' });
    const member = (n: number, name: string, userId?: number) => ({
      [`member_${String(n)}_name`]: name,
      ...(userId === undefined ? {} : { [`member_${String(n)}_user_id`]: String(userId) }),
      [`member_${String(n)}_declarations`]: DECLARED,
      [`member_${String(n)}_declared_on`]: '2026-07-20',
    });
    await step(refs.atStage3, 'appoint_panel', { ...member(1, 'Demo Panel Chair', panellist.userId), ...member(2, 'Robin Second'), ...member(3, 'Quinn Third'), chair: '1', appointed_on: '2026-07-21' });

    // Sent online this morning.
    submitted = (await container.publicSubmissions.submit(PARENT_COMPLAINT, 'own-work-e2e-key-abcdefghijklmnopqrstuvwxyz', { userId: null, ip: '192.0.2.7', requestId: null })).reference;
  }, 120_000);
  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  /** Signs in as the demo `role` and opens the dashboard; checks "Your work" comes first and axe finds nothing. */
  async function dashboardOf(role: Role): Promise<{ page: Page; problems: PageProblems }> {
    const opened = await openPage(browser);
    await signInThroughForm(opened.page, server, demoEmail(role), DEMO_PASSWORD);
    await opened.page.goto(server.url(paths.dashboard.url()));
    expect(((await opened.page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim()).toBe('Dashboard');
    expect(((await opened.page.locator('main h2').first().textContent()) ?? '').trim()).toBe('Your work');
    await expectNoAxeViolations(opened.page, `the ${role} dashboard`);
    return opened;
  }

  const rowOf = (page: Page, table: string, reference: string) => page.locator(`#${table} tr`, { has: page.getByRole('link', { name: reference, exact: true }) });

  it('shows the complaints manager what was sent online, and the email about it is in the outbox', { timeout: 120_000 }, async () => {
    const { page, problems } = await dashboardOf('complaints_manager');
    const waiting = page.locator('#team-work-list .govuk-summary-list__row', { hasText: 'Waiting to be registered' });
    expect(((await waiting.locator('dd').first().textContent()) ?? '').trim()).toBe('1: the oldest was received on 26 November 2026, 0 working days ago');
    await Promise.all([page.waitForURL((url) => url.searchParams.get('queue') === 'awaiting_registration'), waiting.getByRole('link', { name: /View/ }).click()]);
    expect(await page.getByRole('link', { name: submitted, exact: true }).count()).toBe(1);
    expect(await page.locator('#waiting-to-register').textContent()).toContain('1 waiting to be registered');
    await expectNoAxeViolations(page, 'the queue of what waits to be registered');
    // Its registration page: received the day it arrived, the child the parent named in the young person section.
    await page.goto(server.url(paths.registerSubmission.url({ reference: submitted })));
    expect(await page.locator('#received-online').textContent()).toContain('26 November 2026');
    expect(await page.locator('#named-child').textContent()).toContain('Riley Example');
    expect(await page.locator('#young_person_date_of_birth-year').inputValue()).toBe('2014');
    expect(await page.locator('#time-limits').textContent()).toContain('Stage 1 response');
    await expectNoAxeViolations(page, 'the registration page of a submission');
    problems.expectNone();

    const { id } = await server.container.db.kysely.selectFrom('representation').select('id').where('reference', '=', submitted).executeTakeFirstOrThrow();
    const queued = await server.container.db.kysely.selectFrom('notification_outbox').select(['template_key', 'recipient']).where('subject_id', '=', id).execute();
    expect(queued).toContainEqual({ template_key: 'submission_for_team', recipient: demoEmail('complaints_manager') });
  });

  it('shows the responding manager their cases, due soon and overdue', { timeout: 60_000 }, async () => {
    const { page, problems } = await dashboardOf('responding_manager');
    expect(await rowOf(page, 'my-cases-table', refs.dueSoon).count()).toBe(1);
    expect(await rowOf(page, 'my-cases-table', refs.overdue).count()).toBe(1);
    expect(await rowOf(page, 'my-due-soon-table', refs.dueSoon).textContent()).toContain('2 December 2026');
    expect(await rowOf(page, 'my-due-soon-table', refs.overdue).count()).toBe(0);
    expect(await rowOf(page, 'my-overdue-table', refs.overdue).textContent()).toContain('Overdue by');
    expect(await page.locator('#team-work').count()).toBe(0);
    expect(await page.getByRole('link', { name: submitted }).count()).toBe(0);
    problems.expectNone();
  });

  it('shows the investigating officer, the Independent Person and the panel member their appointments with the next date due', { timeout: 90_000 }, async () => {
    const investigating = await dashboardOf('investigator');
    const stage2Row = rowOf(investigating.page, 'my-appointments-table', refs.atStage2);
    expect(await stage2Row.textContent()).toContain('Stage 2: Investigating officer');
    expect(await stage2Row.textContent()).toMatch(/Stage 2 response.*2026/);
    expect(await rowOf(investigating.page, 'my-appointments-table', refs.atStage3).count()).toBe(0);
    investigating.problems.expectNone();

    const independent = await dashboardOf('independent_person');
    expect(await rowOf(independent.page, 'my-appointments-table', refs.atStage2).textContent()).toContain('Stage 2: Independent Person');
    independent.problems.expectNone();

    const panel = await dashboardOf('panel_member');
    const stage3Row = rowOf(panel.page, 'my-appointments-table', refs.atStage3);
    expect(await stage3Row.textContent()).toContain('Stage 3: ');
    expect(await stage3Row.textContent()).toMatch(/Panel|panel/);
    expect(await rowOf(panel.page, 'my-appointments-table', refs.atStage2).count()).toBe(0);
    panel.problems.expectNone();
  });

  it('shows the senior manager what waits for their adjudication', { timeout: 60_000 }, async () => {
    const { page, problems } = await dashboardOf('senior_manager');
    expect(await rowOf(page, 'my-decisions-table', refs.atStage2).textContent()).toContain('Stage 2 adjudication');
    expect(await rowOf(page, 'my-decisions-table', refs.dueSoon).count()).toBe(0);
    await Promise.all([page.waitForURL((url) => url.pathname === paths.caseDetail.url({ reference: refs.atStage2 })), rowOf(page, 'my-decisions-table', refs.atStage2).getByRole('link').click()]);
    expect(await page.getByRole('link', { name: 'Record the adjudication (the Stage 2 response)' }).count()).toBe(1);
    problems.expectNone();
  });
});
