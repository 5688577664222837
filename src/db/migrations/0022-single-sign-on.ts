import type { Migration } from '../migrator.ts';
import { TIMESTAMP } from './helpers.ts';

/**
 * Single sign-on with OpenID Connect. `user_identity` records which account at which
 * provider (issuer and `sub`) is which user, so a user is found again even when their email
 * address changes. `oidc_sign_in_attempt` keeps, for each sign-in begun and not yet
 * finished, what the callback must check (state, nonce, PKCE verifier) and where to go
 * afterwards: in the database, not in one process's memory, so any process may serve the
 * callback. Its id is the SHA-256 of a random handle kept in a short-lived cookie.
 */
export const singleSignOn: Migration = {
  name: '0022-single-sign-on',
  async up(trx) {
    await trx.schema
      .createTable('user_identity')
      .addColumn('issuer', 'varchar(500)', (c) => c.notNull())
      .addColumn('subject', 'varchar(255)', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('last_signed_in_at', TIMESTAMP, (c) => c.notNull())
      .addPrimaryKeyConstraint('user_identity_pk', ['issuer', 'subject'])
      .execute();
    await trx.schema.createIndex('user_identity_user_idx').on('user_identity').column('user_id').execute();

    await trx.schema
      .createTable('oidc_sign_in_attempt')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('state', 'varchar(200)', (c) => c.notNull())
      .addColumn('nonce', 'varchar(200)', (c) => c.notNull())
      .addColumn('code_verifier', 'varchar(200)', (c) => c.notNull())
      .addColumn('return_to', 'varchar(2000)', (c) => c.notNull())
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('expires_at', TIMESTAMP, (c) => c.notNull())
      .execute();
    await trx.schema.createIndex('oidc_sign_in_attempt_expires_idx').on('oidc_sign_in_attempt').column('expires_at').execute();
  },
};
