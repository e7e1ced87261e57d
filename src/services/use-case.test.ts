import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testBackends } from '../store/testing/test-db.ts';
import { buildPledge } from '../store/testing/factories.ts';
import { POOL_SIZE, type DbHandle } from '../store/db.ts';
import type { Actor, Tx } from './context.ts';
import { onSecondConnection, runUseCase } from './use-case.ts';

/** What a transaction sees: the pledges it may read, who it runs as, and on which server process. */
async function seen(tx: Tx) {
  const pledges = (await tx.selectFrom('pledges').select('id').orderBy('id').execute()).map((p) => p.id);
  const { rows } = await sql<{ role: string; nation: string; scope: string; pid: number }>`select current_user as role, current_setting('concord.nation', true) as nation, current_setting('concord.scope', true) as scope, pg_backend_pid() as pid`.execute(tx);
  return { pledges, ...rows[0]! };
}

describe.each(testBackends())('onSecondConnection on $name', (backend) => {
  let h: DbHandle;
  const donor: Actor = { id: 'u-fra', role: 'donor', nation: 'FRA', kind: 'user' };
  const read = { entity: 'pledge', verb: 'read', isolation: 'repeatable read' } as const;
  beforeAll(async () => {
    h = await backend.open();
    // FRA's own pledge and DEU's restricted one (which a FRA donor may not read line by line).
    await buildPledge(h.db, { id: 'SC-FRA', donor: 'FRA', announcedOn: '2025-01-10' });
    await buildPledge(h.db, { id: 'SC-DEU', donor: 'DEU', announcedOn: '2025-01-10' });
    await h.db.updateTable('pledges').set({ releasability: ['DEU'] }).where('id', '=', 'SC-DEU').execute();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reads what the use case reads, as the same actor, even what others commit meanwhile', async () => {
    const [main, second] = await runUseCase({ db: h.db }, donor, read, async (tx) => {
      const first = await seen(tx);
      // Committed by another connection after the use case took its snapshot: neither transaction sees it.
      // (PGlite has one connection, held by the use case: nobody else can write meanwhile.)
      if (backend.name === 'postgres') await buildPledge(h.db, { id: 'SC-FRA-LATER', donor: 'FRA', announcedOn: '2025-02-10' });
      return [first, await onSecondConnection({ db: h.db }, tx, seen)];
    });
    expect(main.pledges).toEqual(['SC-FRA']);
    expect(main).toMatchObject({ role: 'concord_app', nation: 'FRA', scope: 'lines' });
    expect({ ...second, pid: 0 }).toEqual({ ...main, pid: 0 });
    // On PostgreSQL another server process (connection) answered; PGlite has one.
    if (backend.name === 'postgres') expect(second.pid).not.toBe(main.pid);
    else expect(second.pid).toBe(main.pid);
    if (backend.name === 'postgres') expect((await h.db.selectFrom('pledges').select('id').where('id', '=', 'SC-FRA-LATER').execute()).length).toBe(1);
  });

  it('runs its queries beside the use case’s and gives the same rows as one connection (aggregate scope)', async () => {
    const aggregate = { ...read, scope: 'aggregate' } as const;
    const alone = await runUseCase({ db: h.db }, donor, aggregate, seen);
    const [a, b] = await runUseCase({ db: h.db }, donor, aggregate, (tx) => Promise.all([onSecondConnection({ db: h.db }, tx, seen), seen(tx)]));
    expect(alone.pledges).toContain('SC-DEU');
    for (const x of [a, b]) expect({ ...x, pid: 0 }).toEqual({ ...alone, pid: 0 });
  });

  it('runs on the use case’s own connection when no other is free, rather than wait for one', async () => {
    // As many use cases as the pool has connections, each holding one when it asks for a second: had
    // they queued for it, none would ever be freed. (PGlite: one connection, one use case.)
    const holders = backend.name === 'postgres' ? POOL_SIZE : 1;
    let arrived = 0;
    let allHold!: () => void;
    const gate = new Promise<void>((resolve) => (allHold = resolve));
    const results = await Promise.all(
      Array.from({ length: holders }, () =>
        runUseCase({ db: h.db }, donor, read, async (tx) => {
          const own = await seen(tx);
          if (++arrived === holders) allHold();
          await gate;
          return [own, await onSecondConnection({ db: h.db }, tx, seen)] as const;
        }),
      ),
    );
    expect(results).toHaveLength(holders);
    for (const [own, second] of results) expect(second).toEqual(own);
  }, 20_000);

  it('is read-only on PostgreSQL and refused outside a repeatable-read read', async () => {
    if (backend.name === 'postgres') {
      const write = runUseCase({ db: h.db }, donor, read, (tx) => onSecondConnection({ db: h.db }, tx, (reader) => sql`delete from fx_rates`.execute(reader)));
      await expect(write).rejects.toThrow(/read-only transaction/);
    }
    await expect(runUseCase({ db: h.db }, donor, { entity: 'pledge', verb: 'read' }, (tx) => onSecondConnection({ db: h.db }, tx, seen))).rejects.toThrow(/repeatable read/);
  });
});
