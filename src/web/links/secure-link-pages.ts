/**
 * What every page opened by a secure link (src/app/secure-link-service.ts) does with a link
 * that does not work. The pages show nobody's data. A token that never existed and one that
 * expired get the same page and status (404), so a guess learns nothing; a used link may say
 * so in the feature's words (410). Secure-link pages are not cached nor indexed.
 *
 * Routes for a secure link also take `SECURE_LINK_RATE_LIMIT` (src/domain/links/secure-link.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SecureLinkRefusal } from '../../domain/links/secure-link.ts';
import { renderPage } from '../render.ts';

export interface UsedLinkWording {
  /** The page's heading, e.g. "You have already answered". */
  readonly title: string;
  readonly message: string;
}

/** Headers for every page a secure link opens. */
export function secureLinkHeaders(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store');
  reply.header('x-robots-tag', 'noindex');
}

export function renderLinkRefusal(request: FastifyRequest, reply: FastifyReply, refusal: SecureLinkRefusal, used: UsedLinkWording): Promise<FastifyReply> {
  secureLinkHeaders(reply);
  if (refusal === 'used') {
    reply.code(410);
    return renderPage(request, reply, 'pages/links/link-used.njk', { title: used.title, message: used.message });
  }
  reply.code(404);
  return renderPage(request, reply, 'pages/links/link-not-working.njk', { title: 'This link does not work' });
}
