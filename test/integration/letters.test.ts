import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { TEST_PASSWORD, testClock, testContainer, teamIdsByName } from '../support/builders.ts';
import { Browser, decodeEntities, errorSummary, signedInAs, dateFields } from '../support/http.ts';
import { readZipEntry } from '../support/zip.ts';
import { codeOfAsync } from '../support/domain-errors.ts';
import { aReport } from '../support/multipart.ts';
import { createApp } from '../../src/web/app.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import type { Role } from '../../src/domain/users/roles.ts';
import { LETTER_DEFINITIONS } from '../../src/domain/letters/letter-definitions.ts';

// Thursday 26 November 2026, 10am.
const NOW = '2026-11-26T10:00:00.000Z';


/** The value of a hidden field on a page. */
const formField = (html: string, name: string): string => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

describeEachEngine('letters', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: { browser: Browser; actor: StaffActor };
  let rmNorth: { browser: Browser; actor: StaffActor };
  let rmFostering: { browser: Browser; actor: StaffActor };
  let admin: Browser;
  let viewer: Browser;
  let teamId: (name: string) => number;

  const kysely = () => database().db.kysely;

  const staff = async (roles: Role[], teamName?: string) => {
    const email = `${roles.join('-')}-${String(Math.random()).slice(2, 10)}@test.example`;
    const { user } = await container.users.add({ email, name: `Test ${roles.join(' ')} ${teamName ?? ''}`.trim(), roles, teamName, password: TEST_PASSWORD }, CLI_ACTOR);
    const browser = new Browser(app);
    await browser.signIn(email, TEST_PASSWORD);
    return { browser, actor: { userId: user.id, roles, teamId: user.teamId, ip: '192.0.2.9', requestId: 'r-test' } satisfies StaffActor };
  };

  const register = async (name = 'Sam Parent'): Promise<string> => {
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-11-20', channel: 'email', via_complaints_team: 'yes', summary: 'Contact visits were cancelled.', complainant_role: 'parent' },
        teamIds: [teamId('Care Management North')],
        youngPerson: { externalId: 'YP-LETTER-1' },
        complainant: { name, email: 'sam@example.org', address: '1 High Street\nTown\nAB1 2CD' },
      },
      officer.actor,
    );
    if (made === undefined) throw new Error('nothing registered');
    return made.reference;
  };

  /** Opens the action's form and posts it with the version it shows. */
  const act = async (browser: Browser, reference: string, action: string, form: Record<string, string | string[]>): Promise<LightMyRequestResponse> => {
    const url = `/cases/${reference}/actions/${action}`;
    const page = await browser.get(url);
    const response = await browser.post(url, { _csrf: formField(page.body, '_csrf'), version: formField(page.body, 'version'), ...form });
    expect(response.statusCode, response.body).toBe(303);
    return response;
  };

  const editPage = '/admin/letters/acknowledgement';

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    app = await createApp(container);
    teamId = await teamIdsByName(container);
    officer = await staff(['complaints_officer']);
    rmNorth = await staff(['responding_manager'], 'Care Management North');
    rmFostering = await staff(['responding_manager'], 'Fostering');
    admin = await signedInAs(app, container, 'admin');
    viewer = await signedInAs(app, container, 'viewer');
  });
  afterAll(async () => {
    await app.close();
  });

  describe('the council’s wording', () => {
    it('lists every letter, with the default wording in use', async () => {
      const page = await admin.get('/admin/letters');
      expect(page.statusCode).toBe(200);
      for (const title of ['Acknowledgement', 'Extension', 'Stage 1 response', 'Request for information', 'Closure warning', 'Withdrawal']) expect(page.body).toContain(title);
      for (const title of ['Stage 2 adjudication', 'Corporate Stage 2 acknowledgement', 'Corporate final response']) expect(page.body).toContain(title);
      expect(page.body).toContain('href="/admin/letters/corporate_final_response"');
      expect(page.body).toContain('Default wording');
      expect(page.body).toMatch(/href="\/admin" aria-current="true"/); // the "Admin" item of the navigation, where Letters is listed
    });

    it('shows the placeholders and the current wording on the edit page; an unknown letter is 404', async () => {
      const page = await admin.get(editPage);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('{{ complainant_name }}');
      expect(page.body).toContain('{{ due_date }}');
      expect(decodeEntities(page.body)).toContain('Thank you for your complaint');
      expect(formField(page.body, 'version')).toBe('0');
      expect((await admin.get('/admin/letters/no_such_letter')).statusCode).toBe(404);
    });

    it('refuses an empty letter and unknown placeholders, naming each, and keeps what was typed', async () => {
      const csrf = await admin.csrfToken(editPage);
      const empty = await admin.post(editPage, { _csrf: csrf, version: '0', subject: 'Hello', body: '  ' });
      expect(empty.statusCode).toBe(400);
      expect(errorSummary(empty.body)).toEqual(['Enter the text of the letter']);

      const unknown = await admin.post(editPage, { _csrf: csrf, version: '0', subject: 'Hello {{ refrence }}', body: 'Dear {{ complainant_nmae }}\n\n{{ finding }}' });
      expect(unknown.statusCode).toBe(400);
      const summary = errorSummary(unknown.body);
      expect(summary).toHaveLength(3);
      expect(summary[0]).toContain('{{ refrence }}');
      expect(summary[1]).toContain('{{ complainant_nmae }}');
      expect(summary[2]).toContain('{{ finding }}');
      expect(decodeEntities(unknown.body)).toContain('Dear {{ complainant_nmae }}');
      expect(await kysely().selectFrom('letter_template').selectAll().execute()).toEqual([]);
    });

    it('refuses a Stage 1 response without the route to Stage 2', async () => {
      const page = '/admin/letters/stage1_response';
      const response = await admin.post(page, { _csrf: await admin.csrfToken(page), version: '0', subject: 'Response', body: 'Your complaint is {{ finding }}.' });
      expect(response.statusCode).toBe(400);
      expect(errorSummary(response.body).join(' ')).toContain('{{ stage2_route }}');
    });

    it('saves the council’s wording, refuses a save over a newer one with 409, and restores the default', async () => {
      const csrf = await admin.csrfToken(editPage);
      const saved = await admin.post(editPage, { _csrf: csrf, version: '0', subject: 'We have your complaint {{ case_reference }}', body: 'Hello {{ complainant_name }}\n\nWe will answer by {{ due_date }}.' });
      expect(saved.statusCode, saved.body).toBe(303);
      expect(saved.headers.location).toBe(`${editPage}?saved=yes`);
      const after = await admin.get(editPage);
      expect(after.body).toContain('Council’s wording');
      expect(formField(after.body, 'version')).toBe('1');

      // Someone else saves in between: a save based on version 0 is refused, nothing is lost.
      const stale = await admin.post(editPage, { _csrf: csrf, version: '0', subject: 'Mine', body: 'My wording {{ case_reference }}' });
      expect(stale.statusCode).toBe(409);
      expect(errorSummary(stale.body)[0]).toContain('Someone else changed this letter');
      expect(decodeEntities(stale.body)).toContain('My wording {{ case_reference }}');
      expect(formField(stale.body, 'version')).toBe('1');
      expect(await kysely().selectFrom('letter_template').select(['subject', 'version']).execute()).toEqual([{ subject: 'We have your complaint {{ case_reference }}', version: 1 }]);

      const restored = await admin.post('/admin/letters/acknowledgement/restore', { _csrf: csrf, version: '1' });
      expect(restored.statusCode).toBe(303);
      const back = await admin.get(editPage);
      expect(back.body).toContain('Default wording');
      expect(decodeEntities(back.body)).toContain('Thank you for your complaint');
      // Every version is kept.
      const revisions = await kysely().selectFrom('letter_template_revision').select(['version', 'change', 'subject']).where('letter_key', '=', 'acknowledgement').orderBy('version').execute();
      expect(revisions).toEqual([
        { version: 1, change: 'edited', subject: 'We have your complaint {{ case_reference }}' },
        { version: 2, change: 'restored', subject: null },
      ]);
      expect(decodeEntities(back.body)).toContain('We will answer by {{ due_date }}.');
      const audit = await kysely().selectFrom('audit_event').select('action').where('entity_type', '=', 'letter_template').orderBy('id').execute();
      expect(audit.map((a) => a.action)).toEqual(['letter_template_changed', 'letter_template_restored']);
    });

    it('is for administrators and complaints managers only', async () => {
      expect((await officer.browser.get('/admin/letters')).statusCode).toBe(403);
      expect((await viewer.get(editPage)).statusCode).toBe(403);
      const manager = await signedInAs(app, container, 'complaints_manager');
      expect((await manager.get(editPage)).statusCode).toBe(200);
    });
  });

  describe('a case’s letters', () => {
    it('lists the letters that apply now, linked from the case page', async () => {
      const reference = await register();
      expect((await officer.browser.get(`/cases/${reference}`)).body).toContain(`href="/cases/${reference}/letters"`);
      const page = await officer.browser.get(`/cases/${reference}/letters`);
      expect(page.statusCode).toBe(200);
      const [now = '', others = ''] = page.body.split('Other letters');
      expect(now).toContain(`href="/cases/${reference}/letters/acknowledgement"`);
      expect(now).toContain(`href="/cases/${reference}/letters/request_for_information"`);
      expect(others).toContain(`href="/cases/${reference}/letters/withdrawal"`);
    });

    it('fills the letter from the case, escaping what the case holds, and records it', async () => {
      const reference = await register('<script>alert("x")</script> Parent');
      const page = await officer.browser.get(`/cases/${reference}/letters/acknowledgement`);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('<script>alert');
      expect(page.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Parent');
      expect(page.body).toContain('1 High Street<br>Town<br>AB1 2CD');
      expect(page.body).toContain('26 November 2026');
      expect(page.body).toContain(reference);
      // Received Friday 20 November 2026: 10 working days → Friday 4 December.
      expect(page.body).toContain('by 4 December 2026');
      expect(page.body).toContain(`href="/cases/${reference}/letters/acknowledgement.docx"`);

      const { id } = await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
      // Looking at it is audited as a view; it is not in the timeline until it is downloaded to send.
      const audit = await kysely().selectFrom('audit_event').select(['action', 'user_id', 'details']).where('entity_id', '=', String(id)).where('action', 'like', 'letter_%').execute();
      expect(audit.map((a) => a.action)).toEqual(['letter_viewed']);
      expect(audit[0]?.user_id).toBe(officer.actor.userId);
      expect(audit[0]?.details).not.toContain('Parent');
      expect(await kysely().selectFrom('history_entry').select('id').where('subject_id', '=', id).where('action', '=', 'letter_produced').execute()).toEqual([]);
    });

    it('shows values the case has not recorded as visible gaps', async () => {
      const reference = await register();
      const page = await officer.browser.get(`/cases/${reference}/letters/withdrawal`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<mark class="app-letter__gap">[not recorded: date withdrawn]</mark>');
    });

    it('downloads the letter as a Word document with the reference in its name', async () => {
      const reference = await register();
      const response = await officer.browser.get(`/cases/${reference}/letters/acknowledgement.docx`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(response.headers['content-disposition']).toBe(`attachment; filename="${reference}-acknowledgement.docx"`);
      const zip = response.rawPayload;
      expect(zip.subarray(0, 2).toString()).toBe('PK');
      const xml = readZipEntry(zip, 'word/document.xml');
      expect(xml).toContain(reference);
      expect(xml).toContain('Sam Parent');
      expect(xml).toContain('4 December 2026');
      expect(xml).toContain('Heading1');
      const { id } = await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
      const audit = await kysely().selectFrom('audit_event').select('details').where('entity_id', '=', String(id)).where('action', '=', 'letter_produced').executeTakeFirstOrThrow();
      expect(JSON.parse(audit.details ?? '{}')).toMatchObject({ reference, letter: 'acknowledgement', format: 'docx' });
      const history = await kysely().selectFrom('history_entry').select(['action', 'summary', 'after']).where('subject_id', '=', id).where('action', '=', 'letter_produced').execute();
      expect(history).toEqual([{ action: 'letter_produced', summary: 'Letter produced: Acknowledgement', after: JSON.stringify({ letter: 'acknowledgement', format: 'docx' }) }]);
      expect((await officer.browser.get(`/cases/${reference}`)).body).toContain('Letter produced: Acknowledgement');
    });

    it('uses the council’s wording once saved', async () => {
      const reference = await register();
      const page = '/admin/letters/withdrawal';
      const saved = await admin.post(page, { _csrf: await admin.csrfToken(page), version: '0', subject: 'Closed: {{ case_reference }}', body: 'Dear {{ complainant_name }}\n\n## Closed\n\nYour complaint is closed. Young person {{ young_person_id }}.' });
      expect(saved.statusCode, saved.body).toBe(303);
      const letter = await officer.browser.get(`/cases/${reference}/letters/withdrawal`);
      expect(letter.body).toContain(`Closed: ${reference}`);
      expect(letter.body).toContain('<h3 class="govuk-heading-s">Closed</h3>');
      expect(letter.body).toContain('Young person YP-LETTER-1.');
    });

    it('the Stage 1 response states the finding, the remedies and how to ask for Stage 2', async () => {
      const reference = await register();
      await act(officer.browser, reference, 'allocate', { responder_user_id: String(rmNorth.actor.userId) });
      await act(rmNorth.browser, reference, 'record_response', { ...dateFields('responded_on', '2026-11-26'), finding: 'partially_upheld', remedies: ['apology', 'explanation'] });
      const list = await rmNorth.browser.get(`/cases/${reference}/letters`);
      expect(list.body.split('Other letters')[0]).toContain(`/letters/stage1_response"`);
      const page = await rmNorth.browser.get(`/cases/${reference}/letters/stage1_response`);
      expect(page.statusCode).toBe(200);
      const text = decodeEntities(page.body);
      expect(text).toContain('Partially upheld');
      expect(text).toContain('Stage 2');
      expect(text).toContain('within 20 working days of this response, that is by 24 December 2026');
      expect(text).toContain('Test responding_manager Care Management North');
    });

    it('fills the extension, request for information and closure warning from what was recorded', async () => {
      const reference = await register();
      await act(officer.browser, reference, 'extend', { extra_working_days: '10', extension_reason: 'other', extension_reason_text: 'Three teams are involved', ...dateFields('complainant_told_on', '2026-11-26') });
      const extension = decodeEntities((await officer.browser.get(`/cases/${reference}/letters/extension`)).body);
      expect(extension).toContain('The reason is: Three teams are involved');
      expect(extension).toContain('by 10 working days');
      expect(extension).toContain('by 18 December 2026');

      await act(officer.browser, reference, 'request_information', { ...dateFields('requested_on', '2026-11-23'), details: 'The dates of the cancelled visits' });
      const request = decodeEntities((await officer.browser.get(`/cases/${reference}/letters/request_for_information`)).body);
      expect(request).toContain('The dates of the cancelled visits');
      expect(request).toContain('Please reply by 7 December 2026');
      const list = await officer.browser.get(`/cases/${reference}/letters`);
      expect(list.body.split('Other letters')[0]).toContain('/letters/closure_warning"');
      const warning = decodeEntities((await officer.browser.get(`/cases/${reference}/letters/closure_warning`)).body);
      expect(warning).toContain('On 23 November 2026 we wrote');
      expect(warning).toContain('If we do not hear from you by 10 December 2026');
    });

    it('is refused to viewers, and to a responding manager of another team as if the case did not exist', async () => {
      const reference = await register();
      expect((await viewer.get(`/cases/${reference}/letters`)).statusCode).toBe(403);
      expect((await viewer.get(`/cases/${reference}/letters/acknowledgement`)).statusCode).toBe(403);
      expect((await viewer.get(`/cases/${reference}/letters/acknowledgement.docx`)).statusCode).toBe(403);
      expect((await viewer.get(`/cases/${reference}`)).body).not.toContain('/letters');
      expect((await rmFostering.browser.get(`/cases/${reference}/letters`)).statusCode).toBe(404);
      expect((await rmFostering.browser.get(`/cases/${reference}/letters/acknowledgement`)).statusCode).toBe(404);
      expect((await rmFostering.browser.get(`/cases/${reference}/letters/acknowledgement.docx`)).statusCode).toBe(404);
      // A responding manager who is also a viewer sees the case's figures, but gets no letter.
      const both = await staff(['responding_manager', 'viewer'], 'Fostering');
      expect((await both.browser.get(`/cases/${reference}/letters/acknowledgement`)).statusCode).toBe(404);
      expect((await admin.get(`/cases/${reference}/letters`)).statusCode).toBe(403);
      expect((await rmNorth.browser.get(`/cases/${reference}/letters/acknowledgement`)).statusCode).toBe(200);
      expect((await officer.browser.get(`/cases/${reference}/letters/no_such_letter`)).statusCode).toBe(404);
      expect((await officer.browser.get('/cases/CSC-2099-9999/letters/acknowledgement')).statusCode).toBe(404);
      const { id } = await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
      const produced = await kysely().selectFrom('audit_event').select('user_id').where('entity_id', '=', String(id)).where('action', '=', 'letter_viewed').execute();
      expect(produced.map((p) => p.user_id)).toEqual([rmNorth.actor.userId]);
    });

    it('every letter can be produced for a case', async () => {
      const reference = await register();
      for (const key of Object.keys(LETTER_DEFINITIONS)) {
        const response = await officer.browser.get(`/cases/${reference}/letters/${key}`);
        expect(response.statusCode, key).toBe(200);
      }
    });
  });

  describe('Stage 2 and the next step, by procedure', () => {
    let senior: StaffActor;
    beforeAll(async () => {
      senior = (await staff(['senior_manager'])).actor;
    });

    const versionOf = async (reference: string) => (await kysely().selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
    const caseStep = async (reference: string, action: string, input: Record<string, unknown>) => container.caseActions.apply(reference, action, input, officer.actor, await versionOf(reference));
    const laterStep = async (reference: string, step: string, input: Record<string, unknown>, actor: StaffActor = officer.actor) =>
      container.laterStages.apply(reference, step, input, actor, await versionOf(reference));

    /** A parent's complaint of `kind`, answered at Stage 1 on `respondedOn`. */
    const answered = async (kind: 'children_statutory' | 'corporate', receivedOn: string, respondedOn: string): Promise<string> => {
      const [made] = await container.registration.register(
        {
          fields: { kind, received_on: receivedOn, channel: 'email', via_complaints_team: 'yes', summary: 'Contact visits were cancelled.', complainant_role: 'parent' },
          teamIds: [teamId('Care Management North')],
          complainant: { name: 'Sam Parent', email: `sam-${String(Math.random()).slice(2, 10)}@example.org` },
        },
        officer.actor,
      );
      const reference = made?.reference ?? '';
      if (kind === 'corporate') await caseStep(reference, 'acknowledge', { acknowledged_on: receivedOn });
      await caseStep(reference, 'record_response', { responded_on: respondedOn, finding: 'not_upheld', remedies: ['explanation'] });
      return reference;
    };

    /** A children's complaint taken through the Stage 2 investigation, adjudicated on `adjudicatedOn`. */
    const adjudicated = async (receivedOn: string, stage2From: string, reportOn: string, adjudicatedOn: string): Promise<string> => {
      const reference = await answered('children_statutory', receivedOn, receivedOn);
      await laterStep(reference, 'request_stage2', { requested_on: stage2From });
      await laterStep(reference, 'agree_statement', { statement_agreed_on: stage2From, points: '1. Contact visits were cancelled.' });
      await laterStep(reference, 'appoint_investigator', { name: 'Ira Vestigate', is_external: 'yes', appointed_on: stage2From });
      await laterStep(reference, 'appoint_independent_person', {
        name: 'Indie Person',
        is_external: 'yes',
        appointed_on: stage2From,
        declarations: ['not_member', 'not_officer', 'not_spouse_or_partner'],
        declared_on: stage2From,
      });
      await laterStep(reference, 'record_report', { report_received_on: reportOn, report: aReport() });
      await laterStep(reference, 'adjudicate', { responded_on: adjudicatedOn, finding_1: 'not_upheld' }, senior);
      return reference;
    };

    /** The letter as the case's page shows it, as plain text on one line. */
    const letterText = async (reference: string, key: string): Promise<string> => {
      const page = await officer.browser.get(`/cases/${reference}/letters/${key}`);
      expect(page.statusCode, key).toBe(200);
      return decodeEntities(page.body.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
    };
    const lettersNow = async (reference: string): Promise<string> => (await officer.browser.get(`/cases/${reference}/letters`)).body.split('Other letters')[0] ?? '';
    /** "that is by 13 November 2026" in a letter: the date. */
    const askBy = (text: string): string => /that is by (\d{1,2} [A-Z][a-z]+ \d{4})/.exec(text)?.[1] ?? 'no date in the letter';
    /** The "ask by" date of the email with the link to ask for the next stage online. */
    const emailedAskBy = async (reference: string, stage: string): Promise<string | undefined> => {
      const { id } = await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
      const rows = await kysely().selectFrom('notification_outbox').select('personalisation').where('template_key', '=', 'next_stage_link').where('subject_id', '=', id).execute();
      const found = rows.map((r) => JSON.parse(r.personalisation) as Record<string, string>).find((p) => p.next_stage?.includes(stage) === true);
      return found?.request_by;
    };
    const daysFrom = (iso: string, days: number): string => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const dayAfter = (iso: string): string => daysFrom(iso, 1);
    /** "13 November 2026" → "2026-11-13". */
    const isoOf = (long: string): string => new Date(`${long} 12:00Z`).toISOString().slice(0, 10);
    const stageRow = async (table: 'stage2' | 'stage3', reference: string) => {
      const { id } = await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
      return kysely().selectFrom(table).select(['window_ends_on', 'is_late']).where('representation_id', '=', id).executeTakeFirst();
    };

    it('a corporate complaint offers the corporate Stage 2, then ends with a final response that names the Ombudsman, not a review panel', async () => {
      const reference = await answered('corporate', '2026-10-01', '2026-10-09');
      const stage1 = await letterText(reference, 'stage1_response');
      expect(stage1).toContain('you can ask us to look at your complaint again, at Stage 2 of our complaints procedure. This is the last stage.');
      expect(stage1).not.toContain('Independent Person');
      expect(stage1).not.toContain('investigating officer');

      await laterStep(reference, 'request_stage2', { requested_on: '2026-10-12' });
      await laterStep(reference, 'acknowledge_stage2', { acknowledged_on: '2026-10-13' });
      const now = await lettersNow(reference);
      expect(now).toContain(`/letters/corporate_stage2_acknowledgement"`);
      expect(now).not.toContain(`/letters/stage2_acknowledgement"`);
      const acknowledgement = await letterText(reference, 'corporate_stage2_acknowledgement');
      expect(acknowledgement).toContain('Thank you for asking us on 12 October 2026 to look at your complaint again.');
      expect(acknowledgement).not.toContain('Independent Person');

      await laterStep(reference, 'respond_stage2', { responded_on: '2026-11-06', finding: 'partially_upheld' }, senior);
      const after = await lettersNow(reference);
      expect(after).toContain(`/letters/corporate_final_response"`);
      expect(after).not.toContain(`/letters/stage2_adjudication"`);
      const final = await letterText(reference, 'corporate_final_response');
      expect(final).toContain('this letter is our final response');
      expect(final).toContain('your complaint is: Partially upheld.');
      expect(final).toContain('This is the last stage of our complaints procedure.');
      expect(final).toContain('you can ask the Local Government and Social Care Ombudsman to look at your complaint');
      expect(final).toContain('www.lgo.org.uk or telephone 0300 061 0614');
      expect(final).toContain(`Please quote your reference ${reference}.`);
      expect(final).not.toMatch(/review panel|Stage 3|Independent Person/);
      // No link to ask for a review panel goes to a corporate complainant.
      expect(await emailedAskBy(reference, 'review panel')).toBeUndefined();
    });

    it('a children’s complaint offers the independent investigation, then a review panel, and gets no corporate letter', async () => {
      const reference = await adjudicated('2026-09-01', '2026-09-07', '2026-10-01', '2026-10-05');
      const stage1 = await letterText(reference, 'stage1_response');
      expect(stage1).toContain('looked into by an investigating officer who does not work for the service, overseen by an Independent Person');
      const now = await lettersNow(reference);
      expect(now).toContain(`/letters/stage2_adjudication"`);
      expect(now).not.toContain(`/letters/corporate_final_response"`);
      const adjudication = await letterText(reference, 'stage2_adjudication');
      expect(adjudication).toContain('you can ask for your complaint to be considered by a review panel (Stage 3 of the complaints procedure)');
      expect(adjudication).not.toContain('last stage');
    });

    // A Friday; the Friday before the August bank holiday; a Saturday.
    const RESPONSE_DATES = ['2026-10-16', '2026-08-28', '2026-10-17'];

    /** What the case page says of the stage, as plain text. */
    const casePage = async (reference: string): Promise<string> => decodeEntities((await officer.browser.get(`/cases/${reference}`)).body.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

    for (const respondedOn of RESPONSE_DATES) {
      it(`gives, for a Stage 1 response on ${respondedOn}, the very date a Stage 2 request becomes late: in the letter, the email and the check`, async () => {
        const reference = await answered('children_statutory', daysFrom(respondedOn, -7), respondedOn);
        const byLetter = askBy(await letterText(reference, 'stage1_response'));
        expect(await emailedAskBy(reference, 'Stage 2')).toBe(byLetter);
        const lastDay = isoOf(byLetter);
        // The link to ask online still works on that day.
        const { id } = await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
        const link = await kysely().selectFrom('secure_link').select('expires_at').where('representation_id', '=', id).where('purpose', '=', 'stage2_request').executeTakeFirstOrThrow();
        expect(Date.parse(link.expires_at)).toBeGreaterThan(Date.parse(`${lastDay}T23:59:59Z`));
        // The day after the letter's date the request is late: it needs a recorded decision, and nothing is written without one.
        expect(await codeOfAsync(laterStep(reference, 'request_stage2', { requested_on: dayAfter(lastDay) }))).toBe('missing_late_decision');
        expect(await stageRow('stage2', reference)).toBeUndefined();
        // On the letter's date it is in time.
        await laterStep(reference, 'request_stage2', { requested_on: lastDay });
        expect(await stageRow('stage2', reference)).toEqual({ window_ends_on: lastDay, is_late: 0 });
        expect(await casePage(reference)).toContain(`Time to ask ended ${byLetter}`);
      });

      it(`gives, for an adjudication on ${respondedOn}, the very date a Stage 3 request becomes late: in the letter, the email and the check`, async () => {
        const reference = await adjudicated(daysFrom(respondedOn, -20), daysFrom(respondedOn, -10), daysFrom(respondedOn, -1), respondedOn);
        const byLetter = askBy(await letterText(reference, 'stage2_adjudication'));
        expect(await emailedAskBy(reference, 'review panel')).toBe(byLetter);
        const lastDay = isoOf(byLetter);
        expect(await codeOfAsync(laterStep(reference, 'request_stage3', { requested_on: dayAfter(lastDay) }))).toBe('missing_late_decision');
        expect(await stageRow('stage3', reference)).toBeUndefined();
        await laterStep(reference, 'request_stage3', { requested_on: lastDay });
        expect(await stageRow('stage3', reference)).toEqual({ window_ends_on: lastDay, is_late: 0 });
      });
    }
  });
});
