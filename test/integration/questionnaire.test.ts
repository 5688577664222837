/**
 * Secure links and the satisfaction questionnaire end to end, on both engines: closing a
 * responded complaint enqueues the questionnaire in the same transaction; a worker sends it
 * through a real SMTP server; the link read from the email opens the questionnaire, which is
 * answered once; wrong, forged, expired and used links get a clear page with nobody's data;
 * the job sends one reminder; the summary by year is counted; staff pages check roles.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aStaffMember, teamIdsByName, testClock, testConfig, testContainer, type TestClock } from '../support/builders.ts';
import { errorSummary, signedInAs, type Browser } from '../support/http.ts';
import { PublicVisitor } from '../support/public-visitor.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import { hashToken, newToken } from '../../src/app/secure-link-service.ts';
import { expiresAfter } from '../../src/domain/links/secure-link.ts';
import { presentAnnualReport } from '../../src/reports/annual/annual-report-presenter.ts';
import { annualReportBodyHtml } from '../../src/reports/annual/annual-html-renderer.ts';

const BASE_URL = 'https://redress.example.gov.uk';
const DAY = 24 * 60 * 60 * 1000;
const START = '2026-11-26T10:00:00.000Z';
const LINK = /https:\/\/redress\.example\.gov\.uk(\/respond\/questionnaire\/([A-Za-z0-9_-]+))/;
const GOOD_ANSWERS = { ease: '5', kept_informed: '4', timeliness: '2', listened: '4', comments: 'Thank you for listening.' };

describeEachEngine('secure links and the satisfaction questionnaire', (database) => {
  let smtp: TestSmtpServer;
  let clock: TestClock;
  let container: Container;
  let app: FastifyInstance;
  let officer: StaffActor;
  let teamId: (name: string) => number;
  let sequence = 0;

  const kysely = () => database().db.kysely;
  const versionOf = async (reference: string) => (await kysely().selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
  const idOf = async (reference: string) => (await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id;
  const act = async (reference: string, action: string, input: Record<string, unknown>) => container.caseActions.apply(reference, action, input, officer, await versionOf(reference));
  const deliver = async () => {
    const worker = container.notifications.worker({ workerId: `worker-${String(++sequence)}` });
    if (worker === undefined) throw new Error('no transport');
    return worker.runOnce();
  };

  /** A parent's complaint, registered, acknowledged, responded to and (unless told not to) closed. */
  async function aComplaint(options: { email?: string | null; close?: boolean } = {}): Promise<string> {
    sequence += 1;
    const email = options.email === undefined ? `parent-${String(sequence)}@example.org` : options.email;
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-11-24', channel: 'email', via_complaints_team: 'yes', summary: 'Contact visits were cancelled.', complainant_role: 'parent' },
        teamIds: [teamId('Care Management North')],
        complainant: { name: 'Sam Parent', ...(email === null ? {} : { email }) },
      },
      officer,
    );
    if (made === undefined) throw new Error('nothing registered');
    const { reference } = made;
    await act(reference, 'acknowledge', { acknowledged_on: '2026-11-25' });
    await act(reference, 'record_response', { responded_on: '2026-11-26', finding: 'upheld', remedies: ['apology'] });
    if (options.close !== false) await act(reference, 'close', { closed_on: '2026-11-26' });
    return reference;
  }

  /** Closes a complaint, sends the outbox, and returns the link's path read from the email. */
  async function questionnaireLink(reference: string): Promise<{ path: string; token: string; email: string }> {
    await deliver();
    const mail = smtp.received.find((m) => m.subject === `How did we do? (${reference})`);
    if (mail === undefined) throw new Error(`no questionnaire email for ${reference}`);
    const match = LINK.exec(mail.body);
    if (match?.[1] === undefined || match[2] === undefined) throw new Error(`no link in: ${mail.body}`);
    return { path: match[1], token: match[2], email: mail.to[0] ?? '' };
  }

  async function answerThrough(visitor: PublicVisitor, path: string, answers: Record<string, string> = GOOD_ANSWERS) {
    const form = await visitor.get(path);
    expect(form.statusCode, form.body.slice(0, 300)).toBe(200);
    const check = await visitor.answer(answers);
    expect(check.statusCode, check.body.slice(0, 300)).toBe(200);
    expect(check.body).toContain('Check your answers');
    return visitor.answer();
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    clock = testClock(START);
    container = await testContainer(database(), clock, testConfig({ NOTIFY_TRANSPORT: 'smtp', SMTP_URL: smtp.url, MAIL_FROM: 'Complaints <complaints@council.example>', PUBLIC_BASE_URL: BASE_URL }));
    await container.demo.ensure({ withCases: false });
    teamId = await teamIdsByName(container);
    officer = await aStaffMember(container, ['complaints_officer']);
    app = await createApp(container);
  });
  afterAll(async () => {
    await app.close();
    await container.notifications.stop();
    await smtp.close();
  });
  beforeEach(async () => {
    clock.set(START);
    smtp.received.length = 0;
    await kysely().deleteFrom('notification_outbox').execute();
    await kysely().deleteFrom('questionnaire').execute();
  });

  it('sends the questionnaire when a responded complaint is closed, with a token of 256 bits of which only the hash is stored', async () => {
    const reference = await aComplaint();
    const repId = await idOf(reference);
    const [row] = await kysely().selectFrom('notification_outbox').selectAll().where('template_key', '=', 'questionnaire').execute();
    expect(row).toMatchObject({ idempotency_key: `questionnaire:${String(repId)}`, status: 'pending' });
    // The outbox holds the link's id, not a token or an address with one.
    expect(JSON.parse(row?.personalisation ?? '{}')).toMatchObject({ reference, secure_link_id: expect.any(Number) as unknown });
    expect(row?.personalisation).not.toContain('/respond/');
    expect(await container.questionnaires.forRepresentation(repId)).toMatchObject({ sentAt: START, reminderSentAt: null, answeredAt: null });

    const { token, email } = await questionnaireLink(reference);
    expect(email).toMatch(/^parent-\d+@example\.org$/);
    expect(token).toHaveLength(43);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    // The Stage 1 response also sent a link to ask for Stage 2 (next-stage-links.test.ts): only the questionnaire's is looked at here.
    const links = await kysely().selectFrom('secure_link').selectAll().where('representation_id', '=', repId).where('purpose', '=', 'questionnaire').execute();
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ purpose: 'questionnaire', token_hash: hashToken(token), used_at: null, expires_at: new Date(Date.parse(START) + 60 * DAY).toISOString() });
    expect(links[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    // The token itself is nowhere in the database.
    const outbox = await kysely().selectFrom('notification_outbox').select(['personalisation', 'last_error']).execute();
    const audit = await kysely().selectFrom('audit_event').select(['details']).execute();
    for (const text of [...outbox.map((o) => `${o.personalisation}${o.last_error ?? ''}`), ...audit.map((a) => a.details ?? ''), JSON.stringify(links)]) expect(text).not.toContain(token);
    const sentAudit = await kysely().selectFrom('audit_event').select(['action', 'details']).where('action', '=', 'questionnaire_sent').execute();
    expect(sentAudit.map((a) => JSON.parse(a.details ?? '{}') as unknown)).toContainEqual({ representation_id: repId, link_id: links[0]?.id });
  });

  it('sends no questionnaire without an email address, to someone who asked not to be contacted, or for a complaint not closed', async () => {
    await aComplaint({ email: null });
    const noContact = await aComplaint({ close: false });
    const person = await kysely().selectFrom('representation').select('complainant_id').where('reference', '=', noContact).executeTakeFirstOrThrow();
    await kysely().updateTable('person').set({ preferred_contact: 'none' }).where('id', '=', person.complainant_id ?? 0).execute();
    await act(noContact, 'close', { closed_on: '2026-11-26' });
    await aComplaint({ close: false });
    expect(await kysely().selectFrom('questionnaire').select('id').execute()).toHaveLength(0);
    expect(await kysely().selectFrom('notification_outbox').select('id').where('template_key', '=', 'questionnaire').execute()).toHaveLength(0);
  });

  it('follows the link from the email, checks the answers, records them once and then says it was answered', async () => {
    const reference = await aComplaint();
    const repId = await idOf(reference);
    const { path } = await questionnaireLink(reference);
    const visitor = new PublicVisitor(app);

    const form = await visitor.get(path);
    expect(form.statusCode).toBe(200);
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.body).toContain('How easy was it to make your complaint?');
    // Nobody's details on the page: not the reference, the name or what happened.
    expect(form.body).not.toContain(reference);
    expect(form.body).not.toContain('Sam Parent');

    const empty = await visitor.answer({ comments: 'x'.repeat(1201) });
    expect(empty.statusCode).toBe(400);
    expect(errorSummary(empty.body)).toEqual([
      'Select how easy it was to make your complaint',
      'Select whether we kept you up to date',
      'Select whether you were happy with how long it took',
      'Select whether you feel you were listened to',
      'What you tell us must be 1200 characters or fewer',
    ]);
    expect(empty.body).toContain('<title>Error: How did we do?');

    const check = await visitor.answer(GOOD_ANSWERS);
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Not really');
    expect(check.body).toContain('Thank you for listening.');
    // Change goes back to the questions with the answers kept.
    const { body: carried } = visitor.formWith();
    const changed = await visitor.post(path, { ...carried, _change: '1' });
    expect(changed.statusCode).toBe(200);
    expect(changed.body).toMatch(/name="timeliness" type="radio" value="2" checked/);
    await visitor.answer();
    const sendForm = visitor.formWith();
    const sent = await visitor.post(sendForm.action, sendForm.body);
    expect(sent.statusCode, sent.body.slice(0, 300)).toBe(303);
    expect(sent.headers.location).toBe('/respond/questionnaire/thank-you');
    expect((await visitor.get('/respond/questionnaire/thank-you')).body).toContain('Thank you for your answers');

    // Sent again (a double click, the back button): still one answer, the first.
    const again = await visitor.post(sendForm.action, { ...sendForm.body, ease: '1' });
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('You have already answered');
    const stored = await kysely().selectFrom('questionnaire').selectAll().where('representation_id', '=', repId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ answered_at: START, answer_ease: 5, answer_kept_informed: 4, answer_timeliness: 2, answer_listened: 4, answer_comments: 'Thank you for listening.' });
    expect((await kysely().selectFrom('secure_link').select('used_at').where('representation_id', '=', repId).executeTakeFirstOrThrow()).used_at).toBe(START);
    const answeredAudit = await kysely().selectFrom('audit_event').select(['action', 'details', 'ip']).where('action', '=', 'questionnaire_answered').where('entity_id', '=', String(stored.id)).execute();
    expect(answeredAudit).toHaveLength(1);
    expect(answeredAudit[0]?.details).not.toContain('listening');
    expect(answeredAudit[0]?.ip).toBe(visitor.address);
    const history = await kysely().selectFrom('history_entry').select('action').where('subject_type', '=', 'representation').where('subject_id', '=', repId).execute();
    expect(history.map((h) => h.action).slice(-2)).toEqual(['close', 'questionnaire_answered']);

    // The used link: a clear page, nobody's data.
    const used = await new PublicVisitor(app).get(path);
    expect(used.statusCode).toBe(410);
    expect(used.body).toContain('You have already answered');
    expect(used.body).not.toContain(reference);
  });

  it('records one answer when the same link is sent twice at the same moment', async () => {
    const reference = await aComplaint();
    const { token } = await questionnaireLink(reference);
    const actor = { userId: null, ip: '192.0.2.1', requestId: null };
    const outcomes = await Promise.all([
      container.questionnaires.answer(token, { ...GOOD_ANSWERS, ease: '1' }, actor),
      container.questionnaires.answer(token, { ...GOOD_ANSWERS, ease: '3' }, actor),
    ]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok)).toEqual([{ ok: false, refusal: 'used' }]);
    const rows = await kysely().selectFrom('questionnaire').select(['answer_ease']).where('representation_id', '=', await idOf(reference)).execute();
    expect(rows).toHaveLength(1);
    expect([1, 3]).toContain(rows[0]?.answer_ease);
    expect(await kysely().selectFrom('audit_event').select('id').where('action', '=', 'questionnaire_answered').where('details', 'like', `%"representation_id":${String(await idOf(reference))},%`).execute()).toHaveLength(1);
  });

  it('shows the same clear page, with nobody’s data, for a wrong, forged, expired or other-purpose link', async () => {
    const reference = await aComplaint({ close: false });
    const repId = await idOf(reference);
    const expiring = await kysely().transaction().execute((trx) => container.secureLinks.issue(trx, { purpose: 'questionnaire', representationId: repId, expiresAt: expiresAfter(clock(), 1) }));
    const stage2 = await kysely().transaction().execute((trx) => container.secureLinks.issue(trx, { purpose: 'stage2_request', representationId: repId, expiresAt: expiresAfter(clock(), 30) }));
    expect(stage2.path).toBe(`/respond/stage-2/${stage2.token}`);
    expect(await container.secureLinks.resolve(stage2.token, 'stage2_request')).toMatchObject({ ok: true, link: { id: stage2.id, representationId: repId, purpose: 'stage2_request' } });
    clock.advance(2 * DAY);

    const pages = {
      forged: `/respond/questionnaire/${newToken()}`,
      malformed: '/respond/questionnaire/not-a-token',
      truncated: `/respond/questionnaire/${expiring.token.slice(0, 40)}`,
      expired: expiring.path,
      otherPurpose: `/respond/questionnaire/${stage2.token}`,
    };
    const headings = new Set<string>();
    for (const [name, path] of Object.entries(pages)) {
      const response = await new PublicVisitor(app).get(path);
      expect(response.statusCode, name).toBe(404);
      expect(response.headers['cache-control'], name).toBe('no-store');
      expect(response.body, name).not.toContain(reference);
      expect(response.body, name).not.toContain('Sam Parent');
      expect(response.body, name).not.toContain('<form method="post" action="/respond');
      headings.add(/<h1[^>]*>([^<]*)<\/h1>/.exec(response.body)?.[1] ?? '');
    }
    // No difference between a token that never existed and one that expired.
    expect([...headings]).toEqual(['This link does not work']);
    expect(await container.secureLinks.resolve(expiring.token, 'questionnaire')).toMatchObject({ ok: false, refusal: 'expired' });
    expect(await container.secureLinks.resolve(newToken(), 'questionnaire')).toEqual({ ok: false, refusal: 'unknown' });

    // Posting to a link that does not work changes nothing either.
    const visitor = new PublicVisitor(app);
    const token = await visitor.get('/contact-us');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(token.body)?.[1] ?? '';
    const posted = await visitor.post(`${expiring.path}/send`, { _csrf: csrf, ...GOOD_ANSWERS });
    expect(posted.statusCode).toBe(404);

    // Single use, race-safe: the first markUsed wins.
    const [first, second] = await kysely().transaction().execute(async (trx) => [await container.secureLinks.markUsed(trx, stage2.id), await container.secureLinks.markUsed(trx, stage2.id)]);
    expect([first, second]).toEqual([true, false]);
    expect(await container.secureLinks.resolve(stage2.token, 'stage2_request')).toMatchObject({ ok: false, refusal: 'used' });
  });

  it('refuses a post without the CSRF token', async () => {
    const reference = await aComplaint();
    const { path } = await questionnaireLink(reference);
    const response = await new PublicVisitor(app).post(`${path}/send`, GOOD_ANSWERS);
    expect(response.statusCode).toBe(403);
    expect((await kysely().selectFrom('questionnaire').select('answered_at').where('representation_id', '=', await idOf(reference)).executeTakeFirstOrThrow()).answered_at).toBeNull();
  });

  it('limits how many links one address may try', async () => {
    const visitor = new PublicVisitor(app);
    const statuses: number[] = [];
    for (let i = 0; i < 32; i += 1) statuses.push((await visitor.get(`/respond/questionnaire/${newToken()}`)).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });

  it('sends one reminder after 10 days if unanswered, never twice, with a link of its own', async () => {
    const reference = await aComplaint();
    const answered = await aComplaint();
    const first = await questionnaireLink(reference);
    const answeredLink = await questionnaireLink(answered);
    expect((await container.questionnaires.answer(answeredLink.token, GOOD_ANSWERS, { userId: null, ip: null, requestId: null })).ok).toBe(true);

    clock.advance(9 * DAY);
    expect((await container.notifications.runQuestionnaireJobs()).reminders).toBe(0);
    clock.advance(1 * DAY);
    const [a, b] = await Promise.all([container.notifications.runQuestionnaireJobs(), container.questionnaires.remind()]);
    expect(a.reminders + b).toBe(1);
    clock.advance(5 * DAY);
    expect((await container.notifications.runQuestionnaireJobs()).reminders).toBe(0);

    const reminders = await kysely().selectFrom('notification_outbox').select(['idempotency_key', 'template_key']).where('template_key', '=', 'questionnaire_reminder').execute();
    expect(reminders).toEqual([{ idempotency_key: expect.stringMatching(/^questionnaire_reminder:\d+$/) as unknown, template_key: 'questionnaire_reminder' }]);
    await deliver();
    const mails = smtp.received.filter((m) => m.subject === `Reminder: how did we do? (${reference})`);
    expect(mails).toHaveLength(1);
    const reminderPath = LINK.exec(mails[0]?.body ?? '')?.[1] ?? '';
    expect(reminderPath).not.toBe(first.path);
    expect(mails[0]?.body).toContain('This is the only reminder');
    expect(await container.questionnaires.forRepresentation(await idOf(reference))).toMatchObject({ reminderSentAt: new Date(Date.parse(START) + 10 * DAY).toISOString(), answeredAt: null });

    // Both links open it; answered through the reminder's, the first one says it was answered.
    expect((await new PublicVisitor(app).get(first.path)).statusCode).toBe(200);
    const sent = await answerThrough(new PublicVisitor(app), reminderPath);
    expect(sent.statusCode).toBe(303);
    const old = await new PublicVisitor(app).get(first.path);
    expect(old.statusCode).toBe(410);
    expect(old.body).toContain('You have already answered');
  });

  it('summarises a year in SQL, and shows it only to those who read reports', async () => {
    const answers = [
      { ...GOOD_ANSWERS, ease: '5', listened: '5', comments: '' },
      { ...GOOD_ANSWERS, ease: '5', listened: '1' },
    ];
    const references = [await aComplaint(), await aComplaint(), await aComplaint()];
    const links = [];
    for (const reference of references) links.push(await questionnaireLink(reference));
    for (const [i, answer] of answers.entries()) {
      const outcome = await container.questionnaires.answer(links[i]?.token ?? '', answer, { userId: null, ip: null, requestId: null });
      expect(outcome.ok).toBe(true);
    }
    // One sent in the next reporting year is not counted in this one.
    clock.set('2027-04-02T10:00:00.000Z');
    await aComplaint();

    const summary = await container.questionnaires.summaryForYear('2026-04-01', '2027-03-31');
    expect(summary).toMatchObject({ sent: 3, answered: 2, reminded: 0, responseRate: 67, withComments: 1 });
    const byName = Object.fromEntries(summary.questions.map((q) => [q.name, q.counts]));
    expect(byName.ease).toEqual({ 5: 2, 4: 0, 3: 0, 2: 0, 1: 0 });
    expect(byName.listened).toEqual({ 5: 1, 4: 0, 3: 0, 2: 0, 1: 1 });
    expect(byName.timeliness).toEqual({ 5: 0, 4: 0, 3: 0, 2: 2, 1: 0 });
    expect(await container.questionnaires.summaryForYear('2027-04-01', '2028-03-31')).toMatchObject({ sent: 1, answered: 0, responseRate: 0 });
    expect(await container.questionnaires.summaryForYear('2020-04-01', '2021-03-31')).toMatchObject({ sent: 0, responseRate: null });

    // The annual report's section: the same counts, and none of the comments.
    const report = await container.annualReports.report(2026);
    expect(report.questionnaires).toMatchObject({ sent: 3, answered: 2 });
    const section = presentAnnualReport(report).sections.find((s) => s.id === 'questionnaires');
    expect(section?.paragraphs).toEqual(['3 questionnaires were sent after complaints were closed and 2 answered (66.7%).']);
    expect(section?.tables.find((t) => t.caption === 'How easy was it to make your complaint?')?.rows).toEqual([
      ['Very easy', '2', '100.0%'],
      ['Easy', '0', '0.0%'],
      ['Neither easy nor hard', '0', '0.0%'],
      ['Hard', '0', '0.0%'],
      ['Very hard', '0', '0.0%'],
      ['Total', '2', '100.0%'],
    ]);
    expect(annualReportBodyHtml(report)).not.toContain(GOOD_ANSWERS.comments);

    const manager: Browser = await signedInAs(app, container, 'complaints_manager');
    const page = await manager.get('/reports/questionnaires?year=2026');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Questionnaire results 2026/27');
    expect(page.body).toMatch(/Response rate\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*67%/);
    expect(page.body).toContain('Do you feel you were listened to?');
    const bad = await manager.get('/reports/questionnaires?year=1999');
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual(['Select a year from 2000 to 2039']);
    expect(await kysely().selectFrom('audit_event').select('id').where('action', '=', 'questionnaire_summary_viewed').execute()).not.toHaveLength(0);

    const viewer = await signedInAs(app, container, 'viewer');
    expect((await viewer.get('/reports/questionnaires?year=2026')).statusCode).toBe(200);
    const responder = await signedInAs(app, container, 'responding_manager');
    expect((await responder.get('/reports/questionnaires?year=2026')).statusCode).toBe(403);
    const signedOut = await new PublicVisitor(app).get('/reports/questionnaires?year=2026');
    expect(signedOut.statusCode).toBe(302);
    expect(signedOut.headers.location).toMatch(/^\/sign-in/);

    // The case page says whether it was sent and answered.
    const casePage = await manager.get(`/cases/${references[0] ?? ''}`);
    expect(casePage.statusCode).toBe(200);
    expect(casePage.body).toContain('Satisfaction questionnaire');
    expect(casePage.body).toMatch(/Answered \d{1,2} November 2026/);
    const unanswered = await manager.get(`/cases/${references[2] ?? ''}`);
    expect(unanswered.body).toContain('Not answered yet.');
  });

  it('sends the administrator’s wording of the questionnaire email, with a link that works', async () => {
    const admin = { userId: null, ip: null, requestId: null };
    const saved = await container.notifications.templates.save('questionnaire', { subject: 'Your views please ({{ reference }})', body: 'Tell {{ council_name }} how we did: {{ link_url }}' }, 0, admin);
    expect(saved.isCustomised).toBe(true);
    await expect(container.notifications.templates.save('questionnaire', { subject: 'Your views', body: 'No link here' }, saved.version, admin)).rejects.toMatchObject({ code: 'link_url_required' });
    const reference = await aComplaint();
    await deliver();
    const mail = smtp.received.find((m) => m.subject === `Your views please (${reference})`);
    expect(mail?.body).toMatch(/^Tell Demo Council how we did: https:\/\/redress\.example\.gov\.uk\/respond\/questionnaire\/[A-Za-z0-9_-]{43}/);
    const path = LINK.exec(mail?.body ?? '')?.[1] ?? '';
    expect((await answerThrough(new PublicVisitor(app), path)).statusCode).toBe(303);
  });
});
