import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, StockReportsTable } from './schema.ts';
import { applyKeyset, finishPage, type PageRequest } from './paging.ts';

export type StockReportRow = Selectable<StockReportsTable>;

export interface StockReportFilter {
  group?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Sort keys of the API mapped to columns: the allow-list that keeps user input out of SQL. */
export const STOCK_REPORT_SORT_COLUMNS = { asOf: 'as_of', id: 'id' } as const;

/** The next generated stock report id, `S-000123`. */
export async function nextStockReportId(db: Kysely<Database>): Promise<string> {
  const r = await sql<{ n: number }>`select nextval('stock_report_ids') as n`.execute(db);
  return `S-${String(r.rows[0]!.n).padStart(6, '0')}`;
}

export async function findStockReport(db: Kysely<Database>, id: string, forUpdate = false): Promise<StockReportRow | undefined> {
  let q = db.selectFrom('stockReports').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The report of a group at a date, if any (the pair is unique). */
export async function findStockReportAt(db: Kysely<Database>, group: string, asOf: string): Promise<StockReportRow | undefined> {
  return db.selectFrom('stockReports').selectAll().where('groupCode', '=', group).where('asOf', '=', asOf).executeTakeFirst();
}

export async function insertStockReport(db: Kysely<Database>, row: Omit<StockReportRow, 'version' | 'createdAt' | 'updatedAt'>): Promise<StockReportRow> {
  return db.insertInto('stockReports').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Writes new field values if the stored version is still `expectedVersion`; bumps the version. */
export async function updateStockReportRow(
  db: Kysely<Database>,
  id: string,
  values: Partial<Omit<StockReportRow, 'id' | 'version' | 'createdAt' | 'updatedAt'>>,
  expectedVersion: number,
): Promise<StockReportRow | undefined> {
  return db
    .updateTable('stockReports')
    .set({ ...values, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

/** One page of stock reports matching the filter. */
export async function listStockReportRows(
  db: Kysely<Database>,
  filter: StockReportFilter,
  page: PageRequest,
  sortValue: (row: StockReportRow) => string | number | null,
): Promise<{ items: StockReportRow[]; nextCursor: string | null }> {
  let q = db.selectFrom('stockReports').selectAll('stockReports');
  if (filter.group) q = q.where('groupCode', '=', filter.group);
  if (filter.from) q = q.where('asOf', '>=', filter.from);
  if (filter.to) q = q.where('asOf', '<=', filter.to);
  const rows = await applyKeyset(q, 'stock_reports', page).execute();
  return finishPage(rows, page, sortValue);
}
