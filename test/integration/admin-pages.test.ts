import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aUser, TEST_PASSWORD, testContainer } from '../support/builders.ts';
import { Browser, errorSummary, signedInAs } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';

describeEachEngine('admin pages', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let admin: Browser;

  beforeAll(async () => {
    container = await testContainer(database());
    await container.demo.ensure();
    app = await createApp(container);
    admin = await signedInAs(app, container, 'admin');
  });
  afterAll(async () => {
    await app.close();
  });

  it('lists teams by service area with kinds and aliases', async () => {
    const page = await admin.get('/admin/teams');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<caption class="govuk-table__caption govuk-table__caption--m">Residential Care</caption>');
    expect(page.body).toContain('Externally commissioned provider');
    expect(page.body).toContain('Add a team');
  });

  it('re-shows the add-team form with an error summary and the answers kept', async () => {
    const response = await admin.post('/admin/teams/new', { name: '', serviceArea: '', kind: 'residential_home', publicAlias: 'Home 9' }, '/admin/teams/new');
    expect(response.statusCode).toBe(400);
    expect(errorSummary(response.body)).toEqual(['Enter the team name', 'Select the service area']);
    expect(response.body).toContain('value="Home 9"');
    expect(response.body).toContain('href="#name"');
  });

  it('refuses a children’s home without an alias, naming the field', async () => {
    const response = await admin.post('/admin/teams/new', { name: 'New Home', serviceArea: 'Residential Care', kind: 'residential_home', publicAlias: '' }, '/admin/teams/new');
    expect(response.statusCode).toBe(400);
    expect(errorSummary(response.body)).toEqual(["Enter the public alias for the children's home, for example Home 2"]);
    expect(response.body).toContain('href="#publicAlias"');
  });

  it('adds and changes a team, and refuses to save over a newer change with 409', async () => {
    const added = await admin.post('/admin/teams/new', { name: 'Edge of Care', serviceArea: 'Family Support and Contact', kind: 'internal' }, '/admin/teams/new');
    expect(added.statusCode).toBe(303);
    const team = (await container.organisation.listTeams()).find((t) => t.name === 'Edge of Care');
    expect(team).toBeDefined();
    const editUrl = `/admin/teams/${String(team?.id)}/edit`;
    const form = await admin.get(editUrl);
    const version = /name="version" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const token = await admin.csrfToken(editUrl);
    const first = await admin.post(editUrl, { _csrf: token, name: 'Edge of Care Team', serviceArea: 'Family Support and Contact', kind: 'internal', isActive: 'yes', version });
    expect(first.statusCode).toBe(303);
    const stale = await admin.post(editUrl, { _csrf: token, name: 'Someone Else’s Name', serviceArea: 'Family Support and Contact', kind: 'internal', isActive: 'yes', version });
    expect(stale.statusCode).toBe(409);
    expect(errorSummary(stale.body)[0]).toContain('Someone else changed this team');
    expect(stale.body).toContain('value="Someone Else’s Name"');
    expect((await container.organisation.findTeam(team?.id ?? 0))?.name).toBe('Edge of Care Team');
  });

  it('gives 404 for a team that does not exist', async () => {
    expect((await admin.get('/admin/teams/999999/edit')).statusCode).toBe(404);
    expect((await admin.get('/admin/teams/abc/edit')).statusCode).toBe(404);
  });

  it('adds a user, showing the one-time password once', async () => {
    const bad = await admin.post('/admin/users/new', { name: 'Nia', email: 'not-an-email', team: '' }, '/admin/users/new');
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual(['Select at least one role']);
    const badEmail = await admin.post('/admin/users/new', { name: 'Nia', email: 'not-an-email', team: '', roles: ['viewer'] }, '/admin/users/new');
    expect(errorSummary(badEmail.body)).toEqual(['Enter an email address in the correct format, like name@example.gov.uk']);
    const good = await admin.post('/admin/users/new', { name: 'Nia Jones', email: 'nia@example.org', team: 'Adoption', roles: ['responding_manager', 'viewer'] }, '/admin/users/new');
    expect(good.statusCode).toBe(200);
    expect(good.body).toContain('User added');
    expect(good.body).toMatch(/id="one-time-password">\S{20}</);
    const list = await admin.get('/admin/users');
    expect(list.body).toContain('nia@example.org');
    expect(list.body).toContain('Responding manager, Viewer');
  });

  it('disables a user, whose sessions end at once', async () => {
    const { email, id } = await aUser(container, 'complaints_officer');
    const officer = new Browser(app);
    await officer.signIn(email, TEST_PASSWORD);
    const disabled = await admin.post(`/admin/users/${String(id)}/status`, { action: 'disable' }, '/admin/users');
    expect(disabled.statusCode).toBe(303);
    expect((await officer.get('/dashboard')).statusCode).toBe(302);
    const retry = await officer.post('/sign-in', { email, password: TEST_PASSWORD }, '/sign-in');
    expect(retry.statusCode).toBe(400);
  });

  it('is refused to staff who are not administrators', async () => {
    const officer = await signedInAs(app, container, 'complaints_manager');
    expect((await officer.get('/admin/teams')).statusCode).toBe(200);
    expect((await officer.get('/admin/teams/new')).statusCode).toBe(403);
    const post = await officer.post('/admin/teams/new', { name: 'Sneaky', serviceArea: 'Assessment', kind: 'internal' }, '/admin/teams');
    expect(post.statusCode).toBe(403);
    expect((await container.organisation.listTeams()).some((t) => t.name === 'Sneaky')).toBe(false);
  });
});
