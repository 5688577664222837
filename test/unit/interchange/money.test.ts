/**
 * Money to the penny: amounts are kept in pence and converted to and from pounds through
 * their decimal digits, never a float times 100, so every amount comes back exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPence, MAX_EXACT_PENCE, parsePounds, penceToPounds, penceToPoundsText, poundsToPence } from '../../../src/domain/money.ts';

const pence = fc.integer({ min: 0, max: MAX_EXACT_PENCE });
const readPounds = (text: string): number | undefined => {
  const read = parsePounds(text, { allowsOneDecimal: true });
  return 'pence' in read ? read.pence : undefined;
};

describe('pounds and pence', () => {
  it('turns pence into pounds exactly: as text with two decimals, and as a JSON number', () => {
    expect(penceToPoundsText(2_102_050)).toBe('21020.50');
    expect(penceToPoundsText(350_000)).toBe('3500.00');
    expect(penceToPoundsText(7)).toBe('0.07');
    expect(penceToPoundsText(0)).toBe('0.00');
    expect(penceToPounds(2_102_050)).toBe(21020.5);
    expect(JSON.stringify({ cost_gbp: penceToPounds(2_102_050) })).toBe('{"cost_gbp":21020.5}');
    expect(JSON.stringify(penceToPounds(30))).toBe('0.3'); // 0.1 + 0.2 in floats would be 0.30000000000000004
    expect(() => penceToPoundsText(12.5)).toThrow(RangeError);
  });

  it('reads pounds from their digits, never through a float', () => {
    expect(readPounds('1234')).toBe(123_400);
    expect(readPounds('1234.5')).toBe(123_450);
    expect(readPounds('1234.56')).toBe(123_456);
    expect(readPounds('0.29')).toBe(29); // 0.29 × 100 is 28.999999999999996 in floats
    expect(readPounds('£ 4.35')).toBe(435); // 4.35 × 100 is 434.99999999999994
    expect(readPounds('0007.10')).toBe(710);
    expect(parsePounds('12.345')).toEqual({ problem: 'too_many_decimals' });
    expect(parsePounds('-5')).toEqual({ problem: 'negative' });
    expect(parsePounds('£-5.00')).toEqual({ problem: 'negative' });
    expect(parsePounds('ten')).toEqual({ problem: 'not_an_amount' });
    expect(parsePounds('')).toEqual({ problem: 'not_an_amount' });
    expect(parsePounds('1e3')).toEqual({ problem: 'not_an_amount' });
    expect(parsePounds('1,000')).toEqual({ problem: 'not_an_amount' });
    expect(parsePounds('1,000', { allowsThousands: true })).toEqual({ pence: 100_000 });
    expect(parsePounds('12.5')).toEqual({ problem: 'not_an_amount' });
    expect(parsePounds('1000000000000000')).toEqual({ problem: 'too_large' });
    expect(parsePounds('1000.01', { maxPence: 100_000 })).toEqual({ problem: 'too_large' });
  });

  it('gives back the very pence: pence → pounds text → pence, and pence → JSON number → pence', () => {
    fc.assert(fc.property(pence, (p) => readPounds(penceToPoundsText(p)) === p));
    fc.assert(fc.property(pence, (p) => readPounds(JSON.stringify(penceToPounds(p))) === p));
    fc.assert(fc.property(pence, (p) => poundsToPence(formatPence(p, 'full')) === p));
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), (p) => poundsToPence(penceToPounds(p)) === p));
  });

  it('reads amounts as people type them in forms, and numbers from an API body', () => {
    expect(poundsToPence('250')).toBe(25_000);
    expect(poundsToPence('£1,250.50')).toBe(125_050);
    expect(poundsToPence('12.5')).toBeUndefined();
    expect(poundsToPence(0.29)).toBe(29);
    expect(poundsToPence(1250.5)).toBe(125_050);
    expect(poundsToPence(0.1 + 0.2)).toBeUndefined();
    expect(poundsToPence(-1)).toBeUndefined();
    expect(poundsToPence(Number.NaN)).toBeUndefined();
  });

  it('shows amounts in £ with pence for reports, and whole pounds short on pages', () => {
    expect(formatPence(2_102_050, 'full')).toBe('£21,020.50');
    expect(formatPence(350_000, 'full')).toBe('£3,500.00');
    expect(formatPence(5, 'full')).toBe('£0.05');
    expect(formatPence(123_456_789_012, 'full')).toBe('£1,234,567,890.12');
    expect(formatPence(30_000)).toBe('£300');
    expect(formatPence(125_050)).toBe('£1,250.50');
    expect(formatPence(-125_050)).toBe('-£1,250.50');
  });
});
