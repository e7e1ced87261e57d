import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testBackends } from '../../store/testing/test-db.ts';
import { buildNation, buildPledge } from '../../store/testing/factories.ts';
import type { DbHandle } from '../../store/db.ts';
import type { Actor } from '../context.ts';
import { runUseCase } from '../use-case.ts';
import { getPledge, listPledges, updatePledge } from '../pledges/pledges.ts';
import { getDelivery, listDeliveries } from '../deliveries/deliveries.ts';
import { aggregatePledges } from './aggregates.ts';
import { getRecordHistory } from '../audit-verify.ts';
import { PledgeListQuery } from '../../contracts/pledges.ts';
import { DeliveryListQuery } from '../../contracts/deliveries.ts';
import { recordChange } from '../audit.ts';

const as = (role: Actor['role'], nation: string | null): Actor => ({ id: `u-${role}-${nation ?? 'none'}`, role, nation, kind: 'user' });
const DEU = as('donor', 'DEU');
const POL = as('donor', 'POL');
const UKR = as('recipient', 'UKR');
const OBSERVER = as('observer', null);
const INDUSTRY = as('industry', 'DEU');
const COORDINATOR = as('coordinator', null);

/**
 * The pledges of this world, by who may see them line by line:
 * - P-DEU: Germany's, default labels (owner, coordinators, recipient);
 * - P-POL: Poland's, default labels — Germany must not see it, the recipient may;
 * - P-POL-KEEP: Poland keeps it from the recipient (owner, coordinators);
 * - P-POL-REL: released to Germany (REL TO DEU);
 * - P-POL-ALL: released to all participants;
 * - P-POL-BAD: carries a label Concord does not know — nobody but Poland and coordinators.
 */
const LABELS: Record<string, string[]> = {
  'P-DEU': ['owner', 'coordinators', 'recipient'],
  'P-POL': ['owner', 'coordinators', 'recipient'],
  'P-POL-KEEP': ['owner', 'coordinators'],
  'P-POL-REL': ['owner', 'coordinators', 'recipient', 'REL TO DEU'],
  'P-POL-ALL': ['owner', 'coordinators', 'all participants'],
  'P-POL-BAD': ['owner', 'coordinators', 'recipient', 'NOFORN-ish'],
};
const VISIBLE: Record<string, string[]> = {
  coordinator: Object.keys(LABELS).sort(),
  DEU: ['P-DEU', 'P-POL-ALL', 'P-POL-REL'],
  POL: ['P-POL', 'P-POL-ALL', 'P-POL-BAD', 'P-POL-KEEP', 'P-POL-REL'],
  UKR: ['P-DEU', 'P-POL', 'P-POL-ALL', 'P-POL-REL'],
  observer: [],
  industry: [],
};

