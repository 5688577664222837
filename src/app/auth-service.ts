/**
 * Signing in and out, and sessions. A session token is 32 random bytes in a cookie; the
 * database keeps only its SHA-256, so several processes share sessions and a copy of the
 * database does not yield live ones. Sessions end after an idle period and after 12 hours.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { SessionRepository } from '../db/session-repository.ts';
import { UserRepository, type User } from '../db/user-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { Actor, Clock } from './clock.ts';

export type SignInResult =
  | { readonly kind: 'signed_in'; readonly token: string; readonly user: User }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number };

export interface ActiveSession {
  readonly user: User;
  readonly sessionId: string;
}

/** Failures counted for throttling are those in this window. */
const FAILURE_WINDOW_MS = 15 * 60_000;
/** After this many failures in the window, each further try must wait. */
const FREE_FAILURES = 5;
const MAX_WAIT_MS = 15 * 60_000;
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
  ) {
    this.users = new UserRepository(db);
    this.sessions = new SessionRepository(db);
    this.audit = new AuditRepository(db);
  }

  async signIn(email: string, password: string, actor: Omit<Actor, 'userId'>): Promise<SignInResult> {
    const now = this.clock();
    const accountKey = sha256(email.trim().toLowerCase());
    // The attempt counts as a failure before the password is checked; the throttle then
    // counts the others. The k-th attempt to be recorded sees at least k - 1 others, so of
    // any number of parallel guesses (in any number of processes) at most the free ones pass.
    const attemptId = await this.sessions.reserveSignInFailure(accountKey, now.toISOString());
    const wait = await this.throttleWait(accountKey, now, attemptId);
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

    await this.sessions.clearSignInFailures(accountKey);
    const token = randomBytes(32).toString('base64url');
    await this.sessions.create(
      {
        id: sha256(token),
        userId: user.id,
        lastSeenAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + ABSOLUTE_LIFETIME_MS).toISOString(),
      },
      now.toISOString(),
    );
    await this.audit.record({ ...actor, userId: user.id, action: 'signed_in', entityType: 'user', entityId: String(user.id) }, now.toISOString());
    return { kind: 'signed_in', token, user };
  }

  /** The user behind a session token, or undefined when it is unknown, idle too long, expired or disabled. */
  async resolve(token: string): Promise<ActiveSession | undefined> {
    const now = this.clock();
    const session = await this.sessions.find(sha256(token));
    if (!session) return undefined;
    const idleLimit = Date.parse(session.lastSeenAt) + this.idleMinutes * 60_000;
    if (now.getTime() >= idleLimit || now.getTime() >= Date.parse(session.expiresAt)) {
      await this.sessions.delete(session.id);
      return undefined;
    }
    const user = await this.users.findById(session.userId);
    if (!user?.isActive) {
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

  /** How long this attempt must wait, counting every other failure (or attempt in progress) in the window. */
  private async throttleWait(accountKey: string, now: Date, attemptId: number): Promise<number> {
    const since = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
    const { count, latest } = await this.sessions.countSignInFailuresSince(accountKey, since, attemptId);
    if (count < FREE_FAILURES || latest === null) return 0;
    const wait = Math.min(MAX_WAIT_MS, 30_000 * 2 ** (count - FREE_FAILURES));
    return Math.max(0, Date.parse(latest) + wait - now.getTime());
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    return this.dummyHash;
  }
}
