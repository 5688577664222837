/**
 * The notification outbox: `enqueue` adds an email inside the caller's transaction, so it is
 * sent if and only if the change that caused it is committed; the worker
 * (src/notify/outbox-worker.ts) claims due rows with a lease, sends them and marks them sent.
 *
 * The idempotency key is unique: enqueuing the same message twice (a retried request, a job
 * run twice, two processes running the same job) adds one row. Keys are built from ids and
 * dates only, for example `allocation:<representation id>:<version>` or
 * `reminder:<clock id>:<due date>:3wd:<user id>`.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Database, NotificationStatus } from '../db/schema.ts';
import type { Personalisation, TemplateKey } from './templates.ts';

export interface OutboxMessage {
  readonly idempotencyKey: string;
  readonly templateKey: TemplateKey;
  /** The email address to send to. */
  readonly recipient: string;
  readonly personalisation: Personalisation;
  /** The record the message is about, for tracing (ids only). */
  readonly subject?: { readonly type: string; readonly id: number };
}

/**
 * Adds `message` to the outbox in the caller's transaction (or on its own, given the
 * database); returns false when a message with the same idempotency key is already there.
 * Pass the service's clock as `now` (it is when the message becomes due).
 */
export async function enqueue(db: Kysely<Database>, message: OutboxMessage, now: Date = new Date()): Promise<boolean> {
  const at = now.toISOString();
  const result = await db
    .insertInto('notification_outbox')
    .values({
      idempotency_key: message.idempotencyKey,
      template_key: message.templateKey,
      recipient: message.recipient,
      personalisation: JSON.stringify(message.personalisation),
      subject_type: message.subject?.type ?? null,
      subject_id: message.subject?.id ?? null,
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export interface ClaimedMessage {
  readonly id: number;
  readonly idempotencyKey: string;
  readonly templateKey: string;
  readonly recipient: string;
  readonly personalisation: Personalisation;
  /** Counting this one. */
  readonly attempts: number;
  /** When it first failed in this run of attempts (undefined if it has not): it is retried for 48 hours from then. */
  readonly failingSince: Date | undefined;
}

/** A row as `redress notify list` and the admin page show it: no address, no content. */
export interface OutboxSummary {
  readonly id: number;
  readonly idempotencyKey: string;
  readonly templateKey: string;
  readonly status: NotificationStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
  readonly sentAt: string | null;
  readonly createdAt: string;
}

/** The ids of up to `limit` messages due at `at`: pending ones whose time has come, and ones whose sender's lease ran out. */
function dueMessages(db: Kysely<Database>, at: string, limit: number) {
  return db
    .selectFrom('notification_outbox')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', at)]),
        eb.and([eb('status', '=', 'sending'), eb('locked_until', '<', at)]),
      ]),
    )
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit);
}

/** A claimed row as the worker sends it. */
function claimedMessage(row: { id: number; idempotency_key: string; template_key: string; recipient: string; personalisation: string; attempts: number; failing_since: string | null }): ClaimedMessage {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    templateKey: row.template_key,
    recipient: row.recipient,
    personalisation: parsePersonalisation(row.personalisation),
    attempts: row.attempts,
    failingSince: row.failing_since === null ? undefined : new Date(row.failing_since),
  };
}

export interface OutboxHealth {
  /** When the oldest message not yet sent was queued; undefined when none waits. */
  readonly oldestUnsentAt: string | undefined;
  /** Messages waiting or being sent. */
  readonly unsent: number;
  readonly failed: number;
}

