/**
 * The `redress` interchange file: its columns, in the contract's order, the
 * spreadsheet letter of a column, and the rule for formula-like cells.
 *
 * Formula-like cells (the rule, fixed and tested):
 *
 * - On export, a cell whose text starts with `=`, `+`, `-` or `@` (or their full-width forms
 *   `＝ ＋ － ＠`, or a tab or carriage return) — or with one or more single
 *   quotes followed by one of those — gets one single quote (`'`) in front, so that no
 *   spreadsheet runs it as a formula: `=SUM(A1)` is written `'=SUM(A1)`.
 * - On import, a cell that starts with one or more single quotes followed by one of those
 *   characters loses its first quote: `'=SUM(A1)` is read as `=SUM(A1)`, and stored as text —
 *   nothing in Redress ever evaluates it.
 *
 * Because quotes already there before a formula character get one more on export and lose
 * exactly one on import, export → import gives back the very text stored. A cell that does
 * not start that way (`'quoted'`, `O'Brien`) is left exactly as it is both ways.
 */

export const INTERCHANGE_COLUMNS = [
  'reference',
  'kind',
  'received_on',
  'event_on',
  'young_person_id',
  'complainant_role',
  'team',
  'channel',
  'via_complaints_team',
  'issues',
  'ethnicity',
  'advocacy_offered',
  'advocacy_accepted',
  'stage1_extended',
  'stage1_responded_on',
  'finding',
  'remedies',
  'withdrawn_on',
  'delay_reasons',
  'stage2_requested_on',
  'stage2_started_on',
  'stage2_responded_on',
  'stage2_cost_gbp',
  'stage3_requested_on',
  'panel_held_on',
  'ombudsman_enquiry_on',
  'ombudsman_decision',
  'compliment_source',
  'summary',
] as const;

export type InterchangeColumn = (typeof INTERCHANGE_COLUMNS)[number];

/** The columns every file must have. */
export const REQUIRED_COLUMNS: readonly InterchangeColumn[] = ['reference', 'kind', 'received_on'];

export function isInterchangeColumn(value: string): value is InterchangeColumn {
  return (INTERCHANGE_COLUMNS as readonly string[]).includes(value);
}

/** The spreadsheet letter of the column at `index` (0-based): 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/**
 * The characters a spreadsheet may start a formula with: `= + - @`, their full-width forms
 * (`＝ ＋ － ＠`, which some spreadsheets fold to the ASCII ones), and a leading tab or carriage
 * return (which some spreadsheets strip before looking for a formula).
 */
const FORMULA_LIKE = /^'*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r]/;
const ESCAPED_FORMULA = /^'+[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r]/;

/** Whether a spreadsheet could take `text` for a formula. */
export function isFormulaLike(text: string): boolean {
  return FORMULA_LIKE.test(text);
}

/** A cell's text as export writes it: formula-like text with one more single quote in front. */
export function escapeCell(text: string): string {
  return FORMULA_LIKE.test(text) ? `'${text}` : text;
}

/** A cell's text as import reads it: the quote export put in front of formula-like text taken off. */
export function unescapeCell(text: string): string {
  return ESCAPED_FORMULA.test(text) ? text.slice(1) : text;
}
