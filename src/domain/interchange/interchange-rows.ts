/**
 * Reading and writing the rows of the `redress` interchange file. Pure: the
 * import service reads the file, calls these for every line, and writes nothing unless no
 * line has a problem; the export writes `formatRow` of what is stored.
 *
 * Lines are numbered as a spreadsheet numbers its rows: the header is line 1, the first
 * representation line 2. A problem names its line, its column (name and letter, as the
 * column stands in the file) and a stable code.
 *
 * What a cell may hold (the file's own rules, plus these, fixed and tested):
 * - codes are those of the taxonomies (issues: the council's issue taxonomy, retired issues
 *   included, because the file is history); dates are real dates `YYYY-MM-DD`; booleans
 *   `true` or `false` (any case); lists are codes separated by `;` — repeats are dropped and
 *   export writes them in alphabetical order;
 * - `stage2_cost_gbp` is pounds, 0 or more, with at most two decimal places (`3500`, `120.5`,
 *   `120.50`; a `£` in front is allowed), read into pence from its digits; export writes it
 *   always with two decimals (`3500.00`, `120.50`);
 * - the reference is at most 20 letters, digits and `-`, `/`, `_`, `.`, starting with a
 *   letter or digit, and is read in capitals (`csc-2011-0001` is `CSC-2011-0001`); the young person's id at most 60 characters, the team's name 200;
 * - free text (`summary`) is kept exactly, spaces included; other cells are trimmed.
 *
 * And the dates must agree: a response, withdrawal or Ombudsman enquiry not before receipt;
 * a Stage 2 request only after a Stage 1 response, a Stage 3 request only after a Stage 2
 * response, and each step of a stage not before the one it follows. A finding needs a Stage 1
 * response, and a complaint withdrawn at Stage 1 has no Stage 1 response (the annual report
 * counts received = responded + withdrawn + open).
 *
 * What is not stored and so does not come back (the canonical form, `canonicalRow`):
 * `advocacy_offered` `false` is stored as "no offer recorded" and exported empty;
 * `via_complaints_team` empty is stored as `true` (as registration does); `stage1_extended`
 * is kept on the Stage 1 response clock, which exists for a complaint still open at Stage 1
 * whose clock runs from receipt (so `false` is kept) or one recorded as extended (`true`) —
 * otherwise it is exported empty. `stage1_extended` may be true for any kind whose procedure
 * lets the Stage 1 response time be extended (`canExtendStage1`), and for no other.
 */
import { isIsoDate, type IsoDate } from '../calendar/iso-date.ts';
import { isOneOf } from '../taxonomies/code-list.ts';
import { REPRESENTATION_KINDS, type RepresentationKind } from '../taxonomies/representation-kinds.ts';
import { COMPLAINANT_ROLES, type ComplainantRole } from '../taxonomies/complainant-roles.ts';
import { CHANNELS, type Channel } from '../taxonomies/channels.ts';
import { ETHNICITIES, type Ethnicity } from '../taxonomies/ethnicities.ts';
import { FINDINGS, type Finding } from '../taxonomies/findings.ts';
import { REMEDIES, type Remedy } from '../taxonomies/remedies.ts';
import { DELAY_REASONS, type DelayReason } from '../taxonomies/delay-reasons.ts';
import { OMBUDSMAN_DECISIONS, type OmbudsmanDecision } from '../taxonomies/ombudsman-decisions.ts';
import { COMPLIMENT_SOURCES, type ComplimentSource } from '../taxonomies/compliment-sources.ts';
import { DEFAULT_ISSUES, type IssueDefinition } from '../taxonomies/issues.ts';
import { parsePounds, penceToPoundsText, type PoundsProblem } from '../money.ts';
import { isProcedureKind, procedureDefinition, type ClockDefinition } from '../procedures/procedure-definitions.ts';
import { columnLetter, INTERCHANGE_COLUMNS, isInterchangeColumn, REQUIRED_COLUMNS, unescapeCell, type InterchangeColumn } from './interchange-columns.ts';

