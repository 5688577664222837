/**
 * Changes an administrator makes to the shipped bank holidays: adding a day (a new
 * proclamation, a future year) or removing one, each with a reason. Changes are kept as an
 * append-only log; the latest change for a date wins. Pure: the app layer stores the log.
 */
import { DomainError } from '../errors.ts';
import type { BankHolidayEvent } from './bank-holiday-rules.ts';
import { isoWeekday, parseIsoDate, type IsoDate } from './iso-date.ts';
import type { WorkingDayCalendar } from './working-day-calendar.ts';

export type CalendarChangeKind = 'add' | 'remove';

export interface CalendarChange {
  readonly date: IsoDate;
  readonly change: CalendarChangeKind;
  /** The holiday's name (for an addition). */
  readonly title: string;
  readonly reason: string;
}

export type HolidaySource = 'shipped' | 'added';

export interface Holiday {
  readonly date: IsoDate;
  readonly title: string;
  readonly source: HolidaySource;
  /** Why it was added, for a day an administrator added. */
  readonly reason?: string;
}

/** The holidays in force: the shipped ones, then each date's latest change applied, by date. */
export function effectiveHolidays(shipped: readonly BankHolidayEvent[], changes: readonly CalendarChange[]): Holiday[] {
  const byDate = new Map<IsoDate, Holiday>(shipped.map((e) => [e.date, { date: e.date, title: e.title, source: 'shipped' as const }]));
  for (const change of changes) {
    if (change.change === 'remove') byDate.delete(change.date);
    else byDate.set(change.date, { date: change.date, title: change.title, source: 'added', reason: change.reason });
  }
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** Checks a change against the calendar in force before it is recorded. */
export function checkCalendarChange(calendar: WorkingDayCalendar, change: CalendarChange): void {
  parseIsoDate(change.date, 'date');
  if (!calendar.covers(change.date)) {
    throw new DomainError('date_outside_calendar', `${change.date} is outside the calendar (${calendar.first} to ${calendar.last})`, 'date');
  }
  if (change.reason.trim() === '') throw new DomainError('calendar_reason_required', 'Enter the reason for the change', 'reason');
  const isHoliday = isoWeekday(change.date) < 6 && !calendar.isWorkingDay(change.date);
  if (change.change === 'add') {
    if (change.title.trim() === '') throw new DomainError('holiday_title_required', 'Enter the name of the bank holiday', 'title');
    if (isoWeekday(change.date) >= 6) {
      throw new DomainError('holiday_on_weekend', `${change.date} is a ${isoWeekday(change.date) === 6 ? 'Saturday' : 'Sunday'}: weekends are never working days`, 'date');
    }
    if (isHoliday) throw new DomainError('already_a_holiday', `${change.date} is already a bank holiday`, 'date');
  } else if (!isHoliday) {
    throw new DomainError('not_a_holiday', `${change.date} is not a bank holiday`, 'date');
  }
}

export interface ImportPlan {
  /** Days in the file that are not holidays here yet (and were not removed on purpose). */
  readonly toAdd: readonly BankHolidayEvent[];
  /** Days in the file that are already holidays here. */
  readonly alreadyPresent: number;
  /** Days outside the calendar's years, which are ignored. */
  readonly outsideCalendar: number;
  /** What differs between the file and the calendar here; reported, never changed silently. */
  readonly differences: readonly { readonly date: IsoDate; readonly message: string }[];
}

/**
 * What importing GOV.UK's file would do: add the days that are new, and report the rest —
 * a different name, a day here that the file (over the dates it covers) does not have, or a
 * day an administrator removed that the file still lists.
 */
export function planGovUkImport(
  calendar: WorkingDayCalendar,
  current: readonly Holiday[],
  removed: ReadonlySet<IsoDate>,
  file: readonly BankHolidayEvent[],
): ImportPlan {
  const here = new Map(current.map((h) => [h.date, h]));
  const inFile = new Set(file.map((e) => e.date));
  const toAdd: BankHolidayEvent[] = [];
  const differences: { date: IsoDate; message: string }[] = [];
  let alreadyPresent = 0;
  let outsideCalendar = 0;
  for (const event of file) {
    if (!calendar.covers(event.date)) {
      outsideCalendar += 1;
      continue;
    }
    const ours = here.get(event.date);
    if (ours) {
      alreadyPresent += 1;
      if (ours.title !== event.title) differences.push({ date: event.date, message: `named "${event.title}" in the file but "${ours.title}" here` });
    } else if (removed.has(event.date)) {
      differences.push({ date: event.date, message: 'in the file, but removed here by an administrator: not added back' });
    } else {
      toAdd.push(event);
    }
  }
  // Days here that the file lacks, over the span of the file's days within the calendar.
  const covered = file.filter((e) => calendar.covers(e.date));
  const first = covered[0]?.date;
  const last = covered.at(-1)?.date;
  if (first !== undefined && last !== undefined) {
    for (const holiday of current) {
      if (holiday.date >= first && holiday.date <= last && !inFile.has(holiday.date)) {
        differences.push({ date: holiday.date, message: `"${holiday.title}" is a holiday here but not in the file: kept` });
      }
    }
  }
  differences.sort((a, b) => a.date.localeCompare(b.date));
  return { toAdd, alreadyPresent, outsideCalendar, differences };
}