describe.each(testBackends())('record-level access and row-level security on $name', (backend) => {
  let h: DbHandle;
  const deps = () => ({ db: h.db });
  /** Runs raw SQL inside a use case as the actor: the application's own checks are bypassed entirely. */
  const raw = <T>(actor: Actor, query: (tx: Parameters<Parameters<typeof runUseCase>[3]>[0]) => Promise<T>, scope?: 'aggregate') =>
    runUseCase(deps(), actor, { entity: 'pledge', verb: 'read', ...(scope ? { scope } : {}) }, query);
  const idsSeen = (actor: Actor) => raw(actor, async (tx) => (await sql<{ id: string }>`select id from pledges where id like 'P-%'`.execute(tx)).rows.map((r) => r.id).sort());

  beforeAll(async () => {
    h = await backend.open();
    await buildNation(h.db, { code: 'DEU' });
    await buildNation(h.db, { code: 'POL' });
    await buildNation(h.db, { code: 'UKR', kind: 'recipient' });
    for (const [id, labels] of Object.entries(LABELS)) {
      const donor = id.startsWith('P-DEU') ? 'DEU' : 'POL';
      const p = await buildPledge(h.db, { id, donor, status: 'committed', notes: `${id}-SECRET-NOTE`, quantity: 100, tranches: [{ quantity: 100, expectedOn: '2025-06-01' }] });
      await h.db.updateTable('pledges').set({ releasability: labels }).where('id', '=', id).execute();
      await h.db
        .insertInto('deliveries')
        .values({ id: `D-${id}`, trancheId: p.tranches[0]!.id, quantity: 10, promisedOn: '2025-06-01', shippedOn: '2025-05-20', receivedOn: null, hub: 'Rzeszow', status: 'shipped', notes: '' })
        .execute();
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('the database wall (raw SQL inside a use case, no application check)', () => {
    it.each([
      ['coordinator', COORDINATOR],
      ['DEU', DEU],
      ['POL', POL],
      ['UKR', UKR],
      ['observer', OBSERVER],
      ['industry', INDUSTRY],
    ])('shows %s exactly the pledge lines released to it', async (key, actor) => {
      expect(await idsSeen(actor)).toEqual(VISIBLE[key]);
    });

    it("hides Poland's pledge, its tranches and deliveries from Germany's donor even when the query names it", async () => {
      const seen = await raw(DEU, async (tx) => ({
        pledge: (await sql`select * from pledges where id = 'P-POL'`.execute(tx)).rows,
        tranches: (await sql`select * from tranches where pledge_id = 'P-POL'`.execute(tx)).rows,
        deliveries: (await sql`select * from deliveries where id = 'D-P-POL'`.execute(tx)).rows,
        joined: (await sql`select d.id from deliveries d join tranches t on t.id = d.tranche_id join pledges p on p.id = t.pledge_id where p.donor = 'POL' and p.id = 'P-POL'`.execute(tx)).rows,
      }));
      expect(seen).toEqual({ pledge: [], tranches: [], deliveries: [], joined: [] });
      // The same rows exist: the owner's connection (no use case) sees them.
      expect((await sql`select id from pledges where id = 'P-POL'`.execute(h.db)).rows).toHaveLength(1);
    });

    it("lets Germany's donor change no line of Poland's, even one released to it, and create none in Poland's name", async () => {
      const changed = await runUseCase(deps(), DEU, { entity: 'pledge', verb: 'update' }, async (tx) => ({
        hidden: Number((await sql`update pledges set notes = 'hacked' where id = 'P-POL'`.execute(tx)).numAffectedRows ?? 0),
        released: Number((await sql`update pledges set notes = 'hacked' where id = 'P-POL-REL'`.execute(tx)).numAffectedRows ?? 0),
        tranches: Number((await sql`update tranches set quantity = 1 where pledge_id like 'P-POL%'`.execute(tx)).numAffectedRows ?? 0),
        deleted: Number((await sql`delete from deliveries where id like 'D-P-POL%'`.execute(tx)).numAffectedRows ?? 0),
      }));
      expect(changed).toEqual({ hidden: 0, released: 0, tranches: 0, deleted: 0 });
      await expect(
        runUseCase(deps(), DEU, { entity: 'pledge', verb: 'create' }, (tx) =>
          sql`insert into pledges (id, donor, kind, channel, group_code, capability_area, quantity, announced_on) select 'P-FAKE', 'POL', kind, channel, group_code, capability_area, 1, announced_on from pledges where id = 'P-DEU'`.execute(tx),
        ),
      ).rejects.toMatchObject({ code: 'not_found' });
      const notes = await h.db.selectFrom('pledges').select(['id', 'notes']).where('id', 'in', ['P-POL', 'P-POL-REL']).orderBy('id').execute();
      expect(notes.map((n) => n.notes)).toEqual(['P-POL-SECRET-NOTE', 'P-POL-REL-SECRET-NOTE']);
      expect(await h.db.selectFrom('pledges').select('id').where('id', '=', 'P-FAKE').executeTakeFirst()).toBeUndefined();
    });

    it('lets an aggregate read count every row, and nothing else widen', async () => {
      const counted = await raw(OBSERVER, async (tx) => Number((await sql<{ n: number }>`select count(*)::int as n from pledges where id like 'P-%'`.execute(tx)).rows[0]!.n), 'aggregate');
      expect(counted).toBe(Object.keys(LABELS).length);
      // Declaring the aggregate scope on a write does not widen it.
      const written = await runUseCase(deps(), DEU, { entity: 'pledge', verb: 'update', scope: 'aggregate' }, async (tx) => Number((await sql`update pledges set notes = 'x' where id = 'P-POL'`.execute(tx)).numAffectedRows ?? 0));
      expect(written).toBe(0);
    });

    it('runs use cases as a role that owns no table, is no superuser and cannot bypass row-level security', async () => {
      const role = await raw(DEU, async (tx) => (await sql<{ user: string }>`select current_user as user`.execute(tx)).rows[0]!.user);
      expect(role).toBe('concord_app');
      const attrs = (await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`select rolsuper, rolbypassrls from pg_roles where rolname = 'concord_app'`.execute(h.db)).rows[0]!;
      expect(attrs).toEqual({ rolsuper: false, rolbypassrls: false });
      const owned = await sql<{ n: number }>`select count(*)::int as n from pg_tables where tableowner = 'concord_app'`.execute(h.db);
      expect(owned.rows[0]!.n).toBe(0);
      const forced = await sql<{ relname: string }>`select relname from pg_class where relname in ('pledges', 'tranches', 'deliveries') and relrowsecurity and relforcerowsecurity and relnamespace = current_schema()::regnamespace order by relname`.execute(h.db);
      expect(forced.rows.map((r) => r.relname)).toEqual(['deliveries', 'pledges', 'tranches']);
    });

    it('leaves the settings behind when the transaction ends', async () => {
      await idsSeen(DEU);
      const after = await sql<{ user: string; role: string | null }>`select current_user as user, nullif(current_setting('concord.role', true), '') as role`.execute(h.db);
      expect(after.rows[0]!.user).not.toBe('concord_app');
      expect(after.rows[0]!.role).toBeNull();
    });
  });

  describe('the audit trail is append-only for the application role', () => {
    it('refuses UPDATE, DELETE and TRUNCATE of audit rows inside a use case, and the trigger refuses them to the owner', async () => {
      await runUseCase(deps(), COORDINATOR, { entity: 'pledge', verb: 'update' }, (tx) => recordChange(tx, COORDINATOR, { entity: 'pledge', recordId: 'P-DEU', action: 'update', before: null, after: { n: 1 } }));
      for (const statement of [sql`update audit_log set action = 'forged'`, sql`delete from audit_log`, sql`truncate audit_log`]) {
        await expect(runUseCase(deps(), COORDINATOR, { entity: 'pledge', verb: 'update' }, (tx) => statement.execute(tx))).rejects.toThrow(/permission denied|append-only/);
        await expect(h.db.transaction().execute((tx) => statement.execute(tx))).rejects.toThrow(/append-only/);
      }
      const actions = await h.db.selectFrom('auditLog').select('action').execute();
      expect(actions.map((a) => a.action)).not.toContain('forged');
      expect(actions.length).toBeGreaterThan(0);
    });
  });

  describe('the application wall (services)', () => {
    it("answers 404 for Poland's pledge and its delivery to Germany, but shows what Poland released to it", async () => {
      await expect(getPledge(deps(), DEU, 'P-POL')).rejects.toMatchObject({ code: 'not_found' });
      await expect(getDelivery(deps(), DEU, 'D-P-POL')).rejects.toMatchObject({ code: 'not_found' });
      await expect(getPledge(deps(), DEU, 'P-POL-BAD')).rejects.toMatchObject({ code: 'not_found' });
      expect((await getPledge(deps(), DEU, 'P-POL-REL')).notes).toBe('P-POL-REL-SECRET-NOTE');
      expect((await getDelivery(deps(), DEU, 'D-P-POL-ALL')).pledgeId).toBe('P-POL-ALL');
      await expect(getPledge(deps(), UKR, 'P-POL-KEEP')).rejects.toMatchObject({ code: 'not_found' });
      expect((await getPledge(deps(), UKR, 'P-POL')).donor).toBe('POL');
      await expect(getPledge(deps(), OBSERVER, 'P-DEU')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('lists to each viewer only the lines released to it, deliveries alike', async () => {
      const ids = async (actor: Actor) => (await listPledges(deps(), actor, PledgeListQuery.parse({ limit: 100 }))).items.map((p) => p.id).filter((id) => id.startsWith('P-')).sort();
      expect(await ids(DEU)).toEqual(VISIBLE.DEU);
      expect(await ids(UKR)).toEqual(VISIBLE.UKR);
      expect(await ids(COORDINATOR)).toEqual(VISIBLE.coordinator);
      const deliveries = (await listDeliveries(deps(), DEU, DeliveryListQuery.parse({ limit: 100 }))).items.map((d) => d.pledgeId).sort();
      expect(deliveries).toEqual(VISIBLE.DEU);
      await expect(listPledges(deps(), OBSERVER, PledgeListQuery.parse({}))).rejects.toMatchObject({ code: 'not_allowed' });
    });

    it('gives every role aggregates over all donors, without donor names and with small cells hidden', async () => {
      for (const actor of [DEU, OBSERVER, INDUSTRY, UKR]) {
        const page = await aggregatePledges(deps(), actor, {});
        const total = page.items.reduce((n, c) => n + c.pledges, 0);
        expect(total).toBe(Object.keys(LABELS).length);
        expect(JSON.stringify(page)).not.toMatch(/POL|DEU|SECRET|P-/);
        // Two donors only in the cell: no quantity, so Germany cannot subtract its own part to read Poland's.
        expect(page.items.every((c) => c.quantity === null)).toBe(true);
      }
      const coordinator = await aggregatePledges(deps(), COORDINATOR, {});
      expect(coordinator.items.reduce((n, c) => n + (c.quantity ?? 0), 0)).toBe(100 * Object.keys(LABELS).length);
    });

    it("refuses Germany's donor any change of Poland's pledges and lets Poland release one to Germany", async () => {
      await expect(updatePledge(deps(), DEU, 'P-POL', { notes: 'mine' })).rejects.toMatchObject({ code: 'not_found' });
      await expect(updatePledge(deps(), DEU, 'P-POL-REL', { notes: 'mine' })).rejects.toMatchObject({ code: 'not_found' });
      const before = await getPledge(deps(), POL, 'P-POL');
      const released = await updatePledge(deps(), POL, 'P-POL', { releasability: ['recipient', 'REL TO deu, LTU'] }, before.version);
      expect(released.releasability).toEqual(['owner', 'coordinators', 'recipient', 'REL TO DEU', 'REL TO LTU']);
      expect((await getPledge(deps(), DEU, 'P-POL')).id).toBe('P-POL');
      await expect(updatePledge(deps(), POL, 'P-POL', { releasability: ['NATO SECRET'] })).rejects.toMatchObject({ code: 'invalid_input' });
      const history = await getRecordHistory(deps(), COORDINATOR, 'pledge', 'P-POL');
      expect(history.entries.at(-1)!.after).toMatchObject({ releasability: expect.arrayContaining(['REL TO DEU']) });
      // Put it back for the other tests.
      await updatePledge(deps(), POL, 'P-POL', { releasability: LABELS['P-POL']! });
    });

    it("shows a pledge's audit history only to those who may read the pledge", async () => {
      await expect(getRecordHistory(deps(), DEU, 'pledge', 'P-POL')).rejects.toMatchObject({ code: 'not_found' });
      await expect(getRecordHistory(deps(), OBSERVER, 'pledge', 'P-POL')).rejects.toMatchObject({ code: 'not_found' });
      await expect(getRecordHistory(deps(), DEU, 'user', 'anyone')).rejects.toMatchObject({ code: 'not_found' });
      expect((await getRecordHistory(deps(), POL, 'pledge', 'P-POL')).entries.length).toBeGreaterThan(0);
    });
  });
});
