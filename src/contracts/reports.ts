import { z } from 'zod';
import { REPORT_FORMATS } from '../services/reports/render/render.ts';
import { IsoDate } from './common.ts';

export const ReportFormat = z.enum(REPORT_FORMATS).default('json').describe('json (default), md, pdf, xlsx or csv');

export const BurdenQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100).describe('Year of the figures'),
  target: z.coerce.number().positive('must be a positive amount').optional().describe('Annual target in major units (default 40 billion)'),
  currency: z.enum(['EUR', 'USD']).default('EUR'),
  format: ReportFormat,
});
export type BurdenQuery = z.infer<typeof BurdenQuery>;

export const MeetingReportQuery = z.strictObject({
  currency: z.enum(['EUR', 'USD']).default('EUR'),
  today: IsoDate.optional().describe('The date figures are taken at (default today)'),
  format: ReportFormat,
});

export const DefaultMeetingReportQuery = MeetingReportQuery.extend({
  meeting: z.string().max(64).optional().describe('Meeting id (default: the next meeting for a brief, the last one for an outcome)'),
});

export const BurdenJsonRow = z.object({
  nation: z.string(),
  participating: z.boolean().describe('In the fair-share key: a participating ally'),
  gdp: z.number().nullable(),
  gdpShare: z.number().nullable(),
  fairShare: z.number().nullable(),
  committed: z.number(),
  delivered: z.number(),
  committedPctGdp: z.number().nullable(),
  ratioToFairShare: z.number().nullable(),
});

export const AsOfQuery = z.strictObject({
  asOf: IsoDate.optional().describe('The date figures are taken at (default today)'),
  currency: z.enum(['EUR', 'USD']).default('EUR'),
  format: ReportFormat,
});

const Limit = (def: number, what: string) => z.coerce.number().int().min(1).max(100_000).default(def).describe(`Rows of ${what} listed (totals always count every row)`);

export const CoverageQuery = AsOfQuery.extend({ limit: Limit(200, 'requirements') });
export const GapsQuery = AsOfQuery.extend({ limit: Limit(1000, 'gaps') });

const csv = (item: z.ZodType<string>) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v), z.array(item).max(50));

export const ForecastQuery = z.strictObject({
  asOf: IsoDate.optional().describe('Day 0 of the forecast (default today)'),
  horizon: z.coerce.number().int().min(1).max(3660).default(180).describe('Days projected'),
  runs: z.coerce.number().int().min(0).max(20_000).default(1000).describe('Monte Carlo runs (0: the deterministic projection only)'),
  seed: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(1).describe('Seed: the same seed gives the same runs'),
  groups: csv(z.string().max(64)).optional().describe('Comma-separated groups (default every group with a stock report)'),
  whatIf: csv(z.string().regex(/^[A-Z]{3}(\/[a-z0-9][a-z0-9.-]{0,62})?:([+-]\d{1,4}|remove)$/, 'must read DONOR:+30, DONOR:-15, DONOR:remove or DONOR/group:+30'))
    .optional()
    .describe('Comma-separated schedule changes: DEU:+30 delays DEU’s tranches 30 days, USA/155mm-he:remove drops them'),
  format: ReportFormat,
});
