import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testBackends } from '../../../store/testing/test-db.ts';
import { buildTestApp } from '../../app.test-helpers.ts';
import type { DbHandle } from '../../../store/db.ts';
import { putFxRate } from '../../../services/fx-rates/fx-rates.ts';

describe.each(testBackends())('FX rates API on $name', (backend) => {
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

  const put = (currency: string, validFrom: string, body: object) => app.inject({ method: 'PUT', url: `/api/fx-rates/${currency}/${validFrom}`, payload: body });
  const get = (url: string) => app.inject({ method: 'GET', url });
  const paths = (res: { json(): { errors: { path: string }[] } }) => res.json().errors.map((e) => e.path);

  describe('PUT /api/fx-rates/:currency/:validFrom', () => {
    it('creates a rate with 201, replaces it with 200 and audits both', async () => {
      const first = await put('USD', '2024-01-02', { perEur: 1.1, source: 'draft' });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toEqual({ currency: 'USD', validFrom: '2024-01-02', perEur: 1.1, source: 'draft' });
      const again = await put('USD', '2024-01-02', { perEur: 1.096, source: 'ECB' });
      expect(again.statusCode).toBe(200);
      expect(again.json().perEur).toBe(1.096);
      expect((await put('USD', '2024-07-01', { perEur: 1.071, source: 'ECB' })).statusCode).toBe(201);
      expect((await put('GBP', '2024-01-02', { perEur: 0.8667, source: 'ECB' })).statusCode).toBe(201);
      expect((await put('JPY', '2024-01-02', { perEur: 155.5 })).statusCode).toBe(201);
      const audit = await h.db.selectFrom('auditLog').select('action').where('entity', '=', 'fx-rate').where('recordId', '=', 'USD/2024-01-02').orderBy('seq').execute();
      expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    });

    it('refuses an unknown currency, EUR itself, a bad date, a non-positive rate and unknown fields', async () => {
      const before = (await get('/api/fx-rates')).json().items.length;
      const res = await put('XYZ', '2024-02-30', { perEur: 0, rate: 1 });
      expect(res.statusCode).toBe(400);
      expect(paths(res)).toEqual(expect.arrayContaining(['/params/currency', '/params/validFrom']));
      const body = await put('USD', '2024-03-01', { perEur: -1, source: 7 });
      expect(paths(body)).toEqual(expect.arrayContaining(['/perEur', '/source']));
      const eur = await put('EUR', '2024-01-02', { perEur: 1 });
      expect(eur.statusCode).toBe(400);
      expect(eur.json().errors[0]).toMatchObject({ path: '/params/currency', message: expect.stringMatching(/EUR is the base currency/) });
      expect((await put('USD', '2024-03-01', { perEur: 1.1, fee: 2 })).statusCode).toBe(400);
      expect((await get('/api/fx-rates')).json().items.length).toBe(before);
    });

    it('lets only a coordinator set rates', async () => {
      const donor = { id: 'd', role: 'donor', nation: 'DEU', kind: 'user' } as const;
      await expect(putFxRate({ db: h.db }, donor, 'USD', '2030-01-01', { perEur: 2, source: '' })).rejects.toMatchObject({ code: 'not_allowed' });
    });
  });

  describe('GET /api/fx-rates', () => {
    it('lists rates by currency and date, filtered by currency', async () => {
      const all = (await get('/api/fx-rates')).json().items;
      expect(all.map((r: { currency: string; validFrom: string }) => `${r.currency} ${r.validFrom}`)).toEqual(['GBP 2024-01-02', 'JPY 2024-01-02', 'USD 2024-01-02', 'USD 2024-07-01']);
      const usd = (await get('/api/fx-rates?currency=USD,GBP')).json().items;
      expect(usd.map((r: { currency: string }) => r.currency)).toEqual(['GBP', 'USD', 'USD']);
      expect((await get('/api/fx-rates?currency=DOGE')).statusCode).toBe(400);
    });
  });

  describe('GET /api/fx/convert', () => {
    it('converts through EUR at the rate in force on the date', async () => {
      const res = await get('/api/fx/convert?amount=1096&from=USD&to=EUR&on=2024-03-15');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ from: { amount: 1096, currency: 'USD' }, to: { amount: 1000, currency: 'EUR' }, on: '2024-03-15', rates: { from: 1.096, to: 1 } });
      const later = (await get('/api/fx/convert?amount=1071&from=USD&to=EUR&on=2024-08-01')).json();
      expect(later.to.amount).toBe(1000);
      const cross = (await get('/api/fx/convert?amount=100&from=GBP&to=JPY&on=2024-02-01')).json();
      expect(cross.to).toEqual({ amount: Math.round((100 / 0.8667) * 155.5), currency: 'JPY' });
      const early = (await get('/api/fx/convert?amount=10&from=EUR&to=USD&on=2023-06-01')).json();
      expect(early.to.amount).toBe(10.96);
      const today = (await get('/api/fx/convert?amount=10&from=EUR&to=USD')).json();
      expect(today).toMatchObject({ on: new Date().toISOString().slice(0, 10), to: { amount: 10.71 } });
    });

    it('names the parameter when a currency has no rate or a value is bad', async () => {
      const noRate = await get('/api/fx/convert?amount=10&from=EUR&to=CHF&on=2024-01-01');
      expect(noRate.statusCode).toBe(400);
      expect(noRate.json().errors).toEqual([{ path: '/querystring/to', message: 'no FX rate for CHF' }]);
      const bad = await get('/api/fx/convert?amount=ten&from=usd&to=EUR&on=2024-13-01');
      expect(bad.statusCode).toBe(400);
      expect(paths(bad)).toEqual(expect.arrayContaining(['/querystring/amount', '/querystring/from', '/querystring/on']));
      const missing = await get('/api/fx/convert?from=USD&to=EUR');
      expect(paths(missing)).toEqual(['/querystring/amount']);
    });
  });

  it('documents the reference-entity routes in the OpenAPI document', async () => {
    const doc = (await get('/api/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/nations',
        '/api/nations/{code}',
        '/api/nations/{code}/economies/{year}',
        '/api/catalog/groups',
        '/api/catalog/groups/{code}',
        '/api/catalog/items',
        '/api/catalog/items/{code}',
        '/api/meetings',
        '/api/meetings/next',
        '/api/meetings/{id}',
        '/api/stock-reports',
        '/api/stock-reports/{id}',
        '/api/fx-rates',
        '/api/fx-rates/{currency}/{validFrom}',
        '/api/fx/convert',
      ]),
    );
  });
});
