/**
 * The web application: staff pages (and, later, public pages and the API) on Fastify with
 * the GOV.UK Design System. Every route declares who may use it in `config.access`; a route
 * that does not is refused. Every form post carries a CSRF token.
 */
import './fastify-types.ts';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import nunjucks from 'nunjucks';
import type { Container } from '../container.ts';
import type { TrustProxy } from '../config.ts';
import { canAccess } from '../domain/users/roles.ts';
import { paths } from './paths.ts';
import { installErrorHandling, sendErrorPage } from './errors.ts';
import { authRoutes, SESSION_COOKIE } from './auth/auth-routes.ts';
import { mfaRoutes } from './auth/mfa-routes.ts';
import { oidcRoutes } from './auth/oidc-routes.ts';
import { userRolesRoutes } from './admin/user-roles-routes.ts';
import { dashboardRoutes } from './home/dashboard-routes.ts';
import { healthRoutes } from './health/health-routes.ts';
import { teamRoutes } from './admin/team-routes.ts';
import { userRoutes } from './admin/user-routes.ts';
import { calendarRoutes } from './admin/calendar-routes.ts';
import { notificationRoutes } from './admin/notification-routes.ts';
import { emailCopyRoutes } from './admin/email-copy-routes.ts';
import { councilSettingsRoutes } from './admin/council-settings-routes.ts';
import { retentionRoutes } from './admin/retention-routes.ts';
import { adminIndexRoutes } from './admin/admin-index-routes.ts';
import { apiDocsRoutes } from './api-docs/api-docs-routes.ts';
import { caseRestrictionRoutes } from './cases/case-restriction-routes.ts';
import { caseRoutes } from './cases/case-routes.ts';
import { registrationRoutes } from './cases/registration-routes.ts';
import { caseActionRoutes } from './cases/case-action-routes.ts';
import { ombudsmanRoutes } from './ombudsman/ombudsman-routes.ts';
import { learningRoutes } from './learning/learning-routes.ts';
import { laterStageRoutes } from './cases/later-stage-routes.ts';
import { nextStageRoutes } from './links/next-stage-routes.ts';
import { letterRoutes } from './letters/letter-routes.ts';
import { reportRoutes } from './reports/report-routes.ts';
import { monitoringRoutes } from './reports/monitoring-routes.ts';
import { representationApi } from '../api/representation-api.ts';
import { ombudsmanApi } from '../api/ombudsman-api.ts';
import { learningApi } from '../api/learning-api.ts';
import { laterStageApi } from '../api/later-stage-api.ts';
import { attachmentApi } from '../api/attachment-api.ts';
import { publicRoutes } from './contact/public-routes.ts';
import { interchangeRoutes } from './interchange/interchange-routes.ts';
import { questionnaireRoutes } from './questionnaire/questionnaire-routes.ts';
import { questionnaireReportRoutes } from './reports/questionnaire-report-routes.ts';
import { attachmentRoutes } from './cases/attachment-routes.ts';
import { auditRoutes } from './audit/audit-routes.ts';
import { subjectAccessRoutes } from './audit/subject-access-routes.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';
import { createMetrics } from './metrics/metrics.ts';
import { metricsRoutes } from './metrics/metrics-routes.ts';
import { withLogContext } from '../log-context.ts';
import { systemClock } from '../app/clock.ts';
import { listTableHtml, type ListTableParams } from './list-table.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const govukDist = path.dirname(createRequire(import.meta.url).resolve('govuk-frontend/package.json'));
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const isApi = (url: string): boolean => url.startsWith('/api/v1/');

/**
 * TRUST_PROXY as Fastify takes it: never `true` (src/config.ts), since X-Forwarded-For is
 * whatever the client wrote. A hop count believes that many proxies, counted from the socket
 * (Fastify's own number option trusts none); addresses believe only those proxies.
 */
export function trustProxyOption(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return [...trust];
}

