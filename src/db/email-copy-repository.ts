import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface EmailCopy {
  readonly id: number;
  readonly outboxId: number | null;
  readonly templateKey: string;
  readonly recipient: string;
  readonly subject: string;
  readonly body: string;
  readonly recordedAt: string;
}

/** The emails the `log` transport recorded instead of sending (never used in production). */
export class EmailCopyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(copy: Omit<EmailCopy, 'id'>): Promise<void> {
    await this.db
      .insertInto('email_copy')
      .values({ outbox_id: copy.outboxId, template_key: copy.templateKey, recipient: copy.recipient, subject: copy.subject, body: copy.body, recorded_at: copy.recordedAt })
      .execute();
  }

  /** Newest first: `limit` copies recorded before the copy `beforeId` (from the newest when absent). */
  async page(limit: number, beforeId?: number): Promise<EmailCopy[]> {
    let query = this.db.selectFrom('email_copy').selectAll().orderBy('id', 'desc').limit(limit);
    if (beforeId !== undefined) query = query.where('id', '<', beforeId);
    const rows = await query.execute();
    return rows.map((r) => ({ id: r.id, outboxId: r.outbox_id, templateKey: r.template_key, recipient: r.recipient, subject: r.subject, body: r.body, recordedAt: r.recorded_at }));
  }
}
