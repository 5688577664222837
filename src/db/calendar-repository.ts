import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { CalendarChange } from '../domain/calendar/calendar-changes.ts';

export interface StoredCalendarChange extends CalendarChange {
  readonly id: number;
  readonly source: 'admin' | 'import';
  readonly userId: number | null;
  readonly createdAt: string;
}

/** The append-only log of changes to the shipped bank holidays. */
export class CalendarRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async changes(): Promise<StoredCalendarChange[]> {
    const rows = await this.db.selectFrom('calendar_change').selectAll().orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      date: r.date,
      change: r.change,
      title: r.title,
      reason: r.reason,
      source: r.source,
      userId: r.user_id,
      createdAt: r.created_at,
    }));
  }

  /** The id of the latest change (0 when there is none): the calendar's version. */
  async version(): Promise<number> {
    const row = await this.db
      .selectFrom('calendar_change')
      .select((eb) => eb.fn.max('id').as('latest'))
      .executeTakeFirst();
    return row?.latest ?? 0;
  }

  async add(change: CalendarChange, source: 'admin' | 'import', userId: number | null, now: string): Promise<void> {
    await this.db
      .insertInto('calendar_change')
      .values({ date: change.date, change: change.change, title: change.title, reason: change.reason, source, user_id: userId, created_at: now })
      .execute();
  }
}
