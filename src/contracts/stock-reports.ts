import { z } from 'zod';
import { CatalogCode, ExternalId, IsoDate, Page, PageParams } from './common.ts';

const OnHand = z.number().int('must be a whole number').min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER, 'is too large');
const DailyConsumption = z.number().refine(Number.isFinite, 'must be a finite number').min(0, 'must not be negative').max(1e12, 'is too large');

/** The recipient's count of one group at a date. */
export const StockReportCreate = z.strictObject({
  id: ExternalId.optional().describe('External id; generated as S-nnnnnn when left out'),
  group: CatalogCode.describe('Interchangeability group counted'),
  asOf: IsoDate.describe('Date of the count'),
  onHand: OnHand.describe('Units on hand'),
  dailyConsumption: DailyConsumption.describe('Average units consumed per day around the date'),
  notes: z.string().max(5000).default(''),
});
export type StockReportCreate = z.infer<typeof StockReportCreate>;

export const StockReportUpdate = z.strictObject({
  group: CatalogCode.optional(),
  asOf: IsoDate.optional(),
  onHand: OnHand.optional(),
  dailyConsumption: DailyConsumption.optional(),
  notes: z.string().max(5000).optional(),
});
export type StockReportUpdate = z.infer<typeof StockReportUpdate>;

export const StockReport = z.object({
  id: z.string(),
  group: z.string(),
  asOf: z.string(),
  onHand: z.number(),
  dailyConsumption: z.number(),
  /** Days the stock lasts at the reported consumption; null when nothing is consumed. */
  daysOfSupply: z.number().nullable().describe('onHand / dailyConsumption, one decimal; null when consumption is 0'),
  notes: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StockReport = z.infer<typeof StockReport>;

export const STOCK_REPORT_SORTS = ['asOf', 'id'] as const;

export const StockReportListQuery = z.strictObject({
  ...PageParams,
  sort: z.enum(STOCK_REPORT_SORTS).default('asOf'),
  group: CatalogCode.optional(),
  from: IsoDate.optional().describe('Reports dated on or after this date'),
  to: IsoDate.optional().describe('Reports dated on or before this date'),
});
export type StockReportListQuery = z.infer<typeof StockReportListQuery>;

export const StockReportPage = Page(StockReport);
export type StockReportPage = z.infer<typeof StockReportPage>;
