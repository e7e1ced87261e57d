import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { StockReport, StockReportCreate, StockReportListQuery, StockReportPage, StockReportUpdate } from '../../../contracts/stock-reports.ts';
import { Problem } from '../../../contracts/common.ts';
import { createStockReport, getStockReport, listStockReports, updateStockReport } from '../../../services/stock-reports/stock-reports.ts';
import { ifMatch, setEtag } from '../../etag.ts';

const IdParams = z.strictObject({ id: z.string().max(64) });
const errors = { 400: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem };

/** Stock reports: the recipient's stock on hand and daily consumption of a group at a date. */
export const stockReportsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/stock-reports', {
    schema: { tags: ['stock-reports'], summary: 'List stock reports', querystring: StockReportListQuery, response: { 200: StockReportPage, 400: Problem } },
    handler: (req) => listStockReports(app.deps, req.actor, req.query),
  });
  app.post('/stock-reports', {
    schema: { tags: ['stock-reports'], summary: 'Report the stock of a group at a date', body: StockReportCreate, response: { 201: StockReport, ...errors } },
    handler: async (req, reply) => {
      const created = await createStockReport(app.deps, req.actor, req.body);
      setEtag(reply, created.version);
      return reply.code(201).header('location', `/api/stock-reports/${created.id}`).send(created);
    },
  });
  app.get('/stock-reports/:id', {
    schema: { tags: ['stock-reports'], summary: 'Read a stock report', params: IdParams, response: { 200: StockReport, 404: Problem } },
    handler: async (req, reply) => {
      const found = await getStockReport(app.deps, req.actor, req.params.id);
      setEtag(reply, found.version);
      return found;
    },
  });
  app.patch('/stock-reports/:id', {
    schema: { tags: ['stock-reports'], summary: 'Correct a stock report (send If-Match with its version)', params: IdParams, body: StockReportUpdate, response: { 200: StockReport, ...errors } },
    handler: async (req, reply) => {
      const updated = await updateStockReport(app.deps, req.actor, req.params.id, req.body, ifMatch(req));
      setEtag(reply, updated.version);
      return updated;
    },
  });
};
