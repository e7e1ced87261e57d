import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Delivery, DeliveryCreate, DeliveryListQuery, DeliveryPage, DeliveryReceipt, DeliveryUpdate } from '../../../contracts/deliveries.ts';
import { Problem } from '../../../contracts/common.ts';
import { confirmReceipt, getDelivery, listDeliveries, recordDelivery, updateDelivery } from '../../../services/deliveries/deliveries.ts';
import { ifMatch, setEtag } from '../../etag.ts';

const IdParams = z.object({ id: z.string().max(64) });
const errors = { 400: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem };

/** Deliveries: what actually moved against the pledges' tranches, and its receipt. */
export const deliveriesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/deliveries', {
    schema: { tags: ['deliveries'], summary: 'List deliveries', querystring: DeliveryListQuery, response: { 200: DeliveryPage, 400: Problem, 403: Problem } },
    handler: (req) => listDeliveries(app.deps, req.actor, req.query),
  });
  app.post('/deliveries', {
    schema: { tags: ['deliveries'], summary: 'Record a shipment against a tranche', body: DeliveryCreate, response: { 201: Delivery, ...errors } },
    handler: async (req, reply) => {
      const created = await recordDelivery(app.deps, req.actor, req.body);
      setEtag(reply, created.version);
      return reply.code(201).header('location', `/api/deliveries/${encodeURIComponent(created.id)}`).send(created);
    },
  });
  app.get('/deliveries/:id', {
    schema: { tags: ['deliveries'], summary: 'Read a delivery with its slippage', params: IdParams, response: { 200: Delivery, 403: Problem, 404: Problem } },
    handler: async (req, reply) => {
      const found = await getDelivery(app.deps, req.actor, req.params.id);
      setEtag(reply, found.version);
      return found;
    },
  });
  app.patch('/deliveries/:id', {
    schema: { tags: ['deliveries'], summary: 'Correct a delivery’s hub, notes or dates (send If-Match with its version)', params: IdParams, body: DeliveryUpdate, response: { 200: Delivery, ...errors } },
    handler: async (req, reply) => {
      const updated = await updateDelivery(app.deps, req.actor, req.params.id, req.body, ifMatch(req));
      setEtag(reply, updated.version);
      return updated;
    },
  });
  app.post('/deliveries/:id/receipt', {
    schema: { tags: ['deliveries'], summary: 'Confirm receipt of a delivery (the recipient’s act)', params: IdParams, body: DeliveryReceipt, response: { 200: Delivery, ...errors } },
    handler: async (req, reply) => {
      const updated = await confirmReceipt(app.deps, req.actor, req.params.id, req.body, ifMatch(req));
      setEtag(reply, updated.version);
      return updated;
    },
  });
};
