import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testContainer } from '../support/builders.ts';
import { errorSummary, signedInAs, type Browser } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import { UserRepository } from '../../src/db/user-repository.ts';

describeEachEngine('changing a user’s roles', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let admin: Browser;
  let newcomerId: number;

  beforeAll(async () => {
    container = await testContainer(database());
    app = await createApp(container);
    admin = await signedInAs(app, container, 'admin');
    // As single sign-on makes them: an account with no roles.
    newcomerId = await new UserRepository(container.db.kysely).create({ email: 'newcomer@council.example', name: 'Nell Newcomer', passwordHash: '!single-sign-on', teamId: null, roles: [] }, '2026-11-26T10:00:00.000Z');
  });
  afterAll(async () => {
    await app.close();
  });

  it('lists an account without roles as having none yet, with a link to change them', async () => {
    const list = await admin.get('/admin/users');
    expect(list.body).toContain('None yet');
    expect(list.body).toContain(`href="/admin/users/${String(newcomerId)}/roles"`);
  });

  it('asks for at least one role, with an error summary', async () => {
    const page = `/admin/users/${String(newcomerId)}/roles`;
    const response = await admin.post(page, {}, page);
    expect(response.statusCode).toBe(400);
    expect(errorSummary(response.body)).toEqual(['Select at least one role']);
    expect(response.body).toContain('href="#roles"');
  });

  it('gives the roles chosen and audits the change', async () => {
    const page = `/admin/users/${String(newcomerId)}/roles`;
    const form = await admin.get(page);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Change the roles of Nell Newcomer');
    const response = await admin.post(page, { roles: ['complaints_officer', 'viewer'] }, page);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin/users');
    const user = await new UserRepository(container.db.kysely).findById(newcomerId);
    expect([...(user?.roles ?? [])].sort()).toEqual(['complaints_officer', 'viewer']);
    const audit = await container.db.kysely.selectFrom('audit_event').select(['details']).where('action', '=', 'user_roles_changed').where('entity_id', '=', String(newcomerId)).execute();
    expect(audit.map((row) => JSON.parse(row.details ?? '{}') as unknown)).toEqual([{ before: { roles: [] }, after: { roles: ['complaints_officer', 'viewer'] } }]);
  });

  it('is for administrators only, and answers 404 for an unknown user', async () => {
    const manager = await signedInAs(app, container, 'complaints_manager');
    expect((await manager.get(`/admin/users/${String(newcomerId)}/roles`)).statusCode).toBe(403);
    expect((await admin.get('/admin/users/999999/roles')).statusCode).toBe(404);
  });
});
