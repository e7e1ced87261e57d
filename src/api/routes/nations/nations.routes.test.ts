import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testBackends } from '../../../store/testing/test-db.ts';
import { buildTestApp } from '../../app.test-helpers.ts';
import type { DbHandle } from '../../../store/db.ts';
import { updateNation } from '../../../services/nations/nations.ts';
import { DomainError } from '../../../domain/errors.ts';

describe.each(testBackends())('nations API on $name', (backend) => {
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

  const create = (body: object) => app.inject({ method: 'POST', url: '/api/nations', payload: body });
  const putEconomy = (code: string, year: number | string, body: object) => app.inject({ method: 'PUT', url: `/api/nations/${code}/economies/${year}`, payload: body });
  const count = async () => Number((await h.db.selectFrom('nations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const paths = (res: { json(): { errors: { path: string }[] } }) => res.json().errors.map((e) => e.path);

  describe('POST /api/nations', () => {
    it('adds a partner, answers its ETag and audits the change', async () => {
      const res = await create({ code: 'AUS', name: 'Australia', kind: 'partner', source: 'UDCG invite list' });
      expect(res.statusCode).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.headers.location).toBe('/api/nations/AUS');
      expect(res.json()).toMatchObject({ code: 'AUS', kind: 'partner', participation: 'participating', natoAccessionYear: null, inFairShareKey: false, latestEconomy: null, economies: [], version: 1 });
      const audit = await h.db.selectFrom('auditLog').selectAll().where('entity', '=', 'nation').where('recordId', '=', 'AUS').execute();
      expect(audit.map((a) => a.action)).toEqual(['create']);
    });

    it('adds an ally that counts in the fair-share key', async () => {
      const res = await create({ code: 'DEU', name: 'Germany', kind: 'ally', natoAccessionYear: 1955 });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ inFairShareKey: true, natoAccessionYear: 1955 });
    });

    it('lists every invalid field and writes nothing', async () => {
      const before = await count();
      const res = await create({ code: 'de', name: '', kind: 'recipient', participation: 'maybe', colour: 'red' });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('invalid_input');
      expect(paths(res)).toEqual(expect.arrayContaining(['/code', '/name', '/kind', '/participation']));
      expect(res.json().errors.some((e: { message: string }) => /colour/.test(e.message))).toBe(true);
      expect(await count()).toBe(before);
    });

    it('refuses an ally without accession year and a partner with one', async () => {
      const ally = await create({ code: 'FRA', name: 'France', kind: 'ally' });
      expect(ally.statusCode).toBe(400);
      expect(ally.json().errors).toEqual([{ path: '/natoAccessionYear', message: 'an ally needs its NATO accession year' }]);
      const partner = await create({ code: 'JPN', name: 'Japan', kind: 'partner', natoAccessionYear: 2020 });
      expect(partner.statusCode).toBe(400);
      expect(paths(partner)).toEqual(['/natoAccessionYear']);
      const early = await create({ code: 'NOR', name: 'Norway', kind: 'ally', natoAccessionYear: 1900 });
      expect(paths(early)).toEqual(['/natoAccessionYear']);
    });

    it('refuses a code that already exists with 409', async () => {
      const res = await create({ code: 'AUS', name: 'Australia again', kind: 'partner' });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'conflict', errors: [{ path: '/code', message: 'already exists' }] });
    });
  });

  describe('PUT /api/nations/:code/economies/:year', () => {
    it('creates a year with 201, replaces it with 200 and computes the share of GDP when not given', async () => {
      const first = await putEconomy('DEU', 2023, { gdpUsdMillion: 4_525_703.9, defenceUsdMillion: 66_828.8, source: 'NATO 2024' });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toEqual({ year: 2023, gdpUsdMillion: 4_525_703.9, defenceUsdMillion: 66_828.8, defencePctGdp: 1.48, source: 'NATO 2024' });
      const again = await putEconomy('DEU', 2023, { gdpUsdMillion: 4_500_000, defenceUsdMillion: 70_000, defencePctGdp: 1.57, source: 'revised' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ gdpUsdMillion: 4_500_000, defencePctGdp: 1.57, source: 'revised' });
      expect((await putEconomy('DEU', 2024, { gdpUsdMillion: 4_700_000, defenceUsdMillion: 97_700, defencePctGdp: 2.12 })).statusCode).toBe(201);
      expect((await putEconomy('AUS', 2024, { gdpUsdMillion: 1_800_000 })).statusCode).toBe(201);
      const audit = await h.db.selectFrom('auditLog').select('action').where('entity', '=', 'nation-economy').where('recordId', '=', 'DEU/2023').orderBy('seq').execute();
      expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    });

    it('refuses bad figures and years field by field', async () => {
      const res = await putEconomy('DEU', 2025, { gdpUsdMillion: -1, defenceUsdMillion: 'lots', defencePctGdp: 140 });
      expect(res.statusCode).toBe(400);
      expect(paths(res)).toEqual(expect.arrayContaining(['/gdpUsdMillion', '/defenceUsdMillion', '/defencePctGdp']));
      const year = await putEconomy('DEU', 1980, { gdpUsdMillion: 1 });
      expect(year.statusCode).toBe(400);
      expect(paths(year)).toEqual(['/params/year']);
      expect((await putEconomy('DEU', 'last', { gdpUsdMillion: 1 })).statusCode).toBe(400);
      const rows = await h.db.selectFrom('nationEconomies').selectAll().where('nation', '=', 'DEU').execute();
      expect(rows.map((r) => r.year).sort()).toEqual([2023, 2024]);
    });

    it('answers 404 for a nation that does not exist', async () => {
      const res = await putEconomy('ZZZ', 2024, { gdpUsdMillion: 1 });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('not_found');
    });
  });

  describe('GET /api/nations', () => {
    it('includes the latest year’s figures and sorts by GDP with nations lacking figures last', async () => {
      await create({ code: 'ISL', name: 'Iceland', kind: 'ally', natoAccessionYear: 1949 });
      const res = await app.inject({ method: 'GET', url: '/api/nations?sort=gdp&order=desc' });
      expect(res.statusCode).toBe(200);
      const items = res.json().items;
      expect(items.map((n: { code: string }) => n.code)).toEqual(['DEU', 'AUS', 'ISL']);
      expect(items[0].latestEconomy).toEqual({ year: 2024, gdpUsdMillion: 4_700_000, defenceUsdMillion: 97_700, defencePctGdp: 2.12, source: '' });
      expect(items[2].latestEconomy).toBeNull();
      const asc = (await app.inject({ method: 'GET', url: '/api/nations?sort=gdp&order=asc' })).json().items;
      expect(asc.map((n: { code: string }) => n.code)).toEqual(['AUS', 'DEU', 'ISL']);
    });

    it('filters by kind and participation', async () => {
      const allies = (await app.inject({ method: 'GET', url: '/api/nations?kind=ally&sort=code' })).json().items;
      expect(allies.map((n: { code: string }) => n.code)).toEqual(['DEU', 'ISL']);
      const both = (await app.inject({ method: 'GET', url: '/api/nations?kind=ally,partner&sort=name' })).json().items;
      expect(both.map((n: { name: string }) => n.name)).toEqual(['Australia', 'Germany', 'Iceland']);
      const bad = await app.inject({ method: 'GET', url: '/api/nations?kind=friend&sort=size' });
      expect(bad.statusCode).toBe(400);
      expect(paths(bad)).toEqual(expect.arrayContaining([expect.stringMatching(/^\/querystring\/kind/), '/querystring/sort']));
    });

    it('reads one nation with its economies by year, and 404 for an unknown one', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/nations/DEU' });
      expect(res.statusCode).toBe(200);
      expect(res.json().economies.map((e: { year: number }) => e.year)).toEqual([2023, 2024]);
      expect(res.json().latestEconomy.year).toBe(2024);
      expect((await app.inject({ method: 'GET', url: '/api/nations/XYZ' })).statusCode).toBe(404);
    });
  });

  describe('PATCH /api/nations/:code', () => {
    it('opts a nation out and back in, versioned and audited', async () => {
      const out = await app.inject({ method: 'PATCH', url: '/api/nations/ISL', payload: { participation: 'opted-out' }, headers: { 'if-match': '"1"' } });
      expect(out.statusCode).toBe(200);
      expect(out.headers.etag).toBe('"2"');
      expect(out.json()).toMatchObject({ participation: 'opted-out', inFairShareKey: false, version: 2 });
      const filtered = (await app.inject({ method: 'GET', url: '/api/nations?participation=opted-out' })).json().items;
      expect(filtered.map((n: { code: string }) => n.code)).toEqual(['ISL']);
      const back = await app.inject({ method: 'PATCH', url: '/api/nations/ISL', payload: { participation: 'participating' }, headers: { 'if-match': '"2"' } });
      expect(back.json()).toMatchObject({ participation: 'participating', inFairShareKey: true, version: 3 });
      const audit = await h.db.selectFrom('auditLog').select('action').where('entity', '=', 'nation').where('recordId', '=', 'ISL').orderBy('seq').execute();
      expect(audit.map((a) => a.action)).toEqual(['create', 'participation:opted-out', 'participation:participating']);
    });

    it('refuses a stale If-Match with 412 and keeps the stored values', async () => {
      const stale = await app.inject({ method: 'PATCH', url: '/api/nations/ISL', payload: { name: 'Lýðveldið Ísland' }, headers: { 'if-match': '"1"' } });
      expect(stale.statusCode).toBe(412);
      expect(stale.json().code).toBe('precondition_failed');
      const now = (await app.inject({ method: 'GET', url: '/api/nations/ISL' })).json();
      expect(now).toMatchObject({ name: 'Iceland', version: 3 });
      const malformed = await app.inject({ method: 'PATCH', url: '/api/nations/ISL', payload: { name: 'X' }, headers: { 'if-match': 'yesterday' } });
      expect(malformed.statusCode).toBe(400);
    });

    it('turns a partner into an ally only with its accession year', async () => {
      const missing = await app.inject({ method: 'PATCH', url: '/api/nations/AUS', payload: { kind: 'ally' } });
      expect(missing.statusCode).toBe(400);
      expect(paths(missing)).toEqual(['/natoAccessionYear']);
      const ok = await app.inject({ method: 'PATCH', url: '/api/nations/AUS', payload: { kind: 'ally', natoAccessionYear: 2030 } });
      expect(ok.json()).toMatchObject({ kind: 'ally', natoAccessionYear: 2030, inFairShareKey: true });
      const back = await app.inject({ method: 'PATCH', url: '/api/nations/AUS', payload: { kind: 'partner' } });
      expect(back.json()).toMatchObject({ kind: 'partner', natoAccessionYear: null });
    });

    it('refuses unknown fields and answers 404 for an unknown nation', async () => {
      const unknown = await app.inject({ method: 'PATCH', url: '/api/nations/ISL', payload: { gdp: 1 } });
      expect(unknown.statusCode).toBe(400);
      expect((await app.inject({ method: 'PATCH', url: '/api/nations/QQQ', payload: { name: 'Nowhere' } })).statusCode).toBe(404);
    });

    it('keeps the recipient participating and the recipient', async () => {
      await h.db.insertInto('nations').values({ code: 'UKR', name: 'Ukraine', kind: 'recipient', participation: 'participating', natoAccessionYear: null, source: 'test' }).execute();
      const res = await app.inject({ method: 'PATCH', url: '/api/nations/UKR', payload: { participation: 'opted-out', kind: 'partner' } });
      expect(res.statusCode).toBe(400);
      expect(paths(res).sort()).toEqual(['/kind', '/participation']);
    });

    it('lets only a coordinator change nations', async () => {
      const observer = { id: 'o1', role: 'observer', nation: null, kind: 'user' } as const;
      await expect(updateNation({ db: h.db }, observer, 'ISL', { participation: 'opted-out' })).rejects.toMatchObject({ code: 'not_allowed' } satisfies Partial<DomainError>);
      const now = (await app.inject({ method: 'GET', url: '/api/nations/ISL' })).json();
      expect(now.participation).toBe('participating');
    });
  });
});
