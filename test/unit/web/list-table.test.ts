import { createRequire } from 'node:module';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { listTableHtml, type ListTableParams } from '../../../src/web/list-table.ts';

const govukDist = path.join(path.dirname(createRequire(import.meta.url).resolve('govuk-frontend/package.json')), 'dist');
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(govukDist), { autoescape: true });

/** What govukTable writes for the same parameters. */
const govukTable = (params: ListTableParams): string =>
  env.renderString('{% from "govuk/components/table/macro.njk" import govukTable %}{{ govukTable(params) }}', { params });

/** Markup with its whitespace collapsed (the macro leaves runs of it between and inside tags, which a browser ignores). */
const tidy = (html: string): string => html.replace(/\s+/g, ' ').replace(/> </g, '><').replace(/ >/g, '>').trim();

const TABLES: Record<string, ListTableParams> = {
  'a queue page': {
    caption: 'Open cases',
    captionClasses: 'govuk-visually-hidden',
    firstCellIsHeader: true,
    head: [{ text: 'Reference' }, { text: 'Kind' }, { text: 'Due', format: 'numeric' }],
    rows: [
      [{ html: '<a class="govuk-link" href="/cases/CSC-2026-0001">CSC-2026-0001</a>' }, { text: 'Complaint' }, { text: 3, format: 'numeric' }],
      [{ html: '<strong>x</strong>', classes: 'app-x' }, { text: 'Tom & Jerry\'s "café" <b> \\ ' }, { text: '' }],
    ],
  },
  'no head, no caption, cells with every option': {
    classes: 'app-table',
    attributes: { id: 'my-cases-table', 'data-count': 2, 'aria-hidden': false, hidden: { value: true, optional: true }, gone: { value: undefined, optional: true }, blank: null },
    rows: [
      [{ text: 'a', colspan: 2, rowspan: 1, classes: 'c1', attributes: { 'data-x': 'y"z' } }, { html: '', text: 'fallback' }],
      null,
      [{ text: null }, { text: 0 }],
    ],
  },
  'head items with html and spans': {
    head: [{ html: '<span>H</span>', classes: 'h', colspan: 2 }, { text: '<T>', rowspan: 2, attributes: { scope: 'colgroup' } }],
    rows: [],
  },
};

describe('listTableHtml', () => {
  for (const [name, params] of Object.entries(TABLES)) {
    it(`writes what govukTable writes: ${name}`, () => {
      expect(tidy(listTableHtml(params))).toBe(tidy(govukTable(params)));
    });
  }

  it('escapes text and leaves html as given', () => {
    const html = listTableHtml({ rows: [[{ text: '<script>' }, { html: '<em>ok</em>' }]] });
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<em>ok</em>');
  });
});
