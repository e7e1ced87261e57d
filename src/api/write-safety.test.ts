import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testBackends } from '../store/testing/test-db.ts';
import { buildItem } from '../store/testing/factories.ts';
import type { DbHandle } from '../store/db.ts';
import { buildApp } from './app.ts';
import { SYSTEM_ACTOR, type Actor } from '../services/context.ts';
import { updateRequirement } from '../services/requirements/requirements.ts';

const ACTORS: Record<string, Actor> = {
  alice: { id: 'u-alice', role: 'coordinator', nation: null, kind: 'user' },
  bob: { id: 'u-bob', role: 'coordinator', nation: null, kind: 'user' },
};

describe.each(testBackends())('If-Match over HTTP on $name', (backend) => {
  let h: DbHandle;
  let app: FastifyInstance;
  let itemCode: string;
  beforeAll(async () => {
    h = await backend.open();
    // Who acts is chosen per request by a test header; If-Match is required as when serving.
    app = await buildApp({ deps: { db: h.db }, dbKind: h.target.kind, logger: false, ifMatch: 'required', authenticate: (req) => ACTORS[String(req.headers['x-test-user'] ?? 'alice')] ?? null });
    await app.ready();
    itemCode = (await buildItem(h.db)).code;
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const createRequirement = async (id: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/requirements', payload: { id, itemCode, quantity: 10, priority: 2, needBy: '2026-06-01' } });
    expect(res.statusCode).toBe(201);
    return res.json();
  };
  const patch = (id: string, body: object, ifMatch?: string, user = 'alice') =>
    app.inject({ method: 'PATCH', url: `/api/requirements/${id}`, payload: body, headers: { 'x-test-user': user, ...(ifMatch !== undefined ? { 'if-match': ifMatch } : {}) } });

  describe('If-Match', () => {
    it('refuses a change without If-Match with 428 and a stale one with 412, and applies a current one', async () => {
      await createRequirement('R-V1');
      const missing = await patch('R-V1', { quantity: 11 });
      expect(missing.statusCode).toBe(428);
      expect(missing.json()).toMatchObject({ code: 'precondition_required', errors: [{ path: '/headers/if-match' }] });
      const stale = await patch('R-V1', { quantity: 11 }, '"7"');
      expect(stale.statusCode).toBe(412);
      expect(stale.json().code).toBe('precondition_failed');
      const ok = await patch('R-V1', { quantity: 11 }, '"1"');
      expect(ok.statusCode).toBe(200);
      expect(ok.headers.etag).toBe('"2"');
      const transition = await app.inject({ method: 'POST', url: '/api/requirements/R-V1/transitions', payload: { to: 'submitted' } });
      expect(transition.statusCode).toBe(428);
    });

    it('still lets the CLI and imports (no HTTP request) change a record without naming its version', async () => {
      await createRequirement('R-V2');
      expect((await updateRequirement({ db: h.db }, SYSTEM_ACTOR, 'R-V2', { quantity: 12 })).version).toBe(2);
    });

    it('lets exactly one of 50 concurrent changes of one version win and loses none of 50 retried ones', async () => {
      await createRequirement('R-RACE');
      const racers = await Promise.all(Array.from({ length: 50 }, (_, i) => patch('R-RACE', { notes: `racer ${i}` }, '"1"', i % 2 ? 'alice' : 'bob')));
      const codes = racers.map((r) => r.statusCode);
      expect(codes.filter((c) => c === 200)).toHaveLength(1);
      expect(codes.filter((c) => c === 412)).toHaveLength(49);

      // 50 writers each append their mark by read-modify-write, retrying on 412 until they win.
      let conflicts = 0;
      const writer = async (i: number) => {
        for (;;) {
          const current = await app.inject({ method: 'GET', url: '/api/requirements/R-RACE' });
          const res = await patch('R-RACE', { notes: `${current.json().notes}|w${i}` }, current.headers.etag as string);
          if (res.statusCode === 200) return;
          expect(res.statusCode).toBe(412);
          conflicts++;
        }
      };
      await Promise.all(Array.from({ length: 50 }, (_, i) => writer(i)));
      const final = (await app.inject({ method: 'GET', url: '/api/requirements/R-RACE' })).json();
      const marks = final.notes.split('|').filter((s: string) => s.startsWith('w'));
      expect(new Set(marks).size).toBe(50); // 0 lost writes
      expect(final.version).toBe(1 + 1 + 50);
      const audited = await h.db.selectFrom('auditLog').select('action').where('recordId', '=', 'R-RACE').where('action', '=', 'update').execute();
      expect(audited).toHaveLength(51);
      console.info(`[write-safety ${backend.name}] 50 racers on version 1: 1 won, 49 refused with 412; 50 retrying writers: 0 lost, ${conflicts} retries`);
    }, 180_000); // ~1,200 retries in all; PGlite serialises them, so a loaded machine needs time
  });
});
