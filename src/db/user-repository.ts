import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { SessionRecord } from './session-repository.ts';
import { isRole, type Role } from '../domain/users/roles.ts';

export interface User {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  readonly teamId: number | null;
  readonly teamName: string | null;
  readonly isActive: boolean;
  readonly roles: readonly Role[];
}

export interface UserWithHash extends User {
  readonly passwordHash: string;
}

export interface NewUser {
  readonly email: string;
  readonly name: string;
  readonly passwordHash: string;
  readonly teamId: number | null;
  readonly roles: readonly Role[];
}

/** Users and their roles. Emails are stored lower-cased, so look-ups ignore case. */
export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(user: NewUser, now: string): Promise<number> {
    const { id } = await this.db
      .insertInto('app_user')
      .values({
        email: user.email.toLowerCase(),
        name: user.name,
        password_hash: user.passwordHash,
        team_id: user.teamId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.setRoles(id, user.roles);
    return id;
  }

  async setRoles(userId: number, roles: readonly Role[]): Promise<void> {
    await this.db.deleteFrom('user_role').where('user_id', '=', userId).execute();
    if (roles.length > 0) {
      await this.db
        .insertInto('user_role')
        .values(roles.map((role) => ({ user_id: userId, role })))
        .execute();
    }
  }

  /** The active users holding `role`, oldest account first: their ids and email addresses. */
  async activeWithRole(role: Role): Promise<{ id: number; email: string }[]> {
    return this.db
      .selectFrom('app_user')
      .innerJoin('user_role', 'user_role.user_id', 'app_user.id')
      .select(['app_user.id', 'app_user.email'])
      .where('user_role.role', '=', role)
      .where('app_user.is_active', '=', 1)
      .orderBy('app_user.id')
      .execute();
  }

  async findByEmail(email: string): Promise<UserWithHash | undefined> {
    const row = await this.baseQuery().where('app_user.email', '=', email.toLowerCase()).executeTakeFirst();
    return row && (await this.withRoles([row]))[0];
  }

  /** One user with their roles, in one query: a row a role. */
  async findById(id: number): Promise<UserWithHash | undefined> {
    const rows = await this.baseQuery().leftJoin('user_role', 'user_role.user_id', 'app_user.id').select('user_role.role').where('app_user.id', '=', id).execute();
    const [first] = rows;
    return first && userOf(first, rolesIn(rows));
  }

  /** A session and its user with their roles, in one query (every signed-in request reads it). */
  async findBySession(sessionId: string): Promise<{ session: SessionRecord; user: UserWithHash } | undefined> {
    const rows = await this.baseQuery()
      .innerJoin('session', 'session.user_id', 'app_user.id')
      .leftJoin('user_role', 'user_role.user_id', 'app_user.id')
      .select(['user_role.role', 'session.last_seen_at', 'session.expires_at'])
      .where('session.id', '=', sessionId)
      .execute();
    const [first] = rows;
    return first && { session: { id: sessionId, userId: first.id, lastSeenAt: first.last_seen_at, expiresAt: first.expires_at }, user: userOf(first, rolesIn(rows)) };
  }

  async list(): Promise<User[]> {
    const rows = await this.baseQuery().orderBy('app_user.name').orderBy('app_user.id').execute();
    return this.withRoles(rows);
  }

  async count(): Promise<number> {
    const { n } = await this.db
      .selectFrom('app_user')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return n;
  }

  async setActive(id: number, isActive: boolean, now: string): Promise<void> {
    await this.db
      .updateTable('app_user')
      .set({ is_active: isActive ? 1 : 0, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async setPasswordHash(id: number, passwordHash: string, now: string): Promise<void> {
    await this.db
      .updateTable('app_user')
      .set({ password_hash: passwordHash, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  private baseQuery() {
    return this.db
      .selectFrom('app_user')
      .leftJoin('team', 'team.id', 'app_user.team_id')
      .select([
        'app_user.id',
        'app_user.email',
        'app_user.name',
        'app_user.team_id',
        'team.name as team_name',
        'app_user.is_active',
        'app_user.password_hash',
      ]);
  }

  private async withRoles(rows: readonly UserRow[]): Promise<UserWithHash[]> {
    if (rows.length === 0) return [];
    const roleRows = await this.db
      .selectFrom('user_role')
      .select(['user_id', 'role'])
      .where(
        'user_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    const rolesByUser = new Map<number, Role[]>();
    for (const { user_id, role } of roleRows) {
      if (!isRole(role)) continue;
      const list = rolesByUser.get(user_id) ?? [];
      list.push(role);
      rolesByUser.set(user_id, list);
    }
    return rows.map((r) => userOf(r, rolesByUser.get(r.id) ?? []));
  }
}

type UserRow = { id: number; email: string; name: string; team_id: number | null; team_name: string | null; is_active: number; password_hash: string };

/** The roles on a user's rows joined to their roles (none: one row with no role). */
function rolesIn(rows: readonly { role: string | null }[]): Role[] {
  return rows.flatMap((r) => (r.role !== null && isRole(r.role) ? [r.role] : []));
}

function userOf(r: UserRow, roles: Role[]): UserWithHash {
  return { id: r.id, email: r.email, name: r.name, teamId: r.team_id, teamName: r.team_name, isActive: r.is_active === 1, roles, passwordHash: r.password_hash };
}
