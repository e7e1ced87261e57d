import { expect } from 'vitest';
import highsModule, { type Highs } from 'highs';
import { dayNumber } from '../../domain/dates.ts';
import type { AllocationProblem, AllocationResult } from './types.ts';

// The package's types describe a CommonJS module; at run time ESM gives the loader as the default export.
const loadHighs = ((highsModule as unknown as { default?: unknown }).default ?? highsModule) as unknown as () => Promise<Highs>;
let highs: Highs | undefined;
/** Loads HiGHS once per test file. */
export async function loadOracle(): Promise<void> {
  highs ??= await loadHighs();
}

/** Worth of one unit of pledge p for requirement r, straight from the contract. */
export function worth(problem: AllocationProblem, p: number, r: number): number {
  const pl = problem.pledges[p]!;
  const rq = problem.requirements[r]!;
  return rq.weight - problem.latePenaltyPerDay * Math.max(0, dayNumber(pl.available) - dayNumber(rq.needBy));
}

/** Whether the contract allows the pair at all. */
export function allowed(problem: AllocationProblem, p: number, r: number): boolean {
  const pl = problem.pledges[p]!;
  const rq = problem.requirements[r]!;
  if (!rq.accepts.includes(pl.group)) return false;
  if (pl.forbids.some((t) => rq.uses.includes(t))) return false;
  if (pl.designatedTo !== null && pl.designatedTo !== rq.id) return false;
  return worth(problem, p, r) > 0;
}

/** The oracle: the plain LP with one variable per allowed pair, solved by HiGHS. */
export function oracleObjective(problem: AllocationProblem): number {
  const terms: string[] = [];
  const pledgeRows = problem.pledges.map(() => [] as string[]);
  const reqRows = problem.requirements.map(() => [] as string[]);
  problem.pledges.forEach((_, p) =>
    problem.requirements.forEach((_, r) => {
      if (!allowed(problem, p, r)) return;
      const v = `x_${p}_${r}`;
      terms.push(`${worth(problem, p, r)} ${v}`);
      pledgeRows[p]!.push(v);
      reqRows[r]!.push(v);
    }),
  );
  if (terms.length === 0) return 0;
  const rows: string[] = [];
  pledgeRows.forEach((vs, p) => vs.length && rows.push(` p${p}: ${vs.join(' + ')} <= ${problem.pledges[p]!.quantity}`));
  reqRows.forEach((vs, r) => vs.length && rows.push(` r${r}: ${vs.join(' + ')} <= ${problem.requirements[r]!.quantity}`));
  const lp = `Maximize\n obj: ${terms.join(' + ')}\nSubject To\n${rows.join('\n')}\nEnd\n`;
  if (!highs) throw new Error('call loadOracle() first');
  const solution = highs.solve(lp);
  expect(solution.Status).toBe('Optimal');
  return solution.ObjectiveValue;
}

/** Every invariant of a solution against its problem; returns the objective recomputed from the pairs. */
export function checkSolution(problem: AllocationProblem, result: AllocationResult): number {
  const pIndex = new Map(problem.pledges.map((p, i) => [p.id, i]));
  const rIndex = new Map(problem.requirements.map((r, i) => [r.id, i]));
  const usedP = new Map<number, number>();
  const usedR = new Map<number, number>();
  let objective = 0;
  for (const a of result.allocations) {
    const p = pIndex.get(a.pledge)!;
    const r = rIndex.get(a.requirement)!;
    expect(Number.isInteger(a.quantity) && a.quantity > 0).toBe(true);
    expect(allowed(problem, p, r)).toBe(true);
    expect(a.lateDays).toBe(Math.max(0, dayNumber(problem.pledges[p]!.available) - dayNumber(problem.requirements[r]!.needBy)));
    usedP.set(p, (usedP.get(p) ?? 0) + a.quantity);
    usedR.set(r, (usedR.get(r) ?? 0) + a.quantity);
    objective += a.quantity * worth(problem, p, r);
  }
  for (const [p, q] of usedP) expect(q).toBeLessThanOrEqual(problem.pledges[p]!.quantity);
  for (const [r, q] of usedR) expect(q).toBeLessThanOrEqual(problem.requirements[r]!.quantity);
  // Unmet lines are exactly what is left of each requirement, with the reason the contract names.
  const unmet = new Map(result.unmet.map((u) => [u.requirement, u]));
  problem.requirements.forEach((rq, r) => {
    const left = rq.quantity - (usedR.get(r) ?? 0);
    const u = unmet.get(rq.id);
    if (left === 0) return expect(u).toBeUndefined();
    expect(u?.quantity).toBe(left);
    const compatible = problem.pledges.some(
      (pl) => rq.accepts.includes(pl.group) && !pl.forbids.some((t) => rq.uses.includes(t)) && (pl.designatedTo === null || pl.designatedTo === rq.id),
    );
    const positive = problem.pledges.some((_, p) => allowed(problem, p, r));
    expect(u?.reason).toBe(!compatible ? 'no-compatible-supply' : !positive ? 'supply-too-late' : 'outranked');
  });
  expect(result.objective).toBeCloseTo(objective, 6);
  return objective;
}

