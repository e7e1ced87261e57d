import { createHash } from 'node:crypto';
import type { Actor, Tx } from './context.ts';
import { insertAuditRows, lockAuditHead, type AuditRow } from '../store/audit.repository.ts';

/** The hash that stands before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** One change to one record, as the service that made it describes it. */
export interface Change {
  entity: string;
  recordId: string;
  /** `create`, `update`, `transition:<to>`, `import`, … */
  action: string;
  before: unknown;
  after: unknown;
}

/** JSON with object keys sorted at every depth, so equal values always hash alike. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The hash of an entry: SHA-256 over every field but the hash itself, previous hash included. */
export function hashAuditEntry(row: Omit<AuditRow, 'hash'>): string {
  const content = canonicalJson({
    seq: row.seq,
    at: row.at,
    actorId: row.actorId,
    actorRole: row.actorRole,
    actorNation: row.actorNation,
    entity: row.entity,
    recordId: row.recordId,
    action: row.action,
    before: row.before ?? null,
    after: row.after ?? null,
    prevHash: row.prevHash,
  });
  return createHash('sha256').update(content).digest('hex');
}

/** Appends changes to the hash-chained audit trail inside the caller's transaction. */
export async function recordChanges(tx: Tx, actor: Actor, changes: readonly Change[]): Promise<void> {
  if (changes.length === 0) return;
  const head = await lockAuditHead(tx);
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const at = new Date().toISOString();
  const rows: AuditRow[] = [];
  for (const change of changes) {
    seq += 1;
    const entry = {
      seq,
      at,
      actorId: actor.id,
      actorRole: actor.role,
      actorNation: actor.nation,
      entity: change.entity,
      recordId: change.recordId,
      action: change.action,
      before: toJsonValue(change.before),
      after: toJsonValue(change.after),
      prevHash,
    };
    const hash = hashAuditEntry(entry);
    rows.push({ ...entry, hash });
    prevHash = hash;
  }
  await insertAuditRows(tx, rows);
}

/** Appends one change; see {@link recordChanges}. */
export async function recordChange(tx: Tx, actor: Actor, change: Change): Promise<void> {
  await recordChanges(tx, actor, [change]);
}

/** The value as it will read back from jsonb (dates as strings, no undefined). */
function toJsonValue(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
