/**
 * The case page's timeline in words, on both engines: a complaint taken through register →
 * allocate → extend → hold → response → close → re-open shows every change by its label and
 * its values as people read them — never a code, a database id, an ISO date or JSON — on the
 * page and in the API; a viewer who may not see personal details sees no details; and the
 * re-opened case's summary says it is open again.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { TEST_PASSWORD, teamIdsByName, testClock, testContainer } from '../support/builders.ts';
import { Browser, decodeEntities } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import type { Role } from '../../src/domain/users/roles.ts';

// Thursday 26 November 2026, 10am.
const NOW = '2026-11-26T10:00:00.000Z';
const REOPEN_REASON = 'The complainant replied to the response';

/** A code (snake_case), an ISO date, or JSON braces. */
const SNAKE_CASE = /\b[a-z0-9]+_[a-z0-9_]+\b/;
const ISO_DATE = /\d{4}-\d{2}-\d{2}/;
const BRACES = /[{}]/;

/** The timeline section of a case page, its `<time datetime>` attributes (for machines, not read) taken out. */
function timelineOf(page: string): string {
  const html = decodeEntities(page);
  const start = html.indexOf('id="timeline"');
  expect(start).toBeGreaterThan(0);
  const end = html.indexOf('</ol>', start);
  return html.slice(start, end === -1 ? undefined : end).replace(/ datetime="[^"]*"/g, '');
}

describeEachEngine('the timeline in words', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let reference: string;
  let managerPage: string;
  let managerToken: string;
  const responderName = 'Sam Patel';

  const staff = async (roles: Role[], name: string, teamName?: string) => {
    const email = `${roles.join('-')}-${String(Math.random()).slice(2, 10)}@test.example`;
    const { user } = await container.users.add({ email, name, roles, password: TEST_PASSWORD, ...(teamName === undefined ? {} : { teamName }) }, CLI_ACTOR);
    const browser = new Browser(app);
    await browser.signIn(email, TEST_PASSWORD);
    return { browser, email, actor: { userId: user.id, roles, teamId: user.teamId, ip: '192.0.2.9', requestId: 'r-test' } satisfies StaffActor };
  };

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    app = await createApp(container);
    const teamId = await teamIdsByName(container);
    const officer = await staff(['complaints_officer'], 'Test Officer');
    const manager = await staff(['complaints_manager'], 'Test Manager');
    const responder = await staff(['responding_manager'], responderName, 'Care Management North');

    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-11-20', channel: 'email', via_complaints_team: 'yes', summary: 'Contact visits were cancelled.', complainant_role: 'parent' },
        teamIds: [teamId('Care Management North')],
        complainant: { name: 'Jo Parent', email: 'jo@example.org' },
      },
      officer.actor,
    );
    if (made === undefined) throw new Error('nothing registered');
    reference = made.reference;
    const version = async () => (await database().db.kysely.selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
    const act = async (action: string, input: Record<string, unknown>, actor: StaffActor = officer.actor) => container.caseActions.apply(reference, action, input, actor, await version());

    await act('allocate', { responder_user_id: responder.actor.userId });
    await act('extend', { extra_working_days: 10, extension_reason: 'complexity', complainant_told_on: '2026-11-25' });
    await act('pause', { paused_on: '2026-11-25', reason: 'Waiting for the complainant’s consent' });
    await act('record_response', { responded_on: '2026-11-26', finding: 'partially_upheld', remedies: ['apology', 'contact_revised'] }, responder.actor);
    await act('close', { closed_on: '2026-11-26' });
    await act('reopen', { reason: REOPEN_REASON }, manager.actor);

    const page = await manager.browser.get(`/cases/${reference}`);
    expect(page.statusCode, page.body).toBe(200);
    managerPage = page.body;
    managerToken = (await container.apiTokens.create(manager.email, 'timeline test', ['representations:read'], CLI_ACTOR)).token;
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows every change on the case page in words and labels', () => {
    const timeline = timelineOf(managerPage);
    for (const words of [
      'Allocated to a responding manager',
      `<dt class="govuk-!-font-weight-bold">Responding manager</dt>`,
      responderName,
      'Time to respond extended',
      'Reason for the extension</dt>',
      'The complaint is complex',
      'Stage 1 response due</dt>',
      '18 December 2026',
      'Working days added</dt>',
      'Complainant told</dt>',
      '25 November 2026',
      'On hold from</dt>',
      'Stage 1 response recorded',
      'Finding</dt>',
      'Partially upheld',
      'Remedies</dt>',
      'Apology, Contact arrangements revised',
      'From With the responding manager to Responded',
      'From Responded to Closed',
      `Re-opened: ${REOPEN_REASON}`,
      'From Closed to Responded',
      'No longer recorded (was 26 November 2026)',
    ]) {
      expect(timeline).toContain(words);
    }
  });

  it('shows no code, database id, ISO date or JSON in the timeline', () => {
    const timeline = timelineOf(managerPage);
    expect(timeline).not.toMatch(SNAKE_CASE);
    expect(timeline).not.toMatch(ISO_DATE);
    expect(timeline).not.toMatch(BRACES);
    // No field is shown by its recorded name.
    expect(timeline).not.toMatch(/responder user id|extension reason<|due on</i);
  });

  it('says in the summary that the re-opened case is open again', () => {
    const html = decodeEntities(managerPage);
    expect(html).toMatch(/<dt class="govuk-summary-list__key">\s*Status\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Responded\s*<\/dd>/);
    expect(html).toMatch(/<dt class="govuk-summary-list__key">\s*Re-opened\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Open again since 26 November 2026\s*<\/dd>/);
    expect(html).not.toMatch(/<dt class="govuk-summary-list__key">\s*Closed\s*<\/dt>/);
  });

  it('gives the same words in the API, with each field’s label', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/representations/${reference}`, headers: { authorization: `Bearer ${managerToken}` } });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ reopenedOn: string | null; history: { summary: string; changes: { field: string; label: string; before?: string; after?: string }[] }[] }>();
    expect(body.reopenedOn).toBe('2026-11-26');
    const response1 = body.history.find((h) => h.summary === 'Stage 1 response recorded');
    expect(response1?.changes).toEqual(
      expect.arrayContaining([
        { field: 'finding', label: 'Finding', after: 'Partially upheld' },
        { field: 'remedies', label: 'Remedies', after: 'Apology, Contact arrangements revised' },
      ]),
    );
    for (const entry of body.history) {
      const words = [entry.summary, ...entry.changes.flatMap((c) => [c.label, c.before ?? '', c.after ?? ''])].join(' | ');
      expect(words).not.toMatch(SNAKE_CASE);
      expect(words).not.toMatch(ISO_DATE);
      expect(words).not.toMatch(BRACES);
    }
  });

  it('still shows a viewer no personal details: no changes, and no reason for the re-opening', async () => {
    const viewer = await staff(['viewer'], 'Test Viewer');
    const page = await viewer.browser.get(`/cases/${reference}`);
    expect(page.statusCode).toBe(200);
    const timeline = timelineOf(page.body);
    expect(timeline).toContain('Re-opened');
    expect(timeline).not.toContain(REOPEN_REASON);
    expect(timeline).not.toContain('<dl');
    expect(timeline).not.toMatch(SNAKE_CASE);
    expect(timeline).not.toMatch(ISO_DATE);
    expect(decodeEntities(page.body)).not.toMatch(/Jo Parent|jo@example\.org|consent/);
  });
});
