import type { FastifyPluginCallback } from 'fastify';
import type { Container } from '../../container.ts';
import { isDatabaseReady } from '../../db/database.ts';
import { paths } from '../paths.ts';

/** Liveness (the process answers) and readiness (the database answers too), for load balancers. */
export function healthRoutes(container: Container): FastifyPluginCallback {
  return (app, _options, done) => {
    app.get(paths.healthLive.pattern, { config: { access: 'public' } }, () => ({ status: 'ok' }));
    app.get(paths.healthReady.pattern, { config: { access: 'public' } }, async (_request, reply) => {
      const isReady = await isDatabaseReady(container.db);
      return reply.code(isReady ? 200 : 503).send({ status: isReady ? 'ok' : 'unavailable', database: isReady ? 'ok' : 'unavailable' });
    });
    done();
  };
}
