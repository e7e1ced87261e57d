import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { testBackends } from '../../../store/testing/test-db.ts';
import { buildNation, buildPledge } from '../../../store/testing/factories.ts';
import { buildTestApp } from '../../app.test-helpers.ts';
import type { DbHandle } from '../../../store/db.ts';
import type { Actor } from '../../../services/context.ts';
import { confirmReceipt, getDelivery, listDeliveries, recordDelivery, updateDelivery } from '../../../services/deliveries/deliveries.ts';
import { DeliveryCreate, DeliveryListQuery } from '../../../contracts/deliveries.ts';

describe.each(testBackends())('deliveries API on $name', (backend) => {
  let h: DbHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = await backend.open();
    app = await buildTestApp(h);
    await buildNation(h.db, { code: 'POL' });
    await buildNation(h.db, { code: 'NLD' });
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const committed = (extra: Parameters<typeof buildPledge>[1] = {}) =>
    buildPledge(h.db, {
      donor: 'POL',
      status: 'committed',
      quantity: 100,
      announcedOn: '2025-01-10',
      tranches: [
        { quantity: 60, expectedOn: '2025-03-01' },
        { quantity: 40, expectedOn: '2025-05-01' },
      ],
      ...extra,
    });
  const ship = (body: object) => app.inject({ method: 'POST', url: '/api/deliveries', payload: body });
  const receive = (id: string, receivedOn: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: `/api/deliveries/${id}/receipt`, payload: { receivedOn }, headers });
  const pledgeOf = async (id: string) => (await app.inject({ method: 'GET', url: `/api/pledges/${id}` })).json();
  const auditOf = async (id: string) => (await h.db.selectFrom('auditLog').select(['entity', 'action']).where('recordId', '=', id).orderBy('seq').execute()).map((a) => a.action);
  const count = async (t: 'deliveries' | 'auditLog') => Number((await h.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  describe('POST /api/deliveries', () => {
    it('records a shipment with the tranche’s promise, moves the committed pledge to delivering and audits both', async () => {
      const p = await committed();
      const res = await ship({ trancheId: `${p.id}/T1`, quantity: 20, shippedOn: '2025-02-20', hub: 'Rzeszów' });
      expect(res.statusCode).toBe(201);
      const d = res.json();
      expect(d.id).toMatch(/^D-\d{7}$/);
      expect(res.headers.location).toBe(`/api/deliveries/${d.id}`);
      expect(res.headers.etag).toBe('"1"');
      expect(d).toMatchObject({ trancheId: `${p.id}/T1`, pledgeId: p.id, donor: 'POL', group: p.groupCode, quantity: 20, promisedOn: '2025-03-01', status: 'shipped', receivedOn: null, slippageDays: null });
      const pledge = await pledgeOf(p.id);
      expect(pledge).toMatchObject({ status: 'delivering', version: 2 });
      expect(pledge.tranches[0]).toMatchObject({ deliveredQuantity: 20, receivedQuantity: 0 });
      expect(await auditOf(d.id)).toEqual(['create']);
      expect(await auditOf(p.id)).toEqual(['transition:delivering']);
      const second = await ship({ trancheId: `${p.id}/T1`, quantity: 10, shippedOn: '2025-02-21', hub: 'Rzeszów' });
      expect(second.statusCode).toBe(201);
      expect(await auditOf(p.id)).toEqual(['transition:delivering']);
    });

    it('refuses to ship more than remains of the tranche, naming /quantity with the remainder, and writes nothing', async () => {
      const p = await committed();
      expect((await ship({ trancheId: `${p.id}/T2`, quantity: 25, shippedOn: '2025-04-01', hub: 'A' })).statusCode).toBe(201);
      const before = { deliveries: await count('deliveries'), audit: await count('auditLog') };
      const over = await ship({ trancheId: `${p.id}/T2`, quantity: 16, shippedOn: '2025-04-02', hub: 'A' });
      expect(over.statusCode).toBe(400);
      expect(over.json().errors).toEqual([{ path: '/quantity', message: `16 is more than the 15 remaining of tranche ${p.id}/T2 (25 of 40 already shipped)` }]);
      expect({ deliveries: await count('deliveries'), audit: await count('auditLog') }).toEqual(before);
      expect((await ship({ trancheId: `${p.id}/T2`, quantity: 15, shippedOn: '2025-04-02', hub: 'A' })).statusCode).toBe(201);
    });

    it('refuses shipments against an announced or withdrawn pledge with 409, leaving the pledge as it was', async () => {
      const announced = await committed({ status: 'announced' });
      const res = await ship({ trancheId: `${announced.id}/T1`, quantity: 1, shippedOn: '2025-02-01', hub: 'A' });
      expect(res.statusCode).toBe(409);
      expect(res.json().detail).toBe(`pledge ${announced.id} is announced; it must be committed before anything ships against it`);
      const withdrawn = await committed({ status: 'withdrawn' });
      expect((await ship({ trancheId: `${withdrawn.id}/T1`, quantity: 1, shippedOn: '2025-02-01', hub: 'A' })).statusCode).toBe(409);
      expect((await pledgeOf(announced.id)).status).toBe('announced');
    });

    it('answers a body that is not an object with 400 and no crash', async () => {
      for (const payload of ['null', '[]', '7']) {
        const res = await app.inject({ method: 'POST', url: '/api/deliveries', payload, headers: { 'content-type': 'application/json' } });
        expect(res.statusCode).toBe(400);
      }
    });

    it('lists every invalid field, unknown ones included', async () => {
      const res = await ship({ trancheId: 'P-1', quantity: 0, shippedOn: '2025-02-30', hub: '', colour: 'red' });
      expect(res.statusCode).toBe(400);
      const paths = res.json().errors.map((e: { path: string }) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['/trancheId', '/quantity', '/shippedOn', '/hub']));
      expect(res.json().errors.some((e: { message: string }) => /colour/.test(e.message))).toBe(true);
    });

    it('refuses a receipt date before the shipping date, an unknown tranche and a funding tranche, naming the field', async () => {
      const p = await committed();
      const early = await ship({ trancheId: `${p.id}/T1`, quantity: 1, shippedOn: '2025-02-10', receivedOn: '2025-02-09', hub: 'A' });
      expect(early.json().errors).toEqual([{ path: '/receivedOn', message: '2025-02-09 is before the shipping date 2025-02-10' }]);
      const unknown = await ship({ trancheId: 'P-NOPE/T1', quantity: 1, shippedOn: '2025-02-10', hub: 'A' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().errors).toEqual([{ path: '/trancheId', message: 'unknown tranche P-NOPE/T1' }]);
      const money = await buildPledge(h.db, { donor: 'POL', kind: 'funding', status: 'committed' });
      const funding = await ship({ trancheId: `${money.id}/T1`, quantity: 1, shippedOn: '2025-02-10', hub: 'A' });
      expect(funding.statusCode).toBe(400);
      expect(funding.json().errors[0].path).toBe('/trancheId');
      const beforeAnnounced = await ship({ trancheId: `${p.id}/T1`, quantity: 1, shippedOn: '2024-12-31', hub: 'A' });
      expect(beforeAnnounced.json().errors).toEqual([{ path: '/shippedOn', message: '2024-12-31 is before the pledge was announced on 2025-01-10' }]);
    });

    it('refuses a duplicate delivery id with 409', async () => {
      const p = await committed();
      expect((await ship({ id: 'D-DUP', trancheId: `${p.id}/T1`, quantity: 1, shippedOn: '2025-02-10', hub: 'A' })).statusCode).toBe(201);
      const again = await ship({ id: 'D-DUP', trancheId: `${p.id}/T1`, quantity: 1, shippedOn: '2025-02-10', hub: 'A' });
      expect(again.statusCode).toBe(409);
      expect(again.json().errors).toEqual([{ path: '/id', message: 'already exists' }]);
    });

    it('writes nothing, not even the pledge’s move, when the audit entry is refused at the very end', async () => {
      const p = await committed();
      const before = { deliveries: await count('deliveries'), audit: await count('auditLog') };
      // Fault injection: the audit log refuses every entry, so the use case fails after its other writes.
      await sql`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit refused' using errcode = 'check_violation'; end $$`.execute(h.db);
      await sql`create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()`.execute(h.db);
      try {
        const res = await ship({ trancheId: `${p.id}/T1`, quantity: 5, shippedOn: '2025-02-10', hub: 'A' });
        expect(res.statusCode).toBe(400);
      } finally {
        await sql`drop trigger refuse_audit on audit_log`.execute(h.db);
        await sql`drop function refuse_audit()`.execute(h.db);
      }
      expect({ deliveries: await count('deliveries'), audit: await count('auditLog') }).toEqual(before);
      expect(await pledgeOf(p.id)).toMatchObject({ status: 'committed', version: 1 });
      expect((await ship({ trancheId: `${p.id}/T1`, quantity: 5, shippedOn: '2025-02-10', hub: 'A' })).statusCode).toBe(201);
    });
  });

  describe('POST /api/deliveries/:id/receipt', () => {
    it('confirms receipt with the slippage, and moves the pledge to delivered once every tranche is received', async () => {
      const p = await committed();
      const d1 = (await ship({ trancheId: `${p.id}/T1`, quantity: 60, shippedOn: '2025-02-20', hub: 'A' })).json();
      const d2 = (await ship({ trancheId: `${p.id}/T2`, quantity: 40, shippedOn: '2025-04-20', hub: 'A' })).json();
      const r1 = await receive(d1.id, '2025-03-11', { 'if-match': '"1"' });
      expect(r1.statusCode).toBe(200);
      expect(r1.json()).toMatchObject({ status: 'received', receivedOn: '2025-03-11', slippageDays: 10, version: 2 });
      expect((await pledgeOf(p.id)).status).toBe('delivering');
      const r2 = await receive(d2.id, '2025-04-25');
      expect(r2.json().slippageDays).toBe(-6);
      const pledge = await pledgeOf(p.id);
      expect(pledge.status).toBe('delivered');
      expect(pledge.tranches.map((t: { receivedQuantity: number }) => t.receivedQuantity)).toEqual([60, 40]);
      expect(await auditOf(p.id)).toEqual(['transition:delivering', 'transition:delivered']);
      expect(await auditOf(d2.id)).toEqual(['create', 'transition:received']);
    });

    it('does not complete a pledge while part of a tranche is unshipped or in transit', async () => {
      const p = await committed({ quantity: 10, tranches: [{ quantity: 10, expectedOn: '2025-03-01' }] });
      const d = (await ship({ trancheId: `${p.id}/T1`, quantity: 9, shippedOn: '2025-02-20', hub: 'A' })).json();
      await receive(d.id, '2025-03-01');
      expect((await pledgeOf(p.id)).status).toBe('delivering');
      const rest = (await ship({ trancheId: `${p.id}/T1`, quantity: 1, shippedOn: '2025-03-02', receivedOn: '2025-03-05', hub: 'A' })).json();
      expect(rest.status).toBe('received');
      expect((await pledgeOf(p.id)).status).toBe('delivered');
    });

    it('refuses a second receipt with 409, an early date with 400, a stale version with 412 and an unknown delivery with 404', async () => {
      const p = await committed();
      const d = (await ship({ trancheId: `${p.id}/T1`, quantity: 5, shippedOn: '2025-02-20', hub: 'A' })).json();
      const early = await receive(d.id, '2025-02-19');
      expect(early.statusCode).toBe(400);
      expect(early.json().errors).toEqual([{ path: '/receivedOn', message: '2025-02-19 is before the shipping date 2025-02-20' }]);
      expect((await receive(d.id, '2025-03-01', { 'if-match': '"5"' })).statusCode).toBe(412);
      expect((await receive(d.id, '2025-03-01')).statusCode).toBe(200);
      const twice = await receive(d.id, '2025-03-02');
      expect(twice.statusCode).toBe(409);
      expect(twice.json().detail).toBe(`delivery ${d.id} was already received on 2025-03-01`);
      expect((await receive('D-NOPE', '2025-03-01')).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: `/api/deliveries/${d.id}/receipt`, payload: { receivedOn: 'soon' } })).statusCode).toBe(400);
    });
  });

  describe('GET and PATCH /api/deliveries/:id', () => {
    it('reads a delivery with its slippage and answers 404 for an unknown one', async () => {
      const p = await committed();
      const d = (await ship({ trancheId: `${p.id}/T1`, quantity: 5, shippedOn: '2025-02-20', receivedOn: '2025-03-04', hub: 'A' })).json();
      const res = await app.inject({ method: 'GET', url: `/api/deliveries/${d.id}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.json()).toMatchObject({ id: d.id, slippageDays: 3, status: 'received' });
      expect((await app.inject({ method: 'GET', url: '/api/deliveries/D-NOPE' })).statusCode).toBe(404);
    });

    it('corrects hub, notes and dates with a version, refusing a stale one and keeping the newer change', async () => {
      const p = await committed();
      const d = (await ship({ trancheId: `${p.id}/T1`, quantity: 5, shippedOn: '2025-02-20', hub: 'A' })).json();
      const ok = await app.inject({ method: 'PATCH', url: `/api/deliveries/${d.id}`, payload: { hub: 'Constanța', notes: 'rerouted', shippedOn: '2025-02-22' }, headers: { 'if-match': '"1"' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ hub: 'Constanța', notes: 'rerouted', shippedOn: '2025-02-22', version: 2 });
      const stale = await app.inject({ method: 'PATCH', url: `/api/deliveries/${d.id}`, payload: { hub: 'B' }, headers: { 'if-match': '"1"' } });
      expect(stale.statusCode).toBe(412);
      expect((await app.inject({ method: 'GET', url: `/api/deliveries/${d.id}` })).json().hub).toBe('Constanța');
      expect(await auditOf(d.id)).toEqual(['create', 'update']);
    });

    it('refuses a receipt date on a delivery not yet received, dates out of order and unknown fields', async () => {
      const p = await committed();
      const d = (await ship({ trancheId: `${p.id}/T1`, quantity: 5, shippedOn: '2025-02-20', hub: 'A' })).json();
      const notYet = await app.inject({ method: 'PATCH', url: `/api/deliveries/${d.id}`, payload: { receivedOn: '2025-03-01' } });
      expect(notYet.statusCode).toBe(409);
      await receive(d.id, '2025-03-01');
      const order = await app.inject({ method: 'PATCH', url: `/api/deliveries/${d.id}`, payload: { shippedOn: '2025-03-05' } });
      expect(order.statusCode).toBe(400);
      expect(order.json().errors[0].path).toBe('/shippedOn');
      const fixed = await app.inject({ method: 'PATCH', url: `/api/deliveries/${d.id}`, payload: { receivedOn: '2025-03-03' } });
      expect(fixed.json()).toMatchObject({ receivedOn: '2025-03-03', slippageDays: 2 });
      expect((await app.inject({ method: 'PATCH', url: `/api/deliveries/${d.id}`, payload: { quantity: 4 } })).statusCode).toBe(400);
    });
  });

  describe('GET /api/deliveries', () => {
    it('filters by pledge, donor, status, group and dates', async () => {
      const p = await buildPledge(h.db, { donor: 'NLD', status: 'committed', quantity: 30, announcedOn: '2024-01-01', tranches: [{ quantity: 30, expectedOn: '2024-03-01' }] });
      const a = (await ship({ trancheId: `${p.id}/T1`, quantity: 10, shippedOn: '2024-02-01', receivedOn: '2024-02-10', hub: 'A' })).json();
      const b = (await ship({ trancheId: `${p.id}/T1`, quantity: 10, shippedOn: '2024-03-01', hub: 'A' })).json();
      const c = (await ship({ trancheId: `${p.id}/T1`, quantity: 10, shippedOn: '2024-04-01', receivedOn: '2024-05-01', hub: 'A' })).json();
      const ids = async (qs: string) => {
        const res = await app.inject({ method: 'GET', url: `/api/deliveries?${qs}` });
        expect(res.statusCode).toBe(200);
        return res.json().items.map((d: { id: string }) => d.id);
      };
      expect(await ids(`pledge=${p.id}`)).toEqual([a.id, b.id, c.id]);
      expect(await ids('donor=NLD')).toEqual([a.id, b.id, c.id]);
      expect(await ids(`pledge=${p.id}&status=received`)).toEqual([a.id, c.id]);
      expect(await ids(`group=${p.groupCode}&status=shipped`)).toEqual([b.id]);
      expect(await ids('donor=NLD&shippedFrom=2024-02-15&shippedTo=2024-03-15')).toEqual([b.id]);
      expect(await ids('donor=NLD&receivedFrom=2024-04-01')).toEqual([c.id]);
      expect(await ids('donor=NLD&receivedTo=2024-04-01')).toEqual([a.id]);
      expect(await ids(`pledge=${p.id}&sort=receivedOn&order=desc`)).toEqual([b.id, c.id, a.id]);
    });

    it('pages with a cursor by every sort, in transit deliveries included, without losing or repeating rows', async () => {
      await buildNation(h.db, { code: 'BEL' });
      const p = await buildPledge(h.db, { donor: 'BEL', status: 'committed', quantity: 70, announcedOn: '2024-01-01', tranches: [{ quantity: 70, expectedOn: '2024-03-01' }] });
      for (let i = 0; i < 7; i++) {
        await ship({ trancheId: `${p.id}/T1`, quantity: 10, shippedOn: `2024-02-0${(i % 3) + 1}`, ...(i % 2 ? { receivedOn: `2024-03-0${(i % 3) + 1}` } : {}), hub: 'A' });
      }
      for (const sort of ['shippedOn', 'receivedOn', 'promisedOn', 'quantity', 'id', 'createdAt', 'updatedAt']) {
        for (const order of ['asc', 'desc']) {
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const url: string = `/api/deliveries?donor=BEL&sort=${sort}&order=${order}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
            const page = (await app.inject({ method: 'GET', url })).json();
            seen.push(...page.items.map((d: { id: string }) => d.id));
            cursor = page.nextCursor;
          } while (cursor);
          const all = (await app.inject({ method: 'GET', url: `/api/deliveries?donor=BEL&sort=${sort}&order=${order}` })).json();
          expect(seen).toEqual(all.items.map((d: { id: string }) => d.id));
          expect(seen).toHaveLength(7);
        }
      }
    });

    it('refuses an unknown status and a forged cursor', async () => {
      expect((await app.inject({ method: 'GET', url: '/api/deliveries?status=lost' })).statusCode).toBe(400);
      expect((await app.inject({ method: 'GET', url: '/api/deliveries?cursor=xyz' })).statusCode).toBe(400);
    });
  });

  describe('who may ship and who may confirm receipt', () => {
    const actor = (role: Actor['role'], nation: string | null): Actor => ({ id: `u-${role}-${nation}`, role, nation, kind: 'user' });

    it('lets the donor ship its own pledge only, and only the recipient’s side confirm receipt', async () => {
      const deps = { db: h.db };
      const p = await committed();
      const input = (q: number) => DeliveryCreate.parse({ trancheId: `${p.id}/T1`, quantity: q, shippedOn: '2025-02-20', hub: 'A' });
      const d = await recordDelivery(deps, actor('donor', 'POL'), input(1));
      // A tranche of a pledge NLD may not see is as unknown to it as one that does not exist.
      await expect(recordDelivery(deps, actor('donor', 'NLD'), input(1))).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(recordDelivery(deps, actor('recipient', 'UKR'), input(1))).rejects.toMatchObject({ code: 'not_allowed' });
      await expect(recordDelivery(deps, actor('donor', 'POL'), { ...input(1), receivedOn: '2025-03-01' })).rejects.toMatchObject({ code: 'not_allowed' });
      await expect(confirmReceipt(deps, actor('donor', 'POL'), d.id, { receivedOn: '2025-03-01' })).rejects.toMatchObject({ code: 'not_allowed' });
      await expect(getDelivery(deps, actor('donor', 'NLD'), d.id)).rejects.toMatchObject({ code: 'not_found' });
      await expect(updateDelivery(deps, actor('donor', 'NLD'), d.id, { hub: 'B' })).rejects.toMatchObject({ code: 'not_found' });
      expect((await confirmReceipt(deps, actor('recipient', 'UKR'), d.id, { receivedOn: '2025-03-01' })).status).toBe('received');
      const mine = await listDeliveries(deps, actor('donor', 'NLD'), DeliveryListQuery.parse({ pledge: p.id }));
      expect(mine.items).toEqual([]);
    });
  });
});
