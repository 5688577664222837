import { describe, expect, it } from 'vitest';
import { shippedCalendar } from '../../../src/domain/calendar/shipped-holidays.ts';
import { LETTER_DEFINITIONS, LETTERS, letterApplies, type LetterCaseState } from '../../../src/domain/letters/letter-definitions.ts';
import { requestTiming, requestWindowEndsOn } from '../../../src/domain/cases/later-stages.ts';
import { LETTER_FIELD_INFO, LETTER_FIELDS } from '../../../src/domain/letters/letter-fields.ts';
import { fillLetter, placeholdersIn, segmentsText, templateProblems, type FilledLetter } from '../../../src/domain/letters/letter-template.ts';
import { letterValues, stage2RouteText, type LetterCaseFacts } from '../../../src/domain/letters/letter-values.ts';
import { letterHtml } from '../../../src/reports/letters/letter-html-renderer.ts';
import { paths } from '../../../src/web/paths.ts';

const calendar = shippedCalendar();
const longDate = (iso: string): string => new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const acknowledgement = LETTER_DEFINITIONS.acknowledgement;
const stage1 = LETTER_DEFINITIONS.stage1_response;

/** The whole letter as plain text, paragraphs separated by blank lines. */
function plain(letter: FilledLetter): string {
  return [letter.subject, ...letter.blocks.map((b) => b.segments)].map(segmentsText).join('\n\n');
}

const facts = (overrides: Partial<LetterCaseFacts> = {}): LetterCaseFacts => ({
  reference: 'CSC-2026-0042',
  kind: 'children_statutory',
  councilName: 'Demo Council',
  today: '2026-11-26',
  complainantName: 'Sam Parent',
  complainantAddress: '1 High Street\nTown\nAB1 2CD',
  teamName: 'Care Management North',
  receivedOn: '2026-11-20',
  stage1: { dueOn: '2026-12-04', extraWorkingDays: 0 },
  ...overrides,
});

describe('the letters as data', () => {
  it('every shipped default can be saved as it is, with only the placeholders its letter may use', () => {
    for (const definition of LETTERS) {
      expect(templateProblems(definition, { subject: definition.defaultSubject, body: definition.defaultBody }), definition.key).toEqual([]);
      for (const name of definition.required) expect(definition.fields, definition.key).toContain(name);
    }
  });

  it('describes every placeholder', () => {
    for (const name of LETTER_FIELDS) expect(LETTER_FIELD_INFO[name].label).not.toBe('');
  });

  it.each<[keyof typeof LETTER_DEFINITIONS, Partial<LetterCaseState>, boolean]>([
    ['acknowledgement', {}, true],
    ['acknowledgement', { kind: 'compliment' }, false],
    ['acknowledgement', { status: 'withdrawn' }, false],
    ['extension', {}, false],
    ['extension', { isExtended: true }, true],
    ['stage1_response', { status: 'responded', hasResponse: true }, true],
    ['request_for_information', { status: 'allocated' }, true],
    ['closure_warning', { status: 'awaiting_information' }, false],
    ['closure_warning', { status: 'awaiting_information', hasInformationRequest: true }, true],
    ['withdrawal', { status: 'withdrawn' }, true],
    ['withdrawal', {}, false],
    // Stage 2: the Children Act investigation and the corporate procedure's second look have letters of their own.
    ['stage2_acknowledgement', { status: 'stage2' }, true],
    ['stage2_acknowledgement', { status: 'stage2', kind: 'corporate' }, false],
    ['corporate_stage2_acknowledgement', { status: 'stage2', kind: 'corporate' }, true],
    ['corporate_stage2_acknowledgement', { status: 'stage2' }, false],
    ['stage2_extension', { status: 'stage2', kind: 'corporate', isStage2Extended: true }, true],
    // The corporate Stage 2 response is final: the Ombudsman, never a review panel.
    ['stage2_adjudication', { status: 'responded', isStage2Adjudicated: true }, true],
    ['stage2_adjudication', { status: 'responded', kind: 'corporate', isStage2Adjudicated: true }, false],
    ['corporate_final_response', { status: 'responded', kind: 'corporate', isStage2Adjudicated: true }, true],
    ['corporate_final_response', { status: 'closed', kind: 'corporate', isStage2Adjudicated: true }, true],
    ['corporate_final_response', { status: 'responded', kind: 'corporate' }, false],
    ['corporate_final_response', { status: 'responded', isStage2Adjudicated: true }, false],
  ])('%s applies to %o: %s', (key, state, expected) => {
    const base: LetterCaseState = { kind: 'children_statutory', status: 'allocated', isExtended: false, hasResponse: false, hasInformationRequest: false };
    expect(letterApplies(LETTER_DEFINITIONS[key], { ...base, ...state })).toBe(expected);
  });
});

