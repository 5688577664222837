/**
 * Links from the annual report's figures to the records behind them, for the staff page
 * only: each count of a table (by caption and row header, as the presenter writes them)
 * links to the list of exactly the records the figure counted, counted the same way:
 *
 * - representations (who complained, how, teams, issues, advocacy, Stage 1 outcomes, findings,
 *   remedies, reasons for delay, this year's row of the years table): the case list, all queues, the
 *   kind, received in the year up to the as-at date, and the figure's own condition;
 * - Stage 1 timescale bands: the same, with the band (worked out with the calendar by the
 *   case query service);
 * - Stage 2 and Stage 3 tables: the case list filtered to the event dated in the year (up to
 *   the as-at date) and its timeliness, whenever the complaint was received;
 * - the Ombudsman tables: the Ombudsman register filtered to the enquiries received in the
 *   year and the decision, finding or compliance as at the as-at date;
 * - learning actions: the learning actions list, of lessons identified in the year, by status
 *   (overdue as at the as-at date).
 *
 * Not linked: the Total rows; context figures (entered by hand); earlier years' rows of the
 * years table and the summary's previous-year column (possibly entered by hand); adverse
 * contacts (three kinds together); money amounts and percentages; young people
 * (people, not complaints: by ethnicity too); questionnaire answers (anonymous). Downloads and
 * public versions never have links.
 */
import type { AnnualReport } from '../../app/annual-report-service.ts';
import type { FigureFilter, LaterStageEvent, LaterStageFigure } from '../../db/case-read-repository.ts';
import type { EnquiryFilter } from '../../db/ombudsman-repository.ts';
import type { ActionFilters } from '../../db/learning-repository.ts';
import { TIMESCALE_BANDS, TIMESCALE_BAND_LABELS, total } from '../../domain/reports/annual-report.ts';
import { OMBUDSMAN_DECISIONS, OMBUDSMAN_DECISION_LABELS } from '../../domain/taxonomies/ombudsman-decisions.ts';
import { dateInWords, paymentsRowHeader } from '../../reports/annual/annual-report-presenter.ts';
import { enquiryFilterQuery } from '../ombudsman/ombudsman-register-filter.ts';
import { actionFiltersQuery } from '../learning/learning-routes.ts';
import { COMPLAINANT_ROLES, COMPLAINANT_ROLE_LABELS } from '../../domain/taxonomies/complainant-roles.ts';
import { CHANNELS, CHANNEL_LABELS } from '../../domain/taxonomies/channels.ts';
import { FINDINGS, FINDING_LABELS } from '../../domain/taxonomies/findings.ts';
import { REMEDIES, REMEDY_LABELS } from '../../domain/taxonomies/remedies.ts';
import { DELAY_REASONS, DELAY_REASON_LABELS } from '../../domain/taxonomies/delay-reasons.ts';
import { COMPLIMENT_SOURCES, COMPLIMENT_SOURCE_LABELS } from '../../domain/taxonomies/compliment-sources.ts';
import { issueLabel } from '../../domain/taxonomies/issues.ts';
import type { RepresentationKind } from '../../domain/taxonomies/representation-kinds.ts';
import type { FigureLinks } from '../../reports/annual/annual-html-renderer.ts';
import { figureFilterQuery } from '../cases/case-figure-filter.ts';
import { paths } from '../paths.ts';

interface Link {
  readonly kind: RepresentationKind;
  readonly teamId?: number;
  readonly figure?: Omit<FigureFilter, 'receivedFrom' | 'receivedTo'>;
  /** Counted by the date of a later-stage event, whenever received: no received dates. */
  readonly isByEvent?: boolean;
}

