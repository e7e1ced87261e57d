import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { invalidInput } from '../domain/errors.ts';

/** Where a page starts: the sort value and id of the last row of the previous page. */
export interface Cursor {
  value: string | number | null;
  id: string;
}

/** How a list is ordered and cut. */
export interface PageRequest {
  /** SQL column (snake_case) to sort by; must come from the caller's allow-list. */
  sortColumn: string;
  order: 'asc' | 'desc';
  limit: number;
  cursor?: string | undefined;
}

/** Encodes the position after `row` as an opaque URL-safe token. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString('base64url');
}

/** Decodes a cursor token, refusing one that Concord did not make. */
export function decodeCursor(token: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'string') {
      const value = parsed[0];
      if (value === null || typeof value === 'string' || typeof value === 'number') return { value, id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidInput('the cursor is not one this server issued', [{ path: '/cursor', message: 'malformed cursor' }]);
}

/**
 * Keyset paging over (sort column, id): stable under concurrent inserts and as fast on the last page as
 * on the first, unlike OFFSET.
 * - Rows with equal sort values are ordered by id, so the order is total.
 * - One extra row is fetched to tell whether a next page exists.
 */
export function applyKeyset<QB extends SelectQueryBuilder<any, any, any>>(qb: QB, table: string, page: PageRequest): QB {
  // Timestamps are stored in microseconds but a cursor (like a JS Date) holds milliseconds: compare
  // and order at millisecond precision so the cursor value is exactly what was compared.
  const column = sql.ref(`${table}.${page.sortColumn}`);
  const sortRef = page.sortColumn.endsWith('_at') ? sql`date_trunc('milliseconds', ${column})` : column;
  const idRef = sql.ref(`${table}.id`);
  let q = qb;
  if (page.cursor) {
    const c = decodeCursor(page.cursor);
    const cmp = page.order === 'asc' ? sql`>` : sql`<`;
    q = q.where(sql<boolean>`(${sortRef}, ${idRef}) ${cmp} (${c.value}, ${c.id})`) as QB;
  }
  const dir = page.order === 'asc' ? sql`asc` : sql`desc`;
  return q.orderBy(sql`${sortRef} ${dir}`).orderBy(sql`${idRef} ${dir}`).limit(page.limit + 1) as QB;
}

/** Cuts the fetched rows to the page and builds the next cursor from the last row kept. */
export function finishPage<R extends { id: string }>(
  rows: R[],
  page: PageRequest,
  sortValue: (row: R) => string | number | null,
): { items: R[]; nextCursor: string | null } {
  if (rows.length <= page.limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1]!;
  return { items, nextCursor: encodeCursor({ value: sortValue(last), id: last.id }) };
}

/**
 * Keyset paging over (sort expression, id), like `applyKeyset` but for expressions, not only columns.
 * - The sort value of every row comes back as `sortKey`, so the cursor holds exactly what was compared.
 * - One extra row is fetched to tell whether a next page exists.
 */
export function keysetByExpression<QB extends SelectQueryBuilder<any, any, any>>(qb: QB, sortExpr: RawBuilder<unknown>, idRef: string, page: Omit<PageRequest, 'sortColumn'>): QB {
  const id = sql.ref(idRef);
  let q = qb.select(sortExpr.as('sortKey')) as QB;
  if (page.cursor) {
    const c = decodeCursor(page.cursor);
    const cmp = page.order === 'asc' ? sql`>` : sql`<`;
    q = q.where(sql<boolean>`(${sortExpr}, ${id}) ${cmp} (${c.value}, ${c.id})`) as QB;
  }
  const dir = page.order === 'asc' ? sql`asc` : sql`desc`;
  return q.orderBy(sql`${sortExpr} ${dir}`).orderBy(sql`${id} ${dir}`).limit(page.limit + 1) as QB;
}

/** Cuts the fetched rows to the page, drops `sortKey`, and builds the next cursor from the last row kept. */
export function finishKeysetPage<R extends { id: string; sortKey: unknown }>(rows: R[], limit: number): { items: Omit<R, 'sortKey'>[]; nextCursor: string | null } {
  const strip = (r: R) => {
    const { sortKey: _sortKey, ...rest } = r;
    return rest;
  };
  if (rows.length <= limit) return { items: rows.map(strip), nextCursor: null };
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1]!;
  const v = last.sortKey;
  const value = v instanceof Date ? v.toISOString() : typeof v === 'number' || typeof v === 'string' ? v : v === null || v === undefined ? null : String(v);
  return { items: kept.map(strip), nextCursor: encodeCursor({ value, id: last.id }) };
}
