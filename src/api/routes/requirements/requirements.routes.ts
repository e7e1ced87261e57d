import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  Requirement,
  RequirementCreate,
  RequirementListQuery,
  RequirementPage,
  RequirementTransition,
  RequirementUpdate,
} from '../../../contracts/requirements.ts';
import { Problem } from '../../../contracts/common.ts';
import {
  createRequirement,
  getRequirement,
  listRequirements,
  transitionRequirement,
  updateRequirement,
} from '../../../services/requirements/requirements.ts';
import { ifMatch, setEtag } from '../../etag.ts';

const IdParams = z.object({ id: z.string().max(64) });
const errors = { 400: Problem, 404: Problem, 409: Problem, 412: Problem };

/** Requirements: the recipient's need lines. */
export const requirementsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/requirements', {
    schema: { tags: ['requirements'], summary: 'List requirements', querystring: RequirementListQuery, response: { 200: RequirementPage, 400: Problem } },
    handler: (req) => listRequirements(app.deps, req.actor, req.query),
  });
  app.post('/requirements', {
    schema: { tags: ['requirements'], summary: 'Create a requirement', body: RequirementCreate, response: { 201: Requirement, ...errors } },
    handler: async (req, reply) => {
      const created = await createRequirement(app.deps, req.actor, req.body);
      setEtag(reply, created.version);
      return reply.code(201).header('location', `/api/requirements/${created.id}`).send(created);
    },
  });
  app.get('/requirements/:id', {
    schema: { tags: ['requirements'], summary: 'Read a requirement', params: IdParams, response: { 200: Requirement, 404: Problem } },
    handler: async (req, reply) => {
      const found = await getRequirement(app.deps, req.actor, req.params.id);
      setEtag(reply, found.version);
      return found;
    },
  });
  app.patch('/requirements/:id', {
    schema: { tags: ['requirements'], summary: 'Change a requirement (send If-Match with its version)', params: IdParams, body: RequirementUpdate, response: { 200: Requirement, ...errors } },
    handler: async (req, reply) => {
      const updated = await updateRequirement(app.deps, req.actor, req.params.id, req.body, ifMatch(req));
      setEtag(reply, updated.version);
      return updated;
    },
  });
  app.post('/requirements/:id/transitions', {
    schema: { tags: ['requirements'], summary: 'Move a requirement along its lifecycle', params: IdParams, body: RequirementTransition, response: { 200: Requirement, ...errors } },
    handler: async (req, reply) => {
      const updated = await transitionRequirement(app.deps, req.actor, req.params.id, req.body, ifMatch(req));
      setEtag(reply, updated.version);
      return updated;
    },
  });
};
