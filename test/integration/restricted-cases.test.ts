/**
 * Restricted cases (issue #14, item 6), on both engines: the authorization matrix extended to a
 * case that excludes one member of staff by name and every member of one team. To them the
 * case does not exist — its page, letters, files, the API (reads and actions), every queue
 * and search, the export, a report's drill-down list, the Ombudsman register and the learning
 * log — and each refusal of the case is audited; everyone else sees it as before. Managing
 * restrictions is the complaints managers' and information governance's, refused to others,
 * audited and in the case's history without names.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { TEST_PASSWORD, aStaffMember, teamIdsByName, testClock, testContainer } from '../support/builders.ts';
import { Browser, errorSummary } from '../support/http.ts';
import { PDF } from '../support/file-samples.ts';
import { createApp } from '../../src/web/app.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import { REPRESENTATION_SUBJECT } from '../../src/db/representation-repository.ts';
import { OwnWorkRepository } from '../../src/db/own-work-repository.ts';
import { runNotificationJobs } from '../../src/jobs/notification-jobs.ts';
import { queuesFor } from '../../src/web/cases/case-access.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import type { Role } from '../../src/domain/users/roles.ts';

const CASE_TEAM = 'Care Management North';
const EXCLUDED_TEAM = 'Fostering';
const COMPLAINANT = 'Philippa Quarrington-Hale';

const PEOPLE = {
  /** Restricts the case. */
  manager: { roles: ['complaints_manager'] },
  /** Excluded by name. */
  excludedManager: { roles: ['complaints_manager'] },
  /** Excluded as members of the excluded team. */
  teamSenior: { roles: ['senior_manager'], team: EXCLUDED_TEAM },
  teamViewer: { roles: ['viewer'], team: EXCLUDED_TEAM },
  teamOfficer: { roles: ['complaints_officer'], team: EXCLUDED_TEAM },
  /** Not excluded. */
  officer: { roles: ['complaints_officer'] },
  senior: { roles: ['senior_manager'] },
  viewer: { roles: ['viewer'] },
  responder: { roles: ['responding_manager'], team: CASE_TEAM },
  informationGovernance: { roles: ['information_governance'] },
} as const satisfies Record<string, { roles: readonly Role[]; team?: string }>;

type PersonKey = keyof typeof PEOPLE;
const EXCLUDED: readonly PersonKey[] = ['excludedManager', 'teamSenior', 'teamViewer', 'teamOfficer'];
const NOT_EXCLUDED: readonly PersonKey[] = ['manager', 'officer', 'senior', 'viewer', 'responder'];

interface Person {
  readonly actor: StaffActor & { email: string };
  readonly browser: Browser;
  readonly token: string;
}

