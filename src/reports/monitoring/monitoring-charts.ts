/**
 * The dashboard's charts: small Vega-Lite specs drawn to SVG by vega's headless View, then
 * made one accessible image (role="img", named by its description). The numbers are always
 * also in a table beside the chart.
 */
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import { escapeHtml } from '../html-escape.ts';

const FONT = 'Arial, Helvetica, sans-serif';
const COLOURS = ['#1d70b8', '#f47738', '#4c2c92', '#00703c'];
const CONFIG = {
  font: FONT,
  background: 'white',
  aria: false,
  mark: { aria: false },
  line: { aria: false },
  point: { aria: false },
  view: { stroke: null },
  axis: { labelFontSize: 12, titleFontSize: 12, labelColor: '#0b0c0c', titleColor: '#0b0c0c', gridColor: '#e5e5e5' },
  legend: { labelFontSize: 12, orient: 'bottom', labelLimit: 0, columns: 2 },
} as const;

export interface DashboardChart {
  readonly id: string;
  readonly title: string;
  /** What the chart shows, in words (its accessible name). */
  readonly description: string;
  readonly spec: TopLevelSpec;
}

export interface BarDatum {
  readonly category: string;
  readonly value: number;
  readonly label?: string;
}

/** Horizontal bars, one a category, labelled with their value (or `label`). */
export function barChartSpec(data: readonly BarDatum[], axisTitle: string, options: { maxValue?: number } = {}): TopLevelSpec {
  const values = data.map((d) => ({ category: d.category, value: d.value, label: d.label ?? String(d.value) }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 300,
    height: { step: 26 },
    config: CONFIG,
    data: { values },
    encoding: {
      y: { field: 'category', type: 'nominal', title: null, sort: values.map((v) => v.category), axis: { labelLimit: 200 } },
      x: {
        field: 'value',
        type: 'quantitative',
        title: axisTitle,
        axis: { tickMinStep: 1, format: 'd' },
        ...(options.maxValue === undefined ? {} : { scale: { domain: [0, options.maxValue] } }),
      },
    },
    layer: [
      { mark: { type: 'bar', color: COLOURS[0], aria: false } },
      { mark: { type: 'text', align: 'left', dx: 4, color: '#0b0c0c', fontSize: 12, aria: false }, encoding: { text: { field: 'label' } } },
    ],
  };
}

/** Lines over months, one a series, with points. */
export function lineChartSpec(data: readonly { month: string; series: string; value: number }[], series: readonly string[], axisTitle: string): TopLevelSpec {
  const months = [...new Set(data.map((d) => d.month))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 520,
    height: 220,
    config: CONFIG,
    data: { values: data.map((d) => ({ ...d })) },
    encoding: {
      x: { field: 'month', type: 'ordinal', title: 'Month received', sort: months, axis: { labelAngle: -45 } },
      y: { field: 'value', type: 'quantitative', title: axisTitle, axis: { tickMinStep: 1, format: 'd' } },
      color: { field: 'series', type: 'nominal', title: null, sort: [...series], scale: { domain: [...series], range: COLOURS.slice(0, series.length) } },
    },
    mark: { type: 'line', aria: false, point: { aria: false } },
  };
}

/** The spec drawn as a standalone SVG. */
export function specToSvg(spec: TopLevelSpec): Promise<string> {
  // Drawn once per distinct chart: the key is the spec itself (its figures included), so a
  // chart is redrawn exactly when what it shows changes. Derived, so each process may keep its own.
  const key = JSON.stringify(spec);
  const cached = drawn.get(key);
  if (cached !== undefined) {
    drawn.delete(key);
    drawn.set(key, cached); // most recently used last
    return cached;
  }
  const svg = draw(spec);
  drawn.set(key, svg);
  svg.catch(() => drawn.delete(key));
  while (drawn.size > DRAWN_CHARTS_KEPT) drawn.delete(drawn.keys().next().value ?? '');
  return svg;
}

/** Charts kept drawn (least recently used dropped first): a few per dashboard view, per report. */
const DRAWN_CHARTS_KEPT = 200;
const drawn = new Map<string, Promise<string>>();

async function draw(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The chart as inline SVG: one image, named by its description, nothing inside read out on its own. */
export async function chartInline(chart: DashboardChart): Promise<string> {
  const svg = await specToSvg(chart.spec);
  const titleId = `${chart.id}-title`;
  return svg.replace(
    /^<svg ([^>]*)>/,
    `<svg role="img" aria-labelledby="${escapeHtml(titleId)}" focusable="false" $1><title id="${escapeHtml(titleId)}">${escapeHtml(chart.description)}</title>`,
  );
}
