/**
 * Signing in and out, and sessions. A session token is 32 random bytes in a cookie; the
 * database keeps only its SHA-256, so several processes share sessions and a copy of the
 * database does not yield live ones. Sessions end after an idle period and after 12 hours.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { SessionRepository } from '../db/session-repository.ts';
import { UserRepository, type User, type UserWithHash } from '../db/user-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { Actor, Clock } from './clock.ts';

export type SignInResult =
  | { readonly kind: 'signed_in'; readonly token: string; readonly user: User }
  /** The password was right but the sign-in needs another step (a code, an enrolment, a new password): `token` is for that step only. */
  | { readonly kind: 'pending'; readonly token: string; readonly step: PendingStep }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number };

/**
 * What a sign-in needs after its password (src/app/mfa-service.ts): when it returns a pending
 * sign-in, no session is made until that is completed.
 */
export interface SignInSteps {
  begin(user: UserWithHash, returnTo: string, actor: Omit<Actor, 'userId'>): Promise<{ token: string; step: PendingStep } | undefined>;
}

export type PendingStep = 'code' | 'enrol' | 'change_password';

export interface SignInOptions {
  /** Where to go once signed in (kept by a pending sign-in). */
  readonly returnTo?: string | undefined;
  /** The value of the browser's device cookie (signature already checked), if it has one. */
  readonly device?: string | undefined;
}

const DEVICE_PREFIX = 16;

/** The throttle's key for an email address: its SHA-256, lower-cased, so unknown addresses count too. */
export function accountKeyOf(email: string): string {
  return sha256(email.trim().toLowerCase());
}

/** A new device cookie value for a browser that has just signed in to this account. */
export function newDeviceValue(email: string): string {
  return `${accountKeyOf(email).slice(0, DEVICE_PREFIX)}.${randomBytes(18).toString('base64url')}`;
}

export interface ActiveSession {
  readonly user: User;
  readonly sessionId: string;
}

/** Failures counted for throttling are those in this window. */
const FAILURE_WINDOW_MS = 15 * 60_000;
/** After this many failures for an account from one source in the window, each further try from there must wait. */
const FREE_FAILURES = 5;
const MAX_WAIT_MS = 15 * 60_000;
/**
 * After this many failures for an account from all sources together (guessing spread over
 * many addresses), every try must wait — but never more than a minute after the latest
 * failure, so that someone who knows only the email address cannot lock its owner out.
 */
