/**
 * API tokens for integrations. A token is shown once when made; only its SHA-256 is kept.
 * It acts as a user (whose roles still apply) within its scopes, until revoked.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ApiTokenRepository, type ApiToken } from '../db/api-token-repository.ts';
import { UserRepository, type User } from '../db/user-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { DomainError } from '../domain/errors.ts';
import { API_SCOPES, isApiScope, type ApiScope } from '../domain/users/api-scopes.ts';
import type { Actor, Clock } from './clock.ts';

const TOKEN_PREFIX = 'rdr_';
const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export interface ApiPrincipal {
  readonly user: User;
  readonly scopes: readonly ApiScope[];
  readonly tokenId: number;
}

export class ApiTokenService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async create(email: string, name: string, scopes: readonly string[], actor: Actor): Promise<{ id: number; token: string }> {
    if (name.trim() === '') throw new DomainError('token_name_required', 'Give the token a name that says what uses it', 'name');
    const unknown = scopes.filter((s) => !isApiScope(s));
    if (scopes.length === 0 || unknown.length > 0) {
      throw new DomainError('scope_unknown', `Choose scopes from: ${API_SCOPES.join(', ')}`, 'scopes');
    }
    const user = await new UserRepository(this.db).findByEmail(email);
    if (!user?.isActive) throw new DomainError('user_unknown', `There is no active user with the email ${email}`, 'email');
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const now = this.clock().toISOString();
    const id = await this.db.transaction().execute(async (trx) => {
      const created = await new ApiTokenRepository(trx).create(name.trim(), sha256(token), scopes.filter(isApiScope), user.id, now);
      await new AuditRepository(trx).record({ ...actor, action: 'api_token_created', entityType: 'api_token', entityId: String(created), details: { after: { name, scopes } } }, now);
      return created;
    });
    return { id, token };
  }

  list(): Promise<ApiToken[]> {
    return new ApiTokenRepository(this.db).list();
  }

  async revoke(id: number, actor: Actor): Promise<void> {
    const now = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      if (!(await new ApiTokenRepository(trx).revoke(id, now))) throw new DomainError('token_unknown', `There is no live token with id ${String(id)}`, 'id');
      await new AuditRepository(trx).record({ ...actor, action: 'api_token_revoked', entityType: 'api_token', entityId: String(id) }, now);
    });
  }

  /** The user and scopes behind a bearer token, or undefined when it is unknown, revoked or its user disabled. */
  async authenticate(token: string): Promise<ApiPrincipal | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const tokens = new ApiTokenRepository(this.db);
    const found = await tokens.findByHash(sha256(token));
    if (!found || found.revokedAt !== null) return undefined;
    const user = await new UserRepository(this.db).findById(found.userId);
    if (!user?.isActive) return undefined;
    await tokens.touch(found.id, this.clock().toISOString());
    const { passwordHash: _hash, ...publicUser } = user;
    return { user: publicUser, scopes: found.scopes, tokenId: found.id };
  }
}
