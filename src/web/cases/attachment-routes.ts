/**
 * A case's files, downloaded (`GET /cases/:reference/attachments/:attachmentId`). Open to
 * the case readers, and then only to those who may see the case in full (the case page's
 * rule): for anyone else, and for a file that is not the case's, the page is not found.
 * Always a download (`Content-Disposition: attachment`, the type as detected when it was
 * stored, `nosniff`, a sandboxing CSP), never shown inline; each download is audited.
 */
import type { FastifyPluginCallback } from 'fastify';
import type { Container } from '../../container.ts';
import { contentDisposition } from '../../domain/attachments/file-kinds.ts';
import { tryParseReference } from '../../domain/taxonomies/case-reference.ts';
import { staffActorOf } from '../actor.ts';
import { wholeNumberOf } from '../forms.ts';
import { paths } from '../paths.ts';
import { CASE_READERS } from './case-access.ts';

export function attachmentRoutes(container: Container): FastifyPluginCallback {
  return (app, _options, done) => {
    app.get<{ Params: { reference: string; attachmentId: string } }>(paths.caseAttachment.pattern, { config: { access: CASE_READERS } }, async (request, reply) => {
      const { reference } = request.params;
      const attachmentId = wholeNumberOf(request.params.attachmentId);
      const found =
        attachmentId === undefined || tryParseReference(reference) === undefined
          ? undefined
          : await container.attachments.downloadForCase(reference, attachmentId, staffActorOf(request));
      if (found === undefined) {
        reply.callNotFound();
        return reply;
      }
      return reply
        .type(found.attachment.mediaType)
        .header('content-disposition', contentDisposition(found.attachment.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'no-store')
        .send(found.bytes);
    });
    done();
  };
}
