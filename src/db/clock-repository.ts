import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { ClockEvents } from '../domain/clocks/clock-engine.ts';

export interface NewClock {
  readonly subjectType: string;
  readonly subjectId: number;
  readonly procedureKind: string;
  readonly clockKey: string;
  readonly events: ClockEvents;
  readonly dueOn: string;
}

export interface StoredClock extends NewClock {
  readonly id: number;
  readonly isOpen: boolean;
  readonly version: number;
}

/** Statutory clocks, with their due date kept up to date for queues and reminders. */
export class ClockRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(clock: NewClock, now: string): Promise<number> {
    const { id } = await this.db
      .insertInto('clock')
      .values({
        subject_type: clock.subjectType,
        subject_id: clock.subjectId,
        procedure_kind: clock.procedureKind,
        clock_key: clock.clockKey,
        started_on: clock.events.startedOn,
        events: JSON.stringify(clock.events),
        due_on: clock.dueOn,
        is_open: clock.events.stoppedOn === undefined ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async findById(id: number): Promise<StoredClock | undefined> {
    const row = await this.db.selectFrom('clock').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toClock(row);
  }

  /** The clocks of one record, oldest first. */
  async forSubject(subjectType: string, subjectId: number): Promise<StoredClock[]> {
    const rows = await this.db.selectFrom('clock').selectAll().where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).orderBy('id').execute();
    return rows.map(toClock);
  }

  /** Open clocks that started on or before `date`: the ones a change of that day can move. */
  async openStartedOnOrBefore(date: string): Promise<StoredClock[]> {
    const rows = await this.db
      .selectFrom('clock')
      .selectAll()
      .where('is_open', '=', 1)
      .where('started_on', '<=', date)
      .orderBy('id')
      .execute();
    return rows.map(toClock);
  }

  /** Sets a new due date if the clock is still at `expectedVersion`; false if it changed meanwhile. */
  async setDueOn(id: number, dueOn: string, expectedVersion: number, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('clock')
      .set({ due_on: dueOn, version: expectedVersion + 1, updated_at: now })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

function toClock(row: {
  id: number;
  subject_type: string;
  subject_id: number;
  procedure_kind: string;
  clock_key: string;
  events: string;
  due_on: string;
  is_open: number;
  version: number;
}): StoredClock {
  return {
    id: row.id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    procedureKind: row.procedure_kind,
    clockKey: row.clock_key,
    events: JSON.parse(row.events) as ClockEvents,
    dueOn: row.due_on,
    isOpen: row.is_open === 1,
    version: row.version,
  };
}
