import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testBackends } from '../../../store/testing/test-db.ts';
import { buildGroup } from '../../../store/testing/factories.ts';
import { buildTestApp } from '../../app.test-helpers.ts';
import type { DbHandle } from '../../../store/db.ts';
import { createStockReport } from '../../../services/stock-reports/stock-reports.ts';
import type { Actor } from '../../../services/context.ts';

describe.each(testBackends())('stock reports API on $name', (backend) => {
  let h: DbHandle;
  let app: FastifyInstance;
  let shells: string;
  let interceptors: string;
  beforeAll(async () => {
    h = await backend.open();
    app = await buildTestApp(h);
    shells = (await buildGroup(h.db, { capabilityArea: 'ammunition' })).code;
    interceptors = (await buildGroup(h.db, { capabilityArea: 'air-defence' })).code;
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const create = (body: object) => app.inject({ method: 'POST', url: '/api/stock-reports', payload: body });
  const get = (url: string) => app.inject({ method: 'GET', url });
  const paths = (res: { json(): { errors: { path: string }[] } }) => res.json().errors.map((e) => e.path);
  const count = async () => Number((await h.db.selectFrom('stockReports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  describe('POST /api/stock-reports', () => {
    it('records a report with a generated id and the days of supply it implies', async () => {
      const res = await create({ group: shells, asOf: '2024-08-14', onHand: 250_000, dailyConsumption: 14_600, notes: 'after the August surge' });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body.id).toMatch(/^S-\d{6}$/);
      expect(body).toMatchObject({ group: shells, asOf: '2024-08-14', onHand: 250_000, dailyConsumption: 14_600, daysOfSupply: 17.1, version: 1 });
      expect(res.headers.etag).toBe('"1"');
      const audit = await h.db.selectFrom('auditLog').select('action').where('entity', '=', 'stock-report').where('recordId', '=', body.id).execute();
      expect(audit.map((a) => a.action)).toEqual(['create']);
    });

    it('keeps fractional consumption and gives no days of supply when nothing is consumed', async () => {
      const res = await create({ id: 'S-PAC-1', group: interceptors, asOf: '2024-08-14', onHand: 40, dailyConsumption: 2.5 });
      expect(res.json()).toMatchObject({ dailyConsumption: 2.5, daysOfSupply: 16 });
      const idle = await create({ group: interceptors, asOf: '2024-08-15', onHand: 0, dailyConsumption: 0 });
      expect(idle.statusCode).toBe(201);
      expect(idle.json().daysOfSupply).toBeNull();
    });

    it('refuses negative, fractional and wrongly typed figures field by field and writes nothing', async () => {
      const before = await count();
      const res = await create({ group: shells, asOf: '2024-02-30', onHand: -1, dailyConsumption: -0.5, colour: 'red' });
      expect(res.statusCode).toBe(400);
      expect(paths(res)).toEqual(expect.arrayContaining(['/asOf', '/onHand', '/dailyConsumption']));
      expect(res.json().errors.some((e: { message: string }) => /colour/.test(e.message))).toBe(true);
      const types = await create({ group: shells, asOf: '2024-03-01', onHand: 1.5, dailyConsumption: '100' });
      expect(paths(types)).toEqual(expect.arrayContaining(['/onHand', '/dailyConsumption']));
      expect(await count()).toBe(before);
    });

    it('refuses an unknown group naming the field', async () => {
      const res = await create({ group: 'no-such-group', asOf: '2024-08-14', onHand: 1, dailyConsumption: 1 });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ path: '/group', message: 'unknown item group no-such-group' }]);
    });

    it('refuses a second report of a group on the same date, and a duplicate id, with 409', async () => {
      const again = await create({ group: shells, asOf: '2024-08-14', onHand: 1, dailyConsumption: 1 });
      expect(again.statusCode).toBe(409);
      expect(again.json().errors[0].path).toBe('/asOf');
      const dupId = await create({ id: 'S-PAC-1', group: shells, asOf: '2024-01-01', onHand: 1, dailyConsumption: 1 });
      expect(dupId.statusCode).toBe(409);
      expect(dupId.json().errors).toEqual([{ path: '/id', message: 'already exists' }]);
    });

    it('lets the recipient report stock and refuses a donor', async () => {
      const recipient: Actor = { id: 'r1', role: 'recipient', nation: 'UKR', kind: 'user' };
      const donor: Actor = { id: 'd1', role: 'donor', nation: 'DEU', kind: 'user' };
      const made = await createStockReport({ db: h.db }, recipient, { group: shells, asOf: '2024-09-01', onHand: 200_000, dailyConsumption: 12_000, notes: '' });
      expect(made.group).toBe(shells);
      await expect(createStockReport({ db: h.db }, donor, { group: shells, asOf: '2024-09-02', onHand: 1, dailyConsumption: 1, notes: '' })).rejects.toMatchObject({ code: 'not_allowed' });
      expect((await get(`/api/stock-reports?group=${shells}&from=2024-09-02&to=2024-09-02`)).json().items).toEqual([]);
    });
  });

  describe('GET /api/stock-reports', () => {
    it('filters by group and dates and pages without losing or repeating rows', async () => {
      for (let d = 10; d < 15; d++) await create({ group: shells, asOf: `2024-10-${d}`, onHand: 100_000 - d, dailyConsumption: 10_000 });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/stock-reports?group=${shells}&from=2024-09-01&order=desc&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await get(url)).json();
        seen.push(...page.items.map((r: { asOf: string }) => r.asOf));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['2024-10-14', '2024-10-13', '2024-10-12', '2024-10-11', '2024-10-10', '2024-09-01']);
      const window = (await get('/api/stock-reports?from=2024-08-14&to=2024-08-15')).json().items;
      expect(window.map((r: { group: string; asOf: string }) => `${r.group === shells ? 'shells' : 'pac'} ${r.asOf}`)).toEqual(['shells 2024-08-14', 'pac 2024-08-14', 'pac 2024-08-15']); // same date: by id, S-000001 before S-PAC-1
      const bad = await get('/api/stock-reports?to=2024-99-01&group=BAD GROUP');
      expect(bad.statusCode).toBe(400);
      expect(paths(bad)).toEqual(expect.arrayContaining(['/querystring/to', '/querystring/group']));
    });

    it('reads one report and answers 404 for an unknown one', async () => {
      const one = await get('/api/stock-reports/S-PAC-1');
      expect(one.statusCode).toBe(200);
      expect(one.headers.etag).toBe('"1"');
      expect((await get('/api/stock-reports/S-NONE')).statusCode).toBe(404);
    });
  });

  describe('PATCH /api/stock-reports/:id', () => {
    it('corrects a report with the version and refuses the stale version with 412', async () => {
      const ok = await app.inject({ method: 'PATCH', url: '/api/stock-reports/S-PAC-1', payload: { onHand: 38, dailyConsumption: 1.9 }, headers: { 'if-match': '"1"' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ onHand: 38, dailyConsumption: 1.9, daysOfSupply: 20, version: 2 });
      const stale = await app.inject({ method: 'PATCH', url: '/api/stock-reports/S-PAC-1', payload: { onHand: 0 }, headers: { 'if-match': '"1"' } });
      expect(stale.statusCode).toBe(412);
      expect((await get('/api/stock-reports/S-PAC-1')).json()).toMatchObject({ onHand: 38, version: 2 });
    });

    it('refuses moving a report onto a date already reported, an unknown group, or a negative count', async () => {
      const clash = await app.inject({ method: 'PATCH', url: '/api/stock-reports/S-PAC-1', payload: { asOf: '2024-08-15' } });
      expect(clash.statusCode).toBe(409);
      const group = await app.inject({ method: 'PATCH', url: '/api/stock-reports/S-PAC-1', payload: { group: 'nope' } });
      expect(paths(group)).toEqual(['/group']);
      const negative = await app.inject({ method: 'PATCH', url: '/api/stock-reports/S-PAC-1', payload: { onHand: -3 } });
      expect(paths(negative)).toEqual(['/onHand']);
      expect((await get('/api/stock-reports/S-PAC-1')).json()).toMatchObject({ asOf: '2024-08-14', group: interceptors, onHand: 38, version: 2 });
      expect((await app.inject({ method: 'PATCH', url: '/api/stock-reports/S-NONE', payload: { onHand: 1 } })).statusCode).toBe(404);
    });
  });
});
