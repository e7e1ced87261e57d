import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testBackends } from '../store/testing/test-db.ts';
import type { DbHandle } from '../store/db.ts';
import { hashAuditEntry, recordChanges } from './audit.ts';
import { createAuditCheckpoint, generateCheckpointKey, verifyAuditChain, type ChainVerification } from './audit-verify.ts';
import type { Actor } from './context.ts';

const ACTOR: Actor = { id: 'u-1', role: 'coordinator', nation: null, kind: 'user' };
const CHAIN = 40;

/** A seeded PRNG so a failing trial can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rollback extends Error {}

describe.each(testBackends())('audit chain on $name', (backend) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await backend.open();
    await h.db.transaction().execute((tx) =>
      recordChanges(
        tx,
        ACTOR,
        Array.from({ length: CHAIN }, (_, i) => ({ entity: 'pledge', recordId: `P-${i % 7}`, action: i % 3 === 0 ? 'create' : 'update', before: i === 0 ? null : { quantity: i }, after: { quantity: i + 1, note: `ü-${i}` } })),
      ),
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('verifies an untouched chain', async () => {
    const v = await verifyAuditChain(h.db);
    expect(v.entries).toBe(CHAIN);
    expect(v.firstBreak).toBeNull();
    expect(v.head?.seq).toBe(CHAIN);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows in the database', async () => {
    await expect(sql`update audit_log set action = 'x' where seq = 1`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 1`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(h.db)).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(h.db)).entries).toBe(CHAIN);
  });

  it('detects 1,000 random single-entry edits, deletions, insertions and swaps, naming the first bad entry', async () => {
    const rand = prng(backend.name === 'pglite' ? 7 : 11);
    const pick = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    const kinds = { edit: 0, delete: 0, insert: 0, swap: 0 };
    for (let trial = 0; trial < 1000; trial++) {
      const kind = (['edit', 'delete', 'insert', 'swap'] as const)[trial % 4]!;
      kinds[kind]++;
      let expected = 0;
      let verification: ChainVerification | undefined;
      await h.db
        .transaction()
        .execute(async (tx) => {
          // As the database's owner would: switch the append-only triggers off, inside this transaction only.
          await sql`alter table audit_log disable trigger user`.execute(tx);
          if (kind === 'edit') {
            const k = pick(1, CHAIN);
            const field = (['action', 'actor_id', 'record_id', 'at', 'after', 'prev_hash'] as const)[pick(0, 5)]!;
            if (field === 'after') await sql`update audit_log set after = '{"quantity": 999999}'::jsonb where seq = ${k}`.execute(tx);
            else if (field === 'prev_hash') await sql`update audit_log set prev_hash = ${'f'.repeat(64)} where seq = ${k}`.execute(tx);
            else await sql`update audit_log set ${sql.ref(field)} = ${`tampered-${trial}`} where seq = ${k}`.execute(tx);
            expected = k;
          } else if (kind === 'delete') {
            // Deleting the very last entry leaves a valid shorter chain: only a checkpoint shows it (tested below).
            const k = pick(1, CHAIN - 1);
            await sql`delete from audit_log where seq = ${k}`.execute(tx);
            expected = k + 1;
          } else if (kind === 'insert') {
            // A forged entry after k, correctly hashed and linked; later entries renumbered to make room.
            const k = pick(1, CHAIN - 1);
            await sql`update audit_log set seq = seq + 1000000 where seq > ${k}`.execute(tx);
            await sql`update audit_log set seq = seq - 999999 where seq > 1000000`.execute(tx);
            const prev = await tx.selectFrom('auditLog').select('hash').where('seq', '=', k).executeTakeFirstOrThrow();
            const forged = { seq: k + 1, at: new Date(0).toISOString(), actorId: 'intruder', actorRole: 'coordinator', actorNation: null, entity: 'pledge', recordId: 'P-X', action: 'create', before: null, after: { quantity: 1 }, prevHash: prev.hash };
            await tx.insertInto('auditLog').values({ ...forged, after: JSON.stringify(forged.after), before: JSON.stringify(null), hash: hashAuditEntry(forged) }).execute();
            expected = k + 2;
          } else {
            const i = pick(1, CHAIN - 1);
            const j = pick(i + 1, CHAIN);
            await sql`update audit_log set seq = 2000000000 where seq = ${i}`.execute(tx);
            await sql`update audit_log set seq = ${i} where seq = ${j}`.execute(tx);
            await sql`update audit_log set seq = ${j} where seq = 2000000000`.execute(tx);
            expected = i;
          }
          verification = await verifyAuditChain(tx);
          throw new Rollback();
        })
        .catch((e: unknown) => {
          if (!(e instanceof Rollback)) throw e;
        });
      expect(verification?.firstBreak?.seq, `trial ${trial} (${kind})`).toBe(expected);
    }
    expect(kinds).toEqual({ edit: 250, delete: 250, insert: 250, swap: 250 });
    expect((await verifyAuditChain(h.db)).firstBreak).toBeNull();
  }, 120_000);

  it('proves the chain extends a signed checkpoint, and catches a recomputed or truncated chain', async () => {
    const key = generateCheckpointKey();
    const checkpoint = await createAuditCheckpoint(h.db, key.privateKey);
    expect(checkpoint.size).toBe(CHAIN);
    await h.db.transaction().execute((tx) => recordChanges(tx, ACTOR, [{ entity: 'pledge', recordId: 'P-new', action: 'create', before: null, after: { quantity: 5 } }]));
    expect((await verifyAuditChain(h.db, checkpoint)).checkpoint).toEqual({ ok: true, reason: `the chain extends the checkpoint of ${CHAIN} entries` });

    // Whoever owns the database rewrites entry 3 and recomputes every hash after it: the chain verifies
    // on its own, but not against the checkpoint kept elsewhere.
    let recomputed: ChainVerification | undefined;
    let truncated: ChainVerification | undefined;
    await h.db
      .transaction()
      .execute(async (tx) => {
        await sql`alter table audit_log disable trigger user`.execute(tx);
        const rows = await tx.selectFrom('auditLog').selectAll().orderBy('seq').execute();
        let prev = rows[1]!.hash;
        for (const row of rows.slice(2)) {
          const { hash: _old, ...content } = row;
          const changed = { ...content, prevHash: prev, action: row.seq === 3 ? 'rewritten' : row.action };
          const hash = hashAuditEntry(changed);
          await tx.updateTable('auditLog').set({ action: changed.action, prevHash: prev, hash }).where('seq', '=', row.seq).execute();
          prev = hash;
        }
        recomputed = await verifyAuditChain(tx, checkpoint);
        await sql`delete from audit_log where seq >= ${CHAIN}`.execute(tx);
        truncated = await verifyAuditChain(tx, checkpoint);
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
    expect(recomputed?.firstBreak).toBeNull();
    expect(recomputed?.checkpoint?.ok).toBe(false);
    expect(recomputed?.checkpoint?.reason).toMatch(/rewritten/);
    expect(truncated?.checkpoint?.reason).toMatch(/truncated/);
    const forged = { ...checkpoint, size: checkpoint.size - 1 };
    expect((await verifyAuditChain(h.db, forged)).checkpoint?.reason).toMatch(/signature/);
  });
});
