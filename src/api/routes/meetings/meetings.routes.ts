import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MeetingCreate, MeetingDetail, MeetingListQuery, MeetingNextQuery, MeetingPage, MeetingUpdate } from '../../../contracts/meetings.ts';
import { Problem } from '../../../contracts/common.ts';
import { createMeeting, getMeeting, getNextMeeting, listMeetings, updateMeeting } from '../../../services/meetings/meetings.ts';
import { ifMatch, setEtag } from '../../etag.ts';

const IdParams = z.strictObject({ id: z.string().max(64) });
const errors = { 400: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem };

/** Meetings: contact-group, council, ministerial and summit meetings where pledges are announced. */
export const meetingsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/meetings', {
    schema: { tags: ['meetings'], summary: 'List meetings', querystring: MeetingListQuery, response: { 200: MeetingPage, 400: Problem } },
    handler: (req) => listMeetings(app.deps, req.actor, req.query),
  });
  app.get('/meetings/next', {
    schema: { tags: ['meetings'], summary: 'The next meeting on or after a date (today by default)', querystring: MeetingNextQuery, response: { 200: MeetingDetail, 400: Problem, 404: Problem } },
    handler: async (req, reply) => {
      const found = await getNextMeeting(app.deps, req.actor, req.query);
      setEtag(reply, found.version);
      return found;
    },
  });
  app.post('/meetings', {
    schema: { tags: ['meetings'], summary: 'Record a meeting', body: MeetingCreate, response: { 201: MeetingDetail, ...errors } },
    handler: async (req, reply) => {
      const created = await createMeeting(app.deps, req.actor, req.body);
      setEtag(reply, created.version);
      return reply.code(201).header('location', `/api/meetings/${created.id}`).send(created);
    },
  });
  app.get('/meetings/:id', {
    schema: { tags: ['meetings'], summary: 'Read a meeting with the pledges announced there', params: IdParams, response: { 200: MeetingDetail, 404: Problem } },
    handler: async (req, reply) => {
      const found = await getMeeting(app.deps, req.actor, req.params.id);
      setEtag(reply, found.version);
      return found;
    },
  });
  app.patch('/meetings/:id', {
    schema: { tags: ['meetings'], summary: 'Change a meeting (send If-Match with its version)', params: IdParams, body: MeetingUpdate, response: { 200: MeetingDetail, ...errors } },
    handler: async (req, reply) => {
      const updated = await updateMeeting(app.deps, req.actor, req.params.id, req.body, ifMatch(req));
      setEtag(reply, updated.version);
      return updated;
    },
  });
};
