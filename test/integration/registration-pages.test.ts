import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testContainer } from '../support/builders.ts';
import { errorSummary, signedInAs, type Browser } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';

describeEachEngine('registering from the staff pages', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: Browser;
  let team: (name: string) => string;

  beforeAll(async () => {
    container = await testContainer(database(), testClock('2026-11-26T10:00:00.000Z'));
    await container.demo.ensure();
    app = await createApp(container);
    officer = await signedInAs(app, container, 'complaints_officer');
    const teams = await container.organisation.listTeams();
    team = (name) => String(teams.find((t) => t.name === name)?.id ?? 0);
  });
  afterAll(async () => {
    await app.close();
  });

  const form = (overrides: Record<string, string | string[]> = {}) => ({
    kind: 'children_statutory',
    summary: 'My daughter was moved from her placement without anyone telling me.',
    issues: ['placement', 'communication'],
    team_id: [team('Fostering'), team('Care Management South')],
    'received_on-day': '23',
    'received_on-month': '11',
    'received_on-year': '2026',
    channel: 'telephone',
    via_complaints_team: 'yes',
    young_person_id: 'YP-778812',
    young_person_ethnicity: 'MWBC',
    complainant_role: 'parent',
    complainant_name: 'Alex Example',
    complainant_email: 'alex@example.org',
    complainant_preferred_contact: 'email',
    ...overrides,
  });

  it('shows every problem at once, keeping what was typed', async () => {
    const response = await officer.post(
      '/cases/new',
      form({ kind: '', summary: '', team_id: [], 'received_on-day': '31', 'received_on-month': '2', complainant_email: 'nope', young_person_ethnicity: 'ZZZZ' }),
      '/cases/new',
    );
    expect(response.statusCode).toBe(400);
    const problems = errorSummary(response.body);
    expect(problems).toEqual([
      'Select the kind of representation',
      'The date it was received must be a real date',
      'Select the team concerned',
      'Enter a summary',
      'Select the young person’s ethnicity from the list',
      'Enter the complainant’s email address in the correct format, like name@example.com',
    ]);
    expect(response.body).toContain('value="Alex Example"');
    expect(response.body).toContain('href="#received_on"');
    expect(await database().db.kysely.selectFrom('representation').select('id').execute()).toEqual([]);
  });

  it('registers one representation per team and shows their references', async () => {
    const response = await officer.post('/cases/new', form(), '/cases/new');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/cases/registered?references=CSC-2026-0001%2CCSC-2026-0002');
    const done = await officer.get(String(response.headers.location));
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('2 representations registered');
    expect(done.body).toContain('href="/cases/CSC-2026-0002"');
    const rows = await database().db.kysely.selectFrom('representation').select(['reference', 'kind', 'channel', 'received_on']).orderBy('reference').execute();
    expect(rows).toEqual([
      { reference: 'CSC-2026-0001', kind: 'children_statutory', channel: 'telephone', received_on: '2026-11-23' },
      { reference: 'CSC-2026-0002', kind: 'children_statutory', channel: 'telephone', received_on: '2026-11-23' },
    ]);
  });

  it('shows HTML typed into a field as text, never as markup', async () => {
    const response = await officer.post('/cases/new', form({ summary: '', complainant_name: '<script>alert(1)</script>' }), '/cases/new');
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain('<script>alert(1)</script>');
    expect(response.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('is only for the complaints team', async () => {
    const manager = await signedInAs(app, container, 'responding_manager');
    expect((await manager.get('/cases/new')).statusCode).toBe(403);
    const post = await manager.post('/cases/new', form(), '/dashboard');
    expect(post.statusCode).toBe(403);
  });
});
