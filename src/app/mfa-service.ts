/**
 * The steps of a local sign-in after the password: a code from an authenticator app (TOTP,
 * or a one-time recovery code), enrolling an authenticator where one is required, and
 * choosing a new password where an administrator set the last one. Until every step is done
 * the browser holds only a pending sign-in, which grants nothing; the real session is made
 * at the end with a new token. Also: self-service password change, new recovery codes, and
 * an administrator's reset of a lost authenticator.
 *
 * Authenticator secrets are stored encrypted (AES-256-GCM, key derived from SESSION_SECRET)
 * and never shown again after enrolment; recovery codes are stored as SHA-256.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { MfaRepository } from '../db/mfa-repository.ts';
import { SessionRepository } from '../db/session-repository.ts';
import { UserRepository, type User, type UserWithHash } from '../db/user-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { DomainError } from '../domain/errors.ts';
import type { Role } from '../domain/users/roles.ts';
import { base32Decode, base32Encode, matchTotp, normaliseTotpInput, otpauthUri } from '../domain/auth/totp.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';
import { startSession, type PendingStep, type SignInSteps } from './auth-service.ts';
import type { Actor, Clock } from './clock.ts';

export interface MfaSettings {
  /** Every local account must use an authenticator (administrators must regardless). */
  readonly mfaRequired: boolean;
  /** Encrypts authenticator secrets (a key is derived from it). */
  readonly secret: string;
  /** The name an authenticator app shows for the account. */
  readonly issuer: string;
}

export interface PendingSignIn {
  readonly id: string;
  readonly user: User;
  readonly step: PendingStep;
  readonly returnTo: string;
}

/** What happens once a step is done: the next step, or a full session. */
export type StepOutcome = { readonly kind: 'next'; readonly step: PendingStep } | { readonly kind: 'signed_in'; readonly token: string; readonly returnTo: string };

export type CodeResult =
  | { readonly kind: 'accepted'; readonly outcome: StepOutcome; readonly usedRecoveryCode: boolean; readonly recoveryCodesLeft: number }
  | { readonly kind: 'wrong' }
  | { readonly kind: 'replayed' }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number };

export interface Enrolment {
  /** The secret in base32, for typing into an app by hand. */
  readonly secret: string;
  /** The otpauth:// URI the QR code carries. */
  readonly uri: string;
}

export const RECOVERY_CODE_COUNT = 10;
const PENDING_LIFETIME_MS = 15 * 60_000;
const CODE_FAILURE_WINDOW_MS = 15 * 60_000;
const FREE_CODE_FAILURES = 5;
const MAX_CODE_WAIT_MS = 15 * 60_000;
/** No I, O, 0 or 1, which look alike: 32 characters, so a random byte picks one without bias. */
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Administrators always need an authenticator; everyone with a local account does when the setting says so. */
export function isMfaRequired(roles: readonly Role[], mfaRequired: boolean): boolean {
  return mfaRequired || roles.includes('admin');
}

/** A recovery code as typed: upper case, without spaces or hyphens; undefined unless it could be one. */
export function normaliseRecoveryCode(input: string): string | undefined {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return /^[A-HJ-NP-Z2-9]{10}$/.test(code) ? code : undefined;
}

