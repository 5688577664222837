import type { FastifyRequest } from 'fastify';
import type { Actor } from '../app/clock.ts';
import type { StaffActor } from '../app/registration-service.ts';

/** The audit trail's "who, from where" for a request. */
export function actorOf(request: FastifyRequest): Actor {
  return { userId: request.user?.id ?? null, ip: request.ip, requestId: request.id };
}

/** The signed-in member of staff behind a request, for actions on cases. */
export function staffActorOf(request: FastifyRequest): StaffActor {
  const user = request.user;
  if (user === undefined) throw new Error('staffActorOf needs a signed-in user: declare the route for signed-in roles');
  return { ...actorOf(request), userId: user.id, roles: user.roles, teamId: user.teamId };
}
