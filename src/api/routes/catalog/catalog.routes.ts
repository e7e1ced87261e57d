import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ItemGroupCreate,
  ItemGroupDetail,
  ItemGroupList,
  ItemGroupListQuery,
  ItemGroupUpdate,
  ItemType,
  ItemTypeCreate,
  ItemTypeListQuery,
  ItemTypePage,
  ItemTypeUpdate,
} from '../../../contracts/catalog.ts';
import { Problem } from '../../../contracts/common.ts';
import {
  createItemGroup,
  createItemType,
  getItemGroup,
  getItemType,
  listItemGroups,
  listItemTypes,
  updateItemGroup,
  updateItemType,
} from '../../../services/catalog/catalog.ts';
import { ifMatch, setEtag } from '../../etag.ts';

const CodeParams = z.strictObject({ code: z.string().max(63) });
const errors = { 400: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem };

/** The catalog: interchangeability groups and the item types in them, with reference prices. */
export const catalogRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/catalog/groups', {
    schema: { tags: ['catalog'], summary: 'List interchangeability groups', querystring: ItemGroupListQuery, response: { 200: ItemGroupList, 400: Problem } },
    handler: (req) => listItemGroups(app.deps, req.actor, req.query),
  });
  app.post('/catalog/groups', {
    schema: { tags: ['catalog'], summary: 'Add an interchangeability group', body: ItemGroupCreate, response: { 201: ItemGroupDetail, ...errors } },
    handler: async (req, reply) => {
      const created = await createItemGroup(app.deps, req.actor, req.body);
      return reply.code(201).header('location', `/api/catalog/groups/${created.code}`).send(created);
    },
  });
  app.get('/catalog/groups/:code', {
    schema: { tags: ['catalog'], summary: 'Read a group with its item types', params: CodeParams, response: { 200: ItemGroupDetail, 404: Problem } },
    handler: (req) => getItemGroup(app.deps, req.actor, req.params.code),
  });
  app.patch('/catalog/groups/:code', {
    schema: { tags: ['catalog'], summary: 'Rename a group', params: CodeParams, body: ItemGroupUpdate, response: { 200: ItemGroupDetail, ...errors } },
    handler: (req) => updateItemGroup(app.deps, req.actor, req.params.code, req.body),
  });
  app.get('/catalog/items', {
    schema: { tags: ['catalog'], summary: 'List item types', querystring: ItemTypeListQuery, response: { 200: ItemTypePage, 400: Problem } },
    handler: (req) => listItemTypes(app.deps, req.actor, req.query),
  });
  app.post('/catalog/items', {
    schema: { tags: ['catalog'], summary: 'Add an item type', body: ItemTypeCreate, response: { 201: ItemType, ...errors } },
    handler: async (req, reply) => {
      const created = await createItemType(app.deps, req.actor, req.body);
      setEtag(reply, created.version);
      return reply.code(201).header('location', `/api/catalog/items/${created.code}`).send(created);
    },
  });
  app.get('/catalog/items/:code', {
    schema: { tags: ['catalog'], summary: 'Read an item type', params: CodeParams, response: { 200: ItemType, 404: Problem } },
    handler: async (req, reply) => {
      const found = await getItemType(app.deps, req.actor, req.params.code);
      setEtag(reply, found.version);
      return found;
    },
  });
  app.patch('/catalog/items/:code', {
    schema: { tags: ['catalog'], summary: 'Change an item type (send If-Match with its version)', params: CodeParams, body: ItemTypeUpdate, response: { 200: ItemType, ...errors } },
    handler: async (req, reply) => {
      const updated = await updateItemType(app.deps, req.actor, req.params.code, req.body, ifMatch(req));
      setEtag(reply, updated.version);
      return updated;
    },
  });
};