export class MfaService implements SignInSteps {
  private readonly key: Buffer;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly settings: MfaSettings,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', settings.secret, 'redress', 'authenticator-secret', 32));
  }

  /** Called by AuthService once the password is right: the first step still needed, if any. */
  async begin(user: UserWithHash, returnTo: string, _actor: Omit<Actor, 'userId'>): Promise<{ token: string; step: PendingStep } | undefined> {
    const step = await this.nextStep(user.id, user.roles, undefined);
    if (step === undefined) return undefined;
    const now = this.clock();
    const token = randomBytes(32).toString('base64url');
    await new MfaRepository(this.db).createPending(
      { id: sha256(token), userId: user.id, step, returnTo, encryptedCandidate: undefined, expiresAt: new Date(now.getTime() + PENDING_LIFETIME_MS).toISOString() },
      now.toISOString(),
    );
    return { token, step };
  }

  /** The pending sign-in behind a token, or undefined when it is unknown, expired, or its user disabled. */
  async findPending(token: string): Promise<PendingSignIn | undefined> {
    const repo = new MfaRepository(this.db);
    const record = await repo.findPending(sha256(token));
    if (!record) return undefined;
    if (Date.parse(record.expiresAt) <= this.clock().getTime()) {
      await repo.deletePending(record.id);
      return undefined;
    }
    const user = await new UserRepository(this.db).findById(record.userId);
    if (!user?.isActive || !isStep(record.step)) return undefined;
    const { passwordHash: _hash, ...publicUser } = user;
    return { id: record.id, user: publicUser, step: record.step, returnTo: record.returnTo };
  }

  /**
   * The secret the pending sign-in is to enrol: a new one the first time (kept, encrypted, until
   * a code from it is confirmed), the same one when the page is shown again.
   */
  async enrolment(pending: PendingSignIn): Promise<Enrolment> {
    this.requireStep(pending, 'enrol');
    const repo = new MfaRepository(this.db);
    const record = await repo.findPending(pending.id);
    let secret = record?.encryptedCandidate === undefined ? undefined : this.decrypt(record.encryptedCandidate);
    if (secret === undefined) {
      secret = base32Encode(randomBytes(20));
      await repo.updatePending(pending.id, { encryptedCandidate: this.encrypt(secret) });
    }
    return { secret, uri: otpauthUri({ issuer: this.settings.issuer, account: pending.user.email, secret }) };
  }

  /**
   * Confirms enrolment with a code from the new secret: saves the secret, makes ten recovery
   * codes (returned once, to show) and moves on. A wrong code changes nothing.
   */
  async confirmEnrolment(
    pending: PendingSignIn,
    input: string,
    actor: Omit<Actor, 'userId'>,
  ): Promise<{ kind: 'enrolled'; recoveryCodes: string[]; outcome: StepOutcome } | { kind: 'wrong' } | { kind: 'expired' } | { kind: 'throttled'; retryAfterSeconds: number }> {
    this.requireStep(pending, 'enrol');
    const repo = new MfaRepository(this.db);
    const record = await repo.findPending(pending.id);
    const secret = record?.encryptedCandidate === undefined ? undefined : this.decrypt(record.encryptedCandidate);
    if (secret === undefined) return { kind: 'expired' };
    const now = this.clock();
    const throttle = await this.reserveCodeAttempt(pending.user.id, now);
    if (throttle.wait > 0) return { kind: 'throttled', retryAfterSeconds: Math.ceil(throttle.wait / 1000) };
    const code = normaliseTotpInput(input);
    const bytes = base32Decode(secret);
    const step = code === undefined || bytes === undefined ? undefined : matchTotp(bytes, code, now);
    const audit = new AuditRepository(this.db);
    if (step === undefined) {
      await audit.record({ ...actor, userId: pending.user.id, action: 'mfa_enrolment_failed', entityType: 'user', entityId: String(pending.user.id) }, now.toISOString());
      return { kind: 'wrong' };
    }
    await new SessionRepository(this.db).clearSignInFailures(codeKey(pending.user.id));
    const recoveryCodes = newRecoveryCodes();
    await this.db.transaction().execute(async (trx) => {
      const tx = new MfaRepository(trx);
      await tx.enrol(pending.user.id, this.encrypt(secret), step, now.toISOString());
      await tx.replaceRecoveryCodes(pending.user.id, recoveryCodes.map((c) => sha256(normaliseRecoveryCode(c) ?? c)), now.toISOString());
      await tx.updatePending(pending.id, { encryptedCandidate: null });
      await new AuditRepository(trx).record({ ...actor, userId: pending.user.id, action: 'mfa_enrolled', entityType: 'user', entityId: String(pending.user.id) }, now.toISOString());
    });
    return { kind: 'enrolled', recoveryCodes, outcome: await this.advance(pending, 'enrol', actor) };
  }

  /** Checks a code from the authenticator app, or a recovery code, for a pending sign-in. */
  async verifyCode(pending: PendingSignIn, input: string, actor: Omit<Actor, 'userId'>): Promise<CodeResult> {
    this.requireStep(pending, 'code');
    const now = this.clock();
    const userId = pending.user.id;
    const repo = new MfaRepository(this.db);
    const audit = new AuditRepository(this.db);
    const throttle = await this.reserveCodeAttempt(userId, now);
    if (throttle.wait > 0) return { kind: 'throttled', retryAfterSeconds: Math.ceil(throttle.wait / 1000) };
    const fail = async (reason: string): Promise<void> => {
      await audit.record({ ...actor, userId, action: 'mfa_code_failed', entityType: 'user', entityId: String(userId), details: { reason } }, now.toISOString());
    };

    const code = normaliseTotpInput(input);
    const recovery = code === undefined ? normaliseRecoveryCode(input) : undefined;
    if (code !== undefined) {
      const state = await repo.state(userId);
      const secret = state?.encryptedSecret === undefined ? undefined : this.decrypt(state.encryptedSecret);
      const bytes = secret === undefined ? undefined : base32Decode(secret);
      const step = bytes === undefined ? undefined : matchTotp(bytes, code, now);
      if (step === undefined) {
        await fail('wrong_code');
        return { kind: 'wrong' };
      }
      // Refused when this step (or a later one) was already used: a code works once.
      if (!(await repo.claimStep(userId, step))) {
        await fail('replayed_code');
        return { kind: 'replayed' };
      }
    } else if (recovery !== undefined) {
      if (!(await repo.useRecoveryCode(userId, sha256(recovery), now.toISOString()))) {
        await fail('wrong_recovery_code');
        return { kind: 'wrong' };
      }
      await audit.record({ ...actor, userId, action: 'mfa_recovery_code_used', entityType: 'user', entityId: String(userId) }, now.toISOString());
    } else {
      await fail('not_a_code');
      return { kind: 'wrong' };
    }
    await new SessionRepository(this.db).clearSignInFailures(codeKey(userId));
    const outcome = await this.advance(pending, 'code', actor);
    return { kind: 'accepted', outcome, usedRecoveryCode: recovery !== undefined, recoveryCodesLeft: await repo.unusedRecoveryCodes(userId) };
  }

  /** Sets the new password a pending sign-in must choose (the old one was set by an administrator). */
  async setRequiredPassword(pending: PendingSignIn, password: string, confirmation: string, actor: Omit<Actor, 'userId'>): Promise<StepOutcome> {
    this.requireStep(pending, 'change_password');
    const user = await new UserRepository(this.db).findById(pending.user.id);
    if (!user) throw new DomainError('user_unknown', 'There is no such user');
    await this.storeNewPassword(user, password, confirmation, actor, 'password_changed');
    return this.advance(pending, 'change_password', actor);
  }

  /**
   * Self-service change: checks the current password, sets the new one, and ends every
   * session of the user; returns the token of a new session for the browser that asked.
   */
  async changePassword(userId: number, current: string, password: string, confirmation: string, actor: Actor): Promise<string> {
    const user = await new UserRepository(this.db).findById(userId);
    if (!user) throw new DomainError('user_unknown', 'There is no such user');
    const now = this.clock();
    const throttle = await this.reserveAttempt(`password-change:${userId}`, now);
    if (throttle.wait > 0) {
      throw new DomainError('too_many_attempts', `Too many wrong passwords. Wait ${minutes(throttle.wait)} and try again`, 'currentPassword');
    }
    if (current === '') throw new DomainError('current_password_required', 'Enter your current password', 'currentPassword');
    if (!(await verifyPassword(user.passwordHash, current))) {
      await new AuditRepository(this.db).record({ ...actor, action: 'password_change_failed', entityType: 'user', entityId: String(userId) }, now.toISOString());
      throw new DomainError('current_password_wrong', 'Your current password is not right', 'currentPassword');
    }
    await new SessionRepository(this.db).clearSignInFailures(sha256(`password-change:${userId}`));
    await this.storeNewPassword(user, password, confirmation, actor, 'password_changed');
    const sessions = new SessionRepository(this.db);
    await sessions.deleteForUser(userId);
    return startSession(sessions, new AuditRepository(this.db), userId, actor, now);
  }

  /** What the account page shows. */
  async status(userId: number, roles: readonly Role[]): Promise<{ enrolled: boolean; required: boolean; recoveryCodesLeft: number }> {
    const repo = new MfaRepository(this.db);
    const state = await repo.state(userId);
    return {
      enrolled: state?.enrolledAt !== undefined,
      required: isMfaRequired(roles, this.settings.mfaRequired),
      recoveryCodesLeft: state?.enrolledAt === undefined ? 0 : await repo.unusedRecoveryCodes(userId),
    };
  }

  /** Replaces a signed-in user's recovery codes with ten new ones (returned once, to show). */
  async regenerateRecoveryCodes(userId: number, actor: Actor): Promise<string[]> {
    const repo = new MfaRepository(this.db);
    const state = await repo.state(userId);
    if (state?.enrolledAt === undefined) throw new DomainError('mfa_not_enrolled', 'Set up an authenticator app first');
    const codes = newRecoveryCodes();
    const now = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await new MfaRepository(trx).replaceRecoveryCodes(userId, codes.map((c) => sha256(normaliseRecoveryCode(c) ?? c)), now);
      await new AuditRepository(trx).record({ ...actor, action: 'mfa_recovery_codes_replaced', entityType: 'user', entityId: String(userId) }, now);
    });
    return codes;
  }

  /**
   * For someone who lost their device: forgets their authenticator and recovery codes and ends
   * their sessions; they enrol again at their next sign-in (an administrator's action).
   */
  async reset(email: string, actor: Actor): Promise<User> {
    const now = this.clock().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const user = await new UserRepository(trx).findByEmail(email.trim());
      if (!user) throw new DomainError('user_unknown', `There is no user with the email ${email.trim()}`, 'email');
      await new MfaRepository(trx).clear(user.id, now);
      await new SessionRepository(trx).deleteForUser(user.id);
      await new AuditRepository(trx).record({ ...actor, action: 'mfa_reset', entityType: 'user', entityId: String(user.id) }, now);
      const { passwordHash: _hash, ...publicUser } = user;
      return publicUser;
    });
  }

  /** Deletes pending sign-ins that ran out of time (run by the scheduler). */
  purgeExpired(): Promise<number> {
    return new MfaRepository(this.db).deleteExpiredPending(this.clock().toISOString());
  }

  private async nextStep(userId: number, roles: readonly Role[], after: PendingStep | undefined): Promise<PendingStep | undefined> {
    const state = await new MfaRepository(this.db).state(userId);
    if (!state) return undefined;
    const order: readonly PendingStep[] = ['code', 'enrol', 'change_password'];
    const needed: Record<PendingStep, boolean> = {
      code: state.enrolledAt !== undefined,
      enrol: state.enrolledAt === undefined && isMfaRequired(roles, this.settings.mfaRequired),
      change_password: state.mustChangePassword,
    };
    const from = after === undefined ? 0 : order.indexOf(after) + 1;
    return order.slice(from).find((step) => needed[step]);
  }

  /** Moves a pending sign-in past `done`: to its next step, or to a full session (once only). */
  private async advance(pending: PendingSignIn, done: PendingStep, actor: Omit<Actor, 'userId'>): Promise<StepOutcome> {
    const next = await this.nextStep(pending.user.id, pending.user.roles, done);
    const repo = new MfaRepository(this.db);
    if (next !== undefined) {
      await repo.updatePending(pending.id, { step: next });
      return { kind: 'next', step: next };
    }
    if (!(await repo.deletePending(pending.id))) throw new DomainError('sign_in_expired', 'Your sign-in has already been completed or has expired. Sign in again');
    const token = await startSession(new SessionRepository(this.db), new AuditRepository(this.db), pending.user.id, actor, this.clock());
    return { kind: 'signed_in', token, returnTo: pending.returnTo };
  }

  private async storeNewPassword(user: UserWithHash, password: string, confirmation: string, actor: Omit<Actor, 'userId'>, action: string): Promise<void> {
    if (password === '') throw new DomainError('password_required', 'Enter a new password', 'newPassword');
    try {
      checkPasswordStrength(password, user.email);
    } catch (error) {
      if (error instanceof DomainError) throw new DomainError(error.code, error.message, 'newPassword');
      throw error;
    }
    if (password !== confirmation) throw new DomainError('password_mismatch', 'The passwords do not match', 'confirmPassword');
    if (await verifyPassword(user.passwordHash, password)) throw new DomainError('password_unchanged', 'Choose a password different from your current one', 'newPassword');
    const hash = await hashPassword(password);
    const now = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await new UserRepository(trx).setPasswordHash(user.id, hash, now);
      await new MfaRepository(trx).setMustChangePassword(user.id, false, now);
      await new AuditRepository(trx).record({ ...actor, userId: user.id, action, entityType: 'user', entityId: String(user.id) }, now);
    });
  }

  private requireStep(pending: PendingSignIn, step: PendingStep): void {
    if (pending.step !== step) throw new DomainError('wrong_step', 'That step of signing in is not the one waiting');
  }

  private reserveCodeAttempt(userId: number, now: Date): Promise<{ wait: number }> {
    return this.reserveAttempt(`mfa:${userId}`, now);
  }

  /**
   * Counts this attempt as a failure before it is checked (as the password throttle does), so
   * parallel guesses cannot all pass on one count; a throttled attempt is taken back.
   */
  private async reserveAttempt(key: string, now: Date): Promise<{ wait: number }> {
    const sessions = new SessionRepository(this.db);
    const accountKey = sha256(key);
    const id = await sessions.reserveSignInFailure(accountKey, now.toISOString());
    const { count, latest } = await sessions.countSignInFailuresSince(accountKey, new Date(now.getTime() - CODE_FAILURE_WINDOW_MS).toISOString(), id);
    const wait = count < FREE_CODE_FAILURES || latest === null ? 0 : Date.parse(latest) + Math.min(MAX_CODE_WAIT_MS, 30_000 * 2 ** (count - FREE_CODE_FAILURES)) - now.getTime();
    if (wait > 0) await sessions.releaseSignInFailure(id);
    return { wait: Math.max(0, wait) };
  }

  private encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  private decrypt(text: string): string | undefined {
    if (!text.startsWith('v1.')) return undefined;
    const raw = Buffer.from(text.slice(3), 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      // Another SESSION_SECRET encrypted it: the user must be reset and enrol again.
      return undefined;
    }
  }
}

const codeKey = (userId: number): string => sha256(`mfa:${userId}`);

function isStep(value: string): value is PendingStep {
  return value === 'code' || value === 'enrol' || value === 'change_password';
}

function minutes(ms: number): string {
  const n = Math.max(1, Math.ceil(ms / 60_000));
  return `${n} minute${n === 1 ? '' : 's'}`;
}

/** Ten random codes like `ABCDE-FGH23` (50 bits each) from an alphabet without look-alike characters. */
function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from(randomBytes(10), (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}
