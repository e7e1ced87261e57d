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

export async function buildRequirement(
  db: Kysely<Database>,
  overrides: Partial<{ id: string; itemCode: string | null; accepts: string[]; capabilityArea: string; quantity: number; priority: number; needBy: string; uses: string[]; status: string; title: string; notes: string }> = {},
) {
  let { accepts, itemCode = null, capabilityArea } = overrides;
  if (!accepts) {
    const item = itemCode ? undefined : await buildItem(db);
    itemCode = item?.code ?? itemCode;
    const group = item?.groupCode ?? (await db.selectFrom('itemTypes').select('groupCode').where('code', '=', itemCode!).executeTakeFirstOrThrow()).groupCode;
    accepts = [group];
  }
  const row = {
    id: `RT-${next()}`,
    quantity: 1000,
    priority: 2,
    needBy: '2026-06-01',
    uses: [] as string[],
    status: 'validated',
    title: 'Test requirement',
    notes: '',
    ...overrides,
    itemCode,
    accepts,
    capabilityArea: capabilityArea ?? 'ammunition',
  };
  return db.insertInto('requirements').values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * A pledge with its tranches, building its donor nation and (for goods) its item and group when not given.
 * By default one tranche carries the whole quantity (or amount).
 */
export async function buildPledge(
  db: Kysely<Database>,
  overrides: Partial<{
    id: string;
    donor: string;
    kind: string;
    channel: string;
    itemCode: string | null;
    groupCode: string | null;
    capabilityArea: string | null;
    quantity: number | null;
    amountMinor: number | null;
    currency: string | null;
    horizon: string;
    years: number[];
    forbids: string[];
    designatedTo: string | null;
    meetingId: string | null;
    announcedOn: string;
    status: string;
    notes: string;
    tranches: { quantity?: number | null; amountMinor?: number | null; expectedOn: string }[];
  }> = {},
) {
  const { tranches: trancheSpecs, ...fields } = overrides;
  const kind = fields.kind ?? 'in-kind';
  const funding = kind === 'funding';
  const donor = fields.donor ?? (await buildNation(db)).code;
  if (fields.donor) await buildNation(db, { code: fields.donor });
  let itemCode = fields.itemCode ?? null;
  let groupCode = fields.groupCode ?? null;
  let capabilityArea = fields.capabilityArea ?? null;
  if (!funding && !groupCode) {
    const item = itemCode
      ? await db.selectFrom('itemTypes').select(['code', 'groupCode', 'capabilityArea']).where('code', '=', itemCode).executeTakeFirstOrThrow()
      : await buildItem(db);
    itemCode = item.code;
    groupCode = item.groupCode;
    capabilityArea ??= item.capabilityArea;
  }
  const quantity = funding ? null : (fields.quantity ?? 1000);
  const amountMinor = fields.amountMinor ?? (funding ? 100_000_000 : null);
  const row = {
    id: `PT-${next()}`,
    channel: 'coordinated',
    horizon: 'one-off',
    years: [] as number[],
    forbids: [] as string[],
    designatedTo: null,
    meetingId: null,
    announcedOn: '2025-01-15',
    status: 'announced',
    notes: '',
    ...fields,
    donor,
    kind,
    itemCode: funding ? null : itemCode,
    groupCode: funding ? null : groupCode,
    capabilityArea: funding ? null : (capabilityArea ?? 'ammunition'),
    quantity,
    amountMinor,
    currency: fields.currency ?? (amountMinor !== null ? 'EUR' : null),
  };
  const pledge = await db.insertInto('pledges').values(row).returningAll().executeTakeFirstOrThrow();
  const specs = trancheSpecs ?? [{ quantity, amountMinor: funding ? amountMinor : null, expectedOn: '2025-06-01' }];
  const tranches = await db
    .insertInto('tranches')
    .values(
      specs.map((t, i) => ({
        id: `${pledge.id}/T${i + 1}`,
        pledgeId: pledge.id,
        seq: i + 1,
        quantity: funding ? null : (t.quantity ?? null),
        amountMinor: funding ? (t.amountMinor ?? null) : null,
        expectedOn: t.expectedOn,
      })),
    )
    .returningAll()
    .execute();
  return { ...pledge, tranches };
}
