import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { TEST_PASSWORD, testClock, testContainer, teamIdsByName } from '../support/builders.ts';
import { Browser, decodeEntities, errorSummary, signedInAs, dateFields } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import type { Role } from '../../src/domain/users/roles.ts';
import { DomainError } from '../../src/domain/errors.ts';

// Thursday 26 November 2026, 10am.
const NOW = '2026-11-26T10:00:00.000Z';


describeEachEngine('Stage 1 actions from the case page', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officerActor: StaffActor;
  let officer: Browser;
  let rmNorth: { browser: Browser; id: number };
  let rmFostering: { browser: Browser; id: number };
  let viewer: Browser;
  let teamId: (name: string) => number;

  const kysely = () => database().db.kysely;

  const staff = async (roles: Role[], teamName?: string) => {
    const email = `${roles.join('-')}-${String(Math.random()).slice(2, 10)}@test.example`;
    const { user } = await container.users.add({ email, name: `Test ${roles.join(' ')} ${teamName ?? ''}`.trim(), roles, teamName, password: TEST_PASSWORD }, CLI_ACTOR);
    const browser = new Browser(app);
    await browser.signIn(email, TEST_PASSWORD);
    return { browser, id: user.id, actor: { userId: user.id, roles, teamId: user.teamId, ip: '192.0.2.9', requestId: 'r-test' } satisfies StaffActor };
  };

  const register = async (receivedOn: string, team = 'Care Management North'): Promise<string> => {
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: receivedOn, channel: 'email', via_complaints_team: 'yes', summary: 'Contact visits were cancelled.', complainant_role: 'parent' },
        teamIds: [teamId(team)],
        complainant: { name: 'Sam Parent', email: 'sam@example.org' },
      },
      officerActor,
    );
    if (made === undefined) throw new Error('nothing registered');
    return made.reference;
  };

  const url = (reference: string, action: string) => `/cases/${reference}/actions/${action}`;

  /** Opens the action's form and posts it with the version it shows. */
  const act = async (browser: Browser, reference: string, action: string, form: Record<string, string | string[]>): Promise<LightMyRequestResponse> => {
    const page = await browser.get(url(reference, action));
    expect(page.statusCode, page.body).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return browser.post(url(reference, action), { _csrf: csrf, version, ...form });
  };

  const representation = (reference: string) => kysely().selectFrom('representation').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
  const clocksOf = async (reference: string) => {
    const { id } = await representation(reference);
    const rows = await kysely().selectFrom('clock').selectAll().where('subject_type', '=', 'representation').where('subject_id', '=', id).orderBy('id').execute();
    return Object.fromEntries(rows.map((r) => [r.clock_key, { isOpen: r.is_open === 1, dueOn: r.due_on, events: JSON.parse(r.events) as Record<string, unknown> }]));
  };

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    app = await createApp(container);
    teamId = await teamIdsByName(container);
    const o = await staff(['complaints_officer']);
    officer = o.browser;
    officerActor = o.actor;
    rmNorth = await staff(['responding_manager'], 'Care Management North');
    rmFostering = await staff(['responding_manager'], 'Fostering');
    viewer = await signedInAs(app, container, 'viewer');
  });
  afterAll(async () => {
    await app.close();
  });

  it('takes a complaint through allocation, acknowledgement, response and closure', async () => {
    const reference = await register('2026-11-20');
    const casePage = await officer.get(`/cases/${reference}`);
    expect(casePage.body).toContain(`href="${url(reference, 'allocate')}"`);

    const allocateForm = await officer.get(url(reference, 'allocate'));
    expect(allocateForm.body).toContain(`value="${String(rmNorth.id)}"`);
    const allocated = await act(officer, reference, 'allocate', { responder_user_id: String(rmNorth.id) });
    expect(allocated.statusCode, allocated.body).toBe(303);
    expect(allocated.headers.location).toBe(`/cases/${reference}`);
    expect(await representation(reference)).toMatchObject({ status: 'allocated', responder_user_id: rmNorth.id, version: 2 });

    const acknowledged = await act(officer, reference, 'acknowledge', dateFields('acknowledged_on', '2026-11-23'));
    expect(acknowledged.statusCode, acknowledged.body).toBe(303);
    expect(await representation(reference)).toMatchObject({ status: 'allocated', acknowledged_on: '2026-11-23' });
    expect((await clocksOf(reference)).acknowledgement).toMatchObject({ isOpen: false, events: { stoppedOn: '2026-11-23' } });

    // The responding manager of the team answers it.
    const responded = await act(rmNorth.browser, reference, 'record_response', { ...dateFields('responded_on', '2026-11-26'), finding: 'partially_upheld', remedies: ['apology', 'explanation'] });
    expect(responded.statusCode, responded.body).toBe(303);
    const row = await representation(reference);
    expect(row).toMatchObject({ status: 'responded', responded_on: '2026-11-26', finding: 'partially_upheld' });
    const codes = await kysely().selectFrom('representation_code').select(['list', 'code']).where('representation_id', '=', row.id).where('list', '=', 'remedy').orderBy('code').execute();
    expect(codes.map((c) => c.code)).toEqual(['apology', 'explanation']);
    expect((await clocksOf(reference)).stage1_response).toMatchObject({ isOpen: false, events: { stoppedOn: '2026-11-26' } });
    expect((await officer.get(`/cases/${reference}`)).body).toContain('Responded in 4 working days');

    const closed = await act(officer, reference, 'close', dateFields('closed_on', '2026-11-26'));
    expect(closed.statusCode, closed.body).toBe(303);
    expect(await representation(reference)).toMatchObject({ status: 'closed', closed_on: '2026-11-26', version: 5 });

    const history = await kysely().selectFrom('history_entry').select(['action', 'summary', 'before', 'after']).where('subject_type', '=', 'representation').where('subject_id', '=', row.id).orderBy('id').execute();
    expect(history.map((h) => h.action)).toEqual(['registered', 'allocate', 'acknowledge', 'record_response', 'close']);
    expect(history[1]).toMatchObject({ summary: 'Allocated to a responding manager' });
    expect(JSON.parse(history[1]?.before ?? '{}')).toEqual({ status: 'registered', responder_user_id: null });
    expect(JSON.parse(history[1]?.after ?? '{}')).toEqual({ status: 'allocated', responder_user_id: rmNorth.id });
    expect(history.map((h) => h.summary).join(' ')).not.toContain('Sam');
    const audit = await kysely().selectFrom('audit_event').select(['action', 'user_id']).where('entity_type', '=', 'representation').where('entity_id', '=', String(row.id)).where('action', 'like', 'representation_%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['representation_registered', 'representation_allocate', 'representation_acknowledge', 'representation_record_response', 'representation_close']);
    expect(audit[3]?.user_id).toBe(rmNorth.id);
  });

  it('refuses a late response without reasons for the delay, and accepts it with them', async () => {
    // Received Monday 2 November: due Monday 16 November.
    const reference = await register('2026-11-02');
    const form = { ...dateFields('responded_on', '2026-11-26'), finding: 'not_upheld', remedies: ['explanation'] };
    const refused = await act(officer, reference, 'record_response', form);
    expect(refused.statusCode).toBe(400);
    expect(errorSummary(refused.body)).toEqual(['Select at least one reason for the delay: the response is after its due date']);
    expect(refused.body).toContain('name="responded_on-day" type="text" value="26"');
    expect((await representation(reference)).status).toBe('registered');

    const accepted = await act(officer, reference, 'record_response', { ...form, delay_reasons: ['complex_multi_team'] });
    expect(accepted.statusCode, accepted.body).toBe(303);
    expect(await representation(reference)).toMatchObject({ status: 'responded', finding: 'not_upheld' });
    expect((await officer.get(`/cases/${reference}`)).body).toContain('Responded in 18 working days, 8 working days late');
  });

  it('refuses an extension beyond the cap and records one within it', async () => {
    const reference = await register('2026-11-20');
    const form = { extension_reason: 'complexity', ...dateFields('complainant_told_on', '2026-11-25') };
    const refused = await act(officer, reference, 'extend', { ...form, extra_working_days: '11' });
    expect(refused.statusCode).toBe(400);
    expect(errorSummary(refused.body)).toEqual(['The time to respond can be extended to 20 working days at most: extend it by 10 working days or fewer']);
    expect((await clocksOf(reference)).stage1_response?.dueOn).toBe('2026-12-04');

    const extended = await act(officer, reference, 'extend', { ...form, extra_working_days: '10' });
    expect(extended.statusCode, extended.body).toBe(303);
    expect((await clocksOf(reference)).stage1_response).toMatchObject({ isOpen: true, dueOn: '2026-12-18' });
  });

  it('refuses a finding on a withdrawn complaint', async () => {
    const reference = await register('2026-11-20');
    const { version } = await representation(reference);
    await expect(container.caseActions.apply(reference, 'withdraw_by_complainant', { withdrawn_on: '2026-11-25', finding: 'upheld' }, officerActor, version)).rejects.toMatchObject({
      code: 'finding_on_withdrawn',
    });
    const withdrawn = await act(officer, reference, 'withdraw_by_complainant', dateFields('withdrawn_on', '2026-11-25'));
    expect(withdrawn.statusCode, withdrawn.body).toBe(303);
    expect(await representation(reference)).toMatchObject({ status: 'withdrawn', withdrawn_on: '2026-11-25', finding: null });
    expect(Object.values(await clocksOf(reference)).every((c) => !c.isOpen)).toBe(true);

    const page = await officer.get(url(reference, 'record_response'));
    expect(page.statusCode).toBe(400);
    expect(decodeEntities(page.body)).toContain('This complaint was withdrawn, so it has no response or finding');
    const after = await representation(reference);
    await expect(
      container.caseActions.apply(reference, 'record_response', { responded_on: '2026-11-26', finding: 'upheld', remedies: ['apology'] }, officerActor, after.version),
    ).rejects.toMatchObject({ code: 'finding_on_withdrawn' });
    expect((await representation(reference)).finding).toBeNull();
  });

  it('lets only responding managers of the team or the responder act, and viewers not at all', async () => {
    const reference = await register('2026-11-20');
    expect((await rmFostering.browser.get(url(reference, 'add_note'))).statusCode).toBe(404);
    expect((await rmFostering.browser.get(`/cases/${reference}`)).statusCode).toBe(404);
    const csrf = await rmFostering.browser.csrfToken('/cases');
    expect((await rmFostering.browser.post(url(reference, 'add_note'), { _csrf: csrf, version: '1', note: 'Hello' })).statusCode).toBe(404);

    const viewed = await viewer.get(url(reference, 'allocate'));
    expect(viewed.statusCode).toBe(403);
    expect((await viewer.get(`/cases/${reference}`)).body).not.toContain('/actions/');

    // Before allocation only the complaints team records the response; once allocated, the team's responding manager may.
    expect((await rmNorth.browser.get(url(reference, 'record_response'))).statusCode).toBe(403);
    expect((await act(officer, reference, 'allocate', { responder_user_id: String(rmNorth.id) })).statusCode).toBe(303);
    const responded = await act(rmNorth.browser, reference, 'record_response', { ...dateFields('responded_on', '2026-11-26'), finding: 'upheld', remedies: ['apology'] });
    expect(responded.statusCode, responded.body).toBe(303);
    expect((await representation(reference)).status).toBe('responded');
    expect((await rmNorth.browser.get(url(reference, 'close'))).statusCode).toBe(403);
  });

  it('refuses to allocate to someone who is not an active responding manager', async () => {
    const reference = await register('2026-11-20');
    const response = await act(officer, reference, 'allocate', { responder_user_id: String(officerActor.userId) });
    expect(response.statusCode).toBe(400);
    expect(errorSummary(response.body)).toEqual(['Select the responding manager from the list: they must be an active responding manager']);
    expect((await representation(reference)).status).toBe('registered');
  });

  it('refuses a save based on an older version of the case, keeping the answers and changing nothing', async () => {
    const reference = await register('2026-11-20');
    const page = await officer.get(url(reference, 'pause'));
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect(page.body).toContain('name="version" value="1"');
    // Someone else changes the case meanwhile.
    expect((await act(officer, reference, 'acknowledge', dateFields('acknowledged_on', '2026-11-23'))).statusCode).toBe(303);
    const before = await representation(reference);
    const clocksBefore = await clocksOf(reference);

    const stale = await officer.post(url(reference, 'pause'), { _csrf: csrf, version: '1', ...dateFields('paused_on', '2026-11-24'), reason: 'Waiting for the complainant’s consent.' });
    expect(stale.statusCode).toBe(409);
    expect(errorSummary(stale.body)[0]).toContain('Someone else changed this case');
    expect(decodeEntities(stale.body)).toContain('Waiting for the complainant’s consent.');
    expect(await representation(reference)).toEqual(before);
    expect(await clocksOf(reference)).toEqual(clocksBefore);
    await expect(container.caseActions.apply(reference, 'pause', { paused_on: '2026-11-24', reason: 'x' }, officerActor, 1)).rejects.toBeInstanceOf(DomainError);
  });

  it('lets an action go through when a colleague only added a note since its form was opened', async () => {
    const reference = await register('2026-11-20');
    // The officer opens the allocation form (version 1)…
    const page = await officer.get(url(reference, 'allocate'));
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect(page.body).toContain('name="version" value="1"');
    // …a colleague adds a note, from a form opened at version 1 too…
    const colleague = await staff(['complaints_manager']);
    expect((await act(colleague.browser, reference, 'add_note', { note: 'Spoke to the team manager.' })).statusCode).toBe(303);
    const afterNote = await representation(reference);
    expect(afterNote.version).toBe(1);
    // …and a second note from a form opened before the first still saves.
    expect((await container.caseActions.apply(reference, 'add_note', { note: 'Left a message.' }, colleague.actor, 1)).action).toBe('add_note');

    const saved = await officer.post(url(reference, 'allocate'), { _csrf: csrf, version: '1', responder_user_id: String(rmNorth.id) });
    expect(saved.statusCode, saved.body).toBe(303);
    const after = await representation(reference);
    expect(after.responder_user_id).toBe(rmNorth.id);
    expect(after.version).toBe(2);
    const notes = await kysely().selectFrom('case_note').select('body').where('representation_id', '=', after.id).orderBy('id').execute();
    expect(notes.map((n) => n.body)).toEqual(['Spoke to the team manager.', 'Left a message.']);
  });

  it('asks before allocating to a responding manager outside the case’s team, keeping the answers either way', async () => {
    const reference = await register('2026-11-20'); // Care Management North's
    const hiddenFields = (html: string): Record<string, string> =>
      Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1] ?? '', decodeEntities(m[2] ?? '')]));
    const name = 'Test responding_manager Fostering';

    const asked = await act(officer, reference, 'allocate', { responder_user_id: String(rmFostering.id) });
    expect(asked.statusCode).toBe(200);
    const text = decodeEntities(asked.body);
    expect(text).toContain(`Allocate to ${name} anyway?`);
    expect(text).toContain(`${name} is in Fostering, not Care Management North.`);
    expect((await representation(reference)).status).toBe('registered');
    const carried = hiddenFields(asked.body);
    expect(carried).toMatchObject({ version: '1', responder_user_id: String(rmFostering.id), confirm_step: 'other_team' });

    // No answer: asked again, with an error summary.
    const unanswered = await officer.post(url(reference, 'allocate'), carried);
    expect(unanswered.statusCode).toBe(400);
    expect(errorSummary(unanswered.body)).toEqual([`Select yes to allocate to ${name}, or no to choose someone else`]);

    // No: back to the form, the choice kept, nothing saved.
    const back = await officer.post(url(reference, 'allocate'), { ...hiddenFields(unanswered.body), confirm_other_team: 'no' });
    expect(back.statusCode).toBe(200);
    expect(back.body).toContain(`<option value="${String(rmFostering.id)}" selected>`);
    expect(back.body).toContain('name="version" value="1"');
    expect((await representation(reference)).responder_user_id).toBeNull();

    // Yes: saved.
    const saved = await officer.post(url(reference, 'allocate'), { ...carried, confirm_other_team: 'yes' });
    expect(saved.statusCode, saved.body).toBe(303);
    expect(await representation(reference)).toMatchObject({ status: 'allocated', responder_user_id: rmFostering.id });

    // A manager in the case's own team is allocated without the question.
    const other = await register('2026-11-20');
    expect((await act(officer, other, 'allocate', { responder_user_id: String(rmNorth.id) })).statusCode).toBe(303);
  });

  it('answers an unknown action with "Page not found"', async () => {
    const reference = await register('2026-11-20');
    expect((await officer.get(url(reference, 'fly_to_the_moon'))).statusCode).toBe(404);
    expect((await officer.get(url(reference, 'register'))).statusCode).toBe(404);
    expect((await officer.get(url('CSC-2026-9999', 'allocate'))).statusCode).toBe(404);
  });
});
