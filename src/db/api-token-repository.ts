import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { isApiScope, type ApiScope } from '../domain/users/api-scopes.ts';

export interface ApiToken {
  readonly id: number;
  readonly name: string;
  readonly scopes: readonly ApiScope[];
  readonly userId: number;
  readonly userEmail: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export class ApiTokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(name: string, tokenHash: string, scopes: readonly ApiScope[], userId: number, now: string): Promise<number> {
    const { id } = await this.db
      .insertInto('api_token')
      .values({ name, token_hash: tokenHash, scopes: scopes.join(','), user_id: userId, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async findByHash(tokenHash: string): Promise<ApiToken | undefined> {
    const row = await this.baseQuery().where('api_token.token_hash', '=', tokenHash).executeTakeFirst();
    return row && toToken(row);
  }

  async list(): Promise<ApiToken[]> {
    return (await this.baseQuery().orderBy('api_token.id').execute()).map(toToken);
  }

  async revoke(id: number, now: string): Promise<boolean> {
    const result = await this.db.updateTable('api_token').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async touch(id: number, now: string): Promise<void> {
    await this.db.updateTable('api_token').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  private baseQuery() {
    return this.db
      .selectFrom('api_token')
      .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
      .select(['api_token.id', 'api_token.name', 'api_token.scopes', 'api_token.user_id', 'app_user.email', 'api_token.created_at', 'api_token.last_used_at', 'api_token.revoked_at']);
  }
}

function toToken(row: { id: number; name: string; scopes: string; user_id: number; email: string; created_at: string; last_used_at: string | null; revoked_at: string | null }): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes.split(',').filter(isApiScope),
    userId: row.user_id,
    userEmail: row.email,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
