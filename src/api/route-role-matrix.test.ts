import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { testBackends } from '../store/testing/test-db.ts';
import { buildItem, buildNation, buildPledge, buildRequirement } from '../store/testing/factories.ts';
import type { DbHandle } from '../store/db.ts';
import { buildApp } from './app.ts';
import { SYSTEM_ACTOR, type Actor, type Role } from '../services/context.ts';
import { authorize, type Entity } from '../services/policy.ts';
import { createUser } from '../services/accounts/users.ts';
import { issueToken } from '../services/accounts/tokens.ts';

/**
 * The route × role matrix: every operation of the OpenAPI document (so routes added later are walked
 * too), for every role, with real bearer tokens. For each it checks the status the role may get and that
 * no response carries a field of a record the role may not see. Three pledges carry marker strings:
 * - Poland's P-POLSECRET (default labels: Poland, coordinators, recipient), its tranche and delivery;
 * - Poland's P-POLKEEP, kept from the recipient (Poland and coordinators only);
 * - Germany's P-DEUOWN (default labels).
 */
const MARKERS = {
  polSecret: ['P-POLSECRET', 'D-POLSECRET', 'POL-SECRET-MARKER-7731', 'HUB-SECRET-7731'],
  polKeep: ['P-POLKEEP', 'KEEP-SECRET-MARKER-9922'],
  deuOwn: ['P-DEUOWN', 'DEU-OWN-MARKER-5510'],
};

interface Viewer {
  name: string;
  role: Role;
  nation: string | null;
  /** Markers that must never appear in a response to this viewer. */
  secrets: string[];
  /** Whether the viewer may read P-POLSECRET line by line. */
  seesPolSecret: boolean;
}

const VIEWERS: Viewer[] = [
  { name: 'donor-deu', role: 'donor', nation: 'DEU', secrets: [...MARKERS.polSecret, ...MARKERS.polKeep], seesPolSecret: false },
  { name: 'industry-deu', role: 'industry', nation: 'DEU', secrets: [...MARKERS.polSecret, ...MARKERS.polKeep, ...MARKERS.deuOwn], seesPolSecret: false },
  { name: 'observer', role: 'observer', nation: null, secrets: [...MARKERS.polSecret, ...MARKERS.polKeep, ...MARKERS.deuOwn], seesPolSecret: false },
  // From here on, viewers that may change Poland's records (the recipient its deliveries' receipts, Poland
  // its own pledges, coordinators all): their generic writes may change them, after the others are checked.
  { name: 'recipient-ukr', role: 'recipient', nation: 'UKR', secrets: MARKERS.polKeep, seesPolSecret: true },
  { name: 'donor-pol', role: 'donor', nation: 'POL', secrets: MARKERS.deuOwn, seesPolSecret: true },
  { name: 'coordinator', role: 'coordinator', nation: null, secrets: [], seesPolSecret: true },
];

/** The policy entity a route's first path segment belongs to (undefined: a resource this test does not know). */
const ENTITY_OF: Record<string, Entity> = {
  requirements: 'requirement',
  pledges: 'pledge',
  deliveries: 'delivery',
  nations: 'nation',
  catalog: 'catalog',
  meetings: 'meeting',
  'stock-reports': 'stock-report',
  'fx-rates': 'fx-rate',
  fx: 'fx-rate',
  plans: 'plan',
  reports: 'report',
  users: 'user',
};

/** Path parameters: the most sensitive record of each resource, so a missing check shows as a leak. */
function fillPath(template: string, probe: Record<string, string>): string {
  const resource = template.split('/')[2] ?? '';
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (resource === 'audit') return name === 'entity' ? 'pledge' : 'P-POLSECRET';
    if (resource === 'nations') return name === 'year' ? '2024' : 'POL';
    if (resource === 'fx-rates') return name === 'currency' ? 'USD' : '2024-01-01';
    if (resource === 'catalog') return template.includes('/items/') ? probe.item! : probe.group!;
    const byResource: Record<string, string | undefined> = {
      pledges: 'P-POLSECRET',
      deliveries: 'D-POLSECRET',
      requirements: probe.requirement,
      meetings: probe.meeting,
      'stock-reports': probe.stockReport,
      plans: probe.plan,
    };
    return byResource[resource] ?? (name === 'code' ? 'POL' : 'P-POLSECRET');
  });
}

