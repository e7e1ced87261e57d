import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, MeetingsTable } from './schema.ts';
import { applyKeyset, finishPage, type PageRequest } from './paging.ts';

export type MeetingRow = Selectable<MeetingsTable>;

export interface MeetingFilter {
  kind?: string[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Sort keys of the API mapped to columns: the allow-list that keeps user input out of SQL. */
export const MEETING_SORT_COLUMNS = { date: 'date', title: 'title', id: 'id' } as const;

/** Pledge lines announced at a meeting, counted by capability area. */
export interface MeetingPledgeCounts {
  count: number;
  withdrawn: number;
  byCapabilityArea: { capabilityArea: string | null; count: number }[];
}

/** The next generated meeting id, `M-000123`. */
export async function nextMeetingId(db: Kysely<Database>): Promise<string> {
  const r = await sql<{ n: number }>`select nextval('meeting_ids') as n`.execute(db);
  return `M-${String(r.rows[0]!.n).padStart(6, '0')}`;
}

export async function findMeeting(db: Kysely<Database>, id: string, forUpdate = false): Promise<MeetingRow | undefined> {
  let q = db.selectFrom('meetings').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertMeeting(db: Kysely<Database>, row: Omit<MeetingRow, 'version' | 'createdAt' | 'updatedAt'>): Promise<MeetingRow> {
  return db.insertInto('meetings').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Writes new field values if the stored version is still `expectedVersion`; bumps the version. */
export async function updateMeetingRow(
  db: Kysely<Database>,
  id: string,
  values: Partial<Omit<MeetingRow, 'id' | 'version' | 'createdAt' | 'updatedAt'>>,
  expectedVersion: number,
): Promise<MeetingRow | undefined> {
  return db
    .updateTable('meetings')
    .set({ ...values, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

/** One page of meetings matching the filter. */
export async function listMeetingRows(
  db: Kysely<Database>,
  filter: MeetingFilter,
  page: PageRequest,
  sortValue: (row: MeetingRow) => string | number | null,
): Promise<{ items: MeetingRow[]; nextCursor: string | null }> {
  let q = db.selectFrom('meetings').selectAll('meetings');
  if (filter.kind) q = q.where('kind', 'in', filter.kind);
  if (filter.from) q = q.where('date', '>=', filter.from);
  if (filter.to) q = q.where('date', '<=', filter.to);
  const rows = await applyKeyset(q, 'meetings', page).execute();
  return finishPage(rows, page, sortValue);
}

/** The first meeting on or after `date` (earliest date, then id), optionally of given kinds. */
export async function findNextMeeting(db: Kysely<Database>, date: string, kinds?: readonly string[]): Promise<MeetingRow | undefined> {
  let q = db.selectFrom('meetings').selectAll().where('date', '>=', date);
  if (kinds && kinds.length > 0) q = q.where('kind', 'in', [...kinds]);
  return q.orderBy('date').orderBy('id').limit(1).executeTakeFirst();
}

/**
 * Counts the pledges announced at a meeting in one aggregate over `pledges.meeting_id` (indexed):
 * - grouped by capability area (null for funding pledges, which carry none);
 * - withdrawn lines are counted, and also reported apart.
 */
export async function countMeetingPledges(db: Kysely<Database>, meetingId: string): Promise<MeetingPledgeCounts> {
  const rows = await db
    .selectFrom('pledges')
    .select('capabilityArea')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .select(sql<number>`count(*) filter (where status = 'withdrawn')`.as('withdrawn'))
    .where('meetingId', '=', meetingId)
    .groupBy('capabilityArea')
    .orderBy(sql`capability_area asc nulls last`)
    .execute();
  return {
    count: rows.reduce((s, r) => s + Number(r.n), 0),
    withdrawn: rows.reduce((s, r) => s + Number(r.withdrawn), 0),
    byCapabilityArea: rows.map((r) => ({ capabilityArea: r.capabilityArea, count: Number(r.n) })),
  };
}
