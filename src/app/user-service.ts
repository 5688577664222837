import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { UserRepository, type User } from '../db/user-repository.ts';
import { SessionRepository } from '../db/session-repository.ts';
import { TeamRepository } from '../db/team-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { UserIdentityRepository } from '../db/user-identity-repository.ts';
import { MfaRepository } from '../db/mfa-repository.ts';
import { DomainError } from '../domain/errors.ts';
import { isRole, type Role } from '../domain/users/roles.ts';
import { checkPasswordStrength, generatePassword, hashPassword } from './passwords.ts';
import type { Actor, Clock } from './clock.ts';

export interface AddUserInput {
  readonly email: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly teamName?: string | undefined;
  /** When absent, a random password is generated and returned. */
  readonly password?: string | undefined;
  /**
   * Whether the user must choose a new password at their first sign-in. By default, when the
   * password is generated (an administrator hands it over); `redress user add` asks for it
   * always, a given password included.
   */
  readonly mustChangePassword?: boolean | undefined;
}

const emailSchema = z.email();

/** Staff accounts: adding, listing, disabling and resetting passwords. */
export class UserService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  list(): Promise<User[]> {
    return new UserRepository(this.db).list();
  }

  /** Gives a user exactly these roles (at least one), audited with before and after. */
  async setRoles(userId: number, values: readonly string[], actor: Actor): Promise<User> {
    const roles = checkRoles(values);
    const now = this.clock().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const users = new UserRepository(trx);
      const user = await users.findById(userId);
      if (!user) throw new DomainError('user_unknown', 'There is no such user', 'roles');
      const isSame = roles.length === user.roles.length && roles.every((role) => user.roles.includes(role));
      if (!isSame) {
        await users.setRoles(user.id, roles);
        await new AuditRepository(trx).record(
          { ...actor, action: 'user_roles_changed', entityType: 'user', entityId: String(user.id), details: { before: { roles: user.roles }, after: { roles } } },
          now,
        );
      }
      const { passwordHash: _hash, ...publicUser } = user;
      return { ...publicUser, roles };
    });
  }

  /** The ids of the accounts that have signed in with the council's single sign-on. */
  singleSignOnUserIds(): Promise<Set<number>> {
    return new UserIdentityRepository(this.db).userIdsWithIdentity();
  }

  async add(input: AddUserInput, actor: Actor): Promise<{ user: User; password: string }> {
    const email = input.email.trim().toLowerCase();
    if (!emailSchema.safeParse(email).success) {
      throw new DomainError('email_invalid', 'Enter an email address in the correct format, like name@example.gov.uk', 'email');
    }
    if (input.name.trim() === '') throw new DomainError('name_required', 'Enter the person’s name', 'name');
    const roles = checkRoles(input.roles);
    const password = input.password ?? generatePassword();
    checkPasswordStrength(password);
    const passwordHash = await hashPassword(password);
    const now = this.clock().toISOString();

    const user = await this.db.transaction().execute(async (trx) => {
      const users = new UserRepository(trx);
      if (await users.findByEmail(email)) {
        throw new DomainError('email_taken', `There is already a user with the email ${email}`, 'email');
      }
      let teamId: number | null = null;
      if (input.teamName !== undefined && input.teamName.trim() !== '') {
        const team = await new TeamRepository(trx).findByName(input.teamName);
        if (!team) throw new DomainError('team_unknown', `There is no team called "${input.teamName}"`, 'team');
        teamId = team.id;
      }
      const id = await users.create({ email, name: input.name.trim(), passwordHash, teamId, roles }, now);
      await new MfaRepository(trx).setMustChangePassword(id, input.mustChangePassword ?? input.password === undefined, now);
      await new AuditRepository(trx).record(
        { ...actor, action: 'user_added', entityType: 'user', entityId: String(id), details: { after: { roles } } },
        now,
      );
      const created = await users.findById(id);
      if (!created) throw new Error('user vanished after insert');
      return created;
    });
    const { passwordHash: _hash, ...publicUser } = user;
    return { user: publicUser, password };
  }

  async setActive(email: string, isActive: boolean, actor: Actor): Promise<void> {
    const now = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const user = await this.requireUser(new UserRepository(trx), email);
      await new UserRepository(trx).setActive(user.id, isActive, now);
      if (!isActive) await new SessionRepository(trx).deleteForUser(user.id);
      await new AuditRepository(trx).record(
        { ...actor, action: isActive ? 'user_enabled' : 'user_disabled', entityType: 'user', entityId: String(user.id) },
        now,
      );
    });
  }

  /** Sets a new password (generated when none is given) and ends the user's sessions. */
  async resetPassword(email: string, password: string | undefined, actor: Actor): Promise<string> {
    const next = password ?? generatePassword();
    checkPasswordStrength(next);
    const hash = await hashPassword(next);
    const now = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const user = await this.requireUser(new UserRepository(trx), email);
      await new UserRepository(trx).setPasswordHash(user.id, hash, now);
      // An administrator knows this password: its owner must choose their own at the next sign-in.
      await new MfaRepository(trx).setMustChangePassword(user.id, true, now);
      await new SessionRepository(trx).deleteForUser(user.id);
      await new AuditRepository(trx).record({ ...actor, action: 'password_reset', entityType: 'user', entityId: String(user.id) }, now);
    });
    return next;
  }

  private async requireUser(users: UserRepository, email: string): Promise<User> {
    const user = await users.findByEmail(email.trim());
    if (!user) throw new DomainError('user_unknown', `There is no user with the email ${email.trim()}`, 'email');
    return user;
  }
}

function checkRoles(values: readonly string[]): Role[] {
  if (values.length === 0) throw new DomainError('roles_required', 'Choose at least one role', 'roles');
  const unknown = values.filter((v) => !isRole(v));
  if (unknown.length > 0) throw new DomainError('role_unknown', `Unknown role: ${unknown.join(', ')}`, 'roles');
  return [...new Set(values)].filter(isRole);
}
