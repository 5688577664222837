/**
 * A case's files in the API (`GET /api/v1/representations/{reference}/attachments/{id}`): the
 * files sent with a representation and the Stage 2 investigation report, as `GET …/stages`
 * lists them. The same rule as the case page's download (`AttachmentService.downloadForCase`):
 * only for a user who may see the case in full — those appointed to it only while appointed —
 * and otherwise 404, as for a file that is not the case's. Always a download
 * (`Content-Disposition: attachment`, `nosniff`), each audited.
 */
import type { FastifyPluginCallback } from 'fastify';
import type { Container } from '../container.ts';
import { contentDisposition, FILE_KIND_INFO, FILE_KINDS } from '../domain/attachments/file-kinds.ts';
import { tryParseReference } from '../domain/taxonomies/case-reference.ts';
import { staffActorOf } from '../web/actor.ts';
import { CASE_READERS } from '../web/cases/case-access.ts';
import { wholeNumberOf } from '../web/forms.ts';
import { apiPaths } from './api-paths.ts';
import { checkedInHandler, errorResponse, plainJson, sendError } from './api-errors.ts';

export function attachmentApi(container: Container): FastifyPluginCallback {
  return (app, _options, done) => {
    app.get<{ Params: { reference: string; attachmentId: string } }>(
      apiPaths.representationAttachment.pattern,
      {
        config: { access: CASE_READERS, scope: 'representations:read' },
        schema: {
          summary: 'Download one of a case’s files (a file sent with it, or its investigation report)',
          operationId: 'downloadRepresentationAttachment',
          description: 'The bytes as stored, with the media type detected when the file was kept, `Content-Disposition: attachment` and `X-Content-Type-Options: nosniff`. Every download is audited.',
          tags: ['stages 2 and 3'],
          security: [{ bearer: [] }],
          params: { type: 'object', properties: { reference: { type: 'string' }, attachmentId: { type: 'string' } }, required: ['reference', 'attachmentId'] },
          response: {
            200: {
              description: 'The file, as its bytes (not JSON), in the media type detected when it was kept.',
              content: Object.fromEntries(FILE_KINDS.map((kind) => [FILE_KIND_INFO[kind].mediaType, { schema: { type: 'string', format: 'binary' } }])),
            },
            401: errorResponse('`unauthenticated`'),
            403: errorResponse('`forbidden` (scope or role).'),
            404: errorResponse('`not_found`: no such case or file, a file that is not the case’s, or a case the user may not see.'),
          },
        },
        validatorCompiler: checkedInHandler,
        serializerCompiler: plainJson,
      },
      async (request, reply) => {
        const attachmentId = wholeNumberOf(request.params.attachmentId);
        const { reference } = request.params;
        const found =
          attachmentId === undefined || tryParseReference(reference) === undefined ? undefined : await container.attachments.downloadForCase(reference, attachmentId, staffActorOf(request));
        if (found === undefined) return sendError(reply, 404, 'not_found', 'There is no such file on a case you can see');
        return reply
          .type(found.attachment.mediaType)
          .header('content-disposition', contentDisposition(found.attachment.fileName))
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'no-store')
          .send(found.bytes);
      },
    );
    done();
  };
}
