/**
 * The learning log through its pages, on both engines: recording a lesson from a complaint,
 * adding and completing actions, the overdue queue and the case page's summary — with the
 * forms' error states (answers kept, nothing written), the version check, and who may do what.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { TEST_PASSWORD, aStaffMember, testClock, testContainer, teamIdsByName, type TestClock } from '../support/builders.ts';
import { Browser, dateFields, decodeEntities, errorSummary, signedInAs } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';

const NOW = '2026-11-26T10:00:00.000Z';

describeEachEngine('the learning pages', (database) => {
  let container: Container;
  let clock: TestClock;
  let app: FastifyInstance;
  let officer: Browser;
  let actor: StaffActor;
  let complaint: string;
  let otherComplaint: string;
  const kysely = () => database().db.kysely;
  const countOf = async (table: 'lesson' | 'learning_action'): Promise<number> => Number((await kysely().selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  /** Opens a form page, then posts it with its CSRF token and version. */
  const submit = async (browser: Browser, formUrl: string, postUrl: string, form: Record<string, string>): Promise<LightMyRequestResponse> => {
    const page = await browser.get(formUrl);
    expect(page.statusCode, page.body).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    return browser.post(postUrl, { _csrf: csrf, version, ...form });
  };
  const newLesson = (title: string, reference: string, teamId: number | null = null) =>
    container.learning.create({ title, description: 'Give families notice.', identifiedOn: '2026-10-01', teamId, caseReferences: reference }, actor);

  beforeAll(async () => {
    clock = testClock(NOW);
    container = await testContainer(database(), clock);
    await container.demo.ensure();
    app = await createApp(container);
    const staff = await aStaffMember(container, ['complaints_officer']);
    actor = staff;
    officer = new Browser(app);
    await officer.signIn(staff.email, TEST_PASSWORD);
    const team = await teamIdsByName(container);
    const register = async (teamName: string) =>
      (
        await container.registration.register(
          { fields: { kind: 'children_statutory', received_on: '2026-03-02', channel: 'email', summary: 'Contact was cancelled.', complainant_role: 'parent' }, teamIds: [team(teamName)], complainant: { name: 'Sam Parent' } },
          actor,
        )
      )[0]?.reference ?? '';
    complaint = await register('Fostering');
    otherComplaint = await register('Family Support');
  });
  afterAll(async () => {
    await app.close();
  });

  it('records a lesson from a complaint, adds an action, shows it overdue once due, and marks it done', async () => {
    const created = await submit(officer, `/learning/new?case=${complaint}`, '/learning/new', {
      case_reference: complaint,
      title: 'Give notice of cancelled contact',
      description: 'Families need a week’s notice.',
      ...dateFields('identified_on', '2026-11-02'),
      team_id: '',
    });
    expect(created.statusCode, created.body).toBe(303);
    const lesson = await kysely().selectFrom('lesson').selectAll().where('title', '=', 'Give notice of cancelled contact').executeTakeFirstOrThrow();
    const page = `/learning/${String(lesson.id)}`;
    expect(created.headers.location).toBe(page);

    const owner = await aStaffMember(container, ['responding_manager'], 'Fostering');
    const added = await submit(officer, `${page}/actions/new`, `${page}/actions/new`, { description: 'Rewrite the leaflet', owner_user_id: String(owner.userId), owner_name: '', ...dateFields('due_on', '2026-11-20') });
    expect(added.statusCode, added.body).toBe(303);
    const action = await kysely().selectFrom('learning_action').selectAll().where('lesson_id', '=', lesson.id).executeTakeFirstOrThrow();
    expect(action).toMatchObject({ owner_user_id: owner.userId, due_on: '2026-11-20', status: 'open', source: 'lesson' });

    const detail = decodeEntities((await officer.get(page)).body);
    expect(detail).toContain(`href="/cases/${complaint}">${complaint}</a>`);
    expect(detail).toContain('Rewrite the leaflet');
    expect(detail).toContain('Overdue');
    const log = decodeEntities((await officer.get('/learning?overdue=yes')).body);
    expect(log).toContain('Give notice of cancelled contact');
    // "Learning" is in the service navigation, marked as the current page.
    expect(log).toMatch(/<a class="govuk-service-navigation__link" href="\/learning"\s+aria-current="page"/);
    const queue = decodeEntities((await officer.get('/learning/actions/overdue')).body);
    expect(queue).toContain('Rewrite the leaflet');
    expect(queue).toContain('20 November 2026');
    expect(queue).toMatch(/>\s*6\s*</);
    const casePage = decodeEntities((await officer.get(`/cases/${complaint}`)).body);
    expect(casePage).toContain(`href="${page}">Give notice of cancelled contact</a>`);
    expect(casePage).toContain('(1 overdue)');

    // The owner, a responding manager, marks their own action done.
    const ownerBrowser = new Browser(app);
    await ownerBrowser.signIn(owner.email, TEST_PASSWORD);
    const step = `/learning/actions/${String(action.id)}/complete`;
    const completed = await submit(ownerBrowser, step, step, dateFields('done_on', '2026-11-25'));
    expect(completed.statusCode, completed.body).toBe(303);
    expect(await kysely().selectFrom('learning_action').select(['status', 'done_on', 'version']).where('id', '=', action.id).executeTakeFirstOrThrow()).toEqual({ status: 'done', done_on: '2026-11-25', version: 2 });
    expect(decodeEntities((await officer.get('/learning/actions/overdue')).body)).not.toContain('Rewrite the leaflet');
  });

  it('shows every problem on each form, keeps the answers and writes nothing', async () => {
    const lessons = await countOf('lesson');
    const empty = await submit(officer, '/learning/new', '/learning/new', {});
    expect(empty.statusCode).toBe(400);
    expect(errorSummary(empty.body)).toEqual(['Enter a title for the lesson', 'Enter what was learnt', 'Enter the date the lesson was identified', 'Enter the reference of a complaint, for example CSC-2026-0042']);
    const impossible = await submit(officer, '/learning/new', '/learning/new', { case_reference: complaint, title: 'Kept title', description: 'Kept text', ...dateFields('identified_on', '2026-02-30') });
    expect(impossible.statusCode).toBe(400);
    expect(errorSummary(impossible.body)).toEqual(['The date the lesson was identified must be a real date']);
    expect(impossible.body).toContain('value="Kept title"');
    expect(impossible.body).toContain('Kept text');
    expect(impossible.body).toContain('name="identified_on-day" type="text" value="30"');
    expect(await countOf('lesson')).toBe(lessons);

    const id = await newLesson('Errors lesson', complaint);
    const page = `/learning/${String(id)}`;
    const actions = await countOf('learning_action');
    const badAction = await submit(officer, `${page}/actions/new`, `${page}/actions/new`, { description: 'Kept action', owner_name: 'Pat', ...dateFields('due_on', '2026-09-01') });
    expect(badAction.statusCode).toBe(400);
    expect(errorSummary(badAction.body)).toEqual(['The date the action is due must be the same as or after the date the lesson was identified (1 October 2026)']);
    expect(badAction.body).toContain('value="Pat"');
    expect(await countOf('learning_action')).toBe(actions);

    const link = await officer.post(`${page}/complaints`, { version: '1', case_reference: 'CSC-2026-9999' }, page);
    expect(link.statusCode).toBe(400);
    expect(errorSummary(link.body)).toEqual(['There is no complaint CSC-2026-9999: enter the reference of a complaint, for example CSC-2026-0042']);
    expect(link.body).toContain('value="CSC-2026-9999"');
  });

  it('refuses a save over someone else’s newer change with 409, keeping the answers', async () => {
    const id = await newLesson('Stale lesson', complaint);
    const edit = `/learning/${String(id)}/edit`;
    const form = await officer.get(edit);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    await container.learning.link(id, otherComplaint, actor, 1);
    const stale = await officer.post(edit, { _csrf: csrf, version: '1', title: 'My new title', description: 'Text', ...dateFields('identified_on', '2026-10-01') });
    expect(stale.statusCode).toBe(409);
    expect(errorSummary(stale.body)[0]).toContain('Someone else changed this lesson');
    expect(stale.body).toContain('value="My new title"');
    expect(await kysely().selectFrom('lesson').select(['title', 'version']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ title: 'Stale lesson', version: 2 });

    const actionId = await container.learning.addAction(id, { description: 'Stale action', dueOn: '2026-12-01', ownerUserId: null, ownerName: 'Pat' }, actor);
    const step = `/learning/actions/${String(actionId)}/cancel`;
    const stepForm = await officer.get(step);
    const stepCsrf = /name="_csrf" value="([^"]+)"/.exec(stepForm.body)?.[1] ?? '';
    await container.learning.completeAction(actionId, '2026-11-20', actor, 1);
    const staleCancel = await officer.post(step, { _csrf: stepCsrf, version: '1', reason: 'Not needed' });
    expect(staleCancel.statusCode).toBe(409);
    expect(staleCancel.body).toContain('Not needed');
    expect(await kysely().selectFrom('learning_action').select(['status', 'cancelled_reason']).where('id', '=', actionId).executeTakeFirstOrThrow()).toEqual({ status: 'done', cancelled_reason: null });
  });

  it('lets each role do only what it may', async () => {
    const team = await teamIdsByName(container);
    const familyLesson = await newLesson('Family support lesson text', otherComplaint, team('Family Support'));
    const actionId = await container.learning.addAction(familyLesson, { description: 'Secret action text', dueOn: '2026-11-01', ownerUserId: null, ownerName: 'Pat Owner' }, actor);

    const viewer = await signedInAs(app, container, 'viewer');
    const viewerLog = decodeEntities((await viewer.get('/learning')).body);
    expect(viewerLog).toContain(`Lesson ${String(familyLesson)}`);
    expect(viewerLog).not.toContain('Family support lesson text');
    const viewerLesson = decodeEntities((await viewer.get(`/learning/${String(familyLesson)}`)).body);
    expect(viewerLesson).not.toContain('Secret action text');
    expect(viewerLesson).not.toContain('Pat Owner');
    expect(decodeEntities((await viewer.get('/learning/actions/overdue')).body)).not.toContain('Secret action text');
    expect((await viewer.get('/learning/new')).statusCode).toBe(403);
    expect((await viewer.get(`/learning/actions/${String(actionId)}/complete`)).statusCode).toBe(403);

    const fosteringManager = await aStaffMember(container, ['responding_manager'], 'Fostering');
    const manager = new Browser(app);
    await manager.signIn(fosteringManager.email, TEST_PASSWORD);
    expect((await manager.get('/learning')).statusCode).toBe(200);
    expect(decodeEntities((await manager.get('/learning')).body)).not.toContain('Family support lesson text');
    expect((await manager.get(`/learning/${String(familyLesson)}`)).statusCode).toBe(404);
    expect((await manager.get(`/learning/actions/${String(actionId)}/complete`)).statusCode).toBe(404);
    expect((await manager.get(`/learning/actions/${String(actionId)}/cancel`)).statusCode).toBe(403);

    const senior = await signedInAs(app, container, 'senior_manager');
    expect(decodeEntities((await senior.get(`/learning/${String(familyLesson)}`)).body)).toContain('Secret action text');
    const refused = await submit(senior, `/learning/actions/${String(actionId)}/complete`, `/learning/actions/${String(actionId)}/complete`, dateFields('done_on', '2026-11-20'));
    expect(refused.statusCode).toBe(403);
    expect(await kysely().selectFrom('learning_action').select('status').where('id', '=', actionId).executeTakeFirstOrThrow()).toEqual({ status: 'open' });

    const admin = await signedInAs(app, container, 'admin');
    expect((await admin.get('/learning')).statusCode).toBe(403);
    const investigator = await signedInAs(app, container, 'investigator');
    expect((await investigator.get('/learning/actions/overdue')).statusCode).toBe(403);
    expect((await officer.get('/learning/999999')).statusCode).toBe(404);
    expect(clock().toISOString()).toBe(NOW);
  });
});
