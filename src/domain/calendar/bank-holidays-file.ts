/**
 * The bank-holiday data file, in the exact shape of GOV.UK's `bank-holidays.json`
 * (https://www.gov.uk/bank-holidays.json), England and Wales division only:
 *
 *   { "england-and-wales": { "division": "england-and-wales",
 *       "events": [ { "title", "date", "notes", "bunting" }, … ] } }
 *
 * The system ships such a file for its calendar's years (built from the rules by
 * `npm run calendar:build`, and checked by a test that rebuilds it), and an administrator
 * can import the file GOV.UK publishes to add later years; both go through `parseBankHolidaysFile`.
 */
import { z } from 'zod';
import { DomainError } from '../errors.ts';
import { type BankHolidayEvent, englandAndWalesBankHolidays } from './bank-holiday-rules.ts';
import { type IsoDate, isIsoDate } from './iso-date.ts';

export const DIVISION = 'england-and-wales';

/** The first and last dates of the calendar the system ships. */
export const SHIPPED_FIRST_DATE: IsoDate = '1999-12-31';
export const SHIPPED_LAST_DATE: IsoDate = '2040-12-31';

const eventSchema = z.object({
  title: z.string().min(1),
  date: z.string().refine(isIsoDate, { error: 'must be a real date written YYYY-MM-DD' }),
  notes: z.string(),
  bunting: z.boolean(),
});

/** Other divisions (Scotland, Northern Ireland) may be present in a GOV.UK file; they are ignored. */
const fileSchema = z.object({
  [DIVISION]: z.object({
    division: z.literal(DIVISION),
    events: z.array(eventSchema),
  }),
});

/**
 * The England and Wales events of a parsed `bank-holidays.json`, sorted by date. Refuses,
 * with DomainError `invalid_bank_holidays_file`, anything not in GOV.UK's shape and any
 * date listed twice.
 */
export function parseBankHolidaysFile(json: unknown): BankHolidayEvent[] {
  const result = fileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined ? '' : issue.path.map(String).join('.');
    throw new DomainError('invalid_bank_holidays_file', `not a GOV.UK bank-holidays.json file: ${where} ${issue?.message ?? ''}`.trim());
  }
  const events = [...result.data[DIVISION].events].sort((a, b) => a.date.localeCompare(b.date));
  for (let i = 1; i < events.length; i++) {
    if (events[i]?.date === events[i - 1]?.date) {
      throw new DomainError('invalid_bank_holidays_file', `the date ${events[i]?.date ?? ''} is listed twice`);
    }
  }
  return events;
}

/** The text of a bank-holidays file holding `events` (two-space indented, ending in a newline). */
export function renderBankHolidaysFile(events: readonly BankHolidayEvent[]): string {
  const file = {
    [DIVISION]: {
      division: DIVISION,
      events: events.map(({ title, date, notes, bunting }) => ({ title, date, notes, bunting })),
    },
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The text the shipped file must hold: the rules and proclamations for the shipped years. */
export function buildShippedBankHolidaysFile(): string {
  return renderBankHolidaysFile(englandAndWalesBankHolidays(SHIPPED_FIRST_DATE, SHIPPED_LAST_DATE));
}
