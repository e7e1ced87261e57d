import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate } from './allocate.ts';
import { generateInstance } from '../../../bench/allocate/generate.ts';
import { fromDayNumber, dayNumber } from '../../domain/dates.ts';
import type { AllocationProblem } from './types.ts';
import { checkSolution, loadOracle, oracleObjective } from './oracle.test-helpers.ts';

beforeAll(loadOracle);

/** Which solver took each component. */
function solvers(problem: AllocationProblem): { result: ReturnType<typeof allocate>; used: string[] } {
  const used: string[] = [];
  const result = allocate(problem, { onStats: (s) => used.push(s.solver) });
  return { result, used };
}

const START = dayNumber('2026-01-01');

/** One group, no caveats, no designations: every component is one time chain. */
const oneChain = fc
  .record({
    latePenaltyPerDay: fc.constantFrom(0, 1, 3, 0.5, 12.25, 1000),
    requirements: fc.array(
      fc.record({
        quantity: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constant(2 ** 40)),
        weight: fc.constantFrom(1000, 100, 30, 10, 1, 12.5),
        day: fc.integer({ min: 0, max: 90 }),
      }),
      { maxLength: 12 },
    ),
    pledges: fc.array(
      fc.record({
        quantity: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constant(2 ** 40)),
        day: fc.integer({ min: 0, max: 90 }),
      }),
      { maxLength: 12 },
    ),
  })
  .map(
    (raw): AllocationProblem => ({
      latePenaltyPerDay: raw.latePenaltyPerDay,
      requirements: raw.requirements.map((r, i) => ({ id: `R-${i}`, accepts: ['g'], quantity: r.quantity, weight: r.weight, needBy: fromDayNumber(START + r.day), uses: [] })),
      pledges: raw.pledges.map((p, i) => ({ id: `P-${i}`, donor: 'DEU', group: 'g', quantity: p.quantity, available: fromDayNumber(START + p.day), forbids: [], designatedTo: null })),
    }),
  );

describe('chain solver', () => {
  it('finds the HiGHS optimum on one-chain instances by itself, never falling back to the network simplex', () => {
    fc.assert(
      fc.property(oneChain, (problem) => {
        const { result, used } = solvers(problem);
        expect(used.every((s) => s === 'chain')).toBe(true);
        const objective = checkSolution(problem, result);
        const oracle = oracleObjective(problem);
        expect(Math.abs(objective - oracle)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(oracle)));
      }),
      { numRuns: Number(process.env.ALLOCATE_RUNS ?? 300) },
    );
  });

  it('equals the network simplex on long generated chains (hundreds of dates, many groups)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 50, max: 600 }), (seed, n) => {
        const problem = generateInstance({ requirements: n, pledges: 2 * n, groups: 3, multiAccept: 0, caveats: false, designated: 0, seed });
        const { result, used } = solvers(problem);
        expect(used.length).toBeGreaterThan(0);
        expect(used.every((s) => s === 'chain')).toBe(true);
        const simplex = allocate(problem, { chainSolver: false });
        expect(result.objective).toBe(simplex.objective);
        expect(checkSolution(problem, result)).toBe(result.objective);
      }),
      { numRuns: 60 },
    );
  });

  it('gives late supply to the on-time need when that is worth more (hand-worked)', () => {
    // One round, available 2026-01-11. R-early (weight 15) was needed 2026-01-01: 10 days late at 1 per
    // day, worth 15 − 10 = 5. R-later (weight 6) is needed 2026-01-11: on time, worth 6. Optimum: 6.
    const { result, used } = solvers({
      latePenaltyPerDay: 1,
      requirements: [
        { id: 'R-early', accepts: ['g'], quantity: 1, weight: 15, needBy: '2026-01-01', uses: [] },
        { id: 'R-later', accepts: ['g'], quantity: 1, weight: 6, needBy: '2026-01-11', uses: [] },
      ],
      pledges: [{ id: 'P', donor: 'DEU', group: 'g', quantity: 1, available: '2026-01-11', forbids: [], designatedTo: null }],
    });
    expect(used).toEqual(['chain']);
    expect(result.objective).toBe(6);
    expect(result.allocations).toEqual([{ pledge: 'P', requirement: 'R-later', quantity: 1, lateDays: 0 }]);
    expect(result.unmet).toEqual([{ requirement: 'R-early', quantity: 1, reason: 'outranked' }]);
  });

  it('serves the earlier need late when the later need can wait for later supply (hand-worked)', () => {
    // P-1 (1 unit, 2026-01-11) and P-2 (1 unit, 2026-01-21). R-a (weight 15, needed 2026-01-01) and R-b
    // (weight 12, needed 2026-01-21). Best: P-1 → R-a, 10 days late: 5; P-2 → R-b on time: 12. Total 17
    // (the other way round, P-2 → R-a is 20 days late and worth nothing).
    const { result, used } = solvers({
      latePenaltyPerDay: 1,
      requirements: [
        { id: 'R-a', accepts: ['g'], quantity: 1, weight: 15, needBy: '2026-01-01', uses: [] },
        { id: 'R-b', accepts: ['g'], quantity: 1, weight: 12, needBy: '2026-01-21', uses: [] },
      ],
      pledges: [
        { id: 'P-1', donor: 'DEU', group: 'g', quantity: 1, available: '2026-01-11', forbids: [], designatedTo: null },
        { id: 'P-2', donor: 'POL', group: 'g', quantity: 1, available: '2026-01-21', forbids: [], designatedTo: null },
      ],
    });
    expect(used).toEqual(['chain']);
    expect(result.objective).toBe(17);
    expect(result.allocations).toEqual([
      { pledge: 'P-1', requirement: 'R-a', quantity: 1, lateDays: 10 },
      { pledge: 'P-2', requirement: 'R-b', quantity: 1, lateDays: 0 },
    ]);
  });

  it('leaves a chain whose units add up past 2^53 to the network simplex, which finds the same optimum', () => {
    // Four needs of 2^52 units each (2^54 in all) on one chain: the recursion's running totals would not
    // be exact, so the component goes to the simplex. Supply: 2^40 units, all to the heaviest need.
    const big = 2 ** 52;
    const problem: AllocationProblem = {
      latePenaltyPerDay: 1,
      requirements: [1000, 100, 10, 1].map((weight, i) => ({ id: `R-${i}`, accepts: ['g'], quantity: big, weight, needBy: '2026-02-01', uses: [] })),
      pledges: [{ id: 'P', donor: 'DEU', group: 'g', quantity: 2 ** 40, available: '2026-01-01', forbids: [], designatedTo: null }],
    };
    const { result, used } = solvers(problem);
    expect(used).toEqual(['simplex']);
    expect(result.objective).toBe(2 ** 40 * 1000);
    expect(result.allocations).toEqual([{ pledge: 'P', requirement: 'R-0', quantity: 2 ** 40, lateDays: 0 }]);
  });

  it('leaves components with caveat classes, several groups or designations to the network simplex', () => {
    const problem = generateInstance({ requirements: 40, pledges: 80, groups: 3, multiAccept: 0.3, caveats: true, designated: 0.1, seed: 9 });
    const { used } = solvers(problem);
    expect(used).toContain('simplex');
  });
});
