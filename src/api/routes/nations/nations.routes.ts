import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NationCreate, NationDetail, NationEconomy, NationEconomyKey, NationEconomyPut, NationList, NationListQuery, NationUpdate } from '../../../contracts/nations.ts';
import { Problem } from '../../../contracts/common.ts';
import { createNation, getNation, listNations, putNationEconomy, updateNation } from '../../../services/nations/nations.ts';
import { ifMatch, setEtag } from '../../etag.ts';

const CodeParams = z.strictObject({ code: z.string().max(3) });
const errors = { 400: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem };

/** Nations: allies, partners and the recipient, with GDP, defence spending and participation. */
export const nationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/nations', {
    schema: { tags: ['nations'], summary: 'List nations with their latest GDP and defence spending', querystring: NationListQuery, response: { 200: NationList, 400: Problem } },
    handler: (req) => listNations(app.deps, req.actor, req.query),
  });
  app.post('/nations', {
    schema: { tags: ['nations'], summary: 'Add an ally or partner nation', body: NationCreate, response: { 201: NationDetail, ...errors } },
    handler: async (req, reply) => {
      const created = await createNation(app.deps, req.actor, req.body);
      setEtag(reply, created.version);
      return reply.code(201).header('location', `/api/nations/${created.code}`).send(created);
    },
  });
  app.get('/nations/:code', {
    schema: { tags: ['nations'], summary: 'Read a nation with its figures by year', params: CodeParams, response: { 200: NationDetail, 404: Problem } },
    handler: async (req, reply) => {
      const found = await getNation(app.deps, req.actor, req.params.code);
      setEtag(reply, found.version);
      return found;
    },
  });
  app.patch('/nations/:code', {
    schema: { tags: ['nations'], summary: 'Change a nation, e.g. opt it out or back in (send If-Match with its version)', params: CodeParams, body: NationUpdate, response: { 200: NationDetail, ...errors } },
    handler: async (req, reply) => {
      const updated = await updateNation(app.deps, req.actor, req.params.code, req.body, ifMatch(req));
      setEtag(reply, updated.version);
      return updated;
    },
  });
  app.put('/nations/:code/economies/:year', {
    schema: { tags: ['nations'], summary: 'Set a nation’s GDP and defence figures for a year', params: NationEconomyKey, body: NationEconomyPut, response: { 200: NationEconomy, 201: NationEconomy, ...errors } },
    handler: async (req, reply) => {
      const { economy, created } = await putNationEconomy(app.deps, req.actor, req.params.code, req.params.year, req.body);
      return reply.code(created ? 201 : 200).send(economy);
    },
  });
};
