/** Form errors in the shape the GOV.UK error summary and field macros take. */
import type { z } from 'zod';
import { DomainError } from '../domain/errors.ts';

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