describeEachEngine('restricted cases', (database) => {
  let container: Container;
  let app: FastifyInstance;
  const people = {} as Record<PersonKey, Person>;
  let restricted: { reference: string; id: number; attachmentId: number };
  let control: string;
  const kysely = () => database().db.kysely;

  const api = (person: Person, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>): Promise<LightMyRequestResponse> =>
    app.inject({ method, url, headers: { authorization: `Bearer ${person.token}` }, ...(payload === undefined ? {} : { payload }) });
  const auditCount = async (userId: number, action: string): Promise<number> =>
    (await kysely().selectFrom('audit_event').select('id').where('entity_id', '=', String(restricted.id)).where('user_id', '=', userId).where('action', '=', action).execute()).length;
  const restrictionsUrl = () => `/cases/${restricted.reference}/restrictions`;

  const register = async (summary: string): Promise<string> => {
    const teams = await teamIdsByName(container);
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: '2026-11-02', channel: 'letter', summary, complainant_role: 'parent' },
        teamIds: [teams(CASE_TEAM)],
        complainant: { name: COMPLAINANT },
      },
      people.officer.actor,
    );
    if (made === undefined) throw new Error('nothing registered');
    return made.reference;
  };

  beforeAll(async () => {
    container = await testContainer(database(), testClock());
    await container.demo.ensure();
    app = await createApp(container);
    for (const key of Object.keys(PEOPLE) as PersonKey[]) {
      const spec: { roles: readonly Role[]; team?: string } = PEOPLE[key];
      const actor = await aStaffMember(container, spec.roles, spec.team);
      const browser = new Browser(app);
      await browser.signIn(actor.email, TEST_PASSWORD);
      const token = spec.roles.includes('information_governance')
        ? ''
        : (await container.apiTokens.create(actor.email, 'restriction test', ['representations:read', 'representations:write'], CLI_ACTOR)).token;
      people[key] = { actor, browser, token };
    }
    const reference = await register('About a social worker in the fostering team.');
    await container.caseActions.apply(reference, 'allocate', { responder_user_id: people.responder.actor.userId }, people.officer.actor, 1);
    const { id } = await kysely().selectFrom('representation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
    const attachment = await container.attachments.store(REPRESENTATION_SUBJECT, id, { fileName: 'statement.pdf', bytes: PDF }, people.officer.actor.userId);
    restricted = { reference, id, attachmentId: attachment.id };
    control = await register('About contact arrangements.');
    await container.ombudsman.create(reference, { lgscoReference: '26 014 006', receivedOn: '2026-11-20' }, people.officer.actor);
    await container.learning.create({ title: 'Restricted lesson', description: 'Tell families who their worker is.', identifiedOn: '2026-11-20', teamId: null, caseReferences: `${reference}, ${control}` }, people.officer.actor);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('managing restrictions', () => {
    it('is refused to every role but complaints managers and information governance', async () => {
      for (const key of ['officer', 'senior', 'viewer', 'responder', 'teamOfficer'] as const) {
        const page = await people[key].browser.get(restrictionsUrl());
        expect(page.statusCode, key).toBe(403);
        const csrf = await people[key].browser.csrfToken('/dashboard');
        const posted = await people[key].browser.post(restrictionsUrl(), { _csrf: csrf, users: String(people.excludedManager.actor.userId), reason: 'No' });
        expect(posted.statusCode, key).toBe(403);
      }
      expect((await people.informationGovernance.browser.get(restrictionsUrl())).statusCode).toBe(200);
      expect((await people.manager.browser.get(restrictionsUrl())).statusCode).toBe(200);
      expect(await kysely().selectFrom('case_restriction').select('id').execute()).toEqual([]);
    });

    it('shows the error summary for a missing reason, the manager themselves and the responding manager, saving nothing', async () => {
      const { browser, actor } = people.manager;
      const noReason = await browser.post(restrictionsUrl(), { users: String(people.excludedManager.actor.userId), reason: '' }, restrictionsUrl());
      expect(noReason.statusCode).toBe(400);
      expect(errorSummary(noReason.body)).toEqual(['Enter why these staff must not see the case']);
      const self = await browser.post(restrictionsUrl(), { users: String(actor.userId), reason: 'Test' }, restrictionsUrl());
      expect(self.statusCode).toBe(400);
      expect(errorSummary(self.body)).toEqual(['You cannot exclude yourself from a case']);
      const responder = await browser.post(restrictionsUrl(), { users: String(people.responder.actor.userId), reason: 'Test' }, restrictionsUrl());
      expect(responder.statusCode).toBe(400);
      expect(errorSummary(responder.body)[0]).toContain('allocate the case to another responding manager first');
      const responderTeam = await browser.post(restrictionsUrl(), { teams: String(people.responder.actor.teamId), reason: 'Test' }, restrictionsUrl());
      expect(responderTeam.statusCode).toBe(400);
      expect(errorSummary(responderTeam.body)[0]).toContain('allocate the case to another responding manager first');
      // No CSRF token: refused.
      expect((await browser.post(restrictionsUrl(), { users: String(people.excludedManager.actor.userId), reason: 'Test' })).statusCode).toBe(403);
      expect(await kysely().selectFrom('case_restriction').select('id').execute()).toEqual([]);
    });

    it('excludes a named member of staff and a team, audited and in the history without names', async () => {
      const { browser, actor } = people.manager;
      const page = await browser.get(restrictionsUrl());
      expect(page.headers['cache-control']).toBe('no-store');
      // The responding manager and the manager themselves are not offered.
      expect(page.body).not.toContain(`value="${String(people.responder.actor.userId)}"`);
      expect(page.body).not.toContain(`name="users" type="checkbox" value="${String(actor.userId)}"`);
      const done = await browser.post(
        restrictionsUrl(),
        { users: String(people.excludedManager.actor.userId), teams: String(people.teamSenior.actor.teamId), reason: 'The complaint is about their team' },
        restrictionsUrl(),
      );
      expect(done.statusCode, done.body).toBe(303);
      const rows = await kysely().selectFrom('case_restriction').select(['representation_id', 'user_id', 'team_id', 'reason', 'added_by']).orderBy('id').execute();
      expect(rows).toEqual([
        { representation_id: restricted.id, user_id: people.excludedManager.actor.userId, team_id: null, reason: 'The complaint is about their team', added_by: actor.userId },
        { representation_id: restricted.id, user_id: null, team_id: people.teamSenior.actor.teamId, reason: 'The complaint is about their team', added_by: actor.userId },
      ]);
      expect(await auditCount(actor.userId, 'case_restricted')).toBe(1);
      const history = await kysely().selectFrom('history_entry').select(['summary', 'before', 'after']).where('subject_id', '=', restricted.id).where('action', '=', 'access_restricted').execute();
      expect(history).toEqual([{ summary: 'Access restricted: 1 member of staff and 1 team excluded from the case', before: null, after: null }]);
      const listed = await browser.get(restrictionsUrl());
      expect(listed.body).toContain('The complaint is about their team');
      expect(listed.body).toContain(`${EXCLUDED_TEAM} (every member of the team)`);
      expect(await auditCount(actor.userId, 'case_restrictions_viewed')).toBeGreaterThanOrEqual(2);
      // The case page tells the manager it is restricted.
      expect((await browser.get(`/cases/${restricted.reference}`)).body).toContain('2 exclusions');
    });

    it('refuses to allocate the case to someone excluded from it', async () => {
      const teamResponder = await aStaffMember(container, ['responding_manager'], EXCLUDED_TEAM);
      const problems = await container.caseActions.problems(restricted.reference, 'allocate', { responder_user_id: teamResponder.userId }, people.officer.actor);
      expect(problems.map((p) => p.code)).toEqual(['responder_excluded']);
      const version = (await kysely().selectFrom('representation').select('version').where('id', '=', restricted.id).executeTakeFirstOrThrow()).version;
      await expect(container.caseActions.apply(restricted.reference, 'allocate', { responder_user_id: teamResponder.userId }, people.officer.actor, version)).rejects.toMatchObject({
        code: 'responder_excluded',
      });
      // Someone not excluded may be given it.
      const other = await aStaffMember(container, ['responding_manager'], 'Adoption');
      expect(await container.caseActions.problems(restricted.reference, 'allocate', { responder_user_id: other.userId }, people.officer.actor)).toEqual([]);
    });
  });

  describe('to the staff excluded from it, the case does not exist', () => {
    it('is "Page not found" on its page, letters, files and restrictions page, each refusal audited', async () => {
      for (const key of EXCLUDED) {
        const { browser, actor } = people[key];
        for (const path of ['', '/letters', `/attachments/${String(restricted.attachmentId)}`, '/actions/add_note']) {
          const url = `/cases/${restricted.reference}${path}`;
          const page = await browser.get(url);
          // "Page not found"; or, for a page the role may not use at all, the 403 every case gets (the control case's answer).
          const isRoleRefused = page.statusCode === 403 && path !== '' && (await browser.get(`/cases/${control}${path}`)).statusCode === 403;
          if (!isRoleRefused) {
            expect(page.statusCode, `${key} ${url}`).toBe(404);
            expect(page.body, `${key} ${url}`).toContain('Page not found');
          }
          expect(page.body).not.toContain(COMPLAINANT);
          expect(page.body).not.toContain(restricted.reference);
        }
        expect(await auditCount(actor.userId, 'case_view_refused'), key).toBeGreaterThanOrEqual(1);
      }
      // An excluded complaints manager cannot even manage the case's restrictions, nor find its legal hold.
      for (const url of [restrictionsUrl(), `/cases/${restricted.reference}/legal-hold`]) {
        const page = await people.excludedManager.browser.get(url);
        expect(page.statusCode, url).toBe(404);
        expect(page.body).not.toContain(restricted.reference);
      }
      expect(await auditCount(people.excludedManager.actor.userId, 'letter_refused')).toBe(1);
      expect(await auditCount(people.excludedManager.actor.userId, 'attachment_refused')).toBe(1);
    });

    it('answers 404 case_not_found in the API, to reads and actions alike', async () => {
      for (const key of EXCLUDED) {
        const person = people[key];
        for (const [method, url, payload] of [
          ['GET', `/api/v1/representations/${restricted.reference}`, undefined],
          ['GET', `/api/v1/representations/${restricted.reference}/actions`, undefined],
          ['GET', `/api/v1/representations/${restricted.reference}/stages`, undefined],
          ['GET', `/api/v1/representations/${restricted.reference}/attachments/${String(restricted.attachmentId)}`, undefined],
          ['POST', `/api/v1/representations/${restricted.reference}/actions/add_note`, { version: 1, note: 'x' }],
        ] as const) {
          const reply = await api(person, method, url, payload);
          expect(reply.statusCode, `${key} ${method} ${url}`).toBe(404);
          expect(reply.body).not.toContain(COMPLAINANT);
        }
        const list = await api(person, 'GET', `/api/v1/representations?queue=all&q=${restricted.reference}`);
        expect(list.body, key).not.toContain(restricted.reference);
      }
    });

    it('is in no queue, search or drill-down list, while the unrestricted case is', async () => {
      for (const key of [...EXCLUDED, ...NOT_EXCLUDED]) {
        const person = people[key];
        const shouldSee = NOT_EXCLUDED.includes(key);
        for (const queue of queuesFor(person.actor.roles)) {
          const rows = (await container.cases.queue(person.actor, { queue })).rows.map((r) => r.reference);
          if (!shouldSee) expect(rows, `${key} ${queue}`).not.toContain(restricted.reference);
          const listed = await container.cases.queueList(person.actor, { queue });
          if (!shouldSee) expect(listed.rows.map((r) => r.reference), `${key} ${queue}`).not.toContain(restricted.reference);
        }
        const all = (await container.cases.queue(person.actor, { queue: 'all' })).rows.map((r) => r.reference);
        if (key !== 'responder') expect(all, key).toContain(control);
        expect(all.includes(restricted.reference), key).toBe(shouldSee);
        for (const search of [restricted.reference, 'fostering team', COMPLAINANT]) {
          const found = (await container.cases.queue(person.actor, { queue: 'all', search })).rows.map((r) => r.reference);
          if (!shouldSee) expect(found, `${key} search ${search}`).not.toContain(restricted.reference);
          const listed = (await container.cases.queueList(person.actor, { queue: 'all', search })).rows.map((r) => r.reference);
          expect(listed, `${key} search ${search}, staff page`).toEqual(found);
        }
        const page = await person.browser.get(`/cases?queue=all&received_from=2026-04-01&received_to=2027-03-31&channel=letter`);
        expect(page.statusCode, key).toBe(200);
        expect(page.body.includes(restricted.reference), `${key} drill-down`).toBe(shouldSee);
      }
    });

    it('is left out of the export, the Ombudsman register and the learning log', async () => {
      const exported = await people.excludedManager.browser.get('/reports/export?year=2026&format=csv');
      expect(exported.statusCode).toBe(200);
      expect(exported.body).toContain(control);
      expect(exported.body).not.toContain(restricted.reference);
      const full = await people.manager.browser.get('/reports/export?year=2026&format=csv');
      expect(full.body).toContain(restricted.reference);

      for (const key of ['excludedManager', 'teamOfficer', 'teamSenior'] as const) {
        const register = await people[key].browser.get('/ombudsman');
        expect(register.statusCode).toBe(200);
        expect(register.body, key).not.toContain(restricted.reference);
        const learning = await people[key].browser.get('/learning');
        expect(learning.body, key).toContain(control);
        expect(learning.body, key).not.toContain(restricted.reference);
      }
      expect((await people.officer.browser.get('/ombudsman')).body).toContain(restricted.reference);
      expect((await people.officer.browser.get('/learning')).body).toContain(restricted.reference);
      const { id: enquiryId } = await kysely().selectFrom('ombudsman_enquiry').select('id').where('representation_id', '=', restricted.id).executeTakeFirstOrThrow();
      expect((await people.teamOfficer.browser.get(`/ombudsman/${String(enquiryId)}`)).statusCode).toBe(404);
      expect((await people.officer.browser.get(`/ombudsman/${String(enquiryId)}`)).statusCode).toBe(200);
    });

    it('sends no overdue escalation about it to an excluded manager, while others get theirs', async () => {
      // The restricted case was received on 2 November: its Stage 1 response is overdue today (26 November).
      await runNotificationJobs(kysely(), await container.calendar.calendar(), new Date('2026-11-26T09:00:00.000Z'));
      const escalations = await kysely()
        .selectFrom('notification_outbox')
        .select('recipient')
        .where('template_key', '=', 'overdue_escalation')
        .where('subject_type', '=', REPRESENTATION_SUBJECT)
        .where('subject_id', '=', restricted.id)
        .execute();
      const recipients = escalations.map((e) => e.recipient);
      expect(recipients).toContain(people.manager.actor.email);
      expect(recipients).not.toContain(people.excludedManager.actor.email);
    });

    it('is in no one’s own work list once they are excluded', async () => {
      const repository = new OwnWorkRepository(kysely());
      const person = { userId: people.responder.actor.userId, teamId: people.responder.actor.teamId };
      expect((await repository.allocatedTo(person, ['allocated', 'registered', 'acknowledged'], ['stage1_response'])).map((r) => r.reference)).toContain(restricted.reference);
      // Excluded some other way than the page allows (the rule keeps the allocated manager out of it): the list follows the table.
      await kysely()
        .insertInto('case_restriction')
        .values({ representation_id: restricted.id, user_id: person.userId, team_id: null, reason: 'test', added_by: null, added_at: '2026-11-26T10:00:00.000Z' })
        .execute();
      expect((await repository.allocatedTo(person, ['allocated', 'registered', 'acknowledged'], ['stage1_response'])).map((r) => r.reference)).not.toContain(restricted.reference);
      await kysely().deleteFrom('case_restriction').where('user_id', '=', person.userId).execute();
    });
  });

  describe('to everyone else, nothing changes', () => {
    it('shows the case page, letters and file as before', async () => {
      for (const key of ['manager', 'officer', 'senior', 'responder'] as const) {
        const page = await people[key].browser.get(`/cases/${restricted.reference}`);
        expect(page.statusCode, key).toBe(200);
        expect(page.body, key).toContain(COMPLAINANT);
        expect((await people[key].browser.get(`/cases/${restricted.reference}/attachments/${String(restricted.attachmentId)}`)).statusCode, key).toBe(200);
        expect((await api(people[key], 'GET', `/api/v1/representations/${restricted.reference}`)).statusCode, key).toBe(200);
      }
      const viewer = await people.viewer.browser.get(`/cases/${restricted.reference}`);
      expect(viewer.statusCode).toBe(200);
      expect(viewer.body).not.toContain(COMPLAINANT);
    });
  });

  describe('removing a restriction', () => {
    it('gives the case back, audited and in the history', async () => {
      const { browser, actor } = people.manager;
      const row = await kysely().selectFrom('case_restriction').select('id').where('user_id', '=', people.excludedManager.actor.userId).executeTakeFirstOrThrow();
      const removed = await browser.post(`${restrictionsUrl()}/${String(row.id)}/remove`, {}, restrictionsUrl());
      expect(removed.statusCode, removed.body).toBe(303);
      expect(await auditCount(actor.userId, 'case_restriction_removed')).toBe(1);
      const history = await kysely().selectFrom('history_entry').select('summary').where('subject_id', '=', restricted.id).where('action', '=', 'access_restriction_removed').execute();
      expect(history).toEqual([{ summary: 'Access restriction removed: 1 member of staff no longer excluded' }]);
      expect((await people.excludedManager.browser.get(`/cases/${restricted.reference}`)).statusCode).toBe(200);
      // The team is still excluded.
      expect((await people.teamSenior.browser.get(`/cases/${restricted.reference}`)).statusCode).toBe(404);
      // Removing it again: an error summary, nothing changed.
      const again = await browser.post(`${restrictionsUrl()}/${String(row.id)}/remove`, {}, restrictionsUrl());
      expect(again.statusCode).toBe(400);
      expect(errorSummary(again.body)).toEqual(['That restriction has already been removed']);
    });
  });
});