const FREE_ACCOUNT_FAILURES = 20;
const ACCOUNT_WAIT_MS = 60_000;
const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60_000;
/** last_seen_at is written at most this often, to keep reads cheap. */
const TOUCH_INTERVAL_MS = 60_000;

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export class AuthService {
  private readonly users: UserRepository;
  private readonly sessions: SessionRepository;
  private readonly audit: AuditRepository;
  private dummyHash: Promise<string> | undefined;

  constructor(
    db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly idleMinutes: number,
    private readonly steps?: SignInSteps,
  ) {
    this.users = new UserRepository(db);
    this.sessions = new SessionRepository(db);
    this.audit = new AuditRepository(db);
  }

  async signIn(email: string, password: string, actor: Omit<Actor, 'userId'>, options: SignInOptions = {}): Promise<SignInResult> {
    const now = this.clock();
    const accountKey = accountKeyOf(email);
    // A browser this account has signed in on before (its device cookie names the account)
    // is a source of its own, and is not held back by guessing from elsewhere.
    const device = options.device?.startsWith(`${accountKey.slice(0, DEVICE_PREFIX)}.`) === true ? options.device : undefined;
    const sourceKey = sha256(device === undefined ? `source:${actor.ip ?? 'unknown'}` : `device:${device}`);
    // The attempt counts as a failure before the password is checked; the throttle then
    // counts the others. The k-th attempt to be recorded sees at least k - 1 others, so of
    // any number of parallel guesses (in any number of processes) at most the free ones pass.
    const attemptId = await this.sessions.reserveSignInFailure(accountKey, now.toISOString(), sourceKey);
    const wait = await this.throttleWait(accountKey, sourceKey, now, attemptId, device !== undefined);
    if (wait > 0) {
      await this.sessions.releaseSignInFailure(attemptId);
      return { kind: 'throttled', retryAfterSeconds: Math.ceil(wait / 1000) };
    }

    const user = await this.users.findByEmail(email.trim());
    // Verify against a dummy hash when there is no such user, so timing does not tell.
    const hash = user?.passwordHash ?? (await this.getDummyHash());
    const isValid = (await verifyPassword(hash, password)) && user !== undefined && user.isActive;
    if (!isValid) {
      // Already recorded, as the attempt began.
      await this.audit.record(
        { ...actor, userId: user?.id ?? null, action: 'sign_in_failed', entityType: 'user', entityId: user ? String(user.id) : null },
        now.toISOString(),
      );
      return { kind: 'invalid' };
    }

    // Only this source's failures are forgotten: the owner signing in does not give a guesser elsewhere a fresh start.
    await this.sessions.clearSignInFailures(accountKey, sourceKey);
    const pending = await this.steps?.begin(user, options.returnTo ?? '/', actor);
    if (pending) return { kind: 'pending', ...pending };
    const token = await startSession(this.sessions, this.audit, user.id, actor, now);
    const { passwordHash: _hash, ...publicUser } = user;
    return { kind: 'signed_in', token, user: publicUser };
  }

  /** The user behind a session token, or undefined when it is unknown, idle too long, expired or disabled. */
  async resolve(token: string): Promise<ActiveSession | undefined> {
    const now = this.clock();
    const found = await this.users.findBySession(sha256(token));
    if (!found) return undefined;
    const { session, user } = found;
    const idleLimit = Date.parse(session.lastSeenAt) + this.idleMinutes * 60_000;
    if (now.getTime() >= idleLimit || now.getTime() >= Date.parse(session.expiresAt)) {
      await this.sessions.delete(session.id);
      return undefined;
    }
    if (!user.isActive) {
      await this.sessions.delete(session.id);
      return undefined;
    }
    if (now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_INTERVAL_MS) {
      await this.sessions.touch(session.id, now.toISOString());
    }
    const { passwordHash: _hash, ...publicUser } = user;
    return { user: publicUser, sessionId: session.id };
  }

  async signOut(token: string, actor: Actor): Promise<void> {
    await this.sessions.delete(sha256(token));
    if (actor.userId !== null) {
      await this.audit.record({ ...actor, action: 'signed_out', entityType: 'user', entityId: String(actor.userId) }, this.clock().toISOString());
    }
  }

  /** Deletes expired and idle sessions and old sign-in failures (run by the scheduler). */
  async purgeStale(): Promise<number> {
    const now = this.clock();
    await this.sessions.deleteSignInFailuresBefore(new Date(now.getTime() - FAILURE_WINDOW_MS - MAX_WAIT_MS).toISOString());
    return this.sessions.deleteStale(now.toISOString(), new Date(now.getTime() - this.idleMinutes * 60_000).toISOString());
  }

  /**
   * How long this attempt must wait, counting every other failure (or attempt in progress) in
   * the window: from this source for this account (growing waits), and from everywhere for
   * this account (a short, capped wait, so that the owner is slowed, never locked out).
   */
  private async throttleWait(accountKey: string, sourceKey: string, now: Date, attemptId: number, isKnownDevice: boolean): Promise<number> {
    const since = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
    const fromSource = await this.sessions.countSignInFailuresSince(accountKey, since, attemptId, sourceKey);
    const sourceWait =
      fromSource.count < FREE_FAILURES || fromSource.latest === null
        ? 0
        : Date.parse(fromSource.latest) + Math.min(MAX_WAIT_MS, 30_000 * 2 ** (fromSource.count - FREE_FAILURES)) - now.getTime();
    if (isKnownDevice) return Math.max(0, sourceWait);
    const everywhere = await this.sessions.countSignInFailuresSince(accountKey, since, attemptId);
    const accountWait =
      everywhere.count < FREE_ACCOUNT_FAILURES || everywhere.latest === null ? 0 : Date.parse(everywhere.latest) + ACCOUNT_WAIT_MS - now.getTime();
    return Math.max(0, sourceWait, accountWait);
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    return this.dummyHash;
  }
}

/**
 * Makes a full session for a user whose sign-in is complete and returns its token (a new
 * random one: a half-finished sign-in's token never becomes a session's).
 */
export async function startSession(
  sessions: SessionRepository,
  audit: AuditRepository,
  userId: number,
  actor: Omit<Actor, 'userId'>,
  now: Date,
  /** How they signed in, for the audit trail (e.g. `{ method: 'oidc' }`). */
  details?: Readonly<Record<string, unknown>>,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await sessions.create(
    { id: sha256(token), userId, lastSeenAt: now.toISOString(), expiresAt: new Date(now.getTime() + ABSOLUTE_LIFETIME_MS).toISOString() },
    now.toISOString(),
  );
  await audit.record({ ...actor, userId, action: 'signed_in', entityType: 'user', entityId: String(userId), ...(details === undefined ? {} : { details }) }, now.toISOString());
  return token;
}
