/**
 * Letter templates: checking an administrator's text and filling it from a case.
 *
 * The syntax is Redress's own and deliberately small: `{{ name }}` (spaces optional) where
 * `name` is one of the letter's placeholders (`LETTER_FIELD_INFO`). Nothing else in the text
 * means anything: there are no expressions, loops or filters, and filled values are never
 * read as template text, so neither an administrator nor a complainant's name can run
 * anything. The output is structure (headings, paragraphs, text, gaps, line breaks), which
 * the HTML renderer escapes and the DOCX renderer writes as runs.
 *
 * Layout: a blank line starts a new paragraph; a paragraph whose first line starts with
 * `## ` is a heading; line breaks inside a paragraph are kept.
 */
import { DomainError } from '../errors.ts';
import { titleInSentence, type LetterDefinition } from './letter-definitions.ts';
import { isLetterField, LETTER_FIELD_INFO, type LetterField, type LetterValues } from './letter-fields.ts';
import type { LetterAudience } from './letter-audience.ts';

export const SUBJECT_MAX_LENGTH = 200;
export const BODY_MAX_LENGTH = 20_000;

/** Matches one placeholder; group 1 is what is between the braces. */
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const NAME = /^[a-z][a-z0-9_]*$/;
const HEADING = /^##\s+/;

export interface LetterText {
  readonly subject: string;
  readonly body: string;
}

/** The placeholders a text uses, in order of first use (names as written, trimmed). */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => (m[1] ?? '').trim()))];
}

/** Shown in messages exactly as an administrator would type it. */
export function placeholderText(name: string): string {
  return `{{ ${name} }}`;
}

function problemsIn(definition: LetterDefinition, text: string, field: 'subject' | 'body'): DomainError[] {
  const problems: DomainError[] = [];
  const part = field === 'subject' ? 'The subject' : 'The letter';
  for (const name of placeholdersIn(text)) {
    if (name === '' || !NAME.test(name)) {
      problems.push(new DomainError('invalid_placeholder', `${part} has a placeholder that is not a name: ${placeholderText(name)}. Placeholders are lower-case names from the list, like {{ case_reference }}`, field));
    } else if (!isLetterField(name) || !definition.fields.includes(name)) {
      problems.push(new DomainError('unknown_placeholder', `${part} uses ${placeholderText(name)}, which is not a placeholder the ${titleInSentence(definition)} letter can use`, field));
    } else if (field === 'subject' && name === 'stage2_route') {
      problems.push(new DomainError('placeholder_not_in_subject', `The subject cannot use ${placeholderText(name)}: it is a paragraph. Put it in the letter`, field));
    }
  }
  const leftover = text.replace(PLACEHOLDER, '');
  if (leftover.includes('{{') || leftover.includes('}}')) {
    problems.push(new DomainError('unclosed_placeholder', `${part} has a placeholder that is not closed: each starts with {{ and ends with }}`, field));
  }
  return problems;
}

/**
 * Every problem with a template's text (empty when it can be saved): an empty subject or
 * letter, one too long, a placeholder that is not a name, one the letter cannot use, a
 * brace left open, and each placeholder the letter must use but does not.
 */
export function templateProblems(definition: LetterDefinition, text: LetterText): DomainError[] {
  const problems: DomainError[] = [];
  const subject = text.subject.trim();
  const body = text.body.trim();
  if (subject === '') problems.push(new DomainError('subject_required', 'Enter the subject of the letter', 'subject'));
  else if (subject.length > SUBJECT_MAX_LENGTH) problems.push(new DomainError('subject_too_long', `The subject must be ${String(SUBJECT_MAX_LENGTH)} characters or fewer`, 'subject'));
  else problems.push(...problemsIn(definition, subject, 'subject'));
  if (body === '') {
    problems.push(new DomainError('body_required', 'Enter the text of the letter', 'body'));
    return problems;
  }
  if (body.length > BODY_MAX_LENGTH) problems.push(new DomainError('body_too_long', `The letter must be ${String(BODY_MAX_LENGTH)} characters or fewer`, 'body'));
  problems.push(...problemsIn(definition, body, 'body'));
  const used = new Set(placeholdersIn(body));
  for (const name of definition.required) {
    if (!used.has(name)) {
      problems.push(new DomainError('required_placeholder_missing', `The ${titleInSentence(definition)} letter must include ${placeholderText(name)} (${LETTER_FIELD_INFO[name].label})`, 'body'));
    }
  }
  return problems;
}

