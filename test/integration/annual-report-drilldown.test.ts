/**
 * The staff annual report's drill-down for the tables counted by something other than the
 * date a representation was received, on SQLite and PostgreSQL: Stage 1 timescale bands
 * (worked out with the calendar), Stage 2 and Stage 3 events (by their date, whenever the
 * complaint was received, timed by their clocks), the Ombudsman's decisions, findings and
 * compliance, and learning actions by status. Every non-zero count cell of those tables links
 * to a list whose count is the figure; the lists keep their access rules and say what they show.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { TEST_PASSWORD, aStaffMember, teamIdsByName, testClock, testContainer, type TestClock } from '../support/builders.ts';
import { Browser, decodeEntities, signedInAs } from '../support/http.ts';
import { aReport } from '../support/multipart.ts';
import { createApp } from '../../src/web/app.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import type { AnnualReport } from '../../src/app/annual-report-service.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';

const HTTP_TIMEOUT = 180_000;
const DECLARED = ['not_member', 'not_officer', 'not_spouse_or_partner'];
/** The report is drawn up on this day: the year 2019/20 with everything up to its end received. */
const AS_AT = '2020-06-30';

/** The tables whose counts are checked here, and the columns of each that hold counts (1 = the first). */
const TABLES: Readonly<Record<string, readonly number[]>> = {
  'Advocacy at Stage 1': [1],
  'Working days taken to respond at Stage 1': [1],
  'Stage 2 investigations': [1],
  'Stage 3 review panels': [1, 2],
  'Ombudsman decisions': [1],
  'What the Ombudsman found and asked for': [1],
  'Compliance with the Ombudsman’s remedies': [1],
  'Learning actions by status': [1],
};

interface Cell {
  readonly caption: string;
  readonly row: string;
  readonly column: number;
  readonly value: string;
  readonly href: string | undefined;
}

/** The count cells of a table on the page (not its Total row), with their links. */
function cellsOf(page: string, caption: string): Cell[] {
  const start = page.indexOf(`>${caption}</caption>`);
  if (start < 0) throw new Error(`no table ${caption}`);
  const table = page.slice(start, page.indexOf('</table>', start));
  const cells: Cell[] = [];
  for (const tr of table.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)) {
    const body = tr[1] ?? '';
    const row = /<th scope="row"[^>]*>([\s\S]*?)<\/th>/.exec(body)?.[1];
    if (row === undefined || row === 'Total') continue;
    const tds = [...body.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((td) => td[1] ?? '');
    for (const column of TABLES[caption] ?? []) {
      const td = tds[column - 1] ?? '';
      cells.push({ caption, row, column, value: td.replace(/<span[\s\S]*?<\/span>/g, '').replace(/<[^>]+>/g, '').trim(), href: /href="([^"]+)"/.exec(td)?.[1] });
    }
  }
  return cells;
}