describe('checking a template', () => {
  const ok = { subject: 'Your complaint {{ case_reference }}', body: 'Dear {{complainant_name}}\n\nThank you.' };

  it('accepts placeholders with or without spaces', () => {
    expect(templateProblems(acknowledgement, ok)).toEqual([]);
    expect(placeholdersIn(ok.body)).toEqual(['complainant_name']);
  });

  it('refuses an empty letter and an empty subject', () => {
    expect(templateProblems(acknowledgement, { subject: ' ', body: '  \n ' }).map((p) => [p.code, p.field])).toEqual([
      ['subject_required', 'subject'],
      ['body_required', 'body'],
    ]);
  });

  it('names each unknown placeholder, and one this letter may not use', () => {
    const problems = templateProblems(acknowledgement, { subject: ok.subject, body: 'Dear {{ complainant_nmae }}\n\n{{ finding }} {{ complainant_nmae }}' });
    expect(problems.map((p) => p.code)).toEqual(['unknown_placeholder', 'unknown_placeholder']);
    expect(problems[0]?.message).toContain('{{ complainant_nmae }}');
    expect(problems[1]?.message).toContain('{{ finding }}');
  });

  it('refuses a placeholder that is not a name, and one left open', () => {
    expect(templateProblems(acknowledgement, { subject: ok.subject, body: 'Dear {{ Name() }}' }).map((p) => p.code)).toEqual(['invalid_placeholder']);
    expect(templateProblems(acknowledgement, { subject: ok.subject, body: 'Dear {{ complainant_name' }).map((p) => p.code)).toEqual(['unclosed_placeholder']);
    expect(templateProblems(acknowledgement, { subject: '{{ case_reference', body: ok.body }).map((p) => [p.code, p.field])).toEqual([['unclosed_placeholder', 'subject']]);
  });

  it('refuses a Stage 1 response that does not say how to ask for Stage 2', () => {
    const problems = templateProblems(stage1, { subject: 'Response', body: 'Dear {{ complainant_name }}\n\nYour complaint is {{ finding }}.' });
    expect(problems.map((p) => p.code)).toEqual(['required_placeholder_missing']);
    expect(problems[0]?.message).toContain('{{ stage2_route }}');
    expect(templateProblems(stage1, { subject: 'Response', body: 'Your complaint is {{ finding }}.\n\n{{ stage2_route }}' })).toEqual([]);
  });
});

