import { daysBetween } from '../dates.ts';

export const DELIVERY_STATUSES = ['shipped', 'received'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What actually moved: a tranche's quantity shipped by the donor and received by the recipient. */
export interface Delivery {
  id: string;
  trancheId: string;
  pledgeId: string;
  quantity: number;
  /** The tranche's expected date when it shipped: the promise slippage is measured against. */
  promisedOn: string;
  shippedOn: string;
  receivedOn: string | null;
  hub: string;
  status: DeliveryStatus;
  notes: string;
  version: number;
}

/** Slippage in days: received date minus promised date (negative when early); null until received. */
export function slippageDays(delivery: Pick<Delivery, 'promisedOn' | 'receivedOn'>): number | null {
  if (delivery.receivedOn === null) return null;
  return daysBetween(delivery.promisedOn, delivery.receivedOn);
}
