import { z } from 'zod';
import { UNITS } from '../domain/catalog/catalog.ts';
import { CapabilityArea, CatalogCode, PageParams, Page, csvList } from './common.ts';
import { Currency } from './fx-rates.ts';

export const Unit = z.enum(UNITS).describe('Unit of count');

/** A reference unit price on the wire: major units of a currency, with its year and source. */
export const RefPrice = z.strictObject({
  amount: z.number().refine(Number.isFinite, 'must be a finite number').min(0, 'must not be negative').max(1e13, 'is too large').describe('Unit price in major units (4000.50)'),
  currency: Currency,
  year: z.number().int('must be a whole year').min(1990, 'must be 1990 or later').max(2100, 'must be 2100 or earlier').describe('Price year'),
  source: z.string().max(2000).default('').describe('Where the price comes from'),
});
export type RefPrice = z.infer<typeof RefPrice>;

// ---- item groups ----

/** A new interchangeability group. */
export const ItemGroupCreate = z.strictObject({
  code: CatalogCode,
  name: z.string().trim().min(1, 'must not be empty').max(200),
  capabilityArea: CapabilityArea,
});
export type ItemGroupCreate = z.infer<typeof ItemGroupCreate>;

/** A group's name may change; its code and area are what other records rely on. */
export const ItemGroupUpdate = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200),
});
export type ItemGroupUpdate = z.infer<typeof ItemGroupUpdate>;

export const ItemGroup = z.object({
  code: z.string(),
  name: z.string(),
  capabilityArea: CapabilityArea,
  itemCount: z.number().describe('Item types in the group'),
});
export type ItemGroup = z.infer<typeof ItemGroup>;

export const ItemGroupListQuery = z.strictObject({
  capabilityArea: csvList(CapabilityArea).optional(),
  q: z.string().max(200).optional().describe('Text found in the code or name'),
});
export type ItemGroupListQuery = z.infer<typeof ItemGroupListQuery>;

export const ItemGroupList = z.object({ items: z.array(ItemGroup) });
export type ItemGroupList = z.infer<typeof ItemGroupList>;

// ---- item types ----

/** A new catalog entry; its capability area is its group's. */
export const ItemTypeCreate = z.strictObject({
  code: CatalogCode,
  name: z.string().trim().min(1, 'must not be empty').max(200),
  group: CatalogCode.describe('Interchangeability group code'),
  unit: Unit,
  refPrice: RefPrice,
});
export type ItemTypeCreate = z.infer<typeof ItemTypeCreate>;

export const ItemTypeUpdate = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  group: CatalogCode.optional().describe('Moving to another group also moves the item to that group’s area'),
  unit: Unit.optional(),
  refPrice: RefPrice.optional(),
});
export type ItemTypeUpdate = z.infer<typeof ItemTypeUpdate>;

export const ItemType = z.object({
  code: z.string(),
  name: z.string(),
  group: z.string(),
  capabilityArea: CapabilityArea,
  unit: Unit,
  refPrice: z.object({ amount: z.number(), currency: z.string(), year: z.number(), source: z.string() }),
  version: z.number(),
  updatedAt: z.string(),
});
export type ItemType = z.infer<typeof ItemType>;

export const ItemGroupDetail = ItemGroup.extend({ items: z.array(ItemType) });
export type ItemGroupDetail = z.infer<typeof ItemGroupDetail>;

export const ITEM_TYPE_SORTS = ['code', 'name', 'refPrice'] as const;

export const ItemTypeListQuery = z.strictObject({
  ...PageParams,
  sort: z.enum(ITEM_TYPE_SORTS).default('code').describe('refPrice sorts by the amount in minor units of each item’s own currency'),
  capabilityArea: csvList(CapabilityArea).optional(),
  group: CatalogCode.optional(),
  q: z.string().max(200).optional().describe('Text found in the code or name'),
});
export type ItemTypeListQuery = z.infer<typeof ItemTypeListQuery>;

export const ItemTypePage = Page(ItemType);
export type ItemTypePage = z.infer<typeof ItemTypePage>;