const QUERY_VALUES: Record<string, string> = { amount: '100', from: 'USD', to: 'EUR', year: '2025' };

interface Operation {
  method: string;
  template: string;
  requiredQuery: string[];
}

describe.each(testBackends())('route × role matrix on $name', (backend) => {
  let h: DbHandle;
  let app: FastifyInstance;
  const tokens = new Map<string, string>();
  const probe: Record<string, string> = {};
  let operations: Operation[] = [];

  const polRows = async () => ({
    pledges: await h.db.selectFrom('pledges').selectAll().where('donor', '=', 'POL').orderBy('id').execute(),
    tranches: await h.db.selectFrom('tranches').selectAll().where('pledgeId', 'like', 'P-POL%').orderBy('id').execute(),
    deliveries: await h.db.selectFrom('deliveries').selectAll().where('id', 'like', 'D-POL%').orderBy('id').execute(),
  });

  beforeAll(async () => {
    h = await backend.open();
    app = await buildApp({ deps: { db: h.db }, dbKind: h.target.kind, logger: false });
    await app.ready();
    await buildNation(h.db, { code: 'DEU' });
    await buildNation(h.db, { code: 'POL' });
    await buildNation(h.db, { code: 'UKR', kind: 'recipient' });
    const item = await buildItem(h.db);
    probe.item = item.code;
    probe.group = item.groupCode;
    probe.requirement = (await buildRequirement(h.db, { id: 'R-MATRIX', itemCode: item.code, quantity: 5000, needBy: '2025-09-01', status: 'validated' })).id;
    await h.db.insertInto('meetings').values({ id: 'M-MATRIX', kind: 'contact-group', title: 'UDCG matrix', date: '2025-03-01', location: 'Ramstein', attendees: ['DEU', 'POL'], notes: '' }).execute();
    probe.meeting = 'M-MATRIX';
    await h.db.insertInto('stockReports').values({ id: 'S-MATRIX', groupCode: item.groupCode, asOf: '2025-02-01', onHand: 1000, dailyConsumption: 10, notes: '' }).execute();
    probe.stockReport = 'S-MATRIX';
    const pledge = (id: string, donor: string, notes: string) =>
      buildPledge(h.db, { id, donor, itemCode: item.code, quantity: 400, status: 'delivering', notes, meetingId: 'M-MATRIX', announcedOn: '2025-01-10', tranches: [{ quantity: 400, expectedOn: '2025-02-01' }] });
    await pledge('P-POLSECRET', 'POL', 'POL-SECRET-MARKER-7731');
    await pledge('P-POLKEEP', 'POL', 'KEEP-SECRET-MARKER-9922');
    await pledge('P-DEUOWN', 'DEU', 'DEU-OWN-MARKER-5510');
    await h.db.updateTable('pledges').set({ releasability: ['owner', 'coordinators'] }).where('id', '=', 'P-POLKEEP').execute();
    await h.db
      .insertInto('deliveries')
      .values({ id: 'D-POLSECRET', trancheId: 'P-POLSECRET/T1', quantity: 100, promisedOn: '2025-02-01', shippedOn: '2025-02-10', receivedOn: null, hub: 'HUB-SECRET-7731', status: 'shipped', notes: '' })
      .execute();

    for (const viewer of VIEWERS) {
      await createUser({ db: h.db }, SYSTEM_ACTOR, { username: viewer.name, role: viewer.role, nation: viewer.nation, password: `long enough password ${viewer.name}` });
      tokens.set(viewer.name, (await issueToken({ db: h.db }, SYSTEM_ACTOR, viewer.name)).token);
    }
    // A history for the marked pledge (its before and after states hold the markers) …
    const touched = await app.inject({ method: 'PATCH', url: '/api/pledges/P-POLSECRET', payload: { notes: 'POL-SECRET-MARKER-7731 (checked)' }, headers: { authorization: `Bearer ${tokens.get('coordinator')}`, 'if-match': '"1"' } });
    expect(touched.statusCode).toBe(200);
    // … and a plan that allocates the marked pledges, so plan routes have lines to leak.
    const plan = await app.inject({ method: 'POST', url: '/api/plans', payload: {}, headers: { authorization: `Bearer ${tokens.get('coordinator')}` } });
    expect(plan.statusCode).toBe(201);
    probe.plan = plan.json().id;
    expect(JSON.stringify(plan.json().allocations)).toContain('P-POLSECRET');

    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { parameters?: { in: string; name: string; required?: boolean }[] }>> };
    operations = Object.entries(doc.paths).flatMap(([template, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        template,
        requiredQuery: (op.parameters ?? []).filter((p) => p.in === 'query' && p.required).map((p) => p.name),
      })),
    );
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const send = (op: Operation, viewer: Viewer | null): Promise<LightMyRequestResponse> => {
    const query = op.requiredQuery.map((n) => `${n}=${encodeURIComponent(QUERY_VALUES[n] ?? 'x')}`).join('&');
    const url = fillPath(op.template, probe) + (query ? `?${query}` : '');
    const headers: Record<string, string> = { 'if-match': '"1"' };
    if (viewer) headers.authorization = `Bearer ${tokens.get(viewer.name)}`;
    const write = op.method !== 'GET' && op.method !== 'HEAD';
    return app.inject({ method: op.method as 'GET', url, headers, ...(write ? { payload: {} } : {}) });
  };

  it('walks every operation of the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(40);
    expect(operations.map((o) => `${o.method} ${o.template}`)).toEqual(expect.arrayContaining(['GET /api/pledges/{id}', 'PATCH /api/pledges/{id}', 'GET /api/audit/{entity}/{id}']));
  });

  it('answers 401 to every operation without credentials, except health and signing in', async () => {
    const open: string[] = [];
    for (const op of operations) {
      const res = await send(op, null);
      if (op.template === '/api/auth/login') expect(res.statusCode).toBe(400);
      else if (op.template === '/api/health') expect(res.statusCode).toBe(200);
      else if (res.statusCode !== 401) open.push(`${op.method} ${op.template} -> ${res.statusCode}`);
    }
    expect(open).toEqual([]);
  });

  it('gives every role only its allowed statuses and never a field of a record it may not see', async () => {
    const before = await polRows();
    const problems: string[] = [];
    let requests = 0;
    /** Routes whose answer to the coordinator carries Poland's marked line: the probes reach line data. */
    const carriers = new Set<string>();
    for (const viewer of VIEWERS) {
      if (viewer.name === 'recipient-ukr') expect(await polRows()).toEqual(before); // no one who may not change Poland's data did
      const actor: Actor = { id: viewer.name, role: viewer.role, nation: viewer.nation, kind: 'token' };
      for (const op of operations) {
        const res = await send(op, viewer);
        requests++;
        const where = `${viewer.name} ${op.method} ${op.template} -> ${res.statusCode}`;
        if (res.statusCode >= 500) problems.push(`${where}: server error`);
        if (res.statusCode === 401) problems.push(`${where}: valid token refused`);
        // No field of a record the viewer may not see: markers other than an id the request itself named.
        const url = fillPath(op.template, probe);
        for (const marker of viewer.secrets) if (!url.includes(marker) && res.body.includes(marker)) problems.push(`${where}: leaks ${marker}`);
        if (!viewer.seesPolSecret && res.body.includes('POL-SECRET-MARKER-7731')) problems.push(`${where}: leaks Poland's notes`);
        if (viewer.role === 'coordinator' && res.body.includes('P-POLSECRET') && !url.includes('P-POLSECRET')) carriers.add(`${op.method} ${op.template}`);

        const ok = res.statusCode >= 200 && res.statusCode < 300;
        const resource = op.template.split('/')[2] ?? '';
        const entity = ENTITY_OF[resource];
        if (op.method === 'GET') {
          const expected = expectedRead(op.template, viewer);
          if (expected !== undefined && res.statusCode !== expected) problems.push(`${where}: expected ${expected}`);
          if (expected === undefined && ![200, 400, 404].includes(res.statusCode)) problems.push(`${where}: unexpected status for a read`);
        } else if (resource !== 'auth') {
          // Writes: a role the policy refuses never gets a 2xx, whatever the body; observers never write.
          let allowed = viewer.role !== 'observer';
          if (entity) {
            try {
              authorize(actor, { entity, verb: op.method === 'POST' ? 'create' : 'update' });
            } catch {
              allowed = false;
            }
          }
          if (!allowed && ok) problems.push(`${where}: write by a role the policy refuses`);
          // A write aimed at a Polish record the viewer may not see must not succeed either.
          if (!viewer.seesPolSecret && url.includes('POLSECRET') && ok) problems.push(`${where}: write on a record it may not see`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect([...carriers]).toEqual(expect.arrayContaining(['GET /api/pledges', 'GET /api/deliveries', 'GET /api/plans/{id}']));
    console.info(`[route-role matrix ${backend.name}] ${operations.length} operations × ${VIEWERS.length} roles = ${requests} requests: ${problems.length} unauthorised reads or writes; Poland's line reaches the coordinator through ${carriers.size} listing routes (${[...carriers].join(', ')})`);
  });

  it("refuses Germany's donor every well-formed write to Poland's pledge, tranche and delivery", async () => {
    const before = await polRows();
    const deu = { authorization: `Bearer ${tokens.get('donor-deu')}`, 'if-match': '"1"' };
    const attempts = [
      app.inject({ method: 'PATCH', url: '/api/pledges/P-POLSECRET', headers: deu, payload: { notes: 'hijacked' } }),
      app.inject({ method: 'PATCH', url: '/api/pledges/P-POLSECRET', headers: deu, payload: { releasability: ['all participants'] } }),
      app.inject({ method: 'POST', url: '/api/pledges/P-POLSECRET/transitions', headers: deu, payload: { to: 'withdrawn' } }),
      app.inject({ method: 'PATCH', url: '/api/deliveries/D-POLSECRET', headers: deu, payload: { hub: 'elsewhere' } }),
      app.inject({ method: 'POST', url: '/api/deliveries', headers: deu, payload: { trancheId: 'P-POLSECRET/T1', quantity: 1, shippedOn: '2025-02-20' } }),
      app.inject({ method: 'POST', url: '/api/pledges', headers: deu, payload: { donor: 'POL', kind: 'in-kind', channel: 'coordinated', itemCode: probe.item, quantity: 1, announcedOn: '2025-01-01', tranches: [{ quantity: 1, expectedOn: '2025-03-01' }] } }),
    ];
    const statuses = (await Promise.all(attempts)).map((r) => r.statusCode);
    expect(statuses).toEqual([404, 404, 404, 404, 400, 403]);
    expect(await polRows()).toEqual(before);
  });
});

/** The status a read must give a viewer, where the matrix fixes one; undefined: 200, 400 or 404 are fine. */
function expectedRead(template: string, viewer: Viewer): number | undefined {
  const lines = viewer.role !== 'industry' && viewer.role !== 'observer';
  switch (template) {
    case '/api/pledges':
    case '/api/deliveries':
      return lines ? 200 : 403;
    case '/api/pledges/{id}':
    case '/api/deliveries/{id}':
    case '/api/audit/{entity}/{id}':
      return viewer.seesPolSecret ? 200 : 404;
    case '/api/pledges/aggregates':
    case '/api/auth/me':
    case '/api/health':
    case '/api/requirements':
    case '/api/nations':
    case '/api/plans':
    case '/api/plans/{id}':
      return 200;
    default:
      return undefined;
  }
}
