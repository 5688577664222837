/**
 * The fields a Stage 2 or Stage 3 step records, as data: a form draws them, an API body
 * fills them, and `readFields` checks what was entered — every problem at once, each a
 * DomainError whose `field` is the form field, in GOV.UK words ("Enter the date the
 * statement was agreed").
 *
 * Values arrive as a form or an API body gives them: strings, arrays of strings, numbers,
 * booleans; an empty string or an empty list is "not given".
 */
import { type IsoDate, tryParseIsoDate } from '../calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import { DomainError } from '../errors.ts';
import type { Role } from '../users/roles.ts';
import { formatLongDate } from './stage1-fields.ts';
import { poundsToPence } from '../money.ts';
import { checkFile, FILE_KIND_INFO, type AcceptedFile, type FileKind } from '../attachments/file-kinds.ts';

export interface FieldOption {
  readonly value: string;
  readonly label: string;
}

interface FieldBase {
  readonly name: string;
  /** As a question or label: "Date the statement was agreed". */
  readonly label: string;
  /** Used in messages: "the date the statement was agreed". */
  readonly noun: string;
  readonly hint?: string;
  readonly required: boolean;
  /** A heading the form groups this field under (a panel member, a point of the complaint). */
  readonly group?: string;
}

export type LaterField =
  | (FieldBase & { readonly kind: 'date'; readonly notInFuture: boolean; readonly notBefore?: { readonly date: IsoDate; readonly what: string } })
  | (FieldBase & { readonly kind: 'text' | 'long_text'; readonly maxLength: number })
  /** One item a line: the points of a complaint, recommendations. */
  | (FieldBase & { readonly kind: 'lines'; readonly maxItems: number; readonly maxLength: number })
  | (FieldBase & { readonly kind: 'choice' | 'checkboxes'; readonly options: readonly FieldOption[] })
  | (FieldBase & { readonly kind: 'pounds' })
  | (FieldBase & { readonly kind: 'working_days'; readonly max: number })
  /** A member of staff holding `role`, chosen from a list (the page fills in the options). */
  | (FieldBase & { readonly kind: 'user'; readonly role: Role })
  /** A document, one of `accepts` by its content (src/domain/attachments/file-kinds.ts); given as an `UploadedFile`. */
  | (FieldBase & { readonly kind: 'file'; readonly accepts: readonly FileKind[]; readonly acceptsText: string });

/** A file as a form or an API body gives it: its name as given and its bytes (cut short at the limit when `size` says more). */
export interface UploadedFile {
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly size?: number;
}

/** A file field's value: the file, checked. */
export interface CheckedFile {
  readonly upload: UploadedFile;
  readonly accepted: AcceptedFile;
}

export type FieldValue = string | number | readonly string[] | CheckedFile;

/** Whether a value is a file (a field of kind `file` takes nothing else). */
export function isUploadedFile(raw: unknown): raw is UploadedFile {
  return typeof raw === 'object' && raw !== null && typeof (raw as UploadedFile).fileName === 'string' && (raw as UploadedFile).bytes instanceof Uint8Array;
}

export interface FieldContext {
  readonly today: IsoDate;
  readonly calendar: WorkingDayCalendar;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isBlank(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '') || (Array.isArray(raw) && raw.every(isBlank));
}

function textOf(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number') return String(raw);
  return undefined;
}

