/**
 * The annual report as sections of sentences and tables, from the figures: what the HTML,
 * DOCX and XLSX renderers show (a section is a heading, paragraphs and tables, each table
 * stating its base). Every sentence is written by the phrasing helpers from the figures, so
 * the words cannot disagree with the tables.
 */
import type { AnnualReport, CountingBasis } from '../../app/annual-report-service.ts';
import type { ReceiptRule } from '../../domain/calendar/counting-rule.ts';
import { TIMESCALE_BANDS, TIMESCALE_BAND_LABELS, reportYearLabel, total } from '../../domain/reports/annual-report.ts';
import { changeFromLastYear, countCell, countInWords, listInWords, noun, percentageCell, quantity, sentence, shareOf, type PhrasingOptions } from '../../domain/reports/report-phrasing.ts';
import { COMPLAINANT_ROLES, COMPLAINANT_ROLE_LABELS } from '../../domain/taxonomies/complainant-roles.ts';
import { CHANNELS, CHANNEL_LABELS } from '../../domain/taxonomies/channels.ts';
import { FINDINGS, FINDING_LABELS } from '../../domain/taxonomies/findings.ts';
import { REMEDIES, REMEDY_LABELS } from '../../domain/taxonomies/remedies.ts';
import { DELAY_REASONS, DELAY_REASON_LABELS } from '../../domain/taxonomies/delay-reasons.ts';
import { COMPLIMENT_SOURCES, COMPLIMENT_SOURCE_LABELS } from '../../domain/taxonomies/compliment-sources.ts';
import { ETHNICITIES, ETHNICITY_LABELS } from '../../domain/taxonomies/ethnicities.ts';
import { issueLabel } from '../../domain/taxonomies/issues.ts';
import { OMBUDSMAN_DECISIONS, OMBUDSMAN_DECISION_LABELS } from '../../domain/taxonomies/ombudsman-decisions.ts';
import { formatPence } from '../../domain/money.ts';
import { SCALE } from '../../domain/questionnaires/questionnaire.ts';

export interface ReportTable {
  readonly caption: string;
  /** The spreadsheet's name for it, where the caption is longer than a sheet name may be (31 characters). */
  readonly sheet?: string;
  /** "Base: 111 complaints received in 2011/12". */
  readonly base: string;
  readonly head: readonly string[];
  /** The first cell of each row is its header; the others are numbers (right-aligned). */
  readonly rows: readonly (readonly string[])[];
}

export interface ReportSection {
  readonly id: string;
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly tables: readonly ReportTable[];
  readonly quotes?: readonly { readonly text: string; readonly attribution: string }[];
}

export interface ReportCheckView {
  readonly rule: string;
  readonly detail: string;
  readonly holds: boolean;
  readonly references: readonly string[];
}

