/**
 * Files sent with staff forms and API requests as `multipart/form-data`: `registerUploads`
 * adds `@fastify/multipart` to a scope (the form's fields parsed into `request.body` before
 * the CSRF check, so that the token is read from the form), reading each file part into
 * memory up to `MAX_ATTACHMENT_BYTES`; `uploadOf(request, field)` gives it back. A larger
 * file is kept as its size only, so that the file check refuses it by name on the page
 * ("must be smaller than 10MB"); a body far larger than one file is refused (413) before it
 * is read. An empty file part (a form sent with no file chosen) is no file.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { IncomingFile } from '../app/attachment-service.ts';
import { MAX_ATTACHMENT_BYTES } from '../domain/attachments/file-kinds.ts';

/** A body this much larger than one file is refused before it is read (a form's own fields are far smaller). */
export const UPLOAD_BODY_LIMIT = MAX_ATTACHMENT_BYTES + 512 * 1024;

const uploads = new WeakMap<FastifyRequest, Map<string, IncomingFile>>();

/** Reads an uploaded file into memory, up to the limit; a larger one is marked by its size, not kept. */
async function readUpload(this: FastifyRequest, part: MultipartFile): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_ATTACHMENT_BYTES) chunks.push(chunk);
  }
  const isTooLarge = part.file.truncated || size > MAX_ATTACHMENT_BYTES;
  if (part.filename === '' && size === 0) return;
  const files = uploads.get(this) ?? new Map<string, IncomingFile>();
  files.set(part.fieldname, { fileName: part.filename, bytes: isTooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), size: isTooLarge ? MAX_ATTACHMENT_BYTES + 1 : size });
  uploads.set(this, files);
}

/** The names of the fields files were sent in. */
export function uploadFields(request: FastifyRequest): string[] {
  return [...(uploads.get(request)?.keys() ?? [])];
}

/** The file sent in `field`, when one was. */
export function uploadOf(request: FastifyRequest, field: string): IncomingFile | undefined {
  return uploads.get(request)?.get(field);
}

/**
 * Lets the routes of `scope` take multipart bodies (at most `files` files). `tooLarge` answers a
 * body over `UPLOAD_BODY_LIMIT`, with status 413 already set.
 */
export async function registerUploads(scope: FastifyInstance, options: { files: number; tooLarge: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> | FastifyReply }): Promise<void> {
  scope.addHook('onRequest', async (request, reply) => {
    const length = Number(request.headers['content-length'] ?? '0');
    if (request.method !== 'POST' || !(length > UPLOAD_BODY_LIMIT)) return undefined;
    request.log.info({ event: 'upload_refused', reason: 'too_large', bytes: length }, 'upload refused');
    reply.code(413).header('connection', 'close');
    return options.tooLarge(request, reply);
  });
  await scope.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_ATTACHMENT_BYTES, files: options.files, fields: 200, fieldSize: 64 * 1024, parts: 210, headerPairs: 100 },
    onFile: readUpload,
  });
}
