import { PostgresAdapter, sql, type Kysely, type Selectable } from 'kysely';
import type { AuditEventTable, Database } from './schema.ts';
import { GENESIS_HASH, auditHash, brokenLink, canonicalAuditText, type ChainedFields } from './audit-chain.ts';

export interface AuditEvent {
  readonly userId: number | null;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string | null;
  readonly ip: string | null;
  readonly requestId: string | null;
  /** Ids and codes only, never names or words about a person: the trail outlives the cases it is about. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditEntry extends AuditEvent {
  readonly id: number;
  readonly occurredAt: string;
}

/** What the audit page and its CSV filter by; every field optional. */
export interface AuditFilter {
  readonly userId?: number;
  /** Entries about any of these entities (type and id), e.g. the cases of a person. */
  readonly entities?: readonly { readonly type: string; readonly id: string }[];
  /** Inclusive ISO timestamps. */
  readonly from?: string;
  readonly to?: string;
  /** Keyset paging, newest first: entries with a smaller id than this. */
  readonly beforeId?: number;
}

export type AuditVerification = { readonly verified: true; readonly entries: number } | { readonly verified: false; readonly entries: number; readonly brokenId: number; readonly reason: string };

/** Any fixed number, the same in every process: the lock that serialises appends to the chain on PostgreSQL (with the schema's name, so that databases in separate schemas do not wait for each other). */
const AUDIT_CHAIN_LOCK = 858_513_271;
const VERIFY_BATCH = 5000;

/**
 * The audit trail: who did or saw what, when and from where. Rows are only ever added (the
 * database refuses UPDATE and DELETE) and each is chained to the one before by its hash
 * (src/db/audit-chain.ts), so `redress audit verify` finds a row changed behind the triggers' back.
 */
export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Appends one entry. The chain's head is read and the row written under a lock held to the end
   * of the transaction — the caller's, when it is given one — so several processes on one
   * PostgreSQL append one after another; on SQLite the database's single writer does the same.
   */
  async record(event: AuditEvent, at: string): Promise<void> {
    if (isPostgres(this.db)) {
      // One statement (migration 0038), in the caller's transaction or its own.
      const fields = fieldsOf(event, at);
      await sql`select audit_append(${AUDIT_CHAIN_LOCK}, ${GENESIS_HASH}, ${canonicalAuditText(fields)}, ${fields.occurred_at}, ${fields.user_id}, ${fields.action},
        ${fields.entity_type}, ${fields.entity_id}, ${fields.ip}, ${fields.request_id}, ${fields.details})`.execute(this.db);
      return;
    }
    if (this.db.isTransaction) {
      await append(this.db, event, at);
      return;
    }
    // SQLite: take the write lock before reading the head, so that another process appending
    // in between makes this one wait (busy timeout) rather than fail.
    await this.db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        await append(connection, event, at);
        await sql`commit`.execute(connection);
      } catch (error) {
        await sql`rollback`.execute(connection);
        throw error;
      }
    });
  }

  async forEntity(entityType: string, entityId: string): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom('audit_event')
      .selectAll()
      .where('entity_type', '=', entityType)
      .where('entity_id', '=', entityId)
      .orderBy('id')
      .execute();
    return rows.map(toEntry);
  }

  /** A page of entries matching the filter, newest first, and whether there are older ones. */
  async search(filter: AuditFilter, limit: number): Promise<{ entries: AuditEntry[]; hasMore: boolean }> {
    if (filter.entities?.length === 0) return { entries: [], hasMore: false };
    let query = this.db.selectFrom('audit_event').selectAll();
    if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
    if (filter.from !== undefined) query = query.where('occurred_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('occurred_at', '<=', filter.to);
    if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
    const entities = filter.entities;
    if (entities !== undefined) {
      const byType = new Map<string, string[]>();
      for (const e of entities) byType.set(e.type, [...(byType.get(e.type) ?? []), e.id]);
      query = query.where((eb) => eb.or([...byType].map(([type, ids]) => eb.and([eb('entity_type', '=', type), eb('entity_id', 'in', ids)]))));
    }
    const rows = await query.orderBy('id', 'desc').limit(limit + 1).execute();
    return { entries: rows.slice(0, limit).map(toEntry), hasMore: rows.length > limit };
  }

  /** Walks the whole chain in id order, a batch at a time, and reports the first broken link. */
  async verify(onProgress?: (checked: number) => void): Promise<AuditVerification> {
    let expected = GENESIS_HASH;
    let after = 0;
    let entries = 0;
    for (;;) {
      const rows = await this.db.selectFrom('audit_event').selectAll().where('id', '>', after).orderBy('id').limit(VERIFY_BATCH).execute();
      if (rows.length === 0) return { verified: true, entries };
      for (const row of rows) {
        const reason = brokenLink(expected, row);
        if (reason !== undefined) return { verified: false, entries, brokenId: row.id, reason };
        expected = row.hash ?? '';
        after = row.id;
        entries += 1;
      }
      onProgress?.(entries);
    }
  }
}

const isPostgres = (db: Kysely<Database>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** SQLite: appends under the database's write lock, which the caller holds. */
async function append(trx: Kysely<Database>, event: AuditEvent, at: string): Promise<void> {
  const head = await trx.selectFrom('audit_event').select('hash').where('hash', 'is not', null).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const fields = fieldsOf(event, at);
  const prevHash = head?.hash ?? GENESIS_HASH;
  await trx
    .insertInto('audit_event')
    .values({ ...fields, prev_hash: prevHash, hash: auditHash(prevHash, fields) })
    .execute();
}

/** An event's chained columns. */
function fieldsOf(event: AuditEvent, at: string): ChainedFields {
  return {
    occurred_at: at,
    user_id: event.userId,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId,
    ip: event.ip,
    request_id: event.requestId,
    details: event.details === undefined ? null : JSON.stringify(event.details),
  };
}

function toEntry(r: Selectable<AuditEventTable>): AuditEntry {
  return {
    id: r.id,
    occurredAt: r.occurred_at,
    userId: r.user_id,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    ip: r.ip,
    requestId: r.request_id,
    details: r.details === null ? undefined : (JSON.parse(r.details) as Record<string, unknown>),
  };
}
