/**
 * Nothing sent online goes unnoticed, and everyone's own work in front of them, over HTTP on
 * both engines: a submission tells the complaints team at once (the shared mailbox or each
 * complaints manager), waits on the dashboard and the queue with its age, and is registered
 * with its clocks running from the day it arrived (late when registered late), the child a
 * parent named put into the young person section; each role's dashboard lists its own work
 * and nobody else's; the queues are only those that apply to the role.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aStaffMember, teamIdsByName, testClock, testContainer, TEST_PASSWORD, type TestClock } from '../support/builders.ts';
import { Browser, dateFields } from '../support/http.ts';
import { aReport } from '../support/multipart.ts';
import { YOUNG_COMPLAINT } from '../support/public-visitor.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import { PublicSubmissionService } from '../../src/app/public-submission-service.ts';

const PARENT_COMPLAINT = {
  topic: 'complaint',
  who: 'adult',
  relationship: 'parent',
  for_child: 'yes',
  child_agrees: 'unaware',
  child_name: 'Riley Example',
  child_birth: '3 4 2014',
  what_happened: 'My son’s contact with his father was cancelled three times.',
  what_would_help: 'An explanation and a new contact plan.',
  name: 'Jo Parent',
  contact: 'none',
};

const DECLARED = ['not_member', 'not_officer', 'not_spouse_or_partner'];
const PUBLIC = { userId: null, ip: '192.0.2.44', requestId: 'r-public' } as const;

/** The HTML from the element with `id` to the end of its table (or list), for checking what one section lists. */
function section(html: string, id: string, end = '</table>'): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return '';
  const stop = html.indexOf(end, start);
  return html.slice(start, stop < 0 ? undefined : stop);
}

