import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Problem } from '../../../contracts/common.ts';
import { getRecordHistory } from '../../../services/audit-verify.ts';

const Entry = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.object({ id: z.string(), role: z.string(), nation: z.string().nullable() }),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string().describe('SHA-256 of the entry, chained to the one before'),
});

/** A record's history from the hash-chained audit trail. */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/audit/:entity/:id', {
    schema: {
      tags: ['audit'],
      summary: 'History of one record (who changed what, when, before and after), oldest first',
      params: z.object({ entity: z.string().max(40), id: z.string().max(100) }),
      response: { 200: z.object({ entries: z.array(Entry) }), 404: Problem },
    },
    handler: (req) => getRecordHistory(app.deps, req.actor, req.params.entity, req.params.id),
  });
};
