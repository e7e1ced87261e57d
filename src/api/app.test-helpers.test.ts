import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testBackends } from '../store/testing/test-db.ts';
import { buildNation, buildPledge } from '../store/testing/factories.ts';
import type { DbHandle } from '../store/db.ts';
import { asUser, buildTestApp } from './app.test-helpers.ts';

describe.each(testBackends())('buildTestApp and asUser on $name', (backend) => {
  let h: DbHandle;
  let app: FastifyInstance;
  let strict: FastifyInstance;
  beforeAll(async () => {
    h = await backend.open();
    app = await buildTestApp(h);
    strict = await buildTestApp(h, { ifMatch: 'required' });
    await buildNation(h.db, { code: 'DEU' });
    await buildPledge(h.db, { id: 'P-HELPER', donor: 'POL' });
  });
  afterAll(async () => {
    await app?.close();
    await strict?.close();
    await h?.close();
  });

  it('acts as a coordinator by default and as the role and nation asUser names', async () => {
    const get = (headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: '/api/pledges/P-HELPER', headers });
    expect((await get()).statusCode).toBe(200);
    expect((await get(asUser('donor', 'POL'))).statusCode).toBe(200);
    expect((await get(asUser('donor', 'DEU'))).statusCode).toBe(404);
    expect((await get(asUser('observer'))).statusCode).toBe(404);
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: asUser('donor', 'DEU') });
    expect(me.statusCode).toBe(200);
  });

  it('requires If-Match when asked to, as a served app does', async () => {
    const patch = (target: FastifyInstance) => target.inject({ method: 'PATCH', url: '/api/pledges/P-HELPER', payload: { notes: 'x' }, headers: asUser('donor', 'POL') });
    expect((await patch(strict)).statusCode).toBe(428);
    expect((await patch(app)).statusCode).toBe(200);
  });
});
