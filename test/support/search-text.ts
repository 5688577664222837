/** Search-box text for property tests: any text, and text made of query-language pieces. */
import fc from 'fast-check';

/** Pieces of FTS5, tsquery, LIKE and SQL syntax, with words and combining marks among them. */
export const QUERY_SYNTAX_PIECES = [
  '"', '""', '*', '(', ')', 'NEAR', 'NEAR/2', 'AND', 'OR', 'NOT', '-', '+', ':', "'", "''", '&', '|', '!', '<->', ':*', '\\', '^', '{', '}',
  '%', '_', ';', '--', '/*', '*/', ' ', '  ', '\t', '\n', 'summary', 'body', 'rowid', 'bullied', 'Bull', 'café', 'e\u0301', '\u0301', '½', '²', '一', 'İ', 'ß', '\u0000', '\uFFFD',
] as const;

/** Any string a search box might be given. */
export const searchText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.array(fc.constantFrom(...QUERY_SYNTAX_PIECES), { maxLength: 20 }).map((pieces) => pieces.join('')),
);
