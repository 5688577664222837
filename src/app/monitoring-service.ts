/**
 * Quarterly monitoring (any period: per service area and for each directorate) and the
 * dashboard's figures (open cases by stage, Stage 1 due this week and overdue, timeliness
 * this financial year against the same point last year, a 12-month trend). Figures only:
 * no personal data. Every count is computed in SQL (src/reports/monitoring/).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays, isoDateParts, isoDateFromParts, daysInMonth, isoWeekday, type IsoDate } from '../domain/calendar/iso-date.ts';
import type { WorkingDayCalendar } from '../domain/calendar/working-day-calendar.ts';
import { STAGE1_OPEN_STATUSES } from '../domain/cases/case-status.ts';
import { STAGE1_CLOCK_KEYS } from '../domain/cases/stage1-clock.ts';
import { addFigures, emptyFigures, MONITORED_KINDS, type MonitoredKind, type MonitoringFigures, type MonitoringPeriod } from '../domain/reports/monitoring.ts';
import { MonitoringQuery } from '../reports/monitoring/monitoring-query.ts';
import type { CalendarService } from './calendar-service.ts';
import type { Clock } from './clock.ts';

export interface AreaMonitoring {
  readonly id: number;
  readonly name: string;
  readonly figures: MonitoringFigures;
}

export interface DirectorateMonitoring {
  readonly id: number;
  readonly name: string;
  /** The sum of its service areas. */
  readonly figures: MonitoringFigures;
  readonly areas: readonly AreaMonitoring[];
}

export interface MonitoringReport {
  readonly period: MonitoringPeriod;
  readonly directorates: readonly DirectorateMonitoring[];
  /** Representations with no team recorded (so in no service area); undefined when none. */
  readonly noTeam: MonitoringFigures | undefined;
  /** Everything: every directorate and the records with no team. */
  readonly total: MonitoringFigures;
  /** Responses whose working days could not be counted (a date outside the calendar): in neither band. */
  readonly uncounted: number;
}

export interface Timeliness {
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** The base: Children Act Stage 1 responses made in the window, withdrawn complaints excluded. */
  readonly responded: number;
  /** Of those, responses that took at most 10 working days. */
  readonly within: number;
  readonly uncounted: number;
}

export interface DashboardFigures {
  readonly today: IsoDate;
  /** Open cases by status: the Stage 1 statuses, then `stage2` and `stage3`. */
  readonly openByStatus: readonly { readonly status: string; readonly stage: 1 | 2 | 3; readonly n: number }[];
  readonly dueThisWeek: { readonly from: IsoDate; readonly to: IsoDate; readonly n: number };
  readonly overdue: number;
  readonly thisYear: Timeliness;
  readonly lastYear: Timeliness;
  /** The 12 months to this one (oldest first), by kind. */
  readonly trend: readonly { readonly month: string; readonly received: Readonly<Record<MonitoredKind, number>> }[];
}

/** Working days within which a Stage 1 response counts as on time on the dashboard. */
export const TIMELY_WORKING_DAYS = 10;

/** The longest the dashboard's and monitoring's figures are kept when nothing seems to have changed. */
const KEPT_MAX_AGE_MS = 60_000;
/** Sets of figures kept: the dashboard and a few monitoring periods. */
const MAX_KEPT = 16;

/** The last working day on or before `date` (a clock due then is not overdue until the next one: as the "overdue" queue). */
function workingDayOnOrBefore(calendar: WorkingDayCalendar, date: IsoDate): IsoDate {
  let day = date;
  for (let i = 0; i < 31 && !calendar.isWorkingDay(day); i++) day = addDays(day, -1);
  return day;
}

/** The same day a year earlier (28 February for 29 February). */
function yearEarlier(date: IsoDate): IsoDate {
  const { year, month, day } = isoDateParts(date);
  return isoDateFromParts(year - 1, month, Math.min(day, daysInMonth(year - 1, month)));
}

/** 1 April of the financial year holding `date`. */
function financialYearStart(date: IsoDate): IsoDate {
  const { year, month } = isoDateParts(date);
  return isoDateFromParts(month >= 4 ? year : year - 1, 4, 1);
}

