import type { Lifecycle } from '../../../domain/lifecycle.ts';

/**
 * Whether a row may change a stored record whose status is `from` into one whose status is `to`:
 * - a record in a final state (no next states) no longer changes at all;
 * - a status change must be one legal step of the lifecycle, as through the API.
 * Returns the row issue, or undefined when the change is allowed.
 */
export function lifecycleIssue<S extends string>(entity: string, id: string, lifecycle: Lifecycle<S>, from: S, to: S): { column: string; message: string } | undefined {
  const next = lifecycle[from];
  if (next.length === 0) return { column: 'status', message: `${entity} ${id} is ${from}, which is final: it can no longer change` };
  if (from !== to && !next.includes(to)) {
    return { column: 'status', message: `${entity} ${id} cannot move from ${from} to ${to}; allowed next states from ${from}: ${next.join(', ')}` };
  }
  return undefined;
}
