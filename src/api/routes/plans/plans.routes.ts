import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Plan, PlanDiff, PlanList, PlanRun } from '../../../contracts/plans.ts';
import { Problem } from '../../../contracts/common.ts';
import { diffPlans, getPlan, listPlans, runPlan } from '../../../services/plans/plans.ts';

const IdParams = z.object({ id: z.string().max(64) });

/** Plans: solved allocations of pledge tranches to requirements, versioned and comparable. */
export const plansRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/plans', {
    schema: { tags: ['plans'], summary: 'Run the allocation engine on the current data and store the plan', body: PlanRun, response: { 201: Plan, 400: Problem } },
    handler: async (req, reply) => {
      const plan = await runPlan(app.deps, req.actor, req.body);
      return reply.code(201).header('location', `/api/plans/${plan.id}`).send(plan);
    },
  });
  app.get('/plans', {
    schema: { tags: ['plans'], summary: 'List plan versions, newest first', querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) }), response: { 200: PlanList } },
    handler: (req) => listPlans(app.deps, req.actor, req.query.limit),
  });
  app.get('/plans/:id', {
    schema: { tags: ['plans'], summary: 'Read a plan with its allocations and unmet needs', params: IdParams, response: { 200: Plan, 404: Problem } },
    handler: (req) => getPlan(app.deps, req.actor, req.params.id),
  });
  app.get('/plans/:id/diff/:other', {
    schema: { tags: ['plans'], summary: 'What changed from plan id to plan other', params: z.object({ id: z.string().max(64), other: z.string().max(64) }), response: { 200: PlanDiff, 404: Problem } },
    handler: (req) => diffPlans(app.deps, req.actor, req.params.id, req.params.other),
  });
};
