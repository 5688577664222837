/**
 * Bank holidays in England and Wales, generated from the standing rules plus the list of
 * proclamations that added or moved days. This is how the shipped data file is built
 * (`npm run calendar:build`); the running system reads the file, not these rules, so that
 * an administrator's corrections and GOV.UK imports are data too.
 *
 * Standing rules (Banking and Financial Dealings Act 1971 and the yearly proclamations
 * that have followed the same pattern since 1978):
 *
 * - New Year's Day, 1 January; when it falls at a weekend, the following Monday.
 * - Good Friday and Easter Monday (Christmas Day and Good Friday are common-law holidays,
 *   listed with the bank holidays as GOV.UK does).
 * - Early May bank holiday: the first Monday in May.
 * - Spring bank holiday: the last Monday in May.
 * - Summer bank holiday: the last Monday in August.
 * - Christmas Day and Boxing Day; one that falls at a weekend moves to the next weekday not
 *   already a holiday (so Sat/Sun → Mon 27 and Tue 28; Sun/Mon → Boxing Day Mon 26 and
 *   Christmas Tue 27; Fri/Sat → Boxing Day Mon 28).
 */
import { DomainError } from '../errors.ts';
import {
  type DayNumber,
  type IsoDate,
  dayNumberFromParts,
  daysInMonth,
  formatIsoDate,
  isWeekendDayNumber,
  parseIsoDate,
  weekdayOfDayNumber,
} from './iso-date.ts';

/** One event, in the shape of GOV.UK's `bank-holidays.json`. */
export interface BankHolidayEvent {
  title: string;
  date: IsoDate;
  /** GOV.UK writes `"Substitute day"`, `"Extra bank holiday"` or `""`. */
  notes: string;
  bunting: boolean;
}

/** A proclamation that changed the standing rules for one year. */
export type Proclamation =
  | { kind: 'extra'; event: BankHolidayEvent; why: string }
  | { kind: 'move'; title: string; from: IsoDate; to: IsoDate; newTitle?: string; notes: string; why: string };

const SUBSTITUTE_DAY = 'Substitute day';
const EXTRA_BANK_HOLIDAY = 'Extra bank holiday';
// GOV.UK spells these with a typographic apostrophe (U+2019); the shipped file matches it.
const NEW_YEARS_DAY = 'New Year\u2019s Day';

/**
 * Every day added or moved by proclamation since the calendar's first date (1999-12-31).
 * Titles and notes are as GOV.UK's feed writes them where the feed covers the year (2012 on),
 * and in the same style before that.
 */
export const PROCLAMATIONS: readonly Proclamation[] = [
  {
    kind: 'extra',
    event: { title: 'Millennium celebrations', date: '1999-12-31', notes: EXTRA_BANK_HOLIDAY, bunting: true },
    why: 'Millennium: one extra day, Friday 31 December 1999',
  },
  {
    kind: 'move',
    title: 'Spring bank holiday',
    from: '2002-05-27',
    to: '2002-06-04',
    notes: SUBSTITUTE_DAY,
    why: 'Golden Jubilee: spring holiday moved to Tuesday 4 June 2002',
  },
  {
    kind: 'extra',
    event: { title: 'Queen\u2019s Golden Jubilee', date: '2002-06-03', notes: EXTRA_BANK_HOLIDAY, bunting: true },
    why: 'Golden Jubilee: extra day, Monday 3 June 2002',
  },
  {
    kind: 'extra',
    event: { title: 'Royal wedding', date: '2011-04-29', notes: EXTRA_BANK_HOLIDAY, bunting: true },
    why: 'Wedding of Prince William and Catherine Middleton, Friday 29 April 2011',
  },
  {
    kind: 'move',
    title: 'Spring bank holiday',
    from: '2012-05-28',
    to: '2012-06-04',
    notes: SUBSTITUTE_DAY,
    why: 'Diamond Jubilee: spring holiday moved to Monday 4 June 2012',
  },
  {
    kind: 'extra',
    event: { title: 'Queen\u2019s Diamond Jubilee', date: '2012-06-05', notes: EXTRA_BANK_HOLIDAY, bunting: true },
    why: 'Diamond Jubilee: extra day, Tuesday 5 June 2012',
  },
  {
    kind: 'move',
    title: 'Early May bank holiday',
    from: '2020-05-04',
    to: '2020-05-08',
    newTitle: 'Early May bank holiday (VE day)',
    notes: '',
    why: '75th anniversary of VE Day: early May holiday moved to Friday 8 May 2020',
  },
  {
    kind: 'move',
    title: 'Spring bank holiday',
    from: '2022-05-30',
    to: '2022-06-02',
    notes: '',
    why: 'Platinum Jubilee: spring holiday moved to Thursday 2 June 2022',
  },
  {
    kind: 'extra',
    event: { title: 'Platinum Jubilee bank holiday', date: '2022-06-03', notes: '', bunting: true },
    why: 'Platinum Jubilee: extra day, Friday 3 June 2022',
  },
  {
    kind: 'extra',
    event: { title: 'Bank Holiday for the State Funeral of Queen Elizabeth II', date: '2022-09-19', notes: '', bunting: false },
    why: 'State funeral of Queen Elizabeth II, Monday 19 September 2022',
  },
  {
    kind: 'extra',
    event: { title: 'Bank holiday for the coronation of King Charles III', date: '2023-05-08', notes: '', bunting: true },
    why: 'Coronation of King Charles III, Monday 8 May 2023',
  },
];

