import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fullTextTerms, MAX_SEARCH_WORDS } from '../../../src/domain/search/full-text-terms.ts';
import { toFts5Query, toTsQuery } from '../../../src/db/full-text-search.ts';
import { searchText } from '../../support/search-text.ts';

describe('full-text search terms', () => {
  it.each<[string, string[] | undefined, boolean?]>([
    ['bullied', ['bullied'], true],
    ['  Bullied at School ', ['bullied', 'at', 'school'], true],
    ['bullied at scho', ['bullied', 'at', 'scho'], true],
    ['"bullied" NEAR(school home)', ['bullied', 'near', 'school', 'home'], true],
    ['-bullied summary:home', ['bullied', 'summary', 'home'], true],
    ["O'Brien's foster-carer", ['o', 'brien', 's', 'foster', 'carer'], true],
    ["'; drop table representation; --", ['drop', 'table', 'representation'], true],
    ['a & !b | c <-> d:*', ['a', 'b', 'c', 'd'], true],
    ['Café Ærø 2026', ['café', 'ærø', '2026'], true],
    // A decomposed é is composed, as text is usually stored.
    ['cafe\u0301', ['café'], true],
    ['"', undefined],
    ['*()-:\'&|!%_', undefined],
    ['', undefined],
  ])('%j gives %j', (text, words, isLastPrefix) => {
    const terms = fullTextTerms(text);
    if (words === undefined) {
      expect(terms).toBeUndefined();
    } else {
      expect(terms).toEqual({ words, isLastPrefix });
    }
  });

  it(`keeps the first ${String(MAX_SEARCH_WORDS)} words, the last of them then whole`, () => {
    const text = Array.from({ length: MAX_SEARCH_WORDS + 4 }, (_, i) => `w${String(i)}`).join(' ');
    const terms = fullTextTerms(text);
    expect(terms?.words).toHaveLength(MAX_SEARCH_WORDS);
    expect(terms?.words.at(-1)).toBe(`w${String(MAX_SEARCH_WORDS - 1)}`);
    expect(terms?.isLastPrefix).toBe(false);
  });

  it('writes an FTS5 query of quoted words, the last a prefix', () => {
    expect(toFts5Query({ words: ['bullied', 'near', 'scho'], isLastPrefix: true })).toBe('"bullied" "near" "scho"*');
    expect(toFts5Query({ words: ['bullied'], isLastPrefix: false })).toBe('"bullied"');
  });

  it('writes a tsquery of quoted lexemes ANDed, the last a prefix', () => {
    expect(toTsQuery({ words: ['bullied', 'near', 'scho'], isLastPrefix: true })).toBe("'bullied' & 'near' & 'scho':*");
    expect(toTsQuery({ words: ['bullied'], isLastPrefix: false })).toBe("'bullied'");
  });

  it('turns any text into words of letters, digits and marks only, and queries of nothing else', () => {
    fc.assert(
      fc.property(searchText, (text) => {
        const terms = fullTextTerms(text);
        if (terms === undefined) {
          expect(text.normalize('NFC')).not.toMatch(/[\p{L}\p{N}\p{M}]/u);
          return;
        }
        expect(terms.words.length).toBeLessThanOrEqual(MAX_SEARCH_WORDS);
        for (const word of terms.words) expect(word).toMatch(/^[\p{L}\p{N}\p{M}]+$/u);
        expect(toFts5Query(terms)).toMatch(/^"[\p{L}\p{N}\p{M}]+"( "[\p{L}\p{N}\p{M}]+")*\*?$/u);
        expect(toTsQuery(terms)).toMatch(/^'[\p{L}\p{N}\p{M}]+'( & '[\p{L}\p{N}\p{M}]+')*(:\*)?$/u);
      }),
      { numRuns: 2000 },
    );
  });
});
