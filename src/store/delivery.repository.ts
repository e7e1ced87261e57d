import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, DeliveriesTable } from './schema.ts';
import { finishKeysetPage, keysetByExpression, type PageRequest } from './paging.ts';

export type DeliveryRow = Selectable<DeliveriesTable>;

/** A delivery with the pledge it ships: what a reader of one delivery wants beside it. */
export type DeliveryWithPledgeRow = DeliveryRow & { pledgeId: string; donor: string; groupCode: string | null };

/** Filters of the delivery list; every one optional. */
export interface DeliveryFilter {
  donor?: string[] | undefined;
  pledge?: string | undefined;
  status?: string[] | undefined;
  group?: string | undefined;
  shippedFrom?: string | undefined;
  shippedTo?: string | undefined;
  receivedFrom?: string | undefined;
  receivedTo?: string | undefined;
}

/**
 * Sort keys of the API mapped to SQL expressions (the allow-list).
 * - Deliveries not yet received sort as if received on 9999-12-31: last when ascending, and never a null
 *   in the keyset comparison.
 * - Timestamps are cut to milliseconds, the precision a cursor carries.
 */
export const DELIVERY_SORT_EXPRESSIONS = {
  shippedOn: sql`deliveries.shipped_on`,
  receivedOn: sql`coalesce(deliveries.received_on, date '9999-12-31')`,
  promisedOn: sql`deliveries.promised_on`,
  quantity: sql`deliveries.quantity`,
  id: sql`deliveries.id`,
  createdAt: sql`date_trunc('milliseconds', deliveries.created_at)`,
  updatedAt: sql`date_trunc('milliseconds', deliveries.updated_at)`,
} as const;

/** The next generated delivery id, `D-0000123`. */
export async function nextDeliveryId(db: Kysely<Database>): Promise<string> {
  const r = await sql<{ n: number }>`select nextval('delivery_ids') as n`.execute(db);
  return `D-${String(r.rows[0]!.n).padStart(7, '0')}`;
}

function withPledge(db: Kysely<Database>) {
  return db
    .selectFrom('deliveries')
    .innerJoin('tranches', 'tranches.id', 'deliveries.trancheId')
    .innerJoin('pledges', 'pledges.id', 'tranches.pledgeId')
    .selectAll('deliveries')
    .select(['pledges.id as pledgeId', 'pledges.donor as donor', 'pledges.groupCode as groupCode']);
}

/** One delivery with its pledge's id, donor and group. */
export async function findDelivery(db: Kysely<Database>, id: string, forUpdate = false): Promise<DeliveryWithPledgeRow | undefined> {
  let q = withPledge(db).where('deliveries.id', '=', id);
  // Lock the delivery only: callers lock its pledge first, and the tranche is not theirs to lock.
  if (forUpdate) q = q.forUpdate(['deliveries']);
  return q.executeTakeFirst();
}

export async function insertDelivery(db: Kysely<Database>, row: Omit<DeliveryRow, 'version' | 'createdAt' | 'updatedAt'>): Promise<DeliveryRow> {
  return db.insertInto('deliveries').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Writes new field values if the stored version is still `expectedVersion`; bumps the version. */
export async function updateDeliveryRow(
  db: Kysely<Database>,
  id: string,
  values: Partial<Omit<DeliveryRow, 'id' | 'trancheId' | 'version' | 'createdAt' | 'updatedAt'>>,
  expectedVersion: number,
): Promise<DeliveryRow | undefined> {
  return db
    .updateTable('deliveries')
    .set({ ...values, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

/** Whether a delivery with this id exists. */
export async function deliveryExists(db: Kysely<Database>, id: string): Promise<boolean> {
  return (await db.selectFrom('deliveries').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Deliveries already recorded against any tranche of the pledge. */
export async function countDeliveriesOfPledge(db: Kysely<Database>, pledgeId: string): Promise<number> {
  const r = await db
    .selectFrom('deliveries')
    .innerJoin('tranches', 'tranches.id', 'deliveries.trancheId')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tranches.pledgeId', '=', pledgeId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One page of deliveries matching the filter, with their pledges. */
export async function listDeliveryRows(
  db: Kysely<Database>,
  filter: DeliveryFilter,
  sort: keyof typeof DELIVERY_SORT_EXPRESSIONS,
  page: Omit<PageRequest, 'sortColumn'>,
): Promise<{ items: DeliveryWithPledgeRow[]; nextCursor: string | null }> {
  let q = withPledge(db);
  if (filter.donor) q = q.where('pledges.donor', 'in', filter.donor);
  if (filter.pledge) q = q.where('pledges.id', '=', filter.pledge);
  if (filter.status) q = q.where('deliveries.status', 'in', filter.status);
  if (filter.group) q = q.where('pledges.groupCode', '=', filter.group);
  if (filter.shippedFrom) q = q.where('deliveries.shippedOn', '>=', filter.shippedFrom);
  if (filter.shippedTo) q = q.where('deliveries.shippedOn', '<=', filter.shippedTo);
  if (filter.receivedFrom) q = q.where('deliveries.receivedOn', '>=', filter.receivedFrom);
  if (filter.receivedTo) q = q.where('deliveries.receivedOn', '<=', filter.receivedTo);
  const rows = (await keysetByExpression(q, DELIVERY_SORT_EXPRESSIONS[sort], 'deliveries.id', page).execute()) as (DeliveryWithPledgeRow & { sortKey: unknown })[];
  return finishKeysetPage(rows, page.limit);
}
