/**
 * Fixed-window rate-limit counters in the database, so every app process on one database
 * shares them: each hit is one atomic upsert (`INSERT … ON CONFLICT … DO UPDATE SET count =
 * count + 1 RETURNING count`, on SQLite ≥ 3.35 and PostgreSQL alike), so two processes — or
 * twenty parallel requests — never both see the same count. Expired windows are deleted by
 * `purgeExpired` (run by `serve`'s housekeeping).
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface Hit {
  /** This hit included. */
  readonly count: number;
  /** Milliseconds until the window ends. */
  readonly ttlMs: number;
}

export class RateLimitRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Counts one hit on `key` under `limit` in the fixed window of `windowMs` holding `now`. */
  async hit(limit: string, key: string, windowMs: number, now: Date): Promise<Hit> {
    const span = Math.max(1, Math.trunc(windowMs));
    const start = Math.floor(now.getTime() / span) * span;
    const ends = start + span;
    const bucket = `${limit}|${key}|${String(start)}`.slice(0, 300);
    const row = await this.db
      .insertInto('rate_limit_counter')
      .values({ bucket, count: 1, window_ends_at: new Date(ends).toISOString() })
      .onConflict((oc) => oc.column('bucket').doUpdateSet((eb) => ({ count: eb('rate_limit_counter.count', '+', 1) })))
      .returning('count')
      .executeTakeFirstOrThrow();
    return { count: row.count, ttlMs: Math.max(0, ends - now.getTime()) };
  }

  /** Deletes the counters of windows that have ended. */
  async purgeExpired(now: Date): Promise<number> {
    const result = await this.db.deleteFrom('rate_limit_counter').where('window_ends_at', '<=', now.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
