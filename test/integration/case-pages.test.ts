import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aUser, TEST_PASSWORD, testClock, testContainer, aStaffMember, teamIdsByName } from '../support/builders.ts';
import { Browser, decodeEntities, signedInAs } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import { HIDDEN_TEXT, QUEUE_PAGE_SIZE, type CaseQueue, type QueueFilters } from '../../src/app/case-query-service.ts';
import type { Container } from '../../src/container.ts';
import type { RegistrationInput } from '../../src/domain/cases/registration.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import type { Role } from '../../src/domain/users/roles.ts';

// Thursday 26 November 2026, 10am.
const NOW = '2026-11-26T10:00:00.000Z';

const SUMMARY = 'Contact with my son was cancelled three times without notice.';

/** The references in a queue page's table, in order. */
function referencesIn(html: string): string[] {
  return [...html.matchAll(/<a class="govuk-link" href="\/cases\/([A-Z]{3}-\d{4}-\d{4,})">/g)].map((m) => m[1] ?? '');
}

describeEachEngine('case queues and the case page', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: StaffActor;
  let officerName: string;
  let rmNorth: StaffActor & { email: string };
  let rmAssessment: StaffActor & { email: string };
  let viewerActor: StaffActor;
  let teamId: (name: string) => number;
  const ids: Record<string, number> = {};

  const staff = (roles: Role[], teamName?: string): Promise<StaffActor & { email: string }> => aStaffMember(container, roles, teamName);

  const complaint = (receivedOn: string, teams: string[], rest: Partial<RegistrationInput> = {}, fields: Record<string, unknown> = {}): RegistrationInput => ({
    fields: {
      kind: 'children_statutory',
      received_on: receivedOn,
      channel: 'leaflet',
      via_complaints_team: 'yes',
      summary: SUMMARY,
      issues: ['contact_arrangements', 'communication'],
      complainant_role: 'parent',
      ...fields,
    },
    teamIds: teams.map((t) => teamId(t)),
    youngPerson: { externalId: 'YP-100234', dateOfBirth: '2012-03-04', ethnicity: 'WBRI' },
    complainant: { name: 'Sam Parent', email: 'sam@example.org', phone: '01632 960001', preferredContact: 'email' },
    ...rest,
  });

  const register = async (input: RegistrationInput): Promise<string[]> => {
    const made = await container.registration.register(input, officer);
    for (const r of made) ids[r.reference] = r.id;
    return made.map((r) => r.reference);
  };

  const kysely = () => database().db.kysely;

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    teamId = await teamIdsByName(container);
    officer = await staff(['complaints_officer']);
    officerName = 'Test complaints_officer';
    rmNorth = await staff(['responding_manager'], 'Care Management North');
    rmAssessment = await staff(['responding_manager'], 'Assessment South');
    viewerActor = await staff(['viewer']);

    // A: one contact about two teams, received Friday 20 November: Stage 1 due Friday 4 December.
    expect(await register(complaint('2026-11-20', ['Care Management North', 'Contact Team']))).toEqual(['CSC-2026-0001', 'CSC-2026-0002']);
    // B: received Friday 13 November: due Friday 27 November, one working day away.
    expect(
      await register(
        complaint('2026-11-13', ['Assessment North'], {
          youngPerson: { externalId: 'YP-200001' },
          complainant: { name: 'Jo Carer', email: 'jo@example.org' },
        }),
      ),
    ).toEqual(['CSC-2026-0003']);
    // C: received Tuesday 10 November: due Tuesday 24 November, two working days ago; allocated.
    expect(await register(complaint('2026-11-10', ['Fostering'], { youngPerson: { externalId: 'YP-300001' }, complainant: { name: 'Kim Foster' } }))).toEqual([
      'CSC-2026-0004',
    ]);
    await kysely().updateTable('representation').set({ status: 'allocated', responder_user_id: rmAssessment.userId }).where('reference', '=', 'CSC-2026-0004').execute();
    // D: a compliment, closed yesterday.
    expect(
      await register({
        fields: { kind: 'compliment', received_on: '2026-11-25', channel: 'email', summary: 'Thank you for your support.', compliment_source: 'adopter', consent_to_quote: 'yes' },
        teamIds: [teamId('Adoption')],
      }),
    ).toEqual(['CPL-2026-0001']);
    await kysely().updateTable('representation').set({ status: 'closed', closed_on: '2026-11-25' }).where('reference', '=', 'CPL-2026-0001').execute();
    // E: withdrawn in September: closed long ago, its clock stopped.
    expect(await register(complaint('2026-09-01', ['Care Management South'], { youngPerson: { externalId: 'YP-400001' }, complainant: { name: 'Lee Old' } }))).toEqual([
      'CSC-2026-0005',
    ]);
    await kysely().updateTable('representation').set({ status: 'withdrawn', withdrawn_on: '2026-09-15' }).where('reference', '=', 'CSC-2026-0005').execute();
    await kysely().updateTable('clock').set({ is_open: 0 }).where('subject_type', '=', 'representation').where('subject_id', '=', ids['CSC-2026-0005'] ?? 0).execute();
    // F: an informal complaint waiting to be registered (as one from the public form will be).
    expect(
      await register({
        fields: { kind: 'informal', received_on: '2026-11-24', channel: 'telephone', summary: 'Unhappy about a phone call.', complainant_role: 'relative', informal_reason: 'Resolved on the phone' },
        teamIds: [teamId('Family Support')],
        complainant: { name: 'Ray Uncle' },
      }),
    ).toEqual(['INF-2026-0001']);
    await kysely().updateTable('representation').set({ status: 'awaiting_registration' }).where('reference', '=', 'INF-2026-0001').execute();

    // What the Stage 1 actions record, for the case page.
    const a = ids['CSC-2026-0001'] ?? 0;
    await kysely().insertInto('case_note').values({ representation_id: a, body: 'Spoke to the team manager about the cancelled visits.', user_id: officer.userId, created_at: NOW }).execute();
    await kysely()
      .insertInto('eligibility_decision')
      .values({ representation_id: a, kind: 'time_limit', outcome: 'consider', reason: 'The cancellations continued until October.', decided_on: '2026-11-23', decided_by: officer.userId, created_at: NOW })
      .execute();
    await kysely()
      .insertInto('advocacy_offer')
      .values({ representation_id: a, stage: 1, offered_on: '2026-11-23', outcome: 'declined', provider: 'Coram Voice', recorded_by: officer.userId, created_at: NOW })
      .execute();
    await kysely()
      .insertInto('history_entry')
      .values({
        subject_type: 'representation',
        subject_id: a,
        occurred_at: '2026-11-26T10:30:00.000Z',
        user_id: officer.userId,
        action: 'allocated',
        summary: 'Allocated to a responding manager',
        before: JSON.stringify({ status: 'registered' }),
        after: JSON.stringify({ status: 'allocated' }),
      })
      .execute();

    app = await createApp(container);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('the queues (service)', () => {
    const queue = async (filters: QueueFilters, viewer: StaffActor = officer) => (await container.cases.queue(viewer, filters)).rows.map((r) => r.reference);

    it('lists every open case by Stage 1 due date, then date received, cases without a clock last', async () => {
      const page = await container.cases.queue(officer, {});
      expect(page.rows.map((r) => r.reference)).toEqual(['CSC-2026-0004', 'CSC-2026-0003', 'CSC-2026-0001', 'CSC-2026-0002', 'INF-2026-0001']);
      expect(page.rows[0]).toMatchObject({
        kindLabel: 'Complaint (Children Act 1989 procedure)',
        teamName: 'Fostering',
        statusLabel: 'With the responding manager',
        receivedOn: '2026-11-10',
        stage1Due: { text: 'Overdue by 2 working days', tag: 'overdue', dueOn: '2026-11-24' },
        responderName: 'Test responding_manager Assessment South',
      });
      expect(page.rows[1]?.stage1Due).toEqual({ text: 'Due in 1 working day', tag: 'due_soon', dueOn: '2026-11-27' });
      expect(page.rows[2]?.stage1Due).toEqual({ text: 'Due in 6 working days', tag: 'on_track', dueOn: '2026-12-04' });
      expect(page.rows[4]).toMatchObject({ stage1Due: undefined, responderName: null, statusLabel: 'Waiting to be registered' });
      expect(page).toMatchObject({ queue: 'all_open', total: 5, page: 1, pageCount: 1, pageSize: QUEUE_PAGE_SIZE });
    });

    it.each<[CaseQueue, string[]]>([
      ['awaiting_registration', ['INF-2026-0001']],
      ['awaiting_allocation', ['CSC-2026-0003', 'CSC-2026-0001', 'CSC-2026-0002']],
      ['due_soon', ['CSC-2026-0003']],
      ['overdue', ['CSC-2026-0004']],
      ['recently_closed', ['CPL-2026-0001']],
      ['mine', []],
      ['my_team', []],
      ['all', ['CSC-2026-0005', 'CSC-2026-0004', 'CSC-2026-0003', 'CSC-2026-0001', 'CSC-2026-0002', 'INF-2026-0001', 'CPL-2026-0001']],
    ])('the %s queue', async (name, expected) => {
      expect(await queue({ queue: name })).toEqual(expected);
    });

    it('lists a responding manager’s own and their team’s cases, and no others', async () => {
      expect(await queue({ queue: 'mine' }, rmAssessment)).toEqual(['CSC-2026-0004']);
      expect(await queue({ queue: 'my_team' }, rmAssessment)).toEqual([]);
      expect(await queue({ queue: 'all' }, rmAssessment)).toEqual(['CSC-2026-0004']);
      expect(await queue({ queue: 'my_team' }, rmNorth)).toEqual(['CSC-2026-0001']);
      expect(await queue({ queue: 'all' }, rmNorth)).toEqual(['CSC-2026-0001']);
      expect(await queue({ queue: 'all' }, viewerActor)).toHaveLength(7);
    });

    it('filters by kind, team and status', async () => {
      expect(await queue({ queue: 'all', kind: 'compliment' })).toEqual(['CPL-2026-0001']);
      expect(await queue({ queue: 'all', teamId: teamId('Contact Team') })).toEqual(['CSC-2026-0002']);
      expect(await queue({ queue: 'all', status: 'allocated' })).toEqual(['CSC-2026-0004']);
      expect(await queue({ queue: 'all', status: 'withdrawn', kind: 'children_statutory' })).toEqual(['CSC-2026-0005']);
      expect(await queue({ queue: 'all_open', status: 'closed' })).toEqual([]);
    });

    it('searches by reference (any case), young person’s id (exact) and complainant’s name (part, any case)', async () => {
      expect(await queue({ queue: 'all', search: ' csc-2026-0002 ' })).toEqual(['CSC-2026-0002']);
      expect(await queue({ queue: 'all', search: 'YP-100234' })).toEqual(['CSC-2026-0001', 'CSC-2026-0002']);
      expect(await queue({ queue: 'all', search: 'YP-400001' })).toEqual(['CSC-2026-0005']);
      expect(await queue({ queue: 'all', search: 'YP-1002' })).toEqual([]);
      expect(await queue({ queue: 'all', search: 'sAm pAr' })).toEqual(['CSC-2026-0001', 'CSC-2026-0002']);
      expect(await queue({ queue: 'all', search: 'carer' })).toEqual(['CSC-2026-0003']);
      // LIKE's wildcards are searched for as themselves.
      expect(await queue({ queue: 'all', search: '%' })).toEqual([]);
      expect(await queue({ queue: 'all', search: '_' })).toEqual([]);
      // The queue still applies.
      expect(await queue({ queue: 'all_open', search: 'YP-400001' })).toEqual([]);
      expect(await queue({ queue: 'awaiting_allocation', search: 'Sam' })).toEqual(['CSC-2026-0001', 'CSC-2026-0002']);
      expect(await queue({ queue: 'overdue', search: 'Sam' })).toEqual([]);
    });

    it('never matches personal details the searcher may not see', async () => {
      // A viewer finds a case by its reference, never by who it is about or who made it.
      expect(await queue({ queue: 'all', search: 'Sam' }, viewerActor)).toEqual([]);
      expect(await queue({ queue: 'all', search: 'YP-100234' }, viewerActor)).toEqual([]);
      expect(await queue({ queue: 'all', search: 'CSC-2026-0002' }, viewerActor)).toEqual(['CSC-2026-0002']);
      // A responding manager, only among their own cases.
      expect(await queue({ queue: 'all', search: 'Sam' }, rmNorth)).toEqual(['CSC-2026-0001']);
      expect(await queue({ queue: 'all', search: 'CSC-2026-0002' }, rmNorth)).toEqual([]);
    });
  });

  describe('the case page (service)', () => {
    it('loads everything the page shows, with labels and the clocks’ words', async () => {
      const view = await container.cases.load('csc-2026-0001', officer);
      expect(view).toMatchObject({
        reference: 'CSC-2026-0001',
        kindLabel: 'Complaint (Children Act 1989 procedure)',
        statusLabel: 'Waiting to be allocated',
        teamName: 'Care Management North',
        channel: { code: 'leaflet', label: 'Complaints leaflet' },
        complainantRole: { code: 'parent', label: 'Parent' },
        visibility: 'full',
        issues: [
          { code: 'communication', label: 'Communication' },
          { code: 'contact_arrangements', label: 'Contact arrangements' },
        ],
        linked: [
          { reference: 'CSC-2026-0001', teamName: 'Care Management North', canOpen: true },
          { reference: 'CSC-2026-0002', teamName: 'Contact Team', canOpen: true },
        ],
        eligibilityDecisions: [
          {
            decision: { code: 'time_limit', label: 'Time limit' },
            outcome: { code: 'consider', label: 'Yes: consider all of it' },
            reason: 'The cancellations continued until October.',
            decidedOn: '2026-11-23',
            decidedBy: officerName,
          },
        ],
        advocacyOffers: [{ stage: 1, offeredOn: '2026-11-23', outcome: { code: 'declined', label: 'Declined' }, provider: 'Coram Voice', recordedBy: officerName }],
      });
      expect(view?.clocks.map((c) => [c.label, c.dueOn, c.text, c.tag])).toEqual([
        ['Acknowledgement', '2026-11-24', 'Overdue by 2 working days', 'overdue'],
        ['Stage 1 response', '2026-12-04', 'Due in 6 working days', 'on_track'],
      ]);
      expect(view?.personal).toMatchObject({
        summary: SUMMARY,
        youngPerson: { externalId: 'YP-100234', dateOfBirth: '2012-03-04', ethnicity: { code: 'WBRI', label: expect.any(String) as string } },
        complainant: { name: 'Sam Parent', email: 'sam@example.org', preferredContact: 'Email' },
        notes: [{ body: 'Spoke to the team manager about the cancelled visits.', author: officerName, createdAt: NOW }],
      });
      // The timeline, newest first, with who made each change.
      expect(view?.history.map((h) => [h.summary, h.who])).toEqual([
        ['Allocated to a responding manager', officerName],
        ['One of 2 from the same contact, one per team: CSC-2026-0001, CSC-2026-0002', officerName],
        ['Registered: Complaint (Children Act 1989 procedure), about Care Management North', officerName],
      ]);
      expect(view?.history[0]?.changes).toEqual([{ field: 'status', label: 'Status', before: 'Waiting to be allocated', after: 'With the responding manager' }]);
    });

    it('writes an audit event for every view: who, when, from where and the request', async () => {
      const id = String(ids['CSC-2026-0002']);
      const before = await kysely().selectFrom('audit_event').selectAll().where('action', '=', 'case_viewed').where('entity_id', '=', id).execute();
      await container.cases.load('CSC-2026-0002', officer);
      await container.cases.load('CSC-2026-0002', viewerActor);
      const after = await kysely().selectFrom('audit_event').selectAll().where('action', '=', 'case_viewed').where('entity_id', '=', id).orderBy('id').execute();
      expect(after.length - before.length).toBe(2);
      expect(after.slice(-2).map((e) => [e.user_id, e.entity_type, e.ip, e.request_id, e.occurred_at])).toEqual([
        [officer.userId, 'representation', '192.0.2.9', 'r-test', NOW],
        [viewerActor.userId, 'representation', '192.0.2.9', 'r-test', NOW],
      ]);
    });

    it('hides a case from a responding manager of another team, as if it did not exist', async () => {
      expect(await container.cases.load('CSC-2026-0002', rmNorth)).toBeUndefined();
      expect(await container.cases.load('CSC-2026-9999', rmNorth)).toBeUndefined();
      const refused = await kysely().selectFrom('audit_event').select(['user_id']).where('action', '=', 'case_view_refused').where('entity_id', '=', String(ids['CSC-2026-0002'])).execute();
      expect(refused).toEqual([{ user_id: rmNorth.userId }]);
      // Their own team's case, naming the linked one by its team only.
      const own = await container.cases.load('CSC-2026-0001', rmNorth);
      expect(own?.visibility).toBe('full');
      expect(own?.linked.map((l) => l.canOpen)).toEqual([true, false]);
    });

    it('gives a viewer no personal details', async () => {
      const view = await container.cases.load('CSC-2026-0001', viewerActor);
      expect(view?.visibility).toBe('figures');
      expect(view?.personal).toBeUndefined();
      expect(view?.eligibilityDecisions[0]?.reason).toBeUndefined();
      expect(view?.history[0]?.changes).toEqual([]);
      expect(JSON.stringify(view)).not.toMatch(/Sam Parent|sam@example\.org|YP-100234|2012-03-04|cancelled/);
    });
  });

  describe('the pages (HTTP)', () => {
    it('shows the queue with its queues, filters and table, and the register button to registrars only', async () => {
      const browser = await signedInAs(app, container, 'complaints_officer');
      const page = await browser.get('/cases');
      expect(page.statusCode).toBe(200);
      expect(referencesIn(page.body)).toEqual(['CSC-2026-0004', 'CSC-2026-0003', 'CSC-2026-0001', 'CSC-2026-0002', 'INF-2026-0001']);
      expect(page.body).toContain('Register a representation');
      expect(page.body).toContain('href="/cases/new"');
      expect(page.body).toContain('<div class="app-table-scroll" role="region" aria-label="All open cases" tabindex="0">');
      expect(page.body).toMatch(/aria-current="page">All open cases</);
      expect(page.body).toContain('href="/cases?queue=overdue"');
      expect(page.body).toContain('Overdue by 2 working days');
      expect(page.body).toContain('govuk-tag--red');
      expect(page.body).toContain('<select class="govuk-select govuk-!-width-full" id="kind" name="kind">');
      expect(page.body).toContain('5 cases');

      const filtered = await browser.get(`/cases?queue=all&kind=children_statutory&team=${String(teamId('Contact Team'))}`);
      expect(referencesIn(filtered.body)).toEqual(['CSC-2026-0002']);
      expect(filtered.body).toContain('Clear search and filters');
      expect(referencesIn((await browser.get('/cases?q=sam+parent')).body)).toEqual(['CSC-2026-0001', 'CSC-2026-0002']);
      expect(referencesIn((await browser.get('/cases?queue=all&q=YP-300001')).body)).toEqual(['CSC-2026-0004']);
      // Junk in the query string is ignored, not an error.
      expect((await browser.get('/cases?queue=nonsense&kind=x&team=abc&status=y&page=-1')).statusCode).toBe(200);

      const empty = await browser.get('/cases?queue=mine');
      expect(empty.body).toContain('There are no cases in this queue.');
      const none = await browser.get('/cases?queue=awaiting_registration&q=nobody');
      expect(none.body).toContain('No cases in this queue match your search or filters.');
      expect(none.body).toContain('href="/cases?queue=all&amp;q=nobody"');
    });

    it('shows the case page in sections, with the timeline', async () => {
      const browser = await signedInAs(app, container, 'complaints_manager');
      const page = await browser.get('/cases/CSC-2026-0001');
      expect(page.statusCode).toBe(200);
      const html = decodeEntities(page.body);
      for (const heading of ['Summary', 'People', 'Time limits', 'Eligibility decisions', 'Advocacy', 'Notes', 'Timeline']) {
        expect(html).toContain(`>${heading}</h2>`);
      }
      expect(html).toContain('<h1 class="govuk-heading-l">CSC-2026-0001</h1>');
      expect(html).toContain('One of 2 complaints from the same contact');
      expect(html).toContain('href="/cases/CSC-2026-0002"');
      for (const text of [SUMMARY, 'Sam Parent', 'sam@example.org', 'YP-100234', '4 March 2012', 'Contact arrangements', 'Coram Voice', 'Yes: consider all of it']) {
        expect(html).toContain(text);
      }
      expect(html).toContain('Due in 6 working days');
      expect(html).toContain('Overdue by 2 working days');
      expect(html).toContain('Spoke to the team manager about the cancelled visits.');
      expect(html).toContain('Allocated to a responding manager');
      expect(html).toContain('From Waiting to be allocated to With the responding manager');
      expect(html).toContain('26 November 2026 at 10:30am');
      expect(html).toContain(`${officerName}, <time`);
    });

    it('answers 404 for a reference that does not exist', async () => {
      const browser = await signedInAs(app, container, 'complaints_officer');
      expect((await browser.get('/cases/CSC-2026-9999')).statusCode).toBe(404);
      expect((await browser.get('/cases/not-a-reference')).statusCode).toBe(404);
    });

    it('gives a responding manager their team’s cases and 404 for the others', async () => {
      const browser = new Browser(app);
      await browser.signIn(rmNorth.email, TEST_PASSWORD);
      const own = await browser.get('/cases/CSC-2026-0001');
      expect(own.statusCode).toBe(200);
      expect(own.body).toContain('Sam Parent');
      const other = await browser.get('/cases/CSC-2026-0002');
      expect(other.statusCode).toBe(404);
      expect(other.body).toContain('Page not found');
      expect(other.body).not.toContain('CSC-2026-0002');
      expect(other.body).not.toContain('Contact Team');
      expect(referencesIn((await browser.get('/cases?queue=all')).body)).toEqual(['CSC-2026-0001']);
      expect((await browser.get('/cases')).body).not.toContain('Register a representation');

      const allocated = new Browser(app);
      await allocated.signIn(rmAssessment.email, TEST_PASSWORD);
      expect((await allocated.get('/cases/CSC-2026-0004')).statusCode).toBe(200);
      expect((await allocated.get('/cases/CSC-2026-0001')).statusCode).toBe(404);
    });

    it('shows a viewer the case without any personal details', async () => {
      const browser = await signedInAs(app, container, 'viewer');
      const page = await browser.get('/cases/CSC-2026-0001');
      expect(page.statusCode).toBe(200);
      const html = decodeEntities(page.body);
      expect(html).toContain(HIDDEN_TEXT);
      expect(html).toContain('Care Management North');
      expect(html).toContain('Stage 1 response');
      for (const secret of ['Sam Parent', 'sam@example.org', '01632 960001', SUMMARY, 'YP-100234', '4 March 2012', 'cancelled visits', 'The cancellations continued']) {
        expect(html).not.toContain(secret);
      }
      const queue = await browser.get('/cases?queue=all&q=Sam');
      expect(referencesIn(queue.body)).toEqual([]);
      expect(queue.body).not.toContain('Register a representation');
    });

    it('refuses someone who reads no cases with 403', async () => {
      const browser = await signedInAs(app, container, 'admin');
      expect((await browser.get('/cases')).statusCode).toBe(403);
      expect((await browser.get('/cases/CSC-2026-0001')).statusCode).toBe(403);
    });

    it('sends someone signed out to sign in', async () => {
      const response = await new Browser(app).get('/cases/CSC-2026-0001');
      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toBe('/sign-in?returnTo=%2Fcases%2FCSC-2026-0001');
    });

    it('writes one audit row per view of a case page, with the request id', async () => {
      const browser = await signedInAs(app, container, 'senior_manager');
      const id = String(ids['CSC-2026-0003']);
      const count = async () => (await kysely().selectFrom('audit_event').select(['request_id', 'ip']).where('action', '=', 'case_viewed').where('entity_id', '=', id).execute()).length;
      const before = await count();
      await browser.get('/cases/CSC-2026-0003');
      await browser.get('/cases/CSC-2026-0003');
      await browser.get('/cases?queue=all');
      expect(await count()).toBe(before + 2);
      const last = await kysely().selectFrom('audit_event').selectAll().where('action', '=', 'case_viewed').where('entity_id', '=', id).orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(last.ip).toBe('127.0.0.1');
      expect(last.request_id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('shows a clock whose recorded dates cannot be worked out as a problem on its own line, in the queue and on the case page', async () => {
      const [reference = ''] = await register(complaint('2026-11-02', ['Fostering'], { youngPerson: { externalId: 'YP-900001' }, complainant: { name: 'Bo Broken' } }));
      // An extension the complainant was told of after the clock had stopped: the clock engine refuses to count it.
      const events = { startedOn: '2026-11-02', stoppedOn: '2026-11-03', extensions: [{ extraWorkingDays: 10, reason: 'complexity', complainantToldOn: '2026-11-05' }] };
      await kysely().updateTable('clock').set({ events: JSON.stringify(events) }).where('subject_type', '=', 'representation').where('subject_id', '=', ids[reference] ?? 0).execute();
      const browser = await signedInAs(app, container, 'complaints_manager');

      const queue = await browser.get(`/cases?queue=all&q=${reference}`);
      expect(queue.statusCode).toBe(200);
      expect(decodeEntities(queue.body)).toContain('Problem</strong> The Stage 1 clock’s dates cannot be read: open the case to check them');

      const page = await browser.get(`/cases/${reference}`);
      expect(page.statusCode).toBe(200);
      const html = decodeEntities(page.body);
      expect(html).toContain('Its recorded dates cannot be worked out: an extension cannot be told after the clock stopped');
      expect(html).toContain('Bo Broken');
    });
  });
});

describeEachEngine('case queue pagination', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: StaffActor;

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    officer = { userId: (await aUser(container, 'complaints_officer')).id, roles: ['complaints_officer'], teamId: null, ip: null, requestId: null };
    const teams = (await container.organisation.listTeams()).filter((t) => t.isActive).slice(0, 15);
    // 4 contacts × 15 teams = 60 complaints, received on four different days.
    for (const receivedOn of ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']) {
      await container.registration.register(
        {
          fields: { kind: 'children_statutory', received_on: receivedOn, channel: 'email', summary: 'About many teams.', issues: ['delay'], complainant_role: 'parent' },
          teamIds: teams.map((t) => t.id),
          complainant: { name: 'Morgan Many' },
        },
        officer,
      );
    }
    app = await createApp(container);
  });
  afterAll(async () => {
    await app.close();
  });

  it('pages by 50, in due-date order, and shows the last page for a page past it', async () => {
    const first = await container.cases.queue(officer, {});
    expect(first).toMatchObject({ total: 60, page: 1, pageCount: 2 });
    expect(first.rows).toHaveLength(50);
    const second = await container.cases.queue(officer, { page: 2 });
    expect(second.rows).toHaveLength(10);
    expect(second.rows.every((r) => r.receivedOn === '2026-11-23')).toBe(true);
    const all = [...first.rows, ...second.rows];
    expect(new Set(all.map((r) => r.reference)).size).toBe(60);
    const dues = all.map((r) => r.stage1Due?.dueOn ?? '');
    expect(dues).toEqual([...dues].sort());
    expect((await container.cases.queue(officer, { page: 9 })).page).toBe(2);
  });

  it('pages by its place in the queue, forwards and back, without counting the whole list', async () => {
    const first = await container.cases.queueList(officer, {});
    expect(first.rows).toHaveLength(50);
    expect(first.previous).toBeUndefined();
    expect(first.next).toEqual(first.rows.at(-1)?.key);
    const second = await container.cases.queueList(officer, { after: first.next });
    expect(second.rows).toHaveLength(10);
    expect(second.next).toBeUndefined();
    expect(second.previous).toEqual(second.rows[0]?.key);
    const all = [...first.rows, ...second.rows];
    expect(all.map((r) => r.reference)).toEqual((await container.cases.queue(officer, { page: 1 })).rows.map((r) => r.reference).concat((await container.cases.queue(officer, { page: 2 })).rows.map((r) => r.reference)));
    const back = await container.cases.queueList(officer, { before: second.previous });
    expect(back.rows.map((r) => r.reference)).toEqual(first.rows.map((r) => r.reference));
    expect(back.previous).toBeUndefined();
    expect(back.next).toEqual(first.next);
  });

  it('shows GOV.UK previous and next links on the page', async () => {
    const browser = await signedInAs(app, container, 'complaints_officer');
    const page = await browser.get('/cases');
    expect(page.body).toContain('Showing 50 cases on this page');
    expect(page.body).toContain('class="govuk-pagination');
    const next = /<a[^>]*href="(\/cases\?after=[^"]+)"[^>]*rel="next"/.exec(page.body)?.[1];
    expect(next).toBeDefined();
    expect(page.body).not.toContain('rel="prev"');
    expect(referencesIn(page.body)).toHaveLength(50);
    const second = await browser.get((next ?? '').replaceAll('&amp;', '&'));
    expect(second.body).toContain('Showing 10 cases on this page');
    expect(referencesIn(second.body)).toHaveLength(10);
    expect(new Set([...referencesIn(page.body), ...referencesIn(second.body)]).size).toBe(60);
    const previous = /<a[^>]*href="(\/cases\?before=[^"]+)"[^>]*rel="prev"/.exec(second.body)?.[1];
    const back = await browser.get((previous ?? '').replaceAll('&amp;', '&'));
    expect(referencesIn(back.body)).toEqual(referencesIn(page.body));
    // A place that is not one is ignored: the first page.
    expect(referencesIn((await browser.get('/cases?after=nonsense')).body)).toEqual(referencesIn(page.body));
  });
});
