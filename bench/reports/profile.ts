/**
 * `npx tsx bench/reports/profile.ts postgres://…`: times each query and engine step of the reports once,
 * as the reports run them (concord_app, aggregate scope), to see where a report's time goes.
 */
import { performance } from 'node:perf_hooks';
import { openDb } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { SCENARIO_TODAY } from '../../src/services/demo/index.ts';
import { SYSTEM_ACTOR } from '../../src/services/context.ts';
import { runUseCase } from '../../src/services/use-case.ts';
import * as repo from '../../src/store/report.repository.ts';
import { COVERAGE_REQUIREMENT_STATUSES } from '../../src/engine/coverage/index.ts';
import { computeCoverageAt, loadCurrentPlan } from '../../src/services/reports/coverage.ts';

const url = process.argv[2] ?? process.env.DATABASE_URL!;
const h = await openDb({ kind: 'postgres', url });
await migrateToLatest(h.db);
const today = SCENARIO_TODAY;
const year = Number(today.slice(0, 4));
const time = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
  const t = performance.now();
  const r = await f();
  console.log(`${name.padEnd(28)} ${(performance.now() - t).toFixed(0).padStart(6)} ms${Array.isArray(r) ? `  ${r.length} rows` : ''}`);
  return r;
};
await runUseCase({ db: h.db }, SYSTEM_ACTOR, { entity: 'report', verb: 'read', scope: 'aggregate' }, async (tx) => {
  await repo.prepareReportSession(tx);
  for (let pass = 0; pass < 2; pass++) {
    console.log(`-- pass ${pass}`);
    await time('fx', () => repo.loadFxRates(tx));
    await time('ranked requirements', () => repo.loadRankedRequirements(tx, COVERAGE_REQUIREMENT_STATUSES));
    await time('coverage supply', () => repo.loadCoverageSupply(tx, today));
    await time('coverage receipts', () => repo.loadCoverageReceipts(tx, today));
    const plan = await time('plan allocations', () => loadCurrentPlan(tx));
    const rates = (await repo.loadFxRates(tx)).map((r) => ({ currency: r.currency, on: r.validFrom, perEur: r.perEur }));
    await time('computeCoverageAt (all)', () => computeCoverageAt(tx, today, 'EUR', rates, plan));
    const stocks = await time('stock reports', () => repo.loadLatestStockReports(tx, today));
    await time('outstanding tranches', () => repo.loadOutstandingTranches(tx, stocks.map((s) => s.groupCode), today));
    await time('slippage histogram', () => repo.loadSlippageHistogram(tx, today));
    await time('delay buckets', () => repo.loadDelayBuckets(tx, today));
    await time('overdue candidates', () => repo.loadOverdueCandidates(tx, today));
    await time('burden commitments', () => repo.loadBurdenCommitments(tx, year));
    await time('burden deliveries', () => repo.loadBurdenDeliveries(tx, year));
  }
});
await h.close();
