import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface HistoryEntry {
  readonly subjectType: string;
  readonly subjectId: number;
  readonly userId: number | null;
  readonly action: string;
  /** One sentence for the timeline, e.g. "Stage 1 response due date moved from … to …". */
  readonly summary: string;
  readonly before?: Readonly<Record<string, unknown>>;
  readonly after?: Readonly<Record<string, unknown>>;
}

export interface StoredHistoryEntry extends HistoryEntry {
  readonly id: number;
  readonly occurredAt: string;
}

/** Each record's timeline: who changed what, when, and what it was before and after. */
export class HistoryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(entry: HistoryEntry, at: string): Promise<void> {
    await this.db
      .insertInto('history_entry')
      .values({
        subject_type: entry.subjectType,
        subject_id: entry.subjectId,
        occurred_at: at,
        user_id: entry.userId,
        action: entry.action,
        summary: entry.summary,
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
      })
      .execute();
  }

  async forSubject(subjectType: string, subjectId: number): Promise<StoredHistoryEntry[]> {
    const rows = await this.db
      .selectFrom('history_entry')
      .selectAll()
      .where('subject_type', '=', subjectType)
      .where('subject_id', '=', subjectId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      occurredAt: r.occurred_at,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      userId: r.user_id,
      action: r.action,
      summary: r.summary,
      ...(r.before === null ? {} : { before: JSON.parse(r.before) as Record<string, unknown> }),
      ...(r.after === null ? {} : { after: JSON.parse(r.after) as Record<string, unknown> }),
    }));
  }
}
