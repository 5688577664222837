/**
 * The GOV.UK table (`govukTable`) written in code, for pages that list many rows: the
 * Nunjucks macro sets and escapes every cell through several nested macros, which costs
 * several milliseconds for a page of 50 cases — more than the page's queries. Templates call
 * the global `listTable(params)` (src/web/app.ts) with govukTable's own parameters; the
 * markup is the same, as test/unit/web/list-table.test.ts checks against the macro.
 */

/** An attribute's value, as govukTable's `attributes` takes it (`{ value, optional }` included). */
type AttributeValue = string | number | boolean | null | undefined | { readonly value: string | number | boolean | null | undefined; readonly optional?: boolean };

export interface ListTableCell {
  readonly text?: string | number | null;
  readonly html?: string | null;
  readonly format?: string;
  readonly classes?: string;
  readonly colspan?: number;
  readonly rowspan?: number;
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface ListTableParams {
  readonly rows: readonly (readonly ListTableCell[] | null | undefined | false)[];
  readonly head?: readonly ListTableCell[];
  readonly caption?: string;
  readonly captionClasses?: string;
  readonly firstCellIsHeader?: boolean;
  readonly classes?: string;
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '\\': '&#92;' };

/** Escaped as Nunjucks escapes printed text. */
function escaped(value: string | number | boolean | null | undefined): string {
  if (value === undefined || value === null) return '';
  return String(value).replace(/[&"'<>\\]/g, (c) => ESCAPES[c] ?? c);
}

function attributesHtml(attributes: ListTableCell['attributes']): string {
  if (attributes === undefined) return '';
  let html = '';
  for (const [name, given] of Object.entries(attributes)) {
    const isObject = typeof given === 'object' && given !== null;
    const value = isObject ? given.value : given;
    if (isObject && given.optional === true) {
      if (value === true) html += ` ${escaped(name)}`;
      else if (value !== undefined && value !== null && value !== false) html += ` ${escaped(name)}="${escaped(value)}"`;
    } else html += ` ${escaped(name)}="${escaped(value)}"`;
  }
  return html;
}

const contentOf = (cell: ListTableCell): string => (cell.html ? cell.html : escaped(cell.text));
const spansOf = (cell: ListTableCell): string =>
  `${cell.colspan ? ` colspan="${escaped(cell.colspan)}"` : ''}${cell.rowspan ? ` rowspan="${escaped(cell.rowspan)}"` : ''}${attributesHtml(cell.attributes)}`;
const classesOf = (base: string, cell: ListTableCell): string => `${base}${cell.format ? ` ${base}--${escaped(cell.format)}` : ''}${cell.classes ? ` ${escaped(cell.classes)}` : ''}`;

/** The table's HTML, as govukTable writes it for the same parameters (but for whitespace). */
export function listTableHtml(params: ListTableParams): string {
  const parts: string[] = [`<table class="govuk-table${params.classes ? ` ${escaped(params.classes)}` : ''}"${attributesHtml(params.attributes)}>`];
  if (params.caption) parts.push(`<caption class="govuk-table__caption${params.captionClasses ? ` ${escaped(params.captionClasses)}` : ''}">${escaped(params.caption)}</caption>`);
  if (params.head) {
    parts.push('<thead class="govuk-table__head"><tr class="govuk-table__row">');
    for (const item of params.head) parts.push(`<th scope="col" class="${classesOf('govuk-table__header', item)}"${spansOf(item)}>${contentOf(item)}</th>`);
    parts.push('</tr></thead>');
  }
  parts.push('<tbody class="govuk-table__body">');
  for (const row of params.rows) {
    if (!row) continue;
    parts.push('<tr class="govuk-table__row">');
    row.forEach((cell, index) => {
      if (index === 0 && params.firstCellIsHeader === true) parts.push(`<th scope="row" class="govuk-table__header${cell.classes ? ` ${escaped(cell.classes)}` : ''}"${spansOf(cell)}>${contentOf(cell)}</th>`);
      else parts.push(`<td class="${classesOf('govuk-table__cell', cell)}"${spansOf(cell)}>${contentOf(cell)}</td>`);
    });
    parts.push('</tr>');
  }
  parts.push('</tbody></table>');
  return parts.join('\n');
}
