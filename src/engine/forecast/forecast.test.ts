import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { forecastStock, projectStock, type ForecastInput, type IncomingTranche, type SlippageCounts, type WhatIf } from './forecast.ts';
import { addDays } from '../../domain/dates.ts';
import { DomainError } from '../../domain/errors.ts';

// Group A: 20 on hand, 5 a day; DEU brings 10 on day 5 (01-06), FRA 50 on day 8 (01-09).
const base: ForecastInput = {
  start: '2026-01-01',
  horizonDays: 10,
  groups: [{ group: 'A', onHand: 20, dailyConsumption: 5 }],
  tranches: [
    { id: 'T1', group: 'A', donor: 'DEU', expectedOn: '2026-01-06', quantity: 10 },
    { id: 'T2', group: 'A', donor: 'FRA', expectedOn: '2026-01-09', quantity: 50 },
  ],
  slippageHistory: {},
  runs: 0,
};

describe('forecastStock, deterministic projection', () => {
  it('projects the stock day by day, with the first stock-out and the shortfall', () => {
    const [a] = forecastStock(base).groups;
    // d0 15, d1 10, d2 5, d3 0, d4 unmet 5, d5 +10 → 5, d6 0, d7 unmet 5, d8 +50 → 45, d9 40
    expect(a!.deterministic).toEqual({
      stock: [15, 10, 5, 0, 0, 5, 0, 0, 45, 40],
      firstStockOut: '2026-01-05',
      shortfall: 10,
    });
    expect(a!.incomingWithinHorizon).toBe(60);
    expect(a!.monteCarlo).toBeNull();
  });

  it('removes a donor\'s tranches in a what-if', () => {
    const [a] = forecastStock({ ...base, whatIf: [{ donor: 'FRA', remove: true }] }).groups;
    // without FRA's 50: d8 and d9 also unmet → 10 + 5 + 5 = 20
    expect(a!.deterministic.stock.slice(7)).toEqual([0, 0, 0]);
    expect(a!.deterministic.shortfall).toBe(20);
    expect(a!.tranches).toBe(1);
  });

  it('shifts a donor\'s tranches in a what-if', () => {
    const [a] = forecastStock({ ...base, whatIf: [{ donor: 'DEU', shiftDays: -1 }] }).groups;
    // DEU's 10 on day 4: d4 10 − 5 = 5, d5 0, d6 unmet 5, d7 unmet 5, d8 45
    expect(a!.deterministic.stock).toEqual([15, 10, 5, 0, 5, 0, 0, 0, 45, 40]);
    expect(a!.deterministic.firstStockOut).toBe('2026-01-07');
    expect(a!.deterministic.shortfall).toBe(10);
  });

  it('brings an overdue tranche in on day 0 and ignores one past the horizon', () => {
    const [a] = forecastStock({
      ...base,
      tranches: [
        { id: 'late', group: 'A', donor: 'DEU', expectedOn: '2025-12-01', quantity: 7 },
        { id: 'far', group: 'A', donor: 'DEU', expectedOn: '2026-02-01', quantity: 1000 },
      ],
    }).groups;
    // 20 + 7 = 27 on day 0 → 22, 17, 12, 7, 2, then d5 unmet 3 and d6–d9 unmet 5 each → 23
    expect(a!.deterministic.stock.slice(0, 6)).toEqual([22, 17, 12, 7, 2, 0]);
    expect(a!.deterministic.firstStockOut).toBe('2026-01-06');
    expect(a!.deterministic.shortfall).toBe(23);
    expect(a!.incomingWithinHorizon).toBe(7);
  });

  it('never stocks out without consumption', () => {
    const [a] = forecastStock({ ...base, groups: [{ group: 'A', onHand: 0, dailyConsumption: 0 }] }).groups;
    expect(a!.deterministic).toMatchObject({ firstStockOut: null, shortfall: 0 });
    expect(a!.deterministic.stock[9]).toBe(60);
  });

  it('refuses bad parameters with every problem listed', () => {
    try {
      forecastStock({ ...base, start: '2026-02-30', horizonDays: 0, groups: [{ group: 'A', onHand: -1, dailyConsumption: 1 }, { group: 'A', onHand: 1, dailyConsumption: 1 }] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).issues.map((i) => i.path)).toEqual(['/start', '/horizonDays', '/groups/0/onHand', '/groups/1/group']);
    }
  });
});