export class MonitoringService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendars: CalendarService,
  ) {}

  today(): IsoDate {
    return this.clock().toISOString().slice(0, 10);
  }

  /**
   * A period's figures, by directorate and service area. Kept like the dashboard's (below),
   * by period; a change to the teams, service areas or directorates (each audited) is a
   * change to them too.
   */
  monitoring(period: MonitoringPeriod): Promise<MonitoringReport> {
    return this.kept(`monitoring ${period.from} ${period.to}`, { withOrganisation: true }, () => this.monitoringFigures(period));
  }

  private async monitoringFigures(period: MonitoringPeriod): Promise<MonitoringReport> {
    const query = new MonitoringQuery(this.db);
    const [areas, { rows, uncounted }] = await Promise.all([query.serviceAreas(), query.byServiceArea(period, await this.calendars.calendar())]);
    const byArea = new Map(rows.map((r) => [r.areaId, r.figures]));
    const directorates = new Map<number, { id: number; name: string; areas: AreaMonitoring[] }>();
    for (const area of areas) {
      let directorate = directorates.get(area.directorateId);
      if (directorate === undefined) {
        directorate = { id: area.directorateId, name: area.directorateName, areas: [] };
        directorates.set(area.directorateId, directorate);
      }
      directorate.areas.push({ id: area.id, name: area.name, figures: byArea.get(area.id) ?? emptyFigures() });
    }
    const list = [...directorates.values()].map((d) => ({ ...d, figures: d.areas.reduce((sum, a) => addFigures(sum, a.figures), emptyFigures()) }));
    const noTeam = byArea.get(null);
    const total = list.reduce((sum, d) => addFigures(sum, d.figures), noTeam ?? emptyFigures());
    return { period, directorates: list, noTeam, total, uncounted };
  }

  /**
   * The dashboard's figures. They are worked out again only when something they count may
   * have changed: the key is today's date, the calendar and the newest representation and
   * history entry (every change to a case writes one), each read from the end of its index.
   * The last figures are kept in this process only: they are derived, and another process
   * works out its own. They are also worked out again once they are a minute old: on
   * PostgreSQL a transaction can commit after one that took a higher id, which the key
   * would not see.
   */
  dashboard(): Promise<DashboardFigures> {
    return this.kept('dashboard', { withOrganisation: false }, () => this.dashboardFigures());
  }

  /** The figures last worked out under `name`, while the change key is the same and they are under a minute old. */
  private async kept<T>(name: string, options: { readonly withOrganisation: boolean }, work: () => Promise<T>): Promise<T> {
    const key = await this.changeKey(options.withOrganisation);
    const now = this.clock().getTime();
    const last = this.keptFigures.get(name);
    if (last?.key === key && now - last.at < KEPT_MAX_AGE_MS) return last.figures as T;
    const figures = await work();
    // The most recently worked out last (a Map keeps the order of insertion), the oldest dropped past the limit.
    this.keptFigures.delete(name);
    this.keptFigures.set(name, { key, at: now, figures });
    for (const oldest of this.keptFigures.keys()) {
      if (this.keptFigures.size <= MAX_KEPT) break;
      this.keptFigures.delete(oldest);
    }
    return figures;
  }

  private readonly keptFigures = new Map<string, { readonly key: string; readonly at: number; readonly figures: unknown }>();

  private async changeKey(withOrganisation: boolean): Promise<string> {
    const latest = (table: 'representation' | 'history_entry' | 'calendar_change' | 'audit_event') =>
      this.db
        .selectFrom(table)
        .select((eb) => eb.fn.max('id').as('n'))
        .executeTakeFirst()
        .then((row) => String(row?.n ?? 0));
    return [this.today(), ...(await Promise.all([latest('representation'), latest('history_entry'), latest('calendar_change'), ...(withOrganisation ? [latest('audit_event')] : [])]))].join(' ');
  }

  private async dashboardFigures(): Promise<DashboardFigures> {
    const today = this.today();
    const calendar = await this.calendars.calendar();
    const query = new MonitoringQuery(this.db);

    const statuses = [...STAGE1_OPEN_STATUSES, 'stage2', 'stage3'] as const;
    const open = await query.openByStatus(statuses);
    const openByStatus = statuses.map((status) => ({ status, stage: status === 'stage2' ? (2 as const) : status === 'stage3' ? (3 as const) : (1 as const), n: open[status] ?? 0 }));

    // Overdue once a working day has passed after the due date; due this week from then to
    // the Friday of this week (of next week at a weekend).
    const lastWorkingDay = workingDayOnOrBefore(calendar, today);
    const weekday = isoWeekday(today);
    const friday = addDays(today, weekday <= 5 ? 5 - weekday : 12 - weekday);
    const due = await query.stage1Due([...new Set(Object.values(STAGE1_CLOCK_KEYS))], STAGE1_OPEN_STATUSES, lastWorkingDay, lastWorkingDay, friday);

    const yearStart = financialYearStart(today);
    const lastYearStart = financialYearStart(yearEarlier(today));
    const thisYear = await query.timeliness(yearStart, today, TIMELY_WORKING_DAYS, calendar);
    const lastYearTo = yearEarlier(today);
    const lastYear = await query.timeliness(lastYearStart, lastYearTo, TIMELY_WORKING_DAYS, calendar);

    const { year, month } = isoDateParts(today);
    const firstMonth = month === 12 ? isoDateFromParts(year, 1, 1) : isoDateFromParts(year - 1, month + 1, 1);
    const monthly = await query.receivedByMonth(firstMonth, isoDateFromParts(year, month, daysInMonth(year, month)));
    const trend = Array.from({ length: 12 }, (_, i) => {
      const m = ((month + i) % 12) + 1;
      const y = m > month ? year - 1 : year;
      const key = `${String(y)}-${String(m).padStart(2, '0')}`;
      const received = Object.fromEntries(MONITORED_KINDS.map((kind) => [kind, monthly.find((r) => r.month === key && r.kind === kind)?.n ?? 0])) as Record<MonitoredKind, number>;
      return { month: key, received };
    });

    return {
      today,
      openByStatus,
      dueThisWeek: { from: lastWorkingDay, to: friday, n: due.dueInWindow },
      overdue: due.overdue,
      thisYear: { from: yearStart, to: today, ...thisYear },
      lastYear: { from: lastYearStart, to: lastYearTo, ...lastYear },
      trend,
    };
  }
}
