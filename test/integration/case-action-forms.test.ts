/**
 * Every Stage 1 action's form, in its error states: posted empty, and with an impossible date
 * in each date it asks for. Each time the page comes back with a GOV.UK error summary whose
 * links all lead to a field on the page, the answers typed are kept, and nothing is written.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { TEST_PASSWORD, testClock, testContainer } from '../support/builders.ts';
import { Browser, errorSummary } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import { STAGE1_ACTIONS, type Stage1Action, transitionFor } from '../../src/domain/cases/stage1-workflow.ts';
import { STAGE1_FIELD_SPECS } from '../../src/domain/cases/stage1-fields.ts';
import { isCaseStatus } from '../../src/domain/cases/case-status.ts';

const NOW = '2026-11-26T10:00:00.000Z';

/** The steps that bring a new complaint (received Monday 16 November) to where the action can be taken. */
const BEFORE: Readonly<Partial<Record<Stage1Action, readonly [Stage1Action, Record<string, unknown>][]>>> = {
  resume: [['pause', { paused_on: '2026-11-18', reason: 'Waiting for the complainant' }]],
  record_information_received: [['request_information', { requested_on: '2026-11-17', details: 'Dates of the visits' }]],
  send_closure_warning: [['request_information', { requested_on: '2026-11-17', details: 'Dates of the visits' }]],
  withdraw_no_response: [
    ['request_information', { requested_on: '2026-11-17', details: 'Dates of the visits' }],
    ['send_closure_warning', { sent_on: '2026-11-19' }],
  ],
  close: [['record_response', { responded_on: '2026-11-20', finding: 'not_upheld', remedies: ['explanation'] }]],
  reopen: [['withdraw_by_complainant', { withdrawn_on: '2026-11-18' }]],
};

describeEachEngine('every Stage 1 form’s error states', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: Browser;
  let actor: StaffActor;
  let teamId: number;
  const kysely = () => database().db.kysely;

  /** A complaint brought to the point where `action` can be taken; returns its reference and version. */
  const caseFor = async (action: Stage1Action): Promise<{ reference: string; version: number }> => {
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-11-16', channel: 'email', summary: 'Visits cancelled.', complainant_role: 'parent' },
        teamIds: [teamId],
        complainant: { name: 'Sam Parent' },
      },
      actor,
    );
    if (made === undefined) throw new Error('nothing registered');
    let version = 1;
    for (const [step, input] of BEFORE[action] ?? []) {
      await container.caseActions.apply(made.reference, step, input, actor, version);
      version += 1;
    }
    return { reference: made.reference, version };
  };

  const history = async (reference: string) => {
    const row = await kysely().selectFrom('representation').select(['id', 'version', 'status']).where('reference', '=', reference).executeTakeFirstOrThrow();
    const entries = await kysely().selectFrom('history_entry').select('id').where('subject_type', '=', 'representation').where('subject_id', '=', row.id).execute();
    return { version: row.version, status: row.status, entries: entries.length };
  };

  /** Posts the action's form and checks the page that comes back. */
  const postAndCheck = async (reference: string, action: Stage1Action, form: Record<string, string>): Promise<string[]> => {
    const page = await officer.get(`/cases/${reference}/actions/${action}`);
    expect(page.statusCode, `${action}: ${page.body}`).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const before = await history(reference);
    const response = await officer.post(`/cases/${reference}/actions/${action}`, { _csrf: csrf, version, ...form });
    expect(response.statusCode, `${action}: ${response.body.slice(0, 300)}`).toBe(400);
    const messages = errorSummary(response.body);
    expect(messages.length, action).toBeGreaterThan(0);
    // Every link in the summary leads to something on the page.
    const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(response.body)?.[0] ?? '';
    for (const [, target = ''] of summary.matchAll(/href="#([^"]+)"/g)) expect(response.body, `${action}: #${target}`).toContain(`id="${target}"`);
    // What was typed stays in the form.
    for (const [name, value] of Object.entries(form)) if (value !== '') expect(response.body, `${action}: ${name}`).toContain(`value="${value}"`);
    expect(await history(reference), action).toEqual(before);
    return messages;
  };

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    app = await createApp(container);
    teamId = (await container.organisation.listTeams()).find((t) => t.name === 'Care Management North')?.id ?? 0;
    const email = `officer-${String(Math.random()).slice(2, 10)}@test.example`;
    // A complaints manager too, who alone may re-open a case.
    const { user } = await container.users.add({ email, name: 'Test Officer', roles: ['complaints_officer', 'complaints_manager'], password: TEST_PASSWORD }, CLI_ACTOR);
    officer = new Browser(app);
    await officer.signIn(email, TEST_PASSWORD);
    actor = { userId: user.id, roles: ['complaints_officer'], teamId: null, ip: '192.0.2.9', requestId: 'r-test' };
  });
  afterAll(async () => {
    await app.close();
  });

  const FORMS = STAGE1_ACTIONS.filter((action) => action !== 'register');

  it.each(FORMS.map((action) => [action] as const))('%s: posted empty, says what is missing and writes nothing', async (action) => {
    const { reference } = await caseFor(action);
    const messages = await postAndCheck(reference, action, {});
    const { status } = await history(reference);
    if (!isCaseStatus(status)) throw new Error(`unknown status ${status}`);
    const transition = transitionFor(status, action);
    // Each field the action always records is asked for (and those its conditions call for): radios and lists "Select …", the rest "Enter …".
    const required = transition?.records.filter((r) => r.when === undefined) ?? [];
    expect(messages.length, action).toBeGreaterThanOrEqual(Math.max(required.length, 1));
    for (const message of messages) expect(message, action).toMatch(/^(Enter|Select|Answer)/);
  });

  it.each(FORMS.map((action) => [action] as const))('%s: an impossible date is refused as not a real date', async (action) => {
    const { reference, version } = await caseFor(action);
    const { status } = await history(reference);
    if (!isCaseStatus(status)) throw new Error(`unknown status ${status}`);
    const dates = (transitionFor(status, action)?.records ?? []).filter((r) => r.when === undefined && STAGE1_FIELD_SPECS[r.field].type === 'date');
    if (dates.length === 0) return; // nothing dated to get wrong
    const form: Record<string, string> = {};
    for (const { field } of dates) Object.assign(form, { [`${field}-day`]: '31', [`${field}-month`]: '2', [`${field}-year`]: '2026' });
    const messages = await postAndCheck(reference, action, form);
    expect(messages.filter((m) => m.endsWith('must be a real date')).length, action).toBe(dates.length);
    expect((await history(reference)).version).toBe(version);
  });

  it('labels the finding and remedies of a response as the kind needs them: required for a complaint, optional for a comment', async () => {
    const { reference } = await caseFor('record_response');
    const complaint = (await officer.get(`/cases/${reference}/actions/record_response`)).body;
    expect(complaint).toContain('The finding');
    expect(complaint).not.toContain('The finding (optional)');
    expect(complaint).not.toContain('Needed for a complaint taken through a procedure');
    const [comment] = await container.registration.register(
      { fields: { kind: 'comment', received_on: '2026-11-16', channel: 'email', summary: 'A suggestion about letters.' }, teamIds: [teamId], complainant: { name: 'Sam Parent' } },
      actor,
    );
    const commentPage = (await officer.get(`/cases/${comment?.reference ?? ''}/actions/record_response`)).body;
    expect(commentPage).toContain('The finding (optional)');
  });
});
