/**
 * Single sign-on with the council's OpenID Connect provider (Microsoft Entra ID and the
 * like): the authorization code flow with PKCE, state and nonce (openid-client does the
 * protocol's checks). What a sign-in in progress must remember lives in the database
 * (`oidc_sign_in_attempt`), keyed by the SHA-256 of a random handle in a short-lived cookie,
 * so any app process may serve the callback, and each attempt can be used once.
 *
 * A returning user is found by the provider's `sub` recorded at their first sign-in; else an
 * active account with the same, provider-verified, email address is linked; else an account
 * is created with no roles, for an administrator to give them. With OIDC_ROLE_CLAIM and
 * OIDC_ROLE_MAP the roles come from the claim at every sign-in instead.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as client from 'openid-client';
import type { OidcConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { UserRepository, type User } from '../db/user-repository.ts';
import { SessionRepository } from '../db/session-repository.ts';
import { AuditRepository } from '../db/audit-repository.ts';
import { UserIdentityRepository } from '../db/user-identity-repository.ts';
import type { Role } from '../domain/users/roles.ts';
import type { Actor, Clock } from './clock.ts';
import { startSession } from './auth-service.ts';

/** How long a sign-in begun at the provider may take to come back. */
export const OIDC_ATTEMPT_LIFETIME_MS = 10 * 60_000;

/** A password hash no password matches: accounts made by single sign-on have no Redress password. */
export const NO_LOCAL_PASSWORD = '!single-sign-on';

/** Why a callback was refused: stable codes, recorded in the audit trail (never a name or an address). */
export type OidcRefusal =
  | 'no_attempt'
  | 'expired'
  | 'state_mismatch'
  | 'nonce_mismatch'
  | 'provider_error'
  | 'invalid_response'
  | 'provider_unreachable'
  | 'email_missing'
  | 'email_not_verified'
  | 'account_disabled';

export type OidcCallbackResult =
  | { readonly kind: 'signed_in'; readonly token: string; readonly user: User; readonly returnTo: string }
  /** A new account with no roles: an administrator must give them. */
  | { readonly kind: 'account_created' }
  /** An account that has no roles yet. */
  | { readonly kind: 'no_access' }
  | { readonly kind: 'refused'; readonly reason: OidcRefusal };

interface Claims {
  readonly sub: string;
  readonly email: string | undefined;
  readonly emailVerified: boolean;
  readonly name: string | undefined;
  readonly raw: Readonly<Record<string, unknown>>;
}

