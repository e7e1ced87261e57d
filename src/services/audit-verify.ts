import { generateKeyPairSync, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { readAuditRows, readRecordHistory, type AuditRow } from '../store/audit.repository.ts';
import { notFound } from '../domain/errors.ts';
import { GENESIS_HASH, hashAuditEntry } from './audit.ts';
import type { Actor, ServiceDeps } from './context.ts';
import { runUseCase } from './use-case.ts';
import { assertMayReadHistory } from './access/history.ts';

/** The first entry of the chain that does not verify, and why. */
export interface ChainBreak {
  seq: number;
  reason: string;
}

/** A signed statement of the chain's size and head, to be kept outside the database. */
export interface AuditCheckpoint {
  size: number;
  headHash: string;
  createdAt: string;
  /** Ed25519 public key (PEM, SPKI) the signature verifies with. */
  publicKey: string;
  /** Base64 Ed25519 signature over `concord-audit-checkpoint:<size>:<headHash>:<createdAt>`. */
  signature: string;
}

export interface ChainVerification {
  entries: number;
  head: { seq: number; hash: string } | null;
  firstBreak: ChainBreak | null;
  /** Present when a checkpoint was given: whether the chain extends it. */
  checkpoint?: { ok: boolean; reason: string };
}

const BATCH = 5000;

/**
 * Walks the audit chain from its first entry and reports the first entry that does not verify:
 * - sequence numbers run 1, 2, 3… with no gap (a deleted entry breaks the next one);
 * - each entry's `prevHash` is the previous entry's hash (an inserted or reordered entry breaks);
 * - each entry's hash is the SHA-256 of all its fields (an edited entry breaks itself).
 * With a checkpoint, also proves the chain extends it: its signature is valid and the entry at the
 * checkpoint's size has the checkpoint's hash (a recomputed or truncated chain fails).
 */
export async function verifyAuditChain(db: Kysely<Database>, checkpoint?: AuditCheckpoint): Promise<ChainVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  let firstBreak: ChainBreak | null = null;
  let head: { seq: number; hash: string } | null = null;
  let hashAtCheckpoint: string | undefined;
  for (let from = 1; ; ) {
    const rows = await readAuditRows(db, from, BATCH);
    for (const row of rows) {
      entries++;
      if (!firstBreak) firstBreak = checkEntry(row, expectedSeq, prevHash);
      if (checkpoint && row.seq === checkpoint.size) hashAtCheckpoint = row.hash;
      expectedSeq = row.seq + 1;
      prevHash = row.hash;
      head = { seq: row.seq, hash: row.hash };
    }
    if (rows.length < BATCH) break;
    from = rows[rows.length - 1]!.seq + 1;
  }
  const result: ChainVerification = { entries, head, firstBreak };
  if (checkpoint) result.checkpoint = checkCheckpoint(checkpoint, hashAtCheckpoint, firstBreak);
  return result;
}

function checkEntry(row: AuditRow, expectedSeq: number, prevHash: string): ChainBreak | null {
  if (row.seq !== expectedSeq) return { seq: row.seq, reason: `expected entry ${expectedSeq} here: entries are missing or were inserted` };
  if (row.prevHash !== prevHash) return { seq: row.seq, reason: 'its previous-hash does not match the entry before it: entries were inserted, removed or reordered' };
  const { hash, ...content } = row;
  if (hashAuditEntry(content) !== hash) return { seq: row.seq, reason: 'its content does not match its hash: the entry was edited' };
  return null;
}

function signedText(c: Pick<AuditCheckpoint, 'size' | 'headHash' | 'createdAt'>): Buffer {
  return Buffer.from(`concord-audit-checkpoint:${c.size}:${c.headHash}:${c.createdAt}`);
}

function checkCheckpoint(c: AuditCheckpoint, hashAtSize: string | undefined, firstBreak: ChainBreak | null): { ok: boolean; reason: string } {
  let valid = false;
  try {
    valid = verify(null, signedText(c), createPublicKey(c.publicKey), Buffer.from(c.signature, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: 'the checkpoint signature does not verify' };
  if (hashAtSize === undefined) return { ok: false, reason: `the chain has no entry ${c.size}: it was truncated below the checkpoint` };
  if (hashAtSize !== c.headHash) return { ok: false, reason: `entry ${c.size} differs from the checkpoint: the chain was rewritten` };
  if (firstBreak && firstBreak.seq <= c.size) return { ok: false, reason: `the chain breaks at entry ${firstBreak.seq}, inside the checkpointed part` };
  return { ok: true, reason: `the chain extends the checkpoint of ${c.size} entries` };
}

/** Signs the current chain head with an Ed25519 private key (PEM, PKCS#8). */
export async function createAuditCheckpoint(db: Kysely<Database>, privateKeyPem: string, now = new Date()): Promise<AuditCheckpoint> {
  const verification = await verifyAuditChain(db);
  if (verification.firstBreak) {
    throw new Error(`the chain is broken at entry ${verification.firstBreak.seq} (${verification.firstBreak.reason}); no checkpoint was written`);
  }
  const key = createPrivateKey(privateKeyPem);
  const base = { size: verification.head?.seq ?? 0, headHash: verification.head?.hash ?? GENESIS_HASH, createdAt: now.toISOString() };
  const signature = sign(null, signedText(base), key).toString('base64');
  const publicKey = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  return { ...base, publicKey, signature };
}

/** A new Ed25519 key pair for checkpoints, PEM encoded. */
export function generateCheckpointKey(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** One audit entry as the API shows it. */
export interface AuditEntryView {
  seq: number;
  at: string;
  actor: { id: string; role: string; nation: string | null };
  action: string;
  before: unknown;
  after: unknown;
  hash: string;
}

/** The history of one record, oldest first, for auditors. */
export async function getRecordHistory(deps: ServiceDeps, actor: Actor, entity: string, recordId: string): Promise<{ entries: AuditEntryView[] }> {
  return runUseCase(deps, actor, { entity: 'report', verb: 'read' }, async (tx) => {
    await assertMayReadHistory(tx, actor, entity, recordId);
    const rows = await readRecordHistory(tx, entity, recordId);
    if (rows.length === 0) throw notFound(`history of ${entity}`, recordId);
    return {
      entries: rows.map((r) => ({ seq: r.seq, at: r.at, actor: { id: r.actorId, role: r.actorRole, nation: r.actorNation }, action: r.action, before: r.before, after: r.after, hash: r.hash })),
    };
  });
}