describe('filling a letter', () => {
  it('fills values, keeps paragraphs, headings and line breaks', () => {
    const letter = fillLetter(acknowledgement, { subject: 'Ref {{ case_reference }}', body: 'Dear {{ complainant_name }}\n\n## Next\n\nDue by {{ due_date }}.\nThanks' }, letterValues(facts(), calendar));
    expect(segmentsText(letter.subject)).toBe('Ref CSC-2026-0042');
    expect(letter.blocks.map((b) => [b.kind, segmentsText(b.segments)])).toEqual([
      ['paragraph', 'Dear Sam Parent'],
      ['heading', 'Next'],
      ['paragraph', 'Due by 4 December 2026.\nThanks'],
    ]);
    expect(segmentsText(letter.letterhead.recipient)).toBe('Sam Parent\n1 High Street\nTown\nAB1 2CD');
    expect(segmentsText(letter.letterhead.date)).toBe('26 November 2026');
  });

  it('shows a value not recorded as a visible gap', () => {
    const letter = fillLetter(acknowledgement, { subject: 'S', body: 'Due by {{ due_date }}, address {{ complainant_address }}' }, letterValues(facts({ stage1: undefined, complainantAddress: null }), calendar));
    expect(plain(letter)).toContain('Due by [not recorded: due date], address [not recorded: complainant’s address]');
    expect(letter.blocks[0]?.segments).toContainEqual({ kind: 'gap', label: 'due date' });
  });

  it('never reads a value as template text', () => {
    const letter = fillLetter(acknowledgement, { subject: 'S', body: 'Dear {{ complainant_name }}' }, letterValues(facts({ complainantName: '{{ council_name }} <b>' }), calendar));
    expect(plain(letter)).toContain('Dear {{ council_name }} <b>');
  });

  it('escapes values in the HTML and marks gaps', () => {
    const letter = fillLetter(acknowledgement, { subject: 'S', body: 'Dear {{ complainant_name }}, due {{ due_date }}' }, letterValues(facts({ complainantName: '<script>alert(1)</script>', stage1: undefined }), calendar));
    const html = letterHtml(letter);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Dear &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<mark class="app-letter__gap">[not recorded: due date]</mark>');
  });

  it('the Stage 1 response always says how to ask for Stage 2, within 20 working days of the response', () => {
    const values = letterValues(facts({ respondedOn: '2026-11-26', findingLabel: 'Partially upheld', remedyLabels: ['An apology', 'An explanation'] }), calendar);
    // 20 working days after Thursday 26 November 2026, before Christmas.
    expect(values.stage2_request_by).toBe('24 December 2026');
    const letter = fillLetter(stage1, { subject: stage1.defaultSubject, body: stage1.defaultBody }, values);
    const text = plain(letter);
    expect(text).toContain('Stage 2');
    expect(text).toContain('within 20 working days of this response, that is by 24 December 2026');
    expect(text).toContain('An apology\nAn explanation');
    expect(text).toContain('your complaint is: Partially upheld.');
  });

  it('offers the corporate Stage 2, not the Children Act one, in a corporate Stage 1 response', () => {
    const children = stage2RouteText('children_statutory', '2026-12-24', 'CSC-2026-0042', 'Demo Council');
    const corporate = stage2RouteText('corporate', '2026-12-24', 'CSC-2026-0042', 'Demo Council');
    expect(children).toContain('Independent Person');
    expect(corporate).not.toContain('Independent Person');
    expect(corporate).not.toContain('investigating officer');
    expect(corporate).toContain('look at your complaint again, at Stage 2 of our complaints procedure. This is the last stage.');
    expect(corporate).toContain('Local Government and Social Care Ombudsman');
    expect(corporate).toContain('that is by 24 December 2026');
  });

  it('the corporate final response names the Ombudsman and offers no review panel', () => {
    const definition = LETTER_DEFINITIONS.corporate_final_response;
    const values = letterValues(facts({ kind: 'corporate', later: { stage2RequestedOn: '2026-10-01', adjudicatedOn: '2026-11-20', stage2FindingLabel: 'Not upheld' } }), calendar);
    const text = plain(fillLetter(definition, { subject: definition.defaultSubject, body: definition.defaultBody }, values));
    expect(text).toContain('this letter is our final response');
    expect(text).toContain('your complaint is: Not upheld.');
    expect(text).toContain('This is the last stage of our complaints procedure.');
    expect(text).toContain('Local Government and Social Care Ombudsman');
    expect(text).toContain('www.lgo.org.uk');
    expect(text).toContain('0300 061 0614');
    expect(text).not.toMatch(/review panel|Stage 3|Independent Person/);
    // An administrator cannot save wording without the route to the Ombudsman.
    expect(templateProblems(definition, { subject: 'S', body: 'Your complaint is {{ stage2_finding }}.' }).map((p) => p.code)).toEqual(['required_placeholder_missing']);
  });

  // Day 0 is the response's date, whatever day it is; working day 20 after it is the last day to ask.
  it.each([
    ['a Friday', '2026-10-16', '13 November 2026'],
    ['the day before a bank holiday', '2026-08-28', '28 September 2026'],
    ['a Saturday', '2026-10-17', '13 November 2026'],
    ['Christmas Eve', '2026-12-24', '26 January 2027'],
  ])('gives, for a response on %s, the last day the check of a late request accepts', (_, respondedOn, lastDay) => {
    const values = letterValues(facts({ respondedOn, later: { adjudicatedOn: respondedOn } }), calendar);
    const windowEndsOn = requestWindowEndsOn(calendar, 2, respondedOn);
    expect(values.stage2_request_by).toBe(lastDay);
    expect(values.stage2_request_by).toBe(longDate(windowEndsOn));
    expect(values.stage3_request_by).toBe(longDate(requestWindowEndsOn(calendar, 3, respondedOn)));
    expect(requestTiming(calendar, respondedOn, windowEndsOn).isLate).toBe(false);
    const dayAfter = new Date(Date.parse(`${windowEndsOn}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(requestTiming(calendar, respondedOn, dayAfter).isLate).toBe(true);
  });

  it('adds the Stage 2 route to a Stage 1 response stored without it', () => {
    const letter = fillLetter(stage1, { subject: 'Response', body: 'Your complaint is {{ finding }}.' }, letterValues(facts({ respondedOn: '2026-11-26' }), calendar));
    const last = letter.blocks.at(-1);
    expect(segmentsText(last?.segments ?? [])).toBe(stage2RouteText('children_statutory', '2026-12-24', 'CSC-2026-0042', 'Demo Council'));
  });

  it('works out the dates a letter gives: extension, reply-by and closure', () => {
    const values = letterValues(
      facts({ stage1: { dueOn: '2026-12-18', extraWorkingDays: 10, extensionReason: 'Several teams are involved' }, informationRequestedOn: '2026-11-23', informationRequested: 'Dates of the visits', closureWarningSentOn: '2026-12-07' }),
      calendar,
    );
    expect(values).toMatchObject({
      extension_days: '10 working days',
      extension_reason: 'Several teams are involved',
      new_due_date: '18 December 2026',
      information_requested_date: '23 November 2026',
      reply_by_date: '7 December 2026',
      closure_warning_date: '7 December 2026',
      closure_date: '21 December 2026',
    });
    expect(letterValues(facts(), calendar).new_due_date).toBeUndefined();
  });
});

describe('the letters’ URLs', () => {
  it('builds the DOCX download URL from its typed path', () => {
    expect(paths.caseLetterDocx.url({ reference: 'CSC-2026-0042', key: 'stage1_response' })).toBe('/cases/CSC-2026-0042/letters/stage1_response.docx');
    expect(paths.caseLetter.url({ reference: 'CSC-2026-0042', key: 'withdrawal' })).toBe('/cases/CSC-2026-0042/letters/withdrawal');
  });
});
