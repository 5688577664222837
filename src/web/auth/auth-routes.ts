import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import type { Container } from '../../container.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { formErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';
import { DEVICE_COOKIE, pendingStepUrl, SESSION_COOKIE, setPendingCookie, setSessionCookies, signedCookie } from './sign-in-cookies.ts';
import { sendErrorPage } from '../errors.ts';

export { SESSION_COOKIE };

const signInForm = z.object({
  email: z.string().trim().max(320).default(''),
  password: z.string().max(200).default(''),
  returnTo: z.string().max(2000).optional(),
});

/**
 * Only a plain path on this site may be returned to after sign-in (no open redirects): one
 * leading `/` and then printable ASCII with no backslash and no `//` (browsers drop tabs and
 * newlines and read `\` as `/`, so `/<tab>/host` or `/\host` would leave the site; a control
 * character cannot go in a Location header at all). Anything else is the dashboard.
 */
export function safeReturnTo(value: string | undefined): string {
  return isSafeReturnTo(value) ? value : paths.dashboard.url();
}

const BASE = 'http://redress.invalid';

function isSafeReturnTo(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2000) return false;
  if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(value)) return false;
  if (value.includes('\\') || value.includes('//')) return false;
  try {
    return new URL(value, BASE).origin === BASE;
  } catch {
    return false;
  }
}

export function authRoutes(container: Container): FastifyPluginCallback {
  return (app, _options, done) => {
    app.get(paths.home.pattern, { config: { access: 'public' } }, (request, reply) =>
      reply.redirect(request.user ? paths.dashboard.url() : paths.signIn.url()),
    );

    app.get<{ Querystring: { returnTo?: string } }>(paths.signIn.pattern, { config: { access: 'public' } }, (request, reply) => {
      if (request.user) return reply.redirect(safeReturnTo(request.query.returnTo));
      const returnTo = isSafeReturnTo(request.query.returnTo) ? request.query.returnTo : undefined;
      return renderPage(request, reply, 'pages/sign-in.njk', { title: 'Sign in', values: {}, returnTo });
    });

    app.post(
      paths.signIn.pattern,
      { config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } } },
      async (request, reply) => {
        // LOCAL_SIGN_IN=off: staff sign in with their council account only.
        if (!container.config.localSignIn) return sendErrorPage(request, reply, 'notFound');
        const form = signInForm.safeParse(request.body ?? {});
        const values = form.success ? form.data : { email: '', password: '', returnTo: undefined };
        const render = (errors: ReturnType<typeof formErrors>) =>
          renderPage(request, reply, 'pages/sign-in.njk', { title: 'Sign in', errors, values: { email: values.email }, returnTo: values.returnTo });

        const missing = [
          ...(values.email === '' ? [{ field: 'email', message: 'Enter your email address' }] : []),
          ...(values.password === '' ? [{ field: 'password', message: 'Enter your password' }] : []),
        ];
        if (!form.success || missing.length > 0) return render(formErrors(missing.length > 0 ? missing : [{ field: 'email', message: 'Enter your email address and password' }]));

        const result = await container.auth.signIn(values.email, values.password, actorOf(request), {
          returnTo: safeReturnTo(values.returnTo),
          device: signedCookie(request, DEVICE_COOKIE),
        });
        if (result.kind === 'throttled') {
          reply.code(429).header('retry-after', String(result.retryAfterSeconds));
          const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60));
          return render(formErrors([{ field: 'email', message: `Too many failed attempts. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again` }]));
        }
        if (result.kind === 'invalid') {
          // The same message whether or not the account exists.
          return render(formErrors([{ field: 'email', message: 'The email address or password is not right' }]));
        }
        if (result.kind === 'pending') {
          // The password was right; a code, an authenticator or a new password is still needed.
          setPendingCookie(reply, container, result.token);
          return reply.redirect(pendingStepUrl(result.step), 303);
        }
        setSessionCookies(reply, container, result.token, values.email);
        return reply.redirect(safeReturnTo(values.returnTo), 303);
      },
    );

    app.post(paths.signOut.pattern, { config: { access: 'public' } }, async (request, reply) => {
      if (request.sessionToken !== undefined) await container.auth.signOut(request.sessionToken, actorOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      request.user = undefined;
      return renderPage(request, reply, 'pages/signed-out.njk', { title: 'You have signed out' });
    });
    done();
  };
}
