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
