/**
 * GET /metrics, in Prometheus's text format (src/web/metrics/metrics.ts). With METRICS_TOKEN
 * set, only a request bearing it (`Authorization: Bearer …`) is answered (401 otherwise);
 * without one, it is open in development and tests and not served at all in production (404).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyPluginCallback } from 'fastify';
import type { Container } from '../../container.ts';
import { paths } from '../paths.ts';
import type { AppMetrics } from './metrics.ts';

/** Compares digests, so the time taken says nothing about the token. */
function isToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

export function metricsRoutes(container: Container, metrics: AppMetrics): FastifyPluginCallback {
  const { metricsToken, env } = container.config;
  return (app, _options, done) => {
    app.get(paths.metrics.pattern, { config: { access: 'public' } }, async (request, reply) => {
      if (metricsToken === undefined && env === 'production') {
        reply.callNotFound();
        return reply;
      }
      if (metricsToken !== undefined) {
        const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
        if (!isToken(bearer, metricsToken)) {
          return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').type('text/plain; charset=utf-8').send('The metrics need the METRICS_TOKEN as a bearer token.\n');
        }
      }
      const text = await metrics.render();
      return reply.type(metrics.registry.contentType).send(text);
    });
    done();
  };
}
