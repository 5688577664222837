import type { Migration } from '../migrator.ts';
import { TIMESTAMP, withId } from './helpers.ts';

/**
 * Multi-factor authentication for local accounts and password hygiene.
 *
 * - `app_user` gains the authenticator secret (encrypted, never shown again after
 *   enrolment), when it was enrolled, the last TOTP step accepted (a code for that step or an
 *   earlier one is a replay, refused), and whether the password was set by an administrator
 *   and must be changed at the next sign-in.
 * - `recovery_code`: one-time codes for a lost device, stored as SHA-256 (they are random),
 *   each marked used once.
 * - `pending_sign_in`: a sign-in whose password was right but which still needs a code, an
 *   enrolment or a new password. It grants nothing; its id is the SHA-256 of the token in
 *   the browser's cookie; the real session is made, with a fresh token, when it is complete.
 * - `sign_in_failure.source_key`: where a failed attempt came from, so the throttle can count
 *   by account and source and not only by account.
 */
export const multiFactorAndPasswords: Migration = {
  name: '0021-multi-factor-and-passwords',
  async up(trx, engine) {
    const schema = trx.schema;
    await schema.alterTable('app_user').addColumn('totp_secret', 'varchar(400)').execute();
    await schema.alterTable('app_user').addColumn('totp_enrolled_at', TIMESTAMP).execute();
    await schema.alterTable('app_user').addColumn('totp_last_step', 'integer').execute();
    await schema.alterTable('app_user').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await schema.alterTable('app_user').addColumn('password_changed_at', TIMESTAMP).execute();

    await withId(schema.createTable('recovery_code'), engine)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
      .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('used_at', TIMESTAMP)
      .execute();
    await schema.createIndex('recovery_code_user_idx').on('recovery_code').columns(['user_id', 'code_hash']).execute();

    await schema
      .createTable('pending_sign_in')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
      .addColumn('step', 'varchar(30)', (c) => c.notNull())
      .addColumn('return_to', 'varchar(2000)', (c) => c.notNull())
      .addColumn('totp_candidate', 'varchar(400)')
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('expires_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await schema.createIndex('pending_sign_in_expires_idx').on('pending_sign_in').column('expires_at').execute();

    await schema.alterTable('sign_in_failure').addColumn('source_key', 'varchar(64)').execute();
    await schema.createIndex('sign_in_failure_source_idx').on('sign_in_failure').columns(['account_key', 'source_key', 'failed_at']).execute();
  },
};
