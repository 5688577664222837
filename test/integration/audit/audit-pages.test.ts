/**
 * The audit page for information governance, on both engines: entries in words (who by name,
 * what, which case, when, from where), filters by user, case, person and dates, keyset paging,
 * a formula-escaped CSV of the filtered entries, each look and download itself audited; only
 * the information governance role may read it. The registration page of a public submission,
 * which shows personal data, is audited too.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/databases.ts';
import { aStaffMember, teamIdsByName, testClock, testContainer } from '../../support/builders.ts';
import { Browser, decodeEntities, errorSummary, signedInAs } from '../../support/http.ts';
import { YOUNG_COMPLAINT } from '../../support/public-visitor.ts';
import { TEST_PASSWORD } from '../../support/builders.ts';
import { createApp } from '../../../src/web/app.ts';
import type { Container } from '../../../src/container.ts';
import type { StaffActor } from '../../../src/app/registration-service.ts';
import { AuditRepository } from '../../../src/db/audit-repository.ts';
import { REPRESENTATION_SUBJECT } from '../../../src/db/representation-repository.ts';

const NOW = '2026-11-26T10:00:00.000Z';
const HTTP_TIMEOUT = 120_000;

describeEachEngine('audit page', (database) => {
  let container: Container;
  let app: FastifyInstance;
  let officer: StaffActor & { email: string };
  let ig: Browser;
  let igUserId: number;
  let caseA: { id: number; reference: string };
  let caseB: { id: number; reference: string };
  let submissionReference: string;

  const kysely = () => database().db.kysely;
  const rowsOf = (html: string): string[] => [...html.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) => decodeEntities((m[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim())).slice(1);

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    const teamId = await teamIdsByName(container);
    officer = await aStaffMember(container, ['complaints_officer']);
    const register = async (yp: string, name: string) => {
      const [made] = await container.registration.register(
        {
          fields: { kind: 'children_statutory', received_on: '2026-11-20', channel: 'letter', via_complaints_team: 'yes', summary: 'Visits cancelled.', issues: ['communication'], complainant_role: 'parent' },
          teamIds: [teamId('Contact Team')],
          youngPerson: { externalId: yp },
          complainant: { name, email: `${name.split(' ')[0]?.toLowerCase() ?? 'x'}@example.org` },
        },
        officer,
      );
      if (made === undefined) throw new Error('not registered');
      return { id: made.id, reference: made.reference };
    };
    caseA = await register('YP-AUD-1', 'Alex Parent');
    caseB = await register('YP-AUD-2', '=HYPERLINK("http://evil")');
    await container.cases.load(caseA.reference, { ...officer, ip: '198.51.100.7' });
    await container.cases.load(caseB.reference, officer);
    submissionReference = (await container.publicSubmissions.submit(YOUNG_COMPLAINT, `audit-page-key-${String(Date.now())}`, { userId: null, ip: '203.0.113.5', requestId: 'r-public' })).reference;
    app = await createApp(container);
    const igPerson = await aStaffMember(container, ['information_governance']);
    igUserId = igPerson.userId;
    ig = new Browser(app);
    await ig.signIn(igPerson.email, TEST_PASSWORD);
  }, HTTP_TIMEOUT);

  afterAll(async () => {
    await app.close();
  });

  it(
    'audits the registration page of a public submission, which shows what the sender wrote',
    async () => {
      const registrar = new Browser(app);
      await registrar.signIn(officer.email, TEST_PASSWORD);
      const page = await registrar.get(`/cases/${submissionReference}/register`);
      expect(page.statusCode).toBe(200);
      const representation = await kysely().selectFrom('representation').select('id').where('reference', '=', submissionReference).executeTakeFirstOrThrow();
      const audited = await kysely().selectFrom('audit_event').select(['user_id', 'entity_type', 'entity_id', 'details']).where('action', '=', 'submission_viewed').execute();
      expect(audited).toEqual([{ user_id: officer.userId, entity_type: REPRESENTATION_SUBJECT, entity_id: String(representation.id), details: null }]);
    },
    HTTP_TIMEOUT,
  );

  it(
    'lists the entries in words, newest first, with filters by case, person, user and dates',
    async () => {
      const all = await ig.get('/audit');
      expect(all.statusCode).toBe(200);
      expect(all.headers['cache-control']).toBe('no-store');
      const rows = rowsOf(all.body);
      expect(rows.some((r) => r.includes('Test complaints_officer') && r.includes('Looked at the case') && r.includes(`Case ${caseA.reference}`) && r.includes('198.51.100.7'))).toBe(true);
      // IG users do not read cases: no link to the case page.
      expect(all.body).not.toContain(`href="/cases/${caseA.reference}"`);

      const byCase = rowsOf((await ig.get(`/audit?case=${caseB.reference.toLowerCase()}`)).body);
      expect(byCase.length).toBeGreaterThan(0);
      expect(byCase.every((r) => r.includes(`Case ${caseB.reference}`))).toBe(true);

      const byPerson = rowsOf((await ig.get('/audit?person=YP-AUD-1')).body);
      expect(byPerson.length).toBeGreaterThan(0);
      expect(byPerson.every((r) => r.includes(`Case ${caseA.reference}`))).toBe(true);
      const byName = rowsOf((await ig.get('/audit?person=alex%20parent')).body);
      expect(byName).toEqual(byPerson);
      expect(rowsOf((await ig.get('/audit?person=Nobody%20Known')).body)).toEqual([]);

      const byUser = rowsOf((await ig.get(`/audit?user=${String(officer.userId)}`)).body);
      expect(byUser.length).toBeGreaterThan(0);
      expect(byUser.every((r) => r.includes('Test complaints_officer'))).toBe(true);

      expect(rowsOf((await ig.get('/audit?from=2026-11-27')).body)).toEqual([]);
      expect(rowsOf((await ig.get('/audit?from=2026-11-26&to=2026-11-26')).body).length).toBeGreaterThan(0);

      const bad = await ig.get('/audit?from=26/11/2026&to=2026-11-01');
      expect(bad.statusCode).toBe(400);
      expect(errorSummary(bad.body)).toEqual(['Enter the "from" date as YYYY-MM-DD, for example 2026-04-01']);
      const reversed = await ig.get('/audit?from=2026-11-26&to=2026-11-01');
      expect(reversed.statusCode).toBe(400);
      expect(errorSummary(reversed.body)).toEqual(['The "to" date must be the same as or after the "from" date']);

      // Each look is audited, with the filters by name and ids only — never the person's words.
      const looks = await kysely().selectFrom('audit_event').select(['user_id', 'details']).where('action', '=', 'audit_trail_viewed').orderBy('id').execute();
      expect(looks.every((l) => l.user_id === igUserId)).toBe(true);
      const personLook = looks.map((l) => JSON.parse(l.details ?? '{}') as Record<string, unknown>).find((d) => (d.filters as string[]).includes('person'));
      expect(personLook).toEqual({ filters: ['person'], representation_ids: [caseA.id] });
      expect(looks.some((l) => (l.details ?? '').includes('YP-AUD') || (l.details ?? '').toLowerCase().includes('alex'))).toBe(false);
    },
    HTTP_TIMEOUT,
  );

  it(
    'pages older entries by id',
    async () => {
      const audit = new AuditRepository(kysely());
      for (let n = 0; n < 55; n++) await audit.record({ userId: officer.userId, action: 'case_viewed', entityType: REPRESENTATION_SUBJECT, entityId: String(caseA.id), ip: '192.0.2.55', requestId: null }, NOW);
      const first = await ig.get(`/audit?case=${caseA.reference}`);
      expect(rowsOf(first.body)).toHaveLength(50);
      const older = /href="([^"]*before=\d+[^"]*)">Older entries/.exec(first.body)?.[1];
      expect(older).toBeDefined();
      const second = await ig.get(decodeEntities(older ?? ''));
      const secondRows = rowsOf(second.body);
      expect(secondRows.length).toBeGreaterThan(5);
      expect(secondRows.length).toBeLessThan(50);
      expect(second.body).toContain('Newest entries');
    },
    HTTP_TIMEOUT,
  );

  it(
    'downloads the filtered entries as CSV with formula-like cells escaped, and audits the download',
    async () => {
      // A user whose name looks like a formula.
      const odd = await container.users.add({ email: `odd-${String(Date.now())}@test.example`, name: '@SUM(1+1)', roles: ['viewer'], password: TEST_PASSWORD, mustChangePassword: false }, { userId: null, ip: null, requestId: null });
      await new AuditRepository(kysely()).record({ userId: odd.user.id, action: 'case_viewed', entityType: REPRESENTATION_SUBJECT, entityId: String(caseB.id), ip: null, requestId: null }, NOW);
      const csv = await ig.get(`/audit.csv?case=${caseB.reference}`);
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toContain('attachment; filename="audit-trail-');
      const lines = csv.body.trim().split('\r\n');
      expect(lines[0]).toBe('id,occurred_at,user_id,user_name,action,action_text,entity_type,entity_id,case_reference,ip,request_id');
      expect(lines[1]).toContain(`,'@SUM(1+1),case_viewed,Looked at the case,representation,${String(caseB.id)},${caseB.reference},,`);
      expect(lines.slice(1).every((l) => l.includes(caseB.reference))).toBe(true);
      const exported = await kysely().selectFrom('audit_event').select(['user_id', 'details']).where('action', '=', 'audit_trail_exported').execute();
      expect(exported).toHaveLength(1);
      expect(JSON.parse(exported[0]?.details ?? '{}')).toEqual({ filters: ['caseReference'], representation_ids: [caseB.id], rows: lines.length - 1 });
      // The trail still verifies after all of this.
      expect((await new AuditRepository(kysely()).verify()).verified).toBe(true);
    },
    HTTP_TIMEOUT,
  );

  it(
    'is for information governance only: not administrators, complaints managers or officers',
    async () => {
      for (const role of ['admin', 'complaints_manager', 'complaints_officer'] as const) {
        const browser = await signedInAs(app, container, role);
        expect((await browser.get('/audit')).statusCode).toBe(403);
        expect((await browser.get('/audit.csv')).statusCode).toBe(403);
      }
      expect((await new Browser(app).get('/audit')).statusCode).toBe(302);
      const dashboard = await ig.get('/dashboard');
      expect(dashboard.body).toContain('href="/audit"');
      expect(dashboard.body).toContain('href="/subject-access"');
    },
    HTTP_TIMEOUT,
  );
});
