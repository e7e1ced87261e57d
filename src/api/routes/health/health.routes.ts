import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pingDb } from '../../../store/db.ts';

const Health = z.object({ status: z.enum(['ok', 'degraded']), database: z.enum(['reachable', 'unreachable']), databaseKind: z.enum(['pglite', 'postgres']) });

/** Liveness and database reachability, for operators and load balancers. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health', {
    schema: { tags: ['operations'], summary: 'Service and database health', response: { 200: Health, 503: Health } },
    handler: async (_req, reply) => {
      const ok = await pingDb(app.deps.db);
      const body = { status: ok ? 'ok' : 'degraded', database: ok ? 'reachable' : 'unreachable', databaseKind: app.dbKind } as const;
      return reply.code(ok ? 200 : 503).send(body);
    },
  });
};
