import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testBackends } from '../../../store/testing/test-db.ts';
import { buildItem, buildNation, buildPledge, buildRequirement } from '../../../store/testing/factories.ts';
import { buildTestApp } from '../../app.test-helpers.ts';
import type { DbHandle } from '../../../store/db.ts';
import { createPledge, getPledge, listPledges, updatePledge } from '../../../services/pledges/pledges.ts';
import { SYSTEM_ACTOR, type Actor } from '../../../services/context.ts';
import { PledgeCreate, PledgeListQuery } from '../../../contracts/pledges.ts';
import { DomainError } from '../../../domain/errors.ts';

describe.each(testBackends())('pledges API on $name', (backend) => {
  let h: DbHandle;
  let app: FastifyInstance;
  let item: Awaited<ReturnType<typeof buildItem>>;
  let donor: string;
  beforeAll(async () => {
    h = await backend.open();
    app = await buildTestApp(h);
    item = await buildItem(h.db);
    donor = (await buildNation(h.db, { code: 'DEU' })).code;
    await buildNation(h.db, { code: 'FRA' });
    await h.db.insertInto('meetings').values({ id: 'UDCG-25', kind: 'contact-group', title: 'UDCG 25', date: '2025-01-09', location: 'Ramstein', attendees: [], notes: '' }).execute();
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const create = (body: object) => app.inject({ method: 'POST', url: '/api/pledges', payload: body });
  const inKind = (extra: object = {}) => ({
    donor,
    kind: 'in-kind',
    channel: 'coordinated',
    itemCode: item.code,
    quantity: 8000,
    announcedOn: '2025-01-09',
    tranches: [
      { quantity: 5000, expectedOn: '2025-03-01' },
      { quantity: 3000, expectedOn: '2025-06-01' },
    ],
    ...extra,
  });
  const counts = async () => {
    const n = async (t: 'pledges' | 'tranches' | 'auditLog') => Number((await h.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { pledges: await n('pledges'), tranches: await n('tranches'), audit: await n('auditLog') };
  };
  const paths = (res: { json(): { errors: { path: string }[] } }) => res.json().errors.map((e) => e.path);

  describe('POST /api/pledges', () => {
    it('creates an in-kind pledge with its tranches, derives group and area from the item, and audits it', async () => {
      const res = await create(inKind({ meetingId: 'UDCG-25', forbids: ['cross-border'] }));
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body.id).toMatch(/^P-\d{6}$/);
      expect(res.headers.location).toBe(`/api/pledges/${body.id}`);
      expect(res.headers.etag).toBe('"1"');
      expect(body).toMatchObject({
        donor: 'DEU',
        group: item.groupCode,
        capabilityArea: 'ammunition',
        quantity: 8000,
        status: 'announced',
        allowedNext: ['committed', 'withdrawn'],
        horizon: 'one-off',
        forbids: ['cross-border'],
        meetingId: 'UDCG-25',
        amount: null,
      });
      expect(body.tranches).toEqual([
        { id: `${body.id}/T1`, seq: 1, quantity: 5000, amount: null, amountMinor: null, expectedOn: '2025-03-01', deliveredQuantity: 0, receivedQuantity: 0 },
        { id: `${body.id}/T2`, seq: 2, quantity: 3000, amount: null, amountMinor: null, expectedOn: '2025-06-01', deliveredQuantity: 0, receivedQuantity: 0 },
      ]);
      const audit = await h.db.selectFrom('auditLog').selectAll().where('recordId', '=', body.id).execute();
      expect(audit.map((a) => [a.entity, a.action])).toEqual([['pledge', 'create']]);
      expect((audit[0]!.after as { tranches: unknown[] }).tranches).toHaveLength(2);
    });

    it('stores a funding amount in minor units and its tranches likewise', async () => {
      const res = await create({
        donor,
        kind: 'funding',
        channel: 'bilateral',
        amount: 1_500_000.5,
        currency: 'EUR',
        horizon: 'multi-year',
        years: [2026, 2025],
        announcedOn: '2025-01-09',
        tranches: [
          { amount: 1_000_000.25, expectedOn: '2025-02-01' },
          { amount: 500_000.25, expectedOn: '2026-02-01' },
        ],
      });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ kind: 'funding', group: null, quantity: null, amount: 1_500_000.5, amountMinor: 150_000_050, currency: 'EUR', years: [2025, 2026] });
      expect(body.tranches.map((t: { amountMinor: number }) => t.amountMinor)).toEqual([100_000_025, 50_000_025]);
    });

    it('records a declared value for an in-kind pledge', async () => {
      const res = await create(inKind({ amount: 32_000_000, currency: 'USD' }));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ amountMinor: 3_200_000_000, currency: 'USD' });
    });

    it('lists every invalid field with its path, unknown fields included, and writes nothing', async () => {
      const before = await counts();
      const res = await create({ ...inKind({ quantity: -5, kind: 'gift', announcedOn: '2025-02-30', colour: 'red' }), tranches: [{ quantity: 'many', expectedOn: '2025-03-01' }] });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json();
      expect(problem.code).toBe('invalid_input');
      expect(paths(res)).toEqual(expect.arrayContaining(['/quantity', '/kind', '/announcedOn', '/tranches/0/quantity']));
      expect(problem.errors.some((e: { message: string }) => /colour/.test(e.message))).toBe(true);
      expect(await counts()).toEqual(before);
    });

    it('answers a body that is not an object, or a tranche that is not one, with 400 and no crash', async () => {
      for (const payload of ['null', '[]', '"pledge"', '5']) {
        const res = await app.inject({ method: 'POST', url: '/api/pledges', payload, headers: { 'content-type': 'application/json' } });
        expect(res.statusCode).toBe(400);
        expect(res.json().code).toBe('invalid_input');
      }
      const res = await create(inKind({ tranches: [null, { quantity: 8000, expectedOn: '2025-03-01' }] }));
      expect(res.statusCode).toBe(400);
      expect(paths(res)).toEqual(['/tranches/0']);
    });

    it('refuses tranches that do not add up to the quantity, naming /tranches', async () => {
      const res = await create(inKind({ quantity: 9000 }));
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ path: '/tranches', message: 'add up to 8000 but the quantity is 9000' }]);
    });

    it('refuses funding tranches that do not add up to the amount', async () => {
      const res = await create({ donor, kind: 'funding', channel: 'coordinated', amount: 100, currency: 'EUR', announcedOn: '2025-01-09', tranches: [{ amount: 99.99, expectedOn: '2025-02-01' }] });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ path: '/tranches', message: 'add up to 99.99 EUR but the amount is 100.00 EUR' }]);
    });

    it('refuses a tranche dated before the pledge is announced, and reports it beside a bad field', async () => {
      const res = await create(inKind({ channel: 'by-post', tranches: [{ quantity: 5000, expectedOn: '2025-03-01' }, { quantity: 3000, expectedOn: '2024-12-31' }] }));
      expect(res.statusCode).toBe(400);
      expect(paths(res)).toEqual(['/channel', '/tranches/1/expectedOn']);
    });

    it('refuses a pledge without tranches', async () => {
      const res = await create(inKind({ tranches: [] }));
      expect(res.statusCode).toBe(400);
      expect(paths(res)).toContain('/tranches');
    });

    it('refuses the wrong fields for the kind: a group on funding, no quantity on goods, a quantity on a funding tranche', async () => {
      const funding = await create({ donor, kind: 'funding', channel: 'coordinated', group: item.groupCode, announcedOn: '2025-01-09', tranches: [{ quantity: 1, expectedOn: '2025-02-01' }] });
      expect(funding.statusCode).toBe(400);
      expect(paths(funding)).toEqual(expect.arrayContaining(['/group', '/amount', '/currency', '/tranches/0/quantity', '/tranches/0/amount']));
      const goods = await create(inKind({ quantity: undefined, itemCode: undefined }));
      expect(paths(goods)).toEqual(expect.arrayContaining(['/group', '/quantity']));
    });

    it('requires years for a multi-year pledge and refuses them on a one-off', async () => {
      expect(paths(await create(inKind({ horizon: 'multi-year' })))).toEqual(['/years']);
      expect(paths(await create(inKind({ years: [2025] })))).toEqual(['/horizon']);
      expect(paths(await create(inKind({ horizon: 'multi-year', years: [2025, 2025] })))).toEqual(['/years']);
    });

    it('refuses a currency it does not know and a declared value without a currency', async () => {
      expect(paths(await create(inKind({ amount: 5, currency: 'XXX' })))).toEqual(['/currency']);
      expect(paths(await create(inKind({ amount: 5 })))).toEqual(['/currency']);
    });

    it('names every unknown reference and writes nothing', async () => {
      const before = await counts();
      const res = await create(inKind({ donor: 'ZZZ', itemCode: 'no-such-item', meetingId: 'M-NOPE', designatedTo: 'R-NOPE' }));
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([
        { path: '/donor', message: 'unknown nation ZZZ' },
        { path: '/itemCode', message: 'unknown item type no-such-item' },
        { path: '/meetingId', message: 'unknown meeting M-NOPE' },
        { path: '/designatedTo', message: 'unknown requirement R-NOPE' },
      ]);
      expect(await counts()).toEqual(before);
    });

    it('refuses a group that is not the item’s and an unknown group', async () => {
      const other = await buildItem(h.db);
      expect((await create(inKind({ group: other.groupCode }))).json().errors).toEqual([
        { path: '/group', message: `item ${item.code} belongs to group ${item.groupCode}, not ${other.groupCode}` },
      ]);
      expect((await create(inKind({ itemCode: undefined, group: 'no-such-group' }))).json().errors).toEqual([{ path: '/group', message: 'unknown item group no-such-group' }]);
    });

    it('designates a pledge only to a requirement that accepts its group', async () => {
      const fits = await buildRequirement(h.db, { accepts: [item.groupCode] });
      const other = await buildRequirement(h.db);
      const ok = await create(inKind({ designatedTo: fits.id, channel: 'bilateral' }));
      expect(ok.statusCode).toBe(201);
      expect(ok.json().designatedTo).toBe(fits.id);
      const bad = await create(inKind({ designatedTo: other.id }));
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors).toEqual([{ path: '/designatedTo', message: `requirement ${other.id} accepts ${other.accepts[0]}, not the pledge's group ${item.groupCode}` }]);
    });

    it('refuses a duplicate external id with 409', async () => {
      expect((await create(inKind({ id: 'P-DUP' }))).statusCode).toBe(201);
      const again = await create(inKind({ id: 'P-DUP' }));
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'conflict', errors: [{ path: '/id', message: 'already exists' }] });
    });

    it('refuses an id with a slash, which is kept for tranche ids', async () => {
      expect(paths(await create(inKind({ id: 'P/1' })))).toEqual(['/id']);
    });

    it('leaves no pledge, no tranche and no audit row when the database refuses a tranche after the pledge was written', async () => {
      const before = await counts();
      const input = PledgeCreate.parse(inKind({ id: 'P-HALF' }));
      input.tranches[1]!.expectedOn = '2025-13-45'; // past the schema: only the database notices
      const failed = createPledge({ db: h.db }, SYSTEM_ACTOR, input);
      await expect(failed).rejects.toBeInstanceOf(DomainError);
      await expect(failed).rejects.toMatchObject({ code: 'invalid_input' });
      expect(await counts()).toEqual(before);
      expect(await h.db.selectFrom('pledges').select('id').where('id', '=', 'P-HALF').executeTakeFirst()).toBeUndefined();
    });
  });

  describe('GET /api/pledges/:id', () => {
    it('reads a pledge with per-tranche delivered and received quantities', async () => {
      const p = await buildPledge(h.db, { donor, status: 'delivering', quantity: 100, tranches: [{ quantity: 60, expectedOn: '2025-03-01' }, { quantity: 40, expectedOn: '2025-04-01' }] });
      await h.db.insertInto('deliveries').values([
        { id: `D-R-${p.id}-1`, trancheId: `${p.id}/T1`, quantity: 50, promisedOn: '2025-03-01', shippedOn: '2025-02-20', receivedOn: '2025-03-02', hub: 'Rzeszów', status: 'received', notes: '' },
        { id: `D-R-${p.id}-2`, trancheId: `${p.id}/T1`, quantity: 10, promisedOn: '2025-03-01', shippedOn: '2025-02-25', receivedOn: null, hub: 'Rzeszów', status: 'shipped', notes: '' },
      ]).execute();
      const res = await app.inject({ method: 'GET', url: `/api/pledges/${p.id}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.json().tranches.map((t: { deliveredQuantity: number; receivedQuantity: number }) => [t.deliveredQuantity, t.receivedQuantity])).toEqual([
        [60, 50],
        [0, 0],
      ]);
    });

    it('answers 404 for an unknown id', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/pledges/P-NOPE' });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('not_found');
    });
  });

  describe('PATCH /api/pledges/:id', () => {
    it('replaces the tranches and quantity together, keeping tranche ids by position, and audits the change', async () => {
      const p = (await create(inKind())).json();
      const res = await app.inject({
        method: 'PATCH',
        url: `/api/pledges/${p.id}`,
        headers: { 'if-match': '"1"' },
        payload: { quantity: 9000, tranches: [{ quantity: 2000, expectedOn: '2025-02-01' }, { quantity: 3000, expectedOn: '2025-05-01' }, { quantity: 4000, expectedOn: '2025-09-01' }] },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.json().tranches.map((t: { id: string; quantity: number }) => [t.id, t.quantity])).toEqual([
        [`${p.id}/T1`, 2000],
        [`${p.id}/T2`, 3000],
        [`${p.id}/T3`, 4000],
      ]);
      const audit = await h.db.selectFrom('auditLog').select('action').where('recordId', '=', p.id).orderBy('seq').execute();
      expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
      const fewer = await app.inject({ method: 'PATCH', url: `/api/pledges/${p.id}`, payload: { quantity: 10, tranches: [{ quantity: 10, expectedOn: '2025-02-01' }] } });
      expect(fewer.statusCode).toBe(200);
      expect(await h.db.selectFrom('tranches').select('id').where('pledgeId', '=', p.id).execute()).toEqual([{ id: `${p.id}/T1` }]);
    });

    it('refuses a quantity that no longer matches the tranches, naming /tranches, and writes nothing', async () => {
      const p = (await create(inKind())).json();
      const res = await app.inject({ method: 'PATCH', url: `/api/pledges/${p.id}`, payload: { quantity: 9000 } });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ path: '/tranches', message: 'add up to 8000 but the quantity is 9000' }]);
      expect((await app.inject({ method: 'GET', url: `/api/pledges/${p.id}` })).json()).toMatchObject({ quantity: 8000, version: 1 });
    });

    it('refuses unknown fields and a stale If-Match with 412', async () => {
      const p = (await create(inKind())).json();
      const unknown = await app.inject({ method: 'PATCH', url: `/api/pledges/${p.id}`, payload: { status: 'delivered' } });
      expect(unknown.statusCode).toBe(400);
      expect((await app.inject({ method: 'PATCH', url: `/api/pledges/${p.id}`, payload: { notes: 'first' }, headers: { 'if-match': '"1"' } })).statusCode).toBe(200);
      const stale = await app.inject({ method: 'PATCH', url: `/api/pledges/${p.id}`, payload: { notes: 'second' }, headers: { 'if-match': '"1"' } });
      expect(stale.statusCode).toBe(412);
      expect(stale.json().code).toBe('precondition_failed');
      expect((await app.inject({ method: 'GET', url: `/api/pledges/${p.id}` })).json()).toMatchObject({ notes: 'first', version: 2 });
    });

    it('refuses to change the terms once the pledge is contracted, but lets notes change', async () => {
      const p = await buildPledge(h.db, { donor, status: 'contracted' });
      const terms = await app.inject({ method: 'PATCH', url: `/api/pledges/${p.id}`, payload: { channel: 'bilateral' } });
      expect(terms.statusCode).toBe(409);
      expect(terms.json().detail).toMatch(/is contracted; its terms may change only while it is announced or committed/);
      const notes = await app.inject({ method: 'PATCH', url: `/api/pledges/${p.id}`, payload: { notes: 'contract signed' } });
      expect(notes.statusCode).toBe(200);
      expect(notes.json().notes).toBe('contract signed');
    });

    it('refuses to remove a tranche a delivery already references, or cut it below what shipped', async () => {
      const p = await buildPledge(h.db, { donor, status: 'committed', quantity: 100, tranches: [{ quantity: 60, expectedOn: '2025-03-01' }, { quantity: 40, expectedOn: '2025-04-01' }] });
      await h.db.insertInto('deliveries').values({ id: `D-X-${p.id}`, trancheId: `${p.id}/T2`, quantity: 30, promisedOn: '2025-04-01', shippedOn: '2025-03-20', receivedOn: null, hub: 'Hub', status: 'shipped', notes: '' }).execute();
      const removed = await app.inject({ method: 'PATCH', url: `/api/pledges/${p.id}`, payload: { tranches: [{ quantity: 100, expectedOn: '2025-03-01' }] } });
      expect(removed.statusCode).toBe(409);
      expect(removed.json().errors).toEqual([{ path: '/tranches', message: `tranche ${p.id}/T2 has 1 deliveries recorded against it and cannot be removed` }]);
      const cut = await app.inject({ method: 'PATCH', url: `/api/pledges/${p.id}`, payload: { tranches: [{ quantity: 80, expectedOn: '2025-03-01' }, { quantity: 20, expectedOn: '2025-04-01' }] } });
      expect(cut.statusCode).toBe(409);
      expect(cut.json().errors[0].path).toBe('/tranches/1/quantity');
      const moved = await app.inject({ method: 'PATCH', url: `/api/pledges/${p.id}`, payload: { tranches: [{ quantity: 50, expectedOn: '2025-03-01' }, { quantity: 50, expectedOn: '2025-05-01' }] } });
      expect(moved.statusCode).toBe(200);
      expect((await h.db.selectFrom('tranches').select('id').where('pledgeId', '=', p.id).execute()).length).toBe(2);
    });

    it('answers 404 for an unknown id', async () => {
      expect((await app.inject({ method: 'PATCH', url: '/api/pledges/P-NOPE', payload: { notes: 'x' } })).statusCode).toBe(404);
    });
  });

  describe('POST /api/pledges/:id/transitions', () => {
    it('moves along the lifecycle, audits each move, and names the allowed states when a move is illegal', async () => {
      const p = (await create(inKind())).json();
      const committed = await app.inject({ method: 'POST', url: `/api/pledges/${p.id}/transitions`, payload: { to: 'committed' }, headers: { 'if-match': '"1"' } });
      expect(committed.statusCode).toBe(200);
      expect(committed.json()).toMatchObject({ status: 'committed', version: 2, allowedNext: ['contracted', 'delivering', 'withdrawn'] });
      const illegal = await app.inject({ method: 'POST', url: `/api/pledges/${p.id}/transitions`, payload: { to: 'delivered' } });
      expect(illegal.statusCode).toBe(409);
      expect(illegal.json().detail).toBe(`pledge ${p.id} cannot move from committed to delivered; allowed next states from committed: contracted, delivering, withdrawn`);
      await app.inject({ method: 'POST', url: `/api/pledges/${p.id}/transitions`, payload: { to: 'withdrawn' } });
      const final = await app.inject({ method: 'POST', url: `/api/pledges/${p.id}/transitions`, payload: { to: 'committed' } });
      expect(final.statusCode).toBe(409);
      expect(final.json().detail).toMatch(/allowed next states from withdrawn: none: it is final/);
      const audit = await h.db.selectFrom('auditLog').select('action').where('recordId', '=', p.id).orderBy('seq').execute();
      expect(audit.map((a) => a.action)).toEqual(['create', 'transition:committed', 'transition:withdrawn']);
    });

    it('refuses an unknown status with 400, a stale version with 412 and an unknown pledge with 404', async () => {
      const p = (await create(inKind())).json();
      expect((await app.inject({ method: 'POST', url: `/api/pledges/${p.id}/transitions`, payload: { to: 'lost' } })).statusCode).toBe(400);
      expect((await app.inject({ method: 'POST', url: `/api/pledges/${p.id}/transitions`, payload: { to: 'committed' }, headers: { 'if-match': '"7"' } })).statusCode).toBe(412);
      expect((await app.inject({ method: 'POST', url: '/api/pledges/P-NOPE/transitions', payload: { to: 'committed' } })).statusCode).toBe(404);
    });
  });

  describe('GET /api/pledges', () => {
    it('filters by donor, kind, status, area, group, meeting, dates and designation', async () => {
      await buildNation(h.db, { code: 'NOR' });
      await buildNation(h.db, { code: 'SWE' });
      const group = (await buildItem(h.db, { capabilityArea: 'medical' })).groupCode;
      const req = await buildRequirement(h.db, { accepts: [group], capabilityArea: 'medical' });
      const a = await buildPledge(h.db, { donor: 'NOR', groupCode: group, capabilityArea: 'medical', status: 'committed', announcedOn: '2023-05-01', meetingId: 'UDCG-25' });
      const b = await buildPledge(h.db, { donor: 'SWE', groupCode: group, capabilityArea: 'medical', announcedOn: '2023-06-01', designatedTo: req.id, channel: 'bilateral' });
      const c = await buildPledge(h.db, { donor: 'NOR', kind: 'funding', announcedOn: '2023-07-01' });
      const ids = async (qs: string) => {
        const res = await app.inject({ method: 'GET', url: `/api/pledges?${qs}` });
        expect(res.statusCode).toBe(200);
        return res.json().items.map((p: { id: string }) => p.id);
      };
      expect(await ids('donor=NOR,SWE&announcedTo=2023-12-31')).toEqual([a.id, b.id, c.id]);
      expect(await ids('donor=NOR&announcedTo=2023-12-31&kind=funding')).toEqual([c.id]);
      expect(await ids(`group=${group}&status=committed`)).toEqual([a.id]);
      expect(await ids('capabilityArea=medical&designated=true')).toEqual([b.id]);
      expect(await ids('capabilityArea=medical&designated=false')).toEqual([a.id]);
      expect(await ids('meeting=UDCG-25&donor=NOR')).toEqual([a.id]);
      expect(await ids('announcedFrom=2023-06-01&announcedTo=2023-06-30')).toEqual([b.id]);
      expect(await ids('channel=bilateral&announcedTo=2023-12-31')).toEqual([b.id]);
      const listed = (await app.inject({ method: 'GET', url: `/api/pledges?donor=SWE&announcedTo=2023-12-31` })).json().items[0];
      expect(listed.tranches).toHaveLength(1);
    });

    it('sorts by quantity with funding pledges as 0 and pages with a cursor without losing or repeating rows', async () => {
      await buildNation(h.db, { code: 'DNK' });
      for (let i = 0; i < 5; i++) await buildPledge(h.db, { donor: 'DNK', quantity: 100 * ((i % 3) + 1) });
      await buildPledge(h.db, { donor: 'DNK', kind: 'funding' });
      await buildPledge(h.db, { donor: 'DNK', kind: 'funding' });
      for (const sort of ['quantity', 'createdAt', 'announcedOn', 'id', 'updatedAt']) {
        for (const order of ['asc', 'desc']) {
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const url: string = `/api/pledges?donor=DNK&sort=${sort}&order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
            const page = (await app.inject({ method: 'GET', url })).json();
            seen.push(...page.items.map((p: { id: string }) => p.id));
            cursor = page.nextCursor;
          } while (cursor);
          const all = (await app.inject({ method: 'GET', url: `/api/pledges?donor=DNK&sort=${sort}&order=${order}&limit=100` })).json();
          expect(seen).toEqual(all.items.map((p: { id: string }) => p.id));
          expect(seen).toHaveLength(7);
        }
      }
      const byQuantity = (await app.inject({ method: 'GET', url: '/api/pledges?donor=DNK&sort=quantity&order=desc' })).json().items;
      expect(byQuantity.map((p: { quantity: number | null }) => p.quantity)).toEqual([300, 200, 200, 100, 100, null, null]);
    });

    it('refuses an unknown filter value, a forged cursor and an unknown parameter', async () => {
      const bad = await app.inject({ method: 'GET', url: '/api/pledges?status=lost' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].path).toMatch(/^\/querystring\/status/);
      expect((await app.inject({ method: 'GET', url: '/api/pledges?cursor=abc' })).statusCode).toBe(400);
      expect((await app.inject({ method: 'GET', url: '/api/pledges?designated=maybe' })).statusCode).toBe(400);
      expect((await app.inject({ method: 'GET', url: '/api/pledges?colour=red' })).statusCode).toBe(400);
    });
  });

  describe('who may see and change which pledge', () => {
    const donorActor = (nation: string): Actor => ({ id: `u-${nation}`, role: 'donor', nation, kind: 'user' });

    it('lets a donor record and read its own pledges only', async () => {
      const deps = { db: h.db };
      const own = await createPledge(deps, donorActor('FRA'), PledgeCreate.parse(inKind({ donor: 'FRA' })));
      expect(own.donor).toBe('FRA');
      await expect(createPledge(deps, donorActor('FRA'), PledgeCreate.parse(inKind()))).rejects.toMatchObject({ code: 'not_allowed' });
      const german = (await create(inKind())).json();
      await expect(getPledge(deps, donorActor('FRA'), german.id)).rejects.toMatchObject({ code: 'not_found' });
      // A pledge FRA may not see answers 404 on writes too, so its existence does not leak.
      await expect(updatePledge(deps, donorActor('FRA'), german.id, { notes: 'mine now' })).rejects.toMatchObject({ code: 'not_found' });
      const page = await listPledges(deps, donorActor('FRA'), PledgeListQuery.parse({ donor: 'DEU,FRA' }));
      expect(new Set(page.items.map((p) => p.donor))).toEqual(new Set(['FRA']));
    });

    it('shows single pledge lines to no observer and lets no recipient record one', async () => {
      const deps = { db: h.db };
      await expect(listPledges(deps, { id: 'o', role: 'observer', nation: null, kind: 'user' }, PledgeListQuery.parse({}))).rejects.toMatchObject({ code: 'not_allowed' });
      await expect(createPledge(deps, { id: 'r', role: 'recipient', nation: 'UKR', kind: 'user' }, PledgeCreate.parse(inKind()))).rejects.toMatchObject({ code: 'not_allowed' });
    });
  });

  it('documents the pledge routes in OpenAPI', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/pledges', '/api/pledges/{id}', '/api/pledges/{id}/transitions']));
  });
});

describe('PledgeCreate on its own', () => {
  it('validates a row without a database, reporting every rule broken', () => {
    const r = PledgeCreate.safeParse({ donor: 'deu', kind: 'funding', channel: 'coordinated', quantity: 5, announcedOn: '2025-01-01', tranches: [{ amount: 1, expectedOn: '2024-01-01' }] });
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => i.path.join('/'));
    expect(issues).toEqual(expect.arrayContaining(['donor', 'quantity', 'amount', 'currency', 'tranches/0/expectedOn']));
  });
});