export async function createApp(container: Container): Promise<FastifyInstance> {
  const { config } = container;
  const logger: FastifyBaseLogger = container.logger;
  const app = Fastify({
    loggerInstance: logger,
    // Fastify's own request lines carry the URL (and so search terms): ours below do not.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: 1024 * 1024,
  });

  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    hsts: config.secureCookies,
  });
  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'redress_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: config.secureCookies },
  });
  // Counters live in the database, shared by every process (src/web/rate-limit-store.ts).
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore(container.db.kysely, systemClock) });
  await app.register(view, {
    engine: { nunjucks },
    templates: [path.join(here, 'views'), path.join(govukDist, 'dist')],
    options: {
      onConfigure: (env: nunjucks.Environment) => {
        env.addGlobal('paths', paths);
        // govukTable's markup, written in code: a long list's table costs a fraction of the macro (src/web/list-table.ts).
        env.addGlobal('listTable', (params: ListTableParams) => new nunjucks.runtime.SafeString(listTableHtml(params)));
        env.addGlobal('councilName', config.councilName);
        env.addGlobal('outOfHoursPhone', config.councilOutOfHoursPhone);
        env.addGlobal('serviceName', 'Redress');
        // Where emails are only recorded (development and the demo), every page links to them.
        env.addGlobal('emailCopiesShown', config.notify.transport === 'log');
        // The sign-in page offers single sign-on when it is set up, and the password form unless it is switched off.
        env.addGlobal('signInMethods', { singleSignOn: config.oidc !== undefined, localPasswords: config.localSignIn });
      },
      noCache: config.env === 'development',
    },
  });

  // Assets are public: mark the static routes so the access check lets them through.
  await app.register(async (scope) => {
    scope.addHook('onRoute', (routeOptions) => {
      routeOptions.config = { ...routeOptions.config, access: 'public' };
    });
    await scope.register(fastifyStatic, {
      root: [path.join(govukDist, 'dist/govuk/assets'), path.join(govukDist, 'dist/govuk'), path.join(here, 'public')],
      prefix: '/assets/',
      index: false,
      list: false,
      maxAge: config.env === 'production' ? '1d' : 0,
      allowedPath: (pathname) => !pathname.endsWith('.map') && !pathname.endsWith('.scss') && !pathname.endsWith('.njk'),
    });
  });

  // Every log line written while a request is handled — services' included — carries its id
  // (src/log-context.ts). Set again before the handler: a body's stream events lose it.
  app.addHook('onRequest', (request, _reply, done) => {
    withLogContext({ reqId: request.id }, done);
  });
  app.addHook('preHandler', (request, _reply, done) => {
    withLogContext({ reqId: request.id }, done);
  });

  app.decorateRequest('user', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.decorateRequest('apiScopes', undefined);

  app.addHook('onRequest', async (request) => {
    // The API authenticates by bearer token only: a session cookie there would let another
    // site's page make calls in a signed-in user's name (the API has no CSRF tokens).
    if (isApi(request.url)) {
      const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
      const principal = bearer === undefined ? undefined : await container.apiTokens.authenticate(bearer);
      if (principal) {
        request.user = principal.user;
        request.apiScopes = principal.scopes;
      }
      return;
    }
    const raw = request.cookies[SESSION_COOKIE];
    if (raw === undefined) return;
    const token = request.unsignCookie(raw);
    if (!token.valid) return;
    const session = await container.auth.resolve(token.value);
    if (session) {
      request.user = session.user;
      request.sessionToken = token.value;
    }
  });

  app.addHook('preHandler', async (request, reply) => {
    if (request.is404) return undefined;
    const { access, scope } = request.routeOptions.config;
    const hasScope = scope === undefined || request.apiScopes?.includes(scope) === true;
    if (access !== undefined && canAccess(access, request.user?.roles) && hasScope) return undefined;
    if (access !== undefined && access !== 'public' && request.user === undefined) {
      if (isApi(request.url)) return sendErrorPage(request, reply, 'unauthenticated');
      if (request.method === 'GET') return reply.redirect(paths.signIn.url({ returnTo: request.url }));
    }
    return sendErrorPage(request, reply, 'forbidden');
  });

  // Every form post (the API authenticates with tokens instead) must carry the CSRF token.
  app.addHook('preHandler', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method) || isApi(request.url)) {
      done();
      return;
    }
    app.csrfProtection(request, reply, done);
  });

  // Pages, the API's JSON, downloads and even the public form (whose hidden fields carry what
  // was typed) may carry personal data: no browser or proxy keeps a copy. Only the static
  // assets may be cached.
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
  });

  const metrics = createMetrics(container);
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched'), reply.statusCode, reply.elapsedTime / 1000);
    request.log.info(
      { method: request.method, route: request.is404 ? 'unmatched' : request.routeOptions.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  installErrorHandling(app, config.env === 'development');

  await app.register(swagger, {
    hideUntagged: true,
    openapi: {
      info: { title: 'Redress API', version: '1', description: 'Complaints, comments and compliments about children’s social care. Authenticate with `Authorization: Bearer <token>` (make one with `npx redress token add`).' },
      // The paths carry their /api/v1 prefix: the server is the service's public address.
      servers: [{ url: config.publicBaseUrl, description: 'This Redress service' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  // The API's documentation is public: mark its routes so the access check lets them through.
  await app.register(async (scope) => {
    scope.addHook('onRoute', (routeOptions) => {
      routeOptions.config = { ...routeOptions.config, access: 'public' };
    });
    // Swagger UI sits behind our own accessible page at /api/docs (src/web/api-docs/), which also serves the document.
    await scope.register(swaggerUi, { routePrefix: paths.apiExplorer.url() });
  });

  await app.register(apiDocsRoutes());
  await app.register(healthRoutes(container));
  await app.register(metricsRoutes(container, metrics));
  await app.register(authRoutes(container));
  await app.register(mfaRoutes(container));
  await app.register(oidcRoutes(container));
  await app.register(dashboardRoutes(container));
  await app.register(adminIndexRoutes(container));
  await app.register(teamRoutes(container));
  await app.register(userRoutes(container));
  await app.register(userRolesRoutes(container));
  await app.register(calendarRoutes(container));
  await app.register(notificationRoutes(container));
  await app.register(emailCopyRoutes(container));
  await app.register(councilSettingsRoutes(container));
  await app.register(retentionRoutes(container));
  await app.register(caseRestrictionRoutes(container));
  await app.register(registrationRoutes(container));
  await app.register(caseRoutes(container));
  await app.register(caseActionRoutes(container));
  await app.register(ombudsmanRoutes(container));
  await app.register(learningRoutes(container));
  await app.register(laterStageRoutes(container));
  await app.register(letterRoutes(container));
  await app.register(reportRoutes(container));
  await app.register(auditRoutes(container));
  await app.register(subjectAccessRoutes(container));
  await app.register(monitoringRoutes(container));
  await app.register(representationApi(container));
  await app.register(ombudsmanApi(container));
  await app.register(learningApi(container));
  await app.register(laterStageApi(container));
  await app.register(attachmentApi(container));
  await app.register(publicRoutes(container));
  await app.register(interchangeRoutes(container));
  await app.register(questionnaireRoutes(container));
  await app.register(nextStageRoutes(container));
  await app.register(questionnaireReportRoutes(container));
  await app.register(attachmentRoutes(container));

  return app;
}

