/**
 * The learning log through the API, on both engines: a lesson with actions, the overdue list,
 * marking an action done, coded errors (400 with every problem, 403, 404, 409 on a stale
 * version), scopes and roles, and the OpenAPI document.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aStaffMember, testClock, testContainer, teamIdsByName } from '../support/builders.ts';
import { createApp } from '../../src/web/app.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Container } from '../../src/container.ts';
import type { Role } from '../../src/domain/users/roles.ts';

const NOW = '2026-11-26T10:00:00.000Z';

interface Reply {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; problems?: { code: string; field: string | null }[] } };
}

describeEachEngine('the learning API', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let keeper: string;
  let complaint: string;

  const tokenFor = async (roles: Role[], scopes: string[], teamName?: string): Promise<{ token: string; userId: number }> => {
    const member = await aStaffMember(container, roles, teamName);
    return { token: (await container.apiTokens.create(member.email, 'test', scopes, CLI_ACTOR)).token, userId: member.userId };
  };
  const call = async (method: 'GET' | 'POST', url: string, token: string, payload?: unknown): Promise<Reply> => {
    const response = await app.inject({ method, url, payload: payload as Record<string, unknown> | undefined, headers: { authorization: `Bearer ${token}` } });
    return { status: response.statusCode, body: response.json<Reply['body']>() };
  };
  const kysely = () => database().db.kysely;

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    app = await createApp(container);
    const officer = await aStaffMember(container, ['complaints_officer']);
    const teamId = await teamIdsByName(container);
    const [made] = await container.registration.register(
      { fields: { kind: 'children_statutory', received_on: '2026-03-02', channel: 'email', summary: 'Contact was cancelled.', complainant_role: 'parent' }, teamIds: [teamId('Fostering')], complainant: { name: 'Sam Parent' } },
      officer,
    );
    complaint = made?.reference ?? '';
    keeper = (await tokenFor(['complaints_officer'], ['learning:read', 'learning:write'])).token;
  });
  afterAll(async () => {
    await app.close();
  });

  it('records a lesson, adds actions, lists the overdue one and marks it done', async () => {
    const created = await call('POST', '/api/v1/lessons', keeper, { title: 'Give notice', description: 'A week’s notice.', identified_on: '2026-10-01', case_references: [complaint] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Give notice', complaints: [complaint], version: 1, actions: [] });
    const url = `/api/v1/lessons/${String(created.body.id)}`;

    const owner = await tokenFor(['responding_manager'], ['learning:read', 'learning:write'], 'Fostering');
    const added = await call('POST', `${url}/actions`, keeper, { description: 'Rewrite the leaflet', due_on: '2026-11-20', owner_user_id: owner.userId });
    expect(added.status).toBe(201);
    await call('POST', `${url}/actions`, keeper, { description: 'Train the team', due_on: '2026-12-20', owner_name: 'Alex Trainer' });
    const lesson = await call('GET', url, keeper);
    expect((lesson.body.actions as { description: string; is_overdue: boolean; days_overdue: number }[]).map((a) => [a.description, a.is_overdue, a.days_overdue])).toEqual([
      ['Rewrite the leaflet', true, 6],
      ['Train the team', false, 0],
    ]);

    const overdue = await call('GET', '/api/v1/learning-actions?overdue=true', keeper);
    expect(overdue.status).toBe(200);
    const overdueActions = overdue.body.actions as { id: number; description: string; version: number }[];
    expect(overdueActions.map((a) => a.description)).toEqual(['Rewrite the leaflet']);
    const actionId = overdueActions[0]?.id ?? 0;

    const list = await call('GET', '/api/v1/lessons?overdue=true', keeper);
    expect(list.body.lessons).toEqual([expect.objectContaining({ id: created.body.id, actions: { open: 2, done: 0, cancelled: 0, overdue: 1 } })]);

    // The owner marks it done with their own token.
    const done = await call('POST', `/api/v1/learning-actions/${String(actionId)}/complete`, owner.token, { version: 1, done_on: '2026-11-25' });
    expect(done.status).toBe(200);
    expect((done.body.actions as { status: string; done_on: string | null }[])[0]).toMatchObject({ status: 'done', done_on: '2026-11-25' });
    expect((await call('GET', '/api/v1/learning-actions?overdue=true', keeper)).body.actions).toEqual([]);
  });

  it('answers bad input, unknown records and stale versions with coded errors, writing nothing', async () => {
    const bad = await call('POST', '/api/v1/lessons', keeper, { title: '', description: 'x', identified_on: '2026-02-31', case_references: ['CSC-2026-9999'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.problems?.map((p) => p.code)).toEqual(['missing_title', 'invalid_identified_on', 'case_not_found']);
    const shapeless = await call('POST', '/api/v1/lessons', keeper, { title: 'T' });
    expect(shapeless.status).toBe(400);
    expect(shapeless.body.error?.code).toBe('invalid_request');
    expect(await kysely().selectFrom('lesson').select('id').where('title', '=', 'T').execute()).toEqual([]);
    expect((await call('GET', '/api/v1/lessons/999999', keeper)).status).toBe(404);
    expect((await call('GET', '/api/v1/lessons/999999', keeper)).body.error?.code).toBe('lesson_not_found');
    expect((await call('POST', '/api/v1/learning-actions/999999/complete', keeper, { version: 1, done_on: '2026-11-20' })).body.error?.code).toBe('action_not_found');
    expect((await call('GET', '/api/v1/learning-actions?overdue=maybe', keeper)).status).toBe(400);

    const created = await call('POST', '/api/v1/lessons', keeper, { title: 'Errors', description: 'x', identified_on: '2026-10-01', case_references: [complaint] });
    const url = `/api/v1/lessons/${String(created.body.id)}`;
    const early = await call('POST', `${url}/actions`, keeper, { description: 'Too early', due_on: '2026-09-01', owner_name: 'Pat' });
    expect(early.status).toBe(400);
    expect(early.body.error?.code).toBe('due_on_too_early');
    const added = await call('POST', `${url}/actions`, keeper, { description: 'Do it', due_on: '2026-12-01', owner_name: 'Pat' });
    const actionId = (added.body.actions as { id: number }[])[0]?.id ?? 0;
    const stale = await call('POST', `/api/v1/learning-actions/${String(actionId)}/complete`, keeper, { version: 0, done_on: '2026-11-20' });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('stale_update');
    const future = await call('POST', `/api/v1/learning-actions/${String(actionId)}/complete`, keeper, { version: 1, done_on: '2026-11-27' });
    expect(future.status).toBe(400);
    expect(future.body.error?.code).toBe('date_in_future');
    await call('POST', `/api/v1/learning-actions/${String(actionId)}/complete`, keeper, { version: 1, done_on: '2026-11-20' });
    const again = await call('POST', `/api/v1/learning-actions/${String(actionId)}/complete`, keeper, { version: 2, done_on: '2026-11-20' });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('action_not_open');
  });

  it('needs the scope and a role that may; an action’s owner alone may mark it done; a viewer gets no text', async () => {
    const created = await call('POST', '/api/v1/lessons', keeper, { title: 'Scoped lesson', description: 'Private text', identified_on: '2026-10-01', case_references: [complaint] });
    const url = `/api/v1/lessons/${String(created.body.id)}`;
    const added = await call('POST', `${url}/actions`, keeper, { description: 'Scoped action', due_on: '2026-12-01', owner_name: 'Pat' });
    const actionId = (added.body.actions as { id: number }[])[0]?.id ?? 0;

    const readOnly = (await tokenFor(['complaints_officer'], ['learning:read'])).token;
    expect((await call('GET', url, readOnly)).status).toBe(200);
    expect((await call('POST', `${url}/actions`, readOnly, { description: 'No', due_on: '2026-12-01', owner_name: 'Pat' })).status).toBe(403);
    const casesOnly = (await tokenFor(['complaints_officer'], ['representations:read'])).token;
    expect((await call('GET', '/api/v1/lessons', casesOnly)).status).toBe(403);

    const senior = (await tokenFor(['senior_manager'], ['learning:read', 'learning:write'])).token;
    const refused = await call('POST', `/api/v1/learning-actions/${String(actionId)}/complete`, senior, { version: 1, done_on: '2026-11-20' });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('forbidden');
    expect((await call('POST', `${url}/actions`, senior, { description: 'No', due_on: '2026-12-01', owner_name: 'Pat' })).status).toBe(403);

    const viewer = (await tokenFor(['viewer'], ['learning:read', 'learning:write'])).token;
    const seen = await call('GET', url, viewer);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ title: null, description: null, complaints: [complaint] });
    expect(JSON.stringify(seen.body)).not.toContain('Scoped action');
    expect(JSON.stringify(seen.body)).not.toContain('Pat');
    expect((await call('POST', `/api/v1/learning-actions/${String(actionId)}/complete`, viewer, { version: 1, done_on: '2026-11-20' })).status).toBe(403);
    const admin = (await tokenFor(['admin'], ['learning:read'])).token;
    expect((await call('GET', '/api/v1/lessons', admin)).status).toBe(403);
    expect((await call('GET', url, keeper)).body).toMatchObject({ actions: [{ status: 'open', version: 1 }] });
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/lessons', '/api/v1/lessons/{lessonId}', '/api/v1/lessons/{lessonId}/actions', '/api/v1/learning-actions', '/api/v1/learning-actions/{actionId}/complete']),
    );
  });
});
