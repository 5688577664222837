/**
 * The working-day calendar in force: the shipped bank holidays plus the changes an
 * administrator has recorded. Each change re-dates the open clocks it affects, in the same
 * transaction. The calendar is cached per process and rebuilt when the change log grows, so
 * several processes stay in step.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { CalendarRepository } from '../db/calendar-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { createCalendar, type WorkingDayCalendar } from '../domain/calendar/working-day-calendar.ts';
import { shippedBankHolidayEvents } from '../domain/calendar/shipped-holidays.ts';
import { parseBankHolidaysFile } from '../domain/calendar/bank-holidays-file.ts';
import {
  checkCalendarChange,
  effectiveHolidays,
  planGovUkImport,
  type CalendarChange,
  type Holiday,
  type ImportPlan,
} from '../domain/calendar/calendar-changes.ts';
import { DomainError } from '../domain/errors.ts';
import type { IsoDate } from '../domain/calendar/iso-date.ts';
import { redateOpenClocks, type Redated } from './clock-service.ts';
import type { Actor, Clock } from './clock.ts';

export interface RemovedHoliday {
  readonly date: IsoDate;
  readonly title: string;
  readonly reason: string;
}

export interface CalendarYear {
  readonly year: number;
  readonly holidays: readonly Holiday[];
  readonly removed: readonly RemovedHoliday[];
}

export interface ImportResult extends ImportPlan {
  readonly redated: readonly Redated[];
}

export class CalendarService {
  private cached: { version: number; calendar: WorkingDayCalendar } | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** The calendar in force now. */
  async calendar(): Promise<WorkingDayCalendar> {
    const version = await new CalendarRepository(this.db).version();
    if (this.cached?.version === version) return this.cached.calendar;
    return (await this.state(this.db)).calendar;
  }

  async year(year: number): Promise<CalendarYear> {
    if (!Number.isInteger(year)) throw new DomainError('invalid_year', 'Enter a year, for example 2027', 'year');
    const { calendar, holidays, changes } = await this.state(this.db);
    const first = Number(calendar.first.slice(0, 4));
    const last = Number(calendar.last.slice(0, 4));
    if (year < first || year > last) throw new DomainError('year_outside_calendar', `The calendar covers ${first} to ${last}`, 'year');
    const prefix = `${year}-`;
    const latest = new Map(changes.map((c) => [c.date, c]));
    const shippedTitles = new Map(shippedBankHolidayEvents().map((e) => [e.date, e.title]));
    const removed = [...latest.values()]
      .filter((c) => c.change === 'remove' && c.date.startsWith(prefix))
      .map((c) => ({ date: c.date, title: shippedTitles.get(c.date) ?? c.title, reason: c.reason }))
      .sort((a, b) => a.date.localeCompare(b.date));
    return { year, holidays: holidays.filter((h) => h.date.startsWith(prefix)), removed };
  }

  /** Adds or removes a bank holiday, re-dating the open clocks it moves. */
  async change(change: CalendarChange, actor: Actor): Promise<readonly Redated[]> {
    const now = this.clock();
    return this.db.transaction().execute(async (trx) => {
      const before = await this.state(trx);
      checkCalendarChange(before.calendar, change);
      const repository = new CalendarRepository(trx);
      await repository.add(change, 'admin', actor.userId, now.toISOString());
      const after = await this.state(trx);
      const what = change.change === 'add' ? `${change.title} (${change.date}) added as a bank holiday` : `${change.date} is no longer a bank holiday`;
      const redated = await redateOpenClocks(trx, { before: before.calendar, after: after.calendar }, change.date, `${what}. Reason: ${change.reason}`, actor, now);
      await new AuditRepository(trx).record(
        { ...actor, action: change.change === 'add' ? 'holiday_added' : 'holiday_removed', entityType: 'calendar', entityId: change.date, details: { after: change, redatedClocks: redated.length } },
        now.toISOString(),
      );
      return redated;
    });
  }

  /**
   * Imports GOV.UK's bank-holidays.json: adds the days that are new, reports what differs,
   * and changes nothing when the file is not valid (or with `dryRun`).
   */
  async importGovUk(fileText: string, actor: Actor, options: { dryRun?: boolean } = {}): Promise<ImportResult> {
    let json: unknown;
    try {
      json = JSON.parse(fileText);
    } catch (error) {
      throw new DomainError('invalid_bank_holidays_file', `not a JSON file: ${(error as Error).message}`);
    }
    const events = parseBankHolidaysFile(json);
    const now = this.clock();
    return this.db.transaction().execute(async (trx) => {
      const current = await this.state(trx);
      const removed = new Set(current.changes.filter((c) => c.change === 'remove').map((c) => c.date));
      const plan = planGovUkImport(current.calendar, current.holidays, removed, events);
      if (options.dryRun === true || plan.toAdd.length === 0) return { ...plan, redated: [] };
      const repository = new CalendarRepository(trx);
      for (const event of plan.toAdd) {
        await repository.add({ date: event.date, change: 'add', title: event.title, reason: 'Imported from GOV.UK bank-holidays.json' }, 'import', actor.userId, now.toISOString());
      }
      const after = await this.state(trx);
      // One pass for the whole import: each clock moves once, by all the new days together.
      const latest = plan.toAdd.reduce((last, e) => (e.date > last ? e.date : last), current.calendar.first);
      const added = plan.toAdd.map((e) => `${e.title} (${e.date})`).join(', ');
      const redated = await redateOpenClocks(trx, { before: current.calendar, after: after.calendar }, latest, `${added} added from GOV.UK's bank holidays`, actor, now);
      await new AuditRepository(trx).record(
        { ...actor, action: 'holidays_imported', entityType: 'calendar', entityId: null, details: { added: plan.toAdd.map((e) => e.date), redatedClocks: redated.length } },
        now.toISOString(),
      );
      return { ...plan, redated };
    });
  }

  private async state(db: Kysely<Database>) {
    const repository = new CalendarRepository(db);
    const changes = await repository.changes();
    const version = changes.at(-1)?.id ?? 0;
    const holidays = effectiveHolidays(shippedBankHolidayEvents(), changes);
    const isCached = db === this.db && this.cached?.version === version;
    const calendar = isCached && this.cached ? this.cached.calendar : createCalendar(holidays.map((h) => h.date));
    // Only the outside connection fills the cache: a transaction's view may yet roll back.
    if (db === this.db) this.cached = { version, calendar };
    return { calendar, holidays, changes };
  }
}
