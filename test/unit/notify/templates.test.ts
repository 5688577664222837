import { describe, expect, it } from 'vitest';
import { fillPlaceholders, oneLine, placeholdersIn, TEMPLATE_DEFINITIONS, TEMPLATE_KEYS, templateTextProblems } from '../../../src/notify/templates.ts';
import { longDate, withContext } from '../../../src/notify/outbox-worker.ts';

describe('placeholders', () => {
  it('fills {{ name }} with or without spaces, and leaves the rest of the text alone', () => {
    expect(fillPlaceholders('Case {{ reference }} due {{due_on}}.', { reference: 'CSC-2026-0042', due_on: '8 December 2026' })).toBe('Case CSC-2026-0042 due 8 December 2026.');
    expect(fillPlaceholders('{{ count }} open', { count: 3 })).toBe('3 open');
  });

  it('never evaluates the text or the values', () => {
    expect(fillPlaceholders('{{ reference }}', { reference: '{{ due_on }}', due_on: 'x' })).toBe('{{ due_on }}');
    expect(fillPlaceholders('{{ constructor }} {{ __proto__ }} {% if x %}', {})).toBe('  {% if x %}');
    expect(fillPlaceholders('${process.env.SECRET} {{ reference }}', { reference: 'R' })).toBe('${process.env.SECRET} R');
  });

  it('lists the placeholders a text uses', () => {
    expect(placeholdersIn('{{ a }} {{b}} {{ a }}')).toEqual(['a', 'b']);
  });

  it('refuses an unknown placeholder and stray braces, naming the ones that may be used', () => {
    expect(templateTextProblems('allocation', 'body', 'Open {{ case_url }} for {{ reference }}')).toEqual([]);
    const [unknown] = templateTextProblems('allocation', 'subject', 'For {{ complainant_name }}');
    expect(unknown).toMatchObject({ code: 'unknown_placeholder', field: 'subject' });
    expect(unknown?.message).toContain('{{ reference }}');
    expect(templateTextProblems('allocation', 'body', 'Open {{ case_url')).toMatchObject([{ code: 'broken_placeholder', field: 'body' }]);
    expect(templateTextProblems('allocation', 'body', '{{ Reference }}')).toMatchObject([{ code: 'unknown_placeholder' }]);
    expect(templateTextProblems('allocation', 'body', '{{ constructor }}')).toMatchObject([{ code: 'unknown_placeholder' }]);
  });

  it('ships templates that use only their own placeholders', () => {
    for (const key of TEMPLATE_KEYS) {
      const { subject, body } = TEMPLATE_DEFINITIONS[key];
      expect(templateTextProblems(key, 'subject', subject)).toEqual([]);
      expect(templateTextProblems(key, 'body', body)).toEqual([]);
    }
  });

  it('keeps a subject to one line', () => {
    expect(oneLine('Hello\r\nBcc: someone@example.org')).toBe('Hello Bcc: someone@example.org');
  });

  it('adds the council, links and GOV.UK dates', () => {
    const values = withContext('allocation', { reference: 'CSC-2026-0042', due_on: '2026-12-08' }, { councilName: 'Demo Council', baseUrl: 'https://redress.example' });
    expect(values).toEqual({ reference: 'CSC-2026-0042', due_on: '8 December 2026', council_name: 'Demo Council', case_url: 'https://redress.example/cases/CSC-2026-0042' });
    expect(longDate('2027-01-04')).toBe('4 January 2027');
    expect(longDate('not set')).toBe('not set');
  });
});
