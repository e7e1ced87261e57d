import { z } from 'zod';
import { IsoDate } from './common.ts';

/** Filters of the pledge aggregates. */
export const PledgeAggregateQuery = z.strictObject({
  from: IsoDate.optional().describe('First announcement date counted'),
  to: IsoDate.optional().describe('Last announcement date counted'),
});
export type PledgeAggregateQuery = z.infer<typeof PledgeAggregateQuery>;

/** One cell: pledges announced in a capability area in a month, over every donor, with no line detail. */
export const PledgeAggregate = z.object({
  capabilityArea: z.string().describe('Capability area, or "funding" for money pledges'),
  month: z.string().describe('YYYY-MM of the announcement'),
  pledges: z.number().describe('Pledges announced (not withdrawn)'),
  donors: z.number().describe('Distinct donor nations'),
  quantity: z
    .number()
    .nullable()
    .describe('Units pledged (goods); null when fewer than 3 donors make up the cell, so no single donor can be read from it (coordinators always see it)'),
});

export const PledgeAggregatePage = z.object({ items: z.array(PledgeAggregate), minDonorsForQuantity: z.number() });
export type PledgeAggregatePage = z.infer<typeof PledgeAggregatePage>;