/** One representation as the file gives it. */
export interface InterchangeRow {
  readonly reference: string;
  readonly kind: RepresentationKind;
  readonly receivedOn: IsoDate;
  readonly eventOn: IsoDate | null;
  readonly youngPersonId: string | null;
  readonly complainantRole: ComplainantRole | null;
  readonly team: string | null;
  readonly channel: Channel | null;
  readonly viaComplaintsTeam: boolean | null;
  readonly issues: readonly string[];
  readonly ethnicity: Ethnicity | null;
  readonly advocacyOffered: boolean | null;
  readonly advocacyAccepted: boolean | null;
  readonly stage1Extended: boolean | null;
  readonly stage1RespondedOn: IsoDate | null;
  readonly finding: Finding | null;
  readonly remedies: readonly Remedy[];
  readonly withdrawnOn: IsoDate | null;
  readonly delayReasons: readonly DelayReason[];
  readonly stage2RequestedOn: IsoDate | null;
  readonly stage2StartedOn: IsoDate | null;
  readonly stage2RespondedOn: IsoDate | null;
  /** The Stage 2 cost in pence (the file has pounds). */
  readonly stage2CostPence: number | null;
  readonly stage3RequestedOn: IsoDate | null;
  readonly panelHeldOn: IsoDate | null;
  readonly ombudsmanEnquiryOn: IsoDate | null;
  readonly ombudsmanDecision: OmbudsmanDecision | null;
  readonly complimentSource: ComplimentSource | null;
  readonly summary: string;
}

export interface InterchangeProblem {
  /** The line (spreadsheet row): the header is 1. */
  readonly line: number;
  /** The column's name as the file has it, when the problem is in one cell. */
  readonly column: string | null;
  /** The column's spreadsheet letter (A, B, … AA) as it stands in the file. */
  readonly letter: string | null;
  readonly code: string;
  readonly message: string;
}

/** Where each known column stands in a file. */
export interface FileHeader {
  readonly positions: ReadonlyMap<InterchangeColumn, number>;
  readonly width: number;
}

export const MAX_REFERENCE_LENGTH = 20;
export const MAX_YOUNG_PERSON_ID_LENGTH = 60;
export const MAX_TEAM_NAME_LENGTH = 200;
const REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9/_.-]*$/;
/** The largest Stage 2 cost a file may give: £999,999,999.99. */
export const MAX_COST_PENCE = 99_999_999_999;
/** Why a `stage2_cost_gbp` cell is refused: its code and what the message says after the cell's text. */
const COST_PROBLEMS: Readonly<Record<PoundsProblem, { code: string; message: string }>> = {
  not_an_amount: { code: 'invalid_amount', message: 'is not an amount in pounds, such as 3500, 120.5 or 120.50' },
  negative: { code: 'negative_amount', message: 'is less than nothing: a cost is 0 or more' },
  too_many_decimals: { code: 'too_many_decimals', message: 'has more than two decimal places: give pounds and pence, such as 120.50' },
  too_large: { code: 'amount_too_large', message: 'is more than £999,999,999.99' },
};

/** The kinds that have Stages 2 and 3 in the file. */
const LATER_STAGE_KINDS: readonly RepresentationKind[] = ['children_statutory'];

const stage1Clocks = new Map<RepresentationKind, ClockDefinition | undefined>();

/**
 * The clock that runs to the Stage 1 response in the procedure of `kind` (the one that stops
 * on the Stage 1 response, or on the response of a one-stage procedure); undefined for a kind
 * with no procedure (informal complaints, comments, compliments, complaints about others).
 */
export function stage1ResponseClock(kind: RepresentationKind): ClockDefinition | undefined {
  if (!stage1Clocks.has(kind)) {
    const clock = isProcedureKind(kind) ? procedureDefinition(kind).clocks.find((c) => c.stage === 1 && (c.stopsOn === 'stage1_responded' || c.stopsOn === 'responded')) : undefined;
    stage1Clocks.set(kind, clock);
  }
  return stage1Clocks.get(kind);
}

