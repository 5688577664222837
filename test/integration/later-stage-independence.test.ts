/**
 * Independence at Stage 2 and the later-stage rules around it, through the step pages and the
 * API on both engines: an Independent Person who is not from outside the council, an
 * adjudicator who investigated the complaint or responded to it at Stage 1, a late panel
 * meeting or Stage 2 adjudication without reasons, and a panel member without a declaration.
 * Each refusal is shown (a GOV.UK error summary pointing at the answer, or the reason the step
 * cannot be taken) and coded in the API, and writes nothing: the case, its stages,
 * appointments, clocks, history and audit are as they were.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { TEST_PASSWORD, teamIdsByName, testClock, testContainer } from '../support/builders.ts';
import { Browser, dateFields, errorSummary } from '../support/http.ts';
import { PDF } from '../support/file-samples.ts';
import { createApp } from '../../src/web/app.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import { REPRESENTATION_SUBJECT } from '../../src/db/representation-repository.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import type { Role } from '../../src/domain/users/roles.ts';

const DECLARED = ['not_member', 'not_officer', 'not_spouse_or_partner'];
const CASE_TEAM = 'Care Management North';

interface Person {
  readonly actor: StaffActor;
  readonly name: string;
  readonly browser: Browser;
  readonly token: string;
}

type ApiError = { error: { code: string; message: string; problems?: { code: string; field: string | null; message: string }[] } };

describeEachEngine('Independence at Stage 2, and reasons for a late panel meeting', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: Person;
  let senior: Person;
  /** A senior manager who is also an investigating officer. */
  let seniorInvestigator: Person;
  /** A senior manager who is also a responding manager (of the case's team). */
  let seniorResponder: Person;
  let investigator: Person;
  let sequence = 0;
  const kysely = () => database().db.kysely;

  const person = async (roles: Role[], name: string, team?: string): Promise<Person> => {
    sequence += 1;
    const email = `independence-${String(sequence)}-${String(Date.now())}@test.example`;
    const { user } = await container.users.add({ email, name, roles, teamName: team, password: TEST_PASSWORD }, CLI_ACTOR);
    const browser = new Browser(app);
    await browser.signIn(email, TEST_PASSWORD);
    const { token } = await container.apiTokens.create(email, 'independence test', ['representations:read', 'representations:write'], CLI_ACTOR);
    return { actor: { userId: user.id, roles, teamId: user.teamId, ip: '192.0.2.9', requestId: 'r-test' }, name, browser, token };
  };

  const versionOf = async (reference: string): Promise<number> =>
    (await kysely().selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
  const idOf = async (reference: string): Promise<number> => (await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id;
  const take = async (reference: string, step: string, input: Record<string, unknown>, by: Person = officer): Promise<void> => {
    await container.laterStages.apply(reference, step, input, by.actor, await versionOf(reference));
  };
  const stepUrl = (reference: string, step: string) => `/cases/${reference}/stages/${step}`;
  /** Posts the step's page form, with the case's version and a CSRF token. */
  const postPage = async (who: Person, reference: string, step: string, form: Record<string, string | string[]>): Promise<LightMyRequestResponse> =>
    who.browser.post(stepUrl(reference, step), { _csrf: await who.browser.csrfToken('/dashboard'), version: String(await versionOf(reference)), ...form });
  const postApi = async (who: Person, reference: string, step: string, body: Record<string, unknown>): Promise<LightMyRequestResponse> =>
    app.inject({
      method: 'POST',
      url: `/api/v1/representations/${reference}/stages/${step}`,
      headers: { authorization: `Bearer ${who.token}` },
      payload: { version: await versionOf(reference), ...body },
    });
  const errorOf = (reply: LightMyRequestResponse): ApiError['error'] => reply.json<ApiError>().error;

  /** Everything a step could write about the case. */
  const footprint = async (reference: string) => {
    const id = await idOf(reference);
    const db = kysely();
    const [representation, stage2, stage3, appointments, points, clocks, history, audit, actions] = await Promise.all([
      db.selectFrom('representation').select(['version', 'status', 'stage', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow(),
      db.selectFrom('stage2').selectAll().where('representation_id', '=', id).execute(),
      db.selectFrom('stage3').selectAll().where('representation_id', '=', id).execute(),
      db.selectFrom('appointment').selectAll().where('representation_id', '=', id).orderBy('id').execute(),
      db.selectFrom('complaint_point').select(['number', 'finding']).where('representation_id', '=', id).orderBy('number').execute(),
      db.selectFrom('clock').select(['id', 'version', 'events', 'due_on', 'is_open']).where('subject_type', '=', REPRESENTATION_SUBJECT).where('subject_id', '=', id).orderBy('id').execute(),
      db.selectFrom('history_entry').select(['id', 'action']).where('subject_type', '=', REPRESENTATION_SUBJECT).where('subject_id', '=', id).orderBy('id').execute(),
      db.selectFrom('audit_event').select('id').where('entity_type', '=', REPRESENTATION_SUBJECT).where('entity_id', '=', String(id)).where('action', 'like', 'representation_%').execute(),
      db.selectFrom('learning_action').select('id').execute(),
    ]);
    return { representation, stage2, stage3, appointments, points, clocks, history, audit: audit.length, actions: actions.length };
  };

  /** A parent's complaint answered at Stage 1 (allocated to `responder` first, when given). */
  const answeredComplaint = async (responder?: Person): Promise<string> => {
    const teams = await teamIdsByName(container);
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-03-02', channel: 'letter', summary: 'The placement moved without warning.', complainant_role: 'parent' },
        teamIds: [teams(CASE_TEAM)],
        complainant: { name: 'Jo Parent' },
      },
      officer.actor,
    );
    if (made === undefined) throw new Error('nothing registered');
    if (responder !== undefined) await container.caseActions.apply(made.reference, 'allocate', { responder_user_id: responder.actor.userId }, officer.actor, await versionOf(made.reference));
    await container.caseActions.apply(made.reference, 'record_response', { responded_on: '2026-03-06', finding: 'not_upheld', remedies: ['explanation'] }, officer.actor, await versionOf(made.reference));
    return made.reference;
  };

  /** Stage 2 asked for and its statement agreed. */
  const stage2Requested = async (reference: string): Promise<void> => {
    await take(reference, 'request_stage2', { requested_on: '2026-03-10' });
    await take(reference, 'agree_statement', { statement_agreed_on: '2026-03-10', points: 'The move was not explained.\nNo one visited for a month.' });
  };

  /** Stage 2 ready for the adjudication: the investigator (an account, or a name only), the Independent Person, the report. */
  const readyToAdjudicate = async (responder: Person | undefined, investigating: { account?: Person; name: string }): Promise<string> => {
    const reference = await answeredComplaint(responder);
    await stage2Requested(reference);
    await take(reference, 'appoint_investigator', {
      name: investigating.name,
      ...(investigating.account === undefined ? {} : { user_id: investigating.account.actor.userId }),
      is_external: 'no',
      appointed_on: '2026-03-10',
    });
    await take(reference, 'appoint_independent_person', { name: 'Indie Person', is_external: 'yes', declarations: DECLARED, declared_on: '2026-03-10', appointed_on: '2026-03-10' });
    await take(reference, 'record_report', { report_received_on: '2026-04-01', report: { fileName: 'investigation-report.pdf', bytes: PDF } });
    return reference;
  };

  const ADJUDICATION = { finding_1: 'upheld', finding_2: 'not_upheld' };

  /** Adjudicated, a review panel asked for (on 8 April 2026: its meeting is due 30 working days later). */
  const panelRequested = async (): Promise<string> => {
    const reference = await readyToAdjudicate(undefined, { account: investigator, name: 'Ira Vestigate' });
    await take(reference, 'adjudicate', { responded_on: '2026-04-01', ...ADJUDICATION }, senior);
    await take(reference, 'request_stage3', { requested_on: '2026-04-08' });
    return reference;
  };

  const member = (n: number, name: string, declarations: string[] = DECLARED): Record<string, string | string[]> => ({
    [`member_${String(n)}_name`]: name,
    [`member_${String(n)}_declarations`]: declarations,
    ...dateFields(`member_${String(n)}_declared_on`, '2026-04-09'),
  });
  const apiMember = (n: number, name: string, declarations: string[] = DECLARED): Record<string, unknown> => ({
    [`member_${String(n)}_name`]: name,
    [`member_${String(n)}_declarations`]: declarations,
    [`member_${String(n)}_declared_on`]: '2026-04-09',
  });

  beforeAll(async () => {
    // Now (26 November 2026) is after every date below.
    container = await testContainer(database(), testClock());
    await container.demo.ensure();
    app = await createApp(container);
    officer = await person(['complaints_officer'], 'Olive Officer');
    senior = await person(['senior_manager'], 'Sasha Senior');
    seniorInvestigator = await person(['senior_manager', 'investigator'], 'Ivo Both');
    seniorResponder = await person(['senior_manager', 'responding_manager'], 'Rhea Both', CASE_TEAM);
    investigator = await person(['investigator'], 'Ira Vestigate');
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses an Independent Person who is not from outside the council, on the page and in the API, writing nothing', async () => {
    const reference = await answeredComplaint();
    await stage2Requested(reference);
    const before = await footprint(reference);
    const answers = { name: 'Ian Insider', is_external: 'no', declarations: DECLARED, ...dateFields('declared_on', '2026-03-11'), ...dateFields('appointed_on', '2026-03-11') };

    const page = await postPage(officer, reference, 'appoint_independent_person', answers);
    expect(page.statusCode).toBe(400);
    const [message] = errorSummary(page.body);
    expect(message).toContain('An Independent Person must be from outside the council');
    expect(page.body).toContain('href="#is_external"');
    expect(page.body).toContain('value="Ian Insider"'); // the answers are kept

    const reply = await postApi(officer, reference, 'appoint_independent_person', { name: 'Ian Insider', is_external: 'no', declarations: DECLARED, declared_on: '2026-03-11', appointed_on: '2026-03-11' });
    expect(reply.statusCode).toBe(400);
    expect(errorOf(reply).problems).toEqual([expect.objectContaining({ code: 'independent_person_not_external', field: 'is_external' })]);
    expect(await footprint(reference)).toEqual(before);

    // Someone from outside the council, who has declared it all, is appointed.
    const saved = await postPage(officer, reference, 'appoint_independent_person', { ...answers, name: 'Olu Outsider', is_external: 'yes' });
    expect(saved.statusCode, errorSummary(saved.body).join(' | ')).toBe(303);
    expect((await kysely().selectFrom('appointment').select(['name', 'is_external']).where('representation_id', '=', await idOf(reference)).execute())).toEqual([{ name: 'Olu Outsider', is_external: 1 }]);
  });

  it('refuses the investigating officer as the adjudicator, matched by account, on the page and in the API, writing nothing', async () => {
    const reference = await readyToAdjudicate(undefined, { account: seniorInvestigator, name: 'Ivo Both' });
    const before = await footprint(reference);

    const form = await seniorInvestigator.browser.get(stepUrl(reference, 'adjudicate'));
    expect(form.statusCode).toBe(400);
    expect(form.body).toContain('because you are its investigating officer');
    expect(form.body).not.toContain('name="version"');
    const page = await postPage(seniorInvestigator, reference, 'adjudicate', { ...dateFields('responded_on', '2026-04-02'), ...ADJUDICATION });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('another senior manager, independent of the investigation, must make the adjudication');

    const reply = await postApi(seniorInvestigator, reference, 'adjudicate', { responded_on: '2026-04-02', ...ADJUDICATION });
    expect(reply.statusCode).toBe(409);
    expect(errorOf(reply).code).toBe('adjudicator_not_independent');
    // The case page says why the step is not theirs, without a link to it.
    const casePage = await seniorInvestigator.browser.get(`/cases/${reference}`);
    expect(casePage.body).toContain('because you are its investigating officer');
    expect(casePage.body).not.toContain(`href="${stepUrl(reference, 'adjudicate')}"`);
    expect(await footprint(reference)).toEqual(before);

    // Another senior manager adjudicates.
    const other = await postApi(senior, reference, 'adjudicate', { responded_on: '2026-04-02', ...ADJUDICATION });
    expect(other.statusCode, other.body).toBe(200);
  });

  it('refuses an investigating officer appointed by name only as the adjudicator (in any case, with spaces), writing nothing', async () => {
    const reference = await readyToAdjudicate(undefined, { name: '  sasha   SENIOR ' });
    const before = await footprint(reference);
    const reply = await postApi(senior, reference, 'adjudicate', { responded_on: '2026-04-02', ...ADJUDICATION });
    expect(reply.statusCode).toBe(409);
    expect(errorOf(reply)).toMatchObject({ code: 'adjudicator_not_independent', message: expect.stringContaining('investigating officer') as unknown });
    const page = await postPage(senior, reference, 'adjudicate', { ...dateFields('responded_on', '2026-04-02'), ...ADJUDICATION });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('because you are its investigating officer');
    expect(await footprint(reference)).toEqual(before);
    expect((await postApi(seniorInvestigator, reference, 'adjudicate', { responded_on: '2026-04-02', ...ADJUDICATION })).statusCode).toBe(200);
  });

  it('refuses the Stage 1 responding manager as the adjudicator, writing nothing', async () => {
    const reference = await readyToAdjudicate(seniorResponder, { account: investigator, name: 'Ira Vestigate' });
    const before = await footprint(reference);
    const reply = await postApi(seniorResponder, reference, 'adjudicate', { responded_on: '2026-04-02', ...ADJUDICATION });
    expect(reply.statusCode).toBe(409);
    expect(errorOf(reply)).toMatchObject({ code: 'adjudicator_not_independent', message: expect.stringContaining('you responded to it at Stage 1') as unknown });
    const page = await postPage(seniorResponder, reference, 'adjudicate', { ...dateFields('responded_on', '2026-04-02'), ...ADJUDICATION });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('you responded to it at Stage 1');
    expect(await footprint(reference)).toEqual(before);
    expect((await postApi(senior, reference, 'adjudicate', { responded_on: '2026-04-02', ...ADJUDICATION })).statusCode).toBe(200);
  });

  it('asks for reasons for an adjudication after the Stage 2 due date, writing nothing without them', async () => {
    const reference = await readyToAdjudicate(undefined, { account: investigator, name: 'Ira Vestigate' });
    const before = await footprint(reference);
    const page = await postPage(senior, reference, 'adjudicate', { ...dateFields('responded_on', '2026-07-01'), ...ADJUDICATION });
    expect(page.statusCode).toBe(400);
    expect(errorSummary(page.body)).toEqual(['Select at least one reason for the delay: the response is after its due date']);
    expect(page.body).toContain('href="#delay_reasons"');
    const reply = await postApi(senior, reference, 'adjudicate', { responded_on: '2026-07-01', ...ADJUDICATION });
    expect(reply.statusCode).toBe(400);
    expect(errorOf(reply).problems).toEqual([expect.objectContaining({ code: 'delay_reasons_required', field: 'delay_reasons' })]);
    expect(await footprint(reference)).toEqual(before);

    const saved = await postApi(senior, reference, 'adjudicate', { responded_on: '2026-07-01', ...ADJUDICATION, delay_reasons: ['complex_multi_team'] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(await kysely().selectFrom('stage2').select(['delay_reasons', 'state']).where('representation_id', '=', await idOf(reference)).executeTakeFirstOrThrow()).toEqual({
      delay_reasons: 'complex_multi_team',
      state: 'adjudicated',
    });
  });

  it('asks for reasons for a panel meeting after its due date, writing nothing without them, and keeps them apart from the council response’s', async () => {
    const reference = await panelRequested();
    await take(reference, 'appoint_panel', { ...apiMember(1, 'Pat Chair'), ...apiMember(2, 'Robin Second'), ...apiMember(3, 'Quinn Third'), chair: '1', appointed_on: '2026-04-09' });
    const before = await footprint(reference);

    const page = await postPage(officer, reference, 'record_panel_meeting', { ...dateFields('panel_met_on', '2026-07-01'), attendees: 'The complainant.' });
    expect(page.statusCode).toBe(400);
    expect(errorSummary(page.body)).toEqual(['Select at least one reason for the delay: the panel met after its due date']);
    expect(page.body).toContain('href="#delay_reasons"');
    expect(page.body).toContain('id="delay_reasons"');
    const reply = await postApi(officer, reference, 'record_panel_meeting', { panel_met_on: '2026-07-01', attendees: 'The complainant.' });
    expect(reply.statusCode).toBe(400);
    expect(errorOf(reply).problems).toEqual([expect.objectContaining({ code: 'delay_reasons_required', field: 'delay_reasons' })]);
    expect(await footprint(reference)).toEqual(before);

    const saved = await postPage(officer, reference, 'record_panel_meeting', { ...dateFields('panel_met_on', '2026-07-01'), attendees: 'The complainant.', delay_reasons: ['consent_check', 'other'] });
    expect(saved.statusCode, errorSummary(saved.body).join(' | ')).toBe(303);
    const id = await idOf(reference);
    expect(await kysely().selectFrom('stage3').select(['panel_met_on', 'panel_delay_reasons', 'delay_reasons']).where('representation_id', '=', id).executeTakeFirstOrThrow()).toEqual({
      panel_met_on: '2026-07-01',
      panel_delay_reasons: 'consent_check,other',
      delay_reasons: null,
    });
    const history = await kysely().selectFrom('history_entry').select('summary').where('subject_id', '=', id).where('action', '=', 'record_panel_meeting').executeTakeFirstOrThrow();
    expect(history.summary).toBe('Review panel met (late)');
    // The case page and the API show them with Stage 3.
    const casePage = await officer.browser.get(`/cases/${reference}`);
    expect(casePage.body).toContain('Why the panel met late');
    expect(casePage.body).toContain('Checking the young person supports the complaint made for them');
    const stages = await app.inject({ method: 'GET', url: `/api/v1/representations/${reference}/stages`, headers: { authorization: `Bearer ${officer.token}` } });
    expect(stages.json<{ stage3: { panel_delay_reasons: string | null } }>().stage3.panel_delay_reasons).toBe('consent_check,other');
  });

  it('appoints the Stage 2 Independent Person again for Stage 3, by name alone once their account is no longer active', async () => {
    sequence += 1;
    const email = `independent-${String(sequence)}-${String(Date.now())}@test.example`;
    const { user } = await container.users.add({ email, name: 'Indra Pendent', roles: ['independent_person'], password: TEST_PASSWORD }, CLI_ACTOR);
    const reference = await answeredComplaint();
    await stage2Requested(reference);
    await take(reference, 'appoint_investigator', { name: 'Ira Vestigate', user_id: investigator.actor.userId, is_external: 'no', appointed_on: '2026-03-10' });
    await take(reference, 'appoint_independent_person', { name: 'Indra Pendent', user_id: user.id, is_external: 'yes', declarations: DECLARED, declared_on: '2026-03-10', appointed_on: '2026-03-10' });
    await take(reference, 'record_report', { report_received_on: '2026-04-01', report: { fileName: 'investigation-report.pdf', bytes: PDF } });
    await take(reference, 'adjudicate', { responded_on: '2026-04-01', ...ADJUDICATION }, senior);
    await container.users.setActive(email, false, CLI_ACTOR);

    // The request for a review panel is not refused for it: the Independent Person is appointed by name.
    await take(reference, 'request_stage3', { requested_on: '2026-04-08' });
    const rows = await kysely()
      .selectFrom('appointment')
      .select(['stage', 'role', 'user_id', 'name', 'declarations', 'appointed_on', 'ended_on'])
      .where('representation_id', '=', await idOf(reference))
      .where('role', '=', 'independent_person')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { stage: 2, role: 'independent_person', user_id: user.id, name: 'Indra Pendent', declarations: DECLARED.join(','), appointed_on: '2026-03-10', ended_on: '2026-04-01' },
      { stage: 3, role: 'independent_person', user_id: null, name: 'Indra Pendent', declarations: DECLARED.join(','), appointed_on: '2026-04-08', ended_on: null },
    ]);
    // And they still may not sit on the panel.
    const reply = await postApi(officer, reference, 'appoint_panel', { ...apiMember(1, 'Pat Chair'), ...apiMember(2, 'Indra Pendent'), ...apiMember(3, 'Quinn Third'), chair: '1', appointed_on: '2026-04-09' });
    expect(errorOf(reply).problems).toEqual([expect.objectContaining({ code: 'panel_includes_stage2_independent_person', field: 'member_2_name' })]);
  });

  it('points a missing panel declaration at that member’s checkboxes, naming them, writing nothing', async () => {
    const reference = await panelRequested();
    const before = await footprint(reference);
    const answers = { ...member(1, 'Pat Chair'), ...member(2, 'Robin Second', ['not_member', 'not_officer']), ...member(3, 'Quinn Third'), chair: '1', ...dateFields('appointed_on', '2026-04-09') };

    const page = await postPage(officer, reference, 'appoint_panel', answers);
    expect(page.statusCode).toBe(400);
    expect(errorSummary(page.body)).toEqual([
      'Panel member 2 (Robin Second) has not declared that they are not the spouse or civil partner of a member or officer of the council: they cannot sit on the panel unless they do',
    ]);
    expect(page.body).toContain('href="#member_2_declarations"');
    // The link lands on member 2's first checkbox, which shows the error.
    expect(page.body).toMatch(/<input class="govuk-checkboxes__input" id="member_2_declarations" name="member_2_declarations"/);
    expect(page.body).toContain('id="member_2_declarations-error"');

    const reply = await postApi(officer, reference, 'appoint_panel', { ...apiMember(1, 'Pat Chair'), ...apiMember(2, 'Robin Second', ['not_member']), ...apiMember(3, 'Quinn Third', ['not_officer']), chair: '1', appointed_on: '2026-04-09' });
    expect(reply.statusCode).toBe(400);
    expect(errorOf(reply).problems?.map((p) => [p.code, p.field])).toEqual([
      ['independence_not_declared', 'member_2_declarations'],
      ['independence_not_declared', 'member_3_declarations'],
    ]);
    expect(await footprint(reference)).toEqual(before);
  });
});
