import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnLetter, escapeCell, INTERCHANGE_COLUMNS, unescapeCell } from '../../../src/domain/interchange/interchange-columns.ts';
import {
  canExtendStage1,
  canonicalRow,
  describeProblemPlace,
  formatRow,
  importedStatus,
  parseRow,
  readHeader,
  settleEthnicities,
  withoutRepeats,
  type InterchangeRow,
  type LineRow,
} from '../../../src/domain/interchange/interchange-rows.ts';
import { PROCEDURE_KINDS, procedureDefinition } from '../../../src/domain/procedures/procedure-definitions.ts';
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
    [{ kind: 'comment', stage1_extended: 'true' }, 'N', 'not_for_kind'],
    [{ kind: 'compliment', stage1_extended: 'true' }, 'N', 'not_for_kind'],
    [{ kind: 'other_agency', stage1_extended: 'true' }, 'N', 'not_for_kind'],
    [{ received_on: '2011-04-31' }, 'C', 'invalid_date'],
    [{ ethnicity: 'XXXX', young_person_id: 'YP-1' }, 'K', 'unknown_code'],
    [{ stage1_responded_on: '2011-04-20', stage2_requested_on: '2011-04-21', stage2_cost_gbp: '12.345' }, 'W', 'too_many_decimals'],
    [{ stage1_responded_on: '2011-04-20', stage2_requested_on: '2011-04-21', stage2_cost_gbp: '-5' }, 'W', 'negative_amount'],
    [{ stage1_responded_on: '2011-04-20', stage2_requested_on: '2011-04-21', stage2_cost_gbp: 'ten pounds' }, 'W', 'invalid_amount'],
    [{ stage1_responded_on: '2011-04-20', stage2_requested_on: '2011-04-21', stage2_cost_gbp: '1000000000' }, 'W', 'amount_too_large'],
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

describe('Stage 2 cost', () => {
  it.each([
    ['1234', 123_400],
    ['1234.5', 123_450],
    ['1234.56', 123_456],
    ['0.29', 29],
    ['£21020.50', 2_102_050],
    [' 4.35 ', 435],
  ])('reads %j as %i pence, from its digits', (cost, pence) => {
    const parsed = parseRow(2, cellsOf({ ...BASE, stage1_responded_on: '2011-04-20', stage2_requested_on: '2011-04-21', stage2_cost_gbp: cost }), header);
    expect(parsed.problems).toEqual([]);
    expect(parsed.row?.stage2CostPence).toBe(pence);
  });

  it('says what is wrong with an amount it refuses', () => {
    const parsed = parseRow(4, cellsOf({ ...BASE, stage1_responded_on: '2011-04-20', stage2_requested_on: '2011-04-21', stage2_cost_gbp: '12.345' }), header);
    expect(parsed.problems.map((p) => `${describeProblemPlace(p)}: ${p.message}`)).toEqual([
      'line 4, column W (stage2_cost_gbp): "12.345" has more than two decimal places: give pounds and pence, such as 120.50',
    ]);
  });

  it('is written with two decimals, and read back to the penny', () => {
    const parsed = parseRow(2, cellsOf({ ...BASE, stage1_responded_on: '2011-04-20', stage2_requested_on: '2011-04-21', stage2_cost_gbp: '21020.5' }), header);
    if (parsed.row === undefined) throw new Error('bad row');
    const written = formatRow(parsed.row);
    expect(written[INTERCHANGE_COLUMNS.indexOf('stage2_cost_gbp')]).toBe('21020.50');
    expect(parseRow(2, written, header).row?.stage2CostPence).toBe(2_102_050);
    expect(formatRow({ ...parsed.row, stage2CostPence: 350_000 })[INTERCHANGE_COLUMNS.indexOf('stage2_cost_gbp')]).toBe('3500.00');
  });
});

