import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** Test factories: each builds the parents it needs and returns what it made. Codes are unique per call. */
let counter = 0;
const next = () => (++counter).toString(36);

export async function buildGroup(db: Kysely<Database>, overrides: Partial<{ code: string; name: string; capabilityArea: string }> = {}) {
  const row = { code: `g-${next()}`, name: 'Test group', capabilityArea: 'ammunition', ...overrides };
  await db.insertInto('itemGroups').values(row).execute();
  return row;
}

export async function buildItem(db: Kysely<Database>, overrides: Partial<{ code: string; groupCode: string; capabilityArea: string; refPriceMinor: number; refPriceCurrency: string }> = {}) {
  const groupCode = overrides.groupCode ?? (await buildGroup(db, { capabilityArea: overrides.capabilityArea ?? 'ammunition' })).code;
  const row = {
    code: `i-${next()}`,
    name: 'Test item',
    groupCode,
    capabilityArea: 'ammunition',
    unit: 'round',
    refPriceMinor: 400_000,
    refPriceCurrency: 'EUR',
    refPriceYear: 2024,
    refPriceSource: 'test',
    ...overrides,
  };
  await db.insertInto('itemTypes').values(row).execute();
  return row;
}

export async function buildNation(db: Kysely<Database>, overrides: Partial<{ code: string; name: string; kind: string; participation: string }> = {}) {
  const code = overrides.code ?? `X${next().toUpperCase().padStart(2, 'A').slice(-2)}`;
  const row = { code, name: `Nation ${code}`, kind: 'ally', participation: 'participating', natoAccessionYear: 1949, source: 'test', ...overrides };
  await db.insertInto('nations').values(row).onConflict((oc) => oc.column('code').doNothing()).execute();
  return row;
}
