import { describe, expect, it } from 'vitest';
import {
  changeFromLastYear,
  countCell,
  countInWords,
  listInWords,
  noun,
  percentage,
  percentageCell,
  quantity,
  sentence,
  shareOf,
} from '../../../src/domain/reports/report-phrasing.ts';

const complaints = noun('complaint');
const youngPeople = noun('young person', 'young people');

describe('report phrasing', () => {
  it('writes counts with their noun, singular or plural', () => {
    expect(quantity(0, complaints)).toBe('0 complaints');
    expect(quantity(1, complaints)).toBe('1 complaint');
    expect(quantity(111, complaints)).toBe('111 complaints');
    expect(quantity(1, youngPeople)).toBe('1 young person');
    expect(quantity(94, youngPeople)).toBe('94 young people');
  });

  it('gives percentages to one decimal place, none without a base', () => {
    expect(percentage(7, 104)).toBe('6.7%');
    expect(percentage(1, 3)).toBe('33.3%');
    expect(percentage(2, 3)).toBe('66.7%');
    expect(percentage(5, 5)).toBe('100.0%');
    expect(percentage(0, 12)).toBe('0.0%');
    expect(percentage(3, 0)).toBeUndefined();
    expect(percentageCell(3, 0)).toBe('–');
  });

  it('describes a rise, a fall and no change against last year', () => {
    expect(changeFromLastYear(111, 104, '2010/11', complaints)).toBe('111 complaints, 7 more than in 2010/11 (104), a rise of 6.7%');
    expect(changeFromLastYear(37, 56, '2010/11', noun('compliment'))).toBe('37 compliments, 19 fewer than in 2010/11 (56), a fall of 33.9%');
    expect(changeFromLastYear(104, 104, '2010/11', complaints)).toBe('104 complaints, the same as in 2010/11');
    expect(changeFromLastYear(5, 0, '2010/11', complaints)).toBe('5 complaints, 5 more than in 2010/11 (0)');
    expect(changeFromLastYear(1, 2, '2010/11', complaints)).toBe('1 complaint, 1 fewer than in 2010/11 (2), a fall of 50.0%');
    expect(changeFromLastYear(12, undefined, '', complaints)).toBe('12 complaints');
  });

  it('suppresses counts from 1 to 4 in public versions, and no change is worked out from them', () => {
    const pub = { suppressSmall: true };
    expect([0, 1, 4, 5].map((n) => countCell(n, pub))).toEqual(['0', '<5', '<5', '5']);
    expect(countCell(3)).toBe('3');
    expect(quantity(3, complaints, pub)).toBe('fewer than 5 complaints');
    expect(quantity(0, complaints, pub)).toBe('0 complaints');
    expect(countInWords(2, pub)).toBe('fewer than 5');
    expect(percentageCell(2, 10, pub)).toBe('–');
    expect(changeFromLastYear(3, 10, '2010/11', complaints, pub)).toBe('fewer than 5 complaints (10 complaints in 2010/11)');
    expect(changeFromLastYear(111, 104, '2010/11', complaints, pub)).toBe('111 complaints, 7 more than in 2010/11 (104), a rise of 6.7%');
    expect(shareOf(3, 40, 'complaints', pub)).toBe('fewer than 5 of the 40 complaints');
  });

  it('writes shares, lists and sentences', () => {
    expect(shareOf(44, 101, 'complaints responded to')).toBe('44 of the 101 complaints responded to (43.6%)');
    expect(shareOf(0, 0, 'complaints')).toBe('0 of the 0 complaints');
    expect(listInWords([])).toBe('');
    expect(listInWords(['delay'])).toBe('delay');
    expect(listInWords(['delay', 'placement'])).toBe('delay and placement');
    expect(listInWords(['a', 'b', 'c'])).toBe('a, b and c');
    expect(sentence('an advocate was offered')).toBe('An advocate was offered.');
    expect(sentence('Done.')).toBe('Done.');
  });
});
