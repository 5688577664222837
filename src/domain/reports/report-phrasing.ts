/**
 * Words for report figures: counts with their noun, percentages to one decimal place, and
 * year-on-year change ("111 complaints, 7 more than in 2010/11 (104), a rise of 6.7%").
 * Pure functions, so that every sentence of the report is written the same way and tested.
 *
 * Public versions suppress small numbers: a count from 1 to 4 is shown as
 * "<5" in tables and "fewer than 5" in sentences, and a change is not worked out from one.
 */

export interface Noun {
  readonly one: string;
  readonly many: string;
}

/** "complaint" / "complaints". */
export function noun(one: string, many = `${one}s`): Noun {
  return { one, many };
}

export interface PhrasingOptions {
  /** Suppress counts from 1 to 4 (public versions). */
  readonly suppressSmall?: boolean;
}

/** Whether `n` is a count a public version hides (1 to 4). */
export function isSmallCount(n: number): boolean {
  return n >= 1 && n <= 4;
}

/** A count for a table cell: "<5" when suppressed, otherwise the number. */
export function countCell(n: number, options: PhrasingOptions = {}): string {
  return options.suppressSmall === true && isSmallCount(n) ? '<5' : String(n);
}

/** A bare count in a sentence: "3", or "fewer than 5" when suppressed. */
export function countInWords(n: number, options: PhrasingOptions = {}): string {
  return options.suppressSmall === true && isSmallCount(n) ? 'fewer than 5' : String(n);
}

/** "1 complaint", "0 complaints", "111 complaints"; "fewer than 5 complaints" when suppressed. */
export function quantity(n: number, what: Noun, options: PhrasingOptions = {}): string {
  if (options.suppressSmall === true && isSmallCount(n)) return `fewer than 5 ${what.many}`;
  return `${String(n)} ${n === 1 ? what.one : what.many}`;
}

/** `part` as a percentage of `whole` to one decimal place ("6.7%"); undefined when `whole` is 0. */
export function percentage(part: number, whole: number): string | undefined {
  if (whole === 0) return undefined;
  const value = Math.round((part / whole) * 1000) / 10;
  return `${value.toFixed(1)}%`;
}

/** A percentage for a table cell: "–" when it cannot be given (no base, or a suppressed count). */
export function percentageCell(part: number, whole: number, options: PhrasingOptions = {}): string {
  if (options.suppressSmall === true && isSmallCount(part)) return '–';
  return percentage(part, whole) ?? '–';
}

/**
 * This year's count against last year's:
 * "111 complaints, 7 more than in 2010/11 (104), a rise of 6.7%",
 * "37 compliments, 19 fewer than in 2010/11 (56), a fall of 33.9%",
 * "104 complaints, the same as in 2010/11",
 * "5 complaints, 5 more than in 2010/11 (0)" (no percentage rise from nothing).
 * Without last year's figure, just the count.
 */
export function changeFromLastYear(current: number, previous: number | undefined, previousLabel: string, what: Noun, options: PhrasingOptions = {}): string {
  const now = quantity(current, what, options);
  if (previous === undefined) return now;
  if (options.suppressSmall === true && (isSmallCount(current) || isSmallCount(previous))) {
    return `${now} (${quantity(previous, what, options)} in ${previousLabel})`;
  }
  if (current === previous) return `${now}, the same as in ${previousLabel}`;
  const difference = Math.abs(current - previous);
  const direction = current > previous ? 'more' : 'fewer';
  const change = percentage(difference, previous);
  const trend = change === undefined ? '' : `, a ${current > previous ? 'rise' : 'fall'} of ${change}`;
  return `${now}, ${String(difference)} ${direction} than in ${previousLabel} (${String(previous)})${trend}`;
}

/** "44 of the 101 complaints responded to (43.6%)"; no share when there is no base, or when a count is suppressed. */
export function shareOf(part: number, whole: number, what: string, options: PhrasingOptions = {}): string {
  const isSuppressed = options.suppressSmall === true && (isSmallCount(part) || isSmallCount(whole));
  const share = isSuppressed ? undefined : percentage(part, whole);
  return `${countInWords(part, options)} of the ${countInWords(whole, options)} ${what}${share === undefined ? '' : ` (${share})`}`;
}

/** "a, b and c". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/** Upper-cases the first letter, for a sentence that starts with a phrase. */
export function sentence(text: string): string {
  return text === '' ? text : `${text.charAt(0).toUpperCase()}${text.slice(1)}${text.endsWith('.') ? '' : '.'}`;
}
