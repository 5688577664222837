/**
 * The public front door end to end over HTTP, on both engines: each route to its confirmation,
 * each page's error state, Change links, idempotent sending, the honeypot, the rate limit,
 * CSRF, and what staff then see (the awaiting-registration queue, the answers as text).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testContainer } from '../support/builders.ts';
import { errorSummary, signedInAs, type Browser } from '../support/http.ts';
import { PublicVisitor, YOUNG_COMPLAINT, formOf, pageOf } from '../support/public-visitor.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';

const ADULT_COMPLAINT = {
  topic: 'complaint',
  who: 'adult',
  relationship: 'parent',
  for_child: 'yes',
  child_agrees: 'unaware',
  child_name: 'Riley Example',
  child_birth: '3 4 2014',
  what_happened: 'My son’s contact with his father was cancelled three times.',
  what_would_help: 'An explanation and a new contact plan.',
  name: 'Jo Parent',
  contact: 'none',
};

describeEachEngine('the public front door', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: Browser;

  beforeAll(async () => {
    container = await testContainer(database(), testClock('2026-11-26T10:00:00.000Z'));
    await container.demo.ensure({ withCases: false });
    app = await createApp(container);
    officer = await signedInAs(app, container, 'complaints_officer');
  });
  afterAll(async () => {
    await app.close();
  });

  const db = () => database().db.kysely;
  const representation = (reference: string) => db().selectFrom('representation').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();

  async function send(visitor: PublicVisitor, answers: Record<string, string>): Promise<string> {
    await visitor.reachCheck(answers);
    const sent = await visitor.answer();
    expect(sent.statusCode, sent.body.slice(0, 500)).toBe(303);
    const location = String(sent.headers.location);
    const reference = new URL(location, 'http://x').searchParams.get('reference');
    if (reference === null) throw new Error(`no reference in ${location}`);
    return reference;
  }

  it('takes a child’s complaint page by page, one question a page, to a reference', async () => {
    const visitor = new PublicVisitor(app);
    const start = await visitor.get('/contact-us');
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('What would you like to tell us?');
    expect(formOf(start.body).hidden._key).toMatch(/^[\w-]{32}$/);

    const pages = await visitor.reachCheck(YOUNG_COMPLAINT);
    expect(pages).toEqual(['topic', 'who', 'what_happened', 'what_would_help', 'advocate', 'name', 'contact', 'contact_email', 'safe_contact', 'files']);
    const check = visitor.page?.body ?? '';
    expect(check).toContain('Look at your answers. You can change them before you send them.');
    expect(check).toContain('My social worker did not come to my review.<br>Nobody told me why.');
    expect(check).toContain('Yes, I would like an advocate');

    const sent = await visitor.answer();
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/contact-us/sent?reference=CSC-2026-0001&for=young');
    const confirmation = await visitor.get(String(sent.headers.location));
    expect(confirmation.statusCode).toBe(200);
    expect(confirmation.body).toContain('govuk-panel');
    expect(confirmation.body).toContain('Your reference is<br><strong>CSC-2026-0001</strong>');
    expect(confirmation.body).toContain('If you asked for an advocate, we will help you get one.');

    const stored = await representation('CSC-2026-0001');
    expect(stored).toMatchObject({
      kind: 'children_statutory',
      status: 'awaiting_registration',
      channel: 'online',
      received_on: '2026-11-26',
      complainant_role: 'child',
      team_id: null,
      created_by: null,
    });
    expect(stored.summary).toContain('Complaint sent online by a child or young person.');
    expect(stored.summary).toContain('Advocate: would like one.');
    const person = await db().selectFrom('person').selectAll().where('id', '=', stored.complainant_id ?? 0).executeTakeFirstOrThrow();
    expect(person).toMatchObject({ name: 'Sam Young', email: 'sam@example.org', phone: null, address: null, preferred_contact: 'email' });
    expect(person.reasonable_adjustments).toContain('Only email, please.');

    const history = await db().selectFrom('history_entry').select(['summary', 'user_id']).where('subject_id', '=', stored.id).execute();
    expect(history).toEqual([{ summary: 'Submitted online', user_id: null }]);
    const audit = await db().selectFrom('audit_event').selectAll().where('action', '=', 'public_submission_received').where('entity_id', '=', String(stored.id)).executeTakeFirstOrThrow();
    expect(audit.ip).toBe(visitor.address);
    expect(audit.details).not.toContain('Sam');
    expect(audit.details).not.toContain('sam@example.org');
    // The reference is emailed, as they asked: queued with the record.
    const queued = await db().selectFrom('notification_outbox').select(['template_key', 'recipient', 'personalisation']).where('subject_id', '=', stored.id).orderBy('id').execute();
    expect(queued).toEqual([
      { template_key: 'submission_received', recipient: 'sam@example.org', personalisation: JSON.stringify({ reference: 'CSC-2026-0001', what: 'complaint' }) },
      // And the complaints team is told at once (no shared mailbox set: each complaints manager): the reference and the day only.
      { template_key: 'submission_for_team', recipient: 'complaints.manager@redress.example', personalisation: JSON.stringify({ reference: 'CSC-2026-0001', what: 'complaint', received_on: '26 November 2026' }) },
    ]);
  });

  it('takes an adult’s complaint for a child, asking whether the child knows and agrees, and keeps no contact details when asked not to', async () => {
    const visitor = new PublicVisitor(app);
    const pages = await visitor.reachCheck(ADULT_COMPLAINT);
    expect(pages).toEqual(['topic', 'who', 'relationship', 'for_child', 'child_agrees', 'child', 'what_happened', 'what_would_help', 'name', 'contact', 'files']);
    const reference = await send(new PublicVisitor(app), ADULT_COMPLAINT);
    const stored = await representation(reference);
    expect(stored).toMatchObject({ kind: 'children_statutory', status: 'awaiting_registration', complainant_role: 'parent', is_made_for_child: 1 });
    expect(stored.summary).toContain('The child does not know.');
    const person = await db().selectFrom('person').selectAll().where('id', '=', stored.complainant_id ?? 0).executeTakeFirstOrThrow();
    expect(person).toMatchObject({ name: 'Jo Parent', email: null, phone: null, address: null, preferred_contact: 'none', reasonable_adjustments: null });
    expect(await db().selectFrom('notification_outbox').select('template_key').where('subject_id', '=', stored.id).execute()).toEqual([{ template_key: 'submission_for_team' }]);
  });

  it('does not ask whether the child agrees when an adult complains about their own treatment', async () => {
    const visitor = new PublicVisitor(app);
    const pages = await visitor.reachCheck({ ...ADULT_COMPLAINT, for_child: 'no' });
    expect(pages).not.toContain('child_agrees');
    expect(visitor.page?.body).not.toContain('knows and agrees');
  });

  it('takes a compliment in five pages, an idea from a professional and an anonymous idea from a young person', async () => {
    const thanks = {
      topic: 'compliment',
      who: 'adult',
      what_happened: 'The family support worker went far beyond what was asked.',
      thanks_who: 'Family Support Team',
      consent_to_quote: 'yes',
      name: 'Pat Teacher',
      contact_phone: '07700 900 982',
    };
    const pages = await new PublicVisitor(app).reachCheck(thanks);
    expect(pages).toEqual(['topic', 'who', 'thanks', 'consent_to_quote', 'reply']);
    const compliment = await send(new PublicVisitor(app), thanks);
    expect(compliment).toMatch(/^CPL-2026-\d{4}$/);
    const praised = await representation(compliment);
    expect(praised).toMatchObject({ kind: 'compliment', complainant_role: 'other', compliment_source: 'other', has_consent_to_quote: 1, worker_name: 'Family Support Team' });
    const thanker = await db().selectFrom('person').selectAll().where('id', '=', praised.complainant_id ?? 0).executeTakeFirstOrThrow();
    expect(thanker).toMatchObject({ name: 'Pat Teacher', phone: '07700 900 982', email: null, preferred_contact: 'telephone' });

    // A child's thank-you, with no contact details at all: five pages too, and no person kept.
    const childPages = await new PublicVisitor(app).reachCheck({ topic: 'compliment', who: 'child', what_happened: 'Thank you for my new home.', consent_to_quote: 'no' });
    expect(childPages).toHaveLength(5);
    const anonymous = await send(new PublicVisitor(app), { topic: 'compliment', who: 'child', what_happened: 'Thank you for my new home.', consent_to_quote: 'no' });
    expect(await representation(anonymous)).toMatchObject({ kind: 'compliment', complainant_role: 'child', complainant_id: null });

    const comment = { topic: 'comment', who: 'adult', relationship: 'professional', organisation: 'Hillside Primary School', what_happened: 'Share plans with schools.', contact: 'telephone', contact_phone: '07700 900 982' };
    expect(await new PublicVisitor(app).reachCheck(comment)).toEqual(['topic', 'who', 'relationship', 'organisation', 'what_happened', 'name', 'contact', 'contact_phone', 'safe_contact', 'files']);
    const professional = await representation(await send(new PublicVisitor(app), comment));
    const worker = await db().selectFrom('person').selectAll().where('id', '=', professional.complainant_id ?? 0).executeTakeFirstOrThrow();
    expect(worker).toMatchObject({ phone: '07700 900 982', email: null, organisation: 'Hillside Primary School' });

    const idea = await send(new PublicVisitor(app), { topic: 'comment', who: 'care_leaver', what_happened: 'Have a drop-in on Saturdays.', contact: 'none' });
    expect(idea).toMatch(/^CMT-2026-\d{4}$/);
    expect(await representation(idea)).toMatchObject({ kind: 'comment', complainant_role: 'care_leaver', complainant_id: null });
  });

  it('shows each page’s own error, in plain words, and keeps the answers so far', async () => {
    const visitor = new PublicVisitor(app);
    await visitor.get('/contact-us');
    const expected: [string, Record<string, string>, string][] = [
      ['topic', { topic: 'complaint' }, 'Choose what you would like to tell us'],
      ['who', { who: 'child' }, 'Choose who you are'],
      ['what_happened', { what_happened: 'Something went wrong.' }, 'Tell us what happened'],
      ['what_would_help', { what_would_help: 'Say sorry.' }, 'Tell us what would make it better'],
      ['advocate', { advocate: 'no' }, 'Choose if you would like an advocate'],
      ['name', { name: 'Alex' }, 'Tell us your name'],
      ['contact', { contact: 'letter' }, 'Choose how we can get in touch with you'],
      ['contact_address', { contact_address: '1 High Street\nTown AB1 2CD' }, 'Tell us your address'],
    ];
    for (const [question, answer, message] of expected) {
      expect(pageOf(visitor.page?.body ?? '')).toBe(question);
      const empty = await visitor.answer();
      expect(empty.statusCode, question).toBe(400);
      expect(errorSummary(empty.body), question).toEqual([message]);
      expect(empty.body).toContain('<title>Error: ');
      expect(pageOf(empty.body)).toBe(question);
      expect((await visitor.answer(answer)).statusCode).toBe(200);
    }
    expect(pageOf(visitor.page?.body ?? '')).toBe('safe_contact');
  });

  it('checks lengths and formats with GOV.UK messages', async () => {
    const visitor = new PublicVisitor(app);
    await visitor.reachCheck({ ...ADULT_COMPLAINT, contact: 'email', contact_email: 'jo@example.org' });
    const wrong = await visitor.change('contact_email');
    expect(pageOf(wrong.body)).toBe('contact_email');
    const badEmail = await visitor.answer({ contact_email: 'not-an-email' });
    expect(badEmail.statusCode).toBe(400);
    expect(errorSummary(badEmail.body)).toEqual(['Enter an email address in the correct format, like name@example.com']);
    expect(badEmail.body).toContain('href="#contact_email"');
    await visitor.answer({ contact_email: 'jo@example.org' });
    await visitor.change('contact');
    expect(pageOf((await visitor.answer({ contact: 'telephone' })).body)).toBe('contact_phone');
    const missing = await visitor.answer({ contact_phone: '' });
    expect(errorSummary(missing.body)).toEqual(['Enter your phone number']);

  });

  it('refuses answers that are too long, even when they come back in hidden fields', async () => {
    const visitor = new PublicVisitor(app);
    await visitor.get('/contact-us');
    await visitor.answer({ topic: 'complaint' });
    await visitor.answer({ who: 'child' });
    const tooLong = await visitor.answer({ what_happened: 'a'.repeat(5001) });
    expect(tooLong.statusCode).toBe(400);
    expect(errorSummary(tooLong.body)).toEqual(['What happened is too long. Use 5,000 letters or fewer']);

    const tampered = new PublicVisitor(app);
    await tampered.reachCheck(YOUNG_COMPLAINT);
    const { body } = tampered.formWith({ name: 'n'.repeat(201) });
    const refused = await tampered.post('/contact-us/send', body);
    expect(refused.statusCode).toBe(400);
    expect(pageOf(refused.body)).toBe('name');
    expect(errorSummary(refused.body)).toEqual(['Your name is too long. Use 200 letters or fewer']);
  });

  it('lets a person change an answer from "Check your answers", asking any new question that follows', async () => {
    const visitor = new PublicVisitor(app);
    await visitor.reachCheck(YOUNG_COMPLAINT);
    const whoPage = await visitor.change('who');
    expect(pageOf(whoPage.body)).toBe('who');
    expect(whoPage.body).toMatch(/value="child" checked/);
    const next = await visitor.answer({ who: 'adult' });
    expect(pageOf(next.body)).toBe('relationship');
    await visitor.answer({ relationship: 'foster_carer' });
    await visitor.answer({ for_child: 'no' });
    const child = await visitor.answer({ child_name: 'Max' });
    expect(pageOf(child.body)).toBe('check');
    expect(child.body).toContain('Foster carer');
    expect(child.body).not.toContain('An advocate');

    const same = await visitor.change('what_happened');
    const back = await visitor.answer({ what_happened: 'Changed words.' });
    expect(pageOf(same.body)).toBe('what_happened');
    expect(pageOf(back.body)).toBe('check');
    expect(back.body).toContain('Changed words.');
  });

  it('creates exactly one record for a double click, a refresh or a retry', async () => {
    const visitor = new PublicVisitor(app);
    await visitor.reachCheck({ ...YOUNG_COMPLAINT, what_happened: 'Double click test.' });
    const { action, body } = visitor.formWith();
    const [first, second] = await Promise.all([visitor.post(action, body), visitor.post(action, body)]);
    expect(first.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    const retry = await visitor.post(action, body);
    expect(retry.headers.location).toBe(first.headers.location);
    const rows = await db().selectFrom('representation').select('reference').where('summary', 'like', '%Double click test.%').execute();
    expect(rows).toHaveLength(1);
    const keys = await db().selectFrom('public_submission').select('id').where('idempotency_key', '=', body._key ?? '').execute();
    expect(keys).toHaveLength(1);
  });

  it('gives every concurrent repeat of one submission the first one’s reference, and different submissions their own', async () => {
    const actor = { userId: null, ip: '192.0.2.1', requestId: null };
    const answers = { ...ADULT_COMPLAINT, what_happened: 'Concurrent service test.' };
    const key = 'k'.repeat(20) + String(Date.now());
    const results = await Promise.all(Array.from({ length: 5 }, () => container.publicSubmissions.submit(answers, key, actor)));
    expect(new Set(results.map((r) => r.reference)).size).toBe(1);
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
    expect(results[0]).toMatchObject({ kind: 'children_statutory', audience: 'adult', email: undefined });
    expect(await db().selectFrom('representation').select('id').where('summary', 'like', '%Concurrent service test.%').execute()).toHaveLength(1);

    const others = await Promise.all(
      [1, 2, 3].map((n) => container.publicSubmissions.submit({ ...answers, contact: 'email', contact_email: `p${String(n)}@example.org` }, `other-key-${String(n)}-${String(Date.now())}`, actor)),
    );
    expect(new Set(others.map((r) => r.reference)).size).toBe(3);
    expect(others.map((r) => r.email).sort()).toEqual(['p1@example.org', 'p2@example.org', 'p3@example.org']);
  });

  it('refuses to store unfinished answers or a key it did not make', async () => {
    const actor = { userId: null, ip: null, requestId: null };
    await expect(container.publicSubmissions.submit({ topic: 'complaint' }, 'a-valid-looking-key-123456', actor)).rejects.toMatchObject({ code: 'journey_unfinished', field: 'who' });
    await expect(container.publicSubmissions.submit(YOUNG_COMPLAINT, 'short', actor)).rejects.toMatchObject({ code: 'invalid_idempotency_key' });
  });

  it('stores nothing when the honeypot is filled, but looks as if it worked', async () => {
    const visitor = new PublicVisitor(app);
    await visitor.reachCheck({ ...YOUNG_COMPLAINT, what_happened: 'Honeypot test.' });
    expect(visitor.page?.body).toContain('Leave this box empty');
    const sent = await visitor.answer({ website: 'http://spam.example' });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('govuk-panel');
    expect(sent.body).not.toContain('Your reference is');
    const rows = await db().selectFrom('representation').select('id').where('summary', 'like', '%Honeypot test.%').execute();
    expect(rows).toEqual([]);
  });

  it('refuses an eleventh send from one address within ten minutes with the GOV.UK 429 page', async () => {
    const visitor = new PublicVisitor(app);
    await visitor.reachCheck({ topic: 'comment', who: 'child', what_happened: 'Rate limit test.', contact: 'none' });
    const { action, body } = visitor.formWith();
    for (let i = 0; i < 10; i++) expect((await visitor.post(action, body)).statusCode).toBe(303);
    const refused = await visitor.post(action, body);
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('Too many requests');
    expect(refused.body).toContain('govuk-template');
    expect((await new PublicVisitor(app).get('/contact-us')).statusCode).toBe(200);
  });

  it('refuses a body too large to be a form, storing nothing', async () => {
    const visitor = new PublicVisitor(app);
    await visitor.reachCheck(YOUNG_COMPLAINT);
    const { action, body } = visitor.formWith({ what_happened: 'x'.repeat(300 * 1024) });
    const refused = await visitor.post(action, body);
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.statusCode).toBeLessThan(500);
    expect(refused.body).toContain('govuk-template');
    expect(await db().selectFrom('public_submission').select('id').where('idempotency_key', '=', body._key ?? '').execute()).toEqual([]);
  });

  it('refuses a post without a CSRF token', async () => {
    const visitor = new PublicVisitor(app);
    await visitor.reachCheck(YOUNG_COMPLAINT);
    const { action, body } = visitor.formWith({ _csrf: 'forged' });
    const refused = await visitor.post(action, body);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Your form could not be sent');
  });

  it('shows what the public typed to staff as text, in the awaiting-registration queue and on the case page', async () => {
    const visitor = new PublicVisitor(app);
    const script = '<script>alert("x")</script>';
    await visitor.reachCheck({ ...YOUNG_COMPLAINT, what_happened: `Look: ${script}`, name: '<b>Bold</b>' });
    expect(visitor.page?.body).not.toContain(script);
    expect(visitor.page?.body).toContain('&lt;script&gt;');
    const sent = await visitor.answer();
    const reference = new URL(String(sent.headers.location), 'http://x').searchParams.get('reference') ?? '';

    const queue = await officer.get('/cases?queue=awaiting_registration');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain(`href="/cases/${reference}"`);

    const page = await officer.get(`/cases/${reference}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Sent online');
    expect(page.body).toContain('Tell us what happened');
    expect(page.body).not.toContain(script);
    expect(page.body).not.toContain('<b>Bold</b>');
    expect(page.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page.body).toContain('&lt;b&gt;Bold&lt;/b&gt;');
  });

  it('lets the complaints team register a submission, keeping its reference and starting its clocks', async () => {
    const reference = await send(new PublicVisitor(app), { ...YOUNG_COMPLAINT, what_happened: 'Registration test.' });
    const casePage = await officer.get(`/cases/${reference}`);
    expect(casePage.body).toContain(`href="/cases/${reference}/register"`);
    const form = await officer.get(`/cases/${reference}/register`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Registration test.');
    expect(form.body).toContain('name="version" value="1"');
    expect(form.body).not.toContain('id="complainant_name"');

    const team = (await container.organisation.listTeams()).find((t) => t.isActive);
    const fields = {
      kind: 'children_statutory',
      summary: 'A child says their social worker missed their review.',
      'received_on-day': '26',
      'received_on-month': '11',
      'received_on-year': '2026',
      channel: 'online',
      via_complaints_team: 'yes',
      complainant_role: 'child',
      issues: 'communication',
      version: '1',
    };
    const missingTeam = await officer.post(`/cases/${reference}/register`, fields, `/cases/${reference}/register`);
    expect(missingTeam.statusCode).toBe(400);
    expect(errorSummary(missingTeam.body)).toEqual(['Select the team concerned']);

    const registered = await officer.post(`/cases/${reference}/register`, { ...fields, team_id: String(team?.id) }, `/cases/${reference}/register`);
    expect(registered.statusCode).toBe(303);
    expect(registered.headers.location).toBe(`/cases/registered?references=${reference}`);
    const stored = await representation(reference);
    expect(stored).toMatchObject({ status: 'registered', kind: 'children_statutory', team_id: team?.id, version: 2, channel: 'online' });
    const clocks = await db().selectFrom('clock').select('clock_key').where('subject_type', '=', 'representation').where('subject_id', '=', stored.id).execute();
    expect(clocks.length).toBeGreaterThan(0);
    const history = await db().selectFrom('history_entry').select('summary').where('subject_id', '=', stored.id).where('subject_type', '=', 'representation').orderBy('id').execute();
    expect(history.map((h) => h.summary)).toEqual(['Submitted online', expect.stringMatching(new RegExp(`^Registered: .+, about ${team?.name ?? ''}$`))]);

    const again = await officer.post(`/cases/${reference}/register`, { ...fields, team_id: String(team?.id) }, `/cases/${reference}`);
    expect(again.statusCode).toBe(404);
  });

  it('does not show a confirmation for something that is not a reference', async () => {
    const visitor = new PublicVisitor(app);
    expect((await visitor.get('/contact-us/sent?reference=%3Cscript%3E')).statusCode).toBe(404);
  });
});
