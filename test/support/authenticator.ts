/**
 * An authenticator app, as a test holds it: the secrets it was given at enrolment (read from
 * the set-up page, as a person would type them), and the codes it shows at a given time,
 * computed here with the project's TOTP. The server refuses a code whose 30-second step was
 * already used, and test clocks stand still, so a test signing the same account in twice asks
 * `nextCode` and moves its clock on to a fresh step when it must.
 */
import { base32Decode, totpCode, totpStep } from '../../src/domain/auth/totp.ts';

interface Enrolled {
  readonly secret: Uint8Array;
  lastStep: number | undefined;
}

const enrolled = new Map<string, Enrolled>();

/** Remembers the secret shown on the set-up page for `account` (any key naming the server and user). */
export function rememberSecret(account: string, base32: string): Uint8Array {
  const secret = base32Decode(base32);
  if (secret === undefined || secret.length === 0) throw new Error(`not a base32 secret: ${base32}`);
  enrolled.set(account, { secret, lastStep: undefined });
  return secret;
}

export function hasSecret(account: string): boolean {
  return enrolled.has(account);
}

/** The code the app shows at `at`, and its step; remembered as used. */
export function codeAt(account: string, at: Date): { code: string; step: number } {
  const entry = enrolled.get(account);
  if (!entry) throw new Error(`no authenticator set up for ${account} in this test run`);
  const step = totpStep(at);
  entry.lastStep = step;
  return { code: totpCode(entry.secret, at), step };
}

/** Whether the code for `at` was already used (the server would refuse it as a replay). */
export function isStepUsed(account: string, at: Date): boolean {
  const last = enrolled.get(account)?.lastStep;
  return last !== undefined && totpStep(at) <= last;
}

/** The secret from the set-up page's HTML (the key shown for typing in by hand). */
export function secretFromPage(html: string): string {
  const match = /id="secret">([A-Z2-7 ]+)</.exec(html);
  if (!match?.[1]) throw new Error('no set-up key on the authenticator page');
  return match[1];
}
