import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import type { Actor, ServiceDeps } from '../services/context.ts';
import { installAuthentication, type TestAuthenticate } from './auth/authenticate.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { installSecurityHeaders, LOG_REDACT } from './security-headers.ts';
import { installIdempotency } from './idempotency.ts';
import { handleError } from './problem.ts';
import { installWriteSafety } from './write-safety.ts';
import { healthRoutes } from './routes/health/health.routes.ts';
import { requirementsRoutes } from './routes/requirements/requirements.routes.ts';
import { pledgesRoutes } from './routes/pledges/pledges.routes.ts';
import { deliveriesRoutes } from './routes/deliveries/deliveries.routes.ts';
import { nationsRoutes } from './routes/nations/nations.routes.ts';
import { catalogRoutes } from './routes/catalog/catalog.routes.ts';
import { meetingsRoutes } from './routes/meetings/meetings.routes.ts';
import { stockReportsRoutes } from './routes/stock-reports/stock-reports.routes.ts';
import { fxRatesRoutes } from './routes/fx-rates/fx-rates.routes.ts';
import { plansRoutes } from './routes/plans/plans.routes.ts';
import { auditRoutes } from './routes/audit/audit.routes.ts';
import { reportsRoutes } from './routes/reports/reports.routes.ts';
import { registerWebApp } from './web.ts';

declare module 'fastify' {
  interface FastifyInstance {
    deps: ServiceDeps;
    dbKind: 'pglite' | 'postgres';
  }
  interface FastifyRequest {
    actor: Actor;
  }
}

export interface AppOptions {
  deps: ServiceDeps;
  dbKind: 'pglite' | 'postgres';
  /** Fastify logger setting: false in tests, structured JSON lines when serving. */
  logger?: boolean | object;
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
  /** Folder of the built web app (default web/dist). */
  webDist?: string;
  /**
   * Tests only: the actor of a request that carries no credentials (null: authenticate it for real).
   * Bearer tokens and session cookies are always checked first. Never set when serving.
   */
  authenticate?: TestAuthenticate;
  /**
   * Whether changes over HTTP must carry If-Match (428 without it). Default `required`; tests that use the
   * `authenticate` stand-in default to `optional` so that older route tests keep working.
   */
  ifMatch?: 'required' | 'optional';
}

/** The API resources, each a plugin mounted under /api. */
const RESOURCES = [healthRoutes, authRoutes, requirementsRoutes, pledgesRoutes, deliveriesRoutes, nationsRoutes, catalogRoutes, meetingsRoutes, stockReportsRoutes, fxRatesRoutes, plansRoutes, auditRoutes, reportsRoutes];

/** Builds the HTTP server: routes, OpenAPI document, browsable docs, one error renderer. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger && typeof options.logger === 'object' ? { redact: { paths: LOG_REDACT, censor: '[redacted]' }, ...options.logger } : (options.logger ?? false),
    bodyLimit: options.bodyLimit ?? 1_048_576,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    ajv: undefined,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', options.deps);
  app.decorate('dbKind', options.dbKind);
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', String(req.id));
  });
  app.setErrorHandler(handleError);
  await installSecurityHeaders(app);
  await installAuthentication(app, options.authenticate);
  installIdempotency(app);
  installWriteSafety(app, { ifMatch: options.ifMatch ?? (options.authenticate ? 'optional' : 'required') });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Concord API',
        version: '0.1.0',
        description: 'Coordination of multinational security assistance: requirements, pledges, deliveries, plans and reports.',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  await app.register(
    async (api) => {
      for (const resource of RESOURCES) await api.register(resource);
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api' },
  );
  await registerWebApp(app, options.webDist);
  return app;
}
