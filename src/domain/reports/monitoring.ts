/**
 * Quarterly monitoring (issue #6): the figures for any period, for each service area and
 * for the directorate, and the periods they are drawn for. Pure rules: no I/O, no clock.
 *
 * Bases (each stated on the page):
 * - received: representations received in the period, by kind;
 * - Stage 1 responses: Children Act complaints responded to in the period (whenever
 *   received), withdrawn ones excluded; "within 10" / "within 20" count those that took at
 *   most 10 / 20 working days by the counting rule;
 * - withdrawn: Children Act complaints withdrawn in the period;
 * - open at the end: Children Act complaints received by the end of the period, neither
 *   responded to nor withdrawn by then;
 * - Stage 2 requests and Ombudsman enquiries: received in the period, by their own date.
 */
import { DomainError } from '../errors.ts';
import { addDays, isIsoDate, isoDateParts, isoDateFromParts, daysInMonth, type IsoDate } from '../calendar/iso-date.ts';

export const MONITORED_KINDS = ['children_statutory', 'corporate', 'informal', 'compliment'] as const;
export type MonitoredKind = (typeof MONITORED_KINDS)[number];

export const MONITORED_KIND_LABELS: Readonly<Record<MonitoredKind, string>> = {
  children_statutory: 'Children Act complaints',
  corporate: 'Corporate complaints',
  informal: 'Informal complaints',
  compliment: 'Compliments',
};

export interface MonitoringFigures {
  readonly received: Readonly<Record<MonitoredKind, number>>;
  readonly stage1Responses: number;
  readonly within10: number;
  readonly within20: number;
  readonly withdrawn: number;
  readonly openAtEnd: number;
  readonly stage2Requests: number;
  readonly ombudsmanEnquiries: number;
}

export const MONITORING_COLUMNS: readonly { readonly key: string; readonly label: string; readonly value: (f: MonitoringFigures) => number }[] = [
  ...MONITORED_KINDS.map((kind) => ({ key: `received_${kind}`, label: `${MONITORED_KIND_LABELS[kind]} received`, value: (f: MonitoringFigures) => f.received[kind] })),
  { key: 'stage1_responses', label: 'Stage 1 responses', value: (f) => f.stage1Responses },
  { key: 'within_10', label: 'of which within 10 working days', value: (f) => f.within10 },
  { key: 'within_20', label: 'of which within 20 working days', value: (f) => f.within20 },
  { key: 'withdrawn', label: 'Withdrawn', value: (f) => f.withdrawn },
  { key: 'open_at_end', label: 'Open at the end of the period', value: (f) => f.openAtEnd },
  { key: 'stage2_requests', label: 'Stage 2 requests', value: (f) => f.stage2Requests },
  { key: 'ombudsman_enquiries', label: 'Ombudsman enquiries', value: (f) => f.ombudsmanEnquiries },
];

export function emptyFigures(): MonitoringFigures {
  return { received: { children_statutory: 0, corporate: 0, informal: 0, compliment: 0 }, stage1Responses: 0, within10: 0, within20: 0, withdrawn: 0, openAtEnd: 0, stage2Requests: 0, ombudsmanEnquiries: 0 };
}

export function addFigures(a: MonitoringFigures, b: MonitoringFigures): MonitoringFigures {
  return {
    received: {
      children_statutory: a.received.children_statutory + b.received.children_statutory,
      corporate: a.received.corporate + b.received.corporate,
      informal: a.received.informal + b.received.informal,
      compliment: a.received.compliment + b.received.compliment,
    },
    stage1Responses: a.stage1Responses + b.stage1Responses,
    within10: a.within10 + b.within10,
    within20: a.within20 + b.within20,
    withdrawn: a.withdrawn + b.withdrawn,
    openAtEnd: a.openAtEnd + b.openAtEnd,
    stage2Requests: a.stage2Requests + b.stage2Requests,
    ombudsmanEnquiries: a.ombudsmanEnquiries + b.ombudsmanEnquiries,
  };
}

export interface MonitoringPeriod {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

/** The longest period the page draws (a few years), so one request cannot ask for centuries. */
export const MAX_PERIOD_DAYS = 3 * 366;

/** The quarter of the financial year (Apr–Jun, Jul–Sep, Oct–Dec, Jan–Mar) holding `date`. */
export function financialQuarterOf(date: IsoDate): MonitoringPeriod {
  const { year, month } = isoDateParts(date);
  const first = month - ((month - 1) % 3); // 1, 4, 7 or 10
  const last = first + 2;
  return { from: isoDateFromParts(year, first, 1), to: isoDateFromParts(year, last, daysInMonth(year, last)) };
}

export function previousQuarter(period: MonitoringPeriod): MonitoringPeriod {
  return financialQuarterOf(addDays(period.from, -1));
}

export function nextQuarter(period: MonitoringPeriod): MonitoringPeriod {
  return financialQuarterOf(addDays(period.to, 1));
}

/** "Q1 2024/25 (April to June 2024)" for a whole quarter, "1 April 2024 to 15 May 2024" otherwise. */
export function periodLabel(period: MonitoringPeriod): string {
  const quarter = financialQuarterOf(period.from);
  const from = isoDateParts(period.from);
  if (quarter.from === period.from && quarter.to === period.to) {
    const fyStart = from.month >= 4 ? from.year : from.year - 1;
    const q = from.month >= 4 ? (from.month - 1) / 3 : 4;
    return `Q${String(q)} ${String(fyStart)}/${String((fyStart + 1) % 100).padStart(2, '0')} (${MONTHS[from.month - 1] ?? ''} to ${MONTHS[from.month + 1] ?? ''} ${String(from.year)})`;
  }
  return `${longDate(period.from)} to ${longDate(period.to)}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

export function longDate(date: IsoDate): string {
  const { year, month, day } = isoDateParts(date);
  return `${String(day)} ${MONTHS[month - 1] ?? ''} ${String(year)}`;
}

/** "Mar 2024" for a month key "2024-03". */
export function monthLabel(month: string): string {
  const [y = '', m = ''] = month.split('-');
  return `${(MONTHS[Number(m) - 1] ?? '').slice(0, 3)} ${y}`;
}

/**
 * The period asked for: both dates `YYYY-MM-DD`, real, `from` on or before `to`, at most
 * MAX_PERIOD_DAYS long. Refuses with DomainError naming the field.
 */
export function monitoringPeriod(from: string, to: string): MonitoringPeriod {
  if (!isIsoDate(from)) throw new DomainError('invalid_period_from', 'Enter the start of the period as a real date, like 2024-04-01', 'from');
  if (!isIsoDate(to)) throw new DomainError('invalid_period_to', 'Enter the end of the period as a real date, like 2024-06-30', 'to');
  if (from > to) throw new DomainError('period_from_after_to', 'The start of the period must be on or before its end', 'from');
  if (addDays(from, MAX_PERIOD_DAYS) < to) throw new DomainError('period_too_long', 'The period must be 3 years or shorter', 'to');
  return { from, to };
}

/** 0–100 with one decimal, or undefined with no base. */
export function percentOf(part: number, base: number): number | undefined {
  return base === 0 ? undefined : Math.round((part / base) * 1000) / 10;
}