export interface AnnualReportView {
  readonly title: string;
  readonly periodText: string;
  readonly asAtText: string;
  readonly label: string;
  readonly isPublic: boolean;
  readonly isEmpty: boolean;
  readonly sections: readonly ReportSection[];
  readonly checks: readonly ReportCheckView[];
  readonly failingChecks: number;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "30 June 2012" for 2012-06-30. */
export function dateInWords(iso: string): string {
  const [y = '', m = '', d = ''] = iso.split('-');
  return `${String(Number(d))} ${MONTHS[Number(m) - 1] ?? ''} ${y}`;
}

const COMPLAINTS = noun('complaint');

/** Money as the report shows it, always with pence: "£21,020.50", "£3,500.00". */
export function reportAmount(pence: number): string {
  return formatPence(pence, 'full');
}

/** The row of the Ombudsman's remedies that counts payments, with their total (the drill-down links find the row by it). */
export function paymentsRowHeader(paymentsPence: number): string {
  return `Payment asked for (${reportAmount(paymentsPence)} in all)`;
}

export function presentAnnualReport(report: AnnualReport): AnnualReportView {
  const f = report.figures;
  const o: PhrasingOptions = { suppressSmall: report.isPublic };
  const label = f.period.label;
  const cs = f.children_statutory;
  const s1 = cs.stage1;
  const cell = (n: number) => countCell(n, o);
  const pct = (n: number, whole: number) => percentageCell(n, whole, o);
  const receivedBase = `Base: ${quantity(cs.received, COMPLAINTS, o)} received in ${label}`;
  const respondedBase = `Base: ${quantity(s1.responded, COMPLAINTS, o)} responded to at Stage 1 by ${dateInWords(f.period.as_at)}`;

  /** Rows of (label, count, %) for a count map, with a total row. */
  const countRows = (entries: readonly (readonly [string, number])[], whole: number, withTotal = true): string[][] => [
    ...entries.map(([name, n]) => [name, cell(n), pct(n, whole)]),
    ...(withTotal ? [['Total', cell(entries.reduce((sum, [, n]) => sum + n, 0)), pct(entries.reduce((sum, [, n]) => sum + n, 0), whole)]] : []),
  ];
  const byCountDesc = (counts: Readonly<Record<string, number>>): [string, number][] => Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b, 'en-GB'));
  const largest = (entries: readonly (readonly [string, number])[]): string | undefined => {
    const top = [...entries].sort(([, a], [, b]) => b - a)[0];
    return top === undefined || top[1] === 0 ? undefined : top[0];
  };

  const previous = f.history.at(-1);
  const previousYear = previous?.label === reportYearLabel(Number(f.period.from.slice(0, 4)) - 1) ? previous : undefined;
  const prevLabel = previousYear?.label ?? '';
  const sections: ReportSection[] = [];

  // Summary with year-on-year change.
  const summaryRows: [string, number, number | undefined][] = [
    ['Complaints (Children Act 1989 procedure)', cs.received, previousYear?.children_statutory],
    ['Informal complaints', f.informal.received, previousYear?.informal],
    ['Corporate complaints', f.corporate.received, previousYear?.corporate],
    ['Adverse contacts (all complaints)', f.adverse_contacts, previousYear === undefined ? undefined : previousYear.children_statutory + previousYear.informal + previousYear.corporate],
    ['Compliments', f.compliments.received, previousYear?.compliments],
    ['Comments', f.comments.received, undefined],
    ['Complaints about other organisations', f.other_agency.received, undefined],
  ];
  sections.push({
    id: 'summary',
    title: 'Summary',
    paragraphs: [
      sentence(`Complaints under the Children Act 1989 procedure received in ${label}: ${changeFromLastYear(cs.received, previousYear?.children_statutory, prevLabel, COMPLAINTS, o)}`),
      sentence(`They were about ${quantity(cs.young_people, noun('young person', 'young people'), o)}; a contact about several teams counts as one complaint for each team`),
      sentence(`Informal complaints received: ${changeFromLastYear(f.informal.received, previousYear?.informal, prevLabel, noun('informal complaint'), o)}`),
      sentence(`Corporate complaints received: ${changeFromLastYear(f.corporate.received, previousYear?.corporate, prevLabel, noun('corporate complaint'), o)}`),
      sentence(`Together that is ${quantity(f.adverse_contacts, noun('adverse contact'), o)} (complaints, informal and corporate complaints)`),
      sentence(`Compliments received: ${changeFromLastYear(f.compliments.received, previousYear?.compliments, prevLabel, noun('compliment'), o)}`),
    ],
    tables: [
      {
        caption: `Representations received in ${label}`,
        sheet: 'Representations received',
        base: `Base: representations received in ${label}, as at ${dateInWords(f.period.as_at)}`,
        head: previousYear === undefined ? ['Kind', label] : ['Kind', label, prevLabel],
        rows: summaryRows.map(([name, now, before]) => (previousYear === undefined ? [name, cell(now)] : [name, cell(now), before === undefined ? '–' : cell(before)])),
      },
    ],
  });

  // Context, entered by hand.
  const { newReferrals, casesWorked } = report.context;
  const perHundred = casesWorked === null || casesWorked === 0 ? undefined : (cs.received / casesWorked) * 100;
  sections.push({
    id: 'context',
    title: 'Context',
    paragraphs:
      newReferrals === null && casesWorked === null
        ? [`No context figures (new referrals, cases worked) were entered for ${label}.`]
        : [
            ...(newReferrals === null ? [] : [sentence(`Children’s social care received ${quantity(newReferrals, noun('new referral'))} in ${label}`)]),
            ...(casesWorked === null ? [] : [sentence(`It worked with ${quantity(casesWorked, noun('case'))} in the year`)]),
            ...(perHundred === undefined ? [] : [sentence(`That is ${perHundred.toFixed(1)} complaints for every 100 cases worked`)]),
          ],
    tables:
      newReferrals === null && casesWorked === null
        ? []
        : [
            {
              caption: `Children’s social care in ${label}`,
              sheet: 'Children’s social care',
              base: `Base: figures entered for ${label} by the complaints team`,
              head: ['', label],
              rows: [
                ['New referrals', newReferrals === null ? '–' : String(newReferrals)],
                ['Cases worked', casesWorked === null ? '–' : String(casesWorked)],
              ],
            },
          ],
  });

  // Who complained.
  const roleEntries = COMPLAINANT_ROLES.map((r) => [COMPLAINANT_ROLE_LABELS[r], cs.by_complainant_role[r]] as const);
  const topRole = largest(roleEntries);
  sections.push({
    id: 'who-complained',
    title: 'Who complained',
    paragraphs: topRole === undefined ? ['No complaints were received.'] : [sentence(`The most complaints were made by complainants recorded as “${topRole}”: ${shareOf(Math.max(...roleEntries.map(([, n]) => n)), cs.received, 'complaints', o)}`)],
    tables: [{ caption: 'Complaints by who made them', base: receivedBase, head: ['Complainant', 'Complaints', '%'], rows: countRows(roleEntries, cs.received) }],
  });

  // Advocacy.
  sections.push({
    id: 'advocacy',
    title: 'Advocacy',
    paragraphs: [
      sentence(`An advocate was offered on ${quantity(cs.advocacy.offered, COMPLAINTS, o)} and accepted on ${quantity(cs.advocacy.accepted, COMPLAINTS, o)}`),
      'Children and care leavers who complain must be offered an advocate (Children Act 1989 s.26A).',
    ],
    tables: [
      {
        caption: 'Advocacy at Stage 1',
        base: receivedBase,
        head: ['', 'Complaints'],
        rows: [
          ['Advocate offered', cell(cs.advocacy.offered)],
          ['Advocate accepted', cell(cs.advocacy.accepted)],
        ],
      },
    ],
  });

  // Compliments.
  const complimentBase = `Base: ${quantity(f.compliments.received, noun('compliment'), o)} received in ${label}`;
  sections.push({
    id: 'compliments',
    title: 'Compliments',
    paragraphs: [sentence(`Compliments received: ${changeFromLastYear(f.compliments.received, previousYear?.compliments, prevLabel, noun('compliment'), o)}`)],
    tables: [
      { caption: 'Compliments by team', base: complimentBase, head: ['Team', 'Compliments', '%'], rows: countRows(byCountDesc(f.compliments.by_team), f.compliments.received) },
      {
        caption: 'Compliments by who gave them',
        base: complimentBase,
        head: ['Source', 'Compliments', '%'],
        rows: countRows(COMPLIMENT_SOURCES.map((s) => [COMPLIMENT_SOURCE_LABELS[s], f.compliments.by_source[s]] as const), f.compliments.received),
      },
    ],
    quotes: report.quotes.map((q) => ({ text: q.text, attribution: `${q.source === null ? 'Compliment' : COMPLIMENT_SOURCE_LABELS[q.source]}, about ${q.team}` })),
  });

  // Complaints over the last years.
  const years = [...f.history, { label, children_statutory: cs.received, informal: f.informal.received, corporate: f.corporate.received, compliments: f.compliments.received }];
  sections.push({
    id: 'history',
    title: years.length > 1 ? `Complaints over the last ${String(years.length)} years` : 'Complaints this year',
    paragraphs: f.history.length === 0 ? ['There are no records for earlier years.'] : [],
    tables: [
      {
        caption: 'Representations received by year',
        sheet: 'Received by year',
        base: 'Base: representations received in each year (1 April to 31 March)',
        head: ['Year', 'Complaints', 'Informal complaints', 'Corporate complaints', 'Compliments'],
        rows: years.map((y) => [y.label, cell(y.children_statutory), cell(y.informal), cell(y.corporate), cell(y.compliments)]),
      },
    ],
  });

  // Issues.
  const issueEntries = byCountDesc(cs.issues).map(([code, n]) => [issueLabel(code), n] as const);
  const mentions = total(cs.issues);
  sections.push({
    id: 'issues',
    title: 'What complaints were about',
    paragraphs:
      issueEntries.length === 0
        ? ['No issues were recorded.']
        : [sentence(`The issues raised most often were ${listInWords(issueEntries.slice(0, 3).map(([name]) => name.toLowerCase()))}`), 'A complaint can raise several issues, so the mentions add up to more than the complaints.'],
    tables: [
      { caption: 'Issues raised', base: `Base: ${quantity(mentions, noun('mention'), o)} of issues in ${quantity(cs.received, COMPLAINTS, o)} received in ${label}`, head: ['Issue', 'Mentions', '%'], rows: countRows(issueEntries, mentions) },
    ],
  });

  // Informal complaints by team.
  sections.push({
    id: 'informal',
    title: 'Informal complaints by team',
    paragraphs: [sentence(`Informal complaints received: ${changeFromLastYear(f.informal.received, previousYear?.informal, prevLabel, noun('informal complaint'), o)}`)],
    tables: [
      {
        caption: 'Informal complaints by team',
        base: `Base: ${quantity(f.informal.received, noun('informal complaint'), o)} received in ${label}`,
        head: ['Team', 'Informal complaints', '%'],
        rows: countRows(byCountDesc(f.informal.by_team), f.informal.received),
      },
    ],
  });

  // Complaints by team.
  const commissioned = new Set(report.commissionedTeams);
  const teamEntries = byCountDesc(cs.by_team).map(([name, n]) => [commissioned.has(name) ? `${name} (externally commissioned)` : name, n] as const);
  const commissionedCount = Object.entries(cs.by_team).reduce((sum, [name, n]) => sum + (commissioned.has(name) ? n : 0), 0);
  sections.push({
    id: 'teams',
    title: 'Complaints by team',
    paragraphs: [
      'One contact about several teams is counted as one complaint for each team.',
      sentence(`${quantity(commissionedCount, COMPLAINTS, o)} concerned externally commissioned services, for which the council remains responsible`),
    ],
    tables: [{ caption: 'Complaints by team', base: receivedBase, head: ['Team', 'Complaints', '%'], rows: countRows(teamEntries, cs.received) }],
  });

  // How received.
  sections.push({
    id: 'how-received',
    title: 'How complaints were received',
    paragraphs: [sentence(`${shareOf(cs.via_complaints_team, cs.received, 'complaints', o)} came to the complaints team directly`)],
    tables: [{ caption: 'Complaints by how they were received', sheet: 'How complaints were received', base: receivedBase, head: ['How received', 'Complaints', '%'], rows: countRows(CHANNELS.map((c) => [CHANNEL_LABELS[c], cs.by_channel[c]] as const), cs.received) }],
  });

  // Stage 1 outcomes and findings.
  const upheldToSomeExtent = s1.findings.upheld + s1.findings.partially_upheld + s1.findings.service_provided;
  sections.push({
    id: 'findings',
    title: 'Stage 1 outcomes and findings',
    paragraphs: [
      sentence(
        `Of the ${quantity(cs.received, COMPLAINTS, o)} received, ${countInWords(s1.responded, o)} were responded to at Stage 1, ${countInWords(s1.withdrawn, o)} were withdrawn${
          s1.escalated_without_response > 0
            ? `, ${countInWords(s1.escalated_without_response, o)} went to Stage 2 without a Stage 1 response (${countInWords(report.details.escalations.pastDeadline, o)} once Stage 1 was past its deadline, ${countInWords(report.details.escalations.byAgreement, o)} by agreement with the complainant)`
            : ''
        } and ${countInWords(s1.open, o)} were still open on ${dateInWords(f.period.as_at)}`,
      ),
      sentence(`${shareOf(upheldToSomeExtent, s1.responded, 'complaints responded to', o)} were upheld at least in part; ${countInWords(s1.findings.not_upheld, o)} were not upheld`),
      sentence(`The time to respond was extended on ${quantity(s1.extended, COMPLAINTS, o)}`),
    ],
    tables: [
      {
        caption: 'Stage 1 outcomes',
        base: receivedBase,
        head: ['Outcome', 'Complaints', '%'],
        rows: countRows(
          [
            ['Responded to', s1.responded],
            ['Withdrawn', s1.withdrawn],
            ['Escalated to Stage 2 without a response', s1.escalated_without_response],
            ['Open', s1.open],
          ],
          cs.received,
        ),
      },
      { caption: 'Stage 1 findings', base: respondedBase, head: ['Finding', 'Complaints', '%'], rows: countRows(FINDINGS.map((c) => [FINDING_LABELS[c], s1.findings[c]] as const), s1.responded) },
    ],
  });

  // Remedies.
  sections.push({
    id: 'remedies',
    title: 'How complaints were put right',
    paragraphs: ['A complaint can have several remedies, so the remedies add up to more than the complaints.'],
    tables: [
      {
        caption: 'Remedies',
        base: `Base: ${quantity(total(s1.remedies), noun('remedy', 'remedies'), o)} recorded on ${quantity(s1.responded, COMPLAINTS, o)} responded to`,
        head: ['Remedy', 'Mentions', '%'],
        rows: countRows(REMEDIES.map((c) => [REMEDY_LABELS[c], s1.remedies[c]] as const), total(s1.remedies)),
      },
    ],
  });

  // Timescales and reasons for delay.
  const timed = total(s1.timescales);
  const within20 = s1.timescales['0-10'] + s1.timescales['11-20'];
  sections.push({
    id: 'timescales',
    title: 'Timescales and reasons for delay',
    paragraphs: [
      sentence(`${shareOf(s1.timescales['0-10'], timed, 'complaints responded to', o)} were answered within 10 working days, and ${shareOf(within20, timed, 'complaints', o)} within 20 working days, the longest the procedure allows with an extension`),
      countingBasisText(report.counting, o),
    ],
    tables: [
      {
        caption: 'Working days taken to respond at Stage 1',
        sheet: 'Stage 1 working days taken',
        base: `Base: ${quantity(timed, COMPLAINTS, o)} responded to at Stage 1 by ${dateInWords(f.period.as_at)}, withdrawn complaints excluded`,
        head: ['Working days taken', 'Complaints', '%'],
        rows: countRows(TIMESCALE_BANDS.map((b) => [TIMESCALE_BAND_LABELS[b], s1.timescales[b]] as const), timed),
      },
      {
        caption: 'Reasons for delay',
        base: `Base: ${quantity(total(s1.delay_reasons), noun('reason'), o)} recorded on late responses (a response can have several)`,
        head: ['Reason', 'Mentions', '%'],
        rows: countRows(DELAY_REASONS.map((c) => [DELAY_REASON_LABELS[c], s1.delay_reasons[c]] as const), total(s1.delay_reasons)),
      },
    ],
  });

  // Ethnicity.
  const recorded = total(cs.by_ethnicity);
  const ethnicityEntries = ETHNICITIES.filter((c) => cs.by_ethnicity[c] > 0).map((c) => [ETHNICITY_LABELS[c], cs.by_ethnicity[c]] as const);
  sections.push({
    id: 'ethnicity',
    title: 'Ethnicity of the young people',
    paragraphs: [sentence(`An ethnicity was recorded for ${shareOf(recorded, cs.young_people, 'young people', o)}`)],
    tables: [
      {
        caption: 'Young people by ethnicity',
        base: `Base: ${quantity(cs.young_people, noun('young person', 'young people'), o)} the complaints received in ${label} were about`,
        head: ['Ethnicity', 'Young people', '%'],
        rows: [...countRows(ethnicityEntries, cs.young_people, false), ['Not recorded', cell(Math.max(0, cs.young_people - recorded)), pct(Math.max(0, cs.young_people - recorded), cs.young_people)]],
      },
    ],
  });

  // Stages 2 and 3, counted by the date of each event.
  const { stage2: s2, stage3: s3, ombudsman: od } = report.details;
  const cs2 = cs.stage2;
  const cs3 = cs.stage3;
  const costs = s2.costPence;
  const anyLater = cs2.requested + cs2.responded + cs3.requested + cs3.panels_held + s3.recommendations + s3.responses > 0;
  sections.push({
    id: 'stage2-stage3',
    title: 'Stage 2 and Stage 3',
    paragraphs: anyLater
      ? [
          sentence(
            `${quantity(cs2.requested, noun('Stage 2 investigation'), o)} ${cs2.requested === 1 ? 'was' : 'were'} asked for in ${label} and ${quantity(cs2.responded, noun('adjudication'), o)} made; ${countInWords(s2.inTime, o)} within 25 working days and ${countInWords(s2.inExtendedTime, o)} within an extended time of up to 65 working days`,
          ),
          ...(cs2.responded === 0 ? [] : [sentence(`The Stage 2 investigations responded to cost ${reportAmount(costs.investigator + costs.independentPerson + costs.other)} in all`)]),
          cs3.requested + cs3.panels_held === 0
            ? 'No Stage 3 review panel was asked for or held.'
            : sentence(`${quantity(cs3.requested, noun('review panel'), o)} ${cs3.requested === 1 ? 'was' : 'were'} asked for and ${countInWords(cs3.panels_held, o)} held`),
        ]
      : [`No Stage 2 investigations or Stage 3 review panels were asked for or completed in ${label}.`],
    tables: anyLater
      ? [
          {
            caption: 'Stage 2 investigations',
            base: `Base: Stage 2 requests received and responses made in ${label}, whenever the complaint was received`,
            head: ['', 'Investigations', '%'],
            rows: [
              ['Requests received', cell(cs2.requested), '–'],
              ['Responses (adjudications) made', cell(cs2.responded), '–'],
              ['Within 25 working days', cell(s2.inTime), pct(s2.inTime, cs2.responded)],
              ['Extended, within the time allowed (up to 65 working days)', cell(s2.inExtendedTime), pct(s2.inExtendedTime, cs2.responded)],
              ['Later than the time allowed', cell(s2.late), pct(s2.late, cs2.responded)],
              ...(s2.notKnown === 0 ? [] : [['Time taken not known (imported without its dates)', cell(s2.notKnown), pct(s2.notKnown, cs2.responded)]]),
            ],
          },
          {
            caption: 'Cost of Stage 2 investigations',
            base: `Base: ${quantity(cs2.responded, noun('Stage 2 investigation'), o)} responded to in ${label}`,
            head: ['Cost', 'Amount'],
            rows: [
              ['Investigating officers', reportAmount(costs.investigator)],
              ['Independent Persons', reportAmount(costs.independentPerson)],
              ['Other', reportAmount(costs.other)],
              ['Total', reportAmount(costs.investigator + costs.independentPerson + costs.other)],
            ],
          },
          {
            caption: 'Stage 3 review panels',
            base: `Base: Stage 3 events dated in ${label}, whenever the complaint was received`,
            head: ['', 'Panels', 'In time'],
            rows: [
              ['Requests received', cell(cs3.requested), '–'],
              ['Panels held (due within 30 working days of the request)', cell(cs3.panels_held), cell(s3.panelsInTime)],
              ['Recommendations received (due within 5 working days of the panel)', cell(s3.recommendations), cell(s3.recommendationsInTime)],
              ['Council responses (due within 15 working days of the recommendations)', cell(s3.responses), cell(s3.responsesInTime)],
            ],
          },
        ]
      : [],
  });

  const ombudsman = f.ombudsman;
  const decided = total(ombudsman.decisions);
  sections.push({
    id: 'ombudsman',
    title: 'The Local Government and Social Care Ombudsman',
    paragraphs:
      ombudsman.enquiries === 0
        ? [`The Ombudsman made no enquiries in ${label}.`]
        : [
            sentence(
              `The Ombudsman made ${quantity(ombudsman.enquiries, noun('enquiry', 'enquiries'), o)} in ${label} (about complaints of any year); ${countInWords(decided, o)} had been decided by ${dateInWords(f.period.as_at)}, ${countInWords(ombudsman.decisions.upheld, o)} of them upheld`,
            ),
          ],
    tables:
      ombudsman.enquiries === 0
        ? []
        : [
            {
              caption: 'Ombudsman decisions',
              base: `Base: ${quantity(ombudsman.enquiries, noun('enquiry', 'enquiries'), o)} received in ${label}`,
              head: ['Decision', 'Enquiries', '%'],
              rows: countRows(
                [...OMBUDSMAN_DECISIONS.map((c) => [OMBUDSMAN_DECISION_LABELS[c], ombudsman.decisions[c]] as const), ['Not decided yet', ombudsman.enquiries - decided] as const],
                ombudsman.enquiries,
              ),
            },
            ...(decided === 0
              ? []
              : [
                  {
                    caption: 'What the Ombudsman found and asked for',
                    sheet: 'Ombudsman findings and remedies',
                    base: `Base: ${quantity(decided, noun('decision'), o)} by ${dateInWords(f.period.as_at)} on enquiries received in ${label}`,
                    head: ['', 'Decisions', '%'],
                    rows: [
                      ['Fault found', cell(od.fault), pct(od.fault, decided)],
                      ['Injustice found', cell(od.injustice), pct(od.injustice, decided)],
                      ['Apology asked for', cell(od.apologies), pct(od.apologies, decided)],
                      [paymentsRowHeader(od.paymentsPence), cell(od.payments), pct(od.payments, decided)],
                      ['Service improvements asked for', cell(od.serviceImprovements), pct(od.serviceImprovements, decided)],
                    ],
                  },
                  {
                    caption: 'Compliance with the Ombudsman’s remedies',
                    sheet: 'Ombudsman remedies complied',
                    base: `Base: ${quantity(od.complianceDue, noun('decision'), o)} with a date to comply by`,
                    head: ['', 'Decisions', '%'],
                    rows: countRows(
                      [
                        ['Complied with in time', od.compliedInTime],
                        ['Complied with late', od.compliedLate],
                        [`Past the due date, not complied with by ${dateInWords(f.period.as_at)}`, od.complianceOutstanding],
                        [`Not yet due on ${dateInWords(f.period.as_at)}`, od.complianceNotYetDue],
                      ],
                      od.complianceDue,
                    ),
                  },
                ]),
          ],
  });

  // Learning from complaints.
  const learning = report.learning;
  sections.push({
    id: 'learning',
    title: 'Learning from complaints',
    paragraphs:
      learning.total === 0
        ? [`No learning actions were recorded for lessons identified in ${label}.`]
        : [
            sentence(
              `${quantity(learning.total, noun('action'), o)} came from the lessons identified in ${label}: ${countInWords(learning.done, o)} done, ${countInWords(learning.open, o)} still open (${countInWords(learning.overdue, o)} of them overdue) and ${countInWords(learning.cancelled, o)} cancelled by ${dateInWords(f.period.as_at)}`,
            ),
          ],
    tables:
      learning.total === 0
        ? []
        : [
            {
              caption: 'Learning actions by status',
              base: `Base: ${quantity(learning.total, noun('action'), o)} of lessons identified in ${label}, as at ${dateInWords(f.period.as_at)}`,
              head: ['Status', 'Actions', '%'],
              rows: [
                ...countRows(
                  [
                    ['Done', learning.done],
                    ['Open', learning.open],
                    ['Cancelled', learning.cancelled],
                  ],
                  learning.total,
                ),
                ['Of the open actions: overdue', cell(learning.overdue), pct(learning.overdue, learning.total)],
              ],
            },
          ],
  });

  // Questionnaire results.
  const q = report.questionnaires;
  sections.push({
    id: 'questionnaires',
    title: 'What complainants told us afterwards',
    paragraphs:
      q.sent === 0
        ? [`No satisfaction questionnaires were sent in ${label}.`]
        : [sentence(`${quantity(q.sent, noun('questionnaire'), o)} ${q.sent === 1 ? 'was' : 'were'} sent after complaints were closed and ${countInWords(q.answered, o)} answered (${pct(q.answered, q.sent)})`)],
    tables:
      q.answered === 0
        ? []
        : q.questions.map((question, index) => ({
            caption: question.text,
            sheet: `Questionnaire question ${String(index + 1)}`,
            base: `Base: ${quantity(q.answered, noun('questionnaire'), o)} answered, of those sent in ${label}`,
            head: ['Answer', 'People', '%'],
            rows: countRows(
              SCALE.map((point) => [question.labels[point], question.counts[point]] as const),
              q.answered,
            ),
          })),
  });

  const checks = report.checks.map((c) => ({ rule: c.rule, detail: c.detail, holds: c.holds, references: report.isPublic ? [] : (c.references ?? []) }));
  return {
    title: `Complaints, comments and compliments about children’s social care: annual report ${label}`,
    periodText: `1 April ${f.period.from.slice(0, 4)} to 31 March ${f.period.to.slice(0, 4)}`,
    asAtText: dateInWords(f.period.as_at),
    label,
    isPublic: report.isPublic,
    isEmpty: report.isEmpty,
    sections,
    checks,
    failingChecks: checks.filter((c) => !c.holds).length,
  };
}


