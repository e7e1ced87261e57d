import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testBackends } from '../store/testing/test-db.ts';
import { buildItem, buildNation, buildPledge } from '../store/testing/factories.ts';
import type { DbHandle } from '../store/db.ts';
import { buildApp } from './app.ts';
import { SYSTEM_ACTOR } from '../services/context.ts';
import { createUser } from '../services/accounts/users.ts';
import { verifyAuditChain } from '../services/audit-verify.ts';

/**
 * The "done when", end to end through a browser-style session: signed in as Germany's donor, a user
 * sees Germany's pledges in full and Poland's only as aggregates, cannot change Poland's by any route, and
 * what everyone did is in an audit trail that verifies.
 */
describe.each(testBackends())("Germany's donor, signed in with a session, on $name", (backend) => {
  let h: DbHandle;
  let app: FastifyInstance;
  let session: { cookie: string; csrf: string };
  let itemCode: string;
  beforeAll(async () => {
    h = await backend.open();
    app = await buildApp({ deps: { db: h.db }, dbKind: h.target.kind, logger: false });
    await app.ready();
    await buildNation(h.db, { code: 'DEU' });
    await buildNation(h.db, { code: 'POL' });
    await buildNation(h.db, { code: 'UKR', kind: 'recipient' });
    itemCode = (await buildItem(h.db)).code;
    for (const [id, donor] of [['P-DE-1', 'DEU'], ['P-DE-2', 'DEU'], ['P-PL-1', 'POL'], ['P-PL-2', 'POL'], ['P-PL-3', 'POL']] as const) {
      await buildPledge(h.db, { id, donor, itemCode, quantity: 100, status: 'committed', notes: `${donor} eyes only`, tranches: [{ quantity: 100, expectedOn: '2025-06-01' }] });
    }
    await createUser({ db: h.db }, SYSTEM_ACTOR, { username: 'deu-donor', role: 'donor', nation: 'DEU', password: 'correct horse battery staple' });
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'deu-donor', password: 'correct horse battery staple' } });
    expect(login.statusCode).toBe(200);
    const cookies = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    session = { cookie: cookies, csrf: login.json().csrfToken };
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });
  const write = (method: 'POST' | 'PATCH', url: string, payload: object, ifMatch = '"1"') =>
    app.inject({ method, url, payload, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'if-match': ifMatch } });

  it("lists Germany's pledges in full and none of Poland's lines", async () => {
    const res = await get('/api/pledges?limit=100');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; donor: string; notes: string; tranches: unknown[] }[];
    expect(items.map((p) => p.id).sort()).toEqual(['P-DE-1', 'P-DE-2']);
    expect(items.every((p) => p.notes === 'DEU eyes only' && p.tranches.length === 1)).toBe(true);
    expect(res.body).not.toContain('POL');
    expect((await get('/api/pledges?donor=POL')).json().items).toEqual([]);
    expect((await get('/api/pledges/P-PL-1')).statusCode).toBe(404);
  });

  it("sees Poland's pledges only as aggregates", async () => {
    const res = await get('/api/pledges/aggregates');
    expect(res.statusCode).toBe(200);
    const cells = res.json().items as { pledges: number; donors: number }[];
    expect(cells.reduce((n, c) => n + c.pledges, 0)).toBe(5);
    expect(cells.reduce((n, c) => Math.max(n, c.donors), 0)).toBe(2);
    expect(res.body).not.toMatch(/P-PL|POL|eyes only/);
  });

  it("cannot change Poland's pledges by any route, and can change its own", async () => {
    const attempts = await Promise.all([
      write('PATCH', '/api/pledges/P-PL-1', { notes: 'mine now' }),
      write('POST', '/api/pledges/P-PL-1/transitions', { to: 'withdrawn' }),
      write('POST', '/api/deliveries', { trancheId: 'P-PL-1/T1', quantity: 1, shippedOn: '2025-05-01' }),
      write('POST', '/api/pledges', { donor: 'POL', kind: 'in-kind', channel: 'coordinated', itemCode, quantity: 1, announcedOn: '2025-01-01', tranches: [{ quantity: 1, expectedOn: '2025-03-01' }] }),
    ]);
    expect(attempts.map((r) => r.statusCode)).toEqual([404, 404, 400, 403]);
    const polish = await h.db.selectFrom('pledges').select(['id', 'notes', 'status', 'version']).where('donor', '=', 'POL').orderBy('id').execute();
    expect(polish.every((p) => p.notes === 'POL eyes only' && p.status === 'committed' && p.version === 1)).toBe(true);
    // A cookie write without the CSRF token is refused, even on its own pledge.
    const noCsrf = await app.inject({ method: 'PATCH', url: '/api/pledges/P-DE-1', payload: { notes: 'x' }, headers: { cookie: session.cookie, 'if-match': '"1"' } });
    expect(noCsrf.statusCode).toBe(403);
    const own = await write('PATCH', '/api/pledges/P-DE-1', { notes: 'updated by Germany', releasability: ['recipient', 'REL TO POL'] });
    expect(own.statusCode).toBe(200);
  });

  it('leaves a verifiable audit trail naming who did what', async () => {
    const history = await get('/api/audit/pledge/P-DE-1');
    expect(history.statusCode).toBe(200);
    const last = history.json().entries.at(-1);
    expect(last).toMatchObject({ action: 'update', actor: { role: 'donor', nation: 'DEU' }, after: { notes: 'updated by Germany' } });
    expect((await get('/api/audit/pledge/P-PL-1')).statusCode).toBe(404);
    const verified = await verifyAuditChain(h.db);
    expect(verified.firstBreak).toBeNull();
    expect(verified.entries).toBeGreaterThanOrEqual(2);
  });
});
