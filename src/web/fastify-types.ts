import type { User } from '../db/user-repository.ts';
import type { Access } from '../domain/users/roles.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, set from the session cookie before any handler runs. */
    user: User | undefined;
    sessionToken: string | undefined;
  }
  interface FastifyContextConfig {
    /** Who may use the route. A route that does not say is refused to everyone. */
    access?: Access;
  }
}