/** Whether the procedure of `kind` lets its Stage 1 response time be extended (so `stage1_extended` may be true). */
export function canExtendStage1(kind: RepresentationKind): boolean {
  return stage1ResponseClock(kind)?.canExtend === true;
}

/** "line 12, column F (received_on)". */
export function describeProblemPlace(problem: Pick<InterchangeProblem, 'line' | 'column' | 'letter'>): string {
  const column = problem.letter === null ? '' : `, column ${problem.letter}${problem.column === null ? '' : ` (${problem.column})`}`;
  return `line ${String(problem.line)}${column}`;
}

/** The header line's problems, and where each known column is (`line`: the header's own line, 1 unless blank lines come first). */
export function readHeader(cells: readonly string[], line = 1): { header: FileHeader; problems: InterchangeProblem[] } {
  const positions = new Map<InterchangeColumn, number>();
  const problems: InterchangeProblem[] = [];
  cells.forEach((raw, index) => {
    const name = raw.replace(/^\uFEFF/, '').trim().toLowerCase();
    const letter = columnLetter(index);
    if (name === '') {
      problems.push({ line, column: null, letter, code: 'blank_column', message: 'The column has no name: give it one of the interchange columns, or remove it' });
    } else if (!isInterchangeColumn(name)) {
      problems.push({ line, column: raw.trim(), letter, code: 'unknown_column', message: `"${raw.trim()}" is not a column of the interchange file (the columns are ${INTERCHANGE_COLUMNS.join(', ')})` });
    } else if (positions.has(name)) {
      problems.push({ line, column: name, letter, code: 'duplicate_column', message: `The column ${name} appears twice` });
    } else {
      positions.set(name, index);
    }
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!positions.has(required)) problems.push({ line, column: required, letter: null, code: 'missing_column', message: `The file has no ${required} column, which every file needs` });
  }
  return { header: { positions, width: cells.length }, problems };
}

export interface ParseOptions {
  /** The council's issue taxonomy (retired issues are accepted: the file is history). */
  readonly issues?: readonly IssueDefinition[];
}

/** One line read: the row, or every problem it has. */
export type ParsedLine = { readonly row: InterchangeRow; readonly problems: readonly [] } | { readonly row: undefined; readonly problems: readonly InterchangeProblem[] };

