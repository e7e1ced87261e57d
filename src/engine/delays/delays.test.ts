import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeDelays, overdueTranches, slippageHistories, type DelayDelivery, type OpenTranche } from './delays.ts';
import { nearestRankIndex, percentile } from './percentile.ts';
import { addDays } from '../../domain/dates.ts';

function buildDelivery(overrides: Partial<DelayDelivery>): DelayDelivery {
  return { donor: 'DEU', capabilityArea: 'ammunition', promisedOn: '2026-01-10', receivedOn: '2026-01-10', quantity: 10, valueMinor: 100, ...overrides };
}

const deliveries: DelayDelivery[] = [
  // DEU, promised 01-10: slippages −2, 0, 5, 10, 30
  buildDelivery({ receivedOn: '2026-01-08' }),
  buildDelivery({ receivedOn: '2026-01-10' }),
  buildDelivery({ receivedOn: '2026-01-15' }),
  buildDelivery({ receivedOn: '2026-01-20' }),
  buildDelivery({ receivedOn: '2026-02-09', quantity: 50, valueMinor: 500 }),
  // FRA, promised 02-01: slippages 4, 2, and one in transit
  buildDelivery({ donor: 'FRA', capabilityArea: 'air-defence', promisedOn: '2026-02-01', receivedOn: '2026-02-05', valueMinor: 1000 }),
  buildDelivery({ donor: 'FRA', capabilityArea: 'air-defence', promisedOn: '2026-02-01', receivedOn: '2026-02-03', valueMinor: 1000 }),
  buildDelivery({ donor: 'FRA', capabilityArea: 'air-defence', promisedOn: '2026-02-01', receivedOn: null, valueMinor: 1000 }),
];

describe('percentile (nearest rank)', () => {
  it('takes the ⌈p/100 × n⌉-th smallest value', () => {
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(percentile(ten, 90)).toBe(9); // ⌈0.9 × 10⌉ = 9th → 9
    expect(percentile(ten, 50)).toBe(5); // ⌈0.5 × 10⌉ = 5th → 5 (lower middle)
    expect(percentile(ten, 91)).toBe(10); // ⌈9.1⌉ = 10th
    expect(percentile(ten, 100)).toBe(10);
    expect(percentile(ten, 0)).toBe(1);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([], 50)).toBeNull();
    // 0.7 × 10 is 7.000000000000001 in floating point; the rank is still 7
    expect(nearestRankIndex(10, 70)).toBe(6);
  });

  it('returns an observed value with at least p% of the values at or below it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 200 }), { minLength: 1 }), fc.integer({ min: 1, max: 100 }), (xs, p) => {
        const v = percentile(xs, p)!;
        expect(xs).toContain(v);
        expect(xs.filter((x) => x <= v).length).toBeGreaterThanOrEqual((p / 100) * xs.length - 1e-9);
        expect(xs.filter((x) => x < v).length).toBeLessThan((p / 100) * xs.length + 1e-9);
      }),
    );
  });
});

