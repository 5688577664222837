import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** A user's second-factor and password state (the columns migration 0021 added to app_user). */
export interface SecondFactorState {
  readonly userId: number;
  /** Encrypted; undefined until enrolled. */
  readonly encryptedSecret: string | undefined;
  readonly enrolledAt: string | undefined;
  readonly lastStep: number | undefined;
  readonly mustChangePassword: boolean;
}

export interface PendingSignInRecord {
  readonly id: string;
  readonly userId: number;
  readonly step: string;
  readonly returnTo: string;
  readonly encryptedCandidate: string | undefined;
  readonly expiresAt: string;
}

/** Authenticator secrets, recovery codes and sign-ins waiting for their second step. */
export class MfaRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async state(userId: number): Promise<SecondFactorState | undefined> {
    const row = await this.db
      .selectFrom('app_user')
      .select(['id', 'totp_secret', 'totp_enrolled_at', 'totp_last_step', 'must_change_password'])
      .where('id', '=', userId)
      .executeTakeFirst();
    return (
      row && {
        userId: row.id,
        encryptedSecret: row.totp_secret ?? undefined,
        enrolledAt: row.totp_enrolled_at ?? undefined,
        lastStep: row.totp_last_step ?? undefined,
        mustChangePassword: row.must_change_password === 1,
      }
    );
  }

  async enrol(userId: number, encryptedSecret: string, step: number, now: string): Promise<void> {
    await this.db
      .updateTable('app_user')
      .set({ totp_secret: encryptedSecret, totp_enrolled_at: now, totp_last_step: step, updated_at: now })
      .where('id', '=', userId)
      .execute();
  }

  /**
   * Records `step` as the last one used, only if it is later than the last one: one atomic
   * update, so of two requests with the same code (in any processes) exactly one wins.
   */
  async claimStep(userId: number, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('app_user')
      .set({ totp_last_step: step })
      .where('id', '=', userId)
      .where('totp_secret', 'is not', null)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async clear(userId: number, now: string): Promise<void> {
    await this.db
      .updateTable('app_user')
      .set({ totp_secret: null, totp_enrolled_at: null, totp_last_step: null, updated_at: now })
      .where('id', '=', userId)
      .execute();
    await this.db.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
    await this.db.deleteFrom('pending_sign_in').where('user_id', '=', userId).execute();
  }

  async setMustChangePassword(userId: number, mustChange: boolean, now: string): Promise<void> {
    await this.db
      .updateTable('app_user')
      .set({ must_change_password: mustChange ? 1 : 0, ...(mustChange ? {} : { password_changed_at: now }), updated_at: now })
      .where('id', '=', userId)
      .execute();
  }

  async replaceRecoveryCodes(userId: number, hashes: readonly string[], now: string): Promise<void> {
    await this.db.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
    await this.db
      .insertInto('recovery_code')
      .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: now, used_at: null })))
      .execute();
  }

  /** Marks an unused recovery code used; false when there is no such unused code (an atomic update). */
  async useRecoveryCode(userId: number, hash: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('recovery_code')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async unusedRecoveryCodes(userId: number): Promise<number> {
    const { n } = await this.db
      .selectFrom('recovery_code')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return n;
  }

  async createPending(record: PendingSignInRecord, now: string): Promise<void> {
    await this.db
      .insertInto('pending_sign_in')
      .values({
        id: record.id,
        user_id: record.userId,
        step: record.step,
        return_to: record.returnTo,
        totp_candidate: record.encryptedCandidate ?? null,
        created_at: now,
        expires_at: record.expiresAt,
      })
      .execute();
  }

  async findPending(id: string): Promise<PendingSignInRecord | undefined> {
    const row = await this.db.selectFrom('pending_sign_in').selectAll().where('id', '=', id).executeTakeFirst();
    return (
      row && {
        id: row.id,
        userId: row.user_id,
        step: row.step,
        returnTo: row.return_to,
        encryptedCandidate: row.totp_candidate ?? undefined,
        expiresAt: row.expires_at,
      }
    );
  }

  async updatePending(id: string, changes: { readonly step?: string; readonly encryptedCandidate?: string | null }): Promise<void> {
    await this.db
      .updateTable('pending_sign_in')
      .set({
        ...(changes.step === undefined ? {} : { step: changes.step }),
        ...(changes.encryptedCandidate === undefined ? {} : { totp_candidate: changes.encryptedCandidate }),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Deletes a pending sign-in; false when it was already gone (another request completed it). */
  async deletePending(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('pending_sign_in').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async deleteExpiredPending(now: string): Promise<number> {
    const result = await this.db.deleteFrom('pending_sign_in').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
