/** The capability areas every requirement, pledge and item type falls under. */
export const CAPABILITY_AREAS = [
  'air-defence',
  'artillery',
  'ammunition',
  'armour',
  'aviation',
  'drones',
  'counter-drone',
  'electronic-warfare',
  'engineering-demining',
  'medical',
  'logistics',
  'communications',
  'training',
  'sustainment',
] as const;
export type CapabilityArea = (typeof CAPABILITY_AREAS)[number];

/** Units in which item quantities are counted. */
export const UNITS = ['each', 'round', 'system', 'vehicle', 'kit', 'set', 'pallet', 'seat', 'litre', 'tonne'] as const;
export type Unit = (typeof UNITS)[number];

/** Items that can stand in for each other (every NATO 155 mm HE round serves any 155 mm howitzer). */
export interface ItemGroup {
  /** Stable code, kebab-case: `155mm-he`. */
  code: string;
  name: string;
  capabilityArea: CapabilityArea;
}

/** A catalog entry. */
export interface ItemType {
  /** Stable code, kebab-case: `155mm-he-m795`. */
  code: string;
  name: string;
  group: string;
  capabilityArea: CapabilityArea;
  unit: Unit;
  /** Reference unit price in minor units of `refPriceCurrency`. */
  refPriceMinor: number;
  refPriceCurrency: string;
  /** Price year of the reference price. */
  refPriceYear: number;
  refPriceSource: string;
}

const CODE = /^[a-z0-9][a-z0-9.-]{0,62}$/;

/** Whether a catalog code is well formed: lower case letters, digits, dots and dashes. */
export function isCatalogCode(value: string): boolean {
  return CODE.test(value);
}
