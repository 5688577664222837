/**
 * Fidelity (issue #6 item 8): the seed council's year 2011/12
 * (children-complaints-annual-report-2011-12.txt, "the seed", cited by
 * section and line) rebuilt as records — test/fixtures/seed-2011-12/, written by its build.ts
 * — imported through the real services on SQLite and PostgreSQL, and the annual report drawn
 * from them compared with the seed figure by figure.
 *
 * Where the seed's figures agree with each other the report must give them. Where the seed
 * contradicts itself, a test of its own says which figure Redress gives and why. Figures the
 * seed does not give (its charts did not survive in its text) are the fixture's own and are
 * only checked for what the seed's sentences say about them (the largest, a majority…).
 *
 * The report is drawn up as at 30 June 2012: the seed was "Produced by Quality and Complaints
 * Team June 2012" (line 11), still had 3 complaints open (§3.2, line 91) and had seen "the
 * first eleven weeks of this year" (§6.1, line 178) — mid-June 2012.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testContainer } from '../support/builders.ts';
import { collect } from '../support/interchange-files.ts';
import type { Container } from '../../src/container.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';
import type { AnnualReport } from '../../src/app/annual-report-service.ts';
import { TIMESCALE_BAND_LABELS, timescaleBand, total, type AnnualReportFigures } from '../../src/domain/reports/annual-report.ts';
import { percentage } from '../../src/domain/reports/report-phrasing.ts';
import { annualReportBodyHtml } from '../../src/reports/annual/annual-html-renderer.ts';
import { presentAnnualReport } from '../../src/reports/annual/annual-report-presenter.ts';
import {
  AS_AT,
  CONTEXT_2011,
  HISTORY_TOTALS,
  REPRESENTATIONS_FILE,
  STAGE2_FILE,
  TEAMS_FILE,
  buildRepresentationsCsv,
  buildStage2Csv,
  buildTeamsCsv,
} from '../fixtures/seed-2011-12/build.ts';

const HOMES = ['Ashgrove House', 'Beech Lodge', 'Cedar Court', 'Damson House', 'Elm View'];
const COMMISSIONED = ['External Residential Placements', 'Independent Fostering Agencies'];

describe('seed fidelity fixture', () => {
  it('is what build.ts writes, byte for byte', () => {
    expect(readFileSync(TEAMS_FILE, 'utf8')).toBe(buildTeamsCsv());
    expect(readFileSync(REPRESENTATIONS_FILE, 'utf8')).toBe(buildRepresentationsCsv());
    expect(readFileSync(STAGE2_FILE, 'utf8')).toBe(buildStage2Csv());
  });
});

describeEachEngine('seed fidelity: the 2011/12 annual report rebuilt from the seed', (database) => {
  let container: Container;
  let report: AnnualReport;
  let f: AnnualReportFigures;
  let cs: AnnualReportFigures['children_statutory'];
  let html: string;

  beforeAll(async () => {
    container = await testContainer(database(), testClock());
    const teams = await container.organisation.importTeams(readFileSync(TEAMS_FILE, 'utf8'), CLI_ACTOR);
    expect(teams.problems).toEqual([]);
    const imported = await container.interchange.importFile(readFileSync(REPRESENTATIONS_FILE), CLI_ACTOR);
    expect(imported.problems).toEqual([]);
    // What the interchange file cannot carry: earlier years' totals and the context figures, entered by hand.
    for (const { year, ...figures } of HISTORY_TOTALS) await container.historyTotals.set(year, figures, CLI_ACTOR);
    await container.historyTotals.set(2011, CONTEXT_2011, CLI_ACTOR);
    report = await container.annualReports.report(2011, { asAt: AS_AT });
    f = report.figures;
    cs = f.children_statutory;
    html = annualReportBodyHtml(report);
  });

  it('imports every representation of the year, into the seed’s teams, with no new team', async () => {
    // Importing again changes nothing (idempotent by reference), and every team already exists.
    const again = await container.interchange.importFile(readFileSync(REPRESENTATIONS_FILE), CLI_ACTOR);
    expect(again).toMatchObject({ problems: [], lines: 187, created: 0, unchanged: 187, teamsCreated: [] });
    expect(report.uncounted).toEqual([]);
    expect(report.isEmpty).toBe(false);
  });

  it('exports the year as the very file imported (the fixture is in export’s canonical form)', async () => {
    const { stream, done } = collect();
    await container.interchange.exportYear(2011, 'csv', stream, CLI_ACTOR);
    expect((await done).toString('utf8')).toBe(readFileSync(REPRESENTATIONS_FILE, 'utf8'));
  });

  it('gives the seed’s totals', () => {
    expect(f.period).toEqual({ from: '2011-04-01', to: '2012-03-31', label: '2011/12', as_at: '2012-06-30' }); // "April 1st 2011 – 31st March 2012" (line 5)
    expect(cs.received).toBe(111); // "111 Children's Act complaints" (§3.1 i, line 77; §6.1 line 178; §8.6 line 247)
    expect(cs.young_people).toBe(94); // "from 94 young people" (§3.1 i, line 77)
    expect(f.informal.received).toBe(28); // "28 informal complaints were received in 2011/12" (§3.1 vii, line 86; §7 line 207)
    expect(f.corporate.received).toBe(11); // "11 were recorded in 2011/12" (§2.8, line 65; §6.2 line 179)
    expect(f.adverse_contacts).toBe(150); // "28 … with the 111 … and 11 Corporate …, adverse contacts rises to 150" (§6.2, line 179)
    expect(cs.received + f.informal.received).toBe(139); // "complaints and informal complaints has totalled 139 this year" (§3.1 vii, line 86)
    expect(f.compliments.received).toBe(37); // "37 individual registered compliments for 2011/12" (§3.3 line 93; §5.4 line 126)
    expect(f.other_agency.received).toBe(0); // other agencies' complaints are registered (§2.10) but the seed counts none
    expect(f.comments.received).toBe(0); // the seed counts no comments
  });

  it('gives who complained and the advocacy taken up', () => {
    const roles = cs.by_complainant_role;
    expect(roles.parent + roles.relative).toBe(82); // "82 … were made or led by parents or other relatives" (§3.1 iiii, line 80)
    expect(roles.child + roles.advocate).toBe(24); // "24 complaints were made by children or their advocates" (line 80)
    expect(roles.iro).toBe(5); // "5 complaints were brought forward by the independent Reviewing Officers" (line 80)
    expect(total(roles)).toBe(111); // 82 + 24 + 5: the three groups are every complaint
    expect(cs.advocacy.accepted).toBe(4); // "4 children/young people … chose to have the assistance … of an advocate" (§3.5, line 98)
    expect(cs.advocacy.offered).toBe(24); // "all young people making a complaint in their own right are offered" an advocate (§3.5, line 98; §2.4 line 47)
  });

  it('gives how complaints were received', () => {
    expect(cs.via_complaints_team).toBe(92); // "contacting the Complaints team directly accounted for 92 of the 111" (§8.6, line 247)
    // "a complaints leaflet remains the most common way …, followed by telephone calls and letters" (§8.6, line 247)
    const order = Object.entries(cs.by_channel).sort(([, a], [, b]) => b - a).map(([channel]) => channel);
    expect(order.slice(0, 3)).toEqual(['leaflet', 'telephone', 'letter']);
    expect(total(cs.by_channel)).toBe(111);
  });

  it('gives the issues', () => {
    expect(total(cs.issues)).toBe(115); // "in total 115 issues were the subject of complaints this year" (§6.4, line 186)
    // "Four issues figure prominently …; inadequate service and staff attitude may stand out" (§6.4, line 186)
    const order = Object.entries(cs.issues).sort(([, a], [, b]) => b - a).map(([issue]) => issue);
    expect(order.slice(0, 2)).toEqual(['inadequate_service', 'staff_attitude']);
    // §6.8 (lines 195–203): family disputes, placement moves, money, not involved, delays, contact.
    for (const issue of ['family_dispute', 'placement', 'financial', 'not_involved', 'delay', 'contact_arrangements']) expect(cs.issues[issue]).toBeGreaterThan(0);
  });

  it('gives the complaints by team, the homes and the externally commissioned services', () => {
    expect(total(cs.by_team)).toBe(111);
    // "The highest number of complaints … in respect of the Care Management Teams … still dominate the figures"; five of them, "including Team 4" (§8.1, line 235).
    const careManagement = Object.entries(cs.by_team).filter(([team]) => team.startsWith('Care Management'));
    expect(careManagement).toHaveLength(5);
    expect(careManagement.reduce((sum, [, n]) => sum + n, 0)).toBeGreaterThan(111 / 2);
    // "Six complaints were received in respect of externally commissioned agencies" (§8.4, line 240), "four of which concerned children's homes" (§8.2, line 236).
    expect(report.commissionedTeams.toSorted()).toEqual(COMMISSIONED);
    expect(COMMISSIONED.reduce((sum, team) => sum + (cs.by_team[team] ?? 0), 0)).toBe(6);
    expect(cs.by_team['External Residential Placements']).toBe(4);
    expect(html).toContain('6 complaints concerned externally commissioned services, for which the council remains responsible.');
    expect(f.informal.by_team).toMatchObject({ 'Care Management North': 6 }); // the chart of §7 (line 207) is lost: the fixture's own split
    expect(total(f.informal.by_team)).toBe(28);
  });

  it('shows the children’s homes by their aliases in the public version, as the seed does', async () => {
    // "the Residential Homes have numbers; this is to withhold the identity of the home" (§5.5, line 128); "Home 2 was thanked" (line 138).
    const published = await container.annualReports.report(2011, { asAt: AS_AT, isPublic: true });
    expect(published.figures.compliments.by_team['Home 2']).toBe(1);
    for (const home of HOMES) {
      expect(Object.keys(published.figures.children_statutory.by_team)).not.toContain(home);
      expect(Object.keys(published.figures.compliments.by_team)).not.toContain(home);
    }
    expect(Object.keys(published.figures.children_statutory.by_team).filter((team) => team.startsWith('Home '))).toEqual(['Home 1', 'Home 2', 'Home 3', 'Home 4']);
  });

  it('gives the Stage 1 outcomes', () => {
    const s1 = cs.stage1;
    expect(s1.open).toBe(3); // "Three complaints remain open" (§3.2, line 91; §9.6 line 269)
    expect(s1.withdrawn).toBe(5); // "the five complaints that were withdrawn" (§3.2, line 91; §9.5 line 260)
    expect(s1.responded).toBe(103); // "all other complaints have received a response at Stage 1" (§3.2, line 91): 111 − 5 − 3
    expect(s1.findings.upheld + s1.findings.partially_upheld + s1.findings.service_provided).toBe(41); // "41 were upheld to some extent" (§9.2, line 257; §9.1 line 256)
    expect(s1.findings.not_upheld).toBe(56); // "compared to the 56 that were not upheld" (§9.2, line 257)
    expect(s1.findings.resolution_meeting_offered).toBeGreaterThan(0); // "a category of 'Resolution Meeting Offered'" (§9.3, line 258)
  });

  it('gives the remedies', () => {
    const remedies = cs.stage1.remedies;
    expect(total(remedies)).toBe(150); // "more resolutions (150) than complaints (111)", the 3 open having none yet (§9.6, line 269)
    expect(remedies.explanation).toBeGreaterThan(cs.stage1.responded / 2); // "the majority of complaints were resolved by providing an explanation" (§9.7, line 270)
    expect(remedies.apology).toBeGreaterThanOrEqual(cs.stage1.findings.upheld + cs.stage1.findings.partially_upheld); // "an apology for all upheld complaints" (§9.6, line 269)
    // §14 (lines 337–339): services provided or reviewed, care plans revised, contact arrangements revised.
    for (const remedy of ['service_provided', 'service_reviewed', 'care_plan_revised', 'contact_revised'] as const) expect(remedies[remedy]).toBeGreaterThan(0);
  });

  it('gives the timescales on the base §3.2 states, and the reasons for delay', () => {
    const bands = cs.stage1.timescales;
    expect(total(bands)).toBe(103); // "With the exception of the five … withdrawn, all other complaints have received a response" (§3.2, line 91)
    expect(percentage(bands['0-10'], 103)).toBe('38.8%'); // "39% were dealt with within 10 working days" (§3.2, line 91)
    expect(percentage(bands['11-20'], 103)).toBe('24.3%'); // "a further 24% within 20 working days" (line 91)
    expect(percentage(bands['0-10'] + bands['11-20'], 103)).toBe('63.1%'); // "63% were dealt with within the statutory timetable of 20 working days" (line 91; §4.2 line 106)
    expect(bands['31+']).toBe(22); // the count both §3.2 (21.6%, line 92) and §10.1 (19.8% of 111, line 282) point to
    expect(bands).toEqual({ '0-10': 40, '11-20': 25, '21-25': 9, '26-30': 7, '31+': 22 });
    // §10.3 (lines 284–291) lists seven reasons for delay, one for each code but "other".
    const reasons = cs.stage1.delay_reasons;
    for (const reason of ['complex_multi_team', 'insufficient_detail', 'further_complaints', 'redress', 'court_proceedings', 'consent_check', 'other_procedure'] as const) expect(reasons[reason]).toBeGreaterThan(0);
    expect(reasons.other).toBe(0);
    expect(cs.stage1.extended).toBe(50); // the seed gives no count (§2.4, line 46): the fixture's own
  });

  it('gives the ethnicity of the young people', () => {
    expect(total(cs.by_ethnicity)).toBe(94);
    expect(cs.by_ethnicity.WBRI).toBeGreaterThan(94 / 2); // "the majority of people who used the complaint process are British/White" (§11.2, line 299)
    expect(cs.by_ethnicity.REFU + cs.by_ethnicity.NOBT).toBeGreaterThan(0); // "a number of people prefer not to describe their ethnicity or it is simply not known" (§11.1, line 295)
  });

  it('gives Stage 3 and the Ombudsman', () => {
    expect(cs.stage3).toEqual({ requested: 0, panels_held: 0 }); // "No Stage 3 Review Panels have been requested this year" (§3.1 x, line 90)
    expect(cs.stage2.requested).toBe(0); // "No complaint registered in this year has progressed to … Stage 2" (§3.1 viii, line 87; §9.4 line 259)
    // Contacts by the Ombudsman "have not progressed past initial enquiries" (§3.1 viiii, line 88), closing "two time consuming complaints" (§3.4, line 96).
    expect(f.ombudsman.enquiries).toBe(2);
    expect(f.ombudsman.decisions).toEqual({ closed_after_initial_enquiries: 2, premature: 0, not_upheld: 0, upheld: 0 }); // "no finding of Maladministration" (line 96; line 61)
  });

  it('gives the earlier years and the context figures entered by hand', () => {
    expect(f.history).toEqual([
      { label: '2007/08', children_statutory: 85, informal: 0, corporate: 0, compliments: 0 }, // 85 (§6.1, line 178); the rest not in the seed (shown 0)
      { label: '2008/09', children_statutory: 86, informal: 0, corporate: 0, compliments: 0 }, // 86 (§6.1, line 178)
      { label: '2009/10', children_statutory: 111, informal: 0, corporate: 0, compliments: 83 }, // 111 (§3.1 i, line 77); 83 compliments "two years ago" (§5.4, line 126)
      { label: '2010/11', children_statutory: 104, informal: 45, corporate: 5, compliments: 56 }, // 104 (line 77), 45 (line 86), 11 − 6 = 5 (line 65), 56 (line 126)
    ]);
    expect(report.context).toEqual({ newReferrals: 3100, casesWorked: 5715 }); // "3100 new referrals and worked on 5715 cases" (§3.1 i, line 77)
    expect(percentage(cs.received, 5715)).toBe('1.9%'); // "complaints were received in 1.9% of the cases worked with" (line 77)
  });

  it('passes every one of its own consistency checks', () => {
    expect(report.checks.filter((c) => !c.holds)).toEqual([]);
    expect(report.checks.find((c) => c.id === 'stage1_outcomes_add_up')?.detail).toBe('111 = 103 + 5 + 0 + 3 (111)');
    expect(report.checks.find((c) => c.id === 'adverse_contacts_add_up')?.detail).toBe('150 = 111 + 11 + 28 (150)');
  });

  it('says the year-on-year change in words, with the seed’s numbers', () => {
    // "104 complaints for 2010/11 representing an increase of nearly 7%" (§3.1 i, line 77); "risen by 7" (§8.1, line 235)
    expect(html).toContain('Complaints under the Children Act 1989 procedure received in 2011/12: 111 complaints, 7 more than in 2010/11 (104), a rise of 6.7%.');
    // "28 … Compared to 45 in 2010/11" (§3.1 vii, line 86)
    expect(html).toContain('Informal complaints received: 28 informal complaints, 17 fewer than in 2010/11 (45), a fall of 37.8%.');
    // "11 … an increase of 6 on the year before" (§2.8, line 65)
    expect(html).toContain('Corporate complaints received: 11 corporate complaints, 6 more than in 2010/11 (5), a rise of 120.0%.');
    expect(html).toContain('They were about 94 young people; a contact about several teams counts as one complaint for each team.');
    expect(html).toContain('Together that is 150 adverse contacts (complaints, informal and corporate complaints).');
    expect(html).toContain('40 of the 103 complaints responded to (38.8%) were answered within 10 working days, and 65 of the 103 complaints (63.1%) within 20 working days');
    expect(html).toContain('Of the 111 complaints received, 103 were responded to at Stage 1, 5 were withdrawn and 3 were still open on 30 June 2012.');
    expect(html).toContain('41 of the 103 complaints responded to (39.8%) were upheld at least in part; 56 were not upheld.');
    expect(html).toContain('An advocate was offered on 24 complaints and accepted on 4 complaints.');
    expect(html).toContain('92 of the 111 complaints (82.9%) came to the complaints team directly.');
  });

  it('shows the context figures entered by hand', () => {
    // "3100 new referrals and worked on 5715 cases …; complaints were received in 1.9% of the cases worked with" (§3.1 i, line 77)
    const context = presentAnnualReport(report).sections.find((s) => s.id === 'context');
    expect(context?.tables[0]?.rows).toEqual([
      ['New referrals', '3100'],
      ['Cases worked', '5715'],
    ]);
    expect(context?.paragraphs.join(' ')).toContain('1.9 complaints for every 100 cases worked');
  });

  // ---- Where the seed contradicts itself ----------------------------------------------------

  it('seed says 39% within 10 working days in §3.2 and 44.1% in §10.1: Redress gives 40 of 103 (38.8%) because the base is the complaints responded to, and §10.1 divided by all 111', () => {
    // §10.1 (line 278): 44.1% = 49 of 111 — the withdrawn (5) and open (3) complaints in the base, though it says they are left out.
    expect(percentage(49, 111)).toBe('44.1%');
    expect(cs.stage1.timescales['0-10']).toBe(40);
    expect(percentage(cs.stage1.timescales['0-10'], total(cs.stage1.timescales))).toBe('38.8%'); // rounds to §3.2's 39%
    expect(html).toMatch(/Base: 103 complaints responded to at Stage 1 by 30 June 2012, withdrawn complaints excluded/);
  });

  it('seed says 63% within 20 working days in §3.2 and §4.2 but 67.5% in §10.2: Redress gives 65 of 103 (63.1%) for the same reason', () => {
    // §10.2 (line 283): 67.5% = 44.1% + 23.4%, i.e. 75 of 111.
    expect(percentage(75, 111)).toBe('67.6%'); // not even 67.5%: §10.2 added two rounded shares
    const bands = cs.stage1.timescales;
    expect(bands['0-10'] + bands['11-20']).toBe(65);
    expect(percentage(bands['0-10'] + bands['11-20'], 103)).toBe('63.1%');
  });

  it('seed says 21.6% took more than 31 working days in §3.2 and 19.8% in §10.1: Redress gives 22 of 103 (21.4%), the count both point to, on the responded base', () => {
    expect(percentage(22, 111)).toBe('19.8%'); // §10.1, line 282: 22 of all 111
    expect(percentage(22, 102)).toBe('21.6%'); // §3.2, line 92: 22 of a base of 102, one short of the 103 responded to
    expect(cs.stage1.timescales['31+']).toBe(22);
    expect(percentage(cs.stage1.timescales['31+'], 103)).toBe('21.4%');
  });

  it('seed says §10.1 leaves the withdrawn out, yet its bands add up to 100% of 111: Redress’s bands add up to the 103 responded to, and a check says so', () => {
    // 44.1 + 23.4 + 7.2 + 5.4 + 19.8 = 99.9% of 111 (lines 278–282): 49 + 26 + 8 + 6 + 22 = 111.
    expect([49, 26, 8, 6, 22].reduce((a, b) => a + b, 0)).toBe(111);
    expect(total(cs.stage1.timescales)).toBe(cs.stage1.responded);
    expect(report.checks.find((c) => c.id === 'timescales_match_responses')).toMatchObject({ holds: true, detail: '103 = 103' });
    // §10.1's 8 (21–25) and 6 (26–30) cannot both stand with §3.2's 40 and 25 and 22 over 30 on 103: the fixture has 9 and 7.
    expect([cs.stage1.timescales['21-25'], cs.stage1.timescales['26-30']]).toEqual([9, 7]);
  });

  it('seed says 41 upheld to some extent and 56 not upheld of the complaints concluded (§9.2), 97, though 103 were: Redress gives 103 findings, the 6 others "resolution meeting offered" (§9.3)', () => {
    const findings = cs.stage1.findings;
    expect(41 + 56).toBe(97);
    expect(total(findings)).toBe(103);
    expect(findings.resolution_meeting_offered).toBe(6);
    expect(report.checks.find((c) => c.id === 'findings_match_responses')).toMatchObject({ holds: true, detail: '103 = 103' });
    const view = presentAnnualReport(report);
    const table = view.sections.find((s) => s.id === 'findings')?.tables.find((t) => t.caption === 'Stage 1 findings');
    expect(table?.rows.at(-1)).toEqual(['Total', '103', '100.0%']);
    expect(table?.rows.find((r) => r[0]?.startsWith('Resolution meeting'))?.[1]).toBe('6');
  });

  it('seed says compliments fell from 56 to 37, "a decrease of 21" (§3.3): Redress gives 19 fewer (a fall of 33.9%), because 56 − 37 = 19', () => {
    expect(56 - 37).toBe(19);
    expect(html).toContain('Compliments received: 37 compliments, 19 fewer than in 2010/11 (56), a fall of 33.9%.');
  });

  it('seed says the 56 compliments were 2009/10’s in §3.3 but last year’s (2010/11) in §5.4, with 83 two years ago: Redress gives 2010/11 56 and 2009/10 83, as §5.4 and its graph do', () => {
    // §3.3 (line 93): "compared to 56 for 2009/10"; §5.4 (line 126): "from last year's figure of 56 … having reached 83 two years ago".
    expect(f.history.find((y) => y.label === '2010/11')?.compliments).toBe(56);
    expect(f.history.find((y) => y.label === '2009/10')?.compliments).toBe(83);
  });

  it('seed says 150 adverse contacts are "a minor increase on 149 in the year before" (§6.2), but 149 was 2010/11’s complaints and informal complaints alone (§3.1 vii): Redress gives 154 for 2010/11, a fall of 4', () => {
    expect(104 + 45).toBe(149); // §3.1 vii (line 86): "last year this figure was 149" — complaints and informal complaints
    const summary = presentAnnualReport(report).sections.find((s) => s.id === 'summary')?.tables[0];
    expect(summary?.head).toEqual(['Kind', '2011/12', '2010/11']);
    expect(summary?.rows.find((r) => r[0] === 'Adverse contacts (all complaints)')).toEqual(['Adverse contacts (all complaints)', '150', '154']); // 104 + 45 + 5
  });

  it('seed heads its section 3 "OVERVIEW OF ACTIVITY 20010/11" (line 73) over 2011/12 figures: Redress labels every figure by the period it counts, 2011/12', () => {
    expect(f.period.label).toBe('2011/12');
    expect(presentAnnualReport(report).periodText).toBe('1 April 2011 to 31 March 2012');
  });

  it('seed speaks of "more than 31 working days" (§3.2, §10.1) beside a band "between 26 and 30", leaving out 31 itself: Redress’s last band is 31 working days or more', () => {
    expect(timescaleBand(30)).toBe('26-30');
    expect(timescaleBand(31)).toBe('31+');
    expect(TIMESCALE_BAND_LABELS['31+']).toBe('31 working days or more');
    expect(html).toContain('31 working days or more');
  });

  it('seed is dated "June 2012" on its cover (line 11) and "July 2012" at its end (line 345): Redress draws the report up as at one stated date, 30 June 2012, and every "open" and "responded" figure says so', () => {
    const view = presentAnnualReport(report);
    expect(view.asAtText).toBe('30 June 2012');
    expect(html).toContain('3 were still open on 30 June 2012');
  });

  // ---- The Stage 2 investigation carried over from 2010/11 ---------------------------------
  // Imported last: it changes what the tests above see (see the BUG below).

  describe('with the Stage 2 investigation concluded in 2011/12 on a complaint of 2010/11', () => {
    let after: AnnualReport;

    beforeAll(async () => {
      const imported = await container.interchange.importFile(readFileSync(STAGE2_FILE), CLI_ACTOR);
      expect(imported.problems).toEqual([]);
      after = await container.annualReports.report(2011, { asAt: AS_AT });
    });

    it('counts it by the date it was concluded, with its cost', () => {
      // "1 Stage 2 complaint investigation was concluded this year, having been registered at Stage 1 in the previous year" (§3.1 viii, line 87);
      // none requested this year (line 87; §9.4 line 259); "The average cost … is around £3,500" (line 87), recorded as its cost.
      expect(after.figures.children_statutory.stage2).toEqual({ requested: 0, responded: 1, cost_gbp: 3500 });
      // The year's own figures do not move.
      expect(after.figures.children_statutory.received).toBe(111);
      expect(after.figures.adverse_contacts).toBe(150);
      expect(after.checks.filter((c) => !c.holds)).toEqual([]);
    });

    it('seed says the 2010/11 Children Act complaint "progressed to Stage 2 of the Corporate procedures" (§3.1 viii, line 87) yet calls its investigation a Stage 2 complaint investigation (§9.4, line 259): Redress records it as Stage 2 of the Children Act procedure, the only Stage 2 a Children Act complaint has', async () => {
      expect(after.figures.children_statutory.stage2.responded).toBe(1);
      // The interchange file refuses a Stage 2 on a corporate complaint, so it could not be recorded as the seed words it.
      const corporate = readFileSync(STAGE2_FILE, 'utf8').replace('CSC-2010-0093,children_statutory', 'COR-2010-0093,corporate');
      const refused = await container.interchange.importFile(Buffer.from(corporate), CLI_ACTOR, { isDryRun: true });
      expect(refused.problems.map((p) => p.code)).toEqual(['not_for_kind']);
    });

    // A year before Redress may hold a few records (this Stage 2 carried over): the figures
    // entered by hand for it still give its history, not the one record.
    it('keeps 2010/11’s hand-entered totals when one complaint of that year is recorded', () => {
      expect(after.figures.history.at(-1)).toEqual({ label: '2010/11', children_statutory: 104, informal: 45, corporate: 5, compliments: 56 });
    });

    it('shows the Stage 2 investigation and its cost in the report', () => {
      const section = presentAnnualReport(after).sections.find((s) => s.id === 'stage2-stage3');
      const rows = section?.tables.flatMap((t) => t.rows) ?? [];
      expect(rows.find((r) => r[0] === 'Requests received')?.[1]).toBe('0'); // none asked for in 2011/12 (line 87)
      expect(rows.find((r) => r[0] === 'Responses (adjudications) made')?.[1]).toBe('1'); // "1 Stage 2 complaint investigation was concluded this year" (line 87)
      expect(rows.find((r) => r[0] === 'Total')?.[1]).toMatch(/^£3,500(\.00)?$/); // "around £3,500" (line 87)
      // Its timeliness: the seed does not give it, and import writes no Stage 2 clock, so the report says it is not known.
      expect(rows.find((r) => r[0] === 'Time taken not known (imported without its dates)')?.[1]).toBe('1');
      expect(rows.find((r) => r[0] === 'Later than the time allowed')?.[1]).toBe('0');
    });
  });
});
