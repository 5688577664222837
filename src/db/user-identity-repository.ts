import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface OidcAttempt {
  /** SHA-256 of the handle in the browser's cookie. */
  readonly id: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly returnTo: string;
  readonly expiresAt: string;
}

/** Users' accounts at the single sign-on provider, and sign-ins begun there and not yet finished. */
export class UserIdentityRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findUserId(issuer: string, subject: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('user_identity').select('user_id').where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst();
    return row?.user_id;
  }

  async link(issuer: string, subject: string, userId: number, now: string): Promise<void> {
    await this.db.insertInto('user_identity').values({ issuer, subject, user_id: userId, created_at: now, last_signed_in_at: now }).execute();
  }

  async touch(issuer: string, subject: string, now: string): Promise<void> {
    await this.db.updateTable('user_identity').set({ last_signed_in_at: now }).where('issuer', '=', issuer).where('subject', '=', subject).execute();
  }

  /** The ids of the users who have signed in with single sign-on (the admin list shows how each account signs in). */
  async userIdsWithIdentity(): Promise<Set<number>> {
    const rows = await this.db.selectFrom('user_identity').select('user_id').distinct().execute();
    return new Set(rows.map((row) => row.user_id));
  }

  async createAttempt(attempt: OidcAttempt, now: string): Promise<void> {
    await this.db
      .insertInto('oidc_sign_in_attempt')
      .values({
        id: attempt.id,
        state: attempt.state,
        nonce: attempt.nonce,
        code_verifier: attempt.codeVerifier,
        return_to: attempt.returnTo,
        created_at: now,
        expires_at: attempt.expiresAt,
      })
      .execute();
  }

  /** Removes an attempt and returns it: one atomic statement, so a callback replayed (in any process) finds nothing. */
  async takeAttempt(id: string): Promise<OidcAttempt | undefined> {
    const row = await this.db
      .deleteFrom('oidc_sign_in_attempt')
      .where('id', '=', id)
      .returning(['id', 'state', 'nonce', 'code_verifier', 'return_to', 'expires_at'])
      .executeTakeFirst();
    return row && { id: row.id, state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, returnTo: row.return_to, expiresAt: row.expires_at };
  }

  async deleteAttemptsExpiredBy(now: string): Promise<number> {
    const result = await this.db.deleteFrom('oidc_sign_in_attempt').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async countAttempts(): Promise<number> {
    const { n } = await this.db.selectFrom('oidc_sign_in_attempt').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    return Number(n);
  }
}
