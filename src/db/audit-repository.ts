import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface AuditEvent {
  readonly userId: number | null;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string | null;
  readonly ip: string | null;
  readonly requestId: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditEntry extends AuditEvent {
  readonly id: number;
  readonly occurredAt: string;
}

/** The audit trail: who did or saw what, when and from where. Rows are only ever added. */
export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async record(event: AuditEvent, at: string): Promise<void> {
    await this.db
      .insertInto('audit_event')
      .values({
        occurred_at: at,
        user_id: event.userId,
        action: event.action,
        entity_type: event.entityType,
        entity_id: event.entityId,
        ip: event.ip,
        request_id: event.requestId,
        details: event.details === undefined ? null : JSON.stringify(event.details),
      })
      .execute();
  }

  async forEntity(entityType: string, entityId: string): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom('audit_event')
      .selectAll()
      .where('entity_type', '=', entityType)
      .where('entity_id', '=', entityId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      occurredAt: r.occurred_at,
      userId: r.user_id,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      ip: r.ip,
      requestId: r.request_id,
      details: r.details === null ? undefined : (JSON.parse(r.details) as Record<string, unknown>),
    }));
  }
}
