import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnLetter, escapeCell, INTERCHANGE_COLUMNS, unescapeCell } from '../../../src/domain/interchange/interchange-columns.ts';
import { canonicalRow, describeProblemPlace, formatRow, importedStatus, parseRow, readHeader, withoutRepeats, type InterchangeRow } from '../../../src/domain/interchange/interchange-rows.ts';
import { REPRESENTATION_KINDS } from '../../../src/domain/taxonomies/representation-kinds.ts';
import { COMPLAINANT_ROLES } from '../../../src/domain/taxonomies/complainant-roles.ts';
import { CHANNELS } from '../../../src/domain/taxonomies/channels.ts';
import { ETHNICITIES } from '../../../src/domain/taxonomies/ethnicities.ts';
import { FINDINGS } from '../../../src/domain/taxonomies/findings.ts';
import { REMEDIES } from '../../../src/domain/taxonomies/remedies.ts';
import { DELAY_REASONS } from '../../../src/domain/taxonomies/delay-reasons.ts';
import { OMBUDSMAN_DECISIONS } from '../../../src/domain/taxonomies/ombudsman-decisions.ts';
import { COMPLIMENT_SOURCES } from '../../../src/domain/taxonomies/compliment-sources.ts';
import { SEEDED_ISSUE_CODES } from '../../../src/domain/taxonomies/issues.ts';

const { header } = readHeader([...INTERCHANGE_COLUMNS]);
const cellsOf = (cells: Partial<Record<(typeof INTERCHANGE_COLUMNS)[number], string>>): string[] => INTERCHANGE_COLUMNS.map((c) => cells[c] ?? '');
const BASE = { reference: 'CSC-2011-0001', kind: 'children_statutory', received_on: '2011-04-05' };

