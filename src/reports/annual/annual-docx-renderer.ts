/**
 * The annual report as a Word document (DOCX) the council can edit: the same sections,
 * sentences and tables as the HTML (one presenter, so the same suppression of small numbers
 * in the public version), written as real Word structure — Title and Heading 1/2 styles, so
 * the navigation pane and a table of contents work; tables with a repeating header row, each
 * followed by its base; the charts as PNG images with alt text; the consistency checks.
 * Letters use the same conventions (letter-docx-renderer.ts): Arial, real headings.
 */
import {
  AlignmentType,
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type FileChild,
} from 'docx';
import type { AnnualReport } from '../../app/annual-report-service.ts';
import { presentAnnualReport, type ReportTable } from './annual-report-presenter.ts';
import { annualCharts, chartSvg, type AnnualChart } from './annual-charts.ts';
import { ChartFontMissingError, chartPng } from '../chart-png.ts';

const FONT = 'Arial';
/** The widest an image may be on an A4 page with the default margins, in pixels at 96 per inch. */
const MAX_IMAGE_WIDTH = 600;

export interface AnnualDocxOptions {
  /** Leave the charts out (they are drawn with resvg, which needs a font file). */
  readonly withoutCharts?: boolean;
}

const text = (value: string, options: { bold?: boolean; italics?: boolean; size?: number; color?: string } = {}): TextRun => new TextRun({ text: value, font: FONT, ...options });
const body = (value: string): Paragraph => new Paragraph({ children: [text(value)], spacing: { after: 160 } });
const small = (value: string): Paragraph => new Paragraph({ children: [text(value, { size: 20, color: '505A5F' })], spacing: { before: 80, after: 240 } });

function cell(value: string, options: { isHeader: boolean; isNumeric: boolean }): TableCell {
  return new TableCell({
    children: [new Paragraph({ alignment: options.isNumeric ? AlignmentType.RIGHT : AlignmentType.LEFT, children: [text(value, { bold: options.isHeader })] })],
    margins: { top: 60, bottom: 60, left: 80, right: 80 },
  });
}

/** A table with its caption above, a header row repeated on each page, and its base below. */
function table(t: ReportTable, isNumeric = true): FileChild[] {
  const header = new TableRow({ tableHeader: true, children: t.head.map((h, i) => cell(h, { isHeader: true, isNumeric: isNumeric && i > 0 })) });
  const rows = t.rows.map((row) => new TableRow({ cantSplit: true, children: row.map((v, i) => cell(v, { isHeader: i === 0, isNumeric: isNumeric && i > 0 })) }));
  return [
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [text(t.caption)], keepNext: true, spacing: { before: 240, after: 120 } }),
    new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] }),
    small(t.base),
  ];
}

async function chartImage(chart: AnnualChart): Promise<Paragraph> {
  const { png, width, height } = chartPng(await chartSvg(chart));
  const scale = Math.min(1, MAX_IMAGE_WIDTH / (width / 2));
  return new Paragraph({
    children: [
      new ImageRun({
        type: 'png',
        data: png,
        transformation: { width: Math.round((width / 2) * scale), height: Math.round((height / 2) * scale) },
        altText: { name: chart.title, title: chart.title, description: chart.description },
      }),
    ],
    spacing: { after: 160 },
  });
}

/** The report as a DOCX file. */
export async function annualReportDocx(report: AnnualReport, councilName: string, options: AnnualDocxOptions = {}): Promise<Buffer> {
  const view = presentAnnualReport(report);
  const charts = new Map((options.withoutCharts === true ? [] : annualCharts(report)).map((c) => [c.section as string, c]));
  const children: FileChild[] = [
    new Paragraph({ children: [text(councilName, { color: '505A5F' })], spacing: { after: 120 } }),
    new Paragraph({ heading: HeadingLevel.TITLE, children: [text(view.title)] }),
    body(`${view.periodText}. Figures as at ${view.asAtText}, written by Redress from the council’s records.`),
  ];
  if (view.isPublic) children.push(body('Public version: numbers from 1 to 4 are shown as <5, and children’s homes by their alias.'));
  if (view.isEmpty) children.push(body(`No complaints, comments or compliments were recorded as received in ${view.label} (as at ${view.asAtText}). The tables below are all zero.`));
  let chartsMissing = false;

  for (const section of view.sections) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text(section.title)], spacing: { before: 360, after: 160 } }));
    children.push(...section.paragraphs.map(body));
    const chart = charts.get(section.id);
    if (chart !== undefined && !chartsMissing) {
      try {
        children.push(await chartImage(chart));
      } catch (error) {
        if (!(error instanceof ChartFontMissingError)) throw error;
        chartsMissing = true;
      }
    }
    for (const t of section.tables) children.push(...table(t));
    if (section.quotes !== undefined && section.quotes.length > 0) {
      children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [text('What people said')], spacing: { before: 240, after: 120 } }));
      for (const quote of section.quotes) {
        children.push(new Paragraph({ indent: { left: 567 }, children: [text(`“${quote.text}”`, { italics: true })], spacing: { after: 60 } }));
        children.push(new Paragraph({ indent: { left: 567 }, children: [text(quote.attribution, { size: 20, color: '505A5F' })], spacing: { after: 160 } }));
      }
      children.push(small('Quoted only where the person agreed; nobody is named.'));
    }
  }

  children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text('Consistency checks')], spacing: { before: 360, after: 160 } }));
  children.push(
    body(
      `Every figure in this report comes from one set of records, so these sums must agree. ${
        view.failingChecks === 0 ? `All ${String(view.checks.length)} checks hold.` : `${String(view.failingChecks)} of ${String(view.checks.length)} checks fail: the records contradict each other and should be corrected.`
      }`,
    ),
  );
  children.push(
    ...table({
      caption: 'Consistency checks',
      base: 'Base: the figures of this report',
      head: ['Check', 'Figures', 'Result'],
      rows: view.checks.map((c) => [c.rule, c.detail, c.holds ? 'Holds' : `Fails${c.references.length > 0 ? ` (records: ${c.references.join(', ')})` : ''}`]),
    }, false),
  );
  if (chartsMissing) children.push(small('The charts are not included: no font was found to draw them with on the machine that wrote this document.'));

  const document = new Document({
    creator: councilName,
    title: view.title,
    description: `${view.periodText}, as at ${view.asAtText}`,
    styles: { default: { document: { run: { font: FONT, size: 24 } } } },
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}
