import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testBackends } from '../store/testing/test-db.ts';
import { buildItem, buildRequirement } from '../store/testing/factories.ts';
import { buildTestApp } from './app.test-helpers.ts';
import type { DbHandle } from '../store/db.ts';

describe.each(testBackends())('concurrency and idempotency over HTTP on $name', (backend) => {
  let h: DbHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = await backend.open();
    app = await buildTestApp(h);
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('50 concurrent conflicting PATCHes: exactly one wins per version, the rest get 412, no write is lost', async () => {
    const r = await buildRequirement(h.db, { id: 'R-RACE', quantity: 1 });
    let version = r.version;
    const applied: number[] = [];
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          app.inject({ method: 'PATCH', url: '/api/requirements/R-RACE', payload: { quantity: 1000 * (round + 1) + i }, headers: { 'if-match': `"${version}"` } }),
        ),
      );
      const won = results.flatMap((res, i) => (res.statusCode === 200 ? [i] : []));
      expect(won).toHaveLength(1);
      expect(results.filter((res) => res.statusCode === 412)).toHaveLength(49);
      const winner = results[won[0]!]!.json();
      expect(winner.version).toBe(version + 1);
      applied.push(1000 * (round + 1) + won[0]!);
      version = winner.version;
      const stored = await h.db.selectFrom('requirements').select(['quantity', 'version']).where('id', '=', 'R-RACE').executeTakeFirstOrThrow();
      expect(stored).toEqual({ quantity: applied.at(-1), version });
    }
    // Every winning write is in the audit trail, in order: none was lost or overwritten silently.
    const updates = await h.db.selectFrom('auditLog').select('after').where('recordId', '=', 'R-RACE').where('action', '=', 'update').orderBy('seq').execute();
    expect(updates.map((u) => (u.after as { quantity: number }).quantity)).toEqual(applied);
  }, 60_000);

  it('1,000 retried POSTs with one Idempotency-Key create one record and replay the first response', async () => {
    const item = await buildItem(h.db);
    const body = { id: 'R-IDEM', itemCode: item.code, quantity: 5, priority: 2, needBy: '2026-05-01' };
    const headers = { 'idempotency-key': 'retry-me-1' };
    const statuses = new Map<number, number>();
    const bodies = new Set<string>();
    for (let batch = 0; batch < 20; batch++) {
      const results = await Promise.all(Array.from({ length: 50 }, () => app.inject({ method: 'POST', url: '/api/requirements', payload: body, headers })));
      for (const res of results) {
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode === 201) bodies.add(res.body);
      }
    }
    expect([...statuses.keys()].every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.get(201)).toBeGreaterThan(900);
    expect(bodies.size).toBe(1);
    const count = await h.db.selectFrom('requirements').select((eb) => eb.fn.countAll<string>().as('n')).where('id', '=', 'R-IDEM').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const creations = await h.db.selectFrom('auditLog').select('seq').where('recordId', '=', 'R-IDEM').execute();
    expect(creations).toHaveLength(1);
    const replay = await app.inject({ method: 'POST', url: '/api/requirements', payload: body, headers });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe([...bodies][0]);
  }, 120_000);

  it('answers 422 when a key is reused with a different body, and 409 while the first is in flight', async () => {
    const item = await buildItem(h.db);
    const body = { id: 'R-IDEM2', itemCode: item.code, quantity: 5, priority: 2, needBy: '2026-05-01' };
    const headers = { 'idempotency-key': 'retry-me-2' };
    const first = await app.inject({ method: 'POST', url: '/api/requirements', payload: body, headers });
    expect(first.statusCode, first.body).toBe(201);
    const other = await app.inject({ method: 'POST', url: '/api/requirements', payload: { ...body, quantity: 6 }, headers });
    expect(other.statusCode).toBe(422);
    await h.db.insertInto('idempotencyKeys').values({ key: 'busy', userId: 'test-coordinator', method: 'POST', path: '/api/requirements', requestHash: 'x' }).execute();
    const busy = await app.inject({ method: 'POST', url: '/api/requirements', payload: body, headers: { 'idempotency-key': 'busy' } });
    expect([409, 422]).toContain(busy.statusCode);
  });
});