/** Checks one field: its value, or a problem. `undefined` when it was not given and need not be. */
function readField(field: LaterField, raw: unknown, context: FieldContext): { value?: FieldValue; problem?: DomainError } {
  const problem = (code: string, message: string): { problem: DomainError } => ({ problem: new DomainError(code, message, field.name) });
  if (isBlank(raw)) {
    if (!field.required) return {};
    const verb = field.kind === 'choice' || field.kind === 'checkboxes' || field.kind === 'user' ? 'Select' : field.kind === 'file' ? 'Upload' : 'Enter';
    return problem(`missing_${field.name}`, `${verb} ${field.noun}`);
  }
  const invalid = (message: string): { problem: DomainError } => problem(`invalid_${field.name}`, message);
  switch (field.kind) {
    case 'date': {
      const text = textOf(raw) ?? '';
      if (tryParseIsoDate(text) === undefined) return invalid(`${capitalise(field.noun)} must be a real date`);
      if (!context.calendar.covers(text)) {
        return problem('date_outside_calendar', `${capitalise(field.noun)} must be between ${formatLongDate(context.calendar.first)} and ${formatLongDate(context.calendar.last)}`);
      }
      if (field.notInFuture && text > context.today) return problem('date_in_future', `${capitalise(field.noun)} must be today or in the past`);
      if (field.notBefore !== undefined && text < field.notBefore.date) {
        return problem(`${field.name}_too_early`, `${capitalise(field.noun)} must be the same as or after ${field.notBefore.what} (${formatLongDate(field.notBefore.date)})`);
      }
      return { value: text };
    }
    case 'text':
    case 'long_text': {
      const text = textOf(raw);
      if (text === undefined) return invalid(`Enter ${field.noun}`);
      if (text.length > field.maxLength) return problem(`${field.name}_too_long`, `${capitalise(field.noun)} must be ${String(field.maxLength)} characters or fewer`);
      return { value: text };
    }
    case 'lines': {
      const items = (Array.isArray(raw) ? (raw as unknown[]) : [raw])
        .flatMap((item) => (typeof item === 'string' ? item.split(/\r?\n/) : []))
        .map((line) => line.trim().replace(/^(\d{1,2}[.)]|[-*•])\s*/, ''))
        .filter((line) => line !== '');
      if (items.length === 0) return invalid(`Enter ${field.noun}, one a line`);
      if (items.length > field.maxItems) return problem(`${field.name}_too_many`, `Enter ${String(field.maxItems)} items or fewer in ${field.noun}`);
      if (items.some((item) => item.length > field.maxLength)) return problem(`${field.name}_too_long`, `Each line of ${field.noun} must be ${String(field.maxLength)} characters or fewer`);
      return { value: items };
    }
    case 'choice': {
      const text = textOf(raw);
      return field.options.some((o) => o.value === text) && text !== undefined ? { value: text } : invalid(`Select ${field.noun} from the list`);
    }
    case 'checkboxes': {
      const items = [...new Set((Array.isArray(raw) ? (raw as unknown[]) : [raw]).filter((item) => !isBlank(item)).map((item) => textOf(item) ?? ''))];
      return items.every((item) => field.options.some((o) => o.value === item)) ? { value: items } : invalid(`Select ${field.noun} from the list`);
    }
    case 'pounds': {
      const pence = poundsToPence(raw);
      return pence === undefined ? invalid(`${capitalise(field.noun)} must be an amount in pounds, for example 350 or 1,250.50`) : { value: pence };
    }
    case 'working_days': {
      const text = textOf(raw) ?? '';
      const days = /^\d{1,3}$/.test(text) ? Number(text) : undefined;
      return days === undefined || days < 1 || days > field.max ? invalid(`${capitalise(field.noun)} must be a whole number from 1 to ${String(field.max)}`) : { value: days };
    }
    case 'user': {
      const text = textOf(raw) ?? '';
      return /^\d{1,15}$/.test(text) && Number(text) >= 1 ? { value: Number(text) } : invalid(`Select ${field.noun} from the list`);
    }
    case 'file': {
      if (!isUploadedFile(raw)) return invalid(`Upload ${field.noun} as a file`);
      const result = checkFile(raw.fileName, raw.bytes, raw.size ?? raw.bytes.length);
      if (!result.ok) return problem(result.problem.code, result.problem.message);
      if (!field.accepts.includes(result.file.kind)) {
        return problem('file_type_not_allowed', `The file '${result.file.fileName}' must be ${field.acceptsText}, not ${FILE_KIND_INFO[result.file.kind].description}`);
      }
      return { value: { upload: raw, accepted: result.file } };
    }
  }
}

/** The values checked by `readFields`, by field name. */
export type FieldValues = ReadonlyMap<string, FieldValue>;

/** Checks every field of a step: the values given, and every problem at once. */
export function readFields(fields: readonly LaterField[], input: Readonly<Record<string, unknown>>, context: FieldContext): { values: Map<string, FieldValue>; problems: DomainError[] } {
  const values = new Map<string, FieldValue>();
  const problems: DomainError[] = [];
  for (const field of fields) {
    const result = readField(field, input[field.name], context);
    if (result.problem !== undefined) problems.push(result.problem);
    else if (result.value !== undefined) values.set(field.name, result.value);
  }
  return { values, problems };
}

export function dateValue(values: FieldValues, name: string): IsoDate | undefined {
  const value = values.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function textValue(values: FieldValues, name: string): string | undefined {
  const value = values.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function numberValue(values: FieldValues, name: string): number | undefined {
  const value = values.get(name);
  return typeof value === 'number' ? value : undefined;
}

export function fileValue(values: FieldValues, name: string): CheckedFile | undefined {
  const value = values.get(name);
  return typeof value === 'object' && !Array.isArray(value) ? (value as CheckedFile) : undefined;
}

export function listValue(values: FieldValues, name: string): readonly string[] {
  const value = values.get(name);
  return Array.isArray(value) ? (value as readonly string[]) : [];
}
