/**
 * Stage 2 of the Children Act procedure begun without a Stage 1 response, through the API and
 * the step page, on both engines: by agreement with the complainant (which needs the date
 * of the agreement), or once Stage 1 is past its deadline with no response (refused before
 * then). Either way Stage 1 ends "escalated without a response" and the annual report counts
 * it so. Also holds on a Children Act Stage 1 clock: a reason is needed, and the deadline
 * never moves (the 2006 Regulations have no pause), though the case shows "On hold".
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testContainer, type TestClock, aCaseworkToken } from '../support/builders.ts';
import { dateFields, decodeEntities, errorSummary, signedInAs, type Browser, registerThroughApi } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import { laterStagesJson } from '../../src/api/later-stage-api.ts';
import { actionsJson } from '../../src/api/representation-actions-api.ts';
import { presentAnnualReport } from '../../src/reports/annual/annual-report-presenter.ts';

// Thursday 26 November 2026, 10am.
const NOW = '2026-11-26T10:00:00.000Z';

interface ApiError {
  error: { code: string; message: string; problems?: { code: string; field: string | null }[] };
}

describeEachEngine('Stage 2 without a Stage 1 response', (database) => {
  let clock: TestClock;
  let container: Container;
  let app: FastifyInstance;
  let officer: string;
  let browser: Browser;

  const kysely = () => database().db.kysely;
  const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${officer}` }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const stages = (reference: string) => `/api/v1/representations/${reference}/stages`;
  const errorOf = (reply: { json: () => unknown }) => (reply.json() as ApiError).error;

  const register = (receivedOn: string): Promise<string> => registerThroughApi(app, officer, receivedOn);

  const representation = (reference: string) => kysely().selectFrom('representation').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
  const stage2Of = async (reference: string) => {
    const { id } = await representation(reference);
    return kysely().selectFrom('stage2').selectAll().where('representation_id', '=', id).execute();
  };
  const stage1ClockRow = async (reference: string) => {
    const { id } = await representation(reference);
    return kysely().selectFrom('clock').selectAll().where('subject_type', '=', 'representation').where('subject_id', '=', id).where('clock_key', '=', 'stage1_response').executeTakeFirstOrThrow();
  };

  /** Everything a refused step or action must leave as it was. */
  const snapshot = async (reference: string) => {
    const row = await representation(reference);
    const count = async (table: 'history_entry' | 'audit_event' | 'stage2' | 'clock') => (await kysely().selectFrom(table).select('id').execute()).length;
    return {
      representation: row,
      stage2: await stage2Of(reference),
      clocks: await kysely().selectFrom('clock').selectAll().orderBy('id').execute(),
      history: await kysely().selectFrom('history_entry').selectAll().where('subject_type', '=', 'representation').where('subject_id', '=', row.id).orderBy('id').execute(),
      counts: { history: await count('history_entry'), audit: await count('audit_event'), stage2: await count('stage2'), clocks: await count('clock') },
    };
  };

  const versionOf = async (reference: string) => (await representation(reference)).version;
  const requestStage2 = async (reference: string, body: Record<string, unknown>) => call('POST', `${stages(reference)}/request_stage2`, { version: await versionOf(reference), ...body });

  const apiStage1 = async (reference: string) => {
    const response = await call('GET', `/api/v1/representations/${reference}/actions`);
    expect(response.statusCode, response.body).toBe(200);
    return actionsJson.parse(response.json()).clocks.find((c) => c.key === 'stage1_response');
  };

  beforeAll(async () => {
    clock = testClock(NOW);
    container = await testContainer(database(), clock);
    await container.demo.ensure();
    app = await createApp(container);
    officer = await aCaseworkToken(container, ['complaints_officer']);
    browser = await signedInAs(app, container, 'complaints_officer');
  });
  afterAll(async () => {
    await app.close();
  });

  it('goes to Stage 2 by agreement straight after registration, Stage 1 ending escalated without a response', async () => {
    // Received Monday 2 June 2025 (the 2025/26 year, which has no other complaint in this file);
    // the council and the complainant agreed on Tuesday 3 June; the request is dated Wednesday 4 June.
    const reference = await register('2025-06-02');

    // The request step is offered at Stage 1 with no response, with the route and the agreement's date.
    const listed = laterStagesJson.parse((await call('GET', stages(reference))).json());
    const step = listed.steps.find((s) => s.step === 'request_stage2');
    expect(step?.is_allowed).toBe(true);
    expect(step?.fields.map((f) => f.name)).toEqual(['requested_on', 'stage2_route', 'agreed_on']);
    expect(step?.fields.find((f) => f.name === 'stage2_route')).toMatchObject({ required: true, options: [{ value: 'no_response' }, { value: 'by_agreement' }] });
    expect(step?.fields.find((f) => f.name === 'agreed_on')).toMatchObject({ kind: 'date', required: false });

    const reply = await requestStage2(reference, { requested_on: '2025-06-04', stage2_route: 'by_agreement', agreed_on: '2025-06-03' });
    expect(reply.statusCode, reply.body).toBe(200);
    const answered = laterStagesJson.parse(reply.json());
    expect(answered.stage2).toMatchObject({ state: 'investigating', requested_on: '2025-06-04', route: 'by_agreement', agreed_on: '2025-06-03' });
    expect(answered.clocks.filter((c) => c.key.startsWith('stage2')).every((c) => c.is_open)).toBe(true);
    expect(await apiStage1(reference)).toMatchObject({ is_open: false });

    expect(await representation(reference)).toMatchObject({ status: 'stage2', stage: 2, responded_on: null, finding: null });
    expect(await stage2Of(reference)).toEqual([expect.objectContaining({ route: 'by_agreement', agreed_on: '2025-06-03', requested_on: '2025-06-04', state: 'investigating' })]);
    expect(await stage1ClockRow(reference)).toMatchObject({ is_open: 0 });
    const { id } = await representation(reference);
    const stage2Clocks = await kysely().selectFrom('clock').select(['clock_key', 'is_open', 'started_on']).where('subject_id', '=', id).where('clock_key', 'like', 'stage2%').execute();
    expect(stage2Clocks.length).toBeGreaterThan(0);
    expect(stage2Clocks.every((c) => c.is_open === 1)).toBe(true);
    const history = await kysely().selectFrom('history_entry').select(['action', 'after']).where('subject_type', '=', 'representation').where('subject_id', '=', id).orderBy('id').execute();
    expect(history.at(-1)?.after ?? '').toContain('escalated without a response');

    // The annual report: escalated without a response, not open; its sums still add up.
    const report = await container.annualReports.report(2025, { asAt: '2026-11-26' });
    expect(report.figures.children_statutory.received).toBe(1);
    expect(report.figures.children_statutory.stage1).toMatchObject({ responded: 0, withdrawn: 0, escalated_without_response: 1, open: 0 });
    expect(report.figures.children_statutory.stage1.timescales).toEqual({ '0-10': 0, '11-20': 0, '21-25': 0, '26-30': 0, '31+': 0 });
    expect(report.figures.children_statutory.stage2.requested).toBe(1);
    expect(report.checks.filter((c) => !c.holds)).toEqual([]);
    expect(report.checks.length).toBeGreaterThan(0);
    expect(report.details.escalations).toEqual({ pastDeadline: 0, byAgreement: 1 });
    expect(presentAnnualReport(report).sections.find((section) => section.id === 'findings')?.paragraphs[0]).toBe(
      'Of the 1 complaint received, 0 were responded to at Stage 1, 0 were withdrawn, 1 went to Stage 2 without a Stage 1 response (0 once Stage 1 was past its deadline, 1 by agreement with the complainant) and 0 were still open on 26 November 2026.',
    );
  });

  it('refuses an agreement with no date (400 missing_agreed_on), through the API and the step page, writing nothing', async () => {
    const reference = await register('2026-11-20');
    const before = await snapshot(reference);

    const reply = await requestStage2(reference, { requested_on: '2026-11-24', stage2_route: 'by_agreement' });
    expect(reply.statusCode).toBe(400);
    expect(errorOf(reply)).toMatchObject({ code: 'missing_agreed_on', problems: [{ code: 'missing_agreed_on', field: 'agreed_on' }] });
    expect(await snapshot(reference)).toEqual(before);

    // The step page: the routes as radios and the date of the agreement; the same refusal in its error summary.
    const url = `/cases/${reference}/stages/request_stage2`;
    const form = await browser.get(url);
    expect(form.statusCode, form.body).toBe(200);
    expect(form.body).toContain('name="stage2_route" type="radio" value="no_response"');
    expect(form.body).toContain('name="stage2_route" type="radio" value="by_agreement"');
    expect(form.body).toContain('name="agreed_on-day"');
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const posted = await browser.post(url, { _csrf: csrf, version, ...dateFields('requested_on', '2026-11-24'), stage2_route: 'by_agreement' });
    expect(posted.statusCode).toBe(400);
    expect(errorSummary(posted.body)).toEqual(['Enter the date the council and the complainant agreed to go straight to Stage 2']);
    expect(posted.body).toContain('href="#agreed_on"');
    const after = await snapshot(reference);
    // Reading the pages may audit the view; nothing else may change.
    expect({ ...after, counts: { ...after.counts, audit: before.counts.audit } }).toEqual(before);
  });

  it('refuses "no response" before the Stage 1 deadline (400 stage1_not_overdue), writing nothing', async () => {
    // Received Friday 20 November 2026: working days 23, 24, 25, 26, 27, 30 November, 1, 2, 3, 4
    // December → due Friday 4 December 2026. On Thursday 26 November it is not overdue.
    const reference = await register('2026-11-20');
    expect(await apiStage1(reference)).toMatchObject({ due_on: '2026-12-04' });
    const before = await snapshot(reference);
    const reply = await requestStage2(reference, { requested_on: '2026-11-26', stage2_route: 'no_response' });
    expect(reply.statusCode).toBe(400);
    expect(errorOf(reply)).toMatchObject({ code: 'stage1_not_overdue', problems: [{ code: 'stage1_not_overdue', field: 'stage2_route' }] });
    expect(errorOf(reply).message).toContain('4 December 2026');
    expect(await snapshot(reference)).toEqual(before);
  });

  it('accepts "no response" once Stage 1 is past its deadline on the request date', async () => {
    const reference = await register('2026-11-20');
    // Later: Tuesday 8 December 2026.
    clock.set('2026-12-08T10:00:00.000Z');
    try {
      const before = await snapshot(reference);
      // On the deadline itself (Friday 4 December) Stage 1 is not yet overdue.
      const onDeadline = await requestStage2(reference, { requested_on: '2026-12-04', stage2_route: 'no_response' });
      expect(onDeadline.statusCode).toBe(400);
      expect(errorOf(onDeadline).code).toBe('stage1_not_overdue');
      expect(await snapshot(reference)).toEqual(before);

      // Monday 7 December is working day 11: overdue, with no response.
      const reply = await requestStage2(reference, { requested_on: '2026-12-07', stage2_route: 'no_response' });
      expect(reply.statusCode, reply.body).toBe(200);
      expect(laterStagesJson.parse(reply.json()).stage2).toMatchObject({ state: 'investigating', requested_on: '2026-12-07', route: 'no_response', agreed_on: null });
      expect(await representation(reference)).toMatchObject({ status: 'stage2', stage: 2, responded_on: null });
      expect(await stage2Of(reference)).toEqual([expect.objectContaining({ route: 'no_response', agreed_on: null, requested_on: '2026-12-07' })]);
      expect(await stage1ClockRow(reference)).toMatchObject({ is_open: 0, due_on: '2026-12-04' });

      // A second request is refused.
      const again = await requestStage2(reference, { requested_on: '2026-12-07', stage2_route: 'no_response' });
      expect(again.statusCode).toBe(409);
      expect(errorOf(again).code).toBe('stage2_already_requested');
    } finally {
      clock.set(NOW);
    }
  });

  it('refuses a hold on Stage 1 with no reason (400 naming the field), writing nothing', async () => {
    const reference = await register('2026-11-20');
    const before = await snapshot(reference);
    const reply = await call('POST', `/api/v1/representations/${reference}/actions/pause`, { version: await versionOf(reference), paused_on: '2026-11-24' });
    expect(reply.statusCode).toBe(400);
    expect(errorOf(reply).problems?.map((p) => p.field)).toEqual(['reason']);
    const blank = await call('POST', `/api/v1/representations/${reference}/actions/pause`, { version: await versionOf(reference), paused_on: '2026-11-24', reason: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(errorOf(blank).problems?.map((p) => p.field)).toEqual(['reason']);
    expect(await snapshot(reference)).toEqual(before);
  });

  it('records a hold on a Children Act case without moving the Stage 1 deadline, and shows it on the case page', async () => {
    const reference = await register('2026-11-20');
    expect(await apiStage1(reference)).toMatchObject({ due_on: '2026-12-04', tag: 'on_track' });

    const paused = await call('POST', `/api/v1/representations/${reference}/actions/pause`, {
      version: await versionOf(reference),
      paused_on: '2026-11-24',
      reason: 'Waiting for the complainant to agree what the complaint is.',
    });
    expect(paused.statusCode, paused.body).toBe(200);
    // As at Thursday 26 November: 27, 30 November, 1, 2, 3, 4 December left — 6 working days, hold or not.
    expect(await apiStage1(reference)).toMatchObject({ due_on: '2026-12-04', is_open: true, text: 'On hold: due in 6 working days' });
    expect((await stage1ClockRow(reference)).due_on).toBe('2026-12-04');
    const page = decodeEntities((await browser.get(`/cases/${reference}`)).body);
    expect(page).toContain('On hold');
    expect(page).toContain('On hold: due in 6 working days');
    expect(page).toContain('4 December 2026');

    const resumed = await call('POST', `/api/v1/representations/${reference}/actions/resume`, { version: await versionOf(reference), resumed_on: '2026-11-25', reason: 'The complainant agreed.' });
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(await apiStage1(reference)).toMatchObject({ due_on: '2026-12-04', text: 'Due in 6 working days' });
    expect((await stage1ClockRow(reference)).due_on).toBe('2026-12-04');
    expect(decodeEntities((await browser.get(`/cases/${reference}`)).body)).not.toContain('On hold: due');
  });
});