/** Reads one line of cells under `header`. */
export function parseRow(line: number, cells: readonly string[], header: FileHeader, options: ParseOptions = {}): ParsedLine {
  const problems: InterchangeProblem[] = [];
  const issueCodes = new Set((options.issues ?? DEFAULT_ISSUES).map((issue) => issue.code));
  const problem = (column: InterchangeColumn, code: string, message: string): void => {
    const index = header.positions.get(column);
    problems.push({ line, column, letter: index === undefined ? null : columnLetter(index), code, message });
  };
  for (let index = header.width; index < cells.length; index++) {
    if ((cells[index] ?? '').trim() !== '') {
      problems.push({ line, column: null, letter: columnLetter(index), code: 'cell_outside_columns', message: 'The cell is beyond the last column of the header: move it under a column, or remove it' });
    }
  }
  const raw = (column: InterchangeColumn): string => {
    const index = header.positions.get(column);
    return index === undefined ? '' : unescapeCell(cells[index] ?? '');
  };
  const text = (column: InterchangeColumn): string => raw(column).trim();
  const optionalText = (column: InterchangeColumn, max: number, what: string): string | null => {
    const value = text(column);
    if (value === '') return null;
    if (value.length > max) {
      problem(column, 'too_long', `The ${what} must be ${String(max)} characters or fewer`);
      return null;
    }
    return value;
  };
  const date = (column: InterchangeColumn, required = false): IsoDate | null => {
    const value = text(column);
    if (value === '') {
      if (required) problem(column, 'required', `Enter the ${column}: every line needs it`);
      return null;
    }
    if (!isIsoDate(value)) {
      problem(column, 'invalid_date', `"${value}" is not a real date written YYYY-MM-DD`);
      return null;
    }
    return value;
  };
  const code = <Code extends string>(column: InterchangeColumn, codes: readonly Code[], required = false): Code | null => {
    const value = text(column);
    if (value === '') {
      if (required) problem(column, 'required', `Enter the ${column}: every line needs it`);
      return null;
    }
    if (!isOneOf(codes, value)) {
      problem(column, 'unknown_code', `"${value}" is not a ${column} code (the codes are ${codes.join(', ')})`);
      return null;
    }
    return value;
  };
  const list = <Code extends string>(column: InterchangeColumn, isCode: (value: string) => value is Code, known: () => string): Code[] => {
    const values = text(column)
      .split(';')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    const unknown = values.filter((v) => !isCode(v));
    if (unknown.length > 0) {
      problem(column, 'unknown_code', `${unknown.map((v) => `"${v}"`).join(', ')} ${unknown.length === 1 ? 'is not a code' : 'are not codes'} of ${column} (the codes are ${known()})`);
      return [];
    }
    return [...new Set(values as Code[])].sort();
  };
  const flag = (column: InterchangeColumn): boolean | null => {
    const value = text(column).toLowerCase();
    if (value === '') return null;
    if (value === 'true') return true;
    if (value === 'false') return false;
    problem(column, 'invalid_boolean', `"${text(column)}" is not true or false`);
    return null;
  };

  const reference = text('reference').toUpperCase();
  if (reference === '') problem('reference', 'required', 'Enter the reference: every line needs one');
  else if (reference.length > MAX_REFERENCE_LENGTH) problem('reference', 'too_long', `The reference must be ${String(MAX_REFERENCE_LENGTH)} characters or fewer`);
  else if (!REFERENCE_PATTERN.test(reference)) problem('reference', 'invalid_reference', 'The reference may hold only letters, digits and - / _ . and must start with a letter or digit');

  const kind = code('kind', REPRESENTATION_KINDS, true);
  const receivedOn = date('received_on', true);
  const eventOn = date('event_on');
  const youngPersonId = optionalText('young_person_id', MAX_YOUNG_PERSON_ID_LENGTH, "young person's id");
  const complainantRole = code('complainant_role', COMPLAINANT_ROLES);
  const team = optionalText('team', MAX_TEAM_NAME_LENGTH, "team's name");
  const channel = code('channel', CHANNELS);
  const viaComplaintsTeam = flag('via_complaints_team');
  const issues = list('issues', (v): v is string => issueCodes.has(v), () => [...issueCodes].join(', '));
  const ethnicity = code('ethnicity', ETHNICITIES);
  const advocacyOffered = flag('advocacy_offered');
  const advocacyAccepted = flag('advocacy_accepted');
  const stage1Extended = flag('stage1_extended');
  const stage1RespondedOn = date('stage1_responded_on');
  const finding = code('finding', FINDINGS);
  const remedies = list('remedies', (v): v is Remedy => isOneOf(REMEDIES, v), () => REMEDIES.join(', '));
  const withdrawnOn = date('withdrawn_on');
  const delayReasons = list('delay_reasons', (v): v is DelayReason => isOneOf(DELAY_REASONS, v), () => DELAY_REASONS.join(', '));
  const stage2RequestedOn = date('stage2_requested_on');
  const stage2StartedOn = date('stage2_started_on');
  const stage2RespondedOn = date('stage2_responded_on');
  let stage2CostPence: number | null = null;
  const cost = text('stage2_cost_gbp');
  if (cost !== '') {
    const read = parsePounds(cost, { allowsOneDecimal: true, maxPence: MAX_COST_PENCE });
    if ('pence' in read) stage2CostPence = read.pence;
    else problem('stage2_cost_gbp', COST_PROBLEMS[read.problem].code, `"${cost}" ${COST_PROBLEMS[read.problem].message}`);
  }
  const stage3RequestedOn = date('stage3_requested_on');
  const panelHeldOn = date('panel_held_on');
  const ombudsmanEnquiryOn = date('ombudsman_enquiry_on');
  const ombudsmanDecision = code('ombudsman_decision', OMBUDSMAN_DECISIONS);
  const complimentSource = code('compliment_source', COMPLIMENT_SOURCES);
  const summary = raw('summary');

  // The dates must agree with each other (only those that are themselves valid are compared).
  const notBefore = (column: InterchangeColumn, value: IsoDate | null, earlier: IsoDate | null, earlierColumn: InterchangeColumn, code: string, what: string): void => {
    if (value !== null && earlier !== null && value < earlier) problem(column, code, `${what} (${value}) is before the ${earlierColumn} (${earlier})`);
  };
  notBefore('stage1_responded_on', stage1RespondedOn, receivedOn, 'received_on', 'response_before_receipt', 'The Stage 1 response');
  notBefore('withdrawn_on', withdrawnOn, receivedOn, 'received_on', 'withdrawn_before_receipt', 'The withdrawal');
  notBefore('ombudsman_enquiry_on', ombudsmanEnquiryOn, receivedOn, 'received_on', 'enquiry_before_receipt', 'The Ombudsman’s enquiry');
  if (withdrawnOn !== null && stage1RespondedOn !== null) {
    problem('withdrawn_on', 'withdrawn_and_responded', 'A complaint withdrawn at Stage 1 has no Stage 1 response: leave withdrawn_on or stage1_responded_on empty');
  }
  if (finding !== null && stage1RespondedOn === null && text('stage1_responded_on') === '') {
    problem('finding', 'finding_without_response', 'A finding needs the date of the Stage 1 response (stage1_responded_on)');
  }
  if (advocacyAccepted !== null && advocacyOffered !== true) {
    problem('advocacy_accepted', 'acceptance_without_offer', 'advocacy_accepted needs advocacy_offered to be true');
  }
  if (ethnicity !== null && youngPersonId === null && text('young_person_id') === '') {
    problem('ethnicity', 'ethnicity_without_young_person', "An ethnicity is the young person's: give the young_person_id too");
  }
  if (complimentSource !== null && kind !== null && kind !== 'compliment') {
    problem('compliment_source', 'source_only_for_compliments', 'Only a compliment has a compliment_source');
  }
  const hasLaterStage = [stage2RequestedOn, stage2StartedOn, stage2RespondedOn, stage3RequestedOn, panelHeldOn].some((d) => d !== null) || stage2CostPence !== null;
  if (kind !== null && stage1Extended === true && !canExtendStage1(kind)) {
    const extendable = REPRESENTATION_KINDS.filter(canExtendStage1).join(', ');
    problem('stage1_extended', 'not_for_kind', `stage1_extended can be true only for ${extendable}, whose procedures let the Stage 1 response time be extended (this line is ${kind})`);
  }
  if (kind !== null && !LATER_STAGE_KINDS.includes(kind)) {
    if (hasLaterStage) {
      const first = (['stage2_requested_on', 'stage2_started_on', 'stage2_responded_on', 'stage2_cost_gbp', 'stage3_requested_on', 'panel_held_on'] as const).find((c) => text(c) !== '') ?? 'stage2_requested_on';
      problem(first, 'not_for_kind', 'Only a children’s statutory complaint (children_statutory) has Stages 2 and 3');
    }
  }
  if (stage2RequestedOn === null && text('stage2_requested_on') === '') {
    for (const column of ['stage2_started_on', 'stage2_responded_on', 'stage2_cost_gbp', 'stage3_requested_on'] as const) {
      if (text(column) !== '') problem(column, 'stage2_not_requested', `${column} needs the date Stage 2 was asked for (stage2_requested_on)`);
    }
  }
  if (stage2RequestedOn !== null && stage1RespondedOn === null && text('stage1_responded_on') === '') {
    problem('stage2_requested_on', 'stage2_without_response', 'Stage 2 can be asked for only after a Stage 1 response: give stage1_responded_on');
  }
  notBefore('stage2_requested_on', stage2RequestedOn, stage1RespondedOn, 'stage1_responded_on', 'request_before_response', 'The Stage 2 request');
  notBefore('stage2_started_on', stage2StartedOn, stage2RequestedOn, 'stage2_requested_on', 'dates_out_of_order', 'The Stage 2 start');
  notBefore('stage2_responded_on', stage2RespondedOn, stage2StartedOn ?? stage2RequestedOn, stage2StartedOn === null ? 'stage2_requested_on' : 'stage2_started_on', 'dates_out_of_order', 'The Stage 2 response');
  if (stage3RequestedOn !== null && stage2RespondedOn === null && text('stage2_responded_on') === '') {
    problem('stage3_requested_on', 'stage3_without_response', 'Stage 3 can be asked for only after a Stage 2 response: give stage2_responded_on');
  }
  notBefore('stage3_requested_on', stage3RequestedOn, stage2RespondedOn, 'stage2_responded_on', 'request_before_response', 'The Stage 3 request');
  if (panelHeldOn !== null && stage3RequestedOn === null && text('stage3_requested_on') === '') {
    problem('panel_held_on', 'panel_without_request', 'A review panel needs the date Stage 3 was asked for (stage3_requested_on)');
  }
  notBefore('panel_held_on', panelHeldOn, stage3RequestedOn, 'stage3_requested_on', 'dates_out_of_order', 'The panel');
  if (ombudsmanDecision !== null && ombudsmanEnquiryOn === null && text('ombudsman_enquiry_on') === '') {
    problem('ombudsman_decision', 'decision_without_enquiry', 'An Ombudsman decision needs the date of the enquiry (ombudsman_enquiry_on)');
  }

  if (problems.length > 0 || kind === null || receivedOn === null) return { row: undefined, problems };
  return {
    row: {
      reference,
      kind,
      receivedOn,
      eventOn,
      youngPersonId,
      complainantRole,
      team,
      channel,
      viaComplaintsTeam,
      issues,
      ethnicity,
      advocacyOffered,
      advocacyAccepted,
      stage1Extended,
      stage1RespondedOn,
      finding,
      remedies,
      withdrawnOn,
      delayReasons,
      stage2RequestedOn,
      stage2StartedOn,
      stage2RespondedOn,
      stage2CostPence,
      stage3RequestedOn,
      panelHeldOn,
      ombudsmanEnquiryOn,
      ombudsmanDecision,
      complimentSource,
      summary,
    },
    problems: [],
  };
}

