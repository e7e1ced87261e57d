import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testBackends } from '../../../store/testing/test-db.ts';
import { buildGroup, buildNation } from '../../../store/testing/factories.ts';
import { buildTestApp } from '../../app.test-helpers.ts';
import type { DbHandle } from '../../../store/db.ts';

describe.each(testBackends())('meetings API on $name', (backend) => {
  let h: DbHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = await backend.open();
    app = await buildTestApp(h);
    await buildNation(h.db, { code: 'DEU' });
    await buildNation(h.db, { code: 'POL' });
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const create = (body: object) => app.inject({ method: 'POST', url: '/api/meetings', payload: body });
  const get = (url: string) => app.inject({ method: 'GET', url });
  const paths = (res: { json(): { errors: { path: string }[] } }) => res.json().errors.map((e) => e.path);
  const count = async () => Number((await h.db.selectFrom('meetings').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  describe('POST /api/meetings', () => {
    it('records a meeting with a generated id and audits it', async () => {
      const res = await create({ kind: 'contact-group', title: 'UDCG 24', date: '2024-09-06', location: 'Ramstein', attendees: ['DEU', 'POL'] });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body.id).toMatch(/^M-\d{6}$/);
      expect(body).toMatchObject({ kind: 'contact-group', date: '2024-09-06', attendees: ['DEU', 'POL'], version: 1, pledges: { count: 0, withdrawn: 0, byCapabilityArea: [] } });
      expect(res.headers.etag).toBe('"1"');
      const audit = await h.db.selectFrom('auditLog').select('action').where('entity', '=', 'meeting').where('recordId', '=', body.id).execute();
      expect(audit.map((a) => a.action)).toEqual(['create']);
    });

    it('lists every invalid field, including impossible dates, and writes nothing', async () => {
      const before = await count();
      const res = await create({ kind: 'party', title: '', date: '2025-02-30', attendees: ['deu'], colour: 'red' });
      expect(res.statusCode).toBe(400);
      expect(paths(res)).toEqual(expect.arrayContaining(['/kind', '/title', '/date', '/attendees/0']));
      expect(res.json().errors.some((e: { message: string }) => /colour/.test(e.message))).toBe(true);
      expect((await create({ kind: 'summit', title: 'x', date: '06/09/2024' })).statusCode).toBe(400);
      expect(await count()).toBe(before);
    });

    it('refuses attendees that are not nations, naming each', async () => {
      const res = await create({ kind: 'council', title: 'NUC', date: '2024-10-01', attendees: ['DEU', 'XXA', 'POL', 'XXB'] });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([
        { path: '/attendees/1', message: 'unknown nation XXA' },
        { path: '/attendees/3', message: 'unknown nation XXB' },
      ]);
      const twice = await create({ kind: 'council', title: 'NUC', date: '2024-10-01', attendees: ['DEU', 'DEU'] });
      expect(paths(twice)).toEqual(['/attendees']);
    });

    it('refuses a duplicate id with 409 and the reserved id next', async () => {
      expect((await create({ id: 'UDCG-25', kind: 'contact-group', title: 'UDCG 25', date: '2024-11-15' })).statusCode).toBe(201);
      const dup = await create({ id: 'UDCG-25', kind: 'contact-group', title: 'again', date: '2024-11-16' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().errors).toEqual([{ path: '/id', message: 'already exists' }]);
      expect(paths(await create({ id: 'next', kind: 'summit', title: 'x', date: '2024-01-01' }))).toEqual(['/id']);
    });
  });

  describe('GET /api/meetings/:id', () => {
    it('counts the pledges announced there by capability area', async () => {
      const meeting = (await create({ id: 'MIN-1', kind: 'ministerial', title: 'Defence ministers', date: '2024-06-13' })).json();
      const ammo = await buildGroup(h.db, { capabilityArea: 'ammunition' });
      const air = await buildGroup(h.db, { capabilityArea: 'air-defence' });
      const base = { donor: 'DEU', channel: 'coordinated', announcedOn: '2024-06-13', meetingId: meeting.id as string | null, status: 'announced', horizon: 'one-off', years: [], forbids: [], notes: '' };
      await h.db
        .insertInto('pledges')
        .values([
          { ...base, id: 'P-A1', kind: 'in-kind', groupCode: ammo.code, capabilityArea: 'ammunition', quantity: 1000 },
          { ...base, id: 'P-A2', kind: 'procurement', groupCode: ammo.code, capabilityArea: 'ammunition', quantity: 500, status: 'withdrawn' },
          { ...base, id: 'P-D1', kind: 'in-kind', groupCode: air.code, capabilityArea: 'air-defence', quantity: 2 },
          { ...base, id: 'P-F1', kind: 'funding', amountMinor: 100_000_000, currency: 'EUR' },
          { ...base, id: 'P-ELSE', kind: 'in-kind', groupCode: air.code, capabilityArea: 'air-defence', quantity: 1, meetingId: null },
        ])
        .execute();
      const res = await get(`/api/meetings/${meeting.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.json().pledges).toEqual({
        count: 4,
        withdrawn: 1,
        byCapabilityArea: [
          { capabilityArea: 'air-defence', count: 1 },
          { capabilityArea: 'ammunition', count: 2 },
          { capabilityArea: null, count: 1 },
        ],
      });
    });

    it('answers 404 for an unknown meeting', async () => {
      const res = await get('/api/meetings/NOPE');
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('not_found');
    });
  });

  describe('GET /api/meetings/next', () => {
    it('finds the first meeting on or after a date, optionally of a kind', async () => {
      expect((await get('/api/meetings/next?after=2024-09-06')).json().title).toBe('UDCG 24');
      expect((await get('/api/meetings/next?after=2024-09-07')).json().id).toBe('UDCG-25');
      expect((await get('/api/meetings/next?after=2024-01-01&kind=ministerial')).json()).toMatchObject({ id: 'MIN-1', pledges: { count: 4 } });
    });

    it('defaults to today', async () => {
      const today = new Date().toISOString().slice(0, 10);
      await create({ id: 'FUTURE', kind: 'summit', title: 'Far summit', date: '2199-07-01' });
      const res = await get('/api/meetings/next');
      expect(res.statusCode).toBe(200);
      expect(res.json().date >= today).toBe(true);
    });

    it('answers 404 when none is planned and 400 for a bad date', async () => {
      const none = await get('/api/meetings/next?after=2200-01-01');
      expect(none.statusCode).toBe(404);
      expect(none.json().detail).toBe('no meeting is planned on or after 2200-01-01');
      const bad = await get('/api/meetings/next?after=2024-13-01');
      expect(bad.statusCode).toBe(400);
      expect(paths(bad)).toEqual(['/querystring/after']);
    });
  });

  describe('GET /api/meetings', () => {
    it('filters by kind and dates and pages by date without losing or repeating rows', async () => {
      const inRange = (await get('/api/meetings?from=2024-06-01&to=2024-12-31')).json().items;
      expect(inRange.map((m: { date: string }) => m.date)).toEqual(['2024-06-13', '2024-09-06', '2024-11-15']);
      const kinds = (await get('/api/meetings?kind=summit,ministerial')).json().items;
      expect(kinds.map((m: { id: string }) => m.id)).toEqual(['MIN-1', 'FUTURE']);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/meetings?order=desc&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await get(url)).json();
        seen.push(...page.items.map((m: { date: string }) => m.date));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['2199-07-01', '2024-11-15', '2024-09-06', '2024-06-13']);
      const bad = await get('/api/meetings?from=yesterday&sort=size');
      expect(bad.statusCode).toBe(400);
      expect(paths(bad)).toEqual(expect.arrayContaining(['/querystring/from', '/querystring/sort']));
    });
  });

  describe('PATCH /api/meetings/:id', () => {
    it('moves a meeting with the version, then refuses the stale version with 412', async () => {
      const ok = await app.inject({ method: 'PATCH', url: '/api/meetings/UDCG-25', payload: { date: '2024-11-20', attendees: ['POL'] }, headers: { 'if-match': '"1"' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers.etag).toBe('"2"');
      expect(ok.json()).toMatchObject({ date: '2024-11-20', attendees: ['POL'], version: 2 });
      const stale = await app.inject({ method: 'PATCH', url: '/api/meetings/UDCG-25', payload: { title: 'late' }, headers: { 'if-match': '"1"' } });
      expect(stale.statusCode).toBe(412);
      expect((await get('/api/meetings/UDCG-25')).json()).toMatchObject({ title: 'UDCG 25', version: 2 });
    });

    it('refuses unknown attendees, bad dates and unknown fields, and answers 404 for an unknown meeting', async () => {
      const res = await app.inject({ method: 'PATCH', url: '/api/meetings/UDCG-25', payload: { attendees: ['ZZZ'] } });
      expect(res.statusCode).toBe(400);
      expect(paths(res)).toEqual(['/attendees/0']);
      expect((await app.inject({ method: 'PATCH', url: '/api/meetings/UDCG-25', payload: { date: '2024-02-31', venue: 'x' } })).statusCode).toBe(400);
      expect((await get('/api/meetings/UDCG-25')).json()).toMatchObject({ attendees: ['POL'], version: 2 });
      expect((await app.inject({ method: 'PATCH', url: '/api/meetings/NOPE', payload: { title: 'x' } })).statusCode).toBe(404);
    });
  });
});
