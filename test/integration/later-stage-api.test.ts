/**
 * A complaint taken Stage 1 → 2 → 3 → Ombudsman through the API alone, on both engines, with
 * the coded errors of the Stage 2 and 3 steps and who may call them.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { TEST_PASSWORD, testClock, testContainer } from '../support/builders.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { Role } from '../../src/domain/users/roles.ts';
import { laterStagesJson, statusForStepRefusal } from '../../src/api/later-stage-api.ts';
import { DomainError, InputProblems } from '../../src/domain/errors.ts';
import { multipart } from '../support/multipart.ts';
import { PDF } from '../support/file-samples.ts';

const DECLARED = ['not_member', 'not_officer', 'not_spouse_or_partner'];

describe('statusForStepRefusal', () => {
  it('maps refusals to statuses', () => {
    expect(statusForStepRefusal(new DomainError('case_not_found', 'x'))).toBe(404);
    expect(statusForStepRefusal(new DomainError('role_may_not', 'x'))).toBe(403);
    expect(statusForStepRefusal(new DomainError('stage3_before_stage2_response', 'x'))).toBe(409);
    expect(statusForStepRefusal(new DomainError('stale_update', 'x'))).toBe(409);
    expect(statusForStepRefusal(new InputProblems([new DomainError('missing_name', 'x', 'name')]))).toBe(400);
  });
});

describeEachEngine('Stages 2 and 3 in the API', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: string;
  let senior: string;
  let investigator: { token: string; id: number };
  let stranger: string;

  const tokenFor = async (roles: Role[], scopes: string[]) => {
    const email = `${roles.join('-')}-${String(Math.random()).slice(2, 10)}@test.example`;
    const { user } = await container.users.add({ email, name: `Test ${roles.join(' ')}`, roles, password: TEST_PASSWORD }, CLI_ACTOR);
    return { token: (await container.apiTokens.create(email, 'test', scopes, CLI_ACTOR)).token, id: user.id };
  };
  const call = (method: 'GET' | 'POST', url: string, token: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const stages = (reference: string) => `/api/v1/representations/${reference}/stages`;
  /** Takes a step with the version the case is at now; returns the reply. */
  const take = async (token: string, reference: string, step: string, body: Record<string, unknown>) => {
    const { version } = (await call('GET', stages(reference), officer)).json<{ version: number }>();
    return call('POST', `${stages(reference)}/${step}`, token, { version, ...body });
  };
  const ok = async (token: string, reference: string, step: string, body: Record<string, unknown>) => {
    const reply = await take(token, reference, step, body);
    expect(reply.statusCode, reply.body).toBe(200);
    return laterStagesJson.parse(reply.json());
  };
  const errorOf = (reply: { json: () => unknown }) => (reply.json() as { error: { code: string; problems?: { code: string; field: string | null }[] } }).error;

  beforeAll(async () => {
    container = await testContainer(database(), testClock('2026-11-26T10:00:00.000Z'));
    await container.demo.ensure();
    app = await createApp(container);
    const scopes = ['representations:read', 'representations:write'];
    officer = (await tokenFor(['complaints_officer'], [...scopes, 'ombudsman:read', 'ombudsman:write'])).token;
    senior = (await tokenFor(['senior_manager'], scopes)).token;
    investigator = await tokenFor(['investigator'], scopes);
    stranger = (await tokenFor(['investigator'], scopes)).token;
  });
  afterAll(async () => {
    await app.close();
  });

  it('goes from Stage 1 to an Ombudsman enquiry', async () => {
    const created = await call('POST', '/api/v1/representations', officer, {
      kind: 'children_statutory',
      received_on: '2026-06-01',
      channel: 'email',
      summary: 'Respite care was stopped.',
      complainant_role: 'parent',
      teams: ['Care Management North'],
      complainant: { name: 'Jo Parent' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const reference = created.json<{ representations: { reference: string }[] }>().representations[0]?.reference ?? '';
    const responded = await call('POST', `/api/v1/representations/${reference}/actions/record_response`, officer, { version: 1, responded_on: '2026-06-12', finding: 'not_upheld', remedies: ['explanation'] });
    expect(responded.statusCode, responded.body).toBe(200);

    // The Stage 2 request is offered, with its fields.
    const before = laterStagesJson.parse((await call('GET', stages(reference), officer)).json());
    expect(before.stage2).toBeNull();
    const request = before.steps.find((s) => s.step === 'request_stage2');
    expect(request?.is_allowed).toBe(true);
    expect(request?.fields.find((f) => f.name === 'requested_on')).toMatchObject({ kind: 'date', required: true });

    // Stage 3 first: refused by the state of the case.
    const early = await take(officer, reference, 'request_stage3', { requested_on: '2026-06-15' });
    expect(early.statusCode).toBe(409);
    expect(errorOf(early).code).toBe('stage3_before_stage2_response');

    const requested = await ok(officer, reference, 'request_stage2', { requested_on: '2026-06-15' });
    expect(requested.stage2).toMatchObject({ state: 'investigating', requested_on: '2026-06-15', window_ends_on: '2026-07-10', is_late: false });
    await ok(officer, reference, 'agree_statement', { statement_agreed_on: '2026-06-16', points: ['Respite stopped without a review', 'No written reasons'] });
    await ok(officer, reference, 'appoint_investigator', { name: 'Ira', user_id: investigator.id, is_external: 'no', appointed_on: '2026-06-16' });
    await ok(officer, reference, 'appoint_independent_person', { name: 'Indie', is_external: 'yes', appointed_on: '2026-06-16', declarations: DECLARED, declared_on: '2026-06-16' });

    // Beyond 65 working days: every problem is listed with its field.
    const tooLong = await take(officer, reference, 'extend_stage2', { extra_working_days: 41, extension_reason: 'complexity', complainant_told_on: '2026-06-20' });
    expect(tooLong.statusCode).toBe(400);
    expect(errorOf(tooLong).problems).toEqual([expect.objectContaining({ code: 'extension_beyond_cap', field: 'extra_working_days' })]);
    const unknownField = await take(officer, reference, 'extend_stage2', { extra_working_days: 5, colour: 'blue' });
    expect(errorOf(unknownField)).toMatchObject({ code: 'unknown_field', problems: [{ code: 'unknown_field', field: 'colour' }] });

    // The reason for an extension is a code (listed with its labels); "other" needs the words. A refusal writes nothing.
    const listedSteps = laterStagesJson.parse((await call('GET', stages(reference), officer)).json());
    expect(listedSteps.steps.find((s) => s.step === 'extend_stage2')?.fields.find((f) => f.name === 'extension_reason')?.options).toEqual([
      { value: 'complexity', label: 'The complaint is complex' },
      { value: 'advocate_needed', label: 'The complainant needs an advocate' },
      { value: 'other', label: 'Other' },
    ]);
    const caseRow = () => database().db.kysely.selectFrom('representation').select(['id', 'version']).where('reference', '=', reference).executeTakeFirstOrThrow();
    const stage2Clock = async () => {
      const { id } = await caseRow();
      return database().db.kysely.selectFrom('clock').select(['events', 'due_on', 'version']).where('subject_id', '=', id).where('clock_key', '=', 'stage2_response').executeTakeFirstOrThrow();
    };
    const [rowBefore, clockBefore] = [await caseRow(), await stage2Clock()];
    const unknownReason = await take(officer, reference, 'extend_stage2', { extra_working_days: 5, extension_reason: 'busy', complainant_told_on: '2026-06-20' });
    expect(unknownReason.statusCode).toBe(400);
    expect(errorOf(unknownReason)).toMatchObject({ code: 'invalid_extension_reason', problems: [{ code: 'invalid_extension_reason', field: 'extension_reason' }] });
    const noWords = await take(officer, reference, 'extend_stage2', { extra_working_days: 5, extension_reason: 'other', complainant_told_on: '2026-06-20' });
    expect(noWords.statusCode).toBe(400);
    expect(errorOf(noWords)).toMatchObject({ code: 'missing_extension_reason_text', problems: [{ field: 'extension_reason_text' }] });
    expect(await caseRow()).toEqual(rowBefore);
    expect(await stage2Clock()).toEqual(clockBefore);
    await ok(officer, reference, 'extend_stage2', { extra_working_days: 5, extension_reason: 'other', extension_reason_text: 'The school has the records', complainant_told_on: '2026-06-20' });
    expect(JSON.parse((await stage2Clock()).events)).toMatchObject({ extensions: [{ extraWorkingDays: 5, reasonCode: 'other', reason: 'The school has the records' }] });

    // Appointed, the investigator reads and acts on this case; another investigator cannot see it.
    expect((await call('GET', stages(reference), investigator.token)).statusCode).toBe(200);
    expect(errorOf(await call('GET', stages(reference), stranger)).code).toBe('case_not_found');
    const { version: atReport } = (await call('GET', stages(reference), officer)).json<{ version: number }>();
    const report = multipart({ version: atReport, report_received_on: '2026-07-01' }, { report: { name: 'report.pdf', bytes: PDF, type: 'application/pdf' } });
    const reported = await app.inject({ method: 'POST', url: `${stages(reference)}/record_report`, headers: { authorization: `Bearer ${investigator.token}`, 'content-type': report.contentType }, payload: report.payload });
    expect(reported.statusCode, reported.body).toBe(200);
    expect(laterStagesJson.parse(reported.json()).report_documents).toEqual([expect.objectContaining({ file_name: 'report.pdf', media_type: 'application/pdf' })]);
    const notSenior = await take(officer, reference, 'adjudicate', { responded_on: '2026-07-02', finding_1: 'upheld', finding_2: 'upheld' });
    expect(notSenior.statusCode).toBe(403);
    const noFindings = await take(senior, reference, 'adjudicate', { responded_on: '2026-07-02', finding_1: 'upheld' });
    expect(errorOf(noFindings).code).toBe('adjudication_without_findings');
    const adjudicated = await ok(senior, reference, 'adjudicate', { responded_on: '2026-07-02', finding_1: 'upheld', finding_2: 'not_upheld' });
    expect(adjudicated.stage2).toMatchObject({ state: 'adjudicated', finding: 'partially_upheld' });
    expect(adjudicated.points.map((p) => p.finding)).toEqual(['upheld', 'not_upheld']);

    // A stale version is refused and nothing is written.
    const stale = await call('POST', `${stages(reference)}/request_stage3`, officer, { version: 1, requested_on: '2026-07-06' });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale).code).toBe('stale_update');

    await ok(officer, reference, 'request_stage3', { requested_on: '2026-07-06' });
    const member = (n: number, name: string) => ({ [`member_${String(n)}_name`]: name, [`member_${String(n)}_declarations`]: DECLARED, [`member_${String(n)}_declared_on`]: '2026-07-07' });
    const withIp = await take(officer, reference, 'appoint_panel', { ...member(1, 'Pat'), ...member(2, 'indie'), ...member(3, 'Quinn'), chair: '1', appointed_on: '2026-07-07' });
    expect(errorOf(withIp)).toMatchObject({ code: 'panel_includes_stage2_independent_person', problems: [{ field: 'member_2_name' }] });
    await ok(officer, reference, 'appoint_panel', { ...member(1, 'Pat'), ...member(2, 'Robin'), ...member(3, 'Quinn'), chair: '2', appointed_on: '2026-07-07' });
    await ok(officer, reference, 'record_panel_meeting', { panel_met_on: '2026-08-03', attendees: 'The complainant.' });
    await ok(officer, reference, 'record_recommendations', { recommendations_received_on: '2026-08-07', recommendations: ['Review respite decisions with families'] });
    const finished = await ok(senior, reference, 'record_council_response', { independent_person_consulted_on: '2026-08-20', responded_on: '2026-08-21', decision_1: 'not_accepted', reasons_1: 'Already in place.' });
    expect(finished.stage3).toMatchObject({ state: 'responded', responded_on: '2026-08-21' });
    expect(finished.clocks.find((c) => c.key === 'council_response')).toMatchObject({ due_on: '2026-08-28', is_open: false });

    // And then the Ombudsman.
    const enquiry = await call('POST', '/api/v1/ombudsman-enquiries', officer, { case_reference: reference, lgsco_reference: '26 009 123', received_on: '2026-10-01' });
    expect(enquiry.statusCode, enquiry.body).toBe(201);
    expect(await database().db.kysely.selectFrom('ombudsman_enquiry').select('lgsco_reference').execute()).toEqual([{ lgsco_reference: '26 009 123' }]);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const document = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json<{ paths: Record<string, Record<string, { tags?: string[]; responses: Record<string, unknown> }>> }>();
    expect(document.paths['/api/v1/representations/{reference}/stages']?.get?.tags).toEqual(['stages 2 and 3']);
    expect(Object.keys(document.paths['/api/v1/representations/{reference}/stages/{step}']?.post?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413']);
  });
});
