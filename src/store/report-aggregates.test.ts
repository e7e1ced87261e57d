import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { testBackends } from './testing/test-db.ts';
import { buildGroup, buildItem, buildNation, buildPledge, buildRequirement } from './testing/factories.ts';
import type { DbHandle } from './db.ts';
import type { Database } from './schema.ts';
import * as report from './report.repository.ts';
import * as reference from './testing/report-reference.ts';

type Db = Kysely<Database>;

const DATES = ['2025-01-31', '2025-02-15', '2025-02-20', '2025-03-31', '2026-12-31'];
const YEARS = [2025, 2026];

/** Rows in a stable order, so that two queries' answers compare regardless of their row order. */
const sorted = <T>(xs: T[]): T[] => [...xs].map((x) => JSON.stringify(x)).sort().map((x) => JSON.parse(x) as T);

/**
 * Every aggregate-backed report query answers exactly as the same sums over the lines do (the queries
 * before migrations 0013 and 0015), at dates before, between and after the receipts.
 */
async function expectAggregatesRight(db: Db): Promise<void> {
  const groups = (await db.selectFrom('itemGroups').select('code').execute()).map((g) => g.code);
  for (const on of DATES) {
    expect(sorted(await report.loadCoverageSupply(db, on)), `supply ${on}`).toEqual(sorted(await reference.loadCoverageSupply(db, on)));
    for (const earlier of [null, '2025-02-15', on]) {
      expect(sorted(await report.loadCoverageReceipts(db, on, earlier)), `receipts ${on} ${earlier}`).toEqual(sorted(await reference.loadCoverageReceipts(db, on, earlier)));
      if (earlier !== null && earlier > on) continue;
      const [atOn, atEarlier] = await report.loadCoverageSupplyAt(db, on, earlier);
      expect(sorted(atOn), `supply ${on} with ${earlier}`).toEqual(sorted(await reference.loadCoverageSupply(db, on)));
      expect(sorted(atEarlier), `supply ${earlier} with ${on}`).toEqual(earlier === null ? [] : sorted(await reference.loadCoverageSupply(db, earlier)));
    }
    expect(await report.loadOutstandingTranches(db, groups, on), `outstanding ${on}`).toEqual(await reference.loadOutstandingTranches(db, groups, on));
    expect(await report.loadSlippageHistogram(db, on), `histogram ${on}`).toEqual(await reference.loadSlippageHistogram(db, on));
    expect(sorted(await report.loadDelayBuckets(db, on)), `delays ${on}`).toEqual(sorted(await reference.loadDelayBuckets(db, on)));
    expect(sorted(await report.loadOverdueCandidates(db, on)), `overdue ${on}`).toEqual(sorted(await reference.loadOverdueCandidates(db, on)));
  }
  let summed = 0;
  for (const year of YEARS) {
    expect(sorted(await report.loadBurdenCommitments(db, year)), `commitments ${year}`).toEqual(sorted((await reference.loadBurdenCommitments(db, year)).map(({ pledgeIds: _, ...row }) => row)));
    expect(sorted(await report.loadBurdenDeliveries(db, year)), `burden deliveries ${year}`).toEqual(sorted(await reference.loadBurdenDeliveries(db, year)));
    // Summed in a report currency: its valued rows (one-off ones, for commitments) summed per donor, channel and basis.
    for (const currency of ['EUR', 'USD']) {
      const commitments = (await reference.loadBurdenCommitments(db, year)).map(({ pledgeIds: _, ...row }) => row);
      const oneOffIn = (r: (typeof commitments)[number]) => r.currency === currency && r.valueMinor !== null && !(r.horizon === 'multi-year' && r.years.length > 0);
      const summedCommitments = sumBy(commitments.filter(oneOffIn), (a, b) => ({ ...a, horizon: 'one-off', years: [], announcedOn: a.announcedOn < b.announcedOn ? a.announcedOn : b.announcedOn, valueMinor: a.valueMinor! + b.valueMinor!, pledges: a.pledges + b.pledges }));
      expect(sorted(await report.loadBurdenCommitments(db, year, currency)), `commitments ${year} in ${currency}`).toEqual(sorted([...commitments.filter((r) => !oneOffIn(r)), ...summedCommitments]));
      const deliveries = await reference.loadBurdenDeliveries(db, year);
      const valuedIn = (r: (typeof deliveries)[number]) => r.currency === currency && r.valueMinor !== null && r.basis !== 'none';
      const summedDeliveries = sumBy(deliveries.filter(valuedIn), (a, b) => ({ ...a, receivedOn: a.receivedOn < b.receivedOn ? a.receivedOn : b.receivedOn, valueMinor: a.valueMinor! + b.valueMinor!, lines: a.lines + b.lines }));
      expect(sorted(await report.loadBurdenDeliveries(db, year, currency)), `burden deliveries ${year} in ${currency}`).toEqual(sorted([...deliveries.filter((r) => !valuedIn(r)), ...summedDeliveries]));
      summed += summedDeliveries.length + summedCommitments.length;
    }
  }
  expect(summed, 'rows summed in a report currency').toBeGreaterThan(0);
}