describe('Stage 1 extended', () => {
  it('is allowed for exactly the kinds whose procedure can extend its Stage 1 response time', () => {
    const extendable = PROCEDURE_KINDS.filter((kind) => procedureDefinition(kind).clocks.some((c) => c.stage === 1 && c.canExtend && c.stopsOn !== 'acknowledged'));
    expect(extendable).toEqual(['children_statutory', 'corporate', 'adult_statutory']);
    expect(REPRESENTATION_KINDS.filter(canExtendStage1)).toEqual(extendable);
    for (const kind of REPRESENTATION_KINDS) {
      const parsed = parseRow(2, cellsOf({ ...BASE, kind, stage1_extended: 'true', stage1_responded_on: '2011-04-20' }), header);
      if (extendable.includes(kind as (typeof extendable)[number])) expect(parsed.problems, kind).toEqual([]);
      else expect(parsed.problems.map((p) => [p.letter, p.code]), kind).toEqual([['N', 'not_for_kind']]);
    }
  });

  it('is kept for a corporate or adult complaint recorded as extended, as for a children’s one', () => {
    for (const kind of ['corporate', 'adult_statutory', 'children_statutory']) {
      const parsed = parseRow(2, cellsOf({ ...BASE, kind, stage1_extended: 'true', stage1_responded_on: '2011-04-20' }), header);
      if (parsed.row === undefined) throw new Error(JSON.stringify(parsed.problems));
      expect(canonicalRow(parsed.row).stage1Extended, kind).toBe(true);
    }
    // Open, not extended: a corporate complaint's Stage 1 clock waits for its acknowledgement, so "false" is not kept.
    const open = (kind: string) => parseRow(2, cellsOf({ ...BASE, kind, stage1_extended: 'false' }), header).row;
    expect(canonicalRow(open('corporate') as InterchangeRow).stage1Extended).toBeNull();
    expect(canonicalRow(open('adult_statutory') as InterchangeRow).stage1Extended).toBe(false);
  });
});

describe('a young person’s ethnicity', () => {
  const lineRow = (line: number, cells: Record<string, string>): LineRow => {
    const parsed = parseRow(line, cellsOf({ ...BASE, reference: `R-${String(line)}`, young_person_id: 'YP-1', ...cells }), header);
    if (parsed.row === undefined) throw new Error(JSON.stringify(parsed.problems));
    return { line, row: parsed.row };
  };

  it('is the one on their latest line, and each line that disagrees is a warning naming both values', () => {
    const rows = [lineRow(2, { received_on: '2011-09-01', ethnicity: 'WBRI' }), lineRow(3, { received_on: '2011-05-01', ethnicity: 'BCRB' }), lineRow(4, { received_on: '2011-06-01' })];
    const { people, warnings } = settleEthnicities(rows, new Map(), header);
    expect(people.get('YP-1')).toEqual({ ethnicity: 'WBRI', recorded: null });
    expect(warnings.map((w) => [w.line, w.letter, w.column, w.code])).toEqual([[3, 'K', 'ethnicity', 'ethnicity_conflict']]);
    expect(warnings[0]?.message).toBe('The young person YP-1 has the ethnicity BCRB here but WBRI on line 2, their latest line (received 2011-09-01): they keep WBRI');
  });

  it('on the same date of receipt, is the one on the later line of the file', () => {
    const rows = [lineRow(2, { received_on: '2011-09-01', ethnicity: 'WBRI' }), lineRow(3, { received_on: '2011-09-01', ethnicity: 'BCRB' })];
    const { people, warnings } = settleEthnicities(rows, new Map(), header);
    expect(people.get('YP-1')?.ethnicity).toBe('BCRB');
    expect(warnings.map((w) => [w.line, w.code])).toEqual([[2, 'ethnicity_conflict']]);
  });

  it('replaces what the records hold, with a warning; and keeps it when no line gives one', () => {
    const replaced = settleEthnicities([lineRow(2, { ethnicity: 'BCRB' })], new Map([['YP-1', 'WBRI' as const]]), header);
    expect(replaced.people.get('YP-1')).toEqual({ ethnicity: 'BCRB', recorded: 'WBRI' });
    expect(replaced.warnings.map((w) => [w.line, w.letter, w.code, w.message])).toEqual([
      [2, 'K', 'ethnicity_replaces_recorded', 'The young person YP-1 is recorded with the ethnicity WBRI; this line, their latest in the file, gives BCRB, which replaces it'],
    ]);
    const kept = settleEthnicities([lineRow(2, {})], new Map([['YP-1', 'WBRI' as const]]), header);
    expect(kept).toEqual({ people: new Map([['YP-1', { ethnicity: 'WBRI', recorded: 'WBRI' }]]), warnings: [] });
    const same = settleEthnicities([lineRow(2, { ethnicity: 'WBRI' })], new Map([['YP-1', 'WBRI' as const]]), header);
    expect(same.warnings).toEqual([]);
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
      stage1Extended: canExtendStage1(r.kind) ? r.extended : null,
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
