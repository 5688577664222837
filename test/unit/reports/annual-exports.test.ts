/**
 * Pieces of the annual report's DOCX, XLSX and charts that need no database: Excel's sheet
 * names, table cells as numbers, and PNG charts that keep their words (resvg with a font).
 */
import { describe, expect, it } from 'vitest';
import { Resvg } from '@resvg/resvg-js';
import { cellValue, sheetName } from '../../../src/reports/annual/annual-xlsx-renderer.ts';
import { chartFont, chartPng } from '../../../src/reports/chart-png.ts';
import { annualCharts, chartSvg } from '../../../src/reports/annual/annual-charts.ts';
import type { AnnualReportFigures } from '../../../src/domain/reports/annual-report.ts';

const figures = {
  period: { from: '2019-04-01', to: '2020-03-31', label: '2019/20', as_at: '2020-06-30' },
  children_statutory: {
    received: 8,
    by_team: { Fostering: 6, 'Brook Lodge': 2 },
    by_channel: { leaflet: 0, telephone: 2, letter: 0, email: 6, online: 0, in_person: 0, other: 0 },
    stage1: { responded: 0 },
  },
  informal: { received: 1 },
  corporate: { received: 0 },
  compliments: { received: 3 },
  history: [{ label: '2018/19', children_statutory: 10, informal: 4, corporate: 2, compliments: 5 }],
} as unknown as AnnualReportFigures;

describe('sheet names', () => {
  it('are at most 31 characters, without the characters Excel refuses, and unique ignoring case', () => {
    const taken = new Set<string>();
    const long = 'Complaints by how they were received in the year';
    const first = sheetName(long, taken);
    const second = sheetName(long, taken);
    expect(first).toBe('Complaints by how they were rec');
    expect(second).toBe('Complaints by how they were (2)');
    expect(sheetName('COMPLAINTS BY HOW THEY WERE REC', taken)).toBe('COMPLAINTS BY HOW THEY WERE (3)');
    expect(sheetName('Costs: 2019/20 [draft]?', taken)).toBe('Costs 2019 20 draft');
    expect(sheetName("'quoted'", taken)).toBe('quoted');
    expect(sheetName('***', taken)).toBe('Sheet');
    expect([...taken].every((n) => n.length <= 31)).toBe(true);
  });
});

describe('table cells in the spreadsheet', () => {
  it('keep counts and percentages as numbers, and suppressed or missing values as text', () => {
    expect(cellValue('111')).toBe(111);
    expect(cellValue('0')).toBe(0);
    expect(cellValue('43.6%')).toBe(0.436);
    expect(cellValue('100.0%')).toBe(1);
    expect(cellValue('<5')).toBe('<5');
    expect(cellValue('–')).toBe('–');
    expect(cellValue('2019/20')).toBe('2019/20');
    expect(cellValue('£3,500')).toBe(3500);
    expect(cellValue('£1,250.50')).toBe(1250.5);
    expect(cellValue('£12.5')).toBe('£12.5');
  });
});

describe('charts', () => {
  const report = { figures, isPublic: false, commissionedTeams: ['Brook Lodge'] };

  it('are made only for sections with something to show, and describe their figures in words', () => {
    const charts = annualCharts(report);
    expect(charts.map((c) => c.section)).toEqual(['history', 'teams', 'how-received']);
    expect(charts[0]?.description).toBe(
      'Bar chart of the representations received in each year from 2018/19 to 2019/20. 2018/19: complaints 10, informal complaints 4, corporate complaints 2 and compliments 5. 2019/20: complaints 8, informal complaints 1, corporate complaints 0 and compliments 3.',
    );
    expect(charts[1]?.description).toContain('Fostering: 6 and Brook Lodge (commissioned): 2');
    expect(annualCharts({ ...report, isPublic: true })[1]?.description).toContain('Brook Lodge (commissioned): <5');
  });

  it('are drawn to PNG with their text, using a font found on this machine', async () => {
    const font = chartFont();
    expect(font, 'no font for the charts: install fonts-dejavu-core').toBeDefined();
    const svg = await chartSvg(annualCharts(report)[2] ?? (undefined as never));
    const drawn = chartPng(svg, { scale: 1 });
    expect(drawn.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(drawn.width).toBeGreaterThan(300);
    // The same chart drawn with no font has no text: the pictures differ.
    const withoutText = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [] } }).render().asPng();
    expect(Buffer.compare(drawn.png, withoutText)).not.toBe(0);
    expect(chartPng(svg, { scale: 1 }).png.equals(drawn.png)).toBe(true);
  });
});