describe('forecastStock, Monte Carlo', () => {
  it('bootstraps each donor\'s slippages into a spread of outcomes', () => {
    // DEU slips 0 or 2 days with equal chance; FRA never slips.
    // DEU on day 5: as above, shortfall 10. DEU on day 7: d4, d5, d6 unmet (15), d7 +10 → 5, d8 50, d9 45.
    const [a] = forecastStock({ ...base, runs: 2000, seed: 7, slippageHistory: { DEU: [0, 2], FRA: [0] } }).groups;
    const mc = a!.monteCarlo!;
    expect(mc.runs).toBe(2000);
    // both outcomes stock out first on day 4
    expect(mc.stockOutProbability.slice(3, 5)).toEqual([0, 1]);
    expect(mc.firstStockOut).toEqual({ p10: '2026-01-05', p50: '2026-01-05', p90: '2026-01-05' });
    // day 5: stock 5 (on time) or 0 (late); day 7: 0 (on time, unmet) or 5 (late arrival that day)
    expect([mc.p10[5], mc.p90[5]]).toEqual([0, 5]);
    expect([mc.p10[7], mc.p90[7]]).toEqual([0, 5]);
    expect([mc.shortfall.p10, mc.shortfall.p90]).toEqual([10, 15]);
    expect(mc.shortfall.mean).toBeGreaterThan(12);
    expect(mc.shortfall.mean).toBeLessThan(13);
  });

  it('gives donors without history the pooled history of all donors', () => {
    // Only DEU has a history (always 3 days late); FRA's tranche therefore slips 3 days too: day 8 → 11, past the horizon.
    const [a] = forecastStock({ ...base, runs: 50, slippageHistory: { DEU: [3] } }).groups;
    // DEU's 10 on day 8: d4–d7 unmet 20, d8 +10 → 5, d9 0 → shortfall 20
    expect(a!.monteCarlo!.p50).toEqual([15, 10, 5, 0, 0, 0, 0, 0, 5, 0]);
    expect(a!.monteCarlo!.shortfall.p50).toBe(20);
  });

  it('draws an overdue tranche only among slippages at least as long as it is already late', () => {
    // Promised 9 days before the start; history [0, 5, 12, 20] → only 12 or 20 fit: arrival day 3 or day 11.
    const mc = forecastStock({
      start: '2026-01-10',
      horizonDays: 15,
      groups: [{ group: 'B', onHand: 0, dailyConsumption: 0 }],
      tranches: [{ id: 'T', group: 'B', donor: 'USA', expectedOn: '2026-01-01', quantity: 100 }],
      slippageHistory: { USA: [20, 0, 12, 5] },
      runs: 1000,
      seed: 3,
    }).groups[0]!.monteCarlo!;
    expect(mc.p90[2]).toBe(0);
    expect([mc.p10[3], mc.p90[3]]).toEqual([0, 100]);
    expect(mc.p10[10]).toBe(0);
    expect(mc.p10[11]).toBe(100);
  });

  it('takes a history as a histogram: lines[k] slippages of days[k] each', () => {
    // USA's history [0, 5, 5, 12, 20, 20, 20] as a histogram; promised 9 days before the start, only 12 or 20
    // fit (1 and 3 lines): arrival day 3 in a quarter of the runs, day 11 in the others.
    const input: ForecastInput = {
      start: '2026-01-10',
      horizonDays: 15,
      groups: [{ group: 'B', onHand: 0, dailyConsumption: 0 }],
      tranches: [{ id: 'T', group: 'B', donor: 'USA', expectedOn: '2026-01-01', quantity: 100 }],
      slippageHistogram: { USA: { days: [0, 5, 12, 20], lines: [1, 2, 1, 3] } },
      runs: 1000,
      seed: 3,
    };
    const mc = forecastStock(input).groups[0]!.monteCarlo!;
    expect([mc.p10[3], mc.p90[3]]).toEqual([0, 100]);
    expect(mc.p50[10]).toBe(0);
    expect(mc.p10[11]).toBe(100);
    // The same report, run for run, as the history written out in any order.
    const { slippageHistogram: _, ...rest } = input;
    expect(forecastStock(input)).toEqual(forecastStock({ ...rest, slippageHistory: { USA: [20, 5, 0, 20, 12, 5, 20] } }));
  });

  it('refuses a histogram whose days are not ascending whole days or whose lines are not whole and positive', () => {
    for (const bad of [{ days: [3, 1], lines: [1, 1] }, { days: [1, 1], lines: [1, 1] }, { days: [0.5], lines: [1] }, { days: [0], lines: [0] }, { days: [0, 1], lines: [1] }]) {
      expect(() => forecastStock({ ...base, slippageHistogram: { DEU: bad } })).toThrow(DomainError);
    }
    expect(() => forecastStock({ ...base, slippageHistory: { DEU: [1] }, slippageHistogram: { DEU: { days: [1], lines: [1] } } })).toThrow(DomainError);
  });

  it('starts the median run below the no-slippage line when overdue tranches may still take longer, and on it when they may not', () => {
    // Open question from the meeting brief's chart: on day 0 the median stock sat below the "no slippage" line.
    // That line brings every overdue tranche in on day 0; a run draws an overdue tranche's delay among the
    // donor's slippages at least as long as it is already late, so most runs bring it in later. Not a bug.
    // 30 on hand, 10 a day; 100 units 5 days overdue; a later tranche of 50 due on day 6.
    const input: ForecastInput = {
      start: '2026-03-10',
      horizonDays: 12,
      groups: [{ group: 'C', onHand: 30, dailyConsumption: 10 }],
      tranches: [
        { id: 'LATE', group: 'C', donor: 'ITA', expectedOn: '2026-03-05', quantity: 100 },
        { id: 'NEXT', group: 'C', donor: 'ESP', expectedOn: '2026-03-16', quantity: 50 },
      ],
      slippageHistory: { ITA: [0, 2, 5, 8, 9, 15], ESP: [0] },
      runs: 500,
      seed: 7,
    };
    const g = forecastStock(input).groups[0]!;
    expect(g.deterministic.stock[0]).toBe(120);
    // ITA's slippages ≥ 5 days: 5, 8, 9 or 15, i.e. day 0, 3, 4 or 10; the median run has it after day 0.
    expect(g.monteCarlo!.p50[0]).toBe(20);
    expect(g.monteCarlo!.p90[0]).toBe(120);
    // With a history in which ITA was never more than 5 days late, the runs bring it in on day 0 like the line.
    const onTime = forecastStock({ ...input, slippageHistory: { ITA: [0, 1, 5], ESP: [0] } }).groups[0]!;
    expect(onTime.monteCarlo!.p10[0]).toBe(120);
    expect(onTime.monteCarlo!.p50).toEqual(onTime.deterministic.stock);
  });

  it('reproduces the same result from the same seed', () => {
    const input: ForecastInput = { ...base, runs: 300, seed: 11, slippageHistory: { DEU: [0, 1, 2, 9], FRA: [-1, 4] } };
    expect(forecastStock(input)).toEqual(forecastStock(input));
  });

  it('forecasts 1,000 runs × 365 days × 20 groups with ordered percentile curves', () => {
    // Size is measured by the reports benchmark, not here: this checks the large case's shape.
    const groups = Array.from({ length: 20 }, (_, g) => ({ group: `G${g}`, onHand: 5000, dailyConsumption: 100 + g }));
    const tranches: IncomingTranche[] = [];
    for (let g = 0; g < 20; g++) for (let k = 0; k < 12; k++) tranches.push({ id: `G${g}-${k}`, group: `G${g}`, donor: ['DEU', 'FRA', 'USA', 'POL'][k % 4]!, expectedOn: addDays('2026-01-01', 30 * k), quantity: 3000 });
    const input: ForecastInput = { start: '2026-01-01', horizonDays: 365, groups, tranches, slippageHistory: { DEU: [0, 3, 10, 40], FRA: [-2, 0, 1, 5, 60], USA: [0, 0, 7] }, runs: 1000, seed: 5 };
    const report = forecastStock(input);
    expect(report.groups).toHaveLength(20);
    for (const g of report.groups) {
      const mc = g.monteCarlo!;
      expect(mc.p50).toHaveLength(mc.p10.length);
      for (let d = 0; d < mc.p10.length; d++) {
        expect(mc.p10[d]).toBeLessThanOrEqual(mc.p50[d]!);
        expect(mc.p50[d]).toBeLessThanOrEqual(mc.p90[d]!);
      }
    }
  });
});

