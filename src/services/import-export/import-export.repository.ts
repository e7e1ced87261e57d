import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../../store/schema.ts';

/**
 * Bulk reads and writes of the import and export use cases. Kept beside them (not in src/store) while the
 * catalog, pledge and delivery repositories are being written; the only SQL of this folder is here.
 * - Reads take a set of keys and answer in chunks of 1,000 keys, one query per chunk, never one per row.
 * - Inserts go in batches sized to stay far below PostgreSQL's 65,535 parameters per statement.
 */
type Db = Kysely<Database>;

const KEY_CHUNK = 1000;

/** Runs `query` over `keys` in chunks and concatenates the answers. */
async function inChunks<K, R>(keys: Iterable<K>, query: (chunk: K[]) => Promise<R[]>): Promise<R[]> {
  const all = [...new Set(keys)];
  const out: R[] = [];
  for (let i = 0; i < all.length; i += KEY_CHUNK) out.push(...(await query(all.slice(i, i + KEY_CHUNK))));
  return out;
}

/** Inserts rows into `table` in batches that keep each statement under ~20,000 parameters. */
export async function insertInBatches<T extends keyof Database & string>(db: Db, table: T, rows: readonly Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const width = Object.keys(rows[0]!).length;
  const size = Math.max(1, Math.floor(20_000 / width));
  for (let i = 0; i < rows.length; i += size) {
    await db.insertInto(table).values(rows.slice(i, i + size) as never).execute();
  }
}

/** Bumps version and update time; the caller sets the other columns. */
export const bump = { version: sql<number>`version + 1`, updatedAt: sql<Date>`now()` };

export const loadItemTypes = (db: Db, codes: Iterable<string>) =>
  inChunks(codes, (c) => db.selectFrom('itemTypes').selectAll().where('code', 'in', c).execute());

export const loadItemGroups = (db: Db, codes: Iterable<string>) =>
  inChunks(codes, (c) => db.selectFrom('itemGroups').selectAll().where('code', 'in', c).execute());

export const loadNations = (db: Db, codes: Iterable<string>) =>
  inChunks(codes, (c) => db.selectFrom('nations').select(['code', 'kind']).where('code', 'in', c).execute());

export const loadMeetingIds = (db: Db, ids: Iterable<string>) =>
  inChunks(ids, (c) => db.selectFrom('meetings').select('id').where('id', 'in', c).execute());

export const loadRequirements = (db: Db, ids: Iterable<string>) =>
  inChunks(ids, (c) => db.selectFrom('requirements').selectAll().where('id', 'in', c).execute());

export const loadPledges = (db: Db, ids: Iterable<string>) =>
  inChunks(ids, (c) => db.selectFrom('pledges').selectAll().where('id', 'in', c).execute());

export const loadTranchesOfPledges = (db: Db, pledgeIds: Iterable<string>) =>
  inChunks(pledgeIds, (c) => db.selectFrom('tranches').selectAll().where('pledgeId', 'in', c).orderBy('pledgeId').orderBy('seq').execute());

/** Tranches by id, with the kind and status of their pledge. */
export const loadTranchesWithPledge = (db: Db, ids: Iterable<string>) =>
  inChunks(ids, (c) =>
    db
      .selectFrom('tranches')
      .innerJoin('pledges', 'pledges.id', 'tranches.pledgeId')
      .select(['tranches.id', 'tranches.pledgeId', 'tranches.seq', 'tranches.quantity', 'tranches.expectedOn', 'pledges.kind', 'pledges.status as pledgeStatus'])
      .where('tranches.id', 'in', c)
      .execute(),
  );

export const loadDeliveries = (db: Db, ids: Iterable<string>) =>
  inChunks(ids, (c) => db.selectFrom('deliveries').selectAll().where('id', 'in', c).execute());

/** Id, tranche and quantity of every delivery against the given tranches. */
export const loadDeliveriesOfTranches = (db: Db, trancheIds: Iterable<string>) =>
  inChunks(trancheIds, (c) => db.selectFrom('deliveries').select(['id', 'trancheId', 'quantity']).where('trancheId', 'in', c).execute());

/** Keyset pages over a table's text primary key, `size` rows at a time. */
export async function* pagesById<T extends 'itemTypes' | 'requirements' | 'pledges' | 'deliveries'>(
  db: Db,
  table: T,
  size: number,
): AsyncGenerator<Selectable<Database[T]>[]> {
  const key = table === 'itemTypes' ? 'code' : 'id';
  let after: string | null = null;
  for (;;) {
    let q = db.selectFrom(table as 'requirements').selectAll();
    if (after !== null) q = q.where(sql.ref(key), '>', after);
    const rows = (await q.orderBy(sql.ref(key)).limit(size).execute()) as unknown as Record<string, unknown>[];
    if (rows.length === 0) return;
    yield rows as never;
    if (rows.length < size) return;
    after = rows[rows.length - 1]![key] as string;
  }
}
