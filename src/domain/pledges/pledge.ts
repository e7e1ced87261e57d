import type { Lifecycle } from '../lifecycle.ts';
import type { CapabilityArea } from '../catalog/catalog.ts';

export const PLEDGE_KINDS = ['in-kind', 'procurement', 'funding', 'training'] as const;
export type PledgeKind = (typeof PLEDGE_KINDS)[number];

/** `coordinated` goes through the coordinator; `bilateral` is arranged donor to recipient. */
export const PLEDGE_CHANNELS = ['coordinated', 'bilateral'] as const;
export type PledgeChannel = (typeof PLEDGE_CHANNELS)[number];

export const PLEDGE_HORIZONS = ['one-off', 'multi-year'] as const;
export type PledgeHorizon = (typeof PLEDGE_HORIZONS)[number];

export const PLEDGE_STATUSES = ['announced', 'committed', 'contracted', 'delivering', 'delivered', 'withdrawn'] as const;
export type PledgeStatus = (typeof PLEDGE_STATUSES)[number];

/**
 * The pledge lifecycle.
 * - Stock given in kind may go from committed straight to delivering; procurement passes through contracted.
 * - A pledge may be withdrawn until it is delivered; delivered and withdrawn are final.
 */
export const PLEDGE_LIFECYCLE: Lifecycle<PledgeStatus> = {
  announced: ['committed', 'withdrawn'],
  committed: ['contracted', 'delivering', 'withdrawn'],
  contracted: ['delivering', 'withdrawn'],
  delivering: ['delivered', 'withdrawn'],
  delivered: [],
  withdrawn: [],
};

/** Statuses whose tranches the allocation plan counts as supply. */
export const PLANNABLE_PLEDGE_STATUSES: readonly PledgeStatus[] = ['committed', 'contracted', 'delivering'];

/** One scheduled part of a pledge. */
export interface Tranche {
  /** `<pledge id>/T<n>`. */
  id: string;
  pledgeId: string;
  seq: number;
  /** Units of the item (in-kind, procurement, training seats); null for funding. */
  quantity: number | null;
  /** Money in minor units (funding); null otherwise. */
  amountMinor: number | null;
  /** ISO date the donor expects the tranche to be available. */
  expectedOn: string;
}

/** One offer line of a donor. */
export interface Pledge {
  id: string;
  donor: string;
  kind: PledgeKind;
  channel: PledgeChannel;
  itemCode: string | null;
  /** Interchangeability group of the item offered; null for funding. */
  group: string | null;
  capabilityArea: CapabilityArea | null;
  /** Total units; null for funding. */
  quantity: number | null;
  /** Money in minor units of `currency`: the amount for funding, the declared value otherwise. */
  amountMinor: number | null;
  currency: string | null;
  horizon: PledgeHorizon;
  /** Years covered by a multi-year commitment. */
  years: number[];
  /** End uses the donor forbids (caveats). */
  forbids: string[];
  /** Requirement the pledge is designated to by bilateral arrangement. */
  designatedTo: string | null;
  meetingId: string | null;
  announcedOn: string;
  status: PledgeStatus;
  notes: string;
  tranches: Tranche[];
  version: number;
  createdAt: string;
  updatedAt: string;
}
