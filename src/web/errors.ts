/**
 * Maps failures to GOV.UK error pages (and to coded JSON under /api): 404, 403, 429 and
 * 500, in the public layout on the public pages. Stack traces are shown only in
 * development; logs never carry request bodies.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.ts';
import { renderPage } from './render.ts';
import { paths } from './paths.ts';

interface ErrorPage {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly template: string;
}

const PAGES = {
  badRequest: { status: 400, code: 'bad_request', title: 'Sorry, there is a problem with your request', template: 'pages/errors/bad-request.njk' },
  // API only: the web sends a signed-out visitor to sign in instead.
  unauthenticated: { status: 401, code: 'unauthenticated', title: 'Send a valid API token: Authorization: Bearer <token>', template: 'pages/errors/forbidden.njk' },
  forbidden: { status: 403, code: 'forbidden', title: 'You do not have access to this page', template: 'pages/errors/forbidden.njk' },
  csrf: { status: 403, code: 'csrf_invalid', title: 'Your form could not be sent', template: 'pages/errors/csrf.njk' },
  notFound: { status: 404, code: 'not_found', title: 'Page not found', template: 'pages/errors/not-found.njk' },
  tooMany: { status: 429, code: 'too_many_requests', title: 'Too many requests', template: 'pages/errors/too-many-requests.njk' },
  serverError: { status: 500, code: 'server_error', title: 'Sorry, there is a problem with the service', template: 'pages/errors/server-error.njk' },
} as const satisfies Record<string, ErrorPage>;

export type ErrorPageName = keyof typeof PAGES;

const isApi = (request: FastifyRequest): boolean => request.url.startsWith('/api/v1/');

/** The public pages' paths (the contact form, and the pages secure links in emails open): their errors use the public layout. */
const PUBLIC_PATH_PREFIXES: readonly string[] = [paths.contactUs.url(), `/${paths.nextStageSent.url().split('/')[1] ?? 'respond'}`];

function isPublicPage(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return PUBLIC_PATH_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

export async function sendErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  name: ErrorPageName,
  extra: { message?: string; detail?: string } = {},
): Promise<FastifyReply> {
  const page = PAGES[name];
  reply.code(page.status);
  if (isApi(request)) {
    return reply.send({ error: { code: page.code, message: extra.message ?? page.title } });
  }
  // On a public page the error keeps the public layout: "Exit this page", no staff navigation.
  const publicPage = isPublicPage(request) ? { errorLayout: 'public-layout.njk', startHref: paths.contactUs.url() } : {};
  return renderPage(request, reply, page.template, { title: page.title, message: extra.message, detail: extra.detail, ...publicPage });
}

/** Which error page a refusal's code gets (the others are shown as a bad request with their message). */
export type RefusalPages = Readonly<Record<string, 'notFound' | 'forbidden'>>;

/** A refusal that is not about a form's answers, as an error page: 404, 403 with its message, or 400 with its message. */
export function sendRefusalPage(request: FastifyRequest, reply: FastifyReply, error: { code: string; message: string }, pages: RefusalPages): Promise<FastifyReply> {
  const page = pages[error.code];
  if (page === 'notFound') return sendErrorPage(request, reply, 'notFound');
  return sendErrorPage(request, reply, page ?? 'badRequest', { message: error.message });
}

export function installErrorHandling(app: FastifyInstance, isDevelopment: boolean): void {
  app.setNotFoundHandler({ preHandler: undefined }, (request, reply) => sendErrorPage(request, reply, 'notFound'));

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
      return sendErrorPage(request, reply, 'csrf');
    }
    if (error instanceof DomainError) {
      reply.code(400);
      if (isApi(request)) return reply.send({ error: { code: error.code, message: error.message } });
      return sendErrorPage(request, reply, 'badRequest', { message: error.message });
    }
    const status = error.statusCode ?? 500;
    if (status === 429) return sendErrorPage(request, reply, 'tooMany');
    if (status === 404) return sendErrorPage(request, reply, 'notFound');
    if (status >= 400 && status < 500) {
      if (isApi(request)) return reply.code(status).send({ error: { code: error.code.toLowerCase(), message: error.message } });
      return sendErrorPage(request, reply, 'badRequest');
    }
    request.log.error({ err: { type: error.name, message: error.message, stack: error.stack }, route: request.routeOptions.url }, 'request failed');
    return sendErrorPage(request, reply, 'serverError', isDevelopment ? { detail: error.stack ?? error.message } : {});
  });
}
