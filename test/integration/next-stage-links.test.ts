/**
 * Asking for the next stage online, on both engines: the Stage 1 response emails a secure
 * link (through a real SMTP server); the page it opens takes the complainant's words once,
 * records them on the case and tells the complaints managers; wrong, expired and used links
 * get a clear page with nobody's data; the adjudication sends a link for a review panel.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aStaffMember, teamIdsByName, testClock, testConfig, testContainer, type TestClock } from '../support/builders.ts';
import { decodeEntities, errorSummary, signedInAs } from '../support/http.ts';
import { PublicVisitor } from '../support/public-visitor.ts';
import { aReport } from '../support/multipart.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';

const BASE_URL = 'https://redress.example.gov.uk';
const START = '2026-11-26T10:00:00.000Z';
const DAY = 24 * 60 * 60 * 1000;
const LINK = /https:\/\/redress\.example\.gov\.uk(\/respond\/stage-([23])\/([A-Za-z0-9_-]+))/;

describeEachEngine('asking for the next stage through a secure link', (database) => {
  let smtp: TestSmtpServer;
  let clock: TestClock;
  let container: Container;
  let app: FastifyInstance;
  let officer: StaffActor;
  let senior: StaffActor;
  let teamId: (name: string) => number;
  let sequence = 0;

  const kysely = () => database().db.kysely;
  const versionOf = async (reference: string) => (await kysely().selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
  const idOf = async (reference: string) => (await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id;
  const deliver = async () => {
    const worker = container.notifications.worker({ workerId: `worker-${String(++sequence)}` });
    if (worker === undefined) throw new Error('no transport');
    return worker.runOnce();
  };

  /** A parent's complaint answered at Stage 1 today. */
  async function answered(email: string | null = `parent-${String(++sequence)}@example.org`): Promise<string> {
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-11-24', channel: 'email', summary: 'Contact visits were cancelled.', complainant_role: 'parent' },
        teamIds: [teamId('Care Management North')],
        complainant: { name: 'Sam Parent', ...(email === null ? {} : { email }) },
      },
      officer,
    );
    const reference = made?.reference ?? '';
    await container.caseActions.apply(reference, 'record_response', { responded_on: '2026-11-26', finding: 'not_upheld', remedies: ['explanation'] }, officer, 1);
    return reference;
  }

  async function linkFor(reference: string, stage: '2' | '3'): Promise<string> {
    await deliver();
    const mails = smtp.received.filter((m) => m.subject === `If you are not satisfied with our response (${reference})`);
    const match = mails.map((m) => LINK.exec(m.body)).find((m) => m?.[2] === stage);
    if (match?.[1] === undefined) throw new Error(`no Stage ${stage} link for ${reference}`);
    return match[1];
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    clock = testClock(START);
    container = await testContainer(database(), clock, testConfig({ NOTIFY_TRANSPORT: 'smtp', SMTP_URL: smtp.url, MAIL_FROM: 'Complaints <complaints@council.example>', PUBLIC_BASE_URL: BASE_URL }));
    await container.demo.ensure();
    teamId = await teamIdsByName(container);
    officer = await aStaffMember(container, ['complaints_officer']);
    senior = await aStaffMember(container, ['senior_manager']);
    app = await createApp(container);
  });
  afterAll(async () => {
    await app.close();
    await container.notifications.stop();
    await smtp.close();
  });
  beforeEach(() => {
    clock.set(START);
    smtp.received.length = 0;
  });

  it('emails a link with the Stage 1 response, takes the request once and puts it before the complaints team', async () => {
    const reference = await answered();
    const path = await linkFor(reference, '2');
    const mail = smtp.received.find((m) => m.subject.includes(reference));
    // 20 working days from Thursday 26 November 2026: Thursday 24 December.
    expect(mail?.body.replace(/\s+/g, ' ')).toContain('Please ask by 24 December 2026');

    const visitor = new PublicVisitor(app);
    const page = await visitor.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).not.toContain(reference);
    expect(page.body).not.toContain('Sam Parent');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';

    const empty = await visitor.post(path, { _csrf: csrf, reason: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(errorSummary(empty.body)).toEqual(['Tell us what you are still unhappy about']);
    const forged = await visitor.post(path, { reason: 'No token' });
    expect(forged.statusCode).toBe(403);

    const sent = await visitor.post(path, { _csrf: csrf, reason: 'The visits are still being cancelled. <script>alert(1)</script>' });
    expect(sent.statusCode, sent.body.slice(0, 400)).toBe(303);
    expect(sent.headers.location).toBe('/respond/next-stage/sent');
    const repId = await idOf(reference);
    const note = await kysely().selectFrom('case_note').select(['body', 'user_id']).where('representation_id', '=', repId).executeTakeFirstOrThrow();
    expect(note.body).toContain('The visits are still being cancelled.');
    expect(note.user_id).toBeNull();
    const history = await kysely().selectFrom('history_entry').select(['action', 'after']).where('subject_id', '=', repId).where('action', '=', 'stage2_requested_online').execute();
    expect(history.map((h) => JSON.parse(h.after ?? '{}') as unknown)).toEqual([{ requested_on: '2026-11-26' }]);
    const toManagers = await kysely().selectFrom('notification_outbox').select(['template_key', 'personalisation']).where('template_key', '=', 'next_stage_requested').where('subject_id', '=', repId).execute();
    expect(toManagers.length).toBeGreaterThanOrEqual(1);
    expect(toManagers.map((m) => m.personalisation).join(' ')).not.toContain('visits are still');

    // Used: said so, nothing recorded twice.
    const again = await visitor.post(path, { _csrf: csrf, reason: 'Again' });
    expect(again.statusCode).toBe(410);
    expect(await kysely().selectFrom('case_note').select('id').where('representation_id', '=', repId).execute()).toHaveLength(1);

    // The case page asks the team to record it; the complainant's words show as text.
    const staff = await signedInAs(app, container, 'complaints_officer');
    const casePage = decodeEntities((await staff.get(`/cases/${reference}`)).body);
    expect(casePage).toContain('Stage 2 was asked for online on 26 November 2026: record the request, dated that day.');
    expect((await staff.get(`/cases/${reference}`)).body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('offers a corporate complainant the corporate Stage 2, not an independent investigation', async () => {
    const [made] = await container.registration.register(
      {
        fields: { kind: 'corporate', received_on: '2026-11-16', channel: 'email', summary: 'Contact visits were cancelled.', complainant_role: 'parent' },
        teamIds: [teamId('Care Management North')],
        complainant: { name: 'Sam Parent', email: `corporate-${String(++sequence)}@example.org` },
      },
      officer,
    );
    const reference = made?.reference ?? '';
    await container.caseActions.apply(reference, 'acknowledge', { acknowledged_on: '2026-11-16' }, officer, await versionOf(reference));
    await container.caseActions.apply(reference, 'record_response', { responded_on: '2026-11-26', finding: 'not_upheld', remedies: ['explanation'] }, officer, await versionOf(reference));
    const path = await linkFor(reference, '2');
    const mail = smtp.received.find((m) => m.subject === `If you are not satisfied with our response (${reference})`)?.body.replace(/\s+/g, ' ') ?? '';
    expect(mail).toContain('you can ask for Stage 2 of the complaints procedure (we look at your complaint again)');
    expect(mail).not.toContain('independent investigation');
    expect(mail).toContain('Please ask by 24 December 2026');
    const page = await new PublicVisitor(app).get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('we look at your complaint again');
    expect(page.body).not.toContain('independent investigation');
  });

  it('gives wrong and expired links the same page, showing nobody’s data', async () => {
    const reference = await answered();
    const path = await linkFor(reference, '2');
    const visitor = new PublicVisitor(app);
    const wrong = await visitor.get(`/respond/stage-2/${'A'.repeat(43)}`);
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).toContain('This link does not work');
    // A Stage 2 link does not open the Stage 3 page.
    expect((await visitor.get(path.replace('/stage-2/', '/stage-3/'))).statusCode).toBe(404);
    clock.set(new Date(Date.parse(START) + 43 * DAY).toISOString());
    const expired = await visitor.get(path);
    expect(expired.statusCode).toBe(404);
    // The same page as for a token that never existed (but for its nonce and CSRF token).
    const strip = (html: string) => html.replace(/nonce="[^"]*"/g, '').replace(/value="[^"]*"/g, '');
    expect(strip(expired.body)).toBe(strip(wrong.body));
    expect(expired.body).not.toContain(reference);
  });

  it('gives up at once, without an email, when the link has expired before its email could go', async () => {
    const reference = await answered();
    // The outbox could not send for longer than the link lasts.
    clock.set(new Date(Date.parse(START) + 43 * DAY).toISOString());
    await deliver();
    expect(smtp.received.filter((m) => m.subject.includes(reference))).toHaveLength(0);
    const [row] = await kysely()
      .selectFrom('notification_outbox')
      .select(['status', 'attempts', 'last_error'])
      .where('template_key', '=', 'next_stage_link')
      .where('personalisation', 'like', `%${reference}%`)
      .execute();
    expect(row).toEqual({ status: 'failed', attempts: 1, last_error: 'secure link used or expired' });
  });

  it('sends no link without an email address, and a review panel link with the adjudication', async () => {
    const silent = await answered(null);
    await deliver();
    expect(smtp.received.filter((m) => m.subject.includes(silent))).toHaveLength(0);

    const reference = await answered();
    const step = async (name: string, input: Record<string, unknown>, actor: StaffActor = officer) => container.laterStages.apply(reference, name, input, actor, await versionOf(reference));
    await step('request_stage2', { requested_on: '2026-11-26' });
    await step('agree_statement', { statement_agreed_on: '2026-11-26', points: 'One' });
    await step('appoint_investigator', { name: 'Ira', is_external: 'no', appointed_on: '2026-11-26' });
    await step('appoint_independent_person', { name: 'Indie', is_external: 'yes', appointed_on: '2026-11-26', declarations: ['not_member', 'not_officer', 'not_spouse_or_partner'], declared_on: '2026-11-26' });
    await step('record_report', { report_received_on: '2026-11-26', report: aReport() });
    await step('adjudicate', { responded_on: '2026-11-26', finding_1: 'upheld' }, senior);
    smtp.received.length = 0;
    const path = await linkFor(reference, '3');
    expect((await new PublicVisitor(app).get(path)).body).toContain('a review panel (Stage 3 of the complaints procedure)');
  });
});