/** Whether an imported row is still open at Stage 1 (no response, not withdrawn). */
export function isOpenAtStage1(row: InterchangeRow): boolean {
  return row.stage1RespondedOn === null && row.withdrawnOn === null;
}

/**
 * Whether import gives the row a Stage 1 response clock, which keeps `stage1_extended`: one
 * recorded as extended (when its procedure can extend), or one still open at Stage 1 whose
 * clock starts on receipt (an open corporate complaint's starts on its acknowledgement, which
 * the file does not give).
 */
export function hasStage1Clock(row: InterchangeRow): boolean {
  const clock = stage1ResponseClock(row.kind);
  if (clock === undefined || !clock.canExtend) return false;
  return row.stage1Extended === true || (isOpenAtStage1(row) && clock.startsOn === 'received');
}

/** The row as it is stored and will be exported again (see the module comment). */
export function canonicalRow(row: InterchangeRow): InterchangeRow {
  return {
    ...row,
    viaComplaintsTeam: row.viaComplaintsTeam ?? true,
    advocacyOffered: row.advocacyOffered === true ? true : null,
    advocacyAccepted: row.advocacyOffered === true ? row.advocacyAccepted : null,
    stage1Extended: hasStage1Clock(row) ? row.stage1Extended === true : null,
    issues: [...new Set(row.issues)].sort(),
    remedies: [...new Set(row.remedies)].sort(),
    delayReasons: [...new Set(row.delayReasons)].sort(),
  };
}

