/**
 * Working-day arithmetic against the obvious baseline: stepping one day at a time, checking
 * the weekday and a Set of holidays (target: at least 20 times faster).
 *
 * Same inputs for both sides: 100,000 random receipt dates 2000–2040, N from 0 to 65, and a
 * response date up to about N working days later, from a fixed seed. The baseline gets its
 * best chance — weekday by arithmetic, holidays as a Set of day numbers — and both sides must
 * give the same answers before any timing counts.
 *
 * The target is judged on the arithmetic itself (`addWorkingDaysToDayNumber`,
 * `workingDaysBetweenDayNumbers` and the plain loop, both on day numbers). The same comparison
 * with ISO strings in and out (`deadline`, `workingDaysTaken`, parsing and formatting on both
 * sides) is printed too, for information: there the string handling, equal on both sides,
 * takes most of the time and so narrows the ratio.
 */
import { shippedCalendar, shippedHolidays } from '../src/domain/calendar/shipped-holidays.ts';
import { type DayNumber, formatIsoDate, isWeekendDayNumber, parseIsoDate } from '../src/domain/calendar/iso-date.ts';
import { deadline, workingDaysTaken } from '../src/domain/calendar/counting-rule.ts';

const CASES = 100_000;
const TARGET_RATIO = 20;
const MIN_MILLISECONDS = 400;

/** A small fixed-seed generator (xorshift32), so every run measures the same inputs. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

/** Operations per second of `operation` over all the cases, repeated until the timing is long enough. */
function measure(operation: (i: number) => unknown): number {
  let sink = 0;
  for (let i = 0; i < CASES; i++) if (operation(i) !== undefined) sink++; // warm up (and let the JIT settle)
  let rounds = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < CASES; i++) if (operation(i) !== undefined) sink++;
    rounds++;
    elapsed = performance.now() - started;
  } while (elapsed < MIN_MILLISECONDS);
  if (sink === 0) throw new Error('nothing was computed');
  return (rounds * CASES) / (elapsed / 1000);
}

export default function calendarBench(): Promise<boolean> {
  const calendar = shippedCalendar();
  const holidays = new Set<DayNumber>(shippedHolidays().map((d) => parseIsoDate(d)));
  const isWorking = (day: DayNumber) => !isWeekendDayNumber(day) && !holidays.has(day);

  // The baseline, on day numbers: step forward from `from` counting working days.
  const naiveAdd = (from: DayNumber, n: number): DayNumber => {
    let day = from;
    for (let counted = 0; counted < n; ) {
      day++;
      if (isWorking(day)) counted++;
    }
    return day;
  };
  const naiveBetween = (from: DayNumber, to: DayNumber): number => {
    let count = 0;
    for (let day = from + 1; day <= to; day++) if (isWorking(day)) count++;
    return count;
  };
  // The same with ISO strings and the counting rule's day 0, as `deadline` and `workingDaysTaken` do.
  const dayZeroOf = (received: string): DayNumber => {
    let day = parseIsoDate(received);
    while (!isWorking(day)) day++;
    return day;
  };
  const naiveDeadline = (received: string, n: number): string => formatIsoDate(naiveAdd(dayZeroOf(received), n));
  const naiveTaken = (received: string, responded: string): number => {
    const zero = dayZeroOf(received);
    const end = parseIsoDate(responded);
    return end <= zero ? 0 : naiveBetween(zero, end);
  };

  const next = random(20_111_229);
  const first = parseIsoDate('2000-01-01');
  const last = parseIsoDate('2040-09-15'); // room for 65 working days before the calendar ends
  const fromDays = new Int32Array(CASES);
  const toDays = new Int32Array(CASES);
  const lengths = new Int32Array(CASES);
  const received: string[] = [];
  const responded: string[] = [];
  for (let i = 0; i < CASES; i++) {
    const day = first + Math.floor(next() * (last - first));
    const n = Math.floor(next() * 66);
    // A response somewhere up to about N working days later (N working days are about 1.4·N days).
    const response = day + Math.floor(next() * (n * 1.4 + 4));
    fromDays[i] = day;
    lengths[i] = n;
    toDays[i] = response;
    received.push(formatIsoDate(day));
    responded.push(formatIsoDate(response));
  }

  // Both sides must give the same answers before their speed means anything.
  for (let i = 0; i < CASES; i++) {
    const [from, to, n, r, t] = [fromDays[i] ?? 0, toDays[i] ?? 0, lengths[i] ?? 0, received[i] ?? '', responded[i] ?? ''];
    if (
      calendar.addWorkingDaysToDayNumber(from, n) !== naiveAdd(from, n) ||
      calendar.workingDaysBetweenDayNumbers(from, to) !== naiveBetween(from, to) ||
      deadline(calendar, r, n, 'statutory') !== naiveDeadline(r, n) ||
      workingDaysTaken(calendar, r, t, 'statutory') !== naiveTaken(r, t)
    ) {
      console.log(`the calendar and the day-by-day loop disagree on case ${i}: ${r} ${n} ${t}`);
      return Promise.resolve(false);
    }
  }

  const comparisons = [
    {
      name: 'addWorkingDays',
      isJudged: true,
      fast: measure((i) => calendar.addWorkingDaysToDayNumber(fromDays[i] ?? 0, lengths[i] ?? 0)),
      slow: measure((i) => naiveAdd(fromDays[i] ?? 0, lengths[i] ?? 0)),
    },
    {
      name: 'workingDaysBetween',
      isJudged: true,
      fast: measure((i) => calendar.workingDaysBetweenDayNumbers(fromDays[i] ?? 0, toDays[i] ?? 0)),
      slow: measure((i) => naiveBetween(fromDays[i] ?? 0, toDays[i] ?? 0)),
    },
    {
      name: 'deadline (ISO strings)',
      isJudged: false,
      fast: measure((i) => deadline(calendar, received[i] ?? '', lengths[i] ?? 0, 'statutory')),
      slow: measure((i) => naiveDeadline(received[i] ?? '', lengths[i] ?? 0)),
    },
    {
      name: 'workingDaysTaken (ISO strings)',
      isJudged: false,
      fast: measure((i) => workingDaysTaken(calendar, received[i] ?? '', responded[i] ?? '', 'statutory')),
      slow: measure((i) => naiveTaken(received[i] ?? '', responded[i] ?? '')),
    },
  ];
  const perSecond = (n: number) => `${(n / 1e6).toFixed(2)} M ops/s`;
  let isMet = true;
  for (const { name, isJudged, fast, slow } of comparisons) {
    const ratio = fast / slow;
    const verdict = isJudged ? `(target ≥ ${TARGET_RATIO}×)` : '(for information)';
    console.log(`${name.padEnd(31)} calendar ${perSecond(fast).padStart(15)}   day by day ${perSecond(slow).padStart(15)}   ${ratio.toFixed(1).padStart(6)}× ${verdict}`);
    if (isJudged && ratio < TARGET_RATIO) isMet = false;
  }
  return Promise.resolve(isMet);
}
