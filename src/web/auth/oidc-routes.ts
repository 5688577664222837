/**
 * Single sign-on pages: `/sign-in/oidc` sends the browser to the council's provider, and
 * `/sign-in/oidc/callback` is where the provider sends it back (src/app/oidc-service.ts does
 * the checking). Both answer 404 when single sign-on is not set up.
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import type { OidcRefusal } from '../../app/oidc-service.ts';
import { OIDC_ATTEMPT_LIFETIME_MS } from '../../app/oidc-service.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { sendErrorPage } from '../errors.ts';
import { actorOf } from '../actor.ts';
import { SESSION_COOKIE, safeReturnTo } from './auth-routes.ts';

/** The handle of the sign-in in progress: sent only to the callback, for as long as the attempt lasts. */
export const OIDC_COOKIE = 'redress_oidc';

/** What the person is told for each refusal: what happened and what to do. */
const REFUSALS: Readonly<Record<OidcRefusal, { readonly status: number; readonly message: string }>> = {
  no_attempt: { status: 400, message: 'We could not match this sign-in to one started from Redress in this browser. It may have been used already, or your browser may not have kept its cookie.' },
  expired: { status: 400, message: 'You took too long to sign in at your council account, so this sign-in has expired.' },
  state_mismatch: { status: 400, message: 'The reply from your council account did not match the sign-in started from Redress, so it was refused.' },
  nonce_mismatch: { status: 400, message: 'The reply from your council account did not match the sign-in started from Redress, so it was refused.' },
  provider_error: { status: 400, message: 'Your council account did not sign you in: the sign-in was cancelled or refused.' },
  invalid_response: { status: 400, message: 'The reply from your council account could not be checked, so it was refused.' },
  provider_unreachable: { status: 502, message: 'Redress could not reach your council’s sign-in service. Try again in a few minutes.' },
  email_missing: { status: 400, message: 'Your council account did not give Redress your email address. Ask your Redress administrator for help.' },
  email_not_verified: {
    status: 400,
    message: 'There is already a Redress account with your email address, but your council account did not confirm that the address is yours. Ask your Redress administrator for help.',
  },
  account_disabled: { status: 403, message: 'Your Redress account has been disabled. Ask your Redress administrator if you need access.' },
};

export function oidcRoutes(container: Container): FastifyPluginCallback {
  const { oidc, config } = container;
  const cookieOptions = { signed: true, httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: paths.signInOidcCallback.url() } as const;

  const problem = (request: FastifyRequest, reply: FastifyReply, status: number, message: string) =>
    renderPage(request, reply.code(status), 'pages/sign-in-oidc-problem.njk', { title: 'You could not be signed in', message });

  return (app, _options, done) => {
    app.get<{ Querystring: { returnTo?: string } }>(
      paths.signInOidc.pattern,
      { config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } } },
      async (request, reply) => {
        if (oidc === undefined) return sendErrorPage(request, reply, 'notFound');
        const returnTo = safeReturnTo(request.query.returnTo);
        if (request.user) return reply.redirect(returnTo);
        let started: { handle: string; redirectTo: string };
        try {
          started = await oidc.begin(returnTo);
        } catch (error) {
          request.log.warn({ err: { type: error instanceof Error ? error.name : 'unknown', code: (error as { code?: unknown }).code } }, 'single sign-on provider unreachable');
          return problem(request, reply, 502, REFUSALS.provider_unreachable.message);
        }
        reply.setCookie(OIDC_COOKIE, started.handle, { ...cookieOptions, maxAge: OIDC_ATTEMPT_LIFETIME_MS / 1000 });
        return reply.redirect(started.redirectTo, 303);
      },
    );

    app.get(paths.signInOidcCallback.pattern, { config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (request, reply) => {
      if (oidc === undefined) return sendErrorPage(request, reply, 'notFound');
      const raw = request.cookies[OIDC_COOKIE];
      const unsigned = raw === undefined ? undefined : request.unsignCookie(raw);
      const handle = unsigned?.valid === true ? unsigned.value : undefined;
      reply.clearCookie(OIDC_COOKIE, { path: cookieOptions.path });
      // The address the provider redirected to, as registered (PUBLIC_BASE_URL), with the reply's parameters.
      const callbackUrl = new URL(oidc.settings.redirectUri);
      callbackUrl.search = new URL(request.url, 'http://redress.invalid').search;

      const result = await oidc.finish(handle, callbackUrl, actorOf(request), request.sessionToken);
      switch (result.kind) {
        case 'signed_in':
          reply.setCookie(SESSION_COOKIE, result.token, { signed: true, httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/' });
          return reply.redirect(safeReturnTo(result.returnTo), 303);
        case 'account_created':
          return renderPage(request, reply, 'pages/sign-in-oidc-no-access.njk', { title: 'Your account has been created', isNew: true });
        case 'no_access':
          return renderPage(request, reply, 'pages/sign-in-oidc-no-access.njk', { title: 'You do not have access to Redress yet', isNew: false });
        case 'refused': {
          const refusal = REFUSALS[result.reason];
          return problem(request, reply, refusal.status, refusal.message);
        }
      }
    });
    done();
  };
}