/**
 * Easter Sunday in the Gregorian calendar, by the anonymous Gregorian ("Meeus/Jones/Butcher")
 * computus: the first Sunday after the ecclesiastical full moon on or after 21 March.
 */
export function easterSunday(year: number): IsoDate {
  const golden = year % 19; // place in the 19-year Metonic cycle
  const century = Math.floor(year / 100);
  const yearOfCentury = year % 100;
  const skippedLeapDays = Math.floor(century / 4);
  const centuryRemainder = century % 4;
  const moonCorrection = Math.floor((century - Math.floor((century + 8) / 25) + 1) / 3);
  const epact = (19 * golden + century - skippedLeapDays - moonCorrection + 15) % 30;
  const weekdayShift = (32 + 2 * centuryRemainder + 2 * Math.floor(yearOfCentury / 4) - epact - (yearOfCentury % 4)) % 7;
  const lateCorrection = Math.floor((golden + 11 * epact + 22 * weekdayShift) / 451);
  const fromMarch = epact + weekdayShift - 7 * lateCorrection + 114;
  const month = Math.floor(fromMarch / 31);
  const day = (fromMarch % 31) + 1;
  return formatIsoDate(dayNumberFromParts(year, month, day));
}

/** The `nth` Monday of a month (1 = first), or the last Monday when `nth` is 'last'. */
function monday(year: number, month: number, nth: 1 | 'last'): DayNumber {
  if (nth === 'last') {
    const lastDay = dayNumberFromParts(year, month, daysInMonth(year, month));
    return lastDay - ((weekdayOfDayNumber(lastDay) - 1) % 7);
  }
  const firstDay = dayNumberFromParts(year, month, 1);
  return firstDay + ((8 - weekdayOfDayNumber(firstDay)) % 7);
}

function event(title: string, day: DayNumber, notes = '', bunting = true): BankHolidayEvent {
  return { title, date: formatIsoDate(day), notes, bunting };
}

/**
 * Places holidays whose own day is a weekend on the next weekdays not already taken, in
 * the order given (the substitute-day rule for New Year and for Christmas and Boxing Day).
 */
function withSubstitutes(holidays: readonly { title: string; day: DayNumber }[]): BankHolidayEvent[] {
  const taken = new Set(holidays.filter((h) => !isWeekendDayNumber(h.day)).map((h) => h.day));
  const lastOwnDay = Math.max(...holidays.map((h) => h.day));
  let candidate = lastOwnDay;
  return holidays.map((holiday) => {
    if (!isWeekendDayNumber(holiday.day)) return event(holiday.title, holiday.day);
    do candidate += 1;
    while (isWeekendDayNumber(candidate) || taken.has(candidate));
    taken.add(candidate);
    return event(holiday.title, candidate, SUBSTITUTE_DAY);
  });
}

/** The holidays one year's standing rules give, before any proclamation. */
export function standingBankHolidays(year: number): BankHolidayEvent[] {
  const easter = parseIsoDate(easterSunday(year));
  return [
    ...withSubstitutes([{ title: NEW_YEARS_DAY, day: dayNumberFromParts(year, 1, 1) }]),
    event('Good Friday', easter - 2, '', false),
    event('Easter Monday', easter + 1),
    event('Early May bank holiday', monday(year, 5, 1)),
    event('Spring bank holiday', monday(year, 5, 'last')),
    event('Summer bank holiday', monday(year, 8, 'last')),
    ...withSubstitutes([
      { title: 'Christmas Day', day: dayNumberFromParts(year, 12, 25) },
      { title: 'Boxing Day', day: dayNumberFromParts(year, 12, 26) },
    ]),
  ];
}

/**
 * All bank holidays from `first` to `last` inclusive: the standing rules of every year in
 * the range, with the proclamations applied, sorted by date. A proclamation that moves a
 * day the rules do not produce is a mistake in the data and is refused.
 */
export function englandAndWalesBankHolidays(
  first: IsoDate,
  last: IsoDate,
  proclamations: readonly Proclamation[] = PROCLAMATIONS,
): BankHolidayEvent[] {
  const firstYear = Number(first.slice(0, 4));
  const lastYear = Number(last.slice(0, 4));
  if (parseIsoDate(last) < parseIsoDate(first)) {
    throw new DomainError('invalid_date_range', `the range ${first} to ${last} ends before it starts`);
  }
  const events: BankHolidayEvent[] = [];
  for (let year = firstYear; year <= lastYear; year++) events.push(...standingBankHolidays(year));

  for (const proclamation of proclamations) {
    if (proclamation.kind === 'extra') {
      events.push({ ...proclamation.event });
      continue;
    }
    if (Number(proclamation.from.slice(0, 4)) < firstYear || Number(proclamation.from.slice(0, 4)) > lastYear) continue;
    const moved = events.find((e) => e.date === proclamation.from && e.title === proclamation.title);
    if (moved === undefined) {
      throw new DomainError('invalid_proclamation', `no ${proclamation.title} on ${proclamation.from} to move (${proclamation.why})`);
    }
    moved.date = proclamation.to;
    moved.notes = proclamation.notes;
    if (proclamation.newTitle !== undefined) moved.title = proclamation.newTitle;
  }

  const inRange = events.filter((e) => e.date >= first && e.date <= last).sort((a, b) => a.date.localeCompare(b.date));
  for (let i = 1; i < inRange.length; i++) {
    if (inRange[i]?.date === inRange[i - 1]?.date) {
      throw new DomainError('invalid_proclamation', `two bank holidays fall on ${inRange[i]?.date ?? ''}`);
    }
  }
  return inRange;
}
