import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REFERENCE_PREFIXES, parseReference, referenceFor, tryParseReference } from '../../../src/domain/taxonomies/case-reference.ts';
import { REPRESENTATION_KINDS } from '../../../src/domain/taxonomies/representation-kinds.ts';
import { codeOf } from '../../support/domain-errors.ts';

const kind = fc.constantFrom(...REPRESENTATION_KINDS);
const year = fc.integer({ min: 1000, max: 9999 });
const sequence = fc.oneof(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }));

describe('case references', () => {
  it('are written PREFIX-YEAR-NUMBER with at least four digits', () => {
    expect(referenceFor('children_statutory', 2026, 42)).toBe('CSC-2026-0042');
    expect(referenceFor('children_statutory', 2026, 1)).toBe('CSC-2026-0001');
    expect(referenceFor('children_statutory', 2026, 9999)).toBe('CSC-2026-9999');
    expect(referenceFor('children_statutory', 2026, 10_000)).toBe('CSC-2026-10000');
    expect(referenceFor('corporate', 2011, 5)).toBe('COR-2011-0005');
    expect(referenceFor('compliment', 2012, 123_456)).toBe('CPL-2012-123456');
  });

  it('have a different three-letter prefix for each kind', () => {
    expect(REFERENCE_PREFIXES).toEqual({
      children_statutory: 'CSC',
      corporate: 'COR',
      adult_statutory: 'ASC',
      informal: 'INF',
      other_agency: 'OAG',
      comment: 'CMT',
      compliment: 'CPL',
    });
  });

  it('parse back to what made them (round trip)', () => {
    fc.assert(
      fc.property(kind, year, sequence, (k, y, s) => {
        const reference = referenceFor(k, y, s);
        expect(parseReference(reference)).toEqual({ kind: k, year: y, sequence: s });
        expect(referenceFor(k, y, s)).toBe(reference);
      }),
    );
  });

  it('have one spelling: whatever parses formats back to itself, trimmed and in capitals', () => {
    const text = fc.oneof(
      fc.string(),
      fc.tuple(fc.constantFrom('CSC', 'cor', 'XYZ', 'Inf'), fc.stringMatching(/^\d{2,5}$/), fc.stringMatching(/^\d{1,7}$/)).map(([p, y, s]) => `${p}-${y}-${s}`),
    );
    fc.assert(
      fc.property(text, (t) => {
        const parts = tryParseReference(t);
        if (parts !== undefined) expect(referenceFor(parts.kind, parts.year, parts.sequence)).toBe(t.trim().toUpperCase());
      }),
    );
  });

  it('forgive spaces and lower case', () => {
    expect(parseReference('  csc-2026-0042 ')).toEqual({ kind: 'children_statutory', year: 2026, sequence: 42 });
  });

  it.each(['CSC-2026-00042', 'CSC-2026-042', 'CSC-2026-0000', 'XYZ-2026-0042', 'CSC-26-0042', 'CSC-0999-0042', 'CSC2026-0042', 'CSC-2026-0042-1', 'CSC–2026–0042', ''])(
    'refuse %j',
    (text) => {
      expect(tryParseReference(text)).toBeUndefined();
      expect(codeOf(() => parseReference(text))).toBe('invalid_reference');
    },
  );

  it('refuse to format a year that is not four digits or a number below 1', () => {
    for (const y of [999, 10_000, 2026.5, Number.NaN]) expect(codeOf(() => referenceFor('comment', y, 1))).toBe('invalid_reference_year');
    for (const s of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1]) expect(codeOf(() => referenceFor('comment', 2026, s))).toBe('invalid_reference_sequence');
  });
});
