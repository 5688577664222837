import type { FastifyRequest } from 'fastify';
import type { Actor } from '../app/clock.ts';

/** The audit trail's "who, from where" for a request. */
export function actorOf(request: FastifyRequest): Actor {
  return { userId: request.user?.id ?? null, ip: request.ip, requestId: request.id };
}