describe('computeDelays', () => {
  const report = computeDelays(deliveries);

  it('gives each donor its on-time rate, median and 90th-percentile slippage and value delivered late', () => {
    const deu = report.byDonor.find((d) => d.donor === 'DEU')!;
    // sorted [−2, 0, 5, 10, 30]: on time 2 of 5 = 0.4; median ⌈2.5⌉ = 3rd → 5; p90 ⌈4.5⌉ = 5th → 30
    // late lines: 100 + 100 + 500 = 700 value, 10 + 10 + 50 = 70 units
    expect(deu).toMatchObject({
      deliveries: 5, onTime: 2, late: 3, onTimeRate: 0.4, medianSlippageDays: 5, p90SlippageDays: 30, maxSlippageDays: 30,
      valueDeliveredMinor: 900, valueLateMinor: 700, quantityLate: 70,
    });
    const fra = report.byDonor.find((d) => d.donor === 'FRA')!;
    // sorted [2, 4]: median ⌈1⌉ = 1st → 2; p90 ⌈1.8⌉ = 2nd → 4; the line in transit does not count
    expect(fra).toMatchObject({ deliveries: 2, onTime: 0, onTimeRate: 0, medianSlippageDays: 2, p90SlippageDays: 4, valueLateMinor: 2000 });
  });

  it('groups by capability area and by donor and area too', () => {
    expect(report.byCapabilityArea.map((a) => [a.capabilityArea, a.deliveries])).toEqual([['air-defence', 2], ['ammunition', 5]]);
    expect(report.byDonorAndArea.map((a) => [a.donor, a.capabilityArea])).toEqual([['DEU', 'ammunition'], ['FRA', 'air-defence']]);
    // overall sorted [−2, 0, 2, 4, 5, 10, 30]: median ⌈3.5⌉ = 4th → 4; on time 2 of 7
    expect(report.overall).toMatchObject({ deliveries: 7, medianSlippageDays: 4, onTime: 2 });
  });

  it('counts only lines received by the report date', () => {
    const early = computeDelays(deliveries, { asOf: '2026-01-15' });
    // DEU lines received 01-08, 01-10, 01-15 → slippages −2, 0, 5
    expect(early.byDonor).toHaveLength(1);
    expect(early.byDonor[0]).toMatchObject({ donor: 'DEU', deliveries: 3, onTime: 2, medianSlippageDays: 0 });
  });

  it('reports no rate for a donor with nothing received rather than zero', () => {
    expect(computeDelays([buildDelivery({ receivedOn: null })]).overall).toMatchObject({ deliveries: 0, onTimeRate: null, medianSlippageDays: null });
  });

  it('keeps the slippage history of each donor for the forecast', () => {
    expect(slippageHistories(deliveries)).toEqual({ DEU: [-2, 0, 5, 10, 30], FRA: [4, 2] });
  });

  it('adds up: on-time and late lines make the total, donors make the whole', () => {
    const arb = fc.array(
      fc.record({
        donor: fc.constantFrom('DEU', 'FRA', 'POL'),
        slip: fc.option(fc.integer({ min: -20, max: 90 }), { nil: null }),
        valueMinor: fc.nat(10_000),
      }),
    );
    fc.assert(
      fc.property(arb, (lines) => {
        const r = computeDelays(lines.map((l) => buildDelivery({ donor: l.donor, valueMinor: l.valueMinor, receivedOn: l.slip === null ? null : addDays('2026-01-10', l.slip) })));
        for (const s of [...r.byDonor, r.overall]) {
          expect(s.onTime + s.late).toBe(s.deliveries);
          if (s.deliveries > 0) expect(s.medianSlippageDays!).toBeLessThanOrEqual(s.p90SlippageDays!);
          expect(s.valueLateMinor).toBeLessThanOrEqual(s.valueDeliveredMinor);
        }
        expect(r.byDonor.reduce((n, d) => n + d.valueLateMinor, 0)).toBe(r.overall.valueLateMinor);
        expect(r.overall.deliveries).toBe(lines.filter((l) => l.slip !== null).length);
      }),
    );
  });

  it('weighs an input standing for several lines as those lines (hand-worked)', () => {
    // DEU: 3 lines 2 days early (qty 30, value 300), 1 line 10 days late (qty 5, value 70), 4 lines 40 days late (qty 8, value 400).
    // 8 lines: slippages −2 −2 −2 10 40 40 40 40; median = 4th smallest = 10, p90 = ⌈7.2⌉ = 8th = 40.
    const r = computeDelays([
      buildDelivery({ receivedOn: '2026-01-08', quantity: 30, valueMinor: 300, lines: 3 }),
      buildDelivery({ receivedOn: '2026-01-20', quantity: 5, valueMinor: 70 }),
      buildDelivery({ receivedOn: '2026-02-19', quantity: 8, valueMinor: 400, lines: 4 }),
    ]);
    expect(r.overall).toEqual({
      deliveries: 8, onTime: 3, late: 5, onTimeRate: 3 / 8, medianSlippageDays: 10, p90SlippageDays: 40, maxSlippageDays: 40,
      quantityDelivered: 43, quantityLate: 13, valueDeliveredMinor: 770, valueLateMinor: 470,
    });
    expect(slippageHistories([buildDelivery({ receivedOn: '2026-01-12', lines: 3 })])).toEqual({ DEU: [2, 2, 2] });
  });

  it('gives the same figures for lines grouped into weighted inputs as for the lines one by one', () => {
    const arb = fc.array(
      fc.record({
        donor: fc.constantFrom('DEU', 'FRA', 'POL'),
        area: fc.constantFrom('ammunition', 'air-defence'),
        slip: fc.integer({ min: -20, max: 90 }),
        lines: fc.integer({ min: 1, max: 6 }),
        quantity: fc.integer({ min: 1, max: 50 }),
        valueMinor: fc.nat(10_000),
      }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(arb, (groups) => {
        const at = (slip: number) => addDays('2026-01-10', slip);
        const grouped = groups.map((g) => buildDelivery({ donor: g.donor, capabilityArea: g.area as DelayDelivery['capabilityArea'], receivedOn: at(g.slip), quantity: g.quantity * g.lines, valueMinor: g.valueMinor * g.lines, lines: g.lines }));
        const single = groups.flatMap((g) => Array.from({ length: g.lines }, () => buildDelivery({ donor: g.donor, capabilityArea: g.area as DelayDelivery['capabilityArea'], receivedOn: at(g.slip), quantity: g.quantity, valueMinor: g.valueMinor })));
        expect(computeDelays(grouped)).toEqual(computeDelays(single));
        expect(slippageHistories(grouped)).toEqual(slippageHistories(single));
      }),
    );
  });
});

describe('overdueTranches', () => {
  const tranche = (o: Partial<OpenTranche> & { trancheId: string }): OpenTranche => ({
    pledgeId: 'P-1', donor: 'DEU', capabilityArea: 'ammunition', expectedOn: '2026-01-01', quantity: 100, receivedQuantity: 0, ...o,
  });

  it('lists tranches past their date and not fully received, most overdue first', () => {
    const list = overdueTranches(
      [
        tranche({ trancheId: 'T1', expectedOn: '2026-01-01', quantity: 100, receivedQuantity: 40, unitValueMinor: 5 }),
        tranche({ trancheId: 'T2', expectedOn: '2026-01-31' }), // due today: not overdue yet
        tranche({ trancheId: 'T3', expectedOn: '2025-12-01', receivedQuantity: 100 }), // complete
        tranche({ trancheId: 'T4', expectedOn: '2026-01-21', quantity: 10 }),
      ],
      '2026-01-31',
    );
    // T1: 01-01 → 01-31 = 30 days, 100 − 40 = 60 units × 5 = 300; T4: 10 days, no unit value
    expect(list).toEqual([
      { trancheId: 'T1', pledgeId: 'P-1', donor: 'DEU', capabilityArea: 'ammunition', expectedOn: '2026-01-01', daysOverdue: 30, outstandingQuantity: 60, outstandingValueMinor: 300 },
      { trancheId: 'T4', pledgeId: 'P-1', donor: 'DEU', capabilityArea: 'ammunition', expectedOn: '2026-01-21', daysOverdue: 10, outstandingQuantity: 10, outstandingValueMinor: null },
    ]);
  });
});
