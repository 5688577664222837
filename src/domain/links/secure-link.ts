/**
 * Secure links: a web address sent to a complainant that lets them do one thing without an
 * account — answer the satisfaction questionnaire, ask for Stage 2, ask for Stage 3
 * (issue #7). The address carries a token of 256 random bits (base64url, 43 characters);
 * only its SHA-256 is stored. A link is for one purpose and one representation, expires,
 * and is used once.
 *
 * Pure rules only: the tokens are made and looked up in src/app/secure-link-service.ts.
 */
import { isOneOf } from '../taxonomies/code-list.ts';

export const SECURE_LINK_PURPOSES = ['questionnaire', 'stage2_request', 'stage3_request'] as const;

export type SecureLinkPurpose = (typeof SECURE_LINK_PURPOSES)[number];

export function isSecureLinkPurpose(value: unknown): value is SecureLinkPurpose {
  return isOneOf(SECURE_LINK_PURPOSES, value);
}

/** Random bytes in a token: 256 bits, twice the 128 the issue asks for. */
export const TOKEN_BYTES = 32;

/** A token as issued: 32 bytes in base64url without padding is exactly 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Whether `value` could be a token at all: anything else is refused without a database look-up. */
export function isWellFormedToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value);
}

/** Each purpose's part of the public address: `/respond/<segment>/<token>`. */
export const SECURE_LINK_SEGMENTS: Readonly<Record<SecureLinkPurpose, string>> = {
  questionnaire: 'questionnaire',
  stage2_request: 'stage-2',
  stage3_request: 'stage-3',
};

/** The path a link's token opens (web routes register the same patterns in src/web/paths.ts). */
export function secureLinkPath(purpose: SecureLinkPurpose, token: string): string {
  return `/respond/${SECURE_LINK_SEGMENTS[purpose]}/${encodeURIComponent(token)}`;
}

/** Default lifetimes in days. Stage requests: the 20 working-day request window and some days over (a late request is never refused automatically). */
export const DEFAULT_LIFETIME_DAYS: Readonly<Record<SecureLinkPurpose, number>> = {
  questionnaire: 60,
  stage2_request: 42,
  stage3_request: 42,
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** When a link issued at `now` expires, `days` later (whole days, UTC instants). */
export function expiresAfter(now: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new RangeError('a link lives from 1 to 366 days');
  return new Date(now.getTime() + days * DAY_MS);
}

/** Why a link does not work. `unknown` and `expired` are shown as the same page, so a guess learns nothing. */
export type SecureLinkRefusal = 'unknown' | 'expired' | 'used';

export interface SecureLinkState {
  readonly purpose: string;
  readonly expiresAt: string;
  readonly usedAt: string | null;
}

/** Why the link stored as `state`, looked up for `purpose` at `now`, does not work; undefined when it does. */
export function refusalOf(state: SecureLinkState | undefined, purpose: SecureLinkPurpose, now: Date): SecureLinkRefusal | undefined {
  if (state?.purpose !== purpose) return 'unknown';
  if (state.usedAt !== null) return 'used';
  if (state.expiresAt <= now.toISOString()) return 'expired';
  return undefined;
}

/** Requests a public address may make to secure-link pages in the window: a person needs a handful, a guesser millions. */
export const SECURE_LINK_RATE_LIMIT = { max: 30, timeWindow: '10 minutes' } as const;