/** Rows merged per donor, channel, basis and currency with `add`, a row alone kept as it is (with its own first-seen fields). */
function sumBy<T extends { donor: string; channel: string; basis: string; currency: string | null }>(rows: T[], add: (a: T, b: T) => T): T[] {
  const out = new Map<string, T>();
  for (const r of rows) {
    const key = JSON.stringify([r.donor, r.channel, r.basis, r.currency]);
    const seen = out.get(key);
    out.set(key, seen ? add(seen, r) : add(r, { ...r, valueMinor: 0, pledges: 0, lines: 0 } as T));
  }
  return [...out.values()];
}

/** The aggregate tables' rows, to show that a rolled-back write left them as they were. */
async function snapshot(db: Db): Promise<unknown> {
  const tables = ['report_delivery_facts', 'report_tranche_receipts', 'report_pledge_receipts', 'report_delay_buckets', 'report_burden_daily', 'report_committed_supply', 'report_commitments', 'report_group_receipts'];
  const out: Record<string, unknown> = {};
  for (const t of tables) out[t] = sorted((await sql.raw(`select * from ${t}`).execute(db)).rows);
  return out;
}

const line = (id: string, trancheId: string, quantity: number, promisedOn: string, receivedOn: string | null) => ({
  id,
  trancheId,
  quantity,
  promisedOn,
  shippedOn: promisedOn < '2025-01-05' ? promisedOn : '2025-01-05',
  receivedOn,
  hub: 'POL',
  status: receivedOn ? 'received' : 'shipped',
  notes: '',
});

