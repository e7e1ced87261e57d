import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../store/testing/test-db.ts';
import { buildGroup, buildItem, buildNation, buildPledge, buildRequirement } from '../../store/testing/factories.ts';
import type { DbHandle } from '../../store/db.ts';
import { SYSTEM_ACTOR } from '../context.ts';
import { burdenReport, coverageReport, delaysReport, forecastReport, gapsReport, meetingBrief, meetingOutcome } from './reports.ts';
import type { ReportDocument } from './render/report-document.ts';

/**
 * A small world, worked by hand:
 * - item A (group gA, ammunition) at 100.00 EUR; item B (group gB, air defence) at 1,000.00 USD; 1 EUR = 1.25 USD,
 *   so one B is worth 800.00 EUR;
 * - requirements (all validated but R4): R1 100 A, P1, by 2025-03-01; R2 50 A, P2, by 2025-02-01;
 *   R3 10 B, P1, by 2025-04-01; R4 30 A, P1, draft (never counted). Rank: R1, R3 (P1 by date), then R2;
 * - pledges: PA1 DEU 120 A committed 2025-01-10 (one tranche due 2025-02-01); PA2 FRA 40 A designated to R2,
 *   committed 2025-02-10 (due 2025-02-12); PB1 DEU 4 B only announced; PB2 FRA 6 B committed 2025-03-05 at M2;
 * - deliveries: 70 of PA1 received 2025-02-20 (19 days late), 40 of PA2 received 2025-02-15 (3 days late);
 * - meetings M1 on 2025-02-12 and M2 on 2025-03-10; no plan has been run.
 */