describeEachEngine('each person’s own work', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let clock: TestClock;
  let officer: StaffActor & { email: string };
  let manager: StaffActor & { email: string };
  let responder: StaffActor & { email: string };
  let otherResponder: StaffActor & { email: string };
  let senior: StaffActor & { email: string };
  let investigator: StaffActor & { email: string };
  let independentPerson: StaffActor & { email: string };
  let panellist: StaffActor & { email: string };
  let viewer: StaffActor & { email: string };
  let teamId: (name: string) => number;
  const kysely = () => database().db.kysely;
  let keys = 0;
  const key = () => `own-work-key-${String((keys += 1))}-abcdefghijklmnopqrstuvwxyz`;

  /** "Today" is `date`, at 10am. */
  const on = (date: string) => {
    clock.set(`${date}T10:00:00.000Z`);
  };
  /** A browser signed in now (sessions idle out when the clock moves on). */
  async function as(person: { email: string }): Promise<Browser> {
    const browser = new Browser(app);
    await browser.signIn(person.email, TEST_PASSWORD);
    return browser;
  }
  const versionOf = async (reference: string) => (await kysely().selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
  /** A later-stage step; `date` in the input (not passed on) moves "today" to it first. */
  const later = async (reference: string, name: string, input: Record<string, unknown>, actor: StaffActor = officer) => {
    const { date, ...fields } = input;
    if (typeof date === 'string') on(date);
    return container.laterStages.apply(reference, name, fields, actor, await versionOf(reference));
  };
  const stage1 = async (reference: string, action: string, input: Record<string, unknown>) => {
    if (typeof input.responded_on === 'string') on(input.responded_on);
    return container.caseActions.apply(reference, action, input, officer, await versionOf(reference));
  };
  async function complaint(receivedOn: string, team = 'Care Management North'): Promise<string> {
    on(receivedOn);
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: receivedOn, channel: 'email', via_complaints_team: 'yes', summary: 'Contact visits were cancelled.', complainant_role: 'parent' },
        teamIds: [teamId(team)],
        complainant: { name: 'Sam Parent' },
      },
      officer,
    );
    if (made === undefined) throw new Error('nothing registered');
    return made.reference;
  }

  beforeAll(async () => {
    clock = testClock('2026-06-01T10:00:00.000Z');
    container = await testContainer(database(), clock);
    await container.demo.ensure({ withCases: false });
    app = await createApp(container);
    teamId = await teamIdsByName(container);
    officer = await aStaffMember(container, ['complaints_officer']);
    manager = await aStaffMember(container, ['complaints_manager']);
    responder = await aStaffMember(container, ['responding_manager'], 'Care Management North');
    otherResponder = await aStaffMember(container, ['responding_manager'], 'Care Management South');
    senior = await aStaffMember(container, ['senior_manager']);
    investigator = await aStaffMember(container, ['investigator']);
    independentPerson = await aStaffMember(container, ['independent_person']);
    panellist = await aStaffMember(container, ['panel_member']);
    viewer = await aStaffMember(container, ['viewer']);
  });
  afterAll(async () => {
    await app.close();
  });

  it('tells the complaints team of a submission at once, shows how long it has waited, and registers it with its clocks from the day it arrived', async () => {
    // Thursday 26 November 2026: a parent's complaint for their child, and a child's own.
    on('2026-11-26');
    const parents = await container.publicSubmissions.submit(PARENT_COMPLAINT, key(), PUBLIC);
    const childs = await new PublicSubmissionService(kysely(), clock, 'complaints.team@council.example').submit(YOUNG_COMPLAINT, key(), PUBLIC);

    // No shared mailbox: each active complaints manager is told, with the reference and the day only.
    const told = async (reference: string) => {
      const { id } = await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
      return kysely().selectFrom('notification_outbox').select(['recipient', 'personalisation']).where('template_key', '=', 'submission_for_team').where('subject_id', '=', id).orderBy('recipient').execute();
    };
    const managers = (await kysely().selectFrom('app_user').innerJoin('user_role', 'user_role.user_id', 'app_user.id').select('email').where('role', '=', 'complaints_manager').execute()).map((m) => m.email);
    expect(managers).toContain(manager.email);
    expect((await told(parents.reference)).map((m) => m.recipient)).toEqual([...managers].sort());
    expect(JSON.parse((await told(parents.reference))[0]?.personalisation ?? '{}')).toEqual({ reference: parents.reference, what: 'complaint', received_on: '26 November 2026' });
    expect(JSON.stringify(await told(parents.reference))).not.toContain('Riley');
    // With a shared mailbox: that one address.
    expect((await told(childs.reference)).map((m) => m.recipient)).toEqual(['complaints.team@council.example']);
    // A repeat of the same submit tells nobody again.
    const countTold = async () => (await kysely().selectFrom('notification_outbox').select('id').where('template_key', '=', 'submission_for_team').execute()).length;
    const before = await countTold();
    const repeat = await container.publicSubmissions.submit(PARENT_COMPLAINT, 'own-work-key-1-abcdefghijklmnopqrstuvwxyz', PUBLIC);
    expect(repeat).toMatchObject({ reference: parents.reference, isNew: false });
    expect(await countTold()).toBe(before);

    // The same day: the dashboard and the queue say two are waiting, received today.
    const firstLook = await (await as(manager)).get('/dashboard');
    expect(firstLook.statusCode).toBe(200);
    expect(section(firstLook.body, 'team-work-list', '</dl>')).toContain('2: the oldest was received on 26 November 2026, 0 working days ago');

    // Monday 14 December: 12 working days on, nobody has registered them.
    on('2026-12-14');
    const managerBrowser = await as(manager);
    const dashboard = await managerBrowser.get('/dashboard');
    expect(section(dashboard.body, 'team-work-list', '</dl>')).toContain('2: the oldest was received on 26 November 2026, 12 working days ago');
    expect(section(dashboard.body, 'team-work-list', '</dl>')).toContain('href="/cases?queue=awaiting_registration"');
    const queue = await managerBrowser.get('/cases?queue=awaiting_registration');
    expect(queue.statusCode).toBe(200);
    expect(section(queue.body, 'waiting-to-register', '</div>')).toContain('2 waiting to be registered</a>: the oldest was received on 26 November 2026, 12 working days ago');

    // The registration page: the date received is the day it arrived, its time limits already late, the child named.
    const form = await managerBrowser.get(`/cases/${parents.reference}/register`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Already late: a time limit that started when it arrived on 26 November 2026 has passed.');
    expect(section(form.body, 'received-online', '</p>')).toContain('26 November 2026');
    expect(form.body).not.toContain('id="received_on-day"');
    const limits = section(form.body, 'time-limits');
    expect(limits).toContain('10 December 2026 <strong class="govuk-tag govuk-tag--red">Overdue</strong>');
    expect(limits).toContain('12 working days');
    const named = section(form.body, 'named-child', 'Find them in');
    expect(named).toContain('Riley Example');
    expect(named).toContain('3 4 2014');
    expect(form.body).toMatch(/name="young_person_date_of_birth-day"[^>]*value="3"|value="3"[^>]*name="young_person_date_of_birth-day"/);
    expect(form.body).toMatch(/name="young_person_date_of_birth-month"[^>]*value="4"|value="4"[^>]*name="young_person_date_of_birth-month"/);

    // Registered today, whatever date the form is sent with: received 26 November, clocks from then, already overdue.
    const registered = await managerBrowser.post(
      `/cases/${parents.reference}/register`,
      {
        kind: 'children_statutory',
        summary: 'A parent says contact was cancelled.',
        ...dateFields('received_on', '2026-12-14'),
        channel: 'online',
        via_complaints_team: 'yes',
        complainant_role: 'parent',
        young_person_id: 'YP-4471',
        ...dateFields('young_person_date_of_birth', '2014-04-03'),
        team_id: String(teamId('Care Management North')),
        version: '1',
      },
      `/cases/${parents.reference}/register`,
    );
    expect(registered.statusCode, registered.body.slice(0, 800)).toBe(303);
    const stored = await kysely().selectFrom('representation').select(['id', 'received_on', 'status', 'young_person_id']).where('reference', '=', parents.reference).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ received_on: '2026-11-26', status: 'registered' });
    expect(stored.young_person_id).not.toBeNull();
    const clockRow = await kysely().selectFrom('clock').select(['started_on', 'due_on', 'is_open']).where('subject_id', '=', stored.id).where('clock_key', '=', 'stage1_response').executeTakeFirstOrThrow();
    expect(clockRow).toEqual({ started_on: '2026-11-26', due_on: '2026-12-10', is_open: 1 });
    const casePage = await managerBrowser.get(`/cases/${parents.reference}`);
    expect(casePage.body).toContain('Overdue by 2 working days');
    // One left waiting.
    expect(section((await managerBrowser.get('/dashboard')).body, 'team-work-list', '</dl>')).toContain('1: the oldest was received on 26 November 2026');
  });

  it('shows each role its own work on the dashboard, and only the queues that apply to it', { timeout: 120_000 }, async () => {
    // Stage 1: two cases allocated to the responding manager (one due soon, one overdue) and one to someone else.
    const dueSoon = await complaint('2026-11-30');
    await stage1(dueSoon, 'allocate', { responder_user_id: String(responder.userId) });
    const overdue = await complaint('2026-11-02');
    await stage1(overdue, 'allocate', { responder_user_id: String(responder.userId) });
    const notMine = await complaint('2026-11-30', 'Care Management South');
    await stage1(notMine, 'allocate', { responder_user_id: String(otherResponder.userId) });

    // Stage 2 with its report in: waiting for a senior manager's adjudication; the investigating officer and Independent Person appointed.
    const atStage2 = await complaint('2026-06-01');
    await stage1(atStage2, 'record_response', { responded_on: '2026-06-10', finding: 'not_upheld', remedies: ['explanation'] });
    await later(atStage2, 'request_stage2', { requested_on: '2026-06-15', date: '2026-06-15' });
    await later(atStage2, 'agree_statement', { statement_agreed_on: '2026-06-17', points: 'Contact was cancelled.\nCalls were not returned.', date: '2026-06-17' });
    await later(atStage2, 'appoint_investigator', { name: 'Ira Vestigate', user_id: String(investigator.userId), is_external: 'yes', appointed_on: '2026-06-17' });
    await later(atStage2, 'appoint_independent_person', { name: 'Indie Person', user_id: String(independentPerson.userId), is_external: 'yes', appointed_on: '2026-06-17', declarations: DECLARED, declared_on: '2026-06-17' });
    await later(atStage2, 'record_report', { report_received_on: '2026-07-01', report: aReport(), date: '2026-07-01' }, investigator);

    // Another adjudicated and at a review panel: the panel member appointed; the investigating officer's appointment over.
    const atStage3 = await complaint('2026-05-01');
    await stage1(atStage3, 'record_response', { responded_on: '2026-05-11', finding: 'not_upheld', remedies: ['explanation'] });
    await later(atStage3, 'request_stage2', { requested_on: '2026-05-12', date: '2026-05-12' });
    await later(atStage3, 'agree_statement', { statement_agreed_on: '2026-05-13', points: 'Contact was cancelled.', date: '2026-05-13' });
    await later(atStage3, 'appoint_investigator', { name: 'Ira Vestigate', user_id: String(investigator.userId), is_external: 'yes', appointed_on: '2026-05-13' });
    await later(atStage3, 'appoint_independent_person', { name: 'Indie Person', user_id: String(independentPerson.userId), is_external: 'yes', appointed_on: '2026-05-13', declarations: DECLARED, declared_on: '2026-05-13' });
    await later(atStage3, 'record_report', { report_received_on: '2026-06-01', report: aReport(), date: '2026-06-01' }, investigator);
    await later(atStage3, 'adjudicate', { responded_on: '2026-06-03', finding_1: 'not_upheld', date: '2026-06-03' }, senior);
    await later(atStage3, 'request_stage3', { requested_on: '2026-06-08', date: '2026-06-08' });
    const member = (n: number, name: string, userId?: number) => ({
      [`member_${String(n)}_name`]: name,
      ...(userId === undefined ? {} : { [`member_${String(n)}_user_id`]: String(userId) }),
      [`member_${String(n)}_declarations`]: DECLARED,
      [`member_${String(n)}_declared_on`]: '2026-06-08',
    });
    await later(atStage3, 'appoint_panel', { ...member(1, 'Pat Chair', panellist.userId), ...member(2, 'Robin Second'), ...member(3, 'Quinn Third'), chair: '1', appointed_on: '2026-06-09', date: '2026-06-09' });

    // Tuesday 8 December 2026.
    on('2026-12-08');
    const mine = (await (await as(responder)).get('/dashboard')).body;
    expect(section(mine, 'my-cases-table')).toContain(dueSoon);
    expect(section(mine, 'my-cases-table')).toContain(overdue);
    expect(mine).not.toContain(notMine);
    expect(section(mine, 'my-due-soon-table')).toContain(dueSoon);
    expect(section(mine, 'my-due-soon-table')).toContain('14 December 2026');
    expect(section(mine, 'my-due-soon-table')).not.toContain(overdue);
    expect(section(mine, 'my-overdue-table')).toContain(overdue);
    expect(section(mine, 'my-overdue-table')).toContain('Overdue by');
    expect(section(mine, 'my-overdue-table')).not.toContain(dueSoon);
    expect(mine).not.toContain('id="team-work"');
    expect(mine).not.toContain('id="my-appointments"');

    const investigating = (await (await as(investigator)).get('/dashboard')).body;
    const appointments = section(investigating, 'my-appointments-table');
    expect(appointments).toContain(atStage2);
    expect(appointments).toContain('Stage 2: Investigating officer');
    expect(appointments).toMatch(/Stage 2 response[^<]*: \d+ \w+ 2026 <strong class="govuk-tag/);
    // The adjudication ended that appointment.
    expect(appointments).not.toContain(atStage3);
    expect(investigating).not.toContain('id="my-cases"');

    expect(section((await (await as(independentPerson)).get('/dashboard')).body, 'my-appointments-table')).toContain(atStage2);
    const panel = section((await (await as(panellist)).get('/dashboard')).body, 'my-appointments-table');
    expect(panel).toContain(atStage3);
    expect(panel).toContain('Stage 3: ');
    expect(panel).not.toContain(atStage2);

    const deciding = (await (await as(senior)).get('/dashboard')).body;
    const decisions = section(deciding, 'my-decisions-table');
    expect(decisions).toContain(atStage2);
    expect(decisions).toContain('Stage 2 adjudication');
    expect(decisions).not.toContain(atStage3);
    expect(decisions).not.toContain(dueSoon);

    const team = (await (await as(officer)).get('/dashboard')).body;
    const teamWork = section(team, 'team-work-list', '</dl>');
    expect(teamWork).toMatch(/Stage 1 overdue[\s\S]*?<dd class="govuk-summary-list__value">\s*[1-9]/);
    expect(team).not.toContain('id="my-cases"');

    const watching = (await (await as(viewer)).get('/dashboard')).body;
    expect(watching).toContain('No casework is assigned to you.');
    expect(watching).not.toContain(dueSoon);

    // Queues: only those that apply, in the list and at the address.
    const responderBrowser = await as(responder);
    const queues = await responderBrowser.get('/cases');
    expect(queues.statusCode).toBe(200);
    expect(queues.body).toContain('>Allocated to me</a>');
    expect(queues.body).not.toContain('queue=awaiting_registration');
    expect(queues.body).not.toContain('queue=awaiting_allocation');
    expect((await responderBrowser.get('/cases?queue=awaiting_registration')).statusCode).toBe(403);
    expect((await responderBrowser.get('/cases?queue=mine')).statusCode).toBe(200);
    const investigatorBrowser = await as(investigator);
    expect((await investigatorBrowser.get('/cases?queue=overdue')).statusCode).toBe(403);
    expect((await investigatorBrowser.get('/cases')).body).toContain(atStage2);
    expect((await (await as(viewer)).get('/cases?queue=mine')).statusCode).toBe(403);
    expect((await (await as(senior)).get('/cases?queue=awaiting_allocation')).statusCode).toBe(403);
    const officerBrowser = await as(officer);
    for (const queue of ['awaiting_registration', 'awaiting_allocation', 'mine', 'my_team', 'due_soon', 'overdue', 'recently_closed', 'all']) {
      expect((await officerBrowser.get(`/cases?queue=${queue}`)).statusCode).toBe(200);
    }
  });
});
