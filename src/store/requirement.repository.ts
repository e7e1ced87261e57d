import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, RequirementsTable } from './schema.ts';
import { applyKeyset, finishPage, type PageRequest } from './paging.ts';

export type RequirementRow = Selectable<RequirementsTable>;

/** Filters of the requirement list; every one optional. */
export interface RequirementFilter {
  status?: string[] | undefined;
  priority?: number[] | undefined;
  capabilityArea?: string[] | undefined;
  group?: string | undefined;
  needByFrom?: string | undefined;
  needByTo?: string | undefined;
  q?: string | undefined;
}

/** Sort keys of the API mapped to columns: the allow-list that keeps user input out of SQL. */
export const REQUIREMENT_SORT_COLUMNS = {
  needBy: 'need_by',
  priority: 'priority',
  quantity: 'quantity',
  id: 'id',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const;

/** The next generated requirement id, `R-000123`. */
export async function nextRequirementId(db: Kysely<Database>): Promise<string> {
  const r = await sql<{ n: number }>`select nextval('requirement_ids') as n`.execute(db);
  return `R-${String(r.rows[0]!.n).padStart(6, '0')}`;
}

export async function findRequirement(db: Kysely<Database>, id: string, forUpdate = false): Promise<RequirementRow | undefined> {
  let q = db.selectFrom('requirements').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertRequirements(db: Kysely<Database>, rows: Omit<RequirementRow, 'version' | 'createdAt' | 'updatedAt'>[]): Promise<RequirementRow[]> {
  if (rows.length === 0) return [];
  return db.insertInto('requirements').values(rows).returningAll().execute();
}

/** Writes new field values if the stored version is still `expectedVersion`; bumps the version. */
export async function updateRequirementRow(
  db: Kysely<Database>,
  id: string,
  values: Partial<Omit<RequirementRow, 'id' | 'version' | 'createdAt' | 'updatedAt'>>,
  expectedVersion: number,
): Promise<RequirementRow | undefined> {
  return db
    .updateTable('requirements')
    .set({ ...values, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

/** One page of requirements matching the filter. */
export async function listRequirementRows(
  db: Kysely<Database>,
  filter: RequirementFilter,
  page: PageRequest,
  sortValue: (row: RequirementRow) => string | number | null,
): Promise<{ items: RequirementRow[]; nextCursor: string | null }> {
  let q = db.selectFrom('requirements').selectAll('requirements');
  if (filter.status) q = q.where('status', 'in', filter.status);
  if (filter.priority) q = q.where('priority', 'in', filter.priority);
  if (filter.capabilityArea) q = q.where('capabilityArea', 'in', filter.capabilityArea);
  if (filter.group) q = q.where(sql<boolean>`${filter.group} = any(accepts)`);
  if (filter.needByFrom) q = q.where('needBy', '>=', filter.needByFrom);
  if (filter.needByTo) q = q.where('needBy', '<=', filter.needByTo);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('title', 'ilike', like), eb('id', 'ilike', like)]));
  }
  const rows = await applyKeyset(q, 'requirements', page).execute();
  return finishPage(rows, page, sortValue);
}