/** The links, by table caption, row header and column. Teams are found by name (`teams`). */
export function annualReportLinks(report: AnnualReport, teams: readonly { readonly id: number; readonly name: string }[]): FigureLinks {
  const f = report.figures;
  if (report.isPublic) return {};
  const { period } = f;
  const upTo = period.as_at < period.to ? period.as_at : period.to;
  const asAt = period.as_at;
  const href = (link: Link): string =>
    paths.cases.url({
      queue: 'all',
      kind: link.kind,
      ...(link.teamId === undefined ? {} : { team: String(link.teamId) }),
      ...figureFilterQuery(link.isByEvent === true ? link.figure : { ...link.figure, receivedFrom: period.from, receivedTo: upTo }),
    });
  const links: Record<string, Record<string, Record<number, string>>> = {};
  /** Links column `column` of the row `row` of table `caption` to `url`, when the count is not 0. */
  const addUrl = (caption: string, row: string, count: number, url: string, column = 1): void => {
    if (count <= 0) return;
    links[caption] ??= {};
    (links[caption][row] ??= {})[column] = url;
  };
  /** Links column 1 of the row `row` of table `caption` to the case list, when the count is not 0. */
  const add = (caption: string, row: string, count: number, link: Link, column = 1): void => {
    addUrl(caption, row, count, href(link), column);
  };
  const teamId = (name: string): number | undefined => teams.find((t) => t.name === name)?.id;
  const byTeam = (caption: string, kind: RepresentationKind, counts: Readonly<Record<string, number>>, label: (name: string) => string = (n) => n): void => {
    for (const [name, n] of Object.entries(counts)) {
      const id = teamId(name);
      if (id !== undefined) add(caption, label(name), n, { kind, teamId: id });
    }
  };

  const cs = f.children_statutory;
  const s1 = cs.stage1;
  const statutory = 'children_statutory';
  const responded = { outcome: 'responded', asAt } as const;

  const summary = `Representations received in ${period.label}`;
  add(summary, 'Complaints (Children Act 1989 procedure)', cs.received, { kind: statutory });
  add(summary, 'Informal complaints', f.informal.received, { kind: 'informal' });
  add(summary, 'Corporate complaints', f.corporate.received, { kind: 'corporate' });
  add(summary, 'Compliments', f.compliments.received, { kind: 'compliment' });
  add(summary, 'Comments', f.comments.received, { kind: 'comment' });
  add(summary, 'Complaints about other organisations', f.other_agency.received, { kind: 'other_agency' });

  const years = 'Representations received by year';
  add(years, period.label, cs.received, { kind: statutory }, 1);
  add(years, period.label, f.informal.received, { kind: 'informal' }, 2);
  add(years, period.label, f.corporate.received, { kind: 'corporate' }, 3);
  add(years, period.label, f.compliments.received, { kind: 'compliment' }, 4);

  for (const role of COMPLAINANT_ROLES) add('Complaints by who made them', COMPLAINANT_ROLE_LABELS[role], cs.by_complainant_role[role], { kind: statutory, figure: { field: { name: 'complainant_role', value: role } } });
  for (const channel of CHANNELS) add('Complaints by how they were received', CHANNEL_LABELS[channel], cs.by_channel[channel], { kind: statutory, figure: { field: { name: 'channel', value: channel } } });
  for (const [code, n] of Object.entries(cs.issues)) add('Issues raised', issueLabel(code), n, { kind: statutory, figure: { code: { list: 'issue', code } } });
  const commissioned = new Set(report.commissionedTeams);
  byTeam('Complaints by team', statutory, cs.by_team, (name) => (commissioned.has(name) ? `${name} (externally commissioned)` : name));
  byTeam('Informal complaints by team', 'informal', f.informal.by_team);
  byTeam('Compliments by team', 'compliment', f.compliments.by_team);
  for (const source of COMPLIMENT_SOURCES) add('Compliments by who gave them', COMPLIMENT_SOURCE_LABELS[source], f.compliments.by_source[source], { kind: 'compliment', figure: { field: { name: 'compliment_source', value: source } } });

  add('Advocacy at Stage 1', 'Advocate offered', cs.advocacy.offered, { kind: statutory, figure: { advocacy: { outcome: 'offered', asAt } } });
  add('Advocacy at Stage 1', 'Advocate accepted', cs.advocacy.accepted, { kind: statutory, figure: { advocacy: { outcome: 'accepted', asAt } } });
  add('Stage 1 outcomes', 'Responded to', s1.responded, { kind: statutory, figure: { stage1: responded } });
  add('Stage 1 outcomes', 'Withdrawn', s1.withdrawn, { kind: statutory, figure: { stage1: { outcome: 'withdrawn', asAt } } });
  add('Stage 1 outcomes', 'Escalated without a response', s1.escalated_without_response, { kind: statutory, figure: { stage1: { outcome: 'escalated', asAt } } });
  add('Stage 1 outcomes', 'Open', s1.open, { kind: statutory, figure: { stage1: { outcome: 'open', asAt } } });
  for (const finding of FINDINGS) add('Stage 1 findings', FINDING_LABELS[finding], s1.findings[finding], { kind: statutory, figure: { stage1: responded, field: { name: 'finding', value: finding } } });
  for (const remedy of REMEDIES) add('Remedies', REMEDY_LABELS[remedy], s1.remedies[remedy], { kind: statutory, figure: { stage1: responded, code: { list: 'remedy', code: remedy } } });
  for (const reason of DELAY_REASONS) add('Reasons for delay', DELAY_REASON_LABELS[reason], s1.delay_reasons[reason], { kind: statutory, figure: { stage1: responded, code: { list: 'delay_reason', code: reason } } });
  for (const band of TIMESCALE_BANDS) add('Working days taken to respond at Stage 1', TIMESCALE_BAND_LABELS[band], s1.timescales[band], { kind: statutory, figure: { band: { band, asAt } } });

  // Stages 2 and 3: events dated in the year (up to the as-at date), whenever the complaint was received.
  const { stage2: s2, stage3: s3, ombudsman: od } = report.details;
  const event = (caption: string, row: string, count: number, laterStage: Omit<LaterStageFigure, 'from' | 'to'>, column = 1): void => {
    add(caption, row, count, { kind: statutory, isByEvent: true, figure: { laterStage: { ...laterStage, from: period.from, to: upTo } } }, column);
  };
  const stage2 = 'Stage 2 investigations';
  event(stage2, 'Requests received', cs.stage2.requested, { event: 'stage2_requested' });
  event(stage2, 'Responses (adjudications) made', cs.stage2.responded, { event: 'stage2_responded' });
  event(stage2, 'Within 25 working days', s2.inTime, { event: 'stage2_responded', timing: 'in_time' });
  event(stage2, 'Extended, within the time allowed (up to 65 working days)', s2.inExtendedTime, { event: 'stage2_responded', timing: 'extended' });
  event(stage2, 'Later than the time allowed', s2.late, { event: 'stage2_responded', timing: 'late' });
  event(stage2, 'Time taken not known (imported without its dates)', s2.notKnown, { event: 'stage2_responded', timing: 'not_known' });
  const stage3 = 'Stage 3 review panels';
  const steps: readonly (readonly [string, LaterStageEvent, number, number])[] = [
    ['Panels held (due within 30 working days of the request)', 'stage3_panel', cs.stage3.panels_held, s3.panelsInTime],
    ['Recommendations received (due within 5 working days of the panel)', 'stage3_recommendations', s3.recommendations, s3.recommendationsInTime],
    ['Council responses (due within 15 working days of the recommendations)', 'stage3_response', s3.responses, s3.responsesInTime],
  ];
  event(stage3, 'Requests received', cs.stage3.requested, { event: 'stage3_requested' });
  for (const [row, stage, all, inTime] of steps) {
    event(stage3, row, all, { event: stage });
    event(stage3, row, inTime, { event: stage, timing: 'in_time' }, 2);
  }

  // The Ombudsman: enquiries received in the year (up to the as-at date), decisions and compliance as at the as-at date.
  const enquiries = (filter: Omit<EnquiryFilter, 'receivedFrom' | 'receivedTo' | 'asAt'>): string =>
    paths.ombudsman.url(enquiryFilterQuery({ receivedFrom: period.from, receivedTo: upTo, asAt, ...filter }));
  const decisions = 'Ombudsman decisions';
  for (const decision of OMBUDSMAN_DECISIONS) addUrl(decisions, OMBUDSMAN_DECISION_LABELS[decision], f.ombudsman.decisions[decision], enquiries({ decision }));
  addUrl(decisions, 'Not decided yet', f.ombudsman.enquiries - total(f.ombudsman.decisions), enquiries({ decision: 'none' }));
  const found = 'What the Ombudsman found and asked for';
  addUrl(found, 'Fault found', od.fault, enquiries({ found: 'fault' }));
  addUrl(found, 'Injustice found', od.injustice, enquiries({ found: 'injustice' }));
  addUrl(found, 'Apology asked for', od.apologies, enquiries({ found: 'apology' }));
  addUrl(found, paymentsRowHeader(od.paymentsPence), od.payments, enquiries({ found: 'payment' }));
  addUrl(found, 'Service improvements asked for', od.serviceImprovements, enquiries({ found: 'service_improvements' }));
  const compliance = 'Compliance with the Ombudsman’s remedies';
  addUrl(compliance, 'Complied with in time', od.compliedInTime, enquiries({ compliance: 'in_time' }));
  addUrl(compliance, 'Complied with late', od.compliedLate, enquiries({ compliance: 'late' }));
  addUrl(compliance, `Past the due date, not complied with by ${dateInWords(asAt)}`, od.complianceOutstanding, enquiries({ compliance: 'outstanding' }));
  addUrl(compliance, `Not yet due on ${dateInWords(asAt)}`, od.complianceNotYetDue, enquiries({ compliance: 'not_yet_due' }));

  // Learning actions of the lessons identified in the year (up to the as-at date), by their status.
  const learning = report.learning;
  const actions = (filters: ActionFilters): string => paths.learningActions.url(actionFiltersQuery({ identifiedFrom: period.from, identifiedTo: upTo, ...filters }));
  const byStatus = 'Learning actions by status';
  addUrl(byStatus, 'Done', learning.done, actions({ status: 'done' }));
  addUrl(byStatus, 'Open', learning.open, actions({ status: 'open' }));
  addUrl(byStatus, 'Cancelled', learning.cancelled, actions({ status: 'cancelled' }));
  addUrl(byStatus, 'Of the open actions: overdue', learning.overdue, actions({ overdueBefore: learning.asAt }));
  return links;
}
