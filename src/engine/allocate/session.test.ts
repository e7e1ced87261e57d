import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromDayNumber, dayNumber } from '../../domain/dates.ts';
import { generateInstance } from '../../../bench/allocate/generate.ts';
import { allocate } from './allocate.ts';
import { checkSolution } from './oracle.test-helpers.ts';
import { createAllocationSession } from './session.ts';
import type { AllocationPledge, AllocationProblem, AllocationResult } from './types.ts';

/** A change of quantity and/or date of pledge `index`, drawn from the seed. */
function change(problem: AllocationProblem, index: number, seed: number): AllocationPledge {
  const old = problem.pledges[index]!;
  const kind = seed % 3;
  const quantity = kind === 1 ? old.quantity : 1 + ((seed >>> 2) % 30_000);
  const available = kind === 0 ? old.available : fromDayNumber(dayNumber('2026-01-01') - 90 + ((seed >>> 4) % 900));
  return { ...old, quantity, available };
}

describe('createAllocationSession', () => {
  it('re-plans after a pledge changes quantity or date to the same optimum as a fresh solve', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 2, max: 40 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (seed, n, changes) => {
        let problem = generateInstance({ requirements: n, pledges: 2 * n, groups: 3, multiAccept: 0.3, caveats: true, designated: 0.1, seed });
        const session = createAllocationSession(problem, { budgetMs: Infinity });
        for (const c of changes) {
          const index = c % problem.pledges.length;
          const pledge = change(problem, index, c);
          const before = session.result;
          const replanned = session.replacePledge(pledge);
          const result = session.result;
          problem = { ...problem, pledges: problem.pledges.map((p, i) => (i === index ? pledge : p)) };
          expect(session.lastMode).toBe('warm');
          expect(replanned.objective).toBe(result.objective);
          // The change names every requirement whose lines differ, with its lines as the result lists them.
          const listed = new Map(replanned.requirements.map((x) => [x.requirement, x]));
          for (const rq of problem.requirements) {
            const lines = (res: AllocationResult) => ({ allocations: res.allocations.filter((a) => a.requirement === rq.id), unmet: res.unmet.find((u) => u.requirement === rq.id) ?? null });
            const now = lines(result);
            if (listed.has(rq.id)) expect({ allocations: listed.get(rq.id)!.allocations, unmet: listed.get(rq.id)!.unmet }).toEqual(now);
            else expect(now).toEqual(lines(before));
          }
          const objective = checkSolution(problem, result);
          const fresh = allocate(problem).objective;
          expect(Math.abs(objective - fresh)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(fresh)));
          expect(result.objective).toBeCloseTo(fresh, 6);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('stays optimal when a changed pledge leaves through a bypass the read-back cannot place (found by a stress run)', () => {
    // Seed 125824, 31 requirements: the fourth change moved P-46 to a day its chain had no node for,
    // after P-2's quantity had grown at its own node. The flow was optimal, but reading it back handed
    // P-2's units that leave by its node's retired artificial arc on along the chain, credited an earlier
    // need with them 33 days late, and lost 56,529 of worth. The read-back now keeps those units at the
    // node; the session also checks every read-back against the flow's worth.
    let problem = generateInstance({ requirements: 31, pledges: 62, groups: 3, multiAccept: 0.3, caveats: true, designated: 0.1, seed: 125824 });
    const session = createAllocationSession(problem, { budgetMs: Infinity });
    for (const c of [2051171328, 2696725504, 2350359552, 2986935296]) {
      const index = c % problem.pledges.length;
      const pledge = change(problem, index, c);
      session.replacePledge(pledge);
      problem = { ...problem, pledges: problem.pledges.map((p, i) => (i === index ? pledge : p)) };
      expect(session.lastMode).toBe('warm');
      expect(checkSolution(problem, session.result)).toBe(allocate(problem).objective);
    }
  });

  it('solves again in full when a pledge changes group, caveats or designation', () => {
    const problem: AllocationProblem = {
      latePenaltyPerDay: 1,
      requirements: [
        { id: 'R-a', accepts: ['a'], quantity: 10, weight: 100, needBy: '2026-03-01', uses: ['cross-border'] },
        { id: 'R-b', accepts: ['b'], quantity: 10, weight: 10, needBy: '2026-03-01', uses: [] },
      ],
      pledges: [{ id: 'P-1', donor: 'DEU', group: 'a', quantity: 8, available: '2026-02-01', forbids: [], designatedTo: null }],
    };
    const session = createAllocationSession(problem);
    expect(session.result.objective).toBe(800);
    // Same pledge, now forbidding cross-border use: R-a may no longer take it.
    session.replacePledge({ ...problem.pledges[0]!, forbids: ['cross-border'] });
    const result = session.result;
    expect(session.lastMode).toBe('full');
    expect(result.allocations).toEqual([]);
    expect(result.unmet[0]).toEqual({ requirement: 'R-a', quantity: 10, reason: 'no-compatible-supply' });
  });

  it('moves a pledge to a date no line had and charges the lateness from there (hand-worked)', () => {
    // R-1 (weight 10) needs 5 by 2026-01-10; P-1 moves from 2026-01-01 (on time: 5 × 10 = 50) to
    // 2026-01-13, a day no node had: 3 days late, worth 10 − 3 = 7 a unit, 5 × 7 = 35.
    const problem: AllocationProblem = {
      latePenaltyPerDay: 1,
      requirements: [{ id: 'R-1', accepts: ['g'], quantity: 5, weight: 10, needBy: '2026-01-10', uses: [] }],
      pledges: [
        { id: 'P-1', donor: 'DEU', group: 'g', quantity: 9, available: '2026-01-01', forbids: [], designatedTo: null },
        { id: 'P-2', donor: 'POL', group: 'g', quantity: 1, available: '2026-01-20', forbids: [], designatedTo: null },
      ],
    };
    const session = createAllocationSession(problem, { budgetMs: Infinity });
    expect(session.result.objective).toBe(50);
    const change = session.replacePledge({ ...problem.pledges[0]!, available: '2026-01-13' });
    const result = session.result;
    expect(session.lastMode).toBe('warm');
    expect(change).toEqual({ objective: 35, requirements: [{ requirement: 'R-1', allocations: [{ pledge: 'P-1', requirement: 'R-1', quantity: 5, lateDays: 3 }], unmet: null }] });
    expect(result.objective).toBe(35);
    expect(result.allocations).toEqual([{ pledge: 'P-1', requirement: 'R-1', quantity: 5, lateDays: 3 }]);
  });

  it('solves in full, to the same optimum, when a warm re-plan runs past its time budget', () => {
    let problem = generateInstance({ requirements: 300, pledges: 600, groups: 4, multiAccept: 0.3, caveats: true, designated: 0.05, seed: 11 });
    // A budget already spent: the warm attempt gives up at its first search.
    const session = createAllocationSession(problem, { budgetMs: -1 });
    const pledge = { ...problem.pledges[7]!, quantity: problem.pledges[7]!.quantity * 3 + 5 };
    session.replacePledge(pledge);
    const result = session.result;
    problem = { ...problem, pledges: problem.pledges.map((p, i) => (i === 7 ? pledge : p)) };
    expect(session.lastMode).toBe('full');
    // The session's network keeps every attachment, so ties may split differently: same optimum.
    expect(checkSolution(problem, result)).toBe(allocate(problem).objective);
  });
});
