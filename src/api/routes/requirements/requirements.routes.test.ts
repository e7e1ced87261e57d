import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testBackends } from '../../../store/testing/test-db.ts';
import { buildItem } from '../../../store/testing/factories.ts';
import { buildTestApp } from '../../app.test-helpers.ts';
import type { DbHandle } from '../../../store/db.ts';

describe.each(testBackends())('requirements API on $name', (backend) => {
  let h: DbHandle;
  let app: FastifyInstance;
  let item: Awaited<ReturnType<typeof buildItem>>;
  beforeAll(async () => {
    h = await backend.open();
    app = await buildTestApp(h);
    item = await buildItem(h.db);
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const create = (body: object) => app.inject({ method: 'POST', url: '/api/requirements', payload: body });

  describe('POST /api/requirements', () => {
    it('creates a requirement, derives its group and area from the item, and audits it', async () => {
      const res = await create({ itemCode: item.code, quantity: 12000, priority: 1, needBy: '2026-03-01', uses: ['cross-border'], title: '155 mm for the east' });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ accepts: [item.groupCode], capabilityArea: 'ammunition', quantity: 12000, status: 'draft', version: 1 });
      expect(body.id).toMatch(/^R-\d{6}$/);
      expect(res.headers.etag).toBe('"1"');
      const audit = await h.db.selectFrom('auditLog').selectAll().where('recordId', '=', body.id).execute();
      expect(audit.map((a) => a.action)).toEqual(['create']);
    });

    it('lists every invalid field with its path and writes nothing', async () => {
      const before = await h.db.selectFrom('requirements').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      const res = await create({ itemCode: item.code, quantity: -5, priority: 7, needBy: '2026-02-30', colour: 'red' });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json();
      expect(problem.code).toBe('invalid_input');
      const paths = problem.errors.map((e: { path: string }) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['/quantity', '/priority', '/needBy']));
      expect(problem.errors.some((e: { message: string }) => /colour/.test(e.message))).toBe(true);
      const after = await h.db.selectFrom('requirements').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('refuses an unknown item group naming the field', async () => {
      const res = await create({ accepts: ['no-such-group'], quantity: 1, priority: 2, needBy: '2026-01-01' });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ path: '/accepts/0', message: 'unknown item group no-such-group' }]);
    });

    it('refuses a duplicate external id with 409', async () => {
      expect((await create({ id: 'R-DUP', itemCode: item.code, quantity: 1, priority: 2, needBy: '2026-01-01' })).statusCode).toBe(201);
      const again = await create({ id: 'R-DUP', itemCode: item.code, quantity: 1, priority: 2, needBy: '2026-01-01' });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('conflict');
    });

    it('refuses a body over the size limit with 413', async () => {
      const res = await create({ itemCode: item.code, quantity: 1, priority: 2, needBy: '2026-01-01', notes: 'x'.repeat(2_000_000) });
      expect(res.statusCode).toBe(413);
    });

    it('answers malformed JSON with a problem, not a crash', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/requirements', payload: '{"quantity": ', headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('invalid_input');
    });
  });

  describe('lifecycle and versions', () => {
    it('moves along the lifecycle and names the allowed states when a move is illegal', async () => {
      const r = (await create({ itemCode: item.code, quantity: 10, priority: 2, needBy: '2026-05-01' })).json();
      const submitted = await app.inject({ method: 'POST', url: `/api/requirements/${r.id}/transitions`, payload: { to: 'submitted' } });
      expect(submitted.statusCode).toBe(200);
      expect(submitted.json().allowedNext).toEqual(['draft', 'validated', 'cancelled']);
      const illegal = await app.inject({ method: 'POST', url: `/api/requirements/${r.id}/transitions`, payload: { to: 'fulfilled' } });
      expect(illegal.statusCode).toBe(409);
      expect(illegal.json().detail).toBe(`requirement ${r.id} cannot move from submitted to fulfilled; allowed next states from submitted: draft, validated, cancelled`);
    });

    it('refuses a stale If-Match with 412 and keeps the newer change', async () => {
      const r = (await create({ itemCode: item.code, quantity: 10, priority: 2, needBy: '2026-05-01' })).json();
      const first = await app.inject({ method: 'PATCH', url: `/api/requirements/${r.id}`, payload: { quantity: 20 }, headers: { 'if-match': '"1"' } });
      expect(first.statusCode).toBe(200);
      const stale = await app.inject({ method: 'PATCH', url: `/api/requirements/${r.id}`, payload: { quantity: 30 }, headers: { 'if-match': '"1"' } });
      expect(stale.statusCode).toBe(412);
      const now = await app.inject({ method: 'GET', url: `/api/requirements/${r.id}` });
      expect(now.json()).toMatchObject({ quantity: 20, version: 2 });
    });

    it('answers 404 for an unknown id', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/requirements/R-NOPE' });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('not_found');
    });
  });

  describe('GET /api/requirements', () => {
    it('filters, sorts and pages with a cursor without losing or repeating rows', async () => {
      for (let i = 0; i < 7; i++) {
        await create({ id: `R-PAGE-${i}`, itemCode: item.code, quantity: 100 + i, priority: (i % 4) + 1, needBy: `2027-0${(i % 3) + 1}-15`, title: 'paging' });
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/requirements?q=paging&sort=needBy&order=desc&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await app.inject({ method: 'GET', url })).json();
        seen.push(...page.items.map((r: { id: string }) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
      const all = (await app.inject({ method: 'GET', url: '/api/requirements?q=paging&limit=100&sort=needBy&order=desc' })).json();
      expect(all.items.map((r: { id: string }) => r.id)).toEqual(seen);
      const needBys = all.items.map((r: { needBy: string }) => r.needBy);
      expect([...needBys].sort().reverse()).toEqual(needBys);
      const p1 = (await app.inject({ method: 'GET', url: '/api/requirements?q=paging&priority=1,2' })).json();
      expect(p1.items.every((r: { priority: number }) => r.priority <= 2)).toBe(true);
      expect(p1.items.length).toBe(4);
    });

    it('pages by a timestamp sort without repeating or losing rows (microseconds stored, milliseconds in the cursor)', async () => {
      const total = (await app.inject({ method: 'GET', url: '/api/requirements?limit=1000' })).json().items.length;
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/requirements?sort=createdAt&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await app.inject({ method: 'GET', url })).json();
        seen.push(...page.items.map((r: { id: string }) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(total);
    });

    it('refuses a forged cursor and an unknown filter value', async () => {
      expect((await app.inject({ method: 'GET', url: '/api/requirements?cursor=abc' })).statusCode).toBe(400);
      const bad = await app.inject({ method: 'GET', url: '/api/requirements?status=lost' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].path).toMatch(/^\/querystring\/status/);
    });
  });

  it('serves an OpenAPI 3.1 document listing the routes, and health', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/requirements', '/api/requirements/{id}', '/api/health']));
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.json()).toEqual({ status: 'ok', database: 'reachable', databaseKind: backend.name });
  });
});