describe.each(testBackends())('report aggregates on $name', (backend) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await backend.open();
    const db = h.db;
    await buildNation(db, { code: 'DEU' });
    await buildNation(db, { code: 'FRA' });
    const gA = await buildGroup(db, { code: 'ag-a', capabilityArea: 'ammunition' });
    await buildGroup(db, { code: 'ag-b', capabilityArea: 'air-defence' });
    await buildGroup(db, { code: 'ag-c', capabilityArea: 'drones' });
    await buildItem(db, { code: 'ag-item-a', groupCode: gA.code, refPriceMinor: 10_000, refPriceCurrency: 'EUR' });
    await buildItem(db, { code: 'ag-item-b', groupCode: 'ag-b', capabilityArea: 'air-defence', refPriceMinor: 100_000, refPriceCurrency: 'USD' });
    await buildRequirement(db, { id: 'AR1', itemCode: 'ag-item-a', accepts: ['ag-a'], quantity: 100, needBy: '2025-03-01' });
    // Declared value 1,000 minor for 3 units: each line's value rounds half up on its own.
    await buildPledge(db, { id: 'AP1', donor: 'DEU', itemCode: 'ag-item-a', quantity: 3, amountMinor: 1_000, currency: 'EUR', status: 'committed', announcedOn: '2025-01-10', tranches: [{ quantity: 2, expectedOn: '2025-02-01' }, { quantity: 1, expectedOn: '2025-03-01' }] });
    await buildPledge(db, { id: 'AP2', donor: 'FRA', itemCode: 'ag-item-b', quantity: 10, status: 'delivering', announcedOn: '2025-01-20', tranches: [{ quantity: 10, expectedOn: '2025-02-10' }] });
    // A group-only pledge without declared value: its lines cannot be valued (basis none).
    await buildPledge(db, { id: 'AP3', donor: 'DEU', groupCode: 'ag-a', itemCode: null, capabilityArea: null, quantity: 50, status: 'committed', designatedTo: 'AR1', announcedOn: '2025-02-01', tranches: [{ quantity: 50, expectedOn: '2025-02-05' }] });
    await buildPledge(db, { id: 'AP4', donor: 'FRA', itemCode: 'ag-item-a', quantity: 40, status: 'committed', horizon: 'multi-year', years: [2025, 2026], announcedOn: '2025-01-15', tranches: [{ quantity: 20, expectedOn: '2025-02-01' }, { quantity: 20, expectedOn: '2026-02-01' }] });
    await buildPledge(db, { id: 'AP5', donor: 'DEU', itemCode: 'ag-item-b', quantity: 5, status: 'announced', announcedOn: '2025-02-10', tranches: [{ quantity: 5, expectedOn: '2025-03-10' }] });
    // One statement inserting many lines, as the importer and the demo loader do.
    await db
      .insertInto('deliveries')
      .values([
        line('AD1', 'AP1/T1', 1, '2025-02-01', '2025-02-03'),
        line('AD2', 'AP1/T1', 1, '2025-02-01', '2025-02-20'),
        line('AD3', 'AP2/T1', 4, '2025-02-10', '2025-02-08'),
        line('AD4', 'AP2/T1', 3, '2025-02-10', null),
        line('AD5', 'AP3/T1', 50, '2025-02-05', '2025-02-15'),
        line('AD6', 'AP4/T1', 20, '2025-02-01', '2025-03-30'),
      ])
      .execute();
    await db.insertInto('deliveries').values(line('AD7', 'AP4/T2', 5, '2026-02-01', '2026-02-02')).execute();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('match the sums over the lines after inserts', async () => {
    await expectAggregatesRight(h.db);
    const [counts] = (await sql<{ facts: number; tranches: number }>`select (select count(*) from report_delivery_facts) as facts, (select count(*) from report_tranche_receipts) as tranches`.execute(h.db)).rows;
    // Six received lines (AD4 is in transit); every tranche has its totals row.
    expect(counts).toEqual({ facts: 6, tranches: 7 });
  });

  it('hand over the requirements coverage counts in rank order, with the unit price of their item or first group', async () => {
    const db = h.db;
    const statuses = ['validated', 'partly-covered', 'covered', 'fulfilled'];
    await buildItem(db, { code: 'ag-item-a0', groupCode: 'ag-a', refPriceMinor: 7_000, refPriceCurrency: 'USD' });
    await buildRequirement(db, { id: 'AR2', itemCode: null, accepts: ['ag-a', 'ag-b'], capabilityArea: 'ammunition', quantity: 7, priority: 1, needBy: '2025-03-01' });
    await buildRequirement(db, { id: 'AR10', itemCode: 'ag-item-b', accepts: ['ag-b'], capabilityArea: 'air-defence', quantity: 3, priority: 1, needBy: '2025-03-01', status: 'covered' });
    await buildRequirement(db, { id: 'AR3', itemCode: null, accepts: ['ag-c'], capabilityArea: 'drones', quantity: 5, priority: 4, needBy: '2025-01-01' });
    await buildRequirement(db, { id: 'AR4', itemCode: 'ag-item-a', accepts: ['ag-a'], quantity: 9, priority: 2, needBy: '2025-03-01', status: 'draft' });
    // Year 10000 is written with five digits: PostgreSQL puts it last by date, JavaScript first by string.
    await buildRequirement(db, { id: 'AR5', itemCode: 'ag-item-a', accepts: ['ag-a'], quantity: 2, priority: 3, needBy: '10000-01-01' });
    await buildRequirement(db, { id: 'AR6', itemCode: 'ag-item-a', accepts: ['ag-a'], quantity: 2, priority: 3, needBy: '9999-12-31' });
    const got = reference.requirementRowsOf(await report.loadRankedRequirements(db, statuses));
    expect(got).toEqual(await reference.loadRankedRequirements(db, statuses));
    // P1 on the same date by id ("AR10" < "AR2"), then AR1 (P2), AR5 before AR6 (strings), AR3 (P4); AR4 is a draft.
    expect(got.map((r) => r.id)).toEqual(['AR10', 'AR2', 'AR1', 'AR5', 'AR6', 'AR3']);
    // AR2 is group-only: the first item by code of its first group (ag-item-a, not ag-item-a0) prices it.
    expect(got.find((r) => r.id === 'AR2')).toMatchObject({ accepts: ['ag-a', 'ag-b'], priceMinor: 10_000, priceCurrency: 'EUR' });
    expect(reference.requirementRowsOf(await report.loadRankedRequirements(db, ['cancelled']))).toEqual([]);
    await db.deleteFrom('requirements').where('id', 'in', ['AR2', 'AR10', 'AR3', 'AR4', 'AR5', 'AR6']).execute();
    await db.deleteFrom('itemTypes').where('code', '=', 'ag-item-a0').execute();
  });

  it('follow updates and deletes of delivery lines', async () => {
    const db = h.db;
    await db.updateTable('deliveries').set({ quantity: 2, receivedOn: '2025-03-31' }).where('id', '=', 'AD3').execute();
    await db.updateTable('deliveries').set({ status: 'received', receivedOn: '2025-02-12' }).where('id', '=', 'AD4').execute();
    await db.updateTable('deliveries').set({ status: 'shipped', receivedOn: null }).where('id', '=', 'AD2').execute();
    await expectAggregatesRight(db);
    await db.deleteFrom('deliveries').where('id', 'in', ['AD1', 'AD7']).execute();
    await expectAggregatesRight(db);
  });

  it('follow changes of the pledge, tranche, item and group a line comes from', async () => {
    const db = h.db;
    await db.updateTable('pledges').set({ channel: 'bilateral', capabilityArea: 'artillery', amountMinor: 2_000 }).where('id', '=', 'AP1').execute();
    await db.updateTable('pledges').set({ designatedTo: null, groupCode: 'ag-c' }).where('id', '=', 'AP3').execute();
    await db.updateTable('pledges').set({ status: 'withdrawn' }).where('id', '=', 'AP4').execute();
    await db.updateTable('pledges').set({ status: 'committed', donor: 'FRA' }).where('id', '=', 'AP5').execute();
    await expectAggregatesRight(db);
    await db.updateTable('itemTypes').set({ refPriceMinor: 12_345, refPriceCurrency: 'GBP' }).where('code', '=', 'ag-item-b').execute();
    await db.updateTable('itemGroups').set({ capabilityArea: 'counter-drone' }).where('code', '=', 'ag-c').execute();
    await expectAggregatesRight(db);
    await db.updateTable('tranches').set({ quantity: 15, expectedOn: '2025-02-20' }).where('id', '=', 'AP2/T1').execute();
    await db.updateTable('tranches').set({ pledgeId: 'AP5', seq: 2 }).where('id', '=', 'AP1/T2').execute();
    await db.insertInto('deliveries').values(line('AD8', 'AP1/T2', 1, '2025-03-01', '2025-03-02')).execute();
    await expectAggregatesRight(db);
    await buildPledge(db, { id: 'AP6', donor: 'DEU', itemCode: 'ag-item-a', quantity: 9, status: 'contracted', announcedOn: '2026-03-01' });
    await db.deleteFrom('pledges').where('id', '=', 'AP6').execute();
    await expectAggregatesRight(db);
  });

  it('are left exactly as they were by a rolled-back transaction', async () => {
    const before = await snapshot(h.db);
    await expect(
      h.db.transaction().execute(async (tx) => {
        await tx.insertInto('deliveries').values(line('AD9', 'AP2/T1', 2, '2025-02-10', '2025-02-11')).execute();
        await tx.updateTable('deliveries').set({ quantity: 7 }).where('id', '=', 'AD5').execute();
        await tx.updateTable('pledges').set({ status: 'committed', groupCode: 'ag-b' }).where('id', '=', 'AP4').execute();
        await tx.updateTable('itemTypes').set({ refPriceMinor: 1 }).where('code', '=', 'ag-item-a').execute();
        expect(await snapshot(tx)).not.toEqual(before);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await snapshot(h.db)).toEqual(before);
    await expectAggregatesRight(h.db);
  });

  it('match the sums over the lines for the pledges the latest plan names, designated or not', async () => {
    const db = h.db;
    await db
      .insertInto('plans')
      .values({ id: 'AG-PLAN', seq: 1, createdBy: 'test', fingerprint: 'x', objective: 0, latePenaltyPerDay: 0, requirementCount: 1, supplyCount: 3, allocatedQuantity: 3, unmetQuantity: 0, solveMs: 0, problem: JSON.stringify({}), notes: '' })
      .execute();
    const pledgeOf = async (trancheId: string) => (await db.selectFrom('tranches').select('pledgeId').where('id', '=', trancheId).executeTakeFirstOrThrow()).pledgeId;
    await db
      .insertInto('planAllocations')
      .values(
        await Promise.all(
          ['AP1/T1', 'AP2/T1', 'AP3/T1', 'AP4/T2'].map(async (trancheId) => ({ planId: 'AG-PLAN', trancheId, pledgeId: await pledgeOf(trancheId), requirementId: 'AR1', quantity: 1, lateDays: 0, recommendation: false })),
        ),
      )
      .execute();
    await expectAggregatesRight(db);
    await db.insertInto('deliveries').values(line('AD11', 'AP2/T1', 1, '2025-02-10', '2025-03-01')).execute();
    await expectAggregatesRight(db);
  });

  it('are kept when the application role writes under row-level security, which may only read them in aggregate scope', async () => {
    const asDonor = (tx: Db) => sql`select set_config('role', 'concord_app', true), set_config('concord.role', 'donor', true), set_config('concord.nation', 'FRA', true), set_config('concord.scope', 'lines', true)`.execute(tx);
    await h.db.transaction().execute(async (tx) => {
      await asDonor(tx);
      await tx.insertInto('deliveries').values(line('AD10', 'AP2/T1', 1, '2025-02-10', '2025-02-25')).execute();
      // A donor reading line by line sees no aggregate row.
      expect((await sql`select * from report_delivery_facts`.execute(tx)).rows).toEqual([]);
    });
    await expectAggregatesRight(h.db);
    // Nobody but the triggers writes them.
    await expect(
      h.db.transaction().execute(async (tx) => {
        await asDonor(tx);
        await sql`delete from report_delay_buckets`.execute(tx);
      }),
    ).rejects.toThrow(/permission denied/);
  });
});
