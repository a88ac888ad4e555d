import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { DestinationStream } from 'pino';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { AuditBatcher } from './core/audit-batch.ts';
import { systemClock, type Clock } from './core/clock.ts';
import type { Config } from './core/config.ts';
import type { Database } from './core/db/index.ts';
import { registerAuth, type SessionRow } from './core/http/auth-plugin.ts';
import { SessionCache } from './core/http/session-cache.ts';
import { registerErrorHandler } from './core/http/error-handler.ts';
import { registerSecurityHeaders } from './core/http/security-headers.ts';
import { registerMetrics } from './core/http/metrics.ts';
import { randomIds, type IdGenerator } from './core/ids.ts';
import { loggerOptions, RequestLog } from './core/logger.ts';
import type { Mailer } from './core/mailer.ts';
import { registerModules, type ModuleDeps, type OidcDriver } from './modules/index.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  clock?: Clock;
  ids?: IdGenerator;
  mailer?: Mailer;
  oidc?: OidcDriver;
  /** false silences request logs (tests). */
  logging?: boolean;
  /** Where logs go instead of stdout (the bad-input suite reads them to prove no patient data leaks). */
  logStream?: DestinationStream;
  /** Called for every route as it is registered (the route authorization suite enumerates them). */
  onRoute?: (route: RouteOptions) => void;
}

export type App = FastifyInstance;

const WEB_DIST_DEFAULT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Builds the HTTP application. It never listens: main.ts does, tests use `app.inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
  const app = Fastify({
    logger:
      deps.logging === false
        ? false
        : { ...loggerOptions(config.logLevel), ...(deps.logStream ? { stream: deps.logStream } : {}) },
    logController: new RequestLog(),
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    genReqId: () => ids.uuid(),
    requestIdHeader: false,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();
  if (deps.onRoute) {
    const onRoute = deps.onRoute;
    app.addHook('onRoute', (route) => onRoute(route as RouteOptions));
  }
  // The API speaks JSON only. Fastify also parses text/plain by default, a content type a cross-site
  // form can send without a preflight: refuse it (415) like any other non-JSON body.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  registerErrorHandler(app);
  registerSecurityHeaders(app, { hsts: config.secureCookies });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Passerelle API',
        version: '1',
        description:
          'Cancer-care cooperation platform. Errors are RFC 9457 problem+json with a stable `code`. ' +
          'Cookie-authenticated writes need the `x-csrf-token` header; integrations use scoped bearer tokens.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'passerelle_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  registerMetrics(app);
  const sessions = new SessionCache<SessionRow>({ ttlMs: config.sessionCacheSeconds * 1000 });
  await sessions.start(database);
  app.addHook('onClose', () => sessions.close());
  registerAuth(app, { db: database.db, clock, sessionIdleMinutes: config.sessionIdleMinutes, sessions });

  app.get('/healthz', { config: { access: { public: true } }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: { public: true } }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await database.db
        .selectFrom('schema_migrations' as 'cooperations')
        .select('name' as 'id')
        .limit(1)
        .execute();
      return { status: 'ready', db: database.kind };
    } catch {
      return reply.status(503).send({ status: 'unavailable', db: database.kind });
    }
  });

  const auditBatcher = new AuditBatcher(database.db);
  // Reads already answered have their events committed; those still waiting get them before the pool closes.
  app.addHook('onClose', () => auditBatcher.drain());
  const moduleDeps: ModuleDeps = {
    config,
    database,
    db: database.db,
    auditBatcher,
    clock,
    ids,
    mailer: deps.mailer,
    oidc: deps.oidc,
  };
  await app.register(async (api) => registerModules(api, moduleDeps), { prefix: '/api/v1' });

  const webDist = config.webDist ?? WEB_DIST_DEFAULT;
  if (fs.existsSync(path.join(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: ['index.html'] });
    // Client-side routes: any GET outside the API that is not a file serves the app shell.
    app.get('/*', { config: { access: { public: true } }, schema: { hide: true } }, (request, reply) => {
      // The API's own 404 (problem+json with instance and requestId), not the app shell.
      if (request.url.startsWith('/api/')) return reply.callNotFound();
      return reply.type('text/html').sendFile('index.html');
    });
  }
  return app;
}
