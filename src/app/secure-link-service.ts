/**
 * Secure links (src/domain/links/secure-link.ts), for every feature that sends one:
 *
 * - `issue(trx, { purpose, representationId, expiresAt })` makes a link inside the caller's
 *   transaction and returns its token and path — the only time the token exists in the
 *   clear. Put the path in a letter, or (for email) send the link id in the outbox message
 *   as `secure_link_id`: the worker gives the link a fresh token as it sends the email
 *   (`freshToken`), so no token waits in the outbox in plain text.
 * - `resolve(token, purpose)` finds the link, or says why it does not work (`unknown`,
 *   `expired`, `used`). A malformed token is `unknown` without a database look-up.
 * - `markUsed(trx, id)` uses the link up, once: a conditional update, so of two requests at
 *   the same moment only one gets `true`. `retire(trx, purpose, representationId)` uses up
 *   every other link of the same purpose for the representation (a reminder's link, say).
 *
 * Tokens are never logged; refusals are logged as codes, with the link id when there is one.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isWellFormedToken, refusalOf, secureLinkPath, TOKEN_BYTES, type SecureLinkPurpose, type SecureLinkRefusal } from '../domain/links/secure-link.ts';
import type { Clock } from './clock.ts';

export interface IssuedLink {
  readonly id: number;
  /** The token in the clear: send it, never store or log it. */
  readonly token: string;
  /** `/respond/<segment>/<token>`: prefix with the public base URL. */
  readonly path: string;
}

export interface SecureLink {
  readonly id: number;
  readonly purpose: SecureLinkPurpose;
  readonly representationId: number;
  readonly expiresAt: string;
}

export type ResolvedLink = { readonly ok: true; readonly link: SecureLink } | { readonly ok: false; readonly refusal: SecureLinkRefusal; readonly representationId?: number; readonly linkId?: number };

/** SHA-256 of a token, as stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Makes a link in the caller's transaction (see the module's comment). */
export async function issueSecureLink(
  trx: Kysely<Database>,
  link: { readonly purpose: SecureLinkPurpose; readonly representationId: number; readonly expiresAt: Date },
  now: Date,
): Promise<IssuedLink> {
  if (link.expiresAt.getTime() <= now.getTime()) throw new RangeError('a link must expire after it is issued');
  const token = newToken();
  const row = await trx
    .insertInto('secure_link')
    .values({ token_hash: hashToken(token), purpose: link.purpose, representation_id: link.representationId, expires_at: link.expiresAt.toISOString(), used_at: null, created_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token, path: secureLinkPath(link.purpose, token) };
}

/**
 * Gives link `id` a new token (the old one stops working) and returns its path, or undefined
 * when the link is used or expired. The outbox worker calls it as it sends an email, so the
 * token exists only in the email.
 */
export async function freshToken(db: Kysely<Database>, id: number, now: Date): Promise<IssuedLink | undefined> {
  const row = await db.selectFrom('secure_link').select(['purpose']).where('id', '=', id).executeTakeFirst();
  if (row === undefined) return undefined;
  const token = newToken();
  const result = await db
    .updateTable('secure_link')
    .set({ token_hash: hashToken(token) })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return undefined;
  return { id, token, path: secureLinkPath(row.purpose as SecureLinkPurpose, token) };
}

/** Uses up link `id` if it is still unused; false when it was already used (by this request's twin, say). */
export async function markSecureLinkUsed(trx: Kysely<Database>, id: number, now: Date): Promise<boolean> {
  const result = await trx.updateTable('secure_link').set({ used_at: now.toISOString() }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export class SecureLinkService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  issue(trx: Kysely<Database>, link: { readonly purpose: SecureLinkPurpose; readonly representationId: number; readonly expiresAt: Date }): Promise<IssuedLink> {
    return issueSecureLink(trx, link, this.clock());
  }

  /** The link `token` opens for `purpose` now, or why it does not work. */
  async resolve(token: string, purpose: SecureLinkPurpose, now: Date = this.clock(), db: Kysely<Database> = this.db): Promise<ResolvedLink> {
    if (!isWellFormedToken(token)) return { ok: false, refusal: 'unknown' };
    const row = await db
      .selectFrom('secure_link')
      .select(['id', 'purpose', 'representation_id', 'expires_at', 'used_at'])
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    const refusal = refusalOf(row === undefined ? undefined : { purpose: row.purpose, expiresAt: row.expires_at, usedAt: row.used_at }, purpose, now);
    if (row === undefined || refusal !== undefined) {
      // A link of another purpose is no link at all for this one.
      return row === undefined || refusal === 'unknown' ? { ok: false, refusal: 'unknown' } : { ok: false, refusal: refusal ?? 'unknown', representationId: row.representation_id, linkId: row.id };
    }
    return { ok: true, link: { id: row.id, purpose, representationId: row.representation_id, expiresAt: row.expires_at } };
  }

  markUsed(trx: Kysely<Database>, id: number): Promise<boolean> {
    return markSecureLinkUsed(trx, id, this.clock());
  }

  /** Uses up every unused link of `purpose` for the representation; returns how many. */
  async retire(trx: Kysely<Database>, purpose: SecureLinkPurpose, representationId: number): Promise<number> {
    const result = await trx
      .updateTable('secure_link')
      .set({ used_at: this.clock().toISOString() })
      .where('purpose', '=', purpose)
      .where('representation_id', '=', representationId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
