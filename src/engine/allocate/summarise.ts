import type { AllocationResult } from './types.ts';

/** One paragraph for a terminal: what was allocated, what is left unmet and why. */
export function summariseAllocation(result: AllocationResult): string {
  const allocated = result.allocations.reduce((s, a) => s + a.quantity, 0);
  const late = result.allocations.filter((a) => a.lateDays > 0);
  const lateUnits = late.reduce((s, a) => s + a.quantity, 0);
  const byReason = new Map<string, { lines: number; quantity: number }>();
  for (const u of result.unmet) {
    const entry = byReason.get(u.reason) ?? { lines: 0, quantity: 0 };
    entry.lines += 1;
    entry.quantity += u.quantity;
    byReason.set(u.reason, entry);
  }
  const unmetText =
    result.unmet.length === 0
      ? 'every requirement is met in full'
      : `${result.unmet.length} requirements are left short by ${result.unmet.reduce((s, u) => s + u.quantity, 0)} units (${[...byReason]
          .map(([reason, e]) => `${reason}: ${e.lines} lines, ${e.quantity} units`)
          .join('; ')})`;
  return `Optimal allocation: objective ${result.objective}; ${allocated} units in ${result.allocations.length} pledge-to-requirement lines, ${lateUnits} of them late (${late.length} lines); ${unmetText}.`;
}
