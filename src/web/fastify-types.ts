import type { User } from '../db/user-repository.ts';
import type { Access } from '../domain/users/roles.ts';
import type { ApiScope } from '../domain/users/api-scopes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, set from the session cookie before any handler runs. */
    user: User | undefined;
    sessionToken: string | undefined;
    /** The scopes of the API token the request came with (API requests only). */
    apiScopes: readonly ApiScope[] | undefined;
  }
  interface FastifyContextConfig {
    /** Who may use the route. A route that does not say is refused to everyone. */
    access?: Access;
    /** For API routes: the token scope needed as well as the roles. */
    scope?: ApiScope;
  }
}
