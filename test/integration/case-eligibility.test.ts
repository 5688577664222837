/**
 * What decides and records eligibility (who complains for whom, proceedings, the details of
 * each decision), replies to comments, and a reclassified case's clocks — through the pages,
 * on both engines.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { TEST_PASSWORD, testClock, testContainer } from '../support/builders.ts';
import { Browser, decodeEntities, errorSummary, dateFields } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';

// Thursday 26 November 2026, 10am.
const NOW = '2026-11-26T10:00:00.000Z';


describeEachEngine('eligibility facts, replies and reclassified clocks', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: Browser;
  let officerActor: StaffActor;
  let northId: number;
  const kysely = () => database().db.kysely;

  const register = async (fields: Record<string, unknown>): Promise<string> => {
    const [made] = await container.registration.register(
      {
        fields: { received_on: '2026-11-16', channel: 'email', via_complaints_team: 'yes', summary: 'Contact visits were cancelled.', ...fields },
        teamIds: [northId],
        complainant: { name: 'Alex Relative' },
      },
      officerActor,
    );
    if (made === undefined) throw new Error('nothing registered');
    return made.reference;
  };

  const url = (reference: string, action: string) => `/cases/${reference}/actions/${action}`;
  const act = async (reference: string, action: string, form: Record<string, string | string[]>): Promise<LightMyRequestResponse> => {
    const page = await officer.get(url(reference, action));
    expect(page.statusCode, page.body).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return officer.post(url(reference, action), { _csrf: csrf, version, ...form });
  };
  const representation = (reference: string) => kysely().selectFrom('representation').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
  const clocksOf = async (reference: string) => {
    const { id } = await representation(reference);
    const rows = await kysely().selectFrom('clock').selectAll().where('subject_type', '=', 'representation').where('subject_id', '=', id).orderBy('id').execute();
    return Object.fromEntries(rows.map((r) => [r.clock_key, { procedure: r.procedure_kind, isOpen: r.is_open === 1, dueOn: r.due_on, events: JSON.parse(r.events) as Record<string, unknown> }]));
  };

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    app = await createApp(container);
    northId = (await container.organisation.listTeams()).find((t) => t.name === 'Care Management North')?.id ?? 0;
    const email = `officer-${String(Math.random()).slice(2, 10)}@test.example`;
    const { user } = await container.users.add({ email, name: 'Test Officer', roles: ['complaints_officer'], password: TEST_PASSWORD }, CLI_ACTOR);
    officer = new Browser(app);
    await officer.signIn(email, TEST_PASSWORD);
    officerActor = { userId: user.id, roles: ['complaints_officer'], teamId: null, ip: '192.0.2.9', requestId: 'r-test' };
  });
  afterAll(async () => {
    await app.close();
  });

  it('stores parental responsibility and proceedings given at registration, and asks for the decisions they call for', async () => {
    const reference = await register({ kind: 'children_statutory', complainant_role: 'relative', parental_responsibility: 'yes', proceedings: 'yes' });
    expect(await representation(reference)).toMatchObject({ has_parental_responsibility: 1, is_made_for_child: null, has_proceedings: 1 });
    const page = decodeEntities((await officer.get(`/cases/${reference}`)).body);
    expect(page).toContain('Court or other proceedings');
    // A relative with parental responsibility needs no sufficient-interest decision, but proceedings call for one.
    expect(page).toContain('court or other proceedings');
    expect(page).not.toContain('sufficient interest decision');
  });

  it('records circumstances later, refuses an empty form, and keeps the change in the history', async () => {
    const reference = await register({ kind: 'children_statutory', complainant_role: 'parent' });
    const empty = await act(reference, 'record_circumstances', {});
    expect(empty.statusCode).toBe(400);
    expect(errorSummary(empty.body)).toContain('Answer at least one question');
    expect(await representation(reference)).toMatchObject({ version: 1, has_proceedings: null });

    const saved = await act(reference, 'record_circumstances', { proceedings: 'yes' });
    expect(saved.statusCode, saved.body).toBe(303);
    const row = await representation(reference);
    expect(row).toMatchObject({ version: 2, has_proceedings: 1 });
    const entry = await kysely().selectFrom('history_entry').selectAll().where('subject_id', '=', row.id).where('action', '=', 'record_circumstances').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.before ?? '{}')).toEqual({ has_proceedings: null });
    expect(JSON.parse(entry.after ?? '{}')).toMatchObject({ has_proceedings: 1 });
  });

  it('keeps the young person’s views, the date the complainant was told and the parts declined with each decision', async () => {
    const reference = await register({ kind: 'children_statutory', complainant_role: 'relative' });
    const saved = await act(reference, 'record_eligibility_decision', {
      decision: 'sufficient_interest',
      outcome: 'accepted',
      ...dateFields('decided_on', '2026-11-18'),
      reason: 'The grandmother cares for the child at weekends.',
      child_views: 'The young person wants her to speak for him.',
      ...dateFields('notified_on', '2026-11-19'),
    });
    expect(saved.statusCode, saved.body).toBe(303);
    const { id } = await representation(reference);
    const decision = await kysely().selectFrom('eligibility_decision').selectAll().where('representation_id', '=', id).executeTakeFirstOrThrow();
    expect(decision).toMatchObject({ kind: 'sufficient_interest', outcome: 'accepted', child_views: 'The young person wants her to speak for him.', notified_on: '2026-11-19', parts_declined: null });
    const page = decodeEntities((await officer.get(`/cases/${reference}`)).body);
    expect(page).toContain('The young person wants her to speak for him.');
    expect(page).toContain('19 November 2026');
  });

  it('keeps a reply to a comment, shows it on the case, and leaves the reply out of a complaint’s response form', async () => {
    const comment = await register({ kind: 'comment' });
    const form = decodeEntities((await officer.get(url(comment, 'record_response'))).body);
    expect(form).toContain('name="reply"');
    const saved = await act(comment, 'record_response', { ...dateFields('responded_on', '2026-11-20'), reply: 'Thank you: the leaflet now has <b>large print</b>.' });
    expect(saved.statusCode, saved.body).toBe(303);
    expect(await representation(comment)).toMatchObject({ status: 'responded', reply: 'Thank you: the leaflet now has <b>large print</b>.' });
    const page = (await officer.get(`/cases/${comment}`)).body;
    expect(page).toContain('the leaflet now has &lt;b&gt;large print&lt;/b&gt;.');

    const complaint = await register({ kind: 'children_statutory', complainant_role: 'parent' });
    expect((await officer.get(url(complaint, 'record_response'))).body).not.toContain('name="reply"');
  });

  it('starts the statutory clocks from receipt when an informal complaint becomes a statutory one', async () => {
    const reference = await register({ kind: 'informal', complainant_role: 'parent', informal_reason: 'Resolved on the telephone at first' });
    expect(await clocksOf(reference)).toEqual({});
    const saved = await act(reference, 'reclassify', { to_kind: 'children_statutory', ...dateFields('reclassified_on', '2026-11-20'), reason: 'The parent asked for a formal response' });
    expect(saved.statusCode, saved.body).toBe(303);
    // Received Monday 16 November: acknowledgement 2 WD (Wednesday 18), response 10 WD (Monday 30).
    const clocks = await clocksOf(reference);
    expect(clocks.acknowledgement).toMatchObject({ procedure: 'children_statutory', isOpen: true, dueOn: '2026-11-18' });
    expect(clocks.stage1_response).toMatchObject({ procedure: 'children_statutory', isOpen: true, dueOn: '2026-11-30' });
    const { id } = await representation(reference);
    const entry = await kysely().selectFrom('history_entry').selectAll().where('subject_id', '=', id).where('action', '=', 'reclassify').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.after ?? '{}')).toMatchObject({ kind: 'children_statutory', stage1_response_due_on: '2026-11-30' });
  });

  it('stops every clock when a complaint is forwarded to another agency', async () => {
    const reference = await register({ kind: 'children_statutory', complainant_role: 'parent' });
    const saved = await act(reference, 'reclassify', {
      to_kind: 'other_agency',
      ...dateFields('reclassified_on', '2026-11-20'),
      reason: 'It is about the school',
      agency: 'The school',
      ...dateFields('forwarded_on', '2026-11-20'),
    });
    expect(saved.statusCode, saved.body).toBe(303);
    const clocks = await clocksOf(reference);
    expect(Object.values(clocks).map((c) => c.isOpen)).toEqual([false, false]);
    expect(await representation(reference)).toMatchObject({ kind: 'other_agency', agency: 'The school', forwarded_on: '2026-11-20' });
  });

  it('puts the clocks under the corporate procedure, running from the acknowledgement, extension included', async () => {
    const reference = await register({ kind: 'children_statutory', complainant_role: 'parent' });
    expect((await act(reference, 'acknowledge', dateFields('acknowledged_on', '2026-11-17'))).statusCode).toBe(303);
    expect((await act(reference, 'extend', { extra_working_days: '10', extension_reason: 'complexity', ...dateFields('complainant_told_on', '2026-11-18') })).statusCode).toBe(303);
    const saved = await act(reference, 'reclassify', { to_kind: 'corporate', ...dateFields('reclassified_on', '2026-11-20'), reason: 'About the council’s billing, not the child’s care' });
    expect(saved.statusCode, saved.body).toBe(303);
    // Corporate Stage 1: 10 WD from the acknowledgement (Tuesday 17 November) → Tuesday 1 December; +10 allowed, so the extension carries over.
    const clocks = await clocksOf(reference);
    expect(clocks.stage1_response).toMatchObject({ procedure: 'corporate', isOpen: true, dueOn: '2026-12-15', events: { startedOn: '2026-11-17' } });
    expect(clocks.acknowledgement).toMatchObject({ procedure: 'corporate', isOpen: false });
  });
});
