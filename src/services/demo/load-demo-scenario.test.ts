import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DomainError } from '../../domain/errors.ts';
import { testBackends } from '../../store/testing/test-db.ts';
import type { DbHandle } from '../../store/db.ts';
import { nextRequirementId } from '../../store/requirement.repository.ts';
import { generateDemoScenario } from './generate-demo-scenario.ts';
import { demoSummary, loadDemoScenario, type DemoProgress } from './load-demo-scenario.ts';

const expected = generateDemoScenario({ seed: 42, scale: 1 });
const expectedTranches = expected.pledges.reduce((n, p) => n + p.tranches.length, 0);

describe.each(testBackends())('loadDemoScenario on $name', (backend) => {
  let h: DbHandle;
  const progress: DemoProgress[] = [];
  beforeAll(async () => {
    h = await backend.open();
    await loadDemoScenario(h.db, { onProgress: (p) => progress.push(p) });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('loads reference data and every scenario record of scale 1 (the database accepting every row)', async () => {
    expect(await demoSummary(h.db)).toEqual({
      nations: 52,
      itemGroups: 100,
      itemTypes: 175,
      fxRates: 152,
      meetings: expected.meetings.length,
      requirements: 2000,
      pledges: 6000,
      tranches: expectedTranches,
      deliveries: expected.deliveries.length,
      stockReports: expected.stockReports.length,
    });
    expect(progress.at(-1)).toMatchObject({ chunksDone: 1, chunks: 1 });
  });

  it('leaves the tables it churned compact: rewriting them again gives nothing back', async () => {
    const sizes = async () => {
      const r = await sql<{ bytes: string }>`
        select pg_total_relation_size(c) as bytes from unnest(array['report_tranche_receipts', 'report_delay_buckets', 'report_burden_daily', 'pledges']::regclass[]) c`.execute(h.db);
      return r.rows.map((x) => Number(x.bytes));
    };
    const afterLoad = await sizes();
    await sql`vacuum full report_tranche_receipts, report_delay_buckets, report_burden_daily, pledges`.execute(h.db);
    expect(await sizes()).toEqual(afterLoad);
  });

  it('stores the generated records as generated', async () => {
    const p = expected.pledges.find((x) => x.kind === 'funding' && x.tranches.length > 1)!;
    const row = await h.db.selectFrom('pledges').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ donor: p.donor, amountMinor: p.amountMinor, currency: p.currency, announcedOn: p.announcedOn, years: p.years, status: p.status });
    const sums = await h.db
      .selectFrom('tranches')
      .select((eb) => ['pledgeId', eb.fn.sum<number>('amountMinor').as('total')])
      .where('pledgeId', '=', p.id)
      .groupBy('pledgeId')
      .executeTakeFirstOrThrow();
    expect(Number(sums.total)).toBe(p.amountMinor);
    const mismatched = await sql<{ n: number }>`
      select count(*)::int as n from pledges p
      where p.kind <> 'funding' and p.quantity <> (select sum(t.quantity) from tranches t where t.pledge_id = p.id)`.execute(h.db);
    expect(mismatched.rows[0]!.n).toBe(0);
  });

  it('moves the id sequences past the loaded ids', async () => {
    expect(await nextRequirementId(h.db)).toBe('R-002001');
    const pledge = await sql<{ n: number }>`select nextval('pledge_ids') as n`.execute(h.db);
    expect(Number(pledge.rows[0]!.n)).toBe(6001);
    const delivery = await sql<{ n: number }>`select nextval('delivery_ids') as n`.execute(h.db);
    expect(Number(delivery.rows[0]!.n)).toBe(expected.deliveries.length + 1);
  });

  it('refuses a second load without replace, naming what is already there, and writes nothing', async () => {
    const before = await demoSummary(h.db);
    const attempt = loadDemoScenario(h.db, { seed: 1 });
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(attempt).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/2000 requirement\(s\), 6000 pledge\(s\)/) });
    expect(await demoSummary(h.db)).toEqual(before);
  });

  it('replaces the scenario when asked, with another seed and scale', async () => {
    const result = await loadDemoScenario(h.db, { seed: 7, scale: 0.25, replace: true });
    expect(result.inserted).toMatchObject({ requirements: 500, pledges: 1500 });
    const summary = await demoSummary(h.db);
    expect(summary).toMatchObject({ requirements: 500, pledges: 1500, deliveries: result.inserted.deliveries, nations: 52 });
    expect(await nextRequirementId(h.db)).toBe('R-000501');
  });
});
