/**
 * Links from the annual report's figures to the records behind them, for the staff page
 * only: each count of a table (by caption and row header, as the presenter writes them)
 * links to the case list filtered to exactly the records the figure counted — all queues,
 * the kind, received in the year up to the as-at date, and the figure's own condition (team,
 * how received, finding, issue…). Counts of distinct young people, timescale bands (worked
 * out with the calendar, not a column), the Ombudsman's and earlier years' (possibly entered
 * by hand) are not linked, nor the Stage 2/3, learning and questionnaire tables (counted by
 * event dates: their records are on the Ombudsman register, the learning log and the
 * questionnaire results). Downloads and public versions never have links.
 */
import type { AnnualReport } from '../../app/annual-report-service.ts';
import type { FigureFilter } from '../../db/case-read-repository.ts';
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
      ...figureFilterQuery({ ...link.figure, receivedFrom: period.from, receivedTo: upTo }),
    });
  const links: Record<string, Record<string, Record<number, string>>> = {};
  /** Links column 1 of the row `row` of table `caption`, when the count is not 0. */
  const add = (caption: string, row: string, count: number, link: Link, column = 1): void => {
    if (count <= 0) return;
    links[caption] ??= {};
    (links[caption][row] ??= {})[column] = href(link);
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

  add('Stage 1 outcomes', 'Responded to', s1.responded, { kind: statutory, figure: { stage1: responded } });
  add('Stage 1 outcomes', 'Withdrawn', s1.withdrawn, { kind: statutory, figure: { stage1: { outcome: 'withdrawn', asAt } } });
  add('Stage 1 outcomes', 'Open', s1.open, { kind: statutory, figure: { stage1: { outcome: 'open', asAt } } });
  for (const finding of FINDINGS) add('Stage 1 findings', FINDING_LABELS[finding], s1.findings[finding], { kind: statutory, figure: { stage1: responded, field: { name: 'finding', value: finding } } });
  for (const remedy of REMEDIES) add('Remedies', REMEDY_LABELS[remedy], s1.remedies[remedy], { kind: statutory, figure: { stage1: responded, code: { list: 'remedy', code: remedy } } });
  for (const reason of DELAY_REASONS) add('Reasons for delay', DELAY_REASON_LABELS[reason], s1.delay_reasons[reason], { kind: statutory, figure: { stage1: responded, code: { list: 'delay_reason', code: reason } } });
  return links;
}