const flagText = (value: boolean | null): string => (value === null ? '' : value ? 'true' : 'false');

/** The row's cells, in the contract's column order (not yet escaped). */
export function formatRow(row: InterchangeRow): string[] {
  const cells: Record<InterchangeColumn, string> = {
    reference: row.reference,
    kind: row.kind,
    received_on: row.receivedOn,
    event_on: row.eventOn ?? '',
    young_person_id: row.youngPersonId ?? '',
    complainant_role: row.complainantRole ?? '',
    team: row.team ?? '',
    channel: row.channel ?? '',
    via_complaints_team: flagText(row.viaComplaintsTeam),
    issues: row.issues.join(';'),
    ethnicity: row.ethnicity ?? '',
    advocacy_offered: flagText(row.advocacyOffered),
    advocacy_accepted: flagText(row.advocacyAccepted),
    stage1_extended: flagText(row.stage1Extended),
    stage1_responded_on: row.stage1RespondedOn ?? '',
    finding: row.finding ?? '',
    remedies: row.remedies.join(';'),
    withdrawn_on: row.withdrawnOn ?? '',
    delay_reasons: row.delayReasons.join(';'),
    stage2_requested_on: row.stage2RequestedOn ?? '',
    stage2_started_on: row.stage2StartedOn ?? '',
    stage2_responded_on: row.stage2RespondedOn ?? '',
    stage2_cost_gbp: row.stage2CostPence === null ? '' : penceToPoundsText(row.stage2CostPence),
    stage3_requested_on: row.stage3RequestedOn ?? '',
    panel_held_on: row.panelHeldOn ?? '',
    ombudsman_enquiry_on: row.ombudsmanEnquiryOn ?? '',
    ombudsman_decision: row.ombudsmanDecision ?? '',
    compliment_source: row.complimentSource ?? '',
    summary: row.summary,
  };
  return INTERCHANGE_COLUMNS.map((column) => cells[column]);
}

