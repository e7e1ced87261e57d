import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Pledge, PledgeCreate, PledgeListQuery, PledgePage, PledgeTransition, PledgeUpdate } from '../../../contracts/pledges.ts';
import { Problem } from '../../../contracts/common.ts';
import { createPledge, getPledge, listPledges, transitionPledge, updatePledge } from '../../../services/pledges/pledges.ts';
import { ifMatch, setEtag } from '../../etag.ts';
import { PledgeAggregatePage, PledgeAggregateQuery } from '../../../contracts/pledge-aggregates.ts';
import { aggregatePledges } from '../../../services/access/aggregates.ts';

const IdParams = z.object({ id: z.string().max(64) });
const errors = { 400: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem };

/** Pledges: the donors' offer lines, with their tranches. */
export const pledgesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/pledges', {
    schema: { tags: ['pledges'], summary: 'List pledges', querystring: PledgeListQuery, response: { 200: PledgePage, 400: Problem, 403: Problem } },
    handler: (req) => listPledges(app.deps, req.actor, req.query),
  });
  app.get('/pledges/aggregates', {
    schema: {
      tags: ['pledges'],
      summary: 'Pledges of every donor per capability area and month, without line details (what others see of unreleased pledges)',
      querystring: PledgeAggregateQuery,
      response: { 200: PledgeAggregatePage, 400: Problem },
    },
    handler: (req) => aggregatePledges(app.deps, req.actor, req.query),
  });
  app.post('/pledges', {
    schema: { tags: ['pledges'], summary: 'Record a pledge with its tranches', body: PledgeCreate, response: { 201: Pledge, ...errors } },
    handler: async (req, reply) => {
      const created = await createPledge(app.deps, req.actor, req.body);
      setEtag(reply, created.version);
      return reply.code(201).header('location', `/api/pledges/${created.id}`).send(created);
    },
  });
  app.get('/pledges/:id', {
    schema: { tags: ['pledges'], summary: 'Read a pledge with its tranches and their deliveries', params: IdParams, response: { 200: Pledge, 403: Problem, 404: Problem } },
    handler: async (req, reply) => {
      const found = await getPledge(app.deps, req.actor, req.params.id);
      setEtag(reply, found.version);
      return found;
    },
  });
  app.patch('/pledges/:id', {
    schema: {
      tags: ['pledges'],
      summary: 'Change a pledge or replace its tranches while it is announced or committed (send If-Match with its version)',
      params: IdParams,
      body: PledgeUpdate,
      response: { 200: Pledge, ...errors },
    },
    handler: async (req, reply) => {
      const updated = await updatePledge(app.deps, req.actor, req.params.id, req.body, ifMatch(req));
      setEtag(reply, updated.version);
      return updated;
    },
  });
  app.post('/pledges/:id/transitions', {
    schema: { tags: ['pledges'], summary: 'Move a pledge along its lifecycle', params: IdParams, body: PledgeTransition, response: { 200: Pledge, ...errors } },
    handler: async (req, reply) => {
      const updated = await transitionPledge(app.deps, req.actor, req.params.id, req.body, ifMatch(req));
      setEtag(reply, updated.version);
      return updated;
    },
  });
};
