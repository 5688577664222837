/**
 * Quarterly monitoring and the dashboard from records made by hand through the real
 * services, on SQLite and PostgreSQL: the figures of a quarter by service area and for the
 * directorate (a response across bank holidays banded right), a bad period refused with
 * the error summary, who may read them, and the dashboard's charts with their numbers.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testContainer } from '../support/builders.ts';
import { errorSummary, signedInAs } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import { addFigures, emptyFigures, financialQuarterOf, monitoringPeriod, nextQuarter, previousQuarter } from '../../src/domain/reports/monitoring.ts';

const HTTP_TIMEOUT = 90_000;

// Today is Wednesday 15 May 2024 (the early May bank holiday was Monday 6 May).
const NOW = '2024-05-15T10:00:00.000Z';
const QUARTER = { from: '2024-01-01', to: '2024-03-31' };

describe('monitoring periods', () => {
  it('finds the quarter of the financial year and the quarters either side', () => {
    expect(financialQuarterOf('2024-05-15')).toEqual({ from: '2024-04-01', to: '2024-06-30' });
    expect(financialQuarterOf('2024-02-29')).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(previousQuarter({ from: '2024-01-01', to: '2024-03-31' })).toEqual({ from: '2023-10-01', to: '2023-12-31' });
    expect(nextQuarter({ from: '2024-01-01', to: '2024-03-31' })).toEqual({ from: '2024-04-01', to: '2024-06-30' });
    expect(() => monitoringPeriod('2024-04-01', '2024-03-31')).toThrow('The start of the period must be on or before its end');
    expect(() => monitoringPeriod('2024-02-30', '2024-03-31')).toThrow('real date');
  });
});

describeEachEngine('quarterly monitoring and the dashboard', (database) => {
  let container: Container;
  let officer: StaffActor;
  let teamId: (name: string) => number;
  const kysely = () => database().db.kysely;

  const versionOf = async (reference: string): Promise<number> =>
    (await kysely().selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
  const act = async (reference: string, action: string, input: Record<string, unknown>): Promise<void> => {
    await container.caseActions.apply(reference, action, input, officer, await versionOf(reference));
  };
  const register = async (kind: string, receivedOn: string, team: string): Promise<string> => {
    const fields: Record<string, unknown> = { kind, received_on: receivedOn, channel: 'email', via_complaints_team: 'yes', summary: 'About the service.' };
    if (kind !== 'compliment') fields.complainant_role = 'parent';
    if (kind === 'compliment') Object.assign(fields, { compliment_source: 'judge', consent_to_quote: 'no' });
    if (kind === 'informal') fields.informal_reason = 'Resolved on the telephone the same day.';
    const made = await container.registration.register(
      { fields, teamIds: [teamId(team)], youngPerson: kind === 'children_statutory' ? { externalId: `YP-${receivedOn}`, ethnicity: 'WBRI' } : undefined, complainant: { name: 'Pat Example' } },
      officer,
    );
    const reference = made[0]?.reference;
    if (reference === undefined) throw new Error('nothing registered');
    return reference;
  };
  const respond = (reference: string, respondedOn: string) => act(reference, 'record_response', { responded_on: respondedOn, finding: 'not_upheld', remedies: ['explanation'], delay_reasons: ['complex_multi_team'] });

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    const teams = await container.organisation.listTeams();
    teamId = (name) => {
      const team = teams.find((t) => t.name === name);
      if (!team) throw new Error(`no team ${name}`);
      return team.id;
    };
    const { user } = await container.users.add({ email: 'officer@monitoring.example', name: 'Monitoring Officer', roles: ['complaints_officer'], password: 'correct-horse-battery' }, CLI_ACTOR);
    officer = { userId: user.id, roles: ['complaints_officer'], teamId: null, ip: null, requestId: null };

    // Still open from before the quarter (Fostering, Permanence).
    await register('children_statutory', '2023-11-01', 'Fostering');
    // Received Monday 18 Dec 2023, answered Thursday 4 Jan 2024: 10 working days, because 25 and
    // 26 December and 1 January are holidays (13 by weekdays alone). Then a Stage 2 request.
    const e = await register('children_statutory', '2023-12-18', 'Care Management North');
    await respond(e, '2024-01-04');
    await container.laterStages.apply(e, 'request_stage2', { requested_on: '2024-01-22' }, officer, await versionOf(e));
    // 14 working days: within 20, not within 10.
    const a = await register('children_statutory', '2024-01-08', 'Fostering');
    await respond(a, '2024-01-26');
    await container.ombudsman.create(a, { lgscoReference: '24 000 111', receivedOn: '2024-03-01' }, officer);
    // Over 20 working days.
    const b = await register('children_statutory', '2024-02-01', 'Care Management North');
    await respond(b, '2024-03-28');
    // Withdrawn in the quarter.
    const c = await register('children_statutory', '2024-02-05', 'Fostering');
    await act(c, 'withdraw_by_complainant', { withdrawn_on: '2024-02-20' });
    // Open at the end of the quarter.
    await register('children_statutory', '2024-03-25', 'Contact Team');
    await register('corporate', '2024-02-12', 'Fostering');
    await register('informal', '2024-03-01', 'Contact Team');
    await register('compliment', '2024-01-15', 'Care Management North');

    // This financial year so far: one of two responses within 10 working days.
    const f = await register('children_statutory', '2024-04-02', 'Fostering');
    await respond(f, '2024-04-10');
    const g = await register('children_statutory', '2024-04-03', 'Fostering');
    await respond(g, '2024-05-08');
    // Due Thursday 16 May (day 10, after the 6 May bank holiday): due this week.
    await register('children_statutory', '2024-05-01', 'Fostering');
    // Last year to the same point: 3 Apr 2023 answered 14 Apr (7 working days over Easter);
    // one answered after 15 May 2023 is not yet counted.
    const h = await register('children_statutory', '2023-04-03', 'Fostering');
    await respond(h, '2023-04-14');
    const i = await register('children_statutory', '2023-05-02', 'Fostering');
    await respond(i, '2023-05-22');
  });

  it('counts the quarter by service area, bands the working days, and adds up to the directorate', async () => {
    const report = await container.monitoring.monitoring(QUARTER);
    expect(report.directorates).toHaveLength(1);
    const directorate = report.directorates[0];
    if (directorate === undefined) throw new Error('no directorate');
    const area = (name: string) => directorate.areas.find((x) => x.name === name)?.figures;
    expect(area('Permanence')).toEqual({
      received: { children_statutory: 2, corporate: 1, informal: 0, compliment: 0 },
      stage1Responses: 1,
      within10: 0,
      within20: 1,
      withdrawn: 1,
      openAtEnd: 1,
      stage2Requests: 0,
      ombudsmanEnquiries: 1,
    });
    expect(area('Care Management')).toEqual({
      received: { children_statutory: 1, corporate: 0, informal: 0, compliment: 1 },
      stage1Responses: 2,
      within10: 1,
      within20: 1,
      withdrawn: 0,
      openAtEnd: 0,
      stage2Requests: 1,
      ombudsmanEnquiries: 0,
    });
    expect(area('Family Support and Contact')).toEqual({ ...emptyFigures(), received: { children_statutory: 1, corporate: 0, informal: 1, compliment: 0 }, openAtEnd: 1 });
    expect(area('Assessment')).toEqual(emptyFigures());
    expect(directorate.figures).toEqual(directorate.areas.reduce((sum, x) => addFigures(sum, x.figures), emptyFigures()));
    expect(directorate.figures).toMatchObject({ received: { children_statutory: 4, corporate: 1, informal: 1, compliment: 1 }, stage1Responses: 3, within10: 1, within20: 2, withdrawn: 1, openAtEnd: 2 });
    expect(report.noTeam).toBeUndefined();
    expect(report.total).toEqual(directorate.figures);
    expect(report.uncounted).toBe(0);
  });

  it('gives the dashboard figures', async () => {
    const figures = await container.monitoring.dashboard();
    const open = Object.fromEntries(figures.openByStatus.map((s) => [s.status, s.n]));
    const expectedOpen = await kysely()
      .selectFrom('representation')
      .select(['status', (eb) => eb.fn.countAll().as('n')])
      .where('status', 'in', ['registered', 'allocated', 'awaiting_information', 'closure_warning_sent'])
      .groupBy('status')
      .execute();
    // Open at Stage 1: the complaint from November, the one of 25 March, the one due this week, the corporate one.
    expect(figures.openByStatus.filter((s) => s.stage === 1).reduce((sum, s) => sum + s.n, 0)).toBe(expectedOpen.reduce((sum, r) => sum + Number(r.n), 0));
    expect(open.stage2).toBe(1);
    expect(open.stage3).toBe(0);
    expect(figures.dueThisWeek).toEqual({ from: '2024-05-15', to: '2024-05-17', n: 1 });
    // The complaints of November and 25 March (a corporate complaint has no Stage 1 clock until it is taken on).
    expect(figures.overdue).toBe(2);
    expect(figures.thisYear).toEqual({ from: '2024-04-01', to: '2024-05-15', responded: 2, within: 1, uncounted: 0 });
    expect(figures.lastYear).toEqual({ from: '2023-04-01', to: '2023-05-15', responded: 1, within: 1, uncounted: 0 });
    expect(figures.trend.map((m) => m.month)).toEqual(['2023-06', '2023-07', '2023-08', '2023-09', '2023-10', '2023-11', '2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05']);
    expect(figures.trend.map((m) => m.received.children_statutory)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 2, 1, 2, 1]);
    expect(figures.trend.find((m) => m.month === '2024-02')?.received).toEqual({ children_statutory: 2, corporate: 1, informal: 0, compliment: 0 });
  });

  it('keeps the dashboard figures while nothing they count seems to change, for a minute at most', async () => {
    const clock = container.clock as ReturnType<typeof testClock>;
    const stage3 = async () => (await container.monitoring.dashboard()).openByStatus.find((s) => s.status === 'stage3')?.n;
    expect(await stage3()).toBe(0);
    // A change that moves none of the newest ids, as a transaction committing after a later one looks on PostgreSQL.
    const moved = await kysely().updateTable('representation').set({ status: 'stage3' }).where('status', '=', 'stage2').executeTakeFirst();
    expect(Number(moved.numUpdatedRows)).toBe(1);
    try {
      expect(await stage3()).toBe(0);
      clock.advance(61_000);
      expect(await stage3()).toBe(1);
    } finally {
      await kysely().updateTable('representation').set({ status: 'stage2' }).where('status', '=', 'stage3').execute();
      clock.advance(61_000);
    }
    expect(await stage3()).toBe(0);
  });

  describe('the pages', () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await createApp(container);
    });
    afterAll(async () => {
      await app.close();
    });

    it('shows the quarter to a viewer, with the quarters either side and a CSV', async () => {
      const viewer = await signedInAs(app, container, 'viewer');
      const page = await viewer.get('/reports/monitoring?from=2024-01-01&to=2024-03-31');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Quarterly monitoring: Q4 2023/24 (January to March 2024)');
      expect(page.body).toContain('href="/reports/monitoring?from=2023-10-01&amp;to=2023-12-31"');
      expect(page.body).toContain('href="/reports/monitoring?from=2024-04-01&amp;to=2024-06-30"');
      expect(page.body).toMatch(/<th scope="row" class="govuk-table__header">Care Management<\/th>\s*<td[^>]*>1<\/td><td[^>]*>0<\/td><td[^>]*>0<\/td><td[^>]*>1<\/td><td[^>]*>2<\/td><td[^>]*>1 \(50\.0%\)<\/td>/);
      const current = await viewer.get('/reports/monitoring');
      expect(current.statusCode).toBe(200);
      expect(current.body).toContain('Q1 2024/25 (April to June 2024)');
      const csv = await viewer.get('/reports/monitoring.csv?from=2024-01-01&to=2024-03-31');
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      const lines = csv.body.trim().split('\r\n');
      expect(lines[0]).toBe(
        'period_from,period_to,level,directorate,service_area,received_children_statutory,received_corporate,received_informal,received_compliment,stage1_responses,within_10,within_20,withdrawn,open_at_end,stage2_requests,ombudsman_enquiries',
      );
      expect(lines).toContain("2024-01-01,2024-03-31,service_area,Directorate of Children's Services,Permanence,2,1,0,0,1,0,1,1,1,0,1");
      expect(lines.at(-1)).toBe('2024-01-01,2024-03-31,total,,,4,1,1,1,3,1,2,1,2,1,1');
    }, HTTP_TIMEOUT);

    it('refuses a period that ends before it starts with the error summary, writing nothing', async () => {
      const manager = await signedInAs(app, container, 'complaints_manager');
      const countAudit = async () => Number((await kysely().selectFrom('audit_event').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const before = await countAudit();
      const bad = await manager.get('/reports/monitoring?from=2024-04-01&to=2024-03-01');
      expect(bad.statusCode).toBe(400);
      expect(errorSummary(bad.body)).toEqual(['The start of the period must be on or before its end']);
      expect(bad.body).not.toContain('Directorate total');
      const notADate = await manager.get('/reports/monitoring?from=2024-02-30&to=2024-03-31');
      expect(notADate.statusCode).toBe(400);
      expect(errorSummary(notADate.body)).toEqual(['Enter the start of the period as a real date, like 2024-04-01']);
      expect(await countAudit()).toBe(before);
    }, HTTP_TIMEOUT);

    it('refuses a responding manager, and shows the dashboard charts only to report readers', async () => {
      const responder = await signedInAs(app, container, 'responding_manager');
      expect((await responder.get('/reports/monitoring')).statusCode).toBe(403);
      expect((await responder.get('/reports/monitoring.csv')).statusCode).toBe(403);
      const own = await responder.get('/dashboard');
      expect(own.statusCode).toBe(200);
      expect(own.body).not.toContain('<svg');
      expect(own.body).not.toContain('href="/reports/monitoring"');

      const manager = await signedInAs(app, container, 'complaints_manager');
      const page = await manager.get('/dashboard');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('href="/reports/monitoring"');
      expect(page.body.match(/<svg role="img" aria-labelledby="chart-[a-z]+-title"/g)).toHaveLength(4);
      expect(page.body).toContain('<title id="chart-open-title">Bar chart of open cases by stage: Stage 1');
      expect(page.body).toContain('Bar chart of open Stage 1 clocks: due this week 1, overdue 2.');
      expect(page.body).toContain('this year so far 50.0% of 2, the same point last year 100.0% of 1');
      // The marks are drawn: three bar charts' bars and the trend's four lines (one a kind).
      expect(page.body.match(/class="mark-rect role-mark/g)).toHaveLength(3);
      expect(page.body.match(/class="mark-line role-mark/g)).toHaveLength(4);
      expect(page.body).toContain('Same point last year (1 April 2023 to 15 May 2023)');
      expect(page.body).toMatch(/<th scope="row" class="govuk-table__header">Feb 2024<\/th><td[^>]*>2<\/td><td[^>]*>1<\/td><td[^>]*>0<\/td><td[^>]*>0<\/td>/);
    }, HTTP_TIMEOUT);
  });

  // Last: it adds a service area.
  it('keeps a period’s figures while nothing they count seems to change, for a minute at most, and not past a change to the organisation', async () => {
    const clock = container.clock as ReturnType<typeof testClock>;
    const corporate = async () => (await container.monitoring.monitoring(QUARTER)).total.received.corporate;
    expect(await corporate()).toBe(1);
    // A change that moves none of the newest ids, as a transaction committing after a later one looks on PostgreSQL.
    const moved = await kysely().updateTable('representation').set({ kind: 'informal' }).where('kind', '=', 'corporate').where('received_on', '>=', QUARTER.from).where('received_on', '<=', QUARTER.to).executeTakeFirst();
    expect(Number(moved.numUpdatedRows)).toBe(1);
    try {
      expect(await corporate()).toBe(1);
      clock.advance(61_000);
      expect(await corporate()).toBe(0);
    } finally {
      await kysely().updateTable('representation').set({ kind: 'corporate' }).where('kind', '=', 'informal').where('received_on', '=', '2024-02-12').execute();
      clock.advance(61_000);
    }
    expect(await corporate()).toBe(1);
    // The teams, service areas and directorates are audited when they change: shown at once.
    const areas = async () => (await container.monitoring.monitoring(QUARTER)).directorates.flatMap((d) => d.areas.map((a) => a.name));
    expect(await areas()).not.toContain('Leaving Care');
    await container.organisation.addServiceArea('Leaving Care', CLI_ACTOR);
    expect(await areas()).toContain('Leaving Care');
  });
});
