import { describe, expect, it } from 'vitest';
import { shippedCalendar } from '../../../src/domain/calendar/shipped-holidays.ts';
import { LETTER_DEFINITIONS, LETTERS, defaultWording } from '../../../src/domain/letters/letter-definitions.ts';
import { letterAudienceFor } from '../../../src/domain/letters/letter-audience.ts';
import { fillLetter, segmentsText, templateProblems, type FilledLetter } from '../../../src/domain/letters/letter-template.ts';
import { letterValues, type LetterCaseFacts } from '../../../src/domain/letters/letter-values.ts';
import { fleschKincaidGrade, readabilityCounts, sentencesOf, syllablesIn, wordsOf } from '../../../src/domain/letters/readability.ts';

const calendar = shippedCalendar();

/** A child's complaint with every stage recorded, in the words a case really holds. */
const childFacts = (overrides: Partial<LetterCaseFacts> = {}): LetterCaseFacts => ({
  reference: 'CSC-2026-0042',
  kind: 'children_statutory',
  councilName: 'Northshire Council',
  today: '2026-11-26',
  complainantName: 'Jade Smith',
  complainantRole: 'child',
  advocateName: 'Priya Shah',
  youngPersonId: 'YP-1234',
  teamName: 'Care Team North',
  receivedOn: '2026-11-20',
  acknowledgedOn: '2026-11-23',
  respondedOn: '2026-12-03',
  withdrawnOn: '2026-12-01',
  stage1: { dueOn: '2026-12-04', extraWorkingDays: 10, extensionReason: 'we need to talk to your social worker, who is away' },
  findingLabel: 'Partially upheld',
  findingCode: 'partially_upheld',
  remedyLabels: ['Apology', 'Explanation'],
  responderName: 'Alex Brown',
  informationRequestedOn: '2026-11-24',
  informationRequested: 'Which days did your visits not happen?',
  closureWarningSentOn: '2026-12-08',
  later: {
    stage2RequestedOn: '2026-12-10',
    statementAgreedOn: '2026-12-14',
    stage2: { dueOn: '2027-01-25', extraWorkingDays: 10, extensionReason: 'the person looking at it was ill' },
    investigatingOfficer: 'Chris Green',
    independentPerson: 'Pat Hill',
    adjudicatedOn: '2027-01-20',
    stage2FindingLabel: 'Upheld',
    stage2FindingCode: 'upheld',
    pointFindings: ['1. Your visits with your mum were stopped: we agree', '2. No one told you why: we agree'],
    stage2Recommendations: ['Your social worker will meet you each month.', 'We will tell you about changes to your visits.'],
    stage3RequestedOn: '2027-02-01',
    panelDueOn: '2027-03-15',
    panelMembers: ['Sam Jones (chair)', 'Kim Lee', 'Ravi Patel'],
    panelMetOn: '2027-03-01',
    councilRespondedOn: '2027-03-20',
    panelDecisions: [{ number: 1, text: 'Your visits should start again.', decision: { decision: 'accepted' } }],
  },
  ...overrides,
});

/** The sentences a reader reads: subject and paragraphs (headings excluded), the copy line. */
function readText(letter: FilledLetter): string {
  return [letter.subject, ...letter.blocks.filter((b) => b.kind === 'paragraph').map((b) => b.segments), ...(letter.copyTo === undefined ? [] : [letter.copyTo])]
    .map(segmentsText)
    .join('\n');
}

const childLetter = (key: (typeof LETTERS)[number], overrides: Partial<LetterCaseFacts> = {}): FilledLetter => {
  const facts = childFacts(overrides);
  return fillLetter(key, defaultWording(key, 'child'), letterValues(facts, calendar), letterAudienceFor(facts.complainantRole));
};

