import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;

export interface IdempotencyRecord {
  requestHash: string;
  status: number | null;
  responseBody: string | null;
  createdAt: Date;
}

/** Claims (user, key) for a request; false if another request holds it already. */
export async function claimIdempotencyKey(db: Db, row: { key: string; userId: string; method: string; path: string; requestHash: string }): Promise<boolean> {
  const r = await db.insertInto('idempotencyKeys').values(row).onConflict((oc) => oc.columns(['userId', 'key']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function findIdempotencyKey(db: Db, userId: string, key: string): Promise<IdempotencyRecord | undefined> {
  return db.selectFrom('idempotencyKeys').select(['requestHash', 'status', 'responseBody', 'createdAt']).where('userId', '=', userId).where('key', '=', key).executeTakeFirst();
}

export async function completeIdempotencyKey(db: Db, userId: string, key: string, status: number, responseBody: string): Promise<void> {
  await db.updateTable('idempotencyKeys').set({ status, responseBody }).where('userId', '=', userId).where('key', '=', key).execute();
}

export async function releaseIdempotencyKey(db: Db, userId: string, key: string): Promise<void> {
  await db.deleteFrom('idempotencyKeys').where('userId', '=', userId).where('key', '=', key).execute();
}

/** Frees keys whose request never finished (the server stopped mid-request) so a retry can proceed. */
export async function releaseAbandonedKey(db: Db, userId: string, key: string, olderThanSeconds: number): Promise<boolean> {
  const r = await db
    .deleteFrom('idempotencyKeys')
    .where('userId', '=', userId)
    .where('key', '=', key)
    .where('status', 'is', null)
    .where('createdAt', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Forgets keys older than a day: retries come within minutes. */
export async function pruneIdempotencyKeys(db: Db): Promise<void> {
  await db.deleteFrom('idempotencyKeys').where('createdAt', '<', sql<Date>`now() - interval '1 day'`).execute();
}
