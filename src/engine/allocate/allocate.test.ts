import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate } from './allocate.ts';
import { generateInstance } from '../../../bench/allocate/generate.ts';
import type { AllocationProblem } from './types.ts';
import { checkSolution, loadOracle, oracleObjective } from './oracle.test-helpers.ts';

beforeAll(loadOracle);

const DATES = ['2026-01-01', '2026-01-05', '2026-01-20', '2026-02-10', '2026-03-01', '2026-04-15'];
const GROUPS = ['155mm-he', '152mm-he', 'pac-3'];
const TAGS = ['cross-border', 'offensive'];

/** Random small instances covering the contract's edge cases. */
const instance = fc
  .record({
    latePenaltyPerDay: fc.oneof(fc.constant(0), fc.constant(1), fc.constantFrom(0.5, 2.25, 7, 40)),
    requirements: fc.array(
      fc.record({
        accepts: fc.uniqueArray(fc.constantFrom(...GROUPS), { minLength: 1, maxLength: 2 }),
        quantity: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constant(2 ** 40)),
        weight: fc.constantFrom(1000, 100, 10, 1, 12.5, 0.75),
        needBy: fc.constantFrom(...DATES),
        uses: fc.subarray(TAGS),
      }),
      { maxLength: 7 },
    ),
    pledges: fc.array(
      fc.record({
        group: fc.constantFrom(...GROUPS),
        quantity: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constant(2 ** 40)),
        available: fc.constantFrom(...DATES),
        forbids: fc.subarray(TAGS),
        designate: fc.option(fc.nat(10), { freq: 4 }),
      }),
      { maxLength: 8 },
    ),
  })
  .map(
    (raw): AllocationProblem => ({
      latePenaltyPerDay: raw.latePenaltyPerDay,
      requirements: raw.requirements.map((r, i) => ({ id: `R-${i}`, ...r })),
      pledges: raw.pledges.map((p, i) => ({
        id: `P-${i}`,
        donor: 'DEU',
        group: p.group,
        quantity: p.quantity,
        available: p.available,
        forbids: p.forbids,
        designatedTo: p.designate === null || raw.requirements.length === 0 ? null : `R-${p.designate % raw.requirements.length}`,
      })),
    }),
  );

