import type { AllocationResult, UnmetReason } from './types.ts';

/** The figures of a solution that its terminal summary states: what writeAllocationJson returns instead of the result. */
export interface AllocationFigures {
  objective: number;
  allocatedUnits: number;
  allocationLines: number;
  /** Lines delivered after the need date, and their units. */
  lateLines: number;
  lateUnits: number;
  unmetLines: number;
  unmetUnits: number;
  /** In the order each reason first appears among the unmet lines. */
  unmetByReason: { reason: UnmetReason; lines: number; units: number }[];
}

/** One paragraph for a terminal: what was allocated, what is left unmet and why. */
export function summariseAllocation(result: AllocationResult): string {
  return summariseFigures(allocationFigures(result));
}

/** The figures of a result, each sum taken in the result's order (as writeAllocationJson takes them). */
export function allocationFigures(result: AllocationResult): AllocationFigures {
  const figures = emptyFigures(result.objective);
  for (const a of result.allocations) countAllocation(figures, a.quantity, a.lateDays);
  for (const u of result.unmet) countUnmet(figures, u.quantity, u.reason);
  return figures;
}

/** The paragraph of summariseAllocation, from figures. */
export function summariseFigures(f: AllocationFigures): string {
  const unmetText =
    f.unmetLines === 0
      ? 'every requirement is met in full'
      : `${f.unmetLines} requirements are left short by ${f.unmetUnits} units (${f.unmetByReason
          .map((e) => `${e.reason}: ${e.lines} lines, ${e.units} units`)
          .join('; ')})`;
  return `Optimal allocation: objective ${f.objective}; ${f.allocatedUnits} units in ${f.allocationLines} pledge-to-requirement lines, ${f.lateUnits} of them late (${f.lateLines} lines); ${unmetText}.`;
}

/** Figures before any line is counted; countAllocation and countUnmet add lines in the result's order. */
export function emptyFigures(objective: number): AllocationFigures {
  return { objective, allocatedUnits: 0, allocationLines: 0, lateLines: 0, lateUnits: 0, unmetLines: 0, unmetUnits: 0, unmetByReason: [] };
}

/** Counts one allocation line. */
export function countAllocation(f: AllocationFigures, quantity: number, lateDays: number): void {
  f.allocatedUnits += quantity;
  f.allocationLines += 1;
  if (lateDays > 0) {
    f.lateLines += 1;
    f.lateUnits += quantity;
  }
}

/** Counts one unmet line under its reason. */
export function countUnmet(f: AllocationFigures, quantity: number, reason: UnmetReason): void {
  f.unmetLines += 1;
  f.unmetUnits += quantity;
  let entry = f.unmetByReason.find((e) => e.reason === reason);
  if (!entry) f.unmetByReason.push((entry = { reason, lines: 0, units: 0 }));
  entry.lines += 1;
  entry.units += quantity;
}