const arbScenario = fc.record({
  horizonDays: fc.integer({ min: 1, max: 60 }),
  groups: fc.array(fc.record({ onHand: fc.nat(500), dailyConsumption: fc.nat(40) }), { minLength: 1, maxLength: 3 }),
  tranches: fc.array(
    fc.record({ g: fc.nat(2), donor: fc.constantFrom('DEU', 'FRA', 'USA'), offset: fc.integer({ min: -20, max: 80 }), quantity: fc.nat(400) }),
    { maxLength: 8 },
  ),
});

type Scenario = typeof arbScenario extends fc.Arbitrary<infer T> ? T : never;

function toInput(s: Scenario, extra: Partial<ForecastInput>): ForecastInput {
  return {
    start: '2026-03-01',
    horizonDays: s.horizonDays,
    groups: s.groups.map((g, i) => ({ group: `G${i}`, ...g })),
    tranches: s.tranches.map((t, i) => ({ id: `T${i}`, group: `G${t.g}`, donor: t.donor, expectedOn: addDays('2026-03-01', t.offset), quantity: t.quantity })),
    slippageHistory: {},
    ...extra,
  };
}

describe('forecast properties', () => {
  it('with no uncertainty the Monte Carlo percentiles equal the deterministic projection', () => {
    fc.assert(
      fc.property(arbScenario, fc.constantFrom<Record<string, number[]>>({}, { DEU: [0], FRA: [0], USA: [0] }, { DEU: [0, 0] }), fc.nat(), (s, history, seed) => {
        const report = forecastStock(toInput(s, { runs: 25, seed, slippageHistory: history }));
        for (const g of report.groups) {
          const mc = g.monteCarlo!;
          const det = g.deterministic;
          expect(mc.p10).toEqual(det.stock);
          expect(mc.p50).toEqual(det.stock);
          expect(mc.p90).toEqual(det.stock);
          expect(mc.shortfall.p50).toBe(det.shortfall);
          expect(mc.firstStockOut.p50).toBe(det.firstStockOut);
          const firstDay = det.firstStockOut === null ? Infinity : report.dates.indexOf(det.firstStockOut);
          mc.stockOutProbability.forEach((p, d) => expect(p).toBe(d >= firstDay ? 1 : 0));
        }
      }),
    );
  });

  it('never raises any stock percentile when a donor\'s tranches are removed', () => {
    fc.assert(
      fc.property(arbScenario, fc.constantFrom('DEU', 'FRA', 'USA'), fc.nat(), (s, donor, seed) => {
        const history = { DEU: [0, 4, 15], FRA: [-3, 2, 30] };
        const withAll = forecastStock(toInput(s, { runs: 40, seed, slippageHistory: history })).groups;
        const without = forecastStock(toInput(s, { runs: 40, seed, slippageHistory: history, whatIf: [{ donor, remove: true }] })).groups;
        without.forEach((g, i) => {
          const all = withAll[i]!;
          for (const k of ['p10', 'p50', 'p90'] as const) g.monteCarlo![k].forEach((v, d) => expect(v).toBeLessThanOrEqual(all.monteCarlo![k][d]!));
          g.monteCarlo!.stockOutProbability.forEach((p, d) => expect(p).toBeGreaterThanOrEqual(all.monteCarlo!.stockOutProbability[d]!));
          expect(g.deterministic.shortfall).toBeGreaterThanOrEqual(all.deterministic.shortfall);
        });
      }),
    );
  });

  // (The end-of-day stock itself may rise after a delay: unmet demand is lost, not carried over.)
  it('never lowers the shortfall nor postpones the first stock-out when a donor delivers later', () => {
    fc.assert(
      fc.property(arbScenario, fc.constantFrom('DEU', 'FRA', 'USA'), fc.integer({ min: 1, max: 30 }), (s, donor, days) => {
        const onTime = forecastStock(toInput(s, { runs: 0 })).groups;
        const later = forecastStock(toInput(s, { runs: 0, whatIf: [{ donor, shiftDays: days }] })).groups;
        later.forEach((g, i) => {
          const before = onTime[i]!.deterministic;
          expect(g.deterministic.shortfall).toBeGreaterThanOrEqual(before.shortfall);
          if (before.firstStockOut !== null) expect(g.deterministic.firstStockOut! <= before.firstStockOut).toBe(true);
        });
      }),
    );
  });

  it('gives the same report from each donor\'s histogram as from its list of slippages', () => {
    const arbHistory = fc.dictionary(fc.constantFrom('DEU', 'FRA', 'POL'), fc.array(fc.integer({ min: -10, max: 60 }), { maxLength: 12 }));
    fc.assert(
      fc.property(arbScenario, arbHistory, fc.nat(), fc.constantFrom<WhatIf[]>([], [{ donor: 'FRA', shiftDays: -5 }], [{ donor: 'DEU', remove: true }]), (s, history, seed, whatIf) => {
        // The histogram counted by hand: each distinct slippage with its number of occurrences, ascending.
        const histogram: Record<string, SlippageCounts> = {};
        for (const [donor, list] of Object.entries(history)) {
          const days = [...new Set(list)].sort((a, b) => a - b);
          histogram[donor] = { days, lines: days.map((d) => list.filter((x) => x === d).length) };
        }
        const fromList = forecastStock(toInput(s, { runs: 20, seed, slippageHistory: history, whatIf }));
        const fromHistogram = forecastStock(toInput(s, { runs: 20, seed, slippageHistory: undefined, slippageHistogram: histogram, whatIf }));
        expect(fromHistogram).toEqual(fromList);
      }),
    );
  });

  it('keeps the stock-out probability a non-decreasing share', () => {
    fc.assert(
      fc.property(arbScenario, fc.nat(), (s, seed) => {
        for (const g of forecastStock(toInput(s, { runs: 30, seed, slippageHistory: { DEU: [0, 10, 25] } })).groups) {
          const p = g.monteCarlo!.stockOutProbability;
          p.forEach((x, d) => {
            expect(x).toBeGreaterThanOrEqual(d === 0 ? 0 : p[d - 1]!);
            expect(x).toBeLessThanOrEqual(1);
          });
          expect(g.monteCarlo!.probabilityOfStockOut).toBe(p[p.length - 1]);
        }
      }),
    );
  });
});

describe('projectStock', () => {
  it('handles fractional consumption without a spurious stock-out', () => {
    // 1 on hand, 0.1 a day: covers exactly 10 days despite 0.1 not being exact in binary
    const r = projectStock(1, 0.1, [], 11);
    expect(r.firstStockOutDay).toBe(10);
    expect(r.shortfall).toBeCloseTo(0.1, 9);
  });
});