describe('interchange columns', () => {
  it('are the contract’s, in order', () => {
    expect(INTERCHANGE_COLUMNS.join(', ')).toBe(
      'reference, kind, received_on, event_on, young_person_id, complainant_role, team, channel, via_complaints_team, issues, ethnicity, advocacy_offered, advocacy_accepted, stage1_extended, stage1_responded_on, finding, remedies, withdrawn_on, delay_reasons, stage2_requested_on, stage2_started_on, stage2_responded_on, stage2_cost_gbp, stage3_requested_on, panel_held_on, ombudsman_enquiry_on, ombudsman_decision, compliment_source, summary',
    );
  });

  it('have spreadsheet letters', () => {
    expect([0, 1, 25, 26, 27, 28, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AC', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('escape formula-like cells with a quote, and import takes exactly that quote off', () => {
    expect(['=1+2', '+44', '-3', '@SUM', "'=x", 'plain', "'quoted'", "O'Brien", ''].map(escapeCell)).toEqual(["'=1+2", "'+44", "'-3", "'@SUM", "''=x", 'plain', "'quoted'", "O'Brien", '']);
    expect(["'=1+2", "''=x", "'quoted'", '=raw'].map(unescapeCell)).toEqual(['=1+2', "'=x", "'quoted'", '=raw']);
    fc.assert(fc.property(fc.string(), (text) => unescapeCell(escapeCell(text)) === text));
    fc.assert(fc.property(fc.string(), (text) => !/^[=+\-@]/.test(escapeCell(text))));
  });
});

describe('reading the header', () => {
  it('places unknown, blank, repeated and missing columns', () => {
    const { problems } = readHeader(['Reference', 'kind', 'colour', '', 'kind']);
    expect(problems.map((p) => [p.letter, p.column, p.code])).toEqual([
      ['C', 'colour', 'unknown_column'],
      ['D', null, 'blank_column'],
      ['E', 'kind', 'duplicate_column'],
      [null, 'received_on', 'missing_column'],
    ]);
  });
});

describe('reading a line', () => {
  it('reads every column into a typed row', () => {
    const parsed = parseRow(
      2,
      cellsOf({
        ...BASE,
        reference: 'csc-2011-0001',
        young_person_id: ' YP-1 ',
        issues: 'delay; communication;delay',
        via_complaints_team: 'TRUE',
        stage1_responded_on: '2011-04-20',
        finding: 'upheld',
        stage2_requested_on: '2011-04-21',
        stage2_cost_gbp: '120.5',
        summary: "'=not run ",
      }),
      header,
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.row).toMatchObject({ reference: 'CSC-2011-0001', youngPersonId: 'YP-1', issues: ['communication', 'delay'], viaComplaintsTeam: true, stage2CostPence: 12_050, summary: '=not run ' });
  });

  it.each([
    [{ kind: 'complaint' }, 'B', 'unknown_code'],
    [{ received_on: '2011-02-29' }, 'C', 'invalid_date'],
    [{ received_on: '' }, 'C', 'required'],
    [{ reference: '' }, 'A', 'required'],
    [{ reference: 'A REFERENCE' }, 'A', 'invalid_reference'],
    [{ reference: 'X'.repeat(21) }, 'A', 'too_long'],
    [{ stage1_responded_on: '2011-04-04' }, 'O', 'response_before_receipt'],
    [{ withdrawn_on: '2011-04-01' }, 'R', 'withdrawn_before_receipt'],
    [{ withdrawn_on: '2011-04-06', stage1_responded_on: '2011-04-07' }, 'R', 'withdrawn_and_responded'],
    [{ finding: 'upheld' }, 'P', 'finding_without_response'],
    [{ advocacy_accepted: 'true' }, 'M', 'acceptance_without_offer'],
    [{ via_complaints_team: 'yes' }, 'I', 'invalid_boolean'],
    [{ remedies: 'apology;cake' }, 'Q', 'unknown_code'],
    [{ stage2_cost_gbp: '12.345' }, 'W', 'stage2_not_requested'],
    [{ stage1_responded_on: '2011-04-20', stage2_requested_on: '2011-04-21', stage2_cost_gbp: '£1,000' }, 'W', 'invalid_amount'],
    [{ stage2_requested_on: '2011-05-01' }, 'T', 'stage2_without_response'],
    [{ stage1_responded_on: '2011-04-20', stage2_requested_on: '2011-04-19' }, 'T', 'request_before_response'],
    [{ stage1_responded_on: '2011-04-20', stage2_requested_on: '2011-04-21', stage3_requested_on: '2011-05-01' }, 'X', 'stage3_without_response'],
    [{ panel_held_on: '2011-05-01' }, 'Y', 'panel_without_request'],
    [{ ombudsman_decision: 'upheld' }, 'AA', 'decision_without_enquiry'],
    [{ compliment_source: 'judge' }, 'AB', 'source_only_for_compliments'],
    [{ kind: 'informal', stage1_extended: 'true' }, 'N', 'not_for_kind'],
  ])('reports %o at column %s (%s)', (cells, letter, code) => {
    const parsed = parseRow(7, cellsOf({ ...BASE, ...cells }), header);
    expect(parsed.row).toBeUndefined();
    expect(parsed.problems.map((p) => [p.line, p.letter, p.code])).toContainEqual([7, letter, code]);
  });

  it('reports a cell beyond the header', () => {
    const parsed = parseRow(3, [...cellsOf(BASE), 'stray'], header);
    expect(parsed.problems.map((p) => [p.letter, p.code])).toEqual([['AD', 'cell_outside_columns']]);
    expect(describeProblemPlace({ line: 3, column: 'received_on', letter: 'C' })).toBe('line 3, column C (received_on)');
  });
});

describe('repeated references', () => {
  it('drops an exact repeat and reports one with different content, naming the first line', () => {
    const row = (summary: string, line: number) => {
      const parsed = parseRow(line, cellsOf({ ...BASE, summary }), header);
      if (parsed.row === undefined) throw new Error('bad row');
      return { line, row: parsed.row };
    };
    const result = withoutRepeats([row('a', 2), row('a', 3), row('b', 4)], header);
    expect(result.unique.map((u) => u.line)).toEqual([2]);
    expect(result.repeats).toBe(1);
    expect(result.problems.map((p) => [p.line, p.letter, p.code, p.message])).toEqual([[4, 'A', 'duplicate_reference', 'The reference CSC-2011-0001 is on line 2 too, with different summary']]);
  });
});

describe('status of an imported line', () => {
  it('follows its furthest step', () => {
    const parsed = (cells: Record<string, string>) => {
      const result = parseRow(2, cellsOf({ ...BASE, ...cells }), header);
      if (result.row === undefined) throw new Error(JSON.stringify(result.problems));
      return importedStatus(result.row);
    };
    expect(parsed({})).toEqual({ status: 'registered', stage: 1 });
    expect(parsed({ withdrawn_on: '2011-05-01' })).toEqual({ status: 'withdrawn', stage: 1 });
    expect(parsed({ stage1_responded_on: '2011-05-01' })).toEqual({ status: 'responded', stage: 1 });
    expect(parsed({ stage1_responded_on: '2011-05-01', stage2_requested_on: '2011-05-02' })).toEqual({ status: 'stage2', stage: 2 });
    expect(parsed({ stage1_responded_on: '2011-05-01', stage2_requested_on: '2011-05-02', stage2_responded_on: '2011-06-02' })).toEqual({ status: 'responded', stage: 2 });
    expect(parsed({ stage1_responded_on: '2011-05-01', stage2_requested_on: '2011-05-02', stage2_responded_on: '2011-06-02', stage3_requested_on: '2011-06-03' })).toEqual({ status: 'stage3', stage: 3 });
  });
});

// A valid row in canonical form: written out, escaped, read back, it is the same row.
const date = fc.integer({ min: 0, max: 3000 }).map((n) => new Date(Date.UTC(2005, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const codes = <T extends string>(list: readonly T[]) => fc.uniqueArray(fc.constantFrom(...list), { maxLength: 3 }).map((xs) => [...xs].sort());
const freeText = fc.string({ unit: fc.constantFrom('=', '+', '-', '@', "'", 'a', ' ', ',', '"', '\n', ';', 'é') });
const rowArbitrary: fc.Arbitrary<InterchangeRow> = fc
  .record({
    reference: fc.stringMatching(/^[A-Z0-9][A-Z0-9/_.-]{0,19}$/),
    kind: fc.constantFrom(...REPRESENTATION_KINDS),
    receivedOn: date,
    eventOn: maybe(date),
    youngPersonId: maybe(fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/)),
    complainantRole: maybe(fc.constantFrom(...COMPLAINANT_ROLES)),
    team: maybe(fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,30}[a-z]$/)),
    channel: maybe(fc.constantFrom(...CHANNELS)),
    viaComplaintsTeam: fc.boolean(),
    issues: codes(SEEDED_ISSUE_CODES),
    ethnicity: maybe(fc.constantFrom(...ETHNICITIES)),
    advocacy: fc.constantFrom<[boolean | null, boolean | null]>([null, null], [true, null], [true, true], [true, false]),
    stage1: fc.constantFrom('open', 'responded', 'withdrawn', 'stage2', 'stage3'),
    extended: fc.boolean(),
    finding: maybe(fc.constantFrom(...FINDINGS)),
    remedies: codes(REMEDIES),
    delayReasons: codes(DELAY_REASONS),
    gaps: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 7, maxLength: 7 }),
    cost: maybe(fc.integer({ min: 0, max: 99_999_999 })),
    ombudsman: fc.boolean(),
    decision: maybe(fc.constantFrom(...OMBUDSMAN_DECISIONS)),
    source: maybe(fc.constantFrom(...COMPLIMENT_SOURCES)),
    summary: freeText,
  })
  .map((r) => {
    const after = (from: string, days: number | undefined): string => new Date(Date.parse(`${from}T00:00:00Z`) + (days ?? 0) * 86_400_000).toISOString().slice(0, 10);
    const later = r.kind === 'children_statutory' && (r.stage1 === 'stage2' || r.stage1 === 'stage3');
    const responded = r.stage1 !== 'open' && r.stage1 !== 'withdrawn' && (r.kind === 'children_statutory' || r.stage1 === 'responded') ? after(r.receivedOn, r.gaps[0]) : null;
    const s2req = later && responded !== null ? after(responded, r.gaps[1]) : null;
    const s2start = s2req === null ? null : after(s2req, r.gaps[2]);
    const s2resp = s2start === null || r.stage1 !== 'stage3' ? null : after(s2start, r.gaps[3]);
    const s3req = s2resp === null ? null : after(s2resp, r.gaps[4]);
    const panel = s3req === null ? null : after(s3req, r.gaps[5]);
    const row: InterchangeRow = {
      reference: r.reference,
      kind: r.kind,
      receivedOn: r.receivedOn,
      eventOn: r.eventOn,
      youngPersonId: r.youngPersonId,
      complainantRole: r.complainantRole,
      team: r.team,
      channel: r.channel,
      viaComplaintsTeam: r.viaComplaintsTeam,
      issues: r.issues,
      ethnicity: r.youngPersonId === null ? null : r.ethnicity,
      advocacyOffered: r.advocacy[0],
      advocacyAccepted: r.advocacy[1],
      stage1Extended: r.kind === 'children_statutory' ? r.extended : null,
      stage1RespondedOn: responded,
      finding: responded === null ? null : r.finding,
      remedies: r.remedies,
      withdrawnOn: r.stage1 === 'withdrawn' ? after(r.receivedOn, r.gaps[6]) : null,
      delayReasons: r.delayReasons,
      stage2RequestedOn: s2req,
      stage2StartedOn: s2start,
      stage2RespondedOn: s2resp,
      stage2CostPence: s2req === null ? null : r.cost,
      stage3RequestedOn: s3req,
      panelHeldOn: panel,
      ombudsmanEnquiryOn: r.ombudsman ? after(r.receivedOn, r.gaps[6]) : null,
      ombudsmanDecision: r.ombudsman ? r.decision : null,
      complimentSource: r.kind === 'compliment' ? r.source : null,
      summary: r.summary,
    };
    return canonicalRow(row);
  });

describe('round trip', () => {
  it('reads back exactly the canonical row it wrote, formula-like text included', () => {
    fc.assert(
      fc.property(rowArbitrary, (row) => {
        const written = formatRow(row).map(escapeCell);
        const parsed = parseRow(2, written, header);
        expect(parsed.problems).toEqual([]);
        expect(parsed.row === undefined ? undefined : canonicalRow(parsed.row)).toEqual(row);
      }),
      { numRuns: 300 },
    );
  });
});
