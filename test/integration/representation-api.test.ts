import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aUser, testClock, testContainer } from '../support/builders.ts';
import { signedInAs } from '../support/http.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { Role } from '../../src/domain/users/roles.ts';

describeEachEngine('representations API', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let writer: string;

  const tokenFor = async (roles: Role[], scopes: string[]) => {
    const { email } = await aUser(container, ...roles);
    return (await container.apiTokens.create(email, 'test integration', scopes, CLI_ACTOR)).token;
  };
  const call = (method: 'GET' | 'POST', url: string, token: string | undefined, payload?: unknown) =>
    app.inject({ method, url, headers: token === undefined ? {} : { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

  const body = (overrides: Record<string, unknown> = {}) => ({
    kind: 'children_statutory',
    received_on: '2026-11-23',
    channel: 'online',
    summary: 'Nobody told me the contact session was cancelled.',
    issues: ['contact_arrangements'],
    complainant_role: 'parent',
    teams: ['Contact Team', 'Care Management North'],
    young_person: { id: 'YP-5551', ethnicity: 'WBRI' },
    complainant: { name: 'Jo Parent', email: 'jo@example.org' },
    ...overrides,
  });

  beforeAll(async () => {
    container = await testContainer(database(), testClock('2026-11-26T10:00:00.000Z'));
    await container.demo.ensure();
    app = await createApp(container);
    writer = await tokenFor(['complaints_officer'], ['representations:read', 'representations:write']);
  });
  afterAll(async () => {
    await app.close();
  });

  it('registers one representation per team and reads it back', async () => {
    const created = await call('POST', '/api/v1/representations', writer, body());
    expect(created.statusCode, created.body).toBe(201);
    const { representations } = created.json<{ representations: { reference: string; team: string; status: string }[] }>();
    expect(representations.map((r) => [r.team, r.status])).toEqual([
      ['Contact Team', 'registered'],
      ['Care Management North', 'registered'],
    ]);
    const reference = representations[0]?.reference ?? '';
    const read = await call('GET', `/api/v1/representations/${reference}`, writer);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ reference, kind: 'children_statutory', personal: { summary: 'Nobody told me the contact session was cancelled.' } });
  });

  it('answers bad input with coded errors listing every problem, and writes nothing', async () => {
    const before = await database().db.kysely.selectFrom('representation').select('id').execute();
    const bad = await call('POST', '/api/v1/representations', writer, body({ kind: 'rant', received_on: '2026-02-30', summary: '' }));
    expect(bad.statusCode).toBe(400);
    const { error } = bad.json<{ error: { code: string; message: string; problems: { code: string; field: string }[] } }>();
    expect(error.code).toBe('invalid_kind');
    expect(error.problems.map((p) => p.field)).toEqual(expect.arrayContaining(['kind', 'received_on', 'summary']));
    const unknownTeam = await call('POST', '/api/v1/representations', writer, body({ teams: ['Team Nowhere'] }));
    expect(unknownTeam.json()).toEqual({ error: { code: 'team_unknown', message: 'There is no active team called "Team Nowhere"', field: 'teams' } });
    const notJson = await call('POST', '/api/v1/representations', writer, { teams: 'x' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json<{ error: { code: string } }>().error.code).toBe('invalid_request');
    expect(await database().db.kysely.selectFrom('representation').select('id').execute()).toEqual(before);
  });

  it('needs a live token with the right scope and role', async () => {
    expect((await call('POST', '/api/v1/representations', undefined, body())).json()).toEqual({
      error: { code: 'unauthenticated', message: 'Send a valid API token: Authorization: Bearer <token>' },
    });
    expect((await call('POST', '/api/v1/representations', 'rdr_forged', body())).statusCode).toBe(401);
    const readOnly = await tokenFor(['complaints_officer'], ['representations:read']);
    expect((await call('POST', '/api/v1/representations', readOnly, body())).statusCode).toBe(403);
    const wrongRole = await tokenFor(['viewer'], ['representations:read', 'representations:write']);
    expect((await call('POST', '/api/v1/representations', wrongRole, body())).json()).toMatchObject({ error: { code: 'forbidden' } });
    const [token] = (await container.apiTokens.list()).filter((t) => t.scopes.length === 1);
    await container.apiTokens.revoke(token?.id ?? 0, CLI_ACTOR);
    expect((await call('GET', '/api/v1/representations/CSC-2026-0001', readOnly)).statusCode).toBe(401);
  });

  it('does not accept a staff session cookie in place of a token', async () => {
    const browser = await signedInAs(app, container, 'complaints_officer');
    const response = await app.inject({ method: 'POST', url: '/api/v1/representations', payload: body(), cookies: { redress_session: browser.cookie('redress_session') ?? '' } });
    expect(response.statusCode).toBe(401);
  });

  it('publishes its OpenAPI document at /api/docs', async () => {
    const json = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(json.statusCode).toBe(200);
    const document = json.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/representations', '/api/v1/representations/{reference}', '/api/v1/representations/{reference}/actions', '/api/v1/representations/{reference}/actions/{action}']),
    );
    expect(Object.keys(document.paths['/api/v1/representations'] as Record<string, unknown>).sort()).toEqual(['get', 'post']);
    expect((await app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });
});
