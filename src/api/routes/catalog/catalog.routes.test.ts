import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testBackends } from '../../../store/testing/test-db.ts';
import { buildTestApp } from '../../app.test-helpers.ts';
import type { DbHandle } from '../../../store/db.ts';

describe.each(testBackends())('catalog API on $name', (backend) => {
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

  const post = (url: string, body: object) => app.inject({ method: 'POST', url, payload: body });
  const get = (url: string) => app.inject({ method: 'GET', url });
  const paths = (res: { json(): { errors: { path: string }[] } }) => res.json().errors.map((e) => e.path);
  const price = (amount: number, currency = 'EUR') => ({ amount, currency, year: 2024, source: 'test' });
  const itemCount = async () => Number((await h.db.selectFrom('itemTypes').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  describe('item groups', () => {
    it('creates groups and refuses a duplicate code with 409', async () => {
      const res = await post('/api/catalog/groups', { code: '155mm-he', name: '155 mm HE rounds', capabilityArea: 'ammunition' });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ code: '155mm-he', name: '155 mm HE rounds', capabilityArea: 'ammunition', itemCount: 0, items: [] });
      expect((await post('/api/catalog/groups', { code: 'patriot-interceptor', name: 'Patriot interceptors', capabilityArea: 'air-defence' })).statusCode).toBe(201);
      expect((await post('/api/catalog/groups', { code: 'fpv-drone', name: 'FPV drones', capabilityArea: 'drones' })).statusCode).toBe(201);
      const dup = await post('/api/catalog/groups', { code: '155mm-he', name: 'again', capabilityArea: 'ammunition' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().errors).toEqual([{ path: '/code', message: 'already exists' }]);
      const audit = await h.db.selectFrom('auditLog').select('action').where('entity', '=', 'item-group').where('recordId', '=', '155mm-he').execute();
      expect(audit.map((a) => a.action)).toEqual(['create']);
    });

    it('refuses a bad code, an unknown area and unknown fields, all at once', async () => {
      const res = await post('/api/catalog/groups', { code: 'Big Guns', name: '', capabilityArea: 'space', colour: 'red' });
      expect(res.statusCode).toBe(400);
      expect(paths(res)).toEqual(expect.arrayContaining(['/code', '/name', '/capabilityArea']));
      expect(res.json().errors.some((e: { message: string }) => /colour/.test(e.message))).toBe(true);
    });

    it('renames a group and answers 404 for an unknown one', async () => {
      const res = await app.inject({ method: 'PATCH', url: '/api/catalog/groups/fpv-drone', payload: { name: 'First-person-view drones' } });
      expect(res.statusCode).toBe(200);
      expect(res.json().name).toBe('First-person-view drones');
      const area = await app.inject({ method: 'PATCH', url: '/api/catalog/groups/fpv-drone', payload: { capabilityArea: 'aviation' } });
      expect(area.statusCode).toBe(400);
      expect((await app.inject({ method: 'PATCH', url: '/api/catalog/groups/none', payload: { name: 'x' } })).statusCode).toBe(404);
      expect((await get('/api/catalog/groups/none')).statusCode).toBe(404);
    });
  });

  describe('POST /api/catalog/items', () => {
    it('stores the reference price in minor units and takes the group’s area', async () => {
      const res = await post('/api/catalog/items', { code: '155mm-he-m795', name: 'M795 155 mm HE', group: '155mm-he', unit: 'round', refPrice: price(4250.5) });
      expect(res.statusCode).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.json()).toMatchObject({ code: '155mm-he-m795', group: '155mm-he', capabilityArea: 'ammunition', refPrice: { amount: 4250.5, currency: 'EUR', year: 2024, source: 'test' }, version: 1 });
      const stored = await h.db.selectFrom('itemTypes').selectAll().where('code', '=', '155mm-he-m795').executeTakeFirstOrThrow();
      expect(stored.refPriceMinor).toBe(425050);
      const yen = await post('/api/catalog/items', { code: '155mm-he-jp', name: 'Type 99 round', group: '155mm-he', unit: 'round', refPrice: price(600000, 'JPY') });
      expect(yen.statusCode).toBe(201);
      expect((await h.db.selectFrom('itemTypes').select('refPriceMinor').where('code', '=', '155mm-he-jp').executeTakeFirstOrThrow()).refPriceMinor).toBe(600000);
      expect((await post('/api/catalog/items', { code: 'pac-3-mse', name: 'PAC-3 MSE', group: 'patriot-interceptor', unit: 'round', refPrice: price(4_000_000, 'USD') })).statusCode).toBe(201);
      const audit = await h.db.selectFrom('auditLog').select('action').where('entity', '=', 'catalog').where('recordId', '=', 'pac-3-mse').execute();
      expect(audit.map((a) => a.action)).toEqual(['create']);
    });

    it('refuses an unknown currency naming the field, and writes nothing', async () => {
      const before = await itemCount();
      const res = await post('/api/catalog/items', { code: 'x-1', name: 'X', group: '155mm-he', unit: 'round', refPrice: price(10, 'XYZ') });
      expect(res.statusCode).toBe(400);
      expect(paths(res)).toEqual(['/refPrice/currency']);
      expect(await itemCount()).toBe(before);
    });

    it('lists every bad field of an item', async () => {
      const res = await post('/api/catalog/items', { code: 'x-2', name: 'X', group: '155mm-he', unit: 'crate', refPrice: { amount: -1, currency: 'eur', year: 1900, vendor: 'acme' } });
      expect(res.statusCode).toBe(400);
      expect(paths(res)).toEqual(expect.arrayContaining(['/unit', '/refPrice/amount', '/refPrice/currency', '/refPrice/year']));
      expect(res.json().errors.some((e: { message: string }) => /vendor/.test(e.message))).toBe(true);
      const missing = await post('/api/catalog/items', { code: 'x-3' });
      expect(paths(missing)).toEqual(expect.arrayContaining(['/name', '/group', '/unit', '/refPrice']));
    });

    it('refuses an unknown group and a duplicate code', async () => {
      const group = await post('/api/catalog/items', { code: 'x-4', name: 'X', group: 'no-such-group', unit: 'round', refPrice: price(1) });
      expect(group.statusCode).toBe(400);
      expect(group.json().errors).toEqual([{ path: '/group', message: 'unknown item group no-such-group' }]);
      const dup = await post('/api/catalog/items', { code: 'pac-3-mse', name: 'again', group: 'patriot-interceptor', unit: 'round', refPrice: price(1) });
      expect(dup.statusCode).toBe(409);
    });
  });

  describe('reading the catalog', () => {
    it('reads a group with its items and counts', async () => {
      const res = await get('/api/catalog/groups/155mm-he');
      expect(res.json()).toMatchObject({ itemCount: 2 });
      expect(res.json().items.map((i: { code: string }) => i.code)).toEqual(['155mm-he-jp', '155mm-he-m795']);
      const list = (await get('/api/catalog/groups?capabilityArea=ammunition,air-defence')).json().items;
      expect(list.map((g: { code: string; itemCount: number }) => [g.code, g.itemCount])).toEqual([['155mm-he', 2], ['patriot-interceptor', 1]]);
      expect((await get('/api/catalog/groups?q=drone')).json().items.map((g: { code: string }) => g.code)).toEqual(['fpv-drone']);
    });

    it('filters items by area, group and text', async () => {
      const area = (await get('/api/catalog/items?capabilityArea=air-defence')).json().items;
      expect(area.map((i: { code: string }) => i.code)).toEqual(['pac-3-mse']);
      const group = (await get('/api/catalog/items?group=155mm-he&q=M795')).json().items;
      expect(group.map((i: { code: string }) => i.code)).toEqual(['155mm-he-m795']);
      const bad = await get('/api/catalog/items?capabilityArea=space&limit=0');
      expect(bad.statusCode).toBe(400);
      expect(paths(bad)).toEqual(expect.arrayContaining([expect.stringMatching(/^\/querystring\/capabilityArea/), '/querystring/limit']));
    });

    it('pages by price with a cursor without losing or repeating items', async () => {
      for (let i = 0; i < 5; i++) {
        await post('/api/catalog/items', { code: `fpv-${i}`, name: `FPV ${i}`, group: 'fpv-drone', unit: 'each', refPrice: price(400 + (i % 2) * 100) });
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/catalog/items?group=fpv-drone&sort=refPrice&order=desc&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await get(url)).json();
        seen.push(...page.items.map((i: { code: string }) => i.code));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['fpv-3', 'fpv-1', 'fpv-4', 'fpv-2', 'fpv-0']);
      const byName = (await get('/api/catalog/items?sort=name&limit=100')).json().items.map((i: { name: string }) => i.name);
      expect(byName).toEqual([...byName].sort());
      expect((await get('/api/catalog/items?cursor=forged')).statusCode).toBe(400);
    });

    it('answers 404 for an unknown item', async () => {
      const res = await get('/api/catalog/items/nothing');
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('not_found');
    });
  });

  describe('PATCH /api/catalog/items/:code', () => {
    it('changes price and group with the version, moving the item to the new group’s area', async () => {
      await post('/api/catalog/groups', { code: 'loitering', name: 'Loitering munitions', capabilityArea: 'ammunition' });
      const res = await app.inject({ method: 'PATCH', url: '/api/catalog/items/fpv-0', payload: { group: 'loitering', refPrice: price(12.345, 'USD') }, headers: { 'if-match': '"1"' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.json()).toMatchObject({ group: 'loitering', capabilityArea: 'ammunition', refPrice: { amount: 12.35, currency: 'USD' }, version: 2 });
    });

    it('refuses a stale If-Match with 412', async () => {
      const res = await app.inject({ method: 'PATCH', url: '/api/catalog/items/fpv-0', payload: { name: 'late' }, headers: { 'if-match': '"1"' } });
      expect(res.statusCode).toBe(412);
      expect((await get('/api/catalog/items/fpv-0')).json()).toMatchObject({ name: 'FPV 0', version: 2 });
    });

    it('refuses an unknown group or currency and changes nothing', async () => {
      const group = await app.inject({ method: 'PATCH', url: '/api/catalog/items/fpv-1', payload: { name: 'renamed', group: 'nope' } });
      expect(group.statusCode).toBe(400);
      expect(paths(group)).toEqual(['/group']);
      const cur = await app.inject({ method: 'PATCH', url: '/api/catalog/items/fpv-1', payload: { refPrice: price(1, 'BTC') } });
      expect(paths(cur)).toEqual(['/refPrice/currency']);
      expect((await get('/api/catalog/items/fpv-1')).json()).toMatchObject({ name: 'FPV 1', group: 'fpv-drone', version: 1 });
      expect((await app.inject({ method: 'PATCH', url: '/api/catalog/items/nothing', payload: { name: 'x' } })).statusCode).toBe(404);
    });
  });
});