describe.each(testBackends())('report services on $name', (backend) => {
  let h: DbHandle;
  const deps = () => ({ db: h.db });
  beforeAll(async () => {
    h = await backend.open();
    const db = h.db;
    await buildNation(db, { code: 'DEU' });
    await buildNation(db, { code: 'FRA' });
    await db.insertInto('fxRates').values({ currency: 'USD', validFrom: '2025-01-01', perEur: 1.25, source: 'test' }).execute();
    const gA = await buildGroup(db, { code: 'rs-ga', capabilityArea: 'ammunition' });
    const gB = await buildGroup(db, { code: 'rs-gb', capabilityArea: 'air-defence' });
    await buildItem(db, { code: 'rs-a', groupCode: gA.code, capabilityArea: 'ammunition', refPriceMinor: 10_000, refPriceCurrency: 'EUR' });
    await buildItem(db, { code: 'rs-b', groupCode: gB.code, capabilityArea: 'air-defence', refPriceMinor: 100_000, refPriceCurrency: 'USD' });
    await buildRequirement(db, { id: 'R1', itemCode: 'rs-a', accepts: ['rs-ga'], capabilityArea: 'ammunition', quantity: 100, priority: 1, needBy: '2025-03-01' });
    await buildRequirement(db, { id: 'R2', itemCode: 'rs-a', accepts: ['rs-ga'], capabilityArea: 'ammunition', quantity: 50, priority: 2, needBy: '2025-02-01' });
    await buildRequirement(db, { id: 'R3', itemCode: 'rs-b', accepts: ['rs-gb'], capabilityArea: 'air-defence', quantity: 10, priority: 1, needBy: '2025-04-01' });
    await buildRequirement(db, { id: 'R4', itemCode: 'rs-a', accepts: ['rs-ga'], capabilityArea: 'ammunition', quantity: 30, priority: 1, needBy: '2025-01-01', status: 'draft' });
    await db
      .insertInto('meetings')
      .values([
        { id: 'M1', kind: 'contact-group', title: 'First', date: '2025-02-12', location: 'Brussels', attendees: [], notes: '' },
        { id: 'M2', kind: 'contact-group', title: 'Second', date: '2025-03-10', location: 'Ramstein', attendees: [], notes: '' },
      ])
      .execute();
    await buildPledge(db, { id: 'PA1', donor: 'DEU', itemCode: 'rs-a', quantity: 120, status: 'committed', announcedOn: '2025-01-10', tranches: [{ quantity: 120, expectedOn: '2025-02-01' }] });
    await buildPledge(db, { id: 'PA2', donor: 'FRA', itemCode: 'rs-a', quantity: 40, status: 'committed', designatedTo: 'R2', announcedOn: '2025-02-10', tranches: [{ quantity: 40, expectedOn: '2025-02-12' }] });
    await buildPledge(db, { id: 'PB1', donor: 'DEU', itemCode: 'rs-b', quantity: 4, status: 'announced', announcedOn: '2025-01-10', tranches: [{ quantity: 4, expectedOn: '2025-03-01' }] });
    await buildPledge(db, { id: 'PB2', donor: 'FRA', itemCode: 'rs-b', quantity: 6, status: 'committed', announcedOn: '2025-03-05', meetingId: 'M2', tranches: [{ quantity: 6, expectedOn: '2025-05-01' }] });
    await db
      .insertInto('deliveries')
      .values([
        { id: 'D1', trancheId: 'PA1/T1', quantity: 70, promisedOn: '2025-02-01', shippedOn: '2025-02-10', receivedOn: '2025-02-20', hub: 'POL', status: 'received', notes: '' },
        { id: 'D2', trancheId: 'PA2/T1', quantity: 40, promisedOn: '2025-02-12', shippedOn: '2025-02-13', receivedOn: '2025-02-15', hub: 'POL', status: 'received', notes: '' },
      ])
      .execute();
    await db.insertInto('stockReports').values({ id: 'S1', groupCode: 'rs-ga', asOf: '2025-03-31', onHand: 100, dailyConsumption: 10, notes: '' }).execute();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('counts designated pledges first, pools the rest by group in rank order, and values in EUR', async () => {
    const { data } = await coverageReport(deps(), SYSTEM_ACTOR, { asOf: '2025-03-31', currency: 'EUR' });
    const by = Object.fromEntries(data.requirements.map((r) => [r.requirement, r]));
    // Rank R1, R3, R2 (R4 is a draft). Committed: PA2 (designated) gives R2 40; PA1's 120 pooled in gA go
    // 100 to R1 and the 10 R2 still lacks; PB2's 6 go to R3; PB1 is only announced.
    expect(data.requirements.map((r) => r.requirement)).toEqual(['R1', 'R3', 'R2']);
    expect([by.R1!.committed, by.R2!.committed, by.R3!.committed]).toEqual([100, 50, 6]);
    // Delivered: PA2's 40 to R2, PA1's 70 pooled to R1. Gap = quantity − max(committed, delivered).
    expect([by.R1!.delivered, by.R2!.delivered, by.R3!.delivered]).toEqual([70, 40, 0]);
    expect([by.R1!.gap, by.R2!.gap, by.R3!.gap]).toEqual([0, 0, 4]);
    // One B = 1,000 USD / 1.25 = 800 EUR: R3's gap is 4 × 800 = 3,200 EUR.
    expect(by.R3!.gapValue).toBe(3200);
    const ammo = data.byCapabilityArea.find((a) => a.capabilityArea === 'ammunition')!;
    // Ammunition: required (100 + 50) × 100 = 15,000; committed 15,000; delivered (70 + 40) × 100 = 11,000.
    expect([ammo.requiredValue, ammo.committedValue, ammo.deliveredValue, ammo.gapValue]).toEqual([15_000, 15_000, 11_000, 0]);
    expect(ammo.deliveredShare).toBeCloseTo(11_000 / 15_000, 12);
    const air = data.byCapabilityArea.find((a) => a.capabilityArea === 'air-defence')!;
    // Air defence: required 10 × 800 = 8,000; committed 6 × 800 = 4,800 (60 %).
    expect([air.requiredValue, air.committedValue, air.deliveredValue, air.gapValue]).toEqual([8_000, 4_800, 0, 3_200]);
    expect(air.committedShare).toBeCloseTo(0.6, 12);
    expect([data.total.requiredValue, data.total.committedValue, data.total.gapValue]).toEqual([23_000, 19_800, 3_200]);
    expect(data.planId).toBeNull();
  });

  it('counts only what was announced and received by an earlier date', async () => {
    const { data } = await coverageReport(deps(), SYSTEM_ACTOR, { asOf: '2025-02-12', currency: 'EUR' });
    const by = Object.fromEntries(data.requirements.map((r) => [r.requirement, r]));
    // By 2025-02-12 PB2 is not yet announced and nothing is received: R3 is 10 short (8,000 EUR).
    expect([by.R1!.committed, by.R2!.committed, by.R3!.committed]).toEqual([100, 50, 0]);
    expect(data.total.delivered).toBe(0);
    expect(data.total.gapValue).toBe(8_000);
  });

  it('values in USD at the dated rate when asked', async () => {
    const { data } = await coverageReport(deps(), SYSTEM_ACTOR, { asOf: '2025-03-31', currency: 'USD' });
    // R3's gap: 4 × 1,000 USD; ammunition 15,000 EUR × 1.25 = 18,750 USD.
    expect(data.requirements.find((r) => r.requirement === 'R3')!.gapValue).toBe(4_000);
    expect(data.byCapabilityArea.find((a) => a.capabilityArea === 'ammunition')!.requiredValue).toBe(18_750);
  });

  it('ranks the gaps and names the requirement behind each', async () => {
    const r = await gapsReport(deps(), SYSTEM_ACTOR, { asOf: '2025-03-31' });
    expect(r.gaps).toEqual([expect.objectContaining({ rank: 1, requirementId: 'R3', quantity: 4, committed: 6, gapValue: 3_200, reason: null })]);
    expect([r.gapCount, r.gapValue]).toEqual([1, 3_200]);
    const table = r.document.sections[0]!.table!;
    expect(table.rows.map((row) => row.requirementId)).toEqual(['R3']);
    await expect(gapsReport(deps(), SYSTEM_ACTOR, { currency: 'GBP' })).rejects.toMatchObject({ code: 'invalid_input', issues: [{ path: '/currency' }] });
  });

  it('reports slippage per donor and the tranches overdue with their outstanding value', async () => {
    const r = await delaysReport(deps(), SYSTEM_ACTOR, { asOf: '2025-03-31', currency: 'EUR' });
    // DEU: one line 19 days late; FRA: one line 3 days late. Nothing on time.
    expect(r.delays.byDonor.map((d) => [d.donor, d.deliveries, d.onTime, d.medianSlippageDays])).toEqual([
      ['DEU', 1, 0, 19],
      ['FRA', 1, 0, 3],
    ]);
    // PA1/T1: 120 due 2025-02-01, 70 received: 50 outstanding, 27 + 31 = 58 days overdue on 2025-03-31, 50 × 100 = 5,000 EUR.
    expect(r.overdue).toEqual([expect.objectContaining({ trancheId: 'PA1/T1', pledgeId: 'PA1', daysOverdue: 58, outstandingQuantity: 50, outstandingValueMinor: 500_000 })]);
  });

  it('forecasts from the latest stock report and applies a what-if removal', async () => {
    const base = await forecastReport(deps(), SYSTEM_ACTOR, { asOf: '2025-03-31', horizon: 30, runs: 200 });
    const g = base.forecast.groups.find((x) => x.group === 'rs-ga')!;
    // 100 on hand + PA1's 50 outstanding (overdue, so on day 0) at 10 a day: days 0–14 are met, day 15
    // (2025-04-15) is the first short; 15 short days × 10 = 150 units unmet over 30 days.
    expect(g.deterministic.firstStockOut).toBe('2025-04-15');
    expect(g.deterministic.shortfall).toBe(150);
    // DEU's only slippage (19 days) is shorter than the 58 days overdue, so every run also lands it on day 0.
    expect(g.monteCarlo!.probabilityOfStockOut).toBe(1);
    expect(g.monteCarlo!.firstStockOut.p50).toBe('2025-04-15');
    const without = await forecastReport(deps(), SYSTEM_ACTOR, { asOf: '2025-03-31', horizon: 30, runs: 0, whatIf: ['DEU:remove'] });
    // Without DEU's tranche: 100 / 10 = 10 days, first short day 2025-04-10, 20 × 10 = 200 unmet.
    expect(without.forecast.groups[0]!.deterministic).toMatchObject({ firstStockOut: '2025-04-10', shortfall: 200 });
    await expect(forecastReport(deps(), SYSTEM_ACTOR, { asOf: '2025-03-31', groups: ['nope'] })).rejects.toMatchObject({ code: 'invalid_input', issues: [{ path: '/groups/0' }] });
    await expect(forecastReport(deps(), SYSTEM_ACTOR, { asOf: '2020-01-01' })).rejects.toMatchObject({ code: 'invalid_input', issues: [{ path: '/asOf' }] });
  });

  it('reports what a meeting announced and how coverage moved since the previous meeting', async () => {
    const doc = await meetingOutcome(deps(), SYSTEM_ACTOR, { today: '2025-03-20' });
    // Default: the last meeting before 2025-03-20 is M2; the one before it is M1.
    expect(doc.title).toBe('Outcome: Second');
    const announced = doc.sections.find((s) => s.heading === 'Pledges announced')!.table!;
    // PB2: 6 × 1,000 USD = 6,000 USD = 4,800 EUR on the meeting date.
    expect(announced.rows).toEqual([expect.objectContaining({ pledge: 'PB2', value: 4_800, basis: 'reference' })]);
    const change = doc.sections.find((s) => s.heading === 'Coverage and gaps since the previous meeting')!.table!;
    const row = (area: string) => change.rows.find((r) => r.capabilityArea === area)!;
    // At M1 (2025-02-12) R3 was 10 short (8,000 EUR); at M2 (2025-03-10) PB2's 6 leave 4 (3,200 EUR).
    expect(row('air-defence')).toMatchObject({ gapValueBefore: 8_000, gapValueAfter: 3_200, gapValueChange: -4_800, committedShareBefore: 0, committedShareAfter: 0.6 });
    expect(row('ammunition')).toMatchObject({ gapValueBefore: 0, gapValueAfter: 0, gapValueChange: 0 });
    expect(row('total')).toMatchObject({ gapValueChange: -4_800, committedValueChange: 4_800 });
    await expect(meetingOutcome(deps(), SYSTEM_ACTOR, { meetingId: 'NOPE' })).rejects.toMatchObject({ code: 'not_found' });
  });

  /** Coverage at two dates from one pass over the receipts equals coverage at each date alone. */
  const expectTwoDatesAsOne = async () => {
    const { computeCoverageAt, computeCoverageAtTwoDates, loadCurrentPlan } = await import('./coverage.ts');
    await h.db.transaction().execute(async (tx) => {
      const plan = await loadCurrentPlan(tx);
      const rates = [{ currency: 'USD', on: '2025-01-01', perEur: 1.25 }];
      for (const [asOf, earlier] of [['2025-03-31', '2025-02-17'], ['2025-03-10', '2025-02-12'], ['2025-02-20', '2025-02-20'], ['2025-03-31', '2024-12-31']] as const) {
        const [now, then] = await computeCoverageAtTwoDates(tx, asOf, earlier, 'EUR', rates, plan);
        expect(now).toEqual(await computeCoverageAt(tx, asOf, 'EUR', rates, plan));
        expect(then).toEqual(await computeCoverageAt(tx, earlier, 'EUR', rates, plan));
      }
    });
  };

  it('computes coverage at two dates in one pass exactly as at each date alone', expectTwoDatesAsOne);

  // Runs last: it adds a plan to the world.
  it('counts the pledges of the latest plan where the plan put them, for commitments and for receipts', async () => {
    await h.db
      .insertInto('plans')
      .values({ id: 'PLAN-T', seq: 1, createdBy: 'test', fingerprint: 'x', objective: 0, latePenaltyPerDay: 0, requirementCount: 3, supplyCount: 3, allocatedQuantity: 60, unmetQuantity: 0, solveMs: 0, problem: JSON.stringify({}), notes: '' })
      .execute();
    await h.db
      .insertInto('planAllocations')
      .values([
        { planId: 'PLAN-T', trancheId: 'PA1/T1', pledgeId: 'PA1', requirementId: 'R1', quantity: 50, lateDays: 0, recommendation: false },
        { planId: 'PLAN-T', trancheId: 'PA1/T1', pledgeId: 'PA1', requirementId: 'R2', quantity: 10, lateDays: 0, recommendation: false },
        // PB1 is only announced: the plan may place it (R3 gets its 4 B), coverage by committed pledges may not.
        { planId: 'PLAN-T', trancheId: 'PB1/T1', pledgeId: 'PB1', requirementId: 'R3', quantity: 4, lateDays: 0, recommendation: false },
      ])
      .execute();
    const { data } = await coverageReport(deps(), SYSTEM_ACTOR, { asOf: '2025-03-31', currency: 'EUR' });
    const by = Object.fromEntries(data.requirements.map((r) => [r.requirement, r]));
    expect(data.planId).toBe('PLAN-T');
    expect([by.R1!.planned, by.R2!.planned, by.R3!.planned]).toEqual([50, 10, 4]);
    // Received: PA2's 40 (designated) to R2. PA1's 70 follow the plan in rank order: R1 50, then R2 the 10 it
    // still lacks; PA1's last 10 go to the group pool, to R1 (lacking 50). Without the plan R1 had 70 and R2 40.
    expect([by.R1!.delivered, by.R2!.delivered, by.R3!.delivered]).toEqual([60, 50, 0]);
    // Committed: PA2 40 to R2; PA1 50 to R1 and 10 to R2 by the plan, its other 60 pooled: 50 more to R1.
    expect([by.R1!.committed, by.R2!.committed, by.R3!.committed]).toEqual([100, 50, 6]);
    // As of 2025-02-17 PA1's delivery (received 02-20) has not come: only PA2's 40 to R2.
    const early = await coverageReport(deps(), SYSTEM_ACTOR, { asOf: '2025-02-17', currency: 'EUR' });
    const e = Object.fromEntries(early.data.requirements.map((r) => [r.requirement, r]));
    expect([e.R1!.delivered, e.R2!.delivered]).toEqual([0, 40]);
    // The one gap left: R3 short by 4 B on committed pledges; the plan meets it with PB1 (no unmet reason).
    const gaps = await gapsReport(deps(), SYSTEM_ACTOR, { asOf: '2025-03-31', currency: 'EUR' });
    expect(gaps.gaps.map((g) => [g.requirementId, g.planned, g.committed, g.quantity, g.reason])).toEqual([['R3', 4, 6, 4, 'met by the plan']]);
    // With an unmet line for R3 (and one for R1, which is no gap), the gap row gives the plan's reason.
    await h.db
      .insertInto('planUnmet')
      .values([
        { planId: 'PLAN-T', requirementId: 'R3', quantity: 2, reason: 'outranked' },
        { planId: 'PLAN-T', requirementId: 'R1', quantity: 1, reason: 'supply-too-late' },
      ])
      .execute();
    const reasoned = await gapsReport(deps(), SYSTEM_ACTOR, { asOf: '2025-03-31', currency: 'EUR' });
    expect(reasoned.gaps.map((g) => [g.requirementId, g.reason])).toEqual([['R3', 'outranked']]);
    expect(reasoned.document.sections[0]!.table!.rows.map((row) => row.reason)).toEqual(['outranked']);
    // With the plan, too.
    await expectTwoDatesAsOne();
  });

  // After the plan test: the brief's gaps then carry the plan's reasons.
  it('briefs a meeting with the same figures each report gives alone (its sections are computed side by side)', async () => {
    await h.db.insertInto('meetings').values({ id: 'M3', kind: 'contact-group', title: 'Third', date: '2025-04-15', location: 'Brussels', attendees: [], notes: '' }).execute();
    try {
      // Default meeting: the next one on or after today (M3); figures as of today, when S1 is the latest stock report.
      const brief = await meetingBrief(deps(), SYSTEM_ACTOR, { today: '2025-04-01' });
      expect(brief.title).toBe('Brief: Third');
      const asOf = '2025-04-01';
      const section = (doc: ReportDocument, heading: string) => doc.sections.find((s) => s.heading === heading);
      expect(brief.sections.map((s) => s.heading)).toEqual(['Top gaps by capability', 'Coverage by capability area', 'Stock-out forecast for the critical groups', 'Projected stock: rs-ga', 'Burden sharing', 'Overdue deliveries']);
      // Every gap (fewer than 5 per area here), with the plan's reason: R3, 4 B short, outranked.
      const gaps = await gapsReport(deps(), SYSTEM_ACTOR, { asOf });
      expect(section(brief, 'Top gaps by capability')!.table!.rows).toEqual(gaps.gaps);
      expect(gaps.gaps.map((g) => [g.requirementId, g.quantity, g.reason])).toEqual([['R3', 4, 'outranked']]);
      const coverage = await coverageReport(deps(), SYSTEM_ACTOR, { asOf });
      expect(section(brief, 'Coverage by capability area')).toEqual(section(coverage.document, 'Coverage by capability area'));
      // The brief's forecast: 120 days, 500 runs, seed 1.
      const forecast = await forecastReport(deps(), SYSTEM_ACTOR, { asOf, horizon: 120, runs: 500 });
      for (const heading of ['Stock-out forecast for the critical groups', 'Projected stock: rs-ga']) expect(section(brief, heading)).toEqual(section(forecast.document, heading));
      // No GDP figures in this world: the brief says so instead of a table.
      await expect(burdenReport(deps(), SYSTEM_ACTOR, { year: 2025, currency: 'EUR' })).rejects.toMatchObject({ code: 'invalid_input' });
      expect(section(brief, 'Burden sharing')!.text![0]).toMatch(/^No burden-sharing figures for 2025: there are no GDP figures for 2025 or before/);
      const delays = await delaysReport(deps(), SYSTEM_ACTOR, { asOf });
      expect(section(brief, 'Overdue deliveries')).toEqual(section(delays.document, 'Overdue deliveries'));
      // PA1's 50 still due since 2025-02-01, PB2's 6 not yet due.
      expect(section(brief, 'Overdue deliveries')!.table!.rows.map((r) => [r.trancheId, r.outstandingQuantity])).toEqual([['PA1/T1', 50]]);
      // The same document again, but for the time it was made.
      const again = await meetingBrief(deps(), SYSTEM_ACTOR, { today: '2025-04-01' });
      expect({ ...again, generatedAt: '' }).toEqual({ ...brief, generatedAt: '' });
    } finally {
      await h.db.deleteFrom('meetings').where('id', '=', 'M3').execute();
    }
  });
});

describe('capHistogram', () => {
  it('keeps small histories whole and scales large ones in proportion, bucket by bucket', async () => {
    const { capHistogram, HISTORY_CAP } = await import('./reports.ts');
    expect(capHistogram([{ donor: 'DEU', slippageDays: -2, lines: 2 }, { donor: 'DEU', slippageDays: 5, lines: 1 }, { donor: 'FRA', slippageDays: 0, lines: 4 }])).toEqual({
      DEU: { days: [-2, 5], lines: [2, 1] },
      FRA: { days: [0], lines: [4] },
    });
    expect(HISTORY_CAP).toBe(20_000);
    // 60,000 lines, two thirds on time: 40,000 × 20,000 / 60,000 = 13,333.3 → 13,333; 20,000 × 20,000 / 60,000 = 6,666.7 → 6,667.
    expect(capHistogram([{ donor: 'USA', slippageDays: 0, lines: 40_000 }, { donor: 'USA', slippageDays: 30, lines: 20_000 }]).USA).toEqual({ days: [0, 30], lines: [13_333, 6_667] });
    // A bucket the scaling rounds to nothing keeps one line: 59,999 → 19,999.7 → 20,000; 1 → 0.33 → 0 → 1.
    expect(capHistogram([{ donor: 'POL', slippageDays: 0, lines: 59_999 }, { donor: 'POL', slippageDays: 99, lines: 1 }]).POL).toEqual({ days: [0, 99], lines: [20_000, 1] });
  });
});
