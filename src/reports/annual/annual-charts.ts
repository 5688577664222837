/**
 * The annual report's charts: Vega-Lite specs built from the figures, compiled with
 * vega-lite and drawn to SVG by vega's headless View (no canvas, no browser), so the same
 * figures always give the same picture. Each chart says in words what it shows (its
 * description: the SVG's <title> and aria-label, the DOCX image's alt text); the table
 * beside it stays the real data.
 *
 * Public versions hide counts from 1 to 4: such a bar is not drawn, and its
 * label reads "<5" — the same `countCell`/`isSmallCount` rule the tables use.
 */
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import { escapeHtml } from '../html-escape.ts';
import type { AnnualReport } from '../../app/annual-report-service.ts';
import { TIMESCALE_BANDS, TIMESCALE_BAND_LABELS, type AnnualReportFigures } from '../../domain/reports/annual-report.ts';
import { countCell, isSmallCount, listInWords, type PhrasingOptions } from '../../domain/reports/report-phrasing.ts';
import { CHANNELS, CHANNEL_LABELS } from '../../domain/taxonomies/channels.ts';
import { FINDINGS, FINDING_LABELS } from '../../domain/taxonomies/findings.ts';

/** The section (of the presenter's view) a chart belongs to. */
export type ChartSection = 'history' | 'timescales' | 'findings' | 'how-received' | 'teams';

export interface ChartDatum {
  readonly category: string;
  /** The series, for a grouped chart (the kind of representation, by year). */
  readonly series?: string;
  readonly value: number;
}

export interface AnnualChart {
  readonly section: ChartSection;
  /** Short name: "Complaints by how they were received". */
  readonly title: string;
  /** What the chart shows, in words (alt text). */
  readonly description: string;
  readonly spec: TopLevelSpec;
}

/** Fonts named in the charts: resvg is given a real font file for "sans-serif" (chart-png.ts). */
export const CHART_FONT = 'Arial, Helvetica, sans-serif';
const WIDTH = 560;
const BAR_COLOUR = '#1d70b8';
const SERIES_COLOURS = ['#1d70b8', '#f47738', '#4c2c92', '#00703c'];

const CONFIG = {
  font: CHART_FONT,
  background: 'white',
  aria: false,
  mark: { aria: false },
  view: { stroke: null },
  axis: { labelFontSize: 12, titleFontSize: 12, labelColor: '#0b0c0c', titleColor: '#0b0c0c', gridColor: '#e5e5e5' },
  legend: { labelFontSize: 12, titleFontSize: 12, orient: 'bottom', labelLimit: 0, columns: 2 },
  title: { fontSize: 14, anchor: 'start', color: '#0b0c0c' },
} as const;

interface Row {
  readonly category: string;
  readonly series?: string;
  /** The bar's length: 0 for a suppressed count. */
  readonly value: number;
  /** The label at the bar's end: the count, or "<5". */
  readonly label: string;
}

function rows(data: readonly ChartDatum[], o: PhrasingOptions): Row[] {
  return data.map((d) => ({
    category: d.category,
    ...(d.series === undefined ? {} : { series: d.series }),
    value: o.suppressSmall === true && isSmallCount(d.value) ? 0 : d.value,
    label: countCell(d.value, o),
  }));
}

/** A horizontal bar chart, one bar a category, each labelled with its count. */
function barSpec(title: string, description: string, axisTitle: string, data: readonly ChartDatum[], o: PhrasingOptions): TopLevelSpec {
  const values = rows(data, o);
  const y = { field: 'category', type: 'nominal', title: null, sort: values.map((v) => v.category), axis: { labelLimit: 220 } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    description,
    width: WIDTH - 260,
    height: { step: 24 },
    config: CONFIG,
    data: { values },
    encoding: { y, x: { field: 'value', type: 'quantitative', title: axisTitle, axis: { tickMinStep: 1, format: 'd' } } },
    layer: [
      { mark: { type: 'bar', color: BAR_COLOUR } },
      { mark: { type: 'text', align: 'left', dx: 4, color: '#0b0c0c', fontSize: 12 }, encoding: { text: { field: 'label' } } },
    ],
  };
}

/** Grouped vertical bars: one group a category (a year), one bar a series (a kind). */
function groupedSpec(title: string, description: string, axisTitle: string, data: readonly ChartDatum[], series: readonly string[], o: PhrasingOptions): TopLevelSpec {
  const values = rows(data, o);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    description,
    width: WIDTH - 80,
    height: 220,
    config: CONFIG,
    data: { values },
    encoding: {
      x: { field: 'category', type: 'ordinal', title: 'Year', sort: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'series', type: 'nominal', sort: [...series] },
      y: { field: 'value', type: 'quantitative', title: axisTitle, axis: { tickMinStep: 1, format: 'd' } },
      color: { field: 'series', type: 'nominal', title: null, sort: [...series], scale: { domain: [...series], range: SERIES_COLOURS.slice(0, series.length) } },
    },
    layer: [{ mark: { type: 'bar' } }, { mark: { type: 'text', baseline: 'bottom', dy: -2, fontSize: 10, color: '#0b0c0c' }, encoding: { text: { field: 'label' } } }],
  };
}

