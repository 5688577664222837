import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface SessionRecord {
  readonly id: string;
  readonly userId: number;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
}

/** Sessions live in the database so that several app processes share them. */
export class SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(session: SessionRecord, now: string): Promise<void> {
    await this.db
      .insertInto('session')
      .values({
        id: session.id,
        user_id: session.userId,
        created_at: now,
        last_seen_at: session.lastSeenAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async touch(id: string, lastSeenAt: string): Promise<void> {
    await this.db.updateTable('session').set({ last_seen_at: lastSeenAt }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('session').where('id', '=', id).execute();
  }

  async deleteForUser(userId: number): Promise<void> {
    await this.db.deleteFrom('session').where('user_id', '=', userId).execute();
  }

  /** Removes sessions that expired or went idle before `idleBefore`. */
  async deleteStale(now: string, idleBefore: string): Promise<number> {
    const result = await this.db
      .deleteFrom('session')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async recordSignInFailure(accountKey: string, at: string): Promise<void> {
    await this.db.insertInto('sign_in_failure').values({ account_key: accountKey, failed_at: at }).execute();
  }

  /**
   * Records an attempt as a failure before its password is checked (one atomic insert) and
   * returns its id: whoever counts afterwards sees it, so parallel attempts — in this process
   * or another — cannot all pass the throttle on one stale count.
   */
  async reserveSignInFailure(accountKey: string, at: string, sourceKey: string | null = null): Promise<number> {
    const row = await this.db
      .insertInto('sign_in_failure')
      .values({ account_key: accountKey, failed_at: at, source_key: sourceKey })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Removes one reserved attempt (it was throttled, so it does not count as a failure). */
  async releaseSignInFailure(id: number): Promise<void> {
    await this.db.deleteFrom('sign_in_failure').where('id', '=', id).execute();
  }

  /** Deletes failures older than `before` (they no longer count). */
  async deleteSignInFailuresBefore(before: string): Promise<number> {
    const result = await this.db.deleteFrom('sign_in_failure').where('failed_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Failures for an account since `since` (only those from `sourceKey`, when given), not counting `exceptId`. */
  async countSignInFailuresSince(accountKey: string, since: string, exceptId?: number, sourceKey?: string): Promise<{ count: number; latest: string | null }> {
    const row = await this.db
      .selectFrom('sign_in_failure')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('failed_at').as('latest')])
      .where('account_key', '=', accountKey)
      .where('failed_at', '>=', since)
      .$if(exceptId !== undefined, (qb) => qb.where('id', '!=', exceptId ?? 0))
      .$if(sourceKey !== undefined, (qb) => qb.where('source_key', '=', sourceKey ?? ''))
      .executeTakeFirstOrThrow();
    return { count: row.n, latest: row.latest };
  }

  /** Forgets an account's failures: all of them, or only those from `sourceKey`. */
  async clearSignInFailures(accountKey: string, sourceKey?: string): Promise<void> {
    await this.db
      .deleteFrom('sign_in_failure')
      .where('account_key', '=', accountKey)
      .$if(sourceKey !== undefined, (qb) => qb.where('source_key', '=', sourceKey ?? ''))
      .execute();
  }
}
