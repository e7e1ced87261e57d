import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { AuditLogTable, Database } from './schema.ts';

/** An audit row as stored. */
export type AuditRow = AuditLogTable;

/** A fixed advisory-lock key that serialises appends, so two transactions never chain onto the same head. */
const AUDIT_LOCK_KEY = 716_253_001;

/** Takes the append lock for the rest of the transaction and returns the chain head (or null when empty). */
export async function lockAuditHead(tx: Kysely<Database>): Promise<{ seq: number; hash: string } | null> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(tx);
  const head = await tx.selectFrom('auditLog').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return head ?? null;
}

/** Appends entries, in batches small enough for one statement each. */
export async function insertAuditRows(tx: Kysely<Database>, rows: readonly AuditRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500).map((row) => ({
      ...row,
      before: JSON.stringify(row.before ?? null),
      after: JSON.stringify(row.after ?? null),
    }));
    await tx.insertInto('auditLog').values(batch).execute();
  }
}

/** Reads entries in chain order, from `fromSeq` on, `limit` at a time. */
export async function readAuditRows(db: Kysely<Database>, fromSeq: number, limit: number): Promise<AuditRow[]> {
  return db.selectFrom('auditLog').selectAll().where('seq', '>=', fromSeq).orderBy('seq').limit(limit).execute();
}

/** The history of one record, oldest first. */
export async function readRecordHistory(db: Kysely<Database>, entity: string, recordId: string): Promise<AuditRow[]> {
  return db.selectFrom('auditLog').selectAll().where('entity', '=', entity).where('recordId', '=', recordId).orderBy('seq').execute();
}
