/**
 * The Ombudsman register through its pages, on both engines: recording an enquiry about a
 * complaint, a request for information and its answer, the decision with its remedies and the
 * council's compliance — with every form's error states, the version check, access and audit.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { TEST_PASSWORD, testClock, testContainer } from '../support/builders.ts';
import { Browser, decodeEntities, errorSummary, signedInAs, dateFields } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import { formatPence, poundsToPence } from '../../src/domain/money.ts';

// Thursday 26 November 2026, 10am.
const NOW = '2026-11-26T10:00:00.000Z';


it('reads pounds as people type them', () => {
  expect(poundsToPence('250')).toBe(25_000);
  expect(poundsToPence('£1,250.50')).toBe(125_050);
  expect(poundsToPence('1,25')).toBeUndefined();
  expect(poundsToPence('12.5')).toBeUndefined();
  expect(formatPence(125_050)).toBe('£1,250.50');
  expect(formatPence(30_000)).toBe('£300');
});

describeEachEngine('the Ombudsman register', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: Browser;
  let actor: StaffActor;
  let complaint: string;
  const kysely = () => database().db.kysely;

  /** Opens a form page, then posts it with its CSRF token and version. */
  const submit = async (formUrl: string, postUrl: string, form: Record<string, string>): Promise<LightMyRequestResponse> => {
    const page = await officer.get(formUrl);
    expect(page.statusCode, page.body).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    return officer.post(postUrl, { _csrf: csrf, version, ...form });
  };
  const enquiry = (lgsco: string) => kysely().selectFrom('ombudsman_enquiry').selectAll().where('lgsco_reference', '=', lgsco).executeTakeFirstOrThrow();

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    app = await createApp(container);
    const email = `officer-${String(Math.random()).slice(2, 10)}@test.example`;
    const { user } = await container.users.add({ email, name: 'Test Officer', roles: ['complaints_officer'], password: TEST_PASSWORD }, CLI_ACTOR);
    officer = new Browser(app);
    await officer.signIn(email, TEST_PASSWORD);
    actor = { userId: user.id, roles: ['complaints_officer'], teamId: null, ip: '192.0.2.9', requestId: 'r-test' };
    const teamId = (await container.organisation.listTeams()).find((t) => t.name === 'Family Support')?.id ?? 0;
    const [made] = await container.registration.register(
      { fields: { kind: 'children_statutory', received_on: '2026-03-02', channel: 'email', summary: 'Contact was cancelled.', complainant_role: 'parent' }, teamIds: [teamId], complainant: { name: 'Sam Parent' } },
      actor,
    );
    complaint = made?.reference ?? '';
  });
  afterAll(async () => {
    await app.close();
  });

  it('records an enquiry, asks and answers for information, records the decision and the compliance', async () => {
    const created = await submit(`/ombudsman/new?case=${complaint}`, '/ombudsman/new', { case_reference: complaint, lgsco_reference: '26 001 234', ...dateFields('received_on', '2026-10-01') });
    expect(created.statusCode, created.body).toBe(303);
    const row = await enquiry('26 001 234');
    const page = `/ombudsman/${String(row.id)}`;
    expect(created.headers.location).toBe(page);

    const asked = await submit(`${page}/information-request`, `${page}/information-request`, { ...dateFields('requested_on', '2026-10-05'), ...dateFields('due_on', '2026-10-30'), details: 'The case notes for March' });
    expect(asked.statusCode, asked.body).toBe(303);
    let register = decodeEntities((await officer.get('/ombudsman?state=awaiting_information')).body);
    expect(register).toContain('26 001 234');
    expect(register).toContain('30 October 2026');

    const request = await kysely().selectFrom('ombudsman_information_request').selectAll().where('enquiry_id', '=', row.id).executeTakeFirstOrThrow();
    const answered = await submit(page, `${page}/requests/${String(request.id)}/answer`, dateFields('answered_on', '2026-10-20'));
    expect(answered.statusCode, answered.body).toBe(303);

    const decided = await submit(`${page}/decision`, `${page}/decision`, {
      decision: 'upheld',
      ...dateFields('decided_on', '2026-11-10'),
      fault: 'yes',
      injustice: 'yes',
      apology: 'yes',
      amount: '£300',
      service_improvements: 'Remind staff to give notice before cancelling contact.',
      ...dateFields('compliance_due_on', '2026-11-20'),
    });
    expect(decided.statusCode, decided.body).toBe(303);
    expect(await enquiry('26 001 234')).toMatchObject({ decision: 'upheld', is_fault: 1, is_injustice: 1, remedy_apology: 1, remedy_amount_pence: 30_000, compliance_due_on: '2026-11-20', version: 4 });
    // Due on 20 November, not done by 26 November: overdue.
    register = decodeEntities((await officer.get('/ombudsman?state=remedy_overdue')).body);
    expect(register).toContain('26 001 234');
    const detail = decodeEntities((await officer.get(page)).body);
    expect(detail).toContain('A payment of £300');

    const complied = await submit(`${page}/compliance`, `${page}/compliance`, dateFields('done_on', '2026-11-24'));
    expect(complied.statusCode, complied.body).toBe(303);
    expect(decodeEntities((await officer.get('/ombudsman?state=closed')).body)).toContain('26 001 234');
    const casePage = decodeEntities((await officer.get(`/cases/${complaint}`)).body);
    expect(casePage).toContain(`href="${page}">Enquiry 26 001 234</a>`);
    expect(casePage).toContain(`href="/ombudsman/new?case=${complaint}"`);

    // The complaint's timeline has each step; the audit has each change and view, with nothing personal.
    const representationId = row.representation_id;
    const history = await kysely().selectFrom('history_entry').select('action').where('subject_type', '=', 'representation').where('subject_id', '=', representationId).orderBy('id').execute();
    expect(history.map((h) => h.action).filter((a) => a.startsWith('ombudsman'))).toEqual([
      'ombudsman_enquiry_received',
      'ombudsman_information_requested',
      'ombudsman_information_sent',
      'ombudsman_decision',
      'ombudsman_compliance',
    ]);
    const audit = await kysely().selectFrom('audit_event').select(['action', 'details']).where('entity_type', '=', 'ombudsman_enquiry').where('entity_id', '=', String(row.id)).execute();
    expect(audit.map((a) => a.action)).toContain('ombudsman_enquiry_viewed');
    expect(JSON.stringify(audit)).not.toContain('Sam');
  });

  it('shows every problem on each form and writes nothing', async () => {
    const empty = await submit('/ombudsman/new', '/ombudsman/new', {});
    expect(empty.statusCode).toBe(400);
    expect(errorSummary(empty.body)).toEqual(['Enter the reference of a complaint, for example CSC-2026-0042']);
    const badDates = await submit('/ombudsman/new', '/ombudsman/new', { case_reference: complaint, lgsco_reference: '', ...dateFields('received_on', '2026-02-01') });
    expect(errorSummary(badDates.body)).toEqual([
      'Enter the Ombudsman’s reference',
      'The date the enquiry was received must be the same as or after the date the complaint was received (2 March 2026)',
    ]);

    await container.ombudsman.create(complaint, { lgscoReference: '26 001 999', receivedOn: '2026-10-01' }, actor);
    const { id } = await enquiry('26 001 999');
    const page = `/ombudsman/${String(id)}`;
    const duplicate = await submit('/ombudsman/new', '/ombudsman/new', { case_reference: complaint, lgsco_reference: '26 001 999', ...dateFields('received_on', '2026-10-01') });
    expect(errorSummary(duplicate.body)).toEqual(['There is already an enquiry with that Ombudsman reference']);

    const request = await submit(`${page}/information-request`, `${page}/information-request`, { ...dateFields('requested_on', '2026-10-05'), ...dateFields('due_on', '2026-10-01') });
    expect(errorSummary(request.body)).toEqual([
      'The date the answer is due must be the same as or after the date of the request (5 October 2026)',
      'Enter what the Ombudsman asked for',
    ]);

    const decision = await submit(`${page}/decision`, `${page}/decision`, { decision: 'upheld', ...dateFields('decided_on', '2026-11-10'), fault: 'no', amount: 'lots' });
    expect(errorSummary(decision.body)).toEqual([
      'An upheld complaint is one where the Ombudsman found fault: select Yes, or choose another decision',
      'Enter the amount in pounds, for example 250 or 1,250.50',
    ]);
    expect(decision.body).toContain('value="lots"');
    const noRemedy = await submit(`${page}/decision`, `${page}/decision`, { decision: 'not_upheld', ...dateFields('decided_on', '2026-11-10'), fault: 'no', ...dateFields('compliance_due_on', '2026-11-20') });
    expect(errorSummary(noRemedy.body)).toEqual(['Select or enter the remedy the council must carry out, or remove the date it is due']);

    const compliance = await submit(`${page}/compliance`, `${page}/compliance`, dateFields('done_on', '2026-11-24'));
    expect(errorSummary(compliance.body)).toEqual(['There is no remedy to comply with: record the Ombudsman’s decision and its remedies first']);

    expect(await enquiry('26 001 999')).toMatchObject({ version: 1, decision: null });
    expect(await kysely().selectFrom('ombudsman_information_request').select('id').where('enquiry_id', '=', id).execute()).toEqual([]);
  });

  it('refuses a save over someone else’s newer change with 409, keeping the answers', async () => {
    await container.ombudsman.create(complaint, { lgscoReference: '26 002 000', receivedOn: '2026-10-01' }, actor);
    const { id } = await enquiry('26 002 000');
    const page = `/ombudsman/${String(id)}`;
    const form = await officer.get(`${page}/decision`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    await container.ombudsman.addInformationRequest(id, { requestedOn: '2026-10-02', dueOn: '2026-10-16', details: 'Notes' }, actor, 1);
    const stale = await officer.post(`${page}/decision`, { _csrf: csrf, version: '1', decision: 'premature', ...dateFields('decided_on', '2026-11-10') });
    expect(stale.statusCode).toBe(409);
    expect(errorSummary(stale.body)[0]).toContain('Someone else changed this enquiry');
    expect(stale.body).toContain('value="premature" checked');
    expect(await enquiry('26 002 000')).toMatchObject({ version: 2, decision: null });
  });

  it('lets senior managers and viewers read the register but not change it; responding managers not at all', async () => {
    const viewer = await signedInAs(app, container, 'viewer');
    expect((await viewer.get('/ombudsman')).statusCode).toBe(200);
    expect((await viewer.get('/ombudsman/new')).statusCode).toBe(403);
    const senior = await signedInAs(app, container, 'senior_manager');
    expect((await senior.get('/ombudsman')).statusCode).toBe(200);
    const responder = await signedInAs(app, container, 'responding_manager');
    expect((await responder.get('/ombudsman')).statusCode).toBe(403);
    expect((await officer.get('/ombudsman/999999')).statusCode).toBe(404);
  });
});
