/**
 * The annual report from a small year of records made by hand through the real services
 * (registration and Stage 1 actions), on SQLite and PostgreSQL: the exact JSON, the year's
 * boundary, `as_at` before a response, an empty year, the public version, the CLI and the
 * staff page.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aStaffMember, testClock, testContainer } from '../support/builders.ts';
import { runCli } from '../support/cli.ts';
import { signedInAs } from '../support/http.ts';
import { createApp } from '../../src/web/app.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { Container } from '../../src/container.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import { AnnualReportService, type AnnualReport } from '../../src/app/annual-report-service.ts';
import { annualReportBodyHtml, annualReportDocumentHtml } from '../../src/reports/annual/annual-html-renderer.ts';
import { presentAnnualReport } from '../../src/reports/annual/annual-report-presenter.ts';

/** Each CLI run starts a process and opens the database: slow on a busy machine. */
const CLI_TIMEOUT = 180_000;
/** Signing in hashes a password (argon2) for each user. */
const HTTP_TIMEOUT = 90_000;

// The report is drawn up on Tuesday 30 June 2020, for 2019/20.
const NOW = '2020-06-30T10:00:00.000Z';

const zero = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
const ROLES = ['child', 'advocate', 'parent', 'relative', 'foster_carer', 'special_guardian', 'adopter', 'care_leaver', 'iro', 'professional', 'other'] as const;
const CHANNELS = ['leaflet', 'telephone', 'letter', 'email', 'online', 'in_person', 'other'] as const;
const ETHNICITIES = ['WBRI', 'WIRI', 'WIRT', 'WOTH', 'WROM', 'MWBC', 'MWBA', 'MWAS', 'MOTH', 'AIND', 'APKN', 'ABAN', 'AOTH', 'BCRB', 'BAFR', 'BOTH', 'CHNE', 'OOTH', 'REFU', 'NOBT'] as const;
const FINDINGS = ['upheld', 'partially_upheld', 'not_upheld', 'service_provided', 'resolution_meeting_offered'] as const;
const REMEDIES = ['explanation', 'apology', 'service_provided', 'service_reviewed', 'care_plan_revised', 'contact_revised', 'change_of_worker', 'financial', 'staff_guidance', 'policy_change', 'other'] as const;
const DELAYS = ['complex_multi_team', 'insufficient_detail', 'further_complaints', 'redress', 'court_proceedings', 'consent_check', 'other_procedure', 'other'] as const;
const SOURCES = ['parent_or_carer', 'child', 'foster_carer', 'adopter', 'judge', 'solicitor', 'guardian', 'other_professional', 'other'] as const;

/** The figures for 2019/20 as at 30 June 2020 (staff version). */
const EXPECTED_2019 = {
  schema: 'redress.annual-report/1',
  period: { from: '2019-04-01', to: '2020-03-31', label: '2019/20', as_at: '2020-06-30' },
  children_statutory: {
    received: 5,
    young_people: 3,
    by_complainant_role: { ...zero(ROLES), parent: 4, child: 1 },
    by_team: { 'Ashfield House': 1, 'Care Management North': 1, 'Contact Team': 1, Fostering: 2 },
    by_channel: { ...zero(CHANNELS), email: 1, leaflet: 1, telephone: 2, online: 1 },
    via_complaints_team: 3,
    issues: { staff_attitude: 2, communication: 1, delay: 1, placement: 1 },
    by_ethnicity: { ...zero(ETHNICITIES), WBRI: 2, BCRB: 1 },
    advocacy: { offered: 1, accepted: 1 },
    stage1: {
      responded: 3,
      withdrawn: 1,
      escalated_without_response: 0,
      open: 1,
      extended: 1,
      findings: { ...zero(FINDINGS), upheld: 1, not_upheld: 1, partially_upheld: 1 },
      remedies: { ...zero(REMEDIES), apology: 1, explanation: 2, service_provided: 1 },
      timescales: { '0-10': 2, '11-20': 0, '21-25': 1, '26-30': 0, '31+': 0 },
      delay_reasons: { ...zero(DELAYS), complex_multi_team: 1 },
    },
    stage2: { requested: 0, responded: 0, cost_gbp: 0 },
    stage3: { requested: 0, panels_held: 0 },
  },
  corporate: { received: 1 },
  informal: { received: 1, by_team: { 'Care Management North': 1 } },
  other_agency: { received: 0 },
  comments: { received: 0 },
  compliments: { received: 1, by_team: { 'Brook Lodge': 1 }, by_source: { ...zero(SOURCES), judge: 1 } },
  ombudsman: { enquiries: 2, decisions: { closed_after_initial_enquiries: 0, premature: 0, not_upheld: 0, upheld: 1 } },
  adverse_contacts: 7,
  history: [{ label: '2018/19', children_statutory: 1, informal: 0, corporate: 0, compliments: 0 }],
};