/** Throws the first problem `templateProblems` finds. */
export function checkTemplate(definition: LetterDefinition, text: LetterText): void {
  const [first] = templateProblems(definition, text);
  if (first !== undefined) throw first;
}

// ---- filling ----

/** A piece of a filled letter: text, a value that was not recorded, or a line break. */
export type LetterSegment = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'gap'; readonly label: string } | { readonly kind: 'break' };

export interface LetterBlock {
  readonly kind: 'heading' | 'paragraph';
  readonly segments: readonly LetterSegment[];
}

export interface FilledLetter {
  readonly title: string;
  /** The recipient's name and address, the date and the reference: the head of every letter. */
  readonly letterhead: {
    readonly council: readonly LetterSegment[];
    readonly recipient: readonly LetterSegment[];
    readonly date: readonly LetterSegment[];
    readonly reference: readonly LetterSegment[];
  };
  readonly subject: readonly LetterSegment[];
  readonly blocks: readonly LetterBlock[];
  readonly audience: LetterAudience;
  /** "Copy to: …": the advocate of a child or young person, when one is recorded. */
  readonly copyTo?: readonly LetterSegment[];
}

/** The words a gap shows: "[not recorded: due date]". */
export function gapText(label: string): string {
  return `[not recorded: ${label}]`;
}

/** Segments of one line (or a whole text with `\n`s), with each placeholder replaced by its value. */
function fillText(text: string, values: LetterValues): LetterSegment[] {
  const segments: LetterSegment[] = [];
  const pushText = (chunk: string): void => {
    chunk.split('\n').forEach((line, i) => {
      if (i > 0) segments.push({ kind: 'break' });
      if (line !== '') segments.push({ kind: 'text', text: line });
    });
  };
  let at = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    pushText(text.slice(at, match.index));
    at = match.index + match[0].length;
    const name = (match[1] ?? '').trim();
    const value = isLetterField(name) ? values[name]?.trim() : undefined;
    if (value === undefined || value === '') segments.push({ kind: 'gap', label: isLetterField(name) ? LETTER_FIELD_INFO[name].label : name });
    else pushText(value.replaceAll('\r\n', '\n'));
  }
  pushText(text.slice(at));
  return segments;
}

/**
 * The letter filled from `values`. A placeholder the letter must use but the text lacks (a
 * template saved before the rule, or edited in the database) is added as a last paragraph,
 * so a Stage 1 response always says how to ask for Stage 2.
 */
/**
 * A child's letter (`audience` child) has no address in its letterhead: it never prints or
 * asks for an address, and it ends with "Copy to: <advocate>" when an advocate is recorded.
 */
export function fillLetter(definition: LetterDefinition, text: LetterText, values: LetterValues, audience: LetterAudience = 'standard'): FilledLetter {
  let body = text.body.replaceAll('\r\n', '\n').trim();
  const used = new Set(placeholdersIn(body));
  const missing = definition.required.filter((name: LetterField) => !used.has(name));
  if (missing.length > 0) body = [body, ...missing.map(placeholderText)].join('\n\n');

  const blocks: LetterBlock[] = body
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.replace(/^\n+|\n+$/g, ''))
    .filter((paragraph) => paragraph.trim() !== '')
    .map((paragraph) =>
      HEADING.test(paragraph)
        ? { kind: 'heading' as const, segments: fillText(paragraph.replace(HEADING, '').replaceAll('\n', ' '), values) }
        : { kind: 'paragraph' as const, segments: fillText(paragraph, values) },
    );
  return {
    title: definition.title,
    letterhead: {
      council: fillText('{{ council_name }}', values),
      recipient: fillText(audience === 'child' ? '{{ complainant_name }}' : '{{ complainant_name }}\n{{ complainant_address }}', values),
      date: fillText('{{ today }}', values),
      reference: fillText('Our reference: {{ case_reference }}', values),
    },
    subject: fillText(text.subject.replaceAll(/\s*\n\s*/g, ' ').trim(), values),
    blocks,
    audience,
    ...(audience === 'child' && values.advocate_name !== undefined && values.advocate_name.trim() !== '' ? { copyTo: fillText('Copy to: {{ advocate_name }}', values) } : {}),
  };
}

/** A filled letter's segments as plain text (gaps as "[not recorded: …]"). */
export function segmentsText(segments: readonly LetterSegment[]): string {
  return segments.map((s) => (s.kind === 'text' ? s.text : s.kind === 'gap' ? gapText(s.label) : '\n')).join('');
}
