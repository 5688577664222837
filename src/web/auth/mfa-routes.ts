/**
 * The steps of a local sign-in after the password (a code from the authenticator app or a
 * recovery code; setting up the app where one is required; a new password where an
 * administrator set the last one), the account page where staff change their password and
 * get new recovery codes, and an administrator's reset of someone's lost authenticator.
 *
 * A pending sign-in lives in its own cookie and grants nothing: request.user stays unset, so
 * every other page still sends the browser to sign in. The session is made, with a new
 * token, only when the last step is done.
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { Container } from '../../container.ts';
import type { PendingStep } from '../../app/auth-service.ts';
import type { PendingSignIn, StepOutcome } from '../../app/mfa-service.ts';
import { groupSecret } from '../../domain/auth/totp.ts';
import type { Role } from '../../domain/users/roles.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { formErrors, formText, tryAction, type FormBody, type FormErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';
import { PENDING_SIGN_IN_COOKIE, pendingStepUrl, setSessionCookies, signedCookie } from './sign-in-cookies.ts';
import { safeReturnTo } from './auth-routes.ts';

const MANAGE: readonly Role[] = ['admin'];

function minutesText(seconds: number): string {
  const n = Math.max(1, Math.ceil(seconds / 60));
  return `${n} minute${n === 1 ? '' : 's'}`;
}

async function qrCodeSvg(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return svg.replace('<svg ', '<svg width="200" height="200" focusable="false" aria-hidden="true" ');
}

export function mfaRoutes(container: Container): FastifyPluginCallback {
  const { mfa } = container;

  /** The pending sign-in of this browser, when it is at `step`; otherwise the reply (a redirect) has been sent. */
  async function pendingAt(request: FastifyRequest, reply: FastifyReply, step: PendingStep): Promise<PendingSignIn | undefined> {
    const token = signedCookie(request, PENDING_SIGN_IN_COOKIE);
    const pending = token === undefined ? undefined : await mfa.findPending(token);
    if (!pending) {
      reply.clearCookie(PENDING_SIGN_IN_COOKIE, { path: '/' });
      await reply.redirect(paths.signIn.url(), 303);
      return undefined;
    }
    if (pending.step !== step) {
      await reply.redirect(pendingStepUrl(pending.step), 303);
      return undefined;
    }
    return pending;
  }

  /** After a step: on to the next one, or signed in (new session cookie) and on to where the user was going. */
  function follow(reply: FastifyReply, pending: PendingSignIn, outcome: StepOutcome): string {
    if (outcome.kind === 'next') return pendingStepUrl(outcome.step);
    setSessionCookies(reply, container, outcome.token, pending.user.email);
    return safeReturnTo(outcome.returnTo);
  }

  async function renderAuthenticator(request: FastifyRequest, reply: FastifyReply, pending: PendingSignIn, errors?: FormErrors) {
    const enrolment = await mfa.enrolment(pending);
    return renderPage(request, reply, 'pages/auth/sign-in-authenticator.njk', {
      title: 'Set up an authenticator app',
      qrCode: await qrCodeSvg(enrolment.uri),
      secret: groupSecret(enrolment.secret),
      isAdmin: pending.user.roles.includes('admin'),
      errors,
    });
  }

  function renderRecoveryCodes(request: FastifyRequest, reply: FastifyReply, codes: readonly string[], continueUrl: string, isFirst: boolean) {
    return renderPage(request, reply, 'pages/auth/recovery-codes.njk', { title: 'Your recovery codes', codes, continueUrl, isFirst });
  }

  function renderNewPassword(request: FastifyRequest, reply: FastifyReply, forced: boolean, errors?: FormErrors) {
    return renderPage(request, reply, 'pages/auth/new-password.njk', {
      title: forced ? 'Choose a new password' : 'Change your password',
      forced,
      action: forced ? paths.signInNewPassword.url() : paths.accountPassword.url(),
      errors,
    });
  }

  return (app, _options, done) => {
    app.get(paths.signInCode.pattern, { config: { access: 'public' } }, async (request, reply) => {
      const pending = await pendingAt(request, reply, 'code');
      if (!pending) return reply;
      return renderPage(request, reply, 'pages/auth/sign-in-code.njk', { title: 'Enter the code from your authenticator app' });
    });

    app.post(paths.signInCode.pattern, { config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (request, reply) => {
      const pending = await pendingAt(request, reply, 'code');
      if (!pending) return reply;
      const code = formText((request.body ?? {}) as FormBody, 'code').slice(0, 40);
      const render = (message: string) => renderPage(request, reply, 'pages/auth/sign-in-code.njk', { title: 'Enter the code from your authenticator app', errors: formErrors([{ field: 'code', message }]) });
      if (code === '') return render('Enter the 6-digit code from your authenticator app');
      const result = await mfa.verifyCode(pending, code, actorOf(request));
      switch (result.kind) {
        case 'wrong':
          return render('The code is not right. Enter the 6-digit code your authenticator app shows now, or one of your recovery codes');
        case 'replayed':
          return render('That code has already been used. Wait for your authenticator app to show a new code, then enter it');
        case 'throttled':
          reply.code(429).header('retry-after', String(result.retryAfterSeconds));
          return render(`Too many wrong codes. Wait ${minutesText(result.retryAfterSeconds)} and try again`);
        case 'accepted':
          return reply.redirect(follow(reply, pending, result.outcome), 303);
      }
    });

    app.get(paths.signInAuthenticator.pattern, { config: { access: 'public' } }, async (request, reply) => {
      const pending = await pendingAt(request, reply, 'enrol');
      if (!pending) return reply;
      return renderAuthenticator(request, reply, pending);
    });

    app.post(paths.signInAuthenticator.pattern, { config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (request, reply) => {
      const pending = await pendingAt(request, reply, 'enrol');
      if (!pending) return reply;
      const code = formText((request.body ?? {}) as FormBody, 'code').slice(0, 40);
      const fail = (message: string) => renderAuthenticator(request, reply, pending, formErrors([{ field: 'code', message }]));
      if (code === '') return fail('Enter the 6-digit code your authenticator app shows');
      const result = await mfa.confirmEnrolment(pending, code, actorOf(request));
      switch (result.kind) {
        case 'wrong':
          return fail('The code is not right. Check the app shows Redress, then enter the 6-digit code it shows now');
        case 'expired':
          return reply.redirect(paths.signInAuthenticator.url(), 303);
        case 'throttled':
          reply.code(429).header('retry-after', String(result.retryAfterSeconds));
          return fail(`Too many wrong codes. Wait ${minutesText(result.retryAfterSeconds)} and try again`);
        case 'enrolled':
          return renderRecoveryCodes(request, reply, result.recoveryCodes, follow(reply, pending, result.outcome), true);
      }
    });

    app.get(paths.signInNewPassword.pattern, { config: { access: 'public' } }, async (request, reply) => {
      const pending = await pendingAt(request, reply, 'change_password');
      if (!pending) return reply;
      return renderNewPassword(request, reply, true);
    });

    app.post(paths.signInNewPassword.pattern, { config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (request, reply) => {
      const pending = await pendingAt(request, reply, 'change_password');
      if (!pending) return reply;
      const body = (request.body ?? {}) as FormBody;
      const password = typeof body.newPassword === 'string' ? body.newPassword.slice(0, 500) : '';
      const confirmation = typeof body.confirmPassword === 'string' ? body.confirmPassword.slice(0, 500) : '';
      const result = await tryAction(() => mfa.setRequiredPassword(pending, password, confirmation, actorOf(request)), 'newPassword');
      if (!result.ok) return renderNewPassword(request, reply, true, result.errors);
      return reply.redirect(follow(reply, pending, result.value), 303);
    });

    app.get(paths.account.pattern, { config: { access: 'signed_in' } }, async (request, reply) => {
      const user = request.user;
      if (!user) return reply;
      const status = await mfa.status(user.id, user.roles);
      const query = request.query as { changed?: string };
      return renderPage(request, reply, 'pages/auth/account.njk', { title: 'Your account', status, changed: query.changed === 'password' });
    });

    app.get(paths.accountPassword.pattern, { config: { access: 'signed_in' } }, (request, reply) => renderNewPassword(request, reply, false));

    app.post(paths.accountPassword.pattern, { config: { access: 'signed_in', rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (request, reply) => {
      const user = request.user;
      if (!user) return reply;
      const body = (request.body ?? {}) as FormBody;
      const text = (name: string) => (typeof body[name] === 'string' ? body[name].slice(0, 500) : '');
      const result = await tryAction(
        () => mfa.changePassword(user.id, text('currentPassword'), text('newPassword'), text('confirmPassword'), actorOf(request)),
        'currentPassword',
      );
      if (!result.ok) return renderNewPassword(request, reply, false, result.errors);
      // Every session of the user ended; this browser carries on in a new one.
      setSessionCookies(reply, container, result.value, user.email);
      return reply.redirect(paths.account.url({ changed: 'password' }), 303);
    });

    app.post(paths.accountRecoveryCodes.pattern, { config: { access: 'signed_in' } }, async (request, reply) => {
      const user = request.user;
      if (!user) return reply;
      const result = await tryAction(() => mfa.regenerateRecoveryCodes(user.id, actorOf(request)), 'form');
      if (!result.ok) return reply.redirect(paths.account.url(), 303);
      return renderRecoveryCodes(request, reply, result.value, paths.account.url(), false);
    });

    app.post<{ Params: { userId: string } }>(paths.userMfaReset.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const id = Number(request.params.userId);
      const target = (await container.users.list()).find((u) => u.id === id);
      if (!target) {
        reply.callNotFound();
        return reply;
      }
      await mfa.reset(target.email, actorOf(request));
      return reply.redirect(paths.users.url({ authenticatorReset: String(target.id) }), 303);
    });
    done();
  };
}