describeEachEngine('the annual report’s drill-down to the records behind each figure', (database) => {
  let container: Container;
  let clock: TestClock;
  let app: FastifyInstance;
  let officer: StaffActor;
  let senior: StaffActor;
  let investigator: StaffActor;
  let independentPerson: StaffActor;
  let teamId: (name: string) => number;
  let report: AnnualReport;
  const kysely = () => database().db.kysely;

  /** Moves "today" to the end of `date`, so that steps dated then are not in the future. */
  const on = (date: string) => {
    clock.set(`${date}T17:00:00.000Z`);
  };
  const versionOf = async (reference: string) => (await kysely().selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
  const step = async (reference: string, name: string, input: Record<string, unknown>, actor: StaffActor = officer, date?: string) => {
    if (date !== undefined) on(date);
    return container.laterStages.apply(reference, name, input, actor, await versionOf(reference));
  };

  /** A parent's complaint received on `receivedOn` about `team`, answered at Stage 1 on `respondedOn` (late answers with a reason). */
  const complaint = async (receivedOn: string, respondedOn: string | undefined, team = 'Care Management North'): Promise<string> => {
    on(receivedOn);
    const [made] = await container.registration.register(
      {
        fields: { kind: 'children_statutory', received_on: receivedOn, channel: 'email', via_complaints_team: 'yes', summary: 'Contact visits were cancelled.', complainant_role: 'parent' },
        teamIds: [teamId(team)],
        complainant: { name: 'Sam Parent' },
      },
      officer,
    );
    if (made === undefined) throw new Error('nothing registered');
    if (respondedOn !== undefined) {
      on(respondedOn);
      await container.caseActions.apply(
        made.reference,
        'record_response',
        { responded_on: respondedOn, finding: 'not_upheld', remedies: ['explanation'], delay_reasons: ['complex_multi_team'] },
        officer,
        await versionOf(made.reference),
      );
    }
    return made.reference;
  };

  /** Stage 2 from the request to the adjudication (with an extension of 40 working days when `isExtended`). */
  const stage2 = async (reference: string, dates: { requested: string; report: string; responded: string }, isExtended = false): Promise<void> => {
    await step(reference, 'request_stage2', { requested_on: dates.requested }, officer, dates.requested);
    await step(reference, 'agree_statement', { statement_agreed_on: dates.requested, points: '1. Contact visits were cancelled without notice.' });
    if (isExtended) await step(reference, 'extend_stage2', { extra_working_days: '40', extension_reason: 'complexity', complainant_told_on: dates.requested });
    await step(reference, 'appoint_investigator', { name: 'Ira Vestigate', user_id: String(investigator.userId), is_external: 'yes', appointed_on: dates.requested });
    await step(reference, 'appoint_independent_person', {
      name: 'Indie Person',
      user_id: String(independentPerson.userId),
      is_external: 'yes',
      appointed_on: dates.requested,
      declarations: DECLARED,
      declared_on: dates.requested,
    });
    await step(reference, 'record_report', { report_received_on: dates.report, report: aReport() }, investigator, dates.report);
    await step(reference, 'adjudicate', { responded_on: dates.responded, finding_1: 'not_upheld', delay_reasons: ['complex_multi_team'] }, senior, dates.responded);
  };

  beforeAll(async () => {
    clock = testClock('2019-03-01T09:00:00.000Z');
    container = await testContainer(database(), clock);
    await container.demo.ensure({ withCases: false });
    teamId = await teamIdsByName(container);
    const { user } = await container.users.add({ email: 'officer@drilldown.example', name: 'Drill Officer', roles: ['complaints_officer'], password: 'correct-horse-battery' }, CLI_ACTOR);
    officer = { userId: user.id, roles: ['complaints_officer'], teamId: null, ip: null, requestId: null };
    senior = await aStaffMember(container, ['senior_manager']);
    investigator = await aStaffMember(container, ['investigator']);
    independentPerson = await aStaffMember(container, ['independent_person']);

    // Stage 1 answers in several bands (two on the same pair of dates), one withdrawn before its answer (in no band).
    await complaint('2019-05-01', '2019-05-16');
    await complaint('2019-05-01', '2019-05-16', 'Fostering');
    await complaint('2019-10-01', '2019-10-22');
    await complaint('2019-11-01', '2019-12-20');
    const withdrawn = await complaint('2019-11-04', undefined);
    on('2019-11-20');
    await container.caseActions.apply(withdrawn, 'withdraw_by_complainant', { withdrawn_on: '2019-11-20' }, officer, await versionOf(withdrawn));
    // Received the year before, answered then: in no band of 2019/20, but its Stage 2 and 3 count in 2019/20.
    const earlier = await complaint('2019-03-01', '2019-03-20');

    // Stage 2: in time, extended, late, not known (its clock gone, as after an import), and only asked for.
    await stage2(earlier, { requested: '2019-04-02', report: '2019-04-20', responded: '2019-04-30' });
    const extended = await complaint('2019-05-02', '2019-05-15');
    await stage2(extended, { requested: '2019-05-20', report: '2019-07-01', responded: '2019-07-15' }, true);
    const late = await complaint('2019-06-03', '2019-06-14', 'Fostering');
    await stage2(late, { requested: '2019-06-17', report: '2019-08-01', responded: '2019-09-02' });
    const unknown = await complaint('2019-07-01', '2019-07-05');
    await stage2(unknown, { requested: '2019-07-08', report: '2019-07-20', responded: '2019-07-30' });
    const { id: unknownId } = await kysely().selectFrom('representation').select('id').where('reference', '=', unknown).executeTakeFirstOrThrow();
    await kysely().deleteFrom('clock').where('subject_id', '=', unknownId).where('clock_key', '=', 'stage2_response').execute();
    const asked = await complaint('2019-09-02', '2019-09-06');
    await step(asked, 'request_stage2', { requested_on: '2019-09-10' }, officer, '2019-09-10');

    // Advocacy: offered on two complaints, accepted on one (and one offered after the as-at date, not counted).
    for (const [receivedOn, outcome, offeredOn] of [
      ['2019-10-01', 'accepted', '2019-10-02'],
      ['2019-10-03', 'declined', '2019-10-04'],
      ['2020-03-02', 'accepted', '2020-07-01'],
    ] as const) {
      const reference = await complaint(receivedOn, undefined);
      on(offeredOn);
      await container.caseActions.apply(reference, 'record_advocacy_offer', { offered_on: offeredOn, advocacy_outcome: outcome, provider: 'Advocacy Service' }, officer, await versionOf(reference));
    }

    // Stage 3 on the complaint of the year before: panel, recommendations and response all in time; another only asked for.
    const member = (n: number, name: string) => ({ [`member_${String(n)}_name`]: name, [`member_${String(n)}_declarations`]: DECLARED, [`member_${String(n)}_declared_on`]: '2019-05-07' });
    await step(earlier, 'request_stage3', { requested_on: '2019-05-07' }, officer, '2019-05-07');
    await step(earlier, 'appoint_panel', { ...member(1, 'Pat Chair'), ...member(2, 'Robin Second'), ...member(3, 'Quinn Third'), chair: '1', appointed_on: '2019-05-08' }, officer, '2019-05-08');
    await step(earlier, 'record_panel_meeting', { panel_met_on: '2019-06-05', attendees: 'The complainant and the investigating officer.' }, officer, '2019-06-05');
    await step(earlier, 'record_recommendations', { recommendations_received_on: '2019-06-10', recommendations: 'Review how contact is cancelled.' }, officer, '2019-06-10');
    await step(earlier, 'record_council_response', { responded_on: '2019-06-20', independent_person_consulted_on: '2019-06-19', decision_1: 'not_accepted' }, senior, '2019-06-20');
    await step(extended, 'request_stage3', { requested_on: '2019-07-22' }, officer, '2019-07-22');

    // The Ombudsman: upheld with every remedy, complied with in time; not upheld; upheld, complied with late;
    // upheld, not complied with; not decided; and one received the year before (not counted).
    const enquiry = async (reference: string, lgsco: string, receivedOn: string, decision?: { on: string; code: string; fault: string; injustice: string; apology: boolean; amount: string; improvements: string; due: string }) => {
      on(receivedOn);
      const id = await container.ombudsman.create(reference, { lgscoReference: lgsco, receivedOn }, officer);
      if (decision !== undefined) {
        on(decision.on);
        const input = { decision: decision.code, decidedOn: decision.on, fault: decision.fault, injustice: decision.injustice, apology: decision.apology, amount: decision.amount, serviceImprovements: decision.improvements, complianceDueOn: decision.due };
        await container.ombudsman.recordDecision(id, input, officer, 1);
      }
      return id;
    };
    const inTime = await enquiry(earlier, '19 000 001', '2019-08-01', { on: '2019-10-01', code: 'upheld', fault: 'yes', injustice: 'yes', apology: true, amount: '250', improvements: 'Train the duty team.', due: '2019-11-01' });
    on('2019-10-20');
    await container.ombudsman.recordCompliance(inTime, '2019-10-20', officer, 2);
    await enquiry(extended, '19 000 002', '2019-09-01', { on: '2019-12-02', code: 'not_upheld', fault: 'no', injustice: '', apology: false, amount: '', improvements: '', due: '' });
    const lateOne = await enquiry(late, '19 000 003', '2019-10-01', { on: '2020-01-10', code: 'upheld', fault: 'yes', injustice: 'no', apology: false, amount: '', improvements: 'Review the letters.', due: '2020-02-03' });
    on('2020-03-02');
    await container.ombudsman.recordCompliance(lateOne, '2020-03-02', officer, 2);
    await enquiry(unknown, '19 000 004', '2019-11-01', { on: '2020-02-03', code: 'upheld', fault: 'yes', injustice: 'yes', apology: true, amount: '', improvements: '', due: '2020-03-02' });
    await enquiry(asked, '20 000 005', '2020-02-03');

    // Learning: a lesson of the year with actions done, open and overdue on the as-at date, open, cancelled; one of the next year.
    on('2019-07-10');
    const lesson = await container.learning.create({ title: 'Call back', description: 'Calls were not returned.', identifiedOn: '2019-07-10', teamId: null, caseReferences: earlier }, officer);
    const owner = { ownerUserId: null, ownerName: 'Team manager' };
    const done = await container.learning.addAction(lesson, { description: 'Set up a call-back log', dueOn: '2019-09-30', ...owner }, officer);
    await container.learning.addAction(lesson, { description: 'Train the duty team', dueOn: '2020-05-01', ...owner }, officer);
    await container.learning.addAction(lesson, { description: 'Audit the log', dueOn: '2020-09-01', ...owner }, officer);
    const cancelled = await container.learning.addAction(lesson, { description: 'Buy a new phone system', dueOn: '2020-01-31', ...owner }, officer);
    on('2019-09-20');
    await container.learning.completeAction(done, '2019-09-20', officer, 1);
    await container.learning.moveAction(cancelled, 'cancel', 'Not needed after all', officer, 1);
    on('2020-04-10');
    const next = await container.learning.create({ title: 'Later', description: 'Next year.', identifiedOn: '2020-04-10', teamId: null, caseReferences: earlier }, officer);
    await container.learning.addAction(next, { description: 'Next year’s action', dueOn: '2020-05-01', ...owner }, officer);

    on(AS_AT);
    report = await container.annualReports.report(2019);
    app = await createApp(container);
  }, HTTP_TIMEOUT);

  afterAll(async () => {
    await app.close();
  });

  it('has figures in each table to follow', () => {
    const cs = report.figures.children_statutory;
    expect(report.figures.period.as_at).toBe(AS_AT);
    expect(Object.values(cs.stage1.timescales).filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    expect(cs.stage2).toMatchObject({ requested: 5, responded: 4 });
    expect(report.details.stage2).toMatchObject({ responded: 4, inTime: 1, inExtendedTime: 1, late: 1, notKnown: 1 });
    expect(cs.stage3).toEqual({ requested: 2, panels_held: 1 });
    expect(report.details.stage3).toEqual({ panelsHeld: 1, panelsInTime: 1, recommendations: 1, recommendationsInTime: 1, responses: 1, responsesInTime: 1 });
    expect(report.figures.ombudsman).toEqual({ enquiries: 5, decisions: { closed_after_initial_enquiries: 0, premature: 0, not_upheld: 1, upheld: 3 } });
    expect(report.details.ombudsman).toMatchObject({ fault: 3, injustice: 2, apologies: 2, payments: 1, serviceImprovements: 2, complianceDue: 3, compliedInTime: 1, compliedLate: 1, complianceOutstanding: 1, complianceNotYetDue: 0 });
    expect(report.learning).toMatchObject({ total: 4, done: 1, open: 2, cancelled: 1, overdue: 1 });
    expect(cs.advocacy).toEqual({ offered: 2, accepted: 1 });
    expect(report.checks.every((c) => c.holds)).toBe(true);
  });

  it('links every count of those tables to the list of exactly the records it counted', async () => {
    const manager = await signedInAs(app, container, 'complaints_manager');
    const page = decodeEntities((await manager.get('/reports/annual?year=2019')).body);
    const cells = Object.keys(TABLES).flatMap((caption) => cellsOf(page, caption));
    const counts = cells.filter((c) => /^\d+$/.test(c.value) && c.value !== '0');
    // Every non-zero count is linked, and nothing else is.
    expect(counts.filter((c) => c.href === undefined).map((c) => `${c.caption} / ${c.row} / ${String(c.column)}`)).toEqual([]);
    expect(cells.filter((c) => c.href !== undefined)).toHaveLength(counts.length);
    expect(counts.length).toBeGreaterThanOrEqual(25);

    for (const cell of counts) {
      const href = cell.href ?? '';
      const list = await manager.get(href);
      expect(list.statusCode, href).toBe(200);
      const shown = /id="results-count">\s*(?:Showing \d+ to \d+ of |Showing the first \d+ of )?(\d+) /.exec(list.body)?.[1];
      expect(shown, `${cell.caption} / ${cell.row} / ${String(cell.column)}: ${href}`).toBe(cell.value);
      // The list says what it shows.
      expect(list.body).toMatch(/id="(figure-filter|enquiry-filter|action-filter)"/);
    }

    // Later stages count by the event's date, whenever the complaint was received: no received dates in the link.
    const s2 = cells.find((c) => c.caption === 'Stage 2 investigations' && c.row === 'Requests received')?.href ?? '';
    expect(s2).toContain('stage_event=stage2_requested');
    expect(s2).not.toContain('received_from');
  }, HTTP_TIMEOUT);

  it('keeps each list’s access rules and ignores what it does not understand', async () => {
    const manager = await signedInAs(app, container, 'complaints_manager');
    const page = decodeEntities((await manager.get('/reports/annual?year=2019')).body);
    const responses = cellsOf(page, 'Stage 2 investigations').find((c) => c.row === 'Responses (adjudications) made');
    const band = cellsOf(page, 'Working days taken to respond at Stage 1').find((c) => c.row === 'Within 10 working days');
    if (responses?.href === undefined || band?.href === undefined) throw new Error('no links to follow');

    // A responding manager of Care Management North sees that team's records only (the others are about Fostering).
    const responder = new Browser(app);
    const rm = await aStaffMember(container, ['responding_manager'], 'Care Management North');
    await responder.signIn(rm.email, TEST_PASSWORD);
    const count = (body: string) => /id="results-count">\s*(\d+) /.exec(body)?.[1];
    for (const cell of [responses, band]) {
      const fostering = Number(count((await manager.get(`${cell.href ?? ''}&team=${String(teamId('Fostering'))}`)).body));
      expect(fostering).toBeGreaterThan(0);
      expect(count((await responder.get(cell.href ?? '')).body)).toBe(String(Number(cell.value) - fostering));
    }

    // The text of each filter; a bad value is ignored, as the list's other filters are.
    const list = decodeEntities((await manager.get(band.href)).body);
    expect(list).toContain('in working days taken: Within 10 working days');
    const bad = await manager.get(band.href.replace(/band=[^&]+/, 'band=99'));
    expect(bad.statusCode).toBe(200);
    expect(decodeEntities(bad.body)).not.toContain('in working days taken');
    const badTiming = await manager.get('/cases?queue=all&stage_event=stage3_panel&event_from=2019-04-01&event_to=2020-03-31&timing=late');
    expect(badTiming.statusCode).toBe(200);
    expect(decodeEntities(badTiming.body)).not.toContain('Stage 3 review panel held');

    const register = decodeEntities((await manager.get('/ombudsman?received_from=2019-04-01&received_to=2020-03-31&as_at=2020-06-30&decision=none')).body);
    expect(register).toContain('Showing enquiries: received from 1 April 2019 to 31 March 2020; not decided by 30 June 2020.');
    expect(register).toContain('20 000 005');
    expect(register).not.toContain('19 000 001');
    expect(register).toContain('href="/ombudsman">Clear the filters</a>');
    const ignored = decodeEntities((await manager.get('/ombudsman?decision=bogus&found=fault')).body);
    expect(ignored).not.toContain('Showing enquiries');
    expect(ignored).toContain('19 000 001');

    const actions = decodeEntities((await manager.get('/learning/actions?identified_from=2019-04-01&identified_to=2020-03-31&status=cancelled')).body);
    expect(actions).toContain('Showing actions: of lessons identified from 1 April 2019 to 31 March 2020; status: Cancelled.');
    expect(actions).toContain('Buy a new phone system');
    expect(actions).not.toContain('Audit the log');
  }, HTTP_TIMEOUT);
});
