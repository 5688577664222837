/**
 * How hard a text is to read: the Flesch–Kincaid grade level,
 *
 *   0.39 × (words ÷ sentences) + 11.8 × (syllables ÷ words) − 15.59,
 *
 * a US school grade; add 5 for the reading age in years. Redress's letters for a child or
 * young person are written for a reading age of about 9 (grade 4 or below).
 *
 * Counting, kept simple and stated so that the figure can be checked by hand:
 *
 * - a sentence ends at `.`, `!` or `?` followed by a space or the end, or at a line end (a
 *   line of a list, or of a sign-off, is a sentence of its own);
 * - a word is a run of letters, digits and inner apostrophes, full stops or hyphens
 *   (`www.lgo.org.uk`, `CSC-2026-0042`, `don’t` are one word each);
 * - syllables: a number counts as one; otherwise the groups of vowels (a e i o u y), less a
 *   silent final `e` (but not `-le`), less `-es` and `-ed` endings that add no sound, and at
 *   least one a word.
 */

export interface ReadabilityCounts {
  readonly sentences: number;
  readonly words: number;
  readonly syllables: number;
}

const WORD = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;

/** The text's sentences (trimmed, non-empty). */
export function sentencesOf(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => wordsOf(s).length > 0);
}

export function wordsOf(text: string): string[] {
  return [...text.matchAll(WORD)].map((m) => m[0]);
}

/** Syllables in one word, by the vowel-group rule above. */
export function syllablesIn(word: string): number {
  if (/^[\p{N}]/u.test(word) && !/\p{L}{2}/u.test(word)) return 1;
  const letters = word.toLowerCase().replace(/[^a-z]/g, '');
  if (letters === '') return 1;
  if (letters.length <= 3) return 1;
  let stem = letters;
  if (/[^aeiouy]es$|[^aeiouytd]ed$/.test(stem)) stem = stem.slice(0, -2);
  else if (/[^l]e$/.test(stem) || (/le$/.test(stem) && /[aeiouy]le$/.test(stem))) stem = stem.slice(0, -1);
  const groups = stem.replace(/^y/, '').match(/[aeiouy]+/g) ?? [];
  return Math.max(1, groups.length);
}

export function readabilityCounts(text: string): ReadabilityCounts {
  const sentences = sentencesOf(text);
  const words = sentences.flatMap(wordsOf);
  return { sentences: sentences.length, words: words.length, syllables: words.reduce((sum, word) => sum + syllablesIn(word), 0) };
}

/** The Flesch–Kincaid grade of the counts; 0 for a text with no words. */
export function fleschKincaidGradeOf(counts: ReadabilityCounts): number {
  if (counts.words === 0 || counts.sentences === 0) return 0;
  return 0.39 * (counts.words / counts.sentences) + 11.8 * (counts.syllables / counts.words) - 15.59;
}

export function fleschKincaidGrade(text: string): number {
  return fleschKincaidGradeOf(readabilityCounts(text));
}

/** The reading age, in years, the grade stands for (grade + 5). */
export function readingAge(text: string): number {
  return fleschKincaidGrade(text) + 5;
}
