import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testBackends } from '../../../store/testing/test-db.ts';
import { buildItem } from '../../../store/testing/factories.ts';
import { buildTestApp } from '../../app.test-helpers.ts';
import type { DbHandle } from '../../../store/db.ts';

describe.each(testBackends())('GET /api/audit/{entity}/{id} on $name', (backend) => {
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

  it('returns who changed the record, when, and its state before and after, oldest first', async () => {
    const item = await buildItem(h.db);
    const created = (await app.inject({ method: 'POST', url: '/api/requirements', payload: { id: 'R-AUD', itemCode: item.code, quantity: 5, priority: 2, needBy: '2026-05-01' } })).json();
    await app.inject({ method: 'PATCH', url: '/api/requirements/R-AUD', payload: { quantity: 7 }, headers: { 'if-match': `"${created.version}"` } });
    const res = await app.inject({ method: 'GET', url: '/api/audit/requirement/R-AUD' });
    expect(res.statusCode).toBe(200);
    const { entries } = res.json();
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['create', 'update']);
    expect(entries[1].before.quantity).toBe(5);
    expect(entries[1].after.quantity).toBe(7);
    expect(entries[1].seq).toBeGreaterThan(entries[0].seq);
    expect(entries[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers 404 for a record with no history', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/audit/requirement/R-NONE' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not_found');
  });
});