/** How the working days were counted, in words: the receipt rule in force and any other the year's complaints kept, and the corporate pause policy. */
function countingBasisText(counting: CountingBasis, o: PhrasingOptions): string {
  const rules: Readonly<Record<ReceiptRule, string>> = {
    statutory: 'from the day the complaint was received, whatever day that was',
    next_working_day: 'from the day the complaint was received or, for one received on a weekend or bank holiday, from the next working day',
  };
  const others = counting.receiptRulesCounted.filter((rule) => rule !== counting.receiptRule);
  const kept = others.map((rule) => ` Complaints received under the council’s earlier rule keep it: their days are counted ${rules[rule]}.`).join('');
  const pauses =
    counting.corporateMaxPausedWorkingDays === undefined
      ? ' No time limit is paused: a complaint put on hold still counts every working day.'
      : ` The Children Act time limits are never paused; under the council’s policy a corporate complaint’s time limit may be paused for up to ${String(counting.corporateMaxPausedWorkingDays)} working days.`;
  const held =
    counting.respondedAfterHold > 0
      ? ` ${countInWords(counting.respondedAfterHold, o)} of the complaints responded to had been put on hold at Stage 1; the hold did not stop the time limit.`
      : '';
  return `Working days are counted ${rules[counting.receiptRule]}, to the day of the response; weekends and bank holidays are not counted, and a response dated on one counts as made on the next working day.${kept}${pauses}${held} Withdrawn complaints are not included.`;
}
