import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, ItemGroupsTable, ItemTypesTable } from './schema.ts';
import { decodeCursor, encodeCursor } from './paging.ts';

export type ItemGroupRow = Selectable<ItemGroupsTable>;
export type ItemGroupWithCountRow = ItemGroupRow & { itemCount: number };
export type ItemTypeRow = Selectable<ItemTypesTable>;

export interface ItemGroupFilter {
  capabilityArea?: string[] | undefined;
  q?: string | undefined;
}

export interface ItemTypeFilter {
  capabilityArea?: string[] | undefined;
  group?: string | undefined;
  q?: string | undefined;
}

/** Sort keys of the API mapped to columns: the allow-list that keeps user input out of SQL. */
export const ITEM_TYPE_SORT_COLUMNS = { code: 'code', name: 'name', refPrice: 'ref_price_minor' } as const;
type ItemTypeSort = keyof typeof ITEM_TYPE_SORT_COLUMNS;

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Groups with the number of item types in each, by code. */
export async function listItemGroupRows(db: Kysely<Database>, filter: ItemGroupFilter & { code?: string }): Promise<ItemGroupWithCountRow[]> {
  let q = db
    .selectFrom('itemGroups')
    .leftJoin('itemTypes', 'itemTypes.groupCode', 'itemGroups.code')
    .select(['itemGroups.code', 'itemGroups.name', 'itemGroups.capabilityArea'])
    .select((eb) => eb.fn.count<number>('itemTypes.code').as('itemCount'))
    .groupBy(['itemGroups.code', 'itemGroups.name', 'itemGroups.capabilityArea']);
  if (filter.code) q = q.where('itemGroups.code', '=', filter.code);
  if (filter.capabilityArea) q = q.where('itemGroups.capabilityArea', 'in', filter.capabilityArea);
  if (filter.q) {
    const like = likePattern(filter.q);
    q = q.where((eb) => eb.or([eb('itemGroups.code', 'ilike', like), eb('itemGroups.name', 'ilike', like)]));
  }
  const rows = await q.orderBy('itemGroups.code').execute();
  return rows.map((r) => ({ ...r, itemCount: Number(r.itemCount) }));
}

export async function findItemGroup(db: Kysely<Database>, code: string, forUpdate = false): Promise<ItemGroupRow | undefined> {
  let q = db.selectFrom('itemGroups').selectAll().where('code', '=', code);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertItemGroup(db: Kysely<Database>, row: ItemGroupRow): Promise<ItemGroupRow> {
  return db.insertInto('itemGroups').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function renameItemGroup(db: Kysely<Database>, code: string, name: string): Promise<ItemGroupRow | undefined> {
  return db.updateTable('itemGroups').set({ name }).where('code', '=', code).returningAll().executeTakeFirst();
}

export async function findItemType(db: Kysely<Database>, code: string, forUpdate = false): Promise<ItemTypeRow | undefined> {
  let q = db.selectFrom('itemTypes').selectAll().where('code', '=', code);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertItemType(db: Kysely<Database>, row: Omit<ItemTypeRow, 'version' | 'updatedAt'>): Promise<ItemTypeRow> {
  return db.insertInto('itemTypes').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Writes new field values if the stored version is still `expectedVersion`; bumps the version. */
export async function updateItemTypeRow(
  db: Kysely<Database>,
  code: string,
  values: Partial<Omit<ItemTypeRow, 'code' | 'version' | 'updatedAt'>>,
  expectedVersion: number,
): Promise<ItemTypeRow | undefined> {
  return db
    .updateTable('itemTypes')
    .set({ ...values, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('code', '=', code)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

/**
 * One page of item types.
 * - Keyset over (sort column, code): the code is the item's id, so the order is total and stable.
 * - One extra row is fetched to tell whether a next page exists.
 */
export async function listItemTypeRows(
  db: Kysely<Database>,
  filter: ItemTypeFilter,
  page: { sort: ItemTypeSort; order: 'asc' | 'desc'; limit: number; cursor?: string | undefined },
): Promise<{ items: ItemTypeRow[]; nextCursor: string | null }> {
  let q = db.selectFrom('itemTypes').selectAll();
  if (filter.capabilityArea) q = q.where('capabilityArea', 'in', filter.capabilityArea);
  if (filter.group) q = q.where('groupCode', '=', filter.group);
  if (filter.q) {
    const like = likePattern(filter.q);
    q = q.where((eb) => eb.or([eb('code', 'ilike', like), eb('name', 'ilike', like)]));
  }
  const sortRef = sql.ref(`item_types.${ITEM_TYPE_SORT_COLUMNS[page.sort]}`);
  const keyRef = sql.ref('item_types.code');
  if (page.cursor) {
    const c = decodeCursor(page.cursor);
    const cmp = page.order === 'asc' ? sql`>` : sql`<`;
    q = q.where(sql<boolean>`(${sortRef}, ${keyRef}) ${cmp} (${c.value}, ${c.id})`);
  }
  const dir = page.order === 'asc' ? sql`asc` : sql`desc`;
  const rows = await q.orderBy(sql`${sortRef} ${dir}`).orderBy(sql`${keyRef} ${dir}`).limit(page.limit + 1).execute();
  if (rows.length <= page.limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1]!;
  const value = page.sort === 'refPrice' ? last.refPriceMinor : page.sort === 'name' ? last.name : last.code;
  return { items, nextCursor: encodeCursor({ value, id: last.code }) };
}

/** Every item type of a group, by code. */
export async function listItemTypesOfGroup(db: Kysely<Database>, group: string): Promise<ItemTypeRow[]> {
  return db.selectFrom('itemTypes').selectAll().where('groupCode', '=', group).orderBy('code').execute();
}
