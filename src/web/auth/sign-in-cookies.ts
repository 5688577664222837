/**
 * The cookies of signing in: the session (granted once every step is done), the pending
 * sign-in (between the password and the last step; it grants nothing), and the device cookie
 * that marks a browser this account signed in on before, so that guessing from elsewhere does
 * not slow its owner down. All signed and HTTP-only.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { newDeviceValue, type PendingStep } from '../../app/auth-service.ts';
import { paths } from '../paths.ts';

export const SESSION_COOKIE = 'redress_session';
export const PENDING_SIGN_IN_COOKIE = 'redress_sign_in';
export const DEVICE_COOKIE = 'redress_device';

const DEVICE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

function cookieOptions(container: Container) {
  return { signed: true, httpOnly: true, sameSite: 'lax' as const, secure: container.config.secureCookies, path: '/' };
}

/** The value of a signed cookie, or undefined when it is missing or its signature is wrong. */
export function signedCookie(request: FastifyRequest, name: string): string | undefined {
  const raw = request.cookies[name];
  if (raw === undefined) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid ? unsigned.value : undefined;
}

/** Gives the browser its session (and a device cookie for this account), ending any pending sign-in. */
export function setSessionCookies(reply: FastifyReply, container: Container, token: string, email: string): void {
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(container));
  reply.setCookie(DEVICE_COOKIE, newDeviceValue(email), { ...cookieOptions(container), maxAge: DEVICE_MAX_AGE_SECONDS });
  reply.clearCookie(PENDING_SIGN_IN_COOKIE, { path: '/' });
}

export function setPendingCookie(reply: FastifyReply, container: Container, token: string): void {
  reply.setCookie(PENDING_SIGN_IN_COOKIE, token, cookieOptions(container));
}

const STEP_PAGES: Readonly<Record<PendingStep, string>> = {
  code: paths.signInCode.url(),
  enrol: paths.signInAuthenticator.url(),
  change_password: paths.signInNewPassword.url(),
};

/** Where the browser goes for a pending sign-in's step. */
export function pendingStepUrl(step: PendingStep): string {
  return STEP_PAGES[step];
}