/** The columns where two rows differ (compared in canonical form). */
export function differingColumns(a: InterchangeRow, b: InterchangeRow): InterchangeColumn[] {
  const left = formatRow(canonicalRow(a));
  const right = formatRow(canonicalRow(b));
  return INTERCHANGE_COLUMNS.filter((_, index) => left[index] !== right[index]);
}

export interface LineRow {
  readonly line: number;
  readonly row: InterchangeRow;
}

/**
 * Lines with the same reference: a repeat with the same content is dropped (counted), one
 * with different content is a problem on its reference, naming the line it clashes with.
 */
export function withoutRepeats(rows: readonly LineRow[], header: FileHeader): { unique: LineRow[]; repeats: number; problems: InterchangeProblem[] } {
  const first = new Map<string, LineRow>();
  const unique: LineRow[] = [];
  const problems: InterchangeProblem[] = [];
  let repeats = 0;
  const index = header.positions.get('reference');
  const letter = index === undefined ? null : columnLetter(index);
  for (const entry of rows) {
    const key = entry.row.reference.toUpperCase();
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, entry);
      unique.push(entry);
      continue;
    }
    const differences = differingColumns(earlier.row, entry.row);
    if (differences.length === 0) repeats += 1;
    else {
      problems.push({
        line: entry.line,
        column: 'reference',
        letter,
        code: 'duplicate_reference',
        message: `The reference ${entry.row.reference} is on line ${String(earlier.line)} too, with different ${differences.join(', ')}`,
      });
    }
  }
  return { unique, repeats, problems };
}

/** A problem in one cell of `line`, placed by where `column` stands in the file. */
export function cellProblem(header: FileHeader, line: number, column: InterchangeColumn, code: string, message: string): InterchangeProblem {
  const index = header.positions.get(column);
  return { line, column, letter: index === undefined ? null : columnLetter(index), code, message };
}

