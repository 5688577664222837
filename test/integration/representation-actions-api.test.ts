import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { TEST_PASSWORD, testClock, testContainer } from '../support/builders.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { Role } from '../../src/domain/users/roles.ts';
import { transitionFor } from '../../src/domain/cases/stage1-workflow.ts';
import { API_ACTIONS, actionResultJson, actionsJson, statusForRefusal } from '../../src/api/representation-actions-api.ts';
import { listJson } from '../../src/api/representation-api.ts';
import { apiError } from '../../src/api/api-errors.ts';
import { DomainError } from '../../src/domain/errors.ts';

// Thursday 26 November 2026, 10am.
const NOW = '2026-11-26T10:00:00.000Z';

describe('statusForRefusal', () => {
  it('maps the domain refusals to statuses by their codes', () => {
    const status = (code: string, field?: string) => statusForRefusal(new DomainError(code, 'x', field));
    expect(status('case_not_found')).toBe(404);
    expect(status('unknown_action')).toBe(404);
    expect(status('role_may_not')).toBe(403);
    expect(status('not_allocated_to_you')).toBe(403);
    expect(status('stale_update')).toBe(409);
    expect(status('action_not_allowed_in_status')).toBe(409);
    expect(status('already_acknowledged')).toBe(409);
    expect(status('advocacy_offer_required')).toBe(409);
    // The same code about a value sent is a problem with the request.
    expect(status('finding_on_withdrawn')).toBe(409);
    expect(status('finding_on_withdrawn', 'finding')).toBe(400);
    expect(status('missing_responded_on', 'responded_on')).toBe(400);
    expect(status('extension_beyond_cap', 'extra_working_days')).toBe(400);
  });
});