export class OutboxRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Claims up to `limit` due messages for `workerId` until `leaseUntil`: pending ones whose
   * time has come, and ones being sent whose lease has run out (their worker stopped). Each
   * claim is one conditional update, so two workers — in this process or another, on either
   * engine — never both claim a row: the second update finds it no longer matches.
   */
  async claim(workerId: string, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedMessage[]> {
    if (this.db.getExecutor().adapter instanceof PostgresAdapter) return this.claimSkippingLocked(workerId, now, leaseUntil, limit);
    const at = now.toISOString();
    const candidates = await dueMessages(this.db, at, limit).execute();
    const claimed: ClaimedMessage[] = [];
    for (const [index, { id }] of candidates.entries()) {
      // Each claim is a write: on SQLite (synchronous) other requests run in between.
      if (index > 0) await new Promise((resolve) => setImmediate(resolve));
      const result = await this.db
        .updateTable('notification_outbox')
        .set((eb) => ({ status: 'sending', locked_by: workerId, locked_until: leaseUntil.toISOString(), attempts: eb('attempts', '+', 1), updated_at: at }))
        .where('id', '=', id)
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', at)]),
            eb.and([eb('status', '=', 'sending'), eb('locked_until', '<', at)]),
          ]),
        )
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) continue;
      const row = await this.db
        .selectFrom('notification_outbox')
        .select(['id', 'idempotency_key', 'template_key', 'recipient', 'personalisation', 'attempts', 'failing_since', 'locked_by'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (row?.locked_by !== workerId) continue;
      claimed.push(claimedMessage(row));
    }
    return claimed;
  }

  /**
   * PostgreSQL: picks due rows with `FOR UPDATE SKIP LOCKED` and leases them in the same
   * transaction, so concurrent workers take disjoint rows without waiting on each other.
   * (SQLite has no row locks and serialises writers: it uses the conditional updates above.)
   */
  private async claimSkippingLocked(workerId: string, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedMessage[]> {
    const at = now.toISOString();
    const rows = await this.db.transaction().execute(async (trx) => {
      const due = await dueMessages(trx, at, limit).modifyEnd(sql`for update skip locked`).execute();
      if (due.length === 0) return [];
      return trx
        .updateTable('notification_outbox')
        .set((eb) => ({ status: 'sending', locked_by: workerId, locked_until: leaseUntil.toISOString(), attempts: eb('attempts', '+', 1), updated_at: at }))
        .where(
          'id',
          'in',
          due.map((d) => d.id),
        )
        .returning(['id', 'idempotency_key', 'template_key', 'recipient', 'personalisation', 'attempts', 'failing_since', 'next_attempt_at'])
        .execute();
    });
    return rows
      .sort((a, b) => a.next_attempt_at.localeCompare(b.next_attempt_at) || a.id - b.id)
      .map(claimedMessage);
  }

  /**
   * Right before sending: true if `workerId` still holds the message's lease (not run out),
   * which is then renewed until `leaseUntil`. A worker that gets false must not send: its
   * lease ran out and another worker may have claimed the message.
   */
  async renewLease(id: number, workerId: string, now: Date, leaseUntil: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('notification_outbox')
      .set({ locked_until: leaseUntil.toISOString(), updated_at: now.toISOString() })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'sending')
      .where('locked_until', '>', now.toISOString())
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Gives back a claimed message that `workerId` has not tried (it is stopping): pending again
   * at once, its attempt not counted, for any worker to take.
   */
  async release(id: number, workerId: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('notification_outbox')
      .set((eb) => ({ status: 'pending', attempts: eb('attempts', '-', 1), locked_by: null, locked_until: null, updated_at: now.toISOString() }))
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Marks a message sent, if `workerId` still holds it; false if its lease ran out and another worker took it. */
  async markSent(id: number, workerId: string, providerMessageId: string | null, now: Date): Promise<boolean> {
    const at = now.toISOString();
    const result = await this.db
      .updateTable('notification_outbox')
      .set({ status: 'sent', sent_at: at, provider_message_id: providerMessageId, locked_by: null, locked_until: null, last_error: null, failing_since: null, updated_at: at })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Records a failed attempt: back to pending at `nextAttemptAt`, or `failed` for good (until
   * someone tries it again); `failingSince` is when this run of failures began.
   */
  async markFailed(id: number, workerId: string, error: string, next: { status: 'pending'; nextAttemptAt: Date } | { status: 'failed' }, now: Date, failingSince: Date = now): Promise<boolean> {
    const at = now.toISOString();
    const result = await this.db
      .updateTable('notification_outbox')
      .set({
        status: next.status,
        failing_since: failingSince.toISOString(),
        ...(next.status === 'pending' ? { next_attempt_at: next.nextAttemptAt.toISOString() } : {}),
        last_error: error.slice(0, 500),
        locked_by: null,
        locked_until: null,
        updated_at: at,
      })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Puts a failed message back in the queue, to be tried again now with a fresh count of attempts. */
  async retry(id: number, now: Date): Promise<boolean> {
    const at = now.toISOString();
    const result = await this.db
      .updateTable('notification_outbox')
      .set({ status: 'pending', attempts: 0, next_attempt_at: at, failing_since: null, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Puts every failed message back in the queue, to be tried again now (each with a fresh 48 hours); how many. */
  async retryAllFailed(now: Date): Promise<number> {
    const at = now.toISOString();
    const result = await this.db
      .updateTable('notification_outbox')
      .set({ status: 'pending', attempts: 0, next_attempt_at: at, failing_since: null, updated_at: at })
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * How the outbox stands for the dashboard and /metrics, by cheap indexed queries (status,
   * created_at): when the oldest message not yet sent was queued (pending or being sent),
   * how many wait and how many failed.
   */
  async health(): Promise<OutboxHealth> {
    const oldestOf = (status: 'pending' | 'sending') =>
      this.db.selectFrom('notification_outbox').select('created_at').where('status', '=', status).orderBy('created_at').limit(1).executeTakeFirst();
    const countOf = (status: NotificationStatus) =>
      this.db
        .selectFrom('notification_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', status)
        .executeTakeFirstOrThrow();
    const [pending, sending, waiting, inFlight, failed] = await Promise.all([oldestOf('pending'), oldestOf('sending'), countOf('pending'), countOf('sending'), countOf('failed')]);
    const oldest = [pending?.created_at, sending?.created_at].filter((t): t is string => t !== undefined).sort()[0];
    return { oldestUnsentAt: oldest, unsent: waiting.n + inFlight.n, failed: failed.n };
  }

  async list(options: { status?: NotificationStatus; limit?: number } = {}): Promise<OutboxSummary[]> {
    let query = this.db
      .selectFrom('notification_outbox')
      .select(['id', 'idempotency_key', 'template_key', 'status', 'attempts', 'next_attempt_at', 'last_error', 'sent_at', 'created_at'])
      .orderBy('id', 'desc')
      .limit(options.limit ?? 50);
    if (options.status !== undefined) query = query.where('status', '=', options.status);
    const rows = await query.execute();
    return rows.map((r) => ({
      id: r.id,
      idempotencyKey: r.idempotency_key,
      templateKey: r.template_key,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      lastError: r.last_error,
      sentAt: r.sent_at,
      createdAt: r.created_at,
    }));
  }

  /** How many messages are in each status. */
  async counts(): Promise<Record<NotificationStatus, number>> {
    const rows = await this.db
      .selectFrom('notification_outbox')
      .select((eb) => ['status', eb.fn.countAll<number>().as('count')])
      .groupBy('status')
      .execute();
    const counts: Record<NotificationStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
    for (const row of rows) counts[row.status] = row.count;
    return counts;
  }
}

function parsePersonalisation(json: string): Personalisation {
  const parsed: unknown = JSON.parse(json);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const values: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number') values[key] = value;
  }
  return values;
}
