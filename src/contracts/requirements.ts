import { z } from 'zod';
import { REQUIREMENT_STATUSES } from '../domain/requirements/requirement.ts';
import { CapabilityArea, CatalogCode, ExternalId, IsoDate, PageParams, Quantity, Tag, csvList, Page } from './common.ts';

export const RequirementStatus = z.enum(REQUIREMENT_STATUSES);
export const Priority = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).describe('1 critical … 4 routine');

/** A new need line of the recipient. */
export const RequirementCreate = z
  .strictObject({
    id: ExternalId.optional().describe('External id; generated as R-nnnnnn when left out'),
    itemCode: CatalogCode.nullable().optional().describe('Preferred item type; its group is accepted'),
    accepts: z.array(CatalogCode).min(1).max(20).optional().describe('Interchangeability groups that meet the need; defaults to the item’s group'),
    quantity: Quantity,
    priority: Priority,
    needBy: IsoDate.describe('Date by which the items are needed'),
    uses: z.array(Tag).max(20).default([]).describe('Intended uses that donors’ caveats may forbid'),
    status: z.enum(['draft', 'submitted']).default('draft'),
    title: z.string().max(300).default(''),
    notes: z.string().max(5000).default(''),
  })
  .refine((v) => v.itemCode || v.accepts, { message: 'give an itemCode or the accepted groups', path: ['accepts'] });
export type RequirementCreate = z.infer<typeof RequirementCreate>;

/** Fields of a requirement that may change outside its lifecycle. */
export const RequirementUpdate = z.strictObject({
  itemCode: CatalogCode.nullable().optional(),
  accepts: z.array(CatalogCode).min(1).max(20).optional(),
  quantity: Quantity.optional(),
  priority: Priority.optional(),
  needBy: IsoDate.optional(),
  uses: z.array(Tag).max(20).optional(),
  title: z.string().max(300).optional(),
  notes: z.string().max(5000).optional(),
});
export type RequirementUpdate = z.infer<typeof RequirementUpdate>;

/** A lifecycle move. */
export const RequirementTransition = z.strictObject({ to: RequirementStatus });
export type RequirementTransition = z.infer<typeof RequirementTransition>;

export const Requirement = z.object({
  id: z.string(),
  itemCode: z.string().nullable(),
  accepts: z.array(z.string()),
  capabilityArea: CapabilityArea,
  quantity: z.number(),
  priority: z.number(),
  needBy: z.string(),
  uses: z.array(z.string()),
  status: RequirementStatus,
  allowedNext: z.array(RequirementStatus).describe('Statuses this requirement may move to next'),
  title: z.string(),
  notes: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Requirement = z.infer<typeof Requirement>;

export const REQUIREMENT_SORTS = ['needBy', 'priority', 'quantity', 'id', 'createdAt', 'updatedAt'] as const;

export const RequirementListQuery = z.strictObject({
  ...PageParams,
  sort: z.enum(REQUIREMENT_SORTS).default('needBy'),
  status: csvList(RequirementStatus).optional(),
  priority: csvList(z.coerce.number().int().min(1).max(4)).optional(),
  capabilityArea: csvList(CapabilityArea).optional(),
  group: CatalogCode.optional().describe('Only requirements that accept this group'),
  needByFrom: IsoDate.optional(),
  needByTo: IsoDate.optional(),
  q: z.string().max(200).optional().describe('Text found in the title or id'),
});
export type RequirementListQuery = z.infer<typeof RequirementListQuery>;

export const RequirementPage = Page(Requirement);
export type RequirementPage = z.infer<typeof RequirementPage>;
