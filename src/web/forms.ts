/** Form errors in the shape the GOV.UK error summary and field macros take. */
import type { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { isIsoDate } from '../domain/calendar/iso-date.ts';
import { formatLongDate } from '../domain/cases/stage1-fields.ts';

export interface FormErrors {
  /** For govukErrorSummary: one entry a problem, linking to its field. */
  readonly list: readonly { text: string; href: string }[];
  /** For each field macro's errorMessage. */
  readonly fields: Readonly<Record<string, { text: string }>>;
}

export function formErrors(problems: readonly { field: string; message: string }[]): FormErrors {
  const fields: Record<string, { text: string }> = {};
  const list: { text: string; href: string }[] = [];
  for (const { field, message } of problems) {
    if (fields[field]) continue;
    fields[field] = { text: message };
    list.push({ text: message, href: `#${field}` });
  }
  return { list, fields };
}

export function fromZod(error: z.ZodError): FormErrors {
  return formErrors(error.issues.map((issue) => ({ field: String(issue.path[0] ?? 'form'), message: issue.message })));
}

/** A domain refusal shown against its field (or the form as a whole). */
export function fromDomainError(error: DomainError, fallbackField: string): FormErrors {
  return formErrors([{ field: error.field ?? fallbackField, message: error.message }]);
}

/** Runs `action`; a DomainError becomes form errors, anything else is rethrown. */
export async function tryAction<T>(action: () => Promise<T>, fallbackField: string): Promise<{ ok: true; value: T } | { ok: false; errors: FormErrors; code: string }> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, errors: fromDomainError(error, fallbackField), code: error.code };
    throw error;
  }
}

/** Form bodies arrive as strings or arrays of strings (checkboxes). */
export function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

/** A form body as Fastify's form parser gives it. */
export type FormBody = Readonly<Record<string, string | string[] | undefined>>;

/** A single text field, trimmed ('' when absent or repeated). */
export function formText(body: FormBody, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * A GOV.UK date input's three boxes (`name-day`, `name-month`, `name-year`) as `YYYY-MM-DD`:
 * '' when all are empty, and a string that is not a real date when they do not make one, so
 * that the domain's date check reports it.
 */
export function formDate(body: FormBody, name: string): string {
  const [day = '', month = '', year = ''] = ['day', 'month', 'year'].map((part) => formText(body, `${name}-${part}`));
  if (day === '' && month === '' && year === '') return '';
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** A whole number typed in a form or a path (an id, a version), or undefined when it is not one. */
export function wholeNumberOf(raw: string | undefined): number | undefined {
  return raw !== undefined && /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}

/** A query-string value as one trimmed string (the first of a repeated one); undefined when empty or not text. */
export function queryValue(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

/** A date parameter of a query string (YYYY-MM-DD), or undefined when it is missing or not a date. */
export function queryDate(query: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = queryValue(query[name]);
  return value !== undefined && isIsoDate(value) ? value : undefined;
}

/** "1 April 2019" for a date a filter shows, or the text as it is when it is not one. */
export function filterDate(date: string): string {
  try {
    return formatLongDate(date);
  } catch {
    return date;
  }
}