describe('Flesch–Kincaid grade', () => {
  it('counts syllables by vowel groups, with the usual endings', () => {
    const cases: [string, number][] = [
      ['cat', 1],
      ['the', 1],
      ['make', 1],
      ['people', 2],
      ['little', 2],
      ['complaint', 2],
      ['council', 2],
      ['asked', 1],
      ['wanted', 2],
      ['agree', 2],
      ['yellow', 2],
      ['advocate', 3],
      ['independent', 4],
      ['2026', 1],
    ];
    for (const [word, n] of cases) expect(syllablesIn(word), word).toBe(n);
  });

  it('splits sentences at full stops, question marks and line ends, and counts words', () => {
    expect(sentencesOf('We got it. Did you?\nFrom\nThe Team')).toEqual(['We got it.', 'Did you?', 'From', 'The Team']);
    expect(wordsOf('Go to www.lgo.org.uk, quote CSC-2026-0042.')).toEqual(['Go', 'to', 'www.lgo.org.uk', 'quote', 'CSC-2026-0042']);
  });

  it('gives the known grades of known sentences', () => {
    // 6 words, 6 syllables, 1 sentence: 0.39 × 6 + 11.8 × 1 − 15.59.
    expect(readabilityCounts('The cat sat on the mat.')).toEqual({ sentences: 1, words: 6, syllables: 6 });
    expect(fleschKincaidGrade('The cat sat on the mat.')).toBeCloseTo(-1.45, 2);
    // Counted by hand: having 2, considered 3, everything 3, your 1, complaint 2, is 1, partially 4,
    // upheld 2, and 1, remedies 3, are 1, described 2, below 2: 13 words, 27 syllables, grade 13.99.
    const hard = 'Having considered everything, your complaint is partially upheld, and remedies are described below.';
    expect(readabilityCounts(hard)).toEqual({ sentences: 1, words: 13, syllables: 27 });
    expect(fleschKincaidGrade(hard)).toBeCloseTo(0.39 * 13 + (11.8 * 27) / 13 - 15.59, 6);
    expect(fleschKincaidGrade(hard)).toBeGreaterThan(12);
  });

  it('rates the standard letters well above the child letters', () => {
    const standard = LETTERS.map((d) => fleschKincaidGrade(readText(fillLetter(d, defaultWording(d, 'standard'), letterValues(childFacts({ complainantRole: 'parent' }), calendar)))));
    const child = LETTERS.map((d) => fleschKincaidGrade(readText(childLetter(d))));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(standard)).toBeGreaterThan(mean(child) + 2);
  });
});

describe('each child letter’s reading age', () => {
  for (const definition of LETTERS) {
    it(`${definition.title}: Flesch–Kincaid grade + 5 ≤ 9`, () => {
      for (const overrides of [{}, { advocateName: null }, { kind: 'corporate' }] satisfies Partial<LetterCaseFacts>[]) {
        const text = readText(childLetter(definition, overrides));
        expect(text).not.toContain('[not recorded');
        const grade = fleschKincaidGrade(text);
        expect(grade + 5, `${definition.key} ${JSON.stringify(overrides)}: grade ${grade.toFixed(2)}\n${text}`).toBeLessThanOrEqual(9);
      }
    });
  }

  it('every child version can be saved as it is, and uses the letter’s required placeholders', () => {
    for (const definition of LETTERS) {
      expect(templateProblems(definition, defaultWording(definition, 'child')), definition.key).toEqual([]);
      expect(definition.childBody, definition.key).toContain('{{ advocate_help }}');
    }
  });

  it('names the advocate, is copied to them, and never shows or asks for an address', () => {
    for (const definition of LETTERS) {
      const letter = childLetter(definition);
      const all = [letter.letterhead.recipient, letter.subject, ...letter.blocks.map((b) => b.segments), letter.copyTo ?? []].map(segmentsText).join('\n');
      expect(all, definition.key).toContain('Your advocate, Priya Shah, has a copy of this letter.');
      expect(segmentsText(letter.copyTo ?? []), definition.key).toBe('Copy to: Priya Shah');
      expect(segmentsText(letter.letterhead.recipient)).toBe('Jade Smith');
      expect(all.toLowerCase(), definition.key).not.toContain('address');
      expect(all, definition.key).toMatch(/^Dear Jade Smith$/m);
    }
    const withoutAdvocate = childLetter(LETTER_DEFINITIONS.acknowledgement, { advocateName: null });
    expect(withoutAdvocate.copyTo).toBeUndefined();
    expect(withoutAdvocate.blocks.map((b) => segmentsText(b.segments)).join('\n')).toContain('An advocate is a person who is on your side.');
  });

  it('a care leaver gets the child version; a parent the standard one, with the address', () => {
    expect(letterAudienceFor('child')).toBe('child');
    expect(letterAudienceFor('care_leaver')).toBe('child');
    expect(letterAudienceFor('parent')).toBe('standard');
    expect(letterAudienceFor(null)).toBe('standard');
    const parent = childFacts({ complainantRole: 'parent', complainantAddress: '1 High Street\nTown' });
    const d = LETTER_DEFINITIONS.acknowledgement;
    const letter = fillLetter(d, defaultWording(d, 'standard'), letterValues(parent, calendar), letterAudienceFor(parent.complainantRole));
    expect(segmentsText(letter.letterhead.recipient)).toBe('Jade Smith\n1 High Street\nTown');
    expect(letter.copyTo).toBeUndefined();
  });
});