type SignInOutcome =
  | { readonly refused: OidcRefusal; readonly userId: number | null }
  | { readonly noRoles: true; readonly created: boolean }
  | { readonly token: string; readonly user: User };

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export class OidcService {
  private configuration: Promise<client.Configuration> | undefined;
  private readonly identities: UserIdentityRepository;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    readonly settings: OidcConfig,
  ) {
    this.identities = new UserIdentityRepository(db);
  }

  /**
   * Starts a sign-in: remembers a fresh state, nonce and PKCE verifier, and returns the
   * handle for the browser's cookie and the provider's address to send the browser to.
   */
  async begin(returnTo: string): Promise<{ handle: string; redirectTo: string }> {
    const configuration = await this.discover();
    const handle = randomBytes(32).toString('base64url');
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    const now = this.clock();
    await this.identities.createAttempt(
      { id: sha256(handle), state, nonce, codeVerifier, returnTo, expiresAt: new Date(now.getTime() + OIDC_ATTEMPT_LIFETIME_MS).toISOString() },
      now.toISOString(),
    );
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { handle, redirectTo: url.href };
  }

  /**
   * Finishes a sign-in from the provider's redirect (`callbackUrl`, as the browser asked for
   * it). The attempt is used up whatever happens. A refusal changes nothing but the audit trail.
   * A session the browser already had (`previousSessionToken`) ends when the new one starts.
   */
  async finish(handle: string | undefined, callbackUrl: URL, actor: Actor, previousSessionToken?: string): Promise<OidcCallbackResult> {
    const now = this.clock();
    const attempt = handle === undefined ? undefined : await this.identities.takeAttempt(sha256(handle));
    if (attempt === undefined) return this.refuse('no_attempt', actor);
    if (Date.parse(attempt.expiresAt) <= now.getTime()) return this.refuse('expired', actor);

    let claims: Claims;
    try {
      claims = await this.exchange(callbackUrl, attempt);
    } catch (error) {
      return this.refuse(classify(error), actor);
    }
    return this.signIn(claims, attempt.returnTo, actor, previousSessionToken);
  }

  /** Deletes attempts that were never finished (run with the session housekeeping). */
  purgeStale(): Promise<number> {
    return this.identities.deleteAttemptsExpiredBy(this.clock().toISOString());
  }

  /** The code exchange and the protocol's checks (state, PKCE, the ID token's signature, audience, expiry and nonce). */
  private async exchange(callbackUrl: URL, attempt: { state: string; nonce: string; codeVerifier: string }): Promise<Claims> {
    const configuration = await this.discover();
    const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
      pkceCodeVerifier: attempt.codeVerifier,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (idClaims === undefined) throw new InvalidProviderResponse('the provider sent no ID token');
    let raw: Record<string, unknown> = { ...idClaims };
    // Some providers put email or groups only in the UserInfo response.
    const wanted = [this.settings.roleClaim ?? 'email', 'email'];
    if (wanted.some((name) => raw[name] === undefined) && configuration.serverMetadata().userinfo_endpoint !== undefined) {
      const info = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
      raw = { ...info, ...raw };
    }
    // An address Redress cannot store (app_user.email holds 320 characters) counts as none.
    const email = typeof raw.email === 'string' && raw.email.trim() !== '' && raw.email.trim().length <= 320 ? raw.email.trim().toLowerCase() : undefined;
    const name = typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name.trim() : undefined;
    return { sub: idClaims.sub, email, emailVerified: raw.email_verified === true, name, raw };
  }

  private async signIn(claims: Claims, returnTo: string, actor: Actor, previousSessionToken: string | undefined): Promise<OidcCallbackResult> {
    const issuer = this.settings.issuer;
    const at = this.clock();
    const now = at.toISOString();
    // A refusal is thrown, so that the transaction changes nothing (not even the time of the last sign-in).
    const outcome = await this.db
      .transaction()
      .execute(async (trx): Promise<SignInOutcome> => {
        const users = new UserRepository(trx);
        const identities = new UserIdentityRepository(trx);
        const audit = new AuditRepository(trx);
        let created = false;
        let userId = await identities.findUserId(issuer, claims.sub);
        if (userId === undefined) {
          if (claims.email === undefined) throw new SignInRefused('email_missing', null);
          const existing = await users.findByEmail(claims.email);
          if (existing) {
            // Linking to an existing account needs the provider to vouch for the address.
            if (!claims.emailVerified) throw new SignInRefused('email_not_verified', existing.id);
            if (!existing.isActive) throw new SignInRefused('account_disabled', existing.id);
            userId = existing.id;
            await audit.record({ ...actor, userId, action: 'sign_in_linked', entityType: 'user', entityId: String(userId), details: { method: 'oidc' } }, now);
          } else {
            const roles = this.mappedRoles(claims) ?? [];
            userId = await users.create({ email: claims.email, name: (claims.name ?? claims.email).slice(0, 200), passwordHash: NO_LOCAL_PASSWORD, teamId: null, roles }, now);
            created = true;
            await audit.record({ ...actor, userId, action: 'user_added', entityType: 'user', entityId: String(userId), details: { method: 'oidc', after: { roles } } }, now);
          }
          await identities.link(issuer, claims.sub, userId, now);
        } else {
          await identities.touch(issuer, claims.sub, now);
        }
        const user = await users.findById(userId);
        if (!user) throw new Error('user vanished during sign-in');
        if (!user.isActive) throw new SignInRefused('account_disabled', userId);

        let roles = user.roles;
        const mapped = created ? undefined : this.mappedRoles(claims);
        if (mapped !== undefined && !sameRoles(mapped, user.roles)) {
          await users.setRoles(user.id, mapped);
          await audit.record(
            { ...actor, userId: user.id, action: 'user_roles_changed', entityType: 'user', entityId: String(user.id), details: { method: 'oidc', before: { roles: user.roles }, after: { roles: mapped } } },
            now,
          );
          roles = mapped;
        }
        if (roles.length === 0) {
          if (!created) await audit.record({ ...actor, userId: user.id, action: 'sign_in_failed', entityType: 'user', entityId: String(user.id), details: { method: 'oidc', reason: 'no_roles' } }, now);
          return { noRoles: true, created };
        }

        // A new session every time (never one the browser brought with it).
        const sessions = new SessionRepository(trx);
        if (previousSessionToken !== undefined) await sessions.delete(sha256(previousSessionToken));
        const token = await startSession(sessions, audit, user.id, actor, at, { method: 'oidc' });
        const { passwordHash: _hash, ...publicUser } = user;
        return { token, user: { ...publicUser, roles } };
      })
      .catch((error: unknown) => {
        if (error instanceof SignInRefused) return { refused: error.reason, userId: error.userId };
        throw error;
      });
    if ('refused' in outcome) return this.refuse(outcome.refused, { ...actor, userId: outcome.userId ?? actor.userId });
    if ('noRoles' in outcome) return { kind: outcome.created ? 'account_created' : 'no_access' };
    return { kind: 'signed_in', token: outcome.token, user: outcome.user, returnTo };
  }

  /** The roles the configured claim gives, or undefined when roles are not taken from the provider. */
  private mappedRoles(claims: Claims): Role[] | undefined {
    const claimName = this.settings.roleClaim;
    if (claimName === undefined) return undefined;
    const value = claims.raw[claimName];
    const values = new Set((Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string'));
    return [...new Set(this.settings.roleMap.filter((entry) => values.has(entry.claimValue)).map((entry) => entry.role))];
  }

  private async refuse(reason: OidcRefusal, actor: Actor): Promise<OidcCallbackResult> {
    await new AuditRepository(this.db).record(
      { ...actor, action: 'sign_in_failed', entityType: 'user', entityId: actor.userId === null ? null : String(actor.userId), details: { method: 'oidc', reason } },
      this.clock().toISOString(),
    );
    return { kind: 'refused', reason };
  }

  /** The provider's metadata, fetched once per process (again after a failure). */
  private discover(): Promise<client.Configuration> {
    // Plain http only for a test provider on this machine outside production (src/config.ts refuses it otherwise).
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- openid-client marks it so that it stands out; config limits it to loopback tests
    const execute = this.settings.allowInsecureHttp ? { execute: [client.allowInsecureRequests] } : undefined;
    this.configuration ??= client
      .discovery(new URL(this.settings.issuer), this.settings.clientId, this.settings.clientSecret, undefined, execute)
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }
}

/** A sign-in refused part-way: thrown to roll its transaction back. */
class SignInRefused extends Error {
  constructor(
    readonly reason: OidcRefusal,
    readonly userId: number | null,
  ) {
    super(reason);
  }
}

/** A response from the provider that passed its checks but lacks what Redress needs. */
class InvalidProviderResponse extends Error {}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

/** Which refusal an error from the exchange is. */
function classify(error: unknown): OidcRefusal {
  if (error instanceof client.AuthorizationResponseError) return 'provider_error';
  // openid-client words its own errors generally and keeps the precise one as the cause.
  const messages: string[] = [];
  for (let e: unknown = error; e instanceof Error && messages.length < 5; e = e.cause) messages.push(e.message);
  const message = messages.join(' / ');
  if (message.includes('"state"')) return 'state_mismatch';
  if (message.includes('"nonce"')) return 'nonce_mismatch';
  if (error instanceof InvalidProviderResponse || error instanceof client.ResponseBodyError || error instanceof client.ClientError) return 'invalid_response';
  return 'provider_unreachable';
}