describe('allocate', () => {
  it('finds the same optimum as HiGHS on the plain LP, with a feasible, integral, allowed solution', () => {
    fc.assert(
      fc.property(instance, (problem) => {
        const result = allocate(problem);
        const objective = checkSolution(problem, result);
        const oracle = oracleObjective(problem);
        expect(Math.abs(objective - oracle)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(oracle)));
      }),
      { numRuns: Number(process.env.ALLOCATE_RUNS ?? 300) },
    );
  });

  it('matches HiGHS on benchmark-like instances: long time chains, caveats, multi-group accepts, designations', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 2, max: 25 }), fc.boolean(), (seed, n, rich) => {
        const problem = generateInstance({ requirements: n, pledges: 2 * n, groups: rich ? 3 : 1, multiAccept: rich ? 0.3 : 0, caveats: rich, designated: rich ? 0.1 : 0, seed });
        const objective = checkSolution(problem, allocate(problem));
        const oracle = oracleObjective(problem);
        expect(Math.abs(objective - oracle)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(oracle)));
      }),
      { numRuns: 150 },
    );
  });

  it('gives on-time supply to the heavier need and says the lighter one is outranked (hand-worked)', () => {
    // P-1: 100 rounds on 2026-02-01. R-p1 (weight 1000) and R-p3 (weight 10) both want 80 by 2026-03-01.
    // Optimum: 80 to R-p1 (80 × 1000 = 80,000) and the remaining 20 to R-p3 (20 × 10 = 200): 80,200.
    const result = allocate({
      latePenaltyPerDay: 1,
      requirements: [
        { id: 'R-p3', accepts: ['155mm-he'], quantity: 80, weight: 10, needBy: '2026-03-01', uses: [] },
        { id: 'R-p1', accepts: ['155mm-he'], quantity: 80, weight: 1000, needBy: '2026-03-01', uses: [] },
      ],
      pledges: [{ id: 'P-1', donor: 'DEU', group: '155mm-he', quantity: 100, available: '2026-02-01', forbids: [], designatedTo: null }],
    });
    expect(result.objective).toBe(80_200);
    // Allocations come in the order of the input's requirements.
    expect(result.allocations).toEqual([
      { pledge: 'P-1', requirement: 'R-p3', quantity: 20, lateDays: 0 },
      { pledge: 'P-1', requirement: 'R-p1', quantity: 80, lateDays: 0 },
    ]);
    expect(result.unmet).toEqual([{ requirement: 'R-p3', quantity: 60, reason: 'outranked' }]);
  });

  it('charges lateness per day and refuses supply whose lateness eats the whole weight', () => {
    // R-1 weight 10 needed 2026-01-01; penalty 1/day. P-late arrives 2026-01-20: 19 days late → worth 10 − 19 < 0.
    // P-ok arrives 2026-01-05: 4 days late → worth 6 per unit, 5 units → 30.
    const result = allocate({
      latePenaltyPerDay: 1,
      requirements: [{ id: 'R-1', accepts: ['g'], quantity: 10, weight: 10, needBy: '2026-01-01', uses: [] }],
      pledges: [
        { id: 'P-late', donor: 'DEU', group: 'g', quantity: 50, available: '2026-01-20', forbids: [], designatedTo: null },
        { id: 'P-ok', donor: 'POL', group: 'g', quantity: 5, available: '2026-01-05', forbids: [], designatedTo: null },
      ],
    });
    expect(result.objective).toBe(30);
    expect(result.allocations).toEqual([{ pledge: 'P-ok', requirement: 'R-1', quantity: 5, lateDays: 4 }]);
    expect(result.unmet).toEqual([{ requirement: 'R-1', quantity: 5, reason: 'outranked' }]);
  });

  it('names the reason of each unmet need: no compatible supply, or supply too late', () => {
    const result = allocate({
      latePenaltyPerDay: 100,
      requirements: [
        { id: 'R-caveat', accepts: ['g'], quantity: 3, weight: 1000, needBy: '2026-05-01', uses: ['cross-border'] },
        { id: 'R-late', accepts: ['h'], quantity: 3, weight: 1000, needBy: '2026-01-01', uses: [] },
      ],
      pledges: [
        { id: 'P-g', donor: 'DEU', group: 'g', quantity: 9, available: '2026-01-01', forbids: ['cross-border'], designatedTo: null },
        // 20 days late × 100 = 2,000 > weight 1,000: worth negative.
        { id: 'P-h', donor: 'DEU', group: 'h', quantity: 9, available: '2026-01-21', forbids: [], designatedTo: null },
      ],
    });
    expect(result.allocations).toEqual([]);
    expect(result.unmet).toEqual([
      { requirement: 'R-caveat', quantity: 3, reason: 'no-compatible-supply' },
      { requirement: 'R-late', quantity: 3, reason: 'supply-too-late' },
    ]);
  });

  it('keeps a designated pledge with its requirement even when another need weighs more', () => {
    const result = allocate({
      latePenaltyPerDay: 0,
      requirements: [
        { id: 'R-heavy', accepts: ['g'], quantity: 5, weight: 1000, needBy: '2026-01-01', uses: [] },
        { id: 'R-light', accepts: ['g'], quantity: 5, weight: 1, needBy: '2026-01-01', uses: [] },
      ],
      pledges: [{ id: 'P-d', donor: 'DEU', group: 'g', quantity: 5, available: '2026-01-01', forbids: [], designatedTo: 'R-light' }],
    });
    expect(result.allocations).toEqual([{ pledge: 'P-d', requirement: 'R-light', quantity: 5, lateDays: 0 }]);
    expect(result.unmet).toEqual([{ requirement: 'R-heavy', quantity: 5, reason: 'no-compatible-supply' }]);
  });

  it('solves empty sides', () => {
    expect(allocate({ latePenaltyPerDay: 1, requirements: [], pledges: [] })).toEqual({ objective: 0, allocations: [], unmet: [] });
    const onlyNeeds = allocate({ latePenaltyPerDay: 1, requirements: [{ id: 'R', accepts: ['g'], quantity: 4, weight: 1, needBy: '2026-01-01', uses: [] }], pledges: [] });
    expect(onlyNeeds.unmet).toEqual([{ requirement: 'R', quantity: 4, reason: 'no-compatible-supply' }]);
  });
});
