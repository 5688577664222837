/**
 * The API's error replies, one shape everywhere: `{ "error": { "code", "message" } }`, with
 * `problems` (every problem, each with the field it is about) when a request does not
 * validate. Codes are the domain's stable codes.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { DomainError } from '../domain/errors.ts';

export const apiProblem = z.object({
  code: z.string(),
  message: z.string(),
  field: z.string().nullable().describe('The request property the problem is about (null when none).'),
});

export const apiError = z.object({
  error: z.object({
    code: z.string().describe('Stable, machine-readable: see each response for the codes it gives.'),
    message: z.string().describe('Plain English, safe to show to a member of staff.'),
    field: z.string().nullable().optional(),
    problems: z.array(apiProblem).optional().describe('For 400: every problem with the request, the first one being `code` and `message`.'),
  }),
});

export type ApiErrorBody = z.infer<typeof apiError>;

/** The error schema for the OpenAPI document, with what this response means and its codes. */
export function errorResponse(description: string): Record<string, unknown> {
  return { ...z.toJSONSchema(apiError, { target: 'openapi-3.0' }), description };
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } } satisfies ApiErrorBody);
}

/** 400 listing every problem; the first is the error's own code and message. */
export function problemsReply(reply: FastifyReply, problems: readonly DomainError[]): FastifyReply {
  const [first] = problems;
  return reply.code(400).send({
    error: {
      code: first?.code ?? 'invalid_request',
      message: first?.message ?? 'The request is not valid',
      problems: problems.map((p) => ({ code: p.code, message: p.message, field: p.field ?? null })),
    },
  } satisfies ApiErrorBody);
}

/** Sends replies as they are: the zod schemas document them (and tests check replies against them). */
export const plainJson = (): ((data: unknown) => string) => (data) => JSON.stringify(data);

/** The request is checked by zod in the handler, so that its errors take the API's shape. */
export const checkedInHandler = (): (() => true) => () => true;
