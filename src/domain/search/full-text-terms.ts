/**
 * What a search box's text means for full-text search, before any database sees it: the
 * words typed, all of which must match, the last one also as the start of a longer word
 * ("bull" finds "bullying"). Everything that is not a letter, digit or combining mark
 * separates words, so quotes, `*`, `(`, `-`, `:`, `&|!` and the like never reach a query
 * language; words such as NEAR, AND or NOT are only words. Each engine's query syntax is
 * written from these terms in `src/db/full-text-search.ts`.
 */

/** The most words a search uses; more are ignored (the box takes 200 characters anyway). */
export const MAX_SEARCH_WORDS = 16;

export interface FullTextTerms {
  /** Lower-case words (NFC), letters, digits and combining marks only, in the order typed. */
  readonly words: readonly [string, ...string[]];
  /** True when the last word also matches as the start of a longer word. */
  readonly isLastPrefix: boolean;
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The terms to search for, or undefined when the text has no words (nothing to match). */
export function fullTextTerms(text: string): FullTextTerms | undefined {
  const normalised = text.normalize('NFC').toLowerCase();
  const found = normalised.match(WORD) ?? [];
  const [first, ...rest] = found.slice(0, MAX_SEARCH_WORDS);
  if (first === undefined) return undefined;
  // Search as you type: the last word may be unfinished, unless words beyond the limit were dropped.
  const isLastPrefix = found.length <= MAX_SEARCH_WORDS;
  return { words: [first, ...rest], isLastPrefix };
}
