/**
 * The interchange file's two encodings: CSV (UTF-8, a BOM accepted, a header
 * row) and XLSX (the first sheet, the same header row). Reading gives each line's cells as
 * text with its line number — the row number a spreadsheet shows, the header being 1 — and
 * skips blank lines. Writing escapes formula-like cells (src/domain/interchange/
 * interchange-columns.ts) in both encodings, and XLSX cells are always written as text.
 */
import type { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { escapeCell, INTERCHANGE_COLUMNS } from '../domain/interchange/interchange-columns.ts';

export interface FileLine {
  readonly line: number;
  readonly cells: readonly string[];
}

export type InterchangeFormat = 'csv' | 'xlsx';

/** The file could not be read at all (not CSV, not XLSX, quotes never closed …). */
export class UnreadableFile extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
    this.name = 'UnreadableFile';
  }
}

/** XLSX files are ZIP archives: they start with `PK\x03\x04`. */
export function formatOf(content: Uint8Array): InterchangeFormat {
  return content[0] === 0x50 && content[1] === 0x4b && content[2] === 0x03 && content[3] === 0x04 ? 'xlsx' : 'csv';
}

/** The format to write for an output file name: XLSX for `.xlsx`, CSV otherwise. */
export function formatForName(name: string): InterchangeFormat {
  return name.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
}

const isBlank = (cells: readonly string[]): boolean => cells.every((c) => c.trim() === '');

/** Every non-blank line of the file (the header first). Throws UnreadableFile. */
export async function readLines(content: Buffer): Promise<FileLine[]> {
  return formatOf(content) === 'xlsx' ? readXlsx(content) : readCsv(content);
}

function readCsv(content: Buffer): FileLine[] {
  let records: string[][];
  try {
    records = parse(content, { bom: true, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    const line = typeof error === 'object' && error !== null && 'lines' in error && typeof error.lines === 'number' ? error.lines : null;
    const reason = error instanceof Error ? error.message.replace(/^Invalid[^:]*: /, '') : 'it is not CSV';
    throw new UnreadableFile(`The file cannot be read as CSV: ${reason}`, line);
  }
  const lines: FileLine[] = [];
  records.forEach((cells, index) => {
    if (!isBlank(cells)) lines.push({ line: index + 1, cells });
  });
  return lines;
}

/** A spreadsheet cell as text: numbers as written, dates as `YYYY-MM-DD`, a formula as its text (never its result). */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value) return `=${value.formula}`;
  if ('sharedFormula' in value) return `=${value.sharedFormula}`;
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : '';
  if ('error' in value) return value.error;
  return '';
}

async function readXlsx(content: Buffer): Promise<FileLine[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares an older Buffer type than Node 20's.
    await workbook.xlsx.load(content as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  } catch {
    throw new UnreadableFile('The file cannot be read as an XLSX workbook', null);
  }
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new UnreadableFile('The workbook has no sheet', null);
  const lines: FileLine[] = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const last = Math.max(width, row.cellCount);
    for (let column = 1; column <= last; column++) cells.push(cellText(row.getCell(column).value));
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    if (!isBlank(cells)) lines.push({ line: rowNumber, cells });
  });
  return lines;
}

/** Writes the header and `rows` (cells in the contract's order) as CSV to `out`, escaping formula-like cells. */
export async function writeCsv(rows: AsyncIterable<readonly string[]>, out: Writable): Promise<number> {
  const stringifier = stringify({ record_delimiter: 'unix' });
  stringifier.pipe(out);
  const finished = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
    stringifier.once('error', reject);
  });
  const write = async (cells: readonly string[]): Promise<void> => {
    if (!stringifier.write(cells.map(escapeCell))) await new Promise((resolve) => stringifier.once('drain', resolve));
  };
  let count = 0;
  await write(INTERCHANGE_COLUMNS);
  for await (const cells of rows) {
    await write(cells);
    count += 1;
  }
  stringifier.end();
  await finished;
  return count;
}

/** Writes the header and `rows` as an XLSX workbook of one sheet to `out`, every cell text, formula-like cells escaped. */
export async function writeXlsx(rows: AsyncIterable<readonly string[]>, out: Writable, sheetName = 'Representations'): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow([...INTERCHANGE_COLUMNS]).commit();
  let count = 0;
  for await (const cells of rows) {
    sheet.addRow(cells.map(escapeCell)).commit();
    count += 1;
  }
  sheet.commit();
  const finished = out.writableFinished ? Promise.resolve() : new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
  });
  await workbook.commit(); // ends `out`
  await finished;
  return count;
}