describeEachEngine('Stage 1 actions API', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: string;
  let readOnlyOfficer: string;
  let rmNorth: { token: string; id: number };
  let rmFostering: { token: string; id: number };
  let viewer: string;

  const kysely = () => database().db.kysely;

  const tokenFor = async (roles: Role[], scopes: string[], teamName?: string) => {
    const email = `${roles.join('-')}-${String(Math.random()).slice(2, 10)}@test.example`;
    const { user } = await container.users.add({ email, name: `Test ${roles.join(' ')}`, roles, teamName, password: TEST_PASSWORD }, CLI_ACTOR);
    const { token } = await container.apiTokens.create(email, 'test integration', scopes, CLI_ACTOR);
    return { token, id: user.id };
  };

  const call = (method: 'GET' | 'POST', url: string, token: string | undefined, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method,
      url,
      headers: { ...headers, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const actionsUrl = (reference: string) => `/api/v1/representations/${reference}/actions`;
  const actionUrl = (reference: string, action: string) => `${actionsUrl(reference)}/${action}`;

  const representation = (reference: string) => kysely().selectFrom('representation').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
  const historyOf = async (id: number) =>
    kysely().selectFrom('history_entry').selectAll().where('subject_type', '=', 'representation').where('subject_id', '=', id).orderBy('id').execute();
  const clocksOf = async (id: number) => kysely().selectFrom('clock').selectAll().where('subject_type', '=', 'representation').where('subject_id', '=', id).orderBy('id').execute();

  /** Registers a complaint about Care Management North through the API; returns its reference. */
  const register = async (receivedOn = '2026-11-20', team = 'Care Management North'): Promise<string> => {
    const response = await call('POST', '/api/v1/representations', officer, {
      kind: 'children_statutory',
      received_on: receivedOn,
      channel: 'email',
      summary: 'Contact visits were cancelled without notice.',
      complainant_role: 'parent',
      teams: [team],
      complainant: { name: 'Sam Parent', email: 'sam@example.org' },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ representations: { reference: string }[] }>().representations[0]?.reference ?? '';
  };

  const versionOf = async (reference: string) => (await representation(reference)).version;

  /** Takes an action with the case's current version; expects it done and returns the reply, checked against its schema. */
  const act = async (token: string, reference: string, action: string, fields: Record<string, unknown>) => {
    const response = await call('POST', actionUrl(reference, action), token, { version: await versionOf(reference), ...fields });
    expect(response.statusCode, response.body).toBe(200);
    return actionResultJson.parse(response.json());
  };

  const errorOf = (response: LightMyRequestResponse) => apiError.parse(response.json());

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    app = await createApp(container);
    const o = await tokenFor(['complaints_officer'], ['representations:read', 'representations:write']);
    officer = o.token;
    readOnlyOfficer = (await tokenFor(['complaints_officer'], ['representations:read'])).token;
    rmNorth = await tokenFor(['responding_manager'], ['representations:read', 'representations:write'], 'Care Management North');
    rmFostering = await tokenFor(['responding_manager'], ['representations:read', 'representations:write'], 'Fostering');
    viewer = (await tokenFor(['viewer'], ['representations:read', 'representations:write'])).token;
  });
  afterAll(async () => {
    await app.close();
  });

  it('takes a complaint through the whole of Stage 1', async () => {
    const reference = await register('2026-11-20');

    const listed = await call('GET', actionsUrl(reference), officer);
    expect(listed.statusCode, listed.body).toBe(200);
    const before = actionsJson.parse(listed.json());
    expect(before).toMatchObject({ reference, status: 'registered', version: 1 });
    expect(listed.headers.etag).toBe('"1"');
    expect(before.clocks.map((c) => [c.key, c.due_on, c.tag])).toEqual([
      ['acknowledgement', '2026-11-24', 'overdue'],
      ['stage1_response', '2026-12-04', 'on_track'],
    ]);
    const allocate = before.actions.find((a) => a.action === 'allocate');
    expect(allocate).toMatchObject({ is_allowed: true, held_back: null, href: `/api/v1/representations/${reference}/actions/allocate` });
    expect(allocate?.fields).toEqual([expect.objectContaining({ name: 'responder_user_id', type: 'id', required: true })]);
    expect(allocate?.fields[0]?.choices).toContainEqual({ id: rmNorth.id, name: 'Test responding_manager', team: 'Care Management North' });

    const allocated = await act(officer, reference, 'allocate', { responder_user_id: rmNorth.id });
    expect(allocated).toMatchObject({ reference, status: 'allocated', version: 2, action: { action: 'allocate', from: 'registered', to: 'allocated', acting_role: 'complaints_officer' } });

    const acknowledged = await act(officer, reference, 'acknowledge', { acknowledged_on: '2026-11-23' });
    expect(acknowledged.version).toBe(3);
    expect(acknowledged.clocks.find((c) => c.key === 'acknowledgement')).toMatchObject({ is_open: false, tag: 'met' });

    const extended = await act(officer, reference, 'extend', { extra_working_days: 5, extension_reason: 'complexity', complainant_told_on: '2026-11-24' });
    expect(extended.clocks.find((c) => c.key === 'stage1_response')).toMatchObject({ due_on: '2026-12-11', is_open: true });

    // A hold on a Children Act clock is shown, but the deadline stands: the Regulations have no pause.
    const held = await act(officer, reference, 'pause', { paused_on: '2026-11-24', reason: 'Waiting for the complainant to agree what the complaint is.' });
    expect(held.clocks.find((c) => c.key === 'stage1_response')).toMatchObject({ due_on: '2026-12-11', tag: 'on_track', text: expect.stringMatching(/^On hold: due in \d+ working days$/) as unknown });
    const resumed = await act(officer, reference, 'resume', { resumed_on: '2026-11-25', reason: 'The complainant agreed.' });
    expect(resumed.clocks.find((c) => c.key === 'stage1_response')).toMatchObject({ due_on: '2026-12-11', tag: 'on_track', text: expect.stringMatching(/^Due in/) as unknown });

    // The team's responding manager answers it, with a finding and remedies.
    const responded = await act(rmNorth.token, reference, 'record_response', { responded_on: '2026-11-26', finding: 'partially_upheld', remedies: ['apology', 'explanation'] });
    expect(responded).toMatchObject({ status: 'responded', version: 7, action: { to: 'responded', acting_role: 'responding_manager', is_late: false } });
    expect(responded.clocks.find((c) => c.key === 'stage1_response')).toMatchObject({ is_open: false, tag: 'met' });

    const closed = await act(officer, reference, 'close', { closed_on: '2026-11-26' });
    expect(closed).toMatchObject({ status: 'closed', version: 8 });

    const row = await representation(reference);
    expect(row).toMatchObject({ status: 'closed', responder_user_id: rmNorth.id, acknowledged_on: '2026-11-23', responded_on: '2026-11-26', finding: 'partially_upheld', closed_on: '2026-11-26', version: 8 });
    const remedies = await kysely().selectFrom('representation_code').select('code').where('representation_id', '=', row.id).where('list', '=', 'remedy').orderBy('code').execute();
    expect(remedies.map((r) => r.code)).toEqual(['apology', 'explanation']);
    expect((await historyOf(row.id)).map((h) => h.action)).toEqual(['registered', 'allocate', 'acknowledge', 'extend', 'pause', 'resume', 'record_response', 'close']);
    const audit = await kysely()
      .selectFrom('audit_event')
      .select(['action', 'user_id', 'details'])
      .where('entity_type', '=', 'representation')
      .where('entity_id', '=', String(row.id))
      .where('action', 'like', 'representation_%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'representation_registered',
      'representation_allocate',
      'representation_acknowledge',
      'representation_extend',
      'representation_pause',
      'representation_resume',
      'representation_record_response',
      'representation_close',
    ]);
    expect(audit.find((a) => a.action === 'representation_record_response')?.user_id).toBe(rmNorth.id);
    expect(audit.map((a) => a.details ?? '').join(' ')).not.toMatch(/Sam|Contact visits|complainant agreed/);

    // Closed: nothing more to do at Stage 1 but add a note.
    const after = actionsJson.parse((await call('GET', actionsUrl(reference), officer)).json());
    expect(after.actions.map((a) => a.action)).toEqual(['add_note']);
  });

  it('lists the actions from the Stage 1 table, held back ones with their reason', async () => {
    const reference = await register('2026-11-20');
    const { actions, status } = actionsJson.parse((await call('GET', actionsUrl(reference), officer)).json());
    for (const listed of actions) {
      const transition = transitionFor(status, listed.action);
      expect(transition, listed.action).toBeDefined();
      const names = [...new Set([...(transition?.records ?? []).map((r) => r.field), ...(transition?.optional ?? [])])];
      expect(listed.fields.map((f) => f.name)).toEqual(names);
    }
    const response = actions.find((a) => a.action === 'record_response');
    expect(response?.fields).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'responded_on', type: 'date', required: true, required_when: null }),
      expect.objectContaining({ name: 'finding', type: 'code', required: false, required_when: 'kind_has_procedure', codes: expect.arrayContaining(['upheld', 'not_upheld']) as string[] }),
      expect.objectContaining({ name: 'remedies', type: 'codes', required: false, required_when: 'kind_has_procedure', codes: expect.arrayContaining(['apology']) as string[] }),
      expect.objectContaining({ name: 'delay_reasons', type: 'codes', required: false, required_when: 'response_is_late' }),
    ]));
    expect(actions.find((a) => a.action === 'extend')?.fields.find((f) => f.name === 'extra_working_days')).toMatchObject({ type: 'count', min: 1 });
    expect(actions.find((a) => a.action === 'add_note')?.fields).toEqual([expect.objectContaining({ name: 'note', type: 'text', max_length: 10_000 })]);
    expect(actions.every((a) => (API_ACTIONS as readonly string[]).includes(a.action))).toBe(true);

    await act(officer, reference, 'acknowledge', { acknowledged_on: '2026-11-23' });
    const again = actionsJson.parse((await call('GET', actionsUrl(reference), officer)).json());
    expect(again.actions.find((a) => a.action === 'acknowledge')).toMatchObject({
      is_allowed: false,
      held_back: { code: 'already_acknowledged', message: 'The acknowledgement was recorded on 23 November 2026' },
    });

    // A viewer may see the case's figures but takes no action; a responding manager of another team may not know of it.
    const viewed = await call('GET', actionsUrl(reference), viewer);
    expect(viewed.statusCode).toBe(200);
    expect(actionsJson.parse(viewed.json()).actions).toEqual([]);
    expect(errorOf(await call('GET', actionsUrl(reference), rmFostering.token)).error.code).toBe('case_not_found');
    expect((await call('GET', actionsUrl(reference), rmFostering.token)).statusCode).toBe(404);
    expect((await call('GET', actionsUrl('CSC-2026-9999'), officer)).statusCode).toBe(404);
    expect((await call('GET', actionsUrl('nonsense'), officer)).statusCode).toBe(404);
  });

  it('answers bad values with 400 listing every problem, and writes nothing', async () => {
    const reference = await register('2026-11-02');
    const row = await representation(reference);
    const historyBefore = await historyOf(row.id);

    const missing = await call('POST', actionUrl(reference, 'record_response'), officer, { version: row.version });
    expect(missing.statusCode).toBe(400);
    expect(errorOf(missing).error.code).toBe('missing_responded_on');
    expect(errorOf(missing).error.problems?.map((p) => [p.code, p.field])).toEqual([
      ['missing_responded_on', 'responded_on'],
      ['missing_finding', 'finding'],
      ['missing_remedies', 'remedies'],
    ]);

    const bad = await call('POST', actionUrl(reference, 'record_response'), officer, { version: row.version, responded_on: '2026-02-30', finding: 'great', remedies: ['apology', 'cake'] });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).error.problems?.map((p) => [p.code, p.field])).toEqual([
      ['invalid_responded_on', 'responded_on'],
      ['invalid_finding', 'finding'],
      ['invalid_remedies', 'remedies'],
    ]);

    // Received 2 November: due 16 November, so a response today is late and needs its reasons.
    const late = await call('POST', actionUrl(reference, 'record_response'), officer, { version: row.version, responded_on: '2026-11-26', finding: 'not_upheld', remedies: ['explanation'] });
    expect(errorOf(late).error).toMatchObject({ code: 'delay_reasons_required', problems: [{ field: 'delay_reasons' }] });

    const wrongTypes = await call('POST', actionUrl(reference, 'extend'), officer, { version: row.version, extra_working_days: 'lots', extension_reason: 42, complainant_told_on: 20261124 });
    expect(errorOf(wrongTypes).error.problems?.map((p) => p.code)).toEqual(['invalid_extra_working_days', 'invalid_extension_reason', 'invalid_complainant_told_on']);
    const recent = await register('2026-11-20');
    const beyondCap = await call('POST', actionUrl(recent, 'extend'), officer, { version: 1, extra_working_days: 11, extension_reason: 'complexity', complainant_told_on: '2026-11-24' });
    expect(beyondCap.statusCode).toBe(400);
    expect(errorOf(beyondCap).error).toMatchObject({ code: 'extension_beyond_cap', problems: [{ field: 'extra_working_days' }] });

    const unknown = await call('POST', actionUrl(reference, 'acknowledge'), officer, { version: row.version, acknowledged_on: '2026-11-23', finding: 'upheld', colour: 'blue' });
    expect(errorOf(unknown).error.problems?.map((p) => [p.code, p.field])).toEqual([
      ['unknown_field', 'finding'],
      ['unknown_field', 'colour'],
    ]);
    const withdrawnWithFinding = await call('POST', actionUrl(reference, 'withdraw_by_complainant'), officer, { version: row.version, withdrawn_on: '2026-11-25', finding: 'upheld' });
    expect(withdrawnWithFinding.statusCode).toBe(400);
    expect(errorOf(withdrawnWithFinding).error).toMatchObject({ code: 'finding_on_withdrawn', problems: [{ field: 'finding' }] });

    const noVersion = await call('POST', actionUrl(reference, 'acknowledge'), officer, { acknowledged_on: '2026-11-23' });
    expect(errorOf(noVersion).error).toMatchObject({ code: 'missing_version', problems: [{ field: 'version' }] });
    const badVersion = await call('POST', actionUrl(reference, 'acknowledge'), officer, { version: '1', acknowledged_on: '2026-11-23' });
    expect(errorOf(badVersion).error.code).toBe('invalid_version');
    const disagreeing = await call('POST', actionUrl(reference, 'acknowledge'), officer, { version: 1, acknowledged_on: '2026-11-23' }, { 'if-match': '"2"' });
    expect(errorOf(disagreeing).error.code).toBe('invalid_version');
    const notAnObject = await call('POST', actionUrl(reference, 'acknowledge'), officer, [1, 2]);
    expect(notAnObject.statusCode).toBe(400);
    expect(errorOf(notAnObject).error.code).toBe('invalid_request');

    expect(await representation(reference)).toEqual(row);
    expect(await historyOf(row.id)).toEqual(historyBefore);
  });

  it('refuses a change based on an older version with 409, writing nothing', async () => {
    const reference = await register('2026-11-20');
    // Someone else acknowledges it meanwhile.
    await act(officer, reference, 'acknowledge', { acknowledged_on: '2026-11-23' });
    const row = await representation(reference);
    const history = await historyOf(row.id);
    const clocks = await clocksOf(row.id);
    const auditCount = (await kysely().selectFrom('audit_event').select('id').execute()).length;

    const stale = await call('POST', actionUrl(reference, 'pause'), officer, { version: 1, paused_on: '2026-11-24', reason: 'Waiting.' });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale).error).toEqual({ code: 'stale_update', message: 'Someone else changed this case while you were working on it. Check the case, then save your answers again.' });
    const staleHeader = await call('POST', actionUrl(reference, 'pause'), officer, { paused_on: '2026-11-24', reason: 'Waiting.' }, { 'if-match': 'W/"1"' });
    expect(staleHeader.statusCode).toBe(409);
    expect(errorOf(staleHeader).error.code).toBe('stale_update');

    expect(await representation(reference)).toEqual(row);
    expect(await historyOf(row.id)).toEqual(history);
    expect(await clocksOf(row.id)).toEqual(clocks);
    expect(await kysely().selectFrom('case_note').select('id').where('representation_id', '=', row.id).execute()).toEqual([]);
    expect((await kysely().selectFrom('audit_event').select('id').execute()).length).toBe(auditCount);

    // A note only adds to the case: an older version does not stop it, and it leaves the version as it was.
    const note = await call('POST', actionUrl(reference, 'add_note'), officer, { version: 1, note: 'Rang the complainant back.' });
    expect(note.statusCode, note.body).toBe(200);
    expect(note.headers.etag).toBe(`"${String(row.version)}"`);

    // With the version read again it goes through, If-Match as well as the body.
    const fresh = await call('POST', actionUrl(reference, 'pause'), officer, { paused_on: '2026-11-24', reason: 'Waiting.' }, { 'if-match': `"${String(row.version)}"` });
    expect(fresh.statusCode, fresh.body).toBe(200);
    expect(fresh.headers.etag).toBe(`"${String(row.version + 1)}"`);
  });

  it('refuses with 409 what the case’s state does not allow', async () => {
    const reference = await register('2026-11-20');
    await act(officer, reference, 'acknowledge', { acknowledged_on: '2026-11-23' });
    const twice = await call('POST', actionUrl(reference, 'acknowledge'), officer, { version: await versionOf(reference), acknowledged_on: '2026-11-24' });
    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice).error).toEqual({ code: 'already_acknowledged', message: 'The acknowledgement was recorded on 23 November 2026' });

    await act(officer, reference, 'withdraw_by_complainant', { withdrawn_on: '2026-11-25' });
    const allocate = await call('POST', actionUrl(reference, 'allocate'), officer, { version: await versionOf(reference), responder_user_id: rmNorth.id });
    expect(allocate.statusCode).toBe(409);
    expect(errorOf(allocate).error.code).toBe('action_not_allowed_in_status');
    const respond = await call('POST', actionUrl(reference, 'record_response'), officer, { version: await versionOf(reference), responded_on: '2026-11-26' });
    expect(respond.statusCode).toBe(409);
    expect(errorOf(respond).error.code).toBe('finding_on_withdrawn');
    expect(await representation(reference)).toMatchObject({ status: 'withdrawn', finding: null, responder_user_id: null });
  });

  it('checks who may act: 401 without a live token, 403 without the scope or role, 404 for a case not theirs', async () => {
    const reference = await register('2026-11-20');
    const version = await versionOf(reference);
    const note = { version, note: 'Called the team.' };

    const anonymous = await call('POST', actionUrl(reference, 'add_note'), undefined, note);
    expect(anonymous.statusCode).toBe(401);
    expect(errorOf(anonymous).error.code).toBe('unauthenticated');
    expect((await call('GET', actionsUrl(reference), undefined)).statusCode).toBe(401);
    expect((await call('POST', actionUrl(reference, 'add_note'), 'rdr_forged', note)).statusCode).toBe(401);
    const revoked = await tokenFor(['complaints_officer'], ['representations:read', 'representations:write']);
    const [made] = (await container.apiTokens.list()).filter((t) => t.userId === revoked.id);
    await container.apiTokens.revoke(made?.id ?? 0, CLI_ACTOR);
    expect((await call('POST', actionUrl(reference, 'add_note'), revoked.token, note)).statusCode).toBe(401);

    const readOnly = await call('POST', actionUrl(reference, 'add_note'), readOnlyOfficer, note);
    expect(readOnly.statusCode).toBe(403);
    expect(errorOf(readOnly).error.code).toBe('forbidden');

    const byViewer = await call('POST', actionUrl(reference, 'add_note'), viewer, note);
    expect(byViewer.statusCode).toBe(403);
    expect(errorOf(byViewer).error).toMatchObject({ code: 'role_may_not', message: 'Your role does not allow you to add a note' });

    // Before allocation only the complaints team records the response.
    const early = await call('POST', actionUrl(reference, 'record_response'), rmNorth.token, { version, responded_on: '2026-11-26', finding: 'upheld', remedies: ['apology'] });
    expect(early.statusCode).toBe(403);
    expect(errorOf(early).error.code).toBe('role_may_not');

    const otherTeam = await call('POST', actionUrl(reference, 'add_note'), rmFostering.token, note);
    expect(otherTeam.statusCode).toBe(404);
    expect(errorOf(otherTeam).error.code).toBe('case_not_found');
    expect(errorOf(await call('POST', actionUrl('CSC-2026-9999', 'add_note'), officer, note)).error.code).toBe('case_not_found');
    expect(errorOf(await call('POST', actionUrl(reference, 'fly_to_the_moon'), officer, note)).error.code).toBe('unknown_action');
    expect((await call('POST', actionUrl(reference, 'register'), officer, note)).statusCode).toBe(404);

    const ownTeam = await call('POST', actionUrl(reference, 'add_note'), rmNorth.token, note);
    expect(ownTeam.statusCode, ownTeam.body).toBe(200);
    expect(await kysely().selectFrom('case_note').select(['body', 'user_id']).where('representation_id', '=', (await representation(reference)).id).execute()).toEqual([
      { body: 'Called the team.', user_id: rmNorth.id },
    ]);
  });

  it('lists work queues with the Cases page’s filters, as each user may see them', async () => {
    const north = await register('2026-11-20');
    const fostering = await register('2026-11-19', 'Fostering');
    const list = async (token: string, query: string) => {
      const response = await call('GET', `/api/v1/representations${query}`, token);
      expect(response.statusCode, response.body).toBe(200);
      return listJson.parse(response.json());
    };

    const all = await list(officer, '?queue=all');
    expect(all).toMatchObject({ queue: 'all', page: 1, page_size: 50 });
    expect(all.representations.map((r) => r.reference)).toEqual(expect.arrayContaining([north, fostering]));
    expect(all.representations.find((r) => r.reference === north)).toMatchObject({ team: 'Care Management North', status: 'registered', href: `/api/v1/representations/${north}` });

    const byTeamName = await list(officer, '?queue=all&team=fostering');
    expect(byTeamName.representations.map((r) => r.reference)).toEqual([fostering]);
    const teams = await container.organisation.listTeams();
    const fosteringId = teams.find((t) => t.name === 'Fostering')?.id ?? 0;
    expect((await list(officer, `?team=${String(fosteringId)}&status=registered&kind=children_statutory`)).representations.map((r) => r.reference)).toEqual([fostering]);
    expect((await list(officer, `?q=${north}`)).representations.map((r) => r.reference)).toEqual([north]);
    expect((await list(officer, '?q=Sam%20Parent&queue=all')).total).toBeGreaterThanOrEqual(2);
    expect((await list(officer, '?queue=awaiting_allocation&page=999')).page).toBe(1);

    // A responding manager sees their own team's cases only; a viewer no one's personal details.
    const mine = await list(rmFostering.token, '?queue=all');
    expect(mine.representations.map((r) => r.reference)).toEqual([fostering]);
    expect((await list(viewer, '?queue=all')).total).toBe(all.total);
    expect((await list(viewer, '?q=Sam%20Parent&queue=all')).total).toBe(0);
    expect((await call('GET', '/api/v1/representations?queue=all', viewer)).body).not.toContain('Sam');

    const bad = await call('GET', '/api/v1/representations?queue=everything&status=lost&page=0', officer);
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).error.problems?.map((p) => p.field)).toEqual(['queue', 'status', 'page']);
    expect(errorOf(await call('GET', '/api/v1/representations?team=Nowhere', officer)).error.code).toBe('team_unknown');
    expect((await call('GET', '/api/v1/representations', undefined)).statusCode).toBe(401);
  });

  it('audits every read of a case as the case page does, without personal details', async () => {
    const reference = await register('2026-11-20');
    const { id } = await representation(reference);
    const read = await call('GET', `/api/v1/representations/${reference}`, viewer);
    expect(read.statusCode).toBe(200);
    expect(read.json<Record<string, unknown>>().personal).toBeUndefined();
    expect(errorOf(await call('GET', `/api/v1/representations/${reference}`, rmFostering.token)).error.code).toBe('case_not_found');
    const audit = await kysely().selectFrom('audit_event').select(['action', 'details']).where('entity_id', '=', String(id)).where('action', 'like', 'case_view%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['case_viewed', 'case_view_refused']);
    expect(JSON.parse(audit[0]?.details ?? '{}')).toEqual({ reference, visibility: 'figures' });
    expect(audit.map((a) => a.details ?? '').join(' ')).not.toMatch(/Sam|Contact visits/);
  });

  it('documents the routes, actions and error codes in the OpenAPI document', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json<{ paths: Record<string, Record<string, { tags?: string[]; parameters?: { name: string; schema?: { enum?: string[] } }[]; responses: Record<string, { description: string }> }>> }>();
    const list = document.paths['/api/v1/representations']?.get;
    const actions = document.paths['/api/v1/representations/{reference}/actions']?.get;
    const take = document.paths['/api/v1/representations/{reference}/actions/{action}']?.post;
    expect(list?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['queue', 'kind', 'team', 'status', 'q', 'page']));
    expect(actions?.tags).toEqual(['stage 1 actions']);
    expect(take?.parameters?.find((p) => p.name === 'action')?.schema?.enum).toEqual(API_ACTIONS);
    expect(Object.keys(take?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '404', '409']);
    expect(take?.responses['409']?.description).toContain('stale_update');
    expect(take?.responses['409']?.description).toContain('action_not_allowed_in_status');
    expect(take?.responses['403']?.description).toContain('role_may_not');
    expect(JSON.stringify(take)).toContain('delay_reasons');
  });
});
