import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, PledgesTable, TranchesTable } from './schema.ts';
import { finishKeysetPage, keysetByExpression, type PageRequest } from './paging.ts';

export type PledgeRow = Selectable<PledgesTable>;
export type TrancheRow = Selectable<TranchesTable>;

/** Units shipped and received against one tranche. */
export interface TrancheProgress {
  trancheId: string;
  delivered: number;
  received: number;
  deliveries: number;
}

/** Filters of the pledge list; every one optional. */
export interface PledgeFilter {
  donor?: string[] | undefined;
  kind?: string[] | undefined;
  channel?: string | undefined;
  status?: string[] | undefined;
  capabilityArea?: string[] | undefined;
  group?: string | undefined;
  meeting?: string | undefined;
  announcedFrom?: string | undefined;
  announcedTo?: string | undefined;
  designated?: boolean | undefined;
}

/**
 * Sort keys of the API mapped to SQL expressions: the allow-list that keeps user input out of SQL.
 * - Funding pledges have no quantity; they sort as 0 so that the keyset comparison never meets a null.
 * - Timestamps are cut to milliseconds, the precision a cursor carries through JavaScript, so that no row
 *   is repeated on the next page.
 */
export const PLEDGE_SORT_EXPRESSIONS = {
  announcedOn: sql`pledges.announced_on`,
  id: sql`pledges.id`,
  quantity: sql`coalesce(pledges.quantity, 0)`,
  createdAt: sql`date_trunc('milliseconds', pledges.created_at)`,
  updatedAt: sql`date_trunc('milliseconds', pledges.updated_at)`,
} as const;

/** The next generated pledge id, `P-000123`. */
export async function nextPledgeId(db: Kysely<Database>): Promise<string> {
  const r = await sql<{ n: number }>`select nextval('pledge_ids') as n`.execute(db);
  return `P-${String(r.rows[0]!.n).padStart(6, '0')}`;
}

/** The id of a pledge's n-th tranche. */
export const trancheIdOf = (pledgeId: string, seq: number) => `${pledgeId}/T${seq}`;

export async function findPledge(db: Kysely<Database>, id: string, forUpdate = false): Promise<PledgeRow | undefined> {
  let q = db.selectFrom('pledges').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertPledge(db: Kysely<Database>, row: Omit<PledgeRow, 'version' | 'createdAt' | 'updatedAt' | 'releasability'> & { releasability?: string[] }): Promise<PledgeRow> {
  return db.insertInto('pledges').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Writes new field values if the stored version is still `expectedVersion`; bumps the version. */
export async function updatePledgeRow(
  db: Kysely<Database>,
  id: string,
  values: Partial<Omit<PledgeRow, 'id' | 'version' | 'createdAt' | 'updatedAt'>>,
  expectedVersion: number,
): Promise<PledgeRow | undefined> {
  return db
    .updateTable('pledges')
    .set({ ...values, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

/** The tranches of the given pledges, in pledge and sequence order. */
export async function findTranchesOfPledges(db: Kysely<Database>, pledgeIds: readonly string[]): Promise<TrancheRow[]> {
  if (pledgeIds.length === 0) return [];
  return db.selectFrom('tranches').selectAll().where('pledgeId', 'in', [...new Set(pledgeIds)]).orderBy('pledgeId').orderBy('seq').execute();
}

/** One tranche by id. */
export async function findTranche(db: Kysely<Database>, id: string): Promise<TrancheRow | undefined> {
  return db.selectFrom('tranches').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Replaces a pledge's tranches by sequence number: the n-th new tranche overwrites tranche n in place (its id
 * and the deliveries against it stay), new sequence numbers are inserted, and those past the new count are
 * deleted. The caller checks that no delivery references a deleted one.
 */
export async function replaceTranches(db: Kysely<Database>, pledgeId: string, tranches: readonly Omit<TrancheRow, 'id' | 'pledgeId' | 'seq'>[]): Promise<void> {
  await db.deleteFrom('tranches').where('pledgeId', '=', pledgeId).where('seq', '>', tranches.length).execute();
  const rows = tranches.map((t, i) => ({ id: trancheIdOf(pledgeId, i + 1), pledgeId, seq: i + 1, ...t }));
  await db
    .insertInto('tranches')
    .values(rows)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        quantity: eb.ref('excluded.quantity'),
        amountMinor: eb.ref('excluded.amountMinor'),
        expectedOn: eb.ref('excluded.expectedOn'),
      })),
    )
    .execute();
}

/** Shipped and received units per tranche (tranches without deliveries are left out). */
export async function trancheProgress(db: Kysely<Database>, trancheIds: readonly string[]): Promise<Map<string, TrancheProgress>> {
  if (trancheIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('deliveries')
    .select((eb) => [
      'trancheId',
      sql<number>`coalesce(sum(quantity), 0)::bigint`.as('delivered'),
      sql<number>`coalesce(sum(quantity) filter (where status = 'received'), 0)::bigint`.as('received'),
      eb.fn.countAll<number>().as('deliveries'),
    ])
    .where('trancheId', 'in', [...new Set(trancheIds)])
    .groupBy('trancheId')
    .execute();
  return new Map(rows.map((r) => [r.trancheId, { trancheId: r.trancheId, delivered: Number(r.delivered), received: Number(r.received), deliveries: Number(r.deliveries) }]));
}

/** Whether a nation with this code exists. */
export async function nationExists(db: Kysely<Database>, code: string): Promise<boolean> {
  return (await db.selectFrom('nations').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
}

/** Whether a meeting with this id exists. */
export async function meetingExists(db: Kysely<Database>, id: string): Promise<boolean> {
  return (await db.selectFrom('meetings').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** The groups and status of a requirement a pledge may be designated to. */
export async function findRequirementForDesignation(db: Kysely<Database>, id: string) {
  return db.selectFrom('requirements').select(['id', 'accepts', 'status']).where('id', '=', id).executeTakeFirst();
}

/** One page of pledges matching the filter. */
export async function listPledgeRows(
  db: Kysely<Database>,
  filter: PledgeFilter,
  sort: keyof typeof PLEDGE_SORT_EXPRESSIONS,
  page: Omit<PageRequest, 'sortColumn'>,
): Promise<{ items: PledgeRow[]; nextCursor: string | null }> {
  let q = db.selectFrom('pledges').selectAll('pledges');
  if (filter.donor) q = q.where('donor', 'in', filter.donor);
  if (filter.kind) q = q.where('kind', 'in', filter.kind);
  if (filter.channel) q = q.where('channel', '=', filter.channel);
  if (filter.status) q = q.where('status', 'in', filter.status);
  if (filter.capabilityArea) q = q.where('capabilityArea', 'in', filter.capabilityArea);
  if (filter.group) q = q.where('groupCode', '=', filter.group);
  if (filter.meeting) q = q.where('meetingId', '=', filter.meeting);
  if (filter.announcedFrom) q = q.where('announcedOn', '>=', filter.announcedFrom);
  if (filter.announcedTo) q = q.where('announcedOn', '<=', filter.announcedTo);
  if (filter.designated === true) q = q.where('designatedTo', 'is not', null);
  if (filter.designated === false) q = q.where('designatedTo', 'is', null);
  const rows = (await keysetByExpression(q, PLEDGE_SORT_EXPRESSIONS[sort], 'pledges.id', page).execute()) as (PledgeRow & { sortKey: unknown })[];
  return finishKeysetPage(rows, page.limit);
}
