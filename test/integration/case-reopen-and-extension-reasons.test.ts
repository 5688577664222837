/**
 * Two Stage 1 features through the case pages and the API, on both engines: the reason for an
 * extension as a code (with words for "other"), and a complaints manager re-opening a
 * withdrawn or closed case (back to where it was, its clocks keeping their due dates). Every
 * refusal is checked for its status and code, and for leaving the case's rows as they were.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { TEST_PASSWORD, teamIdsByName, testClock, testContainer } from '../support/builders.ts';
import { Browser, decodeEntities, errorSummary, dateFields } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import type { Role } from '../../src/domain/users/roles.ts';
import { actionResultJson, actionsJson } from '../../src/api/representation-actions-api.ts';
import { apiError } from '../../src/api/api-errors.ts';

// Thursday 26 November 2026, 10am.
const NOW = '2026-11-26T10:00:00.000Z';

describeEachEngine('extension reasons and re-opening', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: { browser: Browser; actor: StaffActor; token: string };
  let manager: { browser: Browser; actor: StaffActor; token: string };
  let teamId: (name: string) => number;

  const kysely = () => database().db.kysely;

  const staff = async (roles: Role[]) => {
    const email = `${roles.join('-')}-${String(Math.random()).slice(2, 10)}@test.example`;
    const { user } = await container.users.add({ email, name: `Test ${roles.join(' ')}`, roles, password: TEST_PASSWORD }, CLI_ACTOR);
    const browser = new Browser(app);
    await browser.signIn(email, TEST_PASSWORD);
    const { token } = await container.apiTokens.create(email, 'test integration', ['representations:read', 'representations:write'], CLI_ACTOR);
    return { browser, token, actor: { userId: user.id, roles, teamId: user.teamId, ip: '192.0.2.9', requestId: 'r-test' } satisfies StaffActor };
  };

  const register = async (receivedOn: string): Promise<string> => {
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: receivedOn, channel: 'email', via_complaints_team: 'yes', summary: 'Contact visits were cancelled.', complainant_role: 'parent' },
        teamIds: [teamId('Care Management North')],
        complainant: { name: 'Sam Parent', email: 'sam@example.org' },
      },
      officer.actor,
    );
    if (made === undefined) throw new Error('nothing registered');
    return made.reference;
  };

  const pageUrl = (reference: string, action: string) => `/cases/${reference}/actions/${action}`;
  const apiUrl = (reference: string, action?: string) => `/api/v1/representations/${reference}/actions${action === undefined ? '' : `/${action}`}`;

  /** Opens the action's form and posts it with the version and token it shows. */
  const submit = async (browser: Browser, reference: string, action: string, form: Record<string, string | string[]>): Promise<LightMyRequestResponse> => {
    const page = await browser.get(pageUrl(reference, action));
    expect(page.statusCode, page.body).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return browser.post(pageUrl(reference, action), { _csrf: csrf, version, ...form });
  };

  const call = (method: 'GET' | 'POST', url: string, token: string, payload?: Record<string, unknown>) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload }) });

  const representation = (reference: string) => kysely().selectFrom('representation').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
  /** Everything an action may write about a case: its row, clocks, history and audit events. */
  const rowsOf = async (reference: string) => {
    const row = await representation(reference);
    const [clocks, history, audit] = await Promise.all([
      kysely().selectFrom('clock').selectAll().where('subject_type', '=', 'representation').where('subject_id', '=', row.id).orderBy('id').execute(),
      kysely().selectFrom('history_entry').selectAll().where('subject_type', '=', 'representation').where('subject_id', '=', row.id).orderBy('id').execute(),
      kysely().selectFrom('audit_event').select(['action']).where('entity_type', '=', 'representation').where('entity_id', '=', String(row.id)).orderBy('id').execute(),
    ]);
    return { row, clocks, history, audit };
  };
  const clocksOf = async (reference: string) =>
    Object.fromEntries(
      (await rowsOf(reference)).clocks.map((c) => [c.clock_key, { isOpen: c.is_open === 1, dueOn: c.due_on, events: JSON.parse(c.events) as { extensions?: Record<string, unknown>[]; stoppedOn?: string } }]),
    );
  /** Takes a Stage 1 action through the service with the case's current version. */
  const stage1 = async (reference: string, action: string, input: Record<string, unknown>, actor = officer.actor) =>
    container.caseActions.apply(reference, action, input, actor, (await representation(reference)).version);
  const errorOf = (response: LightMyRequestResponse) => apiError.parse(response.json()).error;

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    app = await createApp(container);
    teamId = await teamIdsByName(container);
    officer = await staff(['complaints_officer']);
    manager = await staff(['complaints_manager']);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('the reason for an extension', () => {
    it('is chosen from radios on the page, "Other" revealing a box for the words (there without JavaScript)', async () => {
      const reference = await register('2026-11-20');
      const form = await officer.browser.get(pageUrl(reference, 'extend'));
      expect(form.statusCode).toBe(200);
      const html = decodeEntities(form.body);
      for (const label of ['The complaint is complex', 'The complainant needs an advocate', 'Other']) expect(html).toContain(label);
      expect(form.body).toContain('name="extension_reason" type="radio" value="other" data-aria-controls="conditional-extension_reason-3"');
      expect(form.body).toMatch(/<div class="govuk-radios__conditional govuk-radios__conditional--hidden" id="conditional-extension_reason-3">[\s\S]*name="extension_reason_text"/);
    });

    it('refuses "Other" without the words, and an unknown code, writing nothing', async () => {
      const reference = await register('2026-11-20');
      const before = await rowsOf(reference);
      const base = { extra_working_days: '10', ...dateFields('complainant_told_on', '2026-11-25') };

      const noWords = await submit(officer.browser, reference, 'extend', { ...base, extension_reason: 'other', extension_reason_text: ' ' });
      expect(noWords.statusCode).toBe(400);
      expect(errorSummary(noWords.body)).toEqual(['Enter the reason for the extension, in your own words']);
      expect(noWords.body).toContain('href="#extension_reason_text"');
      const unknown = await submit(officer.browser, reference, 'extend', { ...base, extension_reason: 'busy' });
      expect(unknown.statusCode).toBe(400);
      expect(errorSummary(unknown.body)).toEqual(['Select the reason for the extension from the list']);
      expect(await rowsOf(reference)).toEqual(before);

      const apiUnknown = await call('POST', apiUrl(reference, 'extend'), officer.token, { version: before.row.version, extra_working_days: 10, extension_reason: 'busy', complainant_told_on: '2026-11-25' });
      expect(apiUnknown.statusCode).toBe(400);
      expect(errorOf(apiUnknown)).toMatchObject({ code: 'invalid_extension_reason', problems: [{ code: 'invalid_extension_reason', field: 'extension_reason' }] });
      const apiNoWords = await call('POST', apiUrl(reference, 'extend'), officer.token, { version: before.row.version, extra_working_days: 10, extension_reason: 'other', complainant_told_on: '2026-11-25' });
      expect(apiNoWords.statusCode).toBe(400);
      expect(errorOf(apiNoWords)).toMatchObject({ code: 'missing_extension_reason_text', problems: [{ field: 'extension_reason_text' }] });
      const oldStyle = await call('POST', apiUrl(reference, 'extend'), officer.token, { version: before.row.version, extra_working_days: 10, reason: 'Complex', complainant_told_on: '2026-11-25' });
      expect(oldStyle.statusCode).toBe(400);
      expect(errorOf(oldStyle).problems?.map((p) => p.code)).toEqual(['unknown_field']);
      expect(await rowsOf(reference)).toEqual(before);
    });

    it('is recorded from the page with its words, and shown with its label on the case page and in its timeline', async () => {
      const reference = await register('2026-11-20');
      const done = await submit(officer.browser, reference, 'extend', {
        extra_working_days: '10',
        extension_reason: 'other',
        extension_reason_text: 'Waiting for police records',
        ...dateFields('complainant_told_on', '2026-11-25'),
      });
      expect(done.statusCode, done.body).toBe(303);
      const clock = (await clocksOf(reference)).stage1_response;
      expect(clock).toMatchObject({ isOpen: true, dueOn: '2026-12-18' });
      expect(clock?.events.extensions).toEqual([{ extraWorkingDays: 10, reason: 'Waiting for police records', reasonCode: 'other', complainantToldOn: '2026-11-25' }]);
      const { history } = await rowsOf(reference);
      expect(JSON.parse(history.at(-1)?.after ?? '{}')).toMatchObject({ extension_reason: 'other', extension_reason_text: 'Waiting for police records', stage1_response_due_on: '2026-12-18' });

      const page = decodeEntities((await officer.browser.get(`/cases/${reference}`)).body);
      expect(page).toContain('Extended by 10 working days: Other: Waiting for police records');
      expect(page).toContain('Time to respond extended');
    });

    it('is taken as a code in the API, documented with its codes, and shown by its label', async () => {
      const reference = await register('2026-11-20');
      const listed = actionsJson.parse((await call('GET', apiUrl(reference), officer.token)).json());
      expect(listed.actions.find((a) => a.action === 'extend')?.fields.find((f) => f.name === 'extension_reason')).toMatchObject({
        type: 'code',
        required: true,
        codes: ['complexity', 'advocate_needed', 'other'],
      });
      const spec = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json<{ paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: { properties: Record<string, { enum?: string[] }> } }> } } }> }>();
      const body = spec.paths['/api/v1/representations/{reference}/actions/{action}']?.post?.requestBody?.content['application/json']?.schema;
      expect(body?.properties.extension_reason?.enum).toEqual(['complexity', 'advocate_needed', 'other']);

      const extended = await call('POST', apiUrl(reference, 'extend'), officer.token, { version: (await representation(reference)).version, extra_working_days: 5, extension_reason: 'advocate_needed', complainant_told_on: '2026-11-25' });
      expect(extended.statusCode, extended.body).toBe(200);
      expect((await clocksOf(reference)).stage1_response?.events.extensions).toEqual([
        { extraWorkingDays: 5, reason: 'The complainant needs an advocate', reasonCode: 'advocate_needed', complainantToldOn: '2026-11-25' },
      ]);
      const page = decodeEntities((await officer.browser.get(`/cases/${reference}`)).body);
      expect(page).toContain('Extended by 5 working days: The complainant needs an advocate');
      expect(page).toMatch(/Reason for the extension<\/dt>\s*<dd[^>]*>The complainant needs an advocate/);
    });

    it('shows an extension recorded before the codes as "Other" with its words', async () => {
      const reference = await register('2026-11-20');
      const { row } = await rowsOf(reference);
      const events = { startedOn: '2026-11-20', extensions: [{ extraWorkingDays: 3, reason: 'Three teams are involved', complainantToldOn: '2026-11-24' }] };
      await kysely().updateTable('clock').set({ events: JSON.stringify(events) }).where('subject_id', '=', row.id).where('clock_key', '=', 'stage1_response').execute();
      expect(decodeEntities((await officer.browser.get(`/cases/${reference}`)).body)).toContain('Extended by 3 working days: Other: Three teams are involved');
      // And it still counts: a further extension to the 20-working-day cap is refused beyond 7 more days.
      await expect(stage1(reference, 'extend', { extra_working_days: 8, extension_reason: 'complexity', complainant_told_on: '2026-11-25' })).rejects.toMatchObject({ code: 'extension_beyond_cap' });
    });
  });

  describe('re-opening', () => {
    /** A complaint allocated, acknowledged and extended, then withdrawn. */
    const withdrawnCase = async () => {
      const reference = await register('2026-11-20');
      await stage1(reference, 'allocate', { responder_user_id: (await container.caseActions.form(reference, 'allocate', officer.actor)).responders[0]?.id });
      await stage1(reference, 'acknowledge', { acknowledged_on: '2026-11-23' });
      await stage1(reference, 'extend', { extra_working_days: 5, extension_reason: 'complexity', complainant_told_on: '2026-11-24' });
      const dueBefore = (await clocksOf(reference)).stage1_response?.dueOn;
      await stage1(reference, 'withdraw_by_complainant', { withdrawn_on: '2026-11-25' });
      return { reference, dueBefore };
    };

    it('is offered to a complaints manager only, on the page and in GET …/actions', async () => {
      const { reference } = await withdrawnCase();
      expect((await representation(reference)).status_before_closure).toBe('allocated');
      expect((await manager.browser.get(`/cases/${reference}`)).body).toContain(`href="${pageUrl(reference, 'reopen')}"`);
      expect((await officer.browser.get(`/cases/${reference}`)).body).not.toContain(pageUrl(reference, 'reopen'));
      expect((await officer.browser.get(pageUrl(reference, 'reopen'))).statusCode).toBe(403);

      const forManager = actionsJson.parse((await call('GET', apiUrl(reference), manager.token)).json());
      expect(forManager.actions.find((a) => a.action === 'reopen')).toMatchObject({
        is_allowed: true,
        fields: [expect.objectContaining({ name: 'reason', type: 'text', required: true })],
        href: apiUrl(reference, 'reopen'),
      });
      const forOfficer = actionsJson.parse((await call('GET', apiUrl(reference), officer.token)).json());
      expect(forOfficer.actions.map((a) => a.action)).not.toContain('reopen');
    });

    it('returns a withdrawn case to where it was from the page, its clock running again with the same due date', async () => {
      const { reference, dueBefore } = await withdrawnCase();
      expect(await clocksOf(reference)).toMatchObject({ stage1_response: { isOpen: false, dueOn: dueBefore } });
      const before = await rowsOf(reference);

      const noReason = await submit(manager.browser, reference, 'reopen', { reason: '  ' });
      expect(noReason.statusCode).toBe(400);
      expect(errorSummary(noReason.body)).toEqual(['Enter the reason for re-opening']);
      expect(await rowsOf(reference)).toEqual(before);

      const reopened = await submit(manager.browser, reference, 'reopen', { reason: 'The complainant asked us to carry on' });
      expect(reopened.statusCode, reopened.body).toBe(303);
      expect(await representation(reference)).toMatchObject({ status: 'allocated', withdrawn_on: null, closed_on: null, status_before_closure: null, version: before.row.version + 1 });
      const clocks = await clocksOf(reference);
      expect(clocks.stage1_response).toMatchObject({ isOpen: true, dueOn: dueBefore });
      expect(clocks.stage1_response?.events.extensions).toHaveLength(1);
      // The acknowledgement was made: its clock stays stopped.
      expect(clocks.acknowledgement).toMatchObject({ isOpen: false, events: { stoppedOn: '2026-11-23' } });

      const after = await rowsOf(reference);
      const entry = after.history.at(-1);
      expect(entry).toMatchObject({ action: 'reopen', summary: 'Re-opened: The complainant asked us to carry on', user_id: manager.actor.userId });
      expect(JSON.parse(entry?.before ?? '{}')).toMatchObject({ status: 'withdrawn', withdrawn_on: '2026-11-25', status_before_closure: 'allocated' });
      expect(JSON.parse(entry?.after ?? '{}')).toMatchObject({ status: 'allocated', reason: 'The complainant asked us to carry on', clocks_running_again: 'stage1_response' });
      expect(after.audit.at(-1)?.action).toBe('representation_reopen');
      expect(decodeEntities((await manager.browser.get(`/cases/${reference}`)).body)).toContain('Re-opened: The complainant asked us to carry on');

      // Open again, it can be answered (and withdrawn again) as before.
      await stage1(reference, 'record_response', { responded_on: '2026-11-26', finding: 'upheld', remedies: ['apology'] });
      expect(await representation(reference)).toMatchObject({ status: 'responded', finding: 'upheld' });
    });

    it('returns a closed case to "Responded" through the API, refusing first without a reason, for an officer, and for an open case', async () => {
      const reference = await register('2026-11-20');
      await stage1(reference, 'record_response', { responded_on: '2026-11-25', finding: 'not_upheld', remedies: ['explanation'] });
      await stage1(reference, 'close', { closed_on: '2026-11-26' });
      const before = await rowsOf(reference);
      expect(before.row).toMatchObject({ status: 'closed', status_before_closure: 'responded' });
      const version = before.row.version;

      const noReason = await call('POST', apiUrl(reference, 'reopen'), manager.token, { version });
      expect(noReason.statusCode).toBe(400);
      expect(errorOf(noReason)).toMatchObject({ code: 'missing_reason', problems: [{ code: 'missing_reason', field: 'reason' }] });
      const byOfficer = await call('POST', apiUrl(reference, 'reopen'), officer.token, { version, reason: 'Asked again' });
      expect(byOfficer.statusCode).toBe(403);
      expect(errorOf(byOfficer).code).toBe('role_may_not');
      const stale = await call('POST', apiUrl(reference, 'reopen'), manager.token, { version: version - 1, reason: 'Asked again' });
      expect(stale.statusCode).toBe(409);
      expect(errorOf(stale).code).toBe('stale_update');
      expect(await rowsOf(reference)).toEqual(before);

      const reopened = await call('POST', apiUrl(reference, 'reopen'), manager.token, { version, reason: 'The complainant replied to the response' });
      expect(reopened.statusCode, reopened.body).toBe(200);
      expect(actionResultJson.parse(reopened.json())).toMatchObject({ status: 'responded', action: { action: 'reopen', from: 'closed', to: 'responded', acting_role: 'complaints_manager' } });
      expect(await representation(reference)).toMatchObject({ status: 'responded', closed_on: null, responded_on: '2026-11-25' });
      // The response stopped the Stage 1 clock: it stays stopped.
      expect((await clocksOf(reference)).stage1_response).toMatchObject({ isOpen: false, events: { stoppedOn: '2026-11-25' } });

      const open = await rowsOf(reference);
      const again = await call('POST', apiUrl(reference, 'reopen'), manager.token, { version: open.row.version, reason: 'Again' });
      expect(again.statusCode).toBe(409);
      expect(errorOf(again).code).toBe('action_not_allowed_in_status');
      expect(await rowsOf(reference)).toEqual(open);
    });

    it('works out where a case ended before this was recorded returns to, from its history', async () => {
      const reference = await register('2026-11-02');
      await stage1(reference, 'request_information', { requested_on: '2026-11-03', details: 'Which visits' });
      await stage1(reference, 'send_closure_warning', { sent_on: '2026-11-10' });
      await stage1(reference, 'withdraw_no_response', { withdrawn_on: '2026-11-20' });
      await stage1(reference, 'close', { closed_on: '2026-11-23' });
      // As a case withdrawn and closed before the status was kept.
      await kysely().updateTable('representation').set({ status_before_closure: null }).where('reference', '=', reference).execute();

      const reopened = await call('POST', apiUrl(reference, 'reopen'), manager.token, { version: (await representation(reference)).version, reason: 'The information came the day after' });
      expect(reopened.statusCode, reopened.body).toBe(200);
      expect(await representation(reference)).toMatchObject({ status: 'closure_warning_sent', withdrawn_on: null, closed_on: null });
      // The Stage 1 clock runs again, due as it was (16 November: overdue now).
      expect((await clocksOf(reference)).stage1_response).toMatchObject({ isOpen: true, dueOn: '2026-11-16' });
      await stage1(reference, 'record_information_received', { information_received_on: '2026-11-24' });
      expect((await representation(reference)).status).toBe('registered');
    });

    it('is held back for a case withdrawn at Stage 2, writing nothing', async () => {
      const reference = await register('2026-11-02');
      await stage1(reference, 'record_response', { responded_on: '2026-11-12', finding: 'not_upheld', remedies: ['explanation'] });
      const later = async (step: string, input: Record<string, unknown>) => container.laterStages.apply(reference, step, input, officer.actor, (await representation(reference)).version);
      await later('request_stage2', { requested_on: '2026-11-13' });
      await later('withdraw_stage2', { withdrawn_on: '2026-11-20' });
      const before = await rowsOf(reference);
      expect(before.row).toMatchObject({ status: 'closed' });

      const refused = await call('POST', apiUrl(reference, 'reopen'), manager.token, { version: before.row.version, reason: 'Asked again' });
      expect(refused.statusCode).toBe(409);
      expect(errorOf(refused).code).toBe('reopen_later_stage');
      const listed = actionsJson.parse((await call('GET', apiUrl(reference), manager.token)).json());
      expect(listed.actions.find((a) => a.action === 'reopen')).toMatchObject({ is_allowed: false, held_back: { code: 'reopen_later_stage' } });
      expect(await rowsOf(reference)).toEqual(before);
    });
  });
});
