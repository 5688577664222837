/**
 * SVG charts drawn to PNG with resvg (for DOCX, which cannot take SVG everywhere). resvg
 * draws no text without a font file, so one is looked for on this machine: first the usual
 * Debian paths (fonts-dejavu-core, fonts-liberation), then any .ttf under the system's font
 * folders. With none, `chartPng` refuses with a clear message instead of drawing a chart
 * with its words missing; the caller can leave the chart out and say why.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';

/** Fonts tried first: [file, family], sans-serif with wide coverage. */
const KNOWN_FONTS: readonly (readonly [string, string])[] = [
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 'DejaVu Sans'],
  ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', 'Liberation Sans'],
  ['/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf', 'Liberation Sans'],
  ['/usr/share/fonts/dejavu/DejaVuSans.ttf', 'DejaVu Sans'],
  ['/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf', 'Liberation Sans'],
  ['/Library/Fonts/Arial.ttf', 'Arial'],
  ['/System/Library/Fonts/Supplemental/Arial.ttf', 'Arial'],
  ['C:\\Windows\\Fonts\\arial.ttf', 'Arial'],
];
const FONT_FOLDERS = ['/usr/share/fonts', '/usr/local/share/fonts', '/Library/Fonts', 'C:\\Windows\\Fonts'];

export interface ChartFont {
  readonly file: string;
  /** The family name, when known (otherwise resvg reads it from the file). */
  readonly family: string | undefined;
}

export class ChartFontMissingError extends Error {
  constructor() {
    super('No font file was found for the charts (looked for DejaVu Sans or Liberation Sans under /usr/share/fonts): install fonts-dejavu-core');
  }
}

function firstTtf(folder: string, depth: number): string | undefined {
  if (depth > 4) return undefined;
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return undefined;
  }
  const sans = entries.find((e) => e.isFile() && /sans.*\.ttf$/i.test(e.name) && !/mono|bold|italic|oblique|condensed|light/i.test(e.name));
  if (sans !== undefined) return path.join(folder, sans.name);
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const found = firstTtf(path.join(folder, entry.name), depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

let cached: ChartFont | null | undefined;

/** The font the PNG charts are drawn with, or undefined when this machine has none. */
export function chartFont(): ChartFont | undefined {
  if (cached === undefined) {
    const known = KNOWN_FONTS.find(([file]) => existsSync(file));
    if (known !== undefined) cached = { file: known[0], family: known[1] };
    else {
      const file = FONT_FOLDERS.map((folder) => firstTtf(folder, 0)).find((f) => f !== undefined);
      cached = file === undefined ? null : { file, family: undefined };
    }
  }
  return cached ?? undefined;
}

/** The SVG drawn as a PNG `width` pixels wide (2× the SVG's size by default, for print). Refuses with ChartFontMissingError when there is no font. */
export function chartPng(svg: string, options: { scale?: number } = {}): { png: Buffer; width: number; height: number } {
  const font = chartFont();
  if (font === undefined) throw new ChartFontMissingError();
  const family = font.family;
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    font: {
      fontFiles: [font.file],
      loadSystemFonts: false,
      ...(family === undefined ? {} : { defaultFontFamily: family, sansSerifFamily: family }),
    },
  });
  const image = resvg.render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