/** "Email 2, Telephone 1 and Online 0": a chart's figures in words, for its alt text. */
function inWords(data: readonly ChartDatum[], o: PhrasingOptions): string {
  return listInWords(data.map((d) => `${d.series === undefined ? '' : `${d.series} `}${d.category}: ${countCell(d.value, o)}`));
}

/** The report's charts, in the order of their sections. Sections with nothing to show have no chart. */
export function annualCharts(report: Pick<AnnualReport, 'figures' | 'isPublic' | 'commissionedTeams'>): AnnualChart[] {
  const f: AnnualReportFigures = report.figures;
  const o: PhrasingOptions = { suppressSmall: report.isPublic };
  const cs = f.children_statutory;
  const s1 = cs.stage1;
  const charts: AnnualChart[] = [];

  const years = [...f.history, { label: f.period.label, children_statutory: cs.received, informal: f.informal.received, corporate: f.corporate.received, compliments: f.compliments.received }];
  const kinds = [
    ['Complaints', 'children_statutory'],
    ['Informal complaints', 'informal'],
    ['Corporate complaints', 'corporate'],
    ['Compliments', 'compliments'],
  ] as const;
  const history = years.flatMap((y) => kinds.map(([name, key]) => ({ category: y.label, series: name, value: y[key] })));
  const historyDescription = `Bar chart of the representations received in each year from ${years[0]?.label ?? f.period.label} to ${f.period.label}. ${years
    .map((y) => `${y.label}: ${listInWords(kinds.map(([name, key]) => `${name.toLowerCase()} ${countCell(y[key], o)}`))}`)
    .join('. ')}.`;
  charts.push({ section: 'history', title: 'Representations received by year', description: historyDescription, spec: groupedSpec('Representations received by year', historyDescription, 'Received', history, kinds.map(([name]) => name), o) });

  if (cs.received > 0) {
    const teams = Object.entries(cs.by_team)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b, 'en-GB'))
      .map(([name, value]) => ({ category: report.commissionedTeams.includes(name) ? `${name} (commissioned)` : name, value }));
    if (teams.length > 0) {
      const d = `Bar chart of the complaints received in ${f.period.label} by team: ${inWords(teams, o)}.`;
      charts.push({ section: 'teams', title: 'Complaints by team', description: d, spec: barSpec('Complaints by team', d, 'Complaints', teams, o) });
    }
    const channels = CHANNELS.map((c) => ({ category: CHANNEL_LABELS[c], value: cs.by_channel[c] }));
    const dc = `Bar chart of the complaints received in ${f.period.label} by how they were received: ${inWords(channels, o)}.`;
    charts.push({ section: 'how-received', title: 'Complaints by how they were received', description: dc, spec: barSpec('Complaints by how they were received', dc, 'Complaints', channels, o) });
  }
  if (s1.responded > 0) {
    const findings = FINDINGS.map((c) => ({ category: FINDING_LABELS[c], value: s1.findings[c] }));
    const df = `Bar chart of the Stage 1 findings on the complaints responded to by ${f.period.as_at}: ${inWords(findings, o)}.`;
    charts.push({ section: 'findings', title: 'Stage 1 findings', description: df, spec: barSpec('Stage 1 findings', df, 'Complaints', findings, o) });
    const bands = TIMESCALE_BANDS.map((b) => ({ category: TIMESCALE_BAND_LABELS[b], value: s1.timescales[b] }));
    const dt = `Bar chart of the working days taken to respond at Stage 1: ${inWords(bands, o)}.`;
    charts.push({ section: 'timescales', title: 'Working days taken to respond at Stage 1', description: dt, spec: barSpec('Working days taken to respond at Stage 1', dt, 'Complaints', bands, o) });
  }
  return charts;
}

/** The chart drawn as SVG (a standalone image: no ids shared between charts, no scripts). */
export async function chartSvg(chart: AnnualChart): Promise<string> {
  const view = new View(parse(compile(chart.spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * The chart as accessible inline SVG: the <svg> says it is one image (role="img"), named by
 * its <title> and aria-label; nothing inside it is read out on its own.
 */
export async function chartSvgInline(chart: AnnualChart, id: string): Promise<string> {
  const svg = await chartSvg(chart);
  const titleId = `${id}-title`;
  const opened = svg.replace(/^<svg /, `<svg role="img" aria-labelledby="${escapeHtml(titleId)}" aria-label="${escapeHtml(chart.description)}" focusable="false" `);
  return opened.replace(/^(<svg[^>]*>)/, `$1<title id="${escapeHtml(titleId)}">${escapeHtml(chart.description)}</title>`);
}

/** Every chart of the report as inline SVG, by section (for the HTML renderer). */
export async function chartsBySection(report: Pick<AnnualReport, 'figures' | 'isPublic' | 'commissionedTeams'>): Promise<Partial<Record<ChartSection, { svg: string; title: string }>>> {
  const out: Partial<Record<ChartSection, { svg: string; title: string }>> = {};
  for (const chart of annualCharts(report)) out[chart.section] = { svg: await chartSvgInline(chart, `chart-${chart.section}`), title: chart.title };
  return out;
}
