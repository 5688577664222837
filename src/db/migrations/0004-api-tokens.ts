import type { Migration } from '../migrator.ts';
import { TIMESTAMP, withId } from './helpers.ts';

/** API tokens for integrations: stored hashed, scoped, revocable, each acting as a user. */
export const apiTokens: Migration = {
  name: '0004-api-tokens',
  async up(trx, engine) {
    await withId(trx.schema.createTable('api_token'), engine)
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('scopes', 'varchar(500)', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('created_at', TIMESTAMP, (c) => c.notNull())
      .addColumn('last_used_at', TIMESTAMP)
      .addColumn('revoked_at', TIMESTAMP)
      .execute();
  },
};