/**
 * Where an imported representation stands (src/domain/cases/case-status.ts): at Stage 3 once
 * asked for; at Stage 2 while investigated, `responded` (at Stage 2) once adjudicated;
 * otherwise withdrawn, responded to, or registered and open at Stage 1.
 */
export function importedStatus(row: InterchangeRow): { status: 'registered' | 'responded' | 'withdrawn' | 'stage2' | 'stage3'; stage: 1 | 2 | 3 } {
  if (row.stage3RequestedOn !== null) return { status: 'stage3', stage: 3 };
  if (row.stage2RequestedOn !== null) return { status: row.stage2RespondedOn === null ? 'stage2' : 'responded', stage: 2 };
  if (row.withdrawnOn !== null) return { status: 'withdrawn', stage: 1 };
  if (row.stage1RespondedOn !== null) return { status: 'responded', stage: 1 };
  return { status: 'registered', stage: 1 };
}

/** A young person's ethnicity as an import settles it. */
export interface SettledEthnicity {
  /** The ethnicity the person keeps: from their latest line that gives one, else as recorded. */
  readonly ethnicity: Ethnicity | null;
  /** What the records held before the import (null: nothing, or a new person). */
  readonly recorded: Ethnicity | null;
}

/**
 * One ethnicity for each young person the lines name (registers kept by hand are untidy: a
 * person may carry different ethnicities on different lines). The person keeps the value on
 * their latest line that gives one — the latest date of receipt, and on the same date the
 * later line of the file — which replaces what the records hold. Each disagreement is a
 * warning, not a problem: on each line whose value is not kept, naming both values, and on the
 * kept line when it replaces a different recorded value.
 */
export function settleEthnicities(
  rows: readonly LineRow[],
  recorded: ReadonlyMap<string, Ethnicity | null>,
  header: FileHeader,
): { people: Map<string, SettledEthnicity>; warnings: InterchangeProblem[] } {
  const latest = new Map<string, LineRow>();
  for (const entry of rows) {
    const { youngPersonId, ethnicity, receivedOn } = entry.row;
    if (youngPersonId === null || ethnicity === null) continue;
    const known = latest.get(youngPersonId);
    if (known === undefined || receivedOn > known.row.receivedOn || (receivedOn === known.row.receivedOn && entry.line > known.line)) latest.set(youngPersonId, entry);
  }
  const people = new Map<string, SettledEthnicity>();
  const warnings: InterchangeProblem[] = [];
  for (const { row } of rows) {
    if (row.youngPersonId === null || people.has(row.youngPersonId)) continue;
    const before = recorded.get(row.youngPersonId) ?? null;
    people.set(row.youngPersonId, { ethnicity: latest.get(row.youngPersonId)?.row.ethnicity ?? before, recorded: before });
  }
  for (const { line, row } of rows) {
    if (row.youngPersonId === null || row.ethnicity === null) continue;
    const kept = latest.get(row.youngPersonId);
    if (kept === undefined) continue;
    if (kept.line !== line && kept.row.ethnicity !== row.ethnicity) {
      warnings.push(
        cellProblem(
          header,
          line,
          'ethnicity',
          'ethnicity_conflict',
          `The young person ${row.youngPersonId} has the ethnicity ${row.ethnicity} here but ${kept.row.ethnicity ?? ''} on line ${String(kept.line)}, their latest line (received ${kept.row.receivedOn}): they keep ${kept.row.ethnicity ?? ''}`,
        ),
      );
    }
    const before = recorded.get(row.youngPersonId) ?? null;
    if (kept.line === line && before !== null && before !== row.ethnicity) {
      warnings.push(
        cellProblem(
          header,
          line,
          'ethnicity',
          'ethnicity_replaces_recorded',
          `The young person ${row.youngPersonId} is recorded with the ethnicity ${before}; this line, their latest in the file, gives ${row.ethnicity}, which replaces it`,
        ),
      );
    }
  }
  return { people, warnings: warnings.sort((a, b) => a.line - b.line) };
}
