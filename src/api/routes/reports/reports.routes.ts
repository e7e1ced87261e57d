import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { Problem } from '../../../contracts/common.ts';
import { AsOfQuery, BurdenQuery, CoverageQuery, DefaultMeetingReportQuery, ForecastQuery, GapsQuery, MeetingReportQuery } from '../../../contracts/reports.ts';
import { burdenJson, burdenReport, coverageReport, delaysReport, forecastReport, gapsReport, meetingBrief, meetingOutcome } from '../../../services/reports/reports.ts';
import { CONTENT_TYPES, renderReport, type ReportFormat } from '../../../services/reports/render/render.ts';
import type { ReportDocument } from '../../../services/reports/render/report-document.ts';

const errors = { 200: z.unknown().describe('JSON, or the report file in the format asked for'), 400: Problem, 404: Problem };

/** Sends a rendered report as a download named after it. */
async function sendDocument(reply: FastifyReply, doc: ReportDocument, format: ReportFormat, name: string) {
  const body = await renderReport(doc, format);
  return reply
    .type(CONTENT_TYPES[format])
    .header('content-disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9_.-]/g, '-')}.${format}"`)
    .send(body);
}

/** Drops keys whose value is undefined (exactOptionalPropertyTypes). */
function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

/** Reports: coverage, gaps, forecast, delays, burden sharing and the meeting brief and outcome, as JSON or as files. */
export const reportsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/reports/burden', {
    schema: { tags: ['reports'], summary: 'Burden sharing for a year: fair share by GDP, committed, delivered, ratios', querystring: BurdenQuery, response: errors },
    handler: async (req, reply) => {
      const { report, document } = await burdenReport(app.deps, req.actor, req.query);
      if (req.query.format === 'json') return reply.send({ year: report.year, currency: report.currency, target: report.target.minor / 100, rows: burdenJson(report) });
      return sendDocument(reply, document, req.query.format, `burden-${req.query.year}`);
    },
  });
  app.get('/reports/coverage', {
    schema: { tags: ['reports'], summary: 'Coverage of requirements by the current plan, committed pledges and deliveries received: per requirement, capability area and priority, as of a date', querystring: CoverageQuery, response: errors },
    handler: async (req, reply) => {
      const { asOf, currency, limit, format } = req.query;
      const { data, document } = await coverageReport(app.deps, req.actor, { currency, limit, ...(asOf ? { asOf } : {}) });
      if (format === 'json') return reply.send(data);
      return sendDocument(reply, document, format, `coverage-${data.asOf}`);
    },
  });
  app.get('/reports/gaps', {
    schema: { tags: ['reports'], summary: 'Outstanding gaps as of a date, ranked by priority and need-by date, with the current plan’s reason for each', querystring: GapsQuery, response: errors },
    handler: async (req, reply) => {
      const { asOf, currency, limit, format } = req.query;
      const { document, ...data } = await gapsReport(app.deps, req.actor, { currency, limit, ...(asOf ? { asOf } : {}) });
      if (format === 'json') return reply.send(data);
      return sendDocument(reply, document, format, `gaps-${data.asOf}`);
    },
  });
  app.get('/reports/forecast', {
    schema: { tags: ['reports'], summary: 'Stock-out forecast per group: projection, Monte Carlo percentiles and probability of a stock-out, with what-if schedule changes', querystring: ForecastQuery, response: errors },
    handler: async (req, reply) => {
      const { format, ...params } = req.query;
      const { forecast, document } = await forecastReport(app.deps, req.actor, stripUndefined(params));
      if (format === 'json') return reply.send(forecast);
      return sendDocument(reply, document, format, `forecast-${forecast.start}`);
    },
  });
  app.get('/reports/delays', {
    schema: { tags: ['reports'], summary: 'Delivery delays by donor and capability area, and the tranches overdue', querystring: AsOfQuery, response: errors },
    handler: async (req, reply) => {
      const { delays, overdue, document } = await delaysReport(app.deps, req.actor, { currency: req.query.currency, ...(req.query.asOf ? { asOf: req.query.asOf } : {}) });
      if (req.query.format === 'json') return reply.send({ ...delays, overdue });
      return sendDocument(reply, document, req.query.format, 'delays');
    },
  });
  const meetingReport = (kind: 'brief' | 'outcome') => async (meetingId: string | undefined, q: z.infer<typeof MeetingReportQuery>, req: { actor: Parameters<typeof meetingBrief>[1] }, reply: FastifyReply) => {
    const params = { ...(meetingId ? { meetingId } : {}), currency: q.currency, ...(q.today ? { today: q.today } : {}) };
    const doc = kind === 'brief' ? await meetingBrief(app.deps, req.actor, params) : await meetingOutcome(app.deps, req.actor, params);
    if (q.format === 'json') return reply.send(doc);
    return sendDocument(reply, doc, q.format, `${kind}-${doc.subtitle?.match(/\(([^)]+)\)/)?.[1] ?? 'meeting'}`);
  };
  for (const kind of ['brief', 'outcome'] as const) {
    app.get(`/meetings/:id/${kind}`, {
      schema: { tags: ['reports'], summary: `The ${kind} of a meeting`, params: z.object({ id: z.string().max(64) }), querystring: MeetingReportQuery, response: errors },
      handler: (req, reply) => meetingReport(kind)(req.params.id, req.query, req, reply),
    });
    app.get(`/reports/${kind}`, {
      schema: { tags: ['reports'], summary: `The ${kind} of a meeting (default: ${kind === 'brief' ? 'the next meeting' : 'the last meeting'})`, querystring: DefaultMeetingReportQuery, response: errors },
      handler: (req, reply) => meetingReport(kind)(req.query.meeting, req.query, req, reply),
    });
  }
};
