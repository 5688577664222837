/**
 * The bank holidays the system ships (`bank-holidays-england-and-wales.json`, built from the
 * rules by `npm run calendar:build`) and the calendar made from them alone. The application
 * builds its live calendar from these plus the holidays an administrator has added or removed.
 */
import type { BankHolidayEvent } from './bank-holiday-rules.ts';
import { parseBankHolidaysFile } from './bank-holidays-file.ts';
import type { IsoDate } from './iso-date.ts';
import { type WorkingDayCalendar, createCalendar } from './working-day-calendar.ts';
import shippedFile from './bank-holidays-england-and-wales.json' with { type: 'json' };

let shippedEvents: readonly BankHolidayEvent[] | undefined;
let shipped: WorkingDayCalendar | undefined;

/** The events of the shipped file (parsed and checked once). */
export function shippedBankHolidayEvents(): readonly BankHolidayEvent[] {
  shippedEvents ??= Object.freeze(parseBankHolidaysFile(shippedFile).map((e) => Object.freeze(e)));
  return shippedEvents;
}

/** The dates of the shipped bank holidays, sorted. */
export function shippedHolidays(): IsoDate[] {
  return shippedBankHolidayEvents().map((e) => e.date);
}

/** The calendar of the shipped range with the shipped holidays only (built once). */
export function shippedCalendar(): WorkingDayCalendar {
  shipped ??= createCalendar(shippedHolidays());
  return shipped;
}
