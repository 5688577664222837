/**
 * The Ombudsman register through the API, on both engines: an enquiry from receipt to
 * compliance, coded errors (400 with every problem, 404, 409 on a stale version), scopes and
 * roles, and the OpenAPI document.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aStaffMember, testClock, testContainer, teamIdsByName } from '../support/builders.ts';
import { createApp } from '../../src/web/app.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Container } from '../../src/container.ts';
import type { Role } from '../../src/domain/users/roles.ts';

const NOW = '2026-11-26T10:00:00.000Z';
const BASE = '/api/v1/ombudsman-enquiries';

describeEachEngine('the Ombudsman API', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let keeper: string;
  let complaint: string;

  const tokenFor = async (roles: Role[], scopes: string[]): Promise<string> => {
    const { email } = await aStaffMember(container, roles);
    return (await container.apiTokens.create(email, 'test', scopes, CLI_ACTOR)).token;
  };
  const call = async (method: 'GET' | 'POST', url: string, token: string, payload?: unknown) => {
    const response = await app.inject({ method, url, payload: payload as Record<string, unknown> | undefined, headers: { authorization: `Bearer ${token}` } });
    return { status: response.statusCode, body: response.json<Record<string, unknown> & { error?: { code: string; problems?: { code: string }[] } }>() };
  };

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    app = await createApp(container);
    const officer = await aStaffMember(container, ['complaints_officer']);
    const teamId = await teamIdsByName(container);
    const [made] = await container.registration.register(
      { fields: { kind: 'children_statutory', received_on: '2026-03-02', channel: 'email', summary: 'Contact was cancelled.', complainant_role: 'parent' }, teamIds: [teamId('Fostering')], complainant: { name: 'Sam Parent' } },
      officer,
    );
    complaint = made?.reference ?? '';
    keeper = await tokenFor(['complaints_officer'], ['ombudsman:read', 'ombudsman:write']);
  });
  afterAll(async () => {
    await app.close();
  });

  it('takes an enquiry from receipt to compliance, version by version', async () => {
    const created = await call('POST', BASE, keeper, { case_reference: complaint, lgsco_reference: '26 100 001', received_on: '2026-10-01' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ lgsco_reference: '26 100 001', case_reference: complaint, state: 'awaiting_decision', version: 1 });
    const url = `${BASE}/${String(created.body.id)}`;

    const asked = await call('POST', `${url}/information-requests`, keeper, { version: 1, requested_on: '2026-10-02', due_on: '2026-10-16', details: 'Case notes' });
    expect(asked.body).toMatchObject({ state: 'awaiting_information', version: 2, information_requests: [{ due_on: '2026-10-16', answered_on: null }] });
    const requestId = (asked.body.information_requests as { id: number }[])[0]?.id ?? 0;
    const answered = await call('POST', `${url}/information-requests/${String(requestId)}/answer`, keeper, { version: 2, answered_on: '2026-10-15' });
    expect(answered.body).toMatchObject({ state: 'awaiting_decision', version: 3 });

    const decided = await call('POST', `${url}/decision`, keeper, { version: 3, decision: 'upheld', decided_on: '2026-11-10', fault: true, injustice: true, amount_pence: 25_050, compliance_due_on: '2026-12-10' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ decision: 'upheld', fault: true, remedy: { apology: false, amount_pence: 25_050 }, state: 'remedy_due', version: 4 });
    const complied = await call('POST', `${url}/compliance`, keeper, { version: 4, done_on: '2026-11-20' });
    expect(complied.body).toMatchObject({ state: 'closed', compliance_done_on: '2026-11-20', version: 5 });

    const list = await call('GET', `${BASE}?state=closed`, keeper);
    expect((list.body.enquiries as { lgsco_reference: string }[]).map((e) => e.lgsco_reference)).toContain('26 100 001');
  });

  it('answers bad input, unknown enquiries and stale versions with coded errors, writing nothing', async () => {
    const bad = await call('POST', BASE, keeper, { case_reference: complaint, lgsco_reference: '', received_on: '2026-02-31' });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.problems?.map((p) => p.code)).toEqual(['missing_lgsco_reference', 'invalid_received_on']);
    expect((await call('POST', BASE, keeper, { case_reference: 'CSC-2026-9999', lgsco_reference: 'X1', received_on: '2026-10-01' })).body.error?.code).toBe('case_not_found');
    expect((await call('GET', `${BASE}/999999`, keeper)).status).toBe(404);

    const created = await call('POST', BASE, keeper, { case_reference: complaint, lgsco_reference: '26 100 002', received_on: '2026-10-01' });
    const url = `${BASE}/${String(created.body.id)}`;
    const noFault = await call('POST', `${url}/decision`, keeper, { version: 1, decision: 'upheld', decided_on: '2026-11-10', fault: false });
    expect(noFault.status).toBe(400);
    expect(noFault.body.error?.code).toBe('upheld_without_fault');
    const stale = await call('POST', `${url}/decision`, keeper, { version: 0, decision: 'premature', decided_on: '2026-11-10' });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('stale_update');
    expect((await call('GET', url, keeper)).body).toMatchObject({ version: 1, decision: null });
  });

  it('needs the scope and a role that keeps the register', async () => {
    const readOnly = await tokenFor(['complaints_officer'], ['ombudsman:read']);
    expect((await call('GET', BASE, readOnly)).status).toBe(200);
    expect((await call('POST', BASE, readOnly, { case_reference: complaint, lgsco_reference: 'X2', received_on: '2026-10-01' })).status).toBe(403);
    const viewer = await tokenFor(['viewer'], ['ombudsman:read', 'ombudsman:write']);
    expect((await call('GET', BASE, viewer)).status).toBe(200);
    expect((await call('POST', BASE, viewer, { case_reference: complaint, lgsco_reference: 'X3', received_on: '2026-10-01' })).status).toBe(403);
    const casesOnly = await tokenFor(['complaints_officer'], ['representations:read']);
    expect((await call('GET', BASE, casesOnly)).status).toBe(403);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([BASE, `${BASE}/{enquiryId}`, `${BASE}/{enquiryId}/decision`, `${BASE}/{enquiryId}/information-requests/{requestId}/answer`]));
  });
});
