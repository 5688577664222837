import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testContainer, teamIdsByName } from '../support/builders.ts';
import { dateFields, decodeEntities, signedInAs, signedInPerson, type Browser } from '../support/http.ts';
import { readZipEntry } from '../support/zip.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import { advocateAtRegistration } from '../../src/db/migrations/0028-advocate-at-registration.ts';

// Thursday 26 November 2026, 10am.
const NOW = '2026-11-26T10:00:00.000Z';

const formField = (html: string, name: string): string => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

describeEachEngine('letters for children', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: { browser: Browser; actor: StaffActor };
  let admin: Browser;
  let teamId: (name: string) => number;

  const kysely = () => database().db.kysely;

  const register = async (role: string, complainant: { name: string; email?: string; address?: string; preferredContact?: string }, advocate?: { name: string; organisation?: string }): Promise<string> => {
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-11-20', channel: 'email', via_complaints_team: 'yes', summary: 'My visits were stopped.', complainant_role: role },
        teamIds: [teamId('Care Management North')],
        youngPerson: { externalId: `YP-CHILD-${String(Math.random()).slice(2, 8)}` },
        complainant,
        ...(advocate === undefined ? {} : { advocate }),
      },
      officer.actor,
    );
    if (made === undefined) throw new Error('nothing registered');
    return made.reference;
  };

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    app = await createApp(container);
    teamId = await teamIdsByName(container);
    officer = await signedInPerson(app, container, ['complaints_officer']);
    admin = await signedInAs(app, container, 'admin');
  });
  afterAll(async () => {
    await app.close();
  });

  const idOf = async (reference: string) => (await kysely().selectFrom('representation').select(['id', 'version']).where('reference', '=', reference).executeTakeFirstOrThrow());
  const offersOf = async (reference: string) =>
    kysely()
      .selectFrom('advocacy_offer')
      .select(['stage', 'offered_on', 'outcome', 'provider'])
      .where('representation_id', '=', (await idOf(reference)).id)
      .orderBy('id')
      .execute();

  it('counts an advocate recorded at registration as an offer made and accepted that day, once', async () => {
    const reference = await register('child', { name: 'Mo Kid', email: 'mo@example.org' }, { name: 'Priya Shah', organisation: 'Speak Up Advocacy' });
    expect(await offersOf(reference)).toEqual([{ stage: 1, offered_on: '2026-11-26', outcome: 'accepted', provider: 'Speak Up Advocacy' }]);
    // No advocate, or not a Children Act complaint: no offer is made up.
    expect(await offersOf(await register('child', { name: 'No Advocate' }))).toEqual([]);

    // A complaint registered before this rule: migration 0028 adds the offer, and running it again adds nothing.
    const { id } = await idOf(reference);
    await kysely().deleteFrom('advocacy_offer').where('representation_id', '=', id).execute();
    await kysely().transaction().execute((trx) => advocateAtRegistration.up(trx, database().db.engine));
    await kysely().transaction().execute((trx) => advocateAtRegistration.up(trx, database().db.engine));
    expect(await offersOf(reference)).toEqual([{ stage: 1, offered_on: '2026-11-26', outcome: 'accepted', provider: 'Speak Up Advocacy' }]);
  });

  it('lets a responding manager record the offer of an advocate on their own case, not on another team’s', async () => {
    const rm = await signedInPerson(app, container, ['responding_manager']);
    await kysely().updateTable('app_user').set({ team_id: teamId('Care Management North') }).where('id', '=', rm.actor.userId).execute();
    const rmActor = { ...rm.actor, teamId: teamId('Care Management North') };
    const reference = await register('child', { name: 'Ali Kid', email: 'ali@example.org' });
    await container.caseActions.apply(reference, 'allocate', { responder_user_id: rm.actor.userId }, officer.actor, (await idOf(reference)).version);
    await container.caseActions.apply(reference, 'record_advocacy_offer', { offered_on: '2026-11-25', advocacy_outcome: 'declined', provider: 'Speak Up Advocacy' }, rmActor, (await idOf(reference)).version);
    expect(await offersOf(reference)).toEqual([{ stage: 1, offered_on: '2026-11-25', outcome: 'declined', provider: 'Speak Up Advocacy' }]);

    // Through the page too, without JavaScript: the form, then the post.
    const url = `/cases/${reference}/actions/record_advocacy_offer`;
    const form = await rm.browser.get(url);
    expect(form.statusCode).toBe(200);
    const posted = await rm.browser.post(url, { _csrf: formField(form.body, '_csrf'), version: formField(form.body, 'version'), ...dateFields('offered_on', '2026-11-26'), advocacy_outcome: 'accepted', provider: 'Speak Up Advocacy' });
    expect(posted.statusCode, posted.body).toBe(303);
    expect((await offersOf(reference)).map((o) => o.outcome)).toEqual(['declined', 'accepted']);

    // Another team's case is not theirs: it does not exist for them.
    const [other] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-11-20', channel: 'email', via_complaints_team: 'yes', summary: 'Fostering.', complainant_role: 'child' },
        teamIds: [teamId('Fostering')],
        complainant: { name: 'Other Kid' },
      },
      officer.actor,
    );
    expect((await rm.browser.get(`/cases/${other?.reference ?? ''}/actions/record_advocacy_offer`)).statusCode).toBe(404);
  });

  it('a child with an advocate gets the child letters: named advocate, copied to them, no address', async () => {
    const reference = await register('child', { name: 'Jade Smith', email: 'jade@example.org' }, { name: 'Priya Shah', organisation: 'Speak Up Advocacy' });
    const list = await officer.browser.get(`/cases/${reference}/letters`);
    expect(list.statusCode).toBe(200);
    expect(decodeEntities(list.body)).toContain('The complainant is a child or young person');

    const page = await officer.browser.get(`/cases/${reference}/letters/acknowledgement`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const html = decodeEntities(page.body);
    expect(html).toContain('We got your complaint: ' + reference);
    expect(html).toContain('Your advocate, Priya Shah, has a copy of this letter.');
    expect(html).toContain('Copy to: Priya Shah');
    expect(html).not.toContain('complainant’s address');
    expect(html).not.toContain('This letter cannot be sent yet');

    const docx = await officer.browser.get(`/cases/${reference}/letters/stage1_response.docx`);
    expect(docx.statusCode).toBe(200);
    const xml = decodeEntities(readZipEntry(docx.rawPayload, 'word/document.xml').replaceAll(/<[^>]+>/g, ''));
    expect(xml).toContain('Copy to: Priya Shah');
    expect(xml).toContain('If you are not happy with this answer, you can ask for Stage 2.');
    expect(xml).not.toContain('address');

    const audit = await kysely().selectFrom('audit_event').select('details').where('action', '=', 'letter_viewed').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details ?? '{}')).toMatchObject({ reference, letter: 'acknowledgement', audience: 'child' });
  });

  it('a child without an advocate is told what an advocate is, and the letter has no copy line', async () => {
    const reference = await register('care_leaver', { name: 'Tom Reed', email: 'tom@example.org' });
    const html = decodeEntities((await officer.browser.get(`/cases/${reference}/letters/acknowledgement`)).body);
    expect(html).toContain('An advocate is a person who is on your side.');
    expect(html).not.toContain('Copy to:');
  });

  it('a parent gets the standard letters, with their address', async () => {
    const reference = await register('parent', { name: 'Sam Parent', email: 'sam@example.org', address: '1 High Street\nTown' }, { name: 'Priya Shah' });
    const html = decodeEntities((await officer.browser.get(`/cases/${reference}/letters/acknowledgement`)).body);
    expect(html).toContain('Thank you for your complaint, which we received on 20 November 2026.');
    expect(html).toContain('1 High Street');
    expect(html).not.toContain('Copy to:');
    expect(html).not.toContain('child or young person, so');
  });

  it('says what is missing before a posted letter is downloaded: the address', async () => {
    const reference = await register('parent', { name: 'Lee Post', preferredContact: 'letter' });
    const page = await officer.browser.get(`/cases/${reference}/letters/acknowledgement`);
    expect(page.statusCode).toBe(200);
    const html = decodeEntities(page.body);
    expect(html).toContain('This letter cannot be sent yet');
    expect(html).toContain('The complainant’s address is not recorded, and their letters go by post.');
    expect(html).toContain(`href="/cases/${reference}#people"`);
    // The same for a child whose letters go by post, though the child's letter never prints the address.
    const child = await register('child', { name: 'Amy Post' });
    expect(decodeEntities((await officer.browser.get(`/cases/${child}/letters/withdrawal`)).body)).toContain('This letter cannot be sent yet');
    // With an email address and no preference, the letter is emailed: nothing is missing.
    const emailed = await register('parent', { name: 'Kim Mail', email: 'kim@example.org' });
    expect((await officer.browser.get(`/cases/${emailed}/letters/acknowledgement`)).body).not.toContain('This letter cannot be sent yet');
  });

  it('lets the council change the child version on its own, and uses it for children only', async () => {
    const list = decodeEntities((await admin.get('/admin/letters')).body);
    expect(list).toContain('href="/admin/letters/acknowledgement?audience=child"');
    const editPage = '/admin/letters/acknowledgement?audience=child';
    const form = await admin.get(editPage);
    expect(form.statusCode).toBe(200);
    expect(decodeEntities(form.body)).toContain('Thank you for telling us what is wrong.');
    const saved = await admin.post(editPage, { _csrf: formField(form.body, '_csrf'), version: formField(form.body, 'version'), subject: 'Hello {{ case_reference }}', body: 'Hi {{ complainant_name }}\n\nWe got it.\n\n{{ advocate_help }}' });
    expect(saved.statusCode, saved.body).toBe(303);
    expect(saved.headers.location).toBe('/admin/letters/acknowledgement?audience=child&saved=yes');
    const stored = await kysely().selectFrom('letter_template').select(['letter_key', 'version']).execute();
    expect(stored).toContainEqual({ letter_key: 'acknowledgement.child', version: 1 });

    const child = await register('child', { name: 'Jo Kid', email: 'jo@example.org' });
    expect(decodeEntities((await officer.browser.get(`/cases/${child}/letters/acknowledgement`)).body)).toContain('Hi Jo Kid');
    const parent = await register('parent', { name: 'Pat Parent', email: 'pat@example.org', address: '2 Low Road' });
    const parentHtml = decodeEntities((await officer.browser.get(`/cases/${parent}/letters/acknowledgement`)).body);
    expect(parentHtml).toContain('Dear Pat Parent');
    expect(parentHtml).not.toContain('Hi Pat Parent');

    const restore = await admin.post('/admin/letters/acknowledgement/restore?audience=child', { _csrf: formField(form.body, '_csrf'), version: '1' });
    expect(restore.statusCode).toBe(303);
    expect(decodeEntities((await officer.browser.get(`/cases/${child}/letters/acknowledgement`)).body)).toContain('Thank you for telling us what is wrong.');
  });
});