describeEachEngine('the annual report', (database) => {
  let container: Container;
  let officer: StaffActor;
  let service: AnnualReportService;
  let teamId: (name: string) => number;

  const versionOf = async (reference: string): Promise<number> =>
    (await database().db.kysely.selectFrom('representation').select('version').where('reference', '=', reference).executeTakeFirstOrThrow()).version;
  const act = async (reference: string, action: string, input: Record<string, unknown>): Promise<void> => {
    await container.caseActions.apply(reference, action, input, officer, await versionOf(reference));
  };

  const register = async (
    fields: Record<string, unknown>,
    teams: readonly string[],
    youngPerson?: { externalId: string; ethnicity: string },
    extra: { workerName?: string } = {},
  ): Promise<string[]> => {
    const made = await container.registration.register(
      { fields: { via_complaints_team: 'yes', summary: 'About the service.', ...fields }, teamIds: teams.map(teamId), youngPerson, complainant: { name: 'Pat Example' }, ...extra },
      officer,
    );
    return made.map((m) => m.reference);
  };
  const complaint = (receivedOn: string, channel: string, role: string, issues: string[] = []) => ({ kind: 'children_statutory', received_on: receivedOn, channel, complainant_role: role, issues });

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure();
    const teams = await container.organisation.listTeams();
    teamId = (name) => {
      const team = teams.find((t) => t.name === name);
      if (!team) throw new Error(`no team ${name}`);
      return team.id;
    };
    const { user } = await container.users.add({ email: 'officer@report.example', name: 'Report Officer', roles: ['complaints_officer'], password: 'correct-horse-battery' }, CLI_ACTOR);
    officer = { userId: user.id, roles: ['complaints_officer'], teamId: null, ip: null, requestId: null };
    service = new AnnualReportService(database().db.kysely, container.clock, container.calendar);

    // A: Wednesday 1 May 2019, answered Thursday 16 May: 10 working days, because Monday 6 May is
    // a bank holiday (11 without it).
    const [a = ''] = await register(complaint('2019-05-01', 'email', 'parent', ['delay', 'communication']), ['Fostering'], { externalId: 'YP-1', ethnicity: 'WBRI' });
    await act(a, 'record_response', { responded_on: '2019-05-16', finding: 'upheld', remedies: ['apology', 'explanation'] });

    // B: a child's complaint, an advocate accepted, extended, and still answered late (25 working days).
    const [b = ''] = await register(complaint('2019-06-03', 'leaflet', 'child', ['placement']), ['Care Management North'], { externalId: 'YP-2', ethnicity: 'BCRB' });
    await act(b, 'record_advocacy_offer', { offered_on: '2019-06-04', advocacy_outcome: 'accepted', provider: 'Advocacy Service' });
    await act(b, 'extend', { extra_working_days: '10', extension_reason: 'complexity', complainant_told_on: '2019-06-10' });
    // On hold for two days: shown, but the Children Act deadline does not move.
    await act(b, 'pause', { paused_on: '2019-06-11', reason: 'Waiting for the young person’s consent' });
    await act(b, 'resume', { resumed_on: '2019-06-13', reason: 'Consent given' });
    await act(b, 'record_response', { responded_on: '2019-07-08', finding: 'not_upheld', remedies: ['explanation'], delay_reasons: ['complex_multi_team'] });

    // The Ombudsman enquired about A (upheld, with an apology) and about B (not decided yet).
    const enquiryA = await container.ombudsman.create(a, { lgscoReference: '19 000 111', receivedOn: '2019-08-01' }, officer);
    await container.ombudsman.recordDecision(
      enquiryA,
      { decision: 'upheld', decidedOn: '2019-10-01', fault: 'yes', injustice: 'yes', apology: true, amount: '', serviceImprovements: '', complianceDueOn: '2019-11-01' },
      officer,
      1,
    );
    await container.ombudsman.create(b, { lgscoReference: '20 000 222', receivedOn: '2020-02-03' }, officer);

    // C: one contact about two teams: two complaints. One withdrawn, one still open.
    const [c1 = '', c2 = ''] = await register({ ...complaint('2019-09-06', 'telephone', 'parent', ['staff_attitude']), via_complaints_team: 'no' }, ['Fostering', 'Ashfield House'], {
      externalId: 'YP-3',
      ethnicity: 'WBRI',
    });
    expect(c2).not.toBe('');
    await act(c1, 'withdraw_by_complainant', { withdrawn_on: '2019-09-20' });

    // D: received on the last day of the year, answered in the next one.
    const [d = ''] = await register(complaint('2020-03-31', 'online', 'parent'), ['Contact Team'], { externalId: 'YP-1', ethnicity: 'WBRI' });
    await act(d, 'record_response', { responded_on: '2020-04-03', finding: 'partially_upheld', remedies: ['service_provided'] });

    // E: received on the first day of the next year. F: the year before.
    await register(complaint('2020-04-01', 'email', 'parent'), ['Contact Team'], { externalId: 'YP-4', ethnicity: 'WBRI' });
    await register(complaint('2018-05-01', 'email', 'parent'), ['Fostering'], { externalId: 'YP-5', ethnicity: 'WBRI' });

    // A compliment (with consent to quote, naming a worker), an informal and a corporate complaint.
    await register({ kind: 'compliment', received_on: '2019-10-10', channel: 'letter', compliment_source: 'judge', consent_to_quote: 'yes', summary: 'The care shown was excellent.' }, ['Brook Lodge'], undefined, {
      workerName: 'Jo Bloggs',
    });
    await register({ kind: 'informal', received_on: '2019-11-11', channel: 'telephone', complainant_role: 'relative', informal_reason: 'Court proceedings are under way.' }, ['Care Management North']);
    await register({ kind: 'corporate', received_on: '2019-12-02', channel: 'email', complainant_role: 'parent' }, ['Fostering']);
  });

  it('counts the year exactly, every key of the contract present', async () => {
    const report = await service.report(2019);
    expect(report.figures).toEqual(EXPECTED_2019);
    expect(Object.keys(report.figures)).toEqual(Object.keys(EXPECTED_2019));
    expect(report.checks.every((c) => c.holds)).toBe(true);
    expect(report.uncounted).toEqual([]);
    expect(report.isEmpty).toBe(false);
    expect(report.quotes).toEqual([{ team: 'Brook Lodge', source: 'judge', text: 'The care shown was excellent.' }]);
    // The report states how it counted: the receipt rule, no pauses, and B's hold (still 25 working days).
    expect(report.counting).toEqual({ receiptRule: 'statutory', receiptRulesCounted: ['statutory'], corporateMaxPausedWorkingDays: undefined, respondedAfterHold: 1 });
    const timescales = presentAnnualReport(report).sections.find((section) => section.id === 'timescales');
    expect(timescales?.paragraphs[1]).toBe(
      'Working days are counted from the day the complaint was received, whatever day that was, to the day of the response; weekends and bank holidays are not counted, and a response dated on one counts as made on the next working day. No time limit is paused: a complaint put on hold still counts every working day. 1 of the complaints responded to had been put on hold at Stage 1; the hold did not stop the time limit. Withdrawn complaints are not included.',
    );
  });

  it('puts 31 March in one year and 1 April in the next', async () => {
    const next = await service.report(2020);
    expect(next.figures.children_statutory.received).toBe(1);
    expect(next.figures.children_statutory.stage1.open).toBe(1);
    expect(next.figures.history).toEqual([
      { label: '2018/19', children_statutory: 1, informal: 0, corporate: 0, compliments: 0 },
      { label: '2019/20', children_statutory: 5, informal: 1, corporate: 1, compliments: 1 },
    ]);
  });

  it('counts a response after `as_at` as open, outside the bands', async () => {
    const { figures } = await service.report(2019, { asAt: '2020-04-01' });
    expect(figures.period.as_at).toBe('2020-04-01');
    expect(figures.children_statutory.received).toBe(5);
    expect(figures.children_statutory.stage1).toMatchObject({
      responded: 2,
      withdrawn: 1,
      open: 2,
      findings: { ...zero(FINDINGS), upheld: 1, not_upheld: 1 },
      remedies: { ...zero(REMEDIES), apology: 1, explanation: 2 },
      timescales: { '0-10': 1, '11-20': 0, '21-25': 1, '26-30': 0, '31+': 0 },
    });
  });

  it('counts only what had been received by an `as_at` inside the year', async () => {
    const { figures } = await service.report(2019, { asAt: '2019-05-10' });
    expect(figures.children_statutory).toMatchObject({ received: 1, young_people: 1, stage1: { responded: 0, withdrawn: 0, open: 1 } });
    expect(figures.adverse_contacts).toBe(1);
  });

  it('gives a year with no records as a report that says so', async () => {
    const report = await service.report(2010);
    expect(report.isEmpty).toBe(true);
    expect(report.figures.children_statutory.received).toBe(0);
    expect(report.figures.children_statutory.by_channel).toEqual(zero(CHANNELS));
    expect(report.figures.children_statutory.issues).toEqual({});
    expect(report.figures.history).toEqual([]);
    expect(report.checks.every((c) => c.holds)).toBe(true);
    expect(annualReportDocumentHtml(report, 'Test Council')).toContain('No complaints, comments or compliments were recorded as received in 2010/11');
  });

  it('shows homes by alias in the public version, and small numbers as <5 in its HTML', async () => {
    const report = await service.report(2019, { isPublic: true });
    expect(report.figures.children_statutory.by_team).toEqual({ 'Care Management North': 1, 'Contact Team': 1, Fostering: 2, 'Home 1': 1 });
    expect(report.figures.compliments.by_team).toEqual({ 'Home 2': 1 });
    expect(report.figures.children_statutory.received).toBe(5); // the JSON stays numeric
    const html = annualReportDocumentHtml(report, 'Test Council');
    expect(html).not.toContain('Ashfield House');
    expect(html).not.toContain('Brook Lodge');
    expect(html).not.toContain('Jo Bloggs');
    expect(html).toContain('<td class="govuk-table__cell govuk-table__cell--numeric">&lt;5</td>');
    expect(html).toContain('The care shown was excellent.');
    const staff = annualReportDocumentHtml(await service.report(2019), 'Test Council');
    expect(staff).toContain('Ashfield House');
    expect(staff).toContain('Base: 5 complaints received in 2019/20');
    expect(staff).toContain('Complaints under the Children Act 1989 procedure received in 2019/20: 5 complaints, 4 more than in 2018/19 (1), a rise of 400.0%.');
    expect(staff).not.toContain('Jo Bloggs');
  });

  it('fails its checks, naming the records, when the records contradict each other', async () => {
    const kysely = database().db.kysely;
    const row = await kysely.selectFrom('representation').select(['id', 'reference', 'responded_on']).where('received_on', '=', '2019-05-01').executeTakeFirstOrThrow();
    await kysely.updateTable('representation').set({ withdrawn_on: '2019-05-20' }).where('id', '=', row.id).execute();
    try {
      const report = await service.report(2019);
      const failing = report.checks.filter((c) => !c.holds);
      expect(failing.map((c) => c.id)).toEqual(['stage1_outcomes_add_up', 'timescales_match_responses']);
      expect(failing[0]?.references).toEqual([row.reference]);
      const cli = await runCli(['report', 'annual', '--year', '2019', '--as-at', '2020-06-30'], { DATABASE_URL: database().url });
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain('check failed: stage1_outcomes_add_up: Complaints received = responded to + withdrawn + escalated without a response + open (5 = 3 + 2 + 0 + 1 (6))');
      expect(cli.stderr).toContain(row.reference);
    } finally {
      await kysely.updateTable('representation').set({ withdrawn_on: null }).where('id', '=', row.id).execute();
    }
  }, CLI_TIMEOUT);

  it('adds the sections the JSON has no keys for: context, what the Ombudsman asked for, learning actions', async () => {
    const empty = await service.report(2019, { asAt: '2020-06-30' });
    const sectionOf = (report: AnnualReport, id: string) => presentAnnualReport(report).sections.find((s) => s.id === id);
    expect(sectionOf(empty, 'context')?.paragraphs).toEqual(['No context figures (new referrals, cases worked) were entered for 2019/20.']);
    expect(sectionOf(empty, 'learning')?.paragraphs).toEqual(['No learning actions were recorded for lessons identified in 2019/20.']);
    expect(sectionOf(empty, 'stage2-stage3')?.paragraphs).toEqual(['No Stage 2 investigations or Stage 3 review panels were asked for or completed in 2019/20.']);

    await container.historyTotals.set(2019, { newReferrals: 1250, casesWorked: 400 }, officer);
    const manager = await aStaffMember(container, ['complaints_manager']);
    const { reference } = await database().db.kysely.selectFrom('representation').select('reference').where('received_on', '=', '2019-05-01').executeTakeFirstOrThrow();
    const lesson = await container.learning.create({ title: 'Call back', description: 'Calls were not returned.', identifiedOn: '2019-07-10', teamId: null, caseReferences: reference }, manager);
    const owner = { ownerUserId: null, ownerName: 'Team manager' };
    const done = await container.learning.addAction(lesson, { description: 'Set up a call-back log', dueOn: '2019-09-30', ...owner }, manager);
    await container.learning.addAction(lesson, { description: 'Train the duty team', dueOn: '2020-05-01', ...owner }, manager);
    await container.learning.addAction(lesson, { description: 'Audit the log', dueOn: '2020-09-01', ...owner }, manager);
    await container.learning.completeAction(done, '2019-09-20', manager, 1);
    // A lesson of the next year is not counted.
    await container.learning.create({ title: 'Later', description: 'Next year.', identifiedOn: '2020-04-10', teamId: null, caseReferences: reference }, manager);

    const report = await service.report(2019, { asAt: '2020-06-30' });
    expect(report.context).toEqual({ newReferrals: 1250, casesWorked: 400 });
    expect(sectionOf(report, 'context')?.paragraphs).toEqual([
      'Children’s social care received 1250 new referrals in 2019/20.',
      'It worked with 400 cases in the year.',
      'That is 1.3 complaints for every 100 cases worked.',
    ]);
    // Enquiry A was decided (fault, injustice, an apology, comply by 1 November, not done); B is not decided.
    expect(report.details.ombudsman).toEqual({
      fault: 1,
      injustice: 1,
      apologies: 1,
      payments: 0,
      paymentsPence: 0,
      serviceImprovements: 0,
      complianceDue: 1,
      compliedInTime: 0,
      compliedLate: 0,
      complianceOutstanding: 1,
      complianceNotYetDue: 0,
    });
    // Before its due date a remedy not yet carried out is not yet due, never "not complied with".
    const early = await service.report(2019, { asAt: '2019-10-20' });
    expect(early.details.ombudsman).toMatchObject({ complianceDue: 1, complianceOutstanding: 0, complianceNotYetDue: 1 });
    const earlyRows = sectionOf(early, 'ombudsman')?.tables.find((t) => t.caption === 'Compliance with the Ombudsman’s remedies')?.rows;
    expect(earlyRows).toContainEqual(['Past the due date, not complied with by 20 October 2019', '0', '0.0%']);
    expect(earlyRows).toContainEqual(['Not yet due on 20 October 2019', '1', '100.0%']);
    expect(sectionOf(report, 'ombudsman')?.tables.map((t) => t.caption)).toEqual(['Ombudsman decisions', 'What the Ombudsman found and asked for', 'Compliance with the Ombudsman’s remedies']);
    // One action done, two open of which one (due 1 May 2020) is overdue on 30 June 2020.
    expect(report.learning).toMatchObject({ total: 3, done: 1, open: 2, cancelled: 0, overdue: 1 });
    expect(sectionOf(report, 'learning')?.paragraphs).toEqual(['3 actions came from the lessons identified in 2019/20: 1 done, 2 still open (1 of them overdue) and 0 cancelled by 30 June 2020.']);
    const html = annualReportBodyHtml(report);
    for (const title of ['Context', 'Learning from complaints', 'What complainants told us afterwards', 'Compliance with the Ombudsman’s remedies']) expect(html).toContain(title);
  });

  describe('the CLI', () => {
    it('writes the JSON to standard output and to --out', async () => {
      const env = { DATABASE_URL: database().url };
      const out = await runCli(['report', 'annual', '--year', '2019', '--as-at', '2020-06-30', '--format', 'json'], env);
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout)).toEqual(EXPECTED_2019);

      const dir = mkdtempSync(path.join(tmpdir(), 'redress-report-'));
      try {
        const file = path.join(dir, 'report.json');
        const written = await runCli(['report', 'annual', '--year', '2019', '--as-at', '2020-06-30', '--out', file], env);
        expect(written.code).toBe(0);
        expect(written.stdout).toBe('');
        expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(EXPECTED_2019);
        const html = path.join(dir, 'report.html');
        expect((await runCli(['report', 'annual', '--year', '2019', '--as-at', '2020-06-30', '--format', 'html', '--public', '--out', html], env)).code).toBe(0);
        expect(readFileSync(html, 'utf8')).toContain('Home 1');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, CLI_TIMEOUT);

    it('exits 2 on bad arguments, and 0 with a note for an empty year', async () => {
      const env = { DATABASE_URL: database().url };
      const bad = await runCli(['report', 'annual', '--year', 'abc'], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--year must be the year the report starts');
      expect((await runCli(['report', 'annual', '--year', '2019', '--as-at', '2019-02-30'], env)).code).toBe(2);
      expect((await runCli(['report', 'annual', '--year', '2019', '--format', 'pdf'], env)).code).toBe(2);
      const empty = await runCli(['report', 'annual', '--year', '2010', '--as-at', '2020-06-30'], env);
      expect(empty.code).toBe(0);
      expect(empty.stderr).toContain('No representations were received in 2010/11');
      expect((JSON.parse(empty.stdout) as { adverse_contacts: number }).adverse_contacts).toBe(0);
    }, CLI_TIMEOUT);
  });

  describe('the staff page', () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await createApp(container);
    });
    afterAll(async () => {
      await app.close();
    });

    it('shows the report with a year chooser, and audits the view', async () => {
      const manager = await signedInAs(app, container, 'complaints_manager');
      const page = await manager.get('/reports/annual?year=2019');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<select class="govuk-select" id="year" name="year"');
      expect(page.body).toContain('<option value="2019" selected>');
      expect(page.body).toContain('Base: 5 complaints received in 2019/20');
      expect(page.body).toContain('href="/reports/annual.json?year=2019"');
      const json = await manager.get('/reports/annual.json?year=2019');
      expect(json.statusCode).toBe(200);
      expect(json.headers['content-disposition']).toContain('annual-report-2019-20.json');
      expect(JSON.parse(json.body)).toEqual(EXPECTED_2019);
      const html = await manager.get('/reports/annual.html?year=2019&public=1');
      expect(html.statusCode).toBe(200);
      expect(html.body).toContain('Home 1');
      const audit = await database().db.kysely.selectFrom('audit_event').select(['action', 'entity_id', 'details']).where('action', '=', 'annual_report_viewed').execute();
      expect(audit.length).toBeGreaterThanOrEqual(3);
      expect(audit.map((a) => a.details).join(' ')).not.toContain('Pat');
    }, HTTP_TIMEOUT);

    it('lets a viewer read it, refuses a responding manager, and says what is wrong with a bad year', async () => {
      const viewer = await signedInAs(app, container, 'viewer');
      expect((await viewer.get('/reports/annual')).statusCode).toBe(200);
      expect((await viewer.get('/dashboard')).body).toContain('href="/reports/annual"');
      const bad = await viewer.get('/reports/annual?year=abc');
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('Select a year from 2000 to 2039');
      const responder = await signedInAs(app, container, 'responding_manager');
      expect((await responder.get('/reports/annual?year=2019')).statusCode).toBe(403);
      expect((await responder.get('/dashboard')).body).not.toContain('href="/reports/annual"');
      expect((await responder.get('/reports/annual.json?year=2019')).statusCode).toBe(403);
    }, HTTP_TIMEOUT);
  });
});
