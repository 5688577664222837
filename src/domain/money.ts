/**
 * Amounts of money, kept in pence (whole numbers) and typed and shown in pounds.
 *
 * Every conversion goes through the digits of the amount written in decimal, never through
 * a float multiplied or divided by 100: "0.29" is 29 pence (0.29 × 100 is 28.999…), and
 * 2,102,050 pence is 21020.5 pounds. Amounts are exact up to `MAX_EXACT_PENCE`, far beyond
 * anything a council records.
 */

/**
 * The largest amount, in pence, that every conversion here keeps exact: fifteen digits, the
 * most a JSON number (a double) always gives back digit for digit.
 */
export const MAX_EXACT_PENCE = 999_999_999_999_999;

/** Why a text is not an amount in pounds. */
export type PoundsProblem = 'not_an_amount' | 'negative' | 'too_many_decimals' | 'too_large';

export interface PoundsOptions {
  /** Accept commas between groups of three digits ("1,250.50"). */
  readonly allowsThousands?: boolean;
  /** Accept one decimal ("12.5": 1,250 pence) as well as two. */
  readonly allowsOneDecimal?: boolean;
  /** The largest amount accepted, in pence (`MAX_EXACT_PENCE` when not given). */
  readonly maxPence?: number;
}

const POUNDS_TEXT = /^(-)?\s*£?\s*(-)?\s*(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/;

/**
 * Pounds written as text ("1234", "1234.5", "£1,234.56") as whole pence, read from the
 * digits; or why it is not an amount. An optional "£" may come first.
 */
export function parsePounds(text: string, options: PoundsOptions = {}): { readonly pence: number } | { readonly problem: PoundsProblem } {
  const match = POUNDS_TEXT.exec(text.trim());
  const whole = match?.[3];
  if (match === null || whole === undefined || (match[1] !== undefined && match[2] !== undefined)) return { problem: 'not_an_amount' };
  if (whole.includes(',') && options.allowsThousands !== true) return { problem: 'not_an_amount' };
  if (match[1] !== undefined || match[2] !== undefined) return { problem: 'negative' };
  const decimals = match[4] ?? '';
  if (decimals.length > 2) return { problem: 'too_many_decimals' };
  if (decimals.length === 1 && options.allowsOneDecimal !== true) return { problem: 'not_an_amount' };
  const digits = `${whole.replaceAll(',', '').replace(/^0+(?=\d)/, '')}${decimals.padEnd(2, '0')}`;
  const max = options.maxPence ?? MAX_EXACT_PENCE;
  if (digits.length > String(MAX_EXACT_PENCE).length) return { problem: 'too_large' };
  const pence = Number(digits);
  return pence > max ? { problem: 'too_large' } : { pence };
}

/**
 * Pounds as people type them ("£1,250.50", "250") in pence; undefined when it is not an
 * amount. A number (from an API body) may have one or two decimals (1250.5).
 */
export function poundsToPence(raw: unknown): number | undefined {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return undefined;
    const read = parsePounds(String(raw), { allowsOneDecimal: true });
    return 'pence' in read ? read.pence : undefined;
  }
  if (typeof raw !== 'string') return undefined;
  const read = parsePounds(raw, { allowsThousands: true });
  return 'pence' in read ? read.pence : undefined;
}

function checkedPence(pence: number): number {
  if (!Number.isSafeInteger(pence)) throw new RangeError(`an amount in pence must be a whole number (got ${String(pence)})`);
  return pence;
}

/** The pounds and the pence of an amount, as digits: 2102050 → ["21020", "50"]; negative amounts keep their sign on the pounds. */
function poundsAndPence(pence: number): { sign: string; pounds: string; rest: string } {
  const amount = checkedPence(pence);
  const digits = String(Math.abs(amount)).padStart(3, '0');
  return { sign: amount < 0 ? '-' : '', pounds: digits.slice(0, -2), rest: digits.slice(-2) };
}

/** Pounds with pence as plain text, as files carry them: 2102050 → "21020.50", 350000 → "3500.00". */
export function penceToPoundsText(pence: number): string {
  const { sign, pounds, rest } = poundsAndPence(pence);
  return `${sign}${pounds}.${rest}`;
}

/**
 * Pounds as a number with at most two decimals, for JSON and spreadsheets: 2102050 → 21020.5.
 * It is the number nearest the exact decimal, so JSON writes it digit for digit ("21020.5").
 */
export function penceToPounds(pence: number): number {
  return Number(penceToPoundsText(pence));
}

function grouped(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+$)/g, ',');
}

/**
 * An amount for people to read: "£1,250.50", and "£350" for whole pounds (`short`, the
 * default) or "£350.00" (`full`: always with pence, as reports and their tables show money).
 */
export function formatPence(pence: number, style: 'short' | 'full' = 'short'): string {
  const { sign, pounds, rest } = poundsAndPence(pence);
  return `${sign}£${grouped(pounds)}${style === 'short' && rest === '00' ? '' : `.${rest}`}`;
}
