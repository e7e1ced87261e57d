import { z } from 'zod';
import { DELIVERY_STATUSES } from '../domain/deliveries/delivery.ts';
import { CatalogCode, ExternalId, IsoDate, NationCode, Page, PageParams, Quantity, csvList } from './common.ts';
import { TrancheId, onAnyObject } from './pledges.ts';

export const DeliveryStatus = z.enum(DELIVERY_STATUSES);

const Hub = z.string().trim().min(1, 'must not be empty').max(200);

/** A shipment against one tranche of a pledge, as the donor records it. */
export const DeliveryCreate = z
  .strictObject({
    id: ExternalId.optional().describe('External id; generated as D-nnnnnnn when left out'),
    trancheId: TrancheId.describe('Tranche shipped against, `<pledge id>/T<n>`'),
    quantity: Quantity.describe('Units shipped; all deliveries of a tranche add up to no more than the tranche'),
    shippedOn: IsoDate.describe('Date shipped'),
    hub: Hub.describe('Logistics hub the delivery goes through'),
    receivedOn: IsoDate.optional().describe('Date received, when the receipt is already confirmed'),
    notes: z.string().max(5000).default(''),
  })
  .superRefine(
    (v, ctx) => {
      if (typeof v.receivedOn === 'string' && typeof v.shippedOn === 'string' && v.receivedOn < v.shippedOn) {
        ctx.addIssue({ code: 'custom', path: ['receivedOn'], message: `${v.receivedOn} is before the shipping date ${v.shippedOn}` });
      }
    },
    onAnyObject,
  );
export type DeliveryCreate = z.infer<typeof DeliveryCreate>;

/** The recipient's confirmation that a delivery arrived. */
export const DeliveryReceipt = z.strictObject({
  receivedOn: IsoDate.describe('Date the delivery arrived; not before it shipped'),
});
export type DeliveryReceipt = z.infer<typeof DeliveryReceipt>;

/** Corrections to a delivery; receipt itself goes through POST /deliveries/:id/receipt. */
export const DeliveryUpdate = z.strictObject({
  hub: Hub.optional(),
  notes: z.string().max(5000).optional(),
  shippedOn: IsoDate.optional(),
  receivedOn: IsoDate.optional().describe('Corrects the date of a receipt already confirmed'),
});
export type DeliveryUpdate = z.infer<typeof DeliveryUpdate>;

export const Delivery = z.object({
  id: z.string(),
  trancheId: z.string(),
  pledgeId: z.string(),
  donor: z.string(),
  group: z.string().nullable(),
  quantity: z.number(),
  promisedOn: z.string().describe('The tranche’s expected date when the delivery was recorded'),
  shippedOn: z.string(),
  receivedOn: z.string().nullable(),
  slippageDays: z.number().nullable().describe('Received minus promised date, in days; null until received'),
  hub: z.string(),
  status: DeliveryStatus,
  notes: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Delivery = z.infer<typeof Delivery>;

export const DELIVERY_SORTS = ['shippedOn', 'receivedOn', 'promisedOn', 'quantity', 'id', 'createdAt', 'updatedAt'] as const;

export const DeliveryListQuery = z.strictObject({
  ...PageParams,
  sort: z.enum(DELIVERY_SORTS).default('shippedOn'),
  donor: csvList(NationCode).optional(),
  pledge: ExternalId.optional().describe('Deliveries against this pledge'),
  status: csvList(DeliveryStatus).optional(),
  group: CatalogCode.optional(),
  shippedFrom: IsoDate.optional(),
  shippedTo: IsoDate.optional(),
  receivedFrom: IsoDate.optional(),
  receivedTo: IsoDate.optional(),
});
export type DeliveryListQuery = z.infer<typeof DeliveryListQuery>;

export const DeliveryPage = Page(Delivery);
export type DeliveryPage = z.infer<typeof DeliveryPage>;
