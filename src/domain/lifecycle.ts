import { conflict } from './errors.ts';

/** An explicit state machine: each state maps to the states it may move to. */
export type Lifecycle<S extends string> = Readonly<Record<S, readonly S[]>>;

/** The states a record in `from` may move to next. */
export function allowedNext<S extends string>(lifecycle: Lifecycle<S>, from: S): readonly S[] {
  return lifecycle[from];
}

/**
 * Refuses a transition the lifecycle does not allow, naming the current state and the allowed
 * next ones so that the user knows what to do instead.
 */
export function assertTransition<S extends string>(
  entity: string,
  lifecycle: Lifecycle<S>,
  from: S,
  to: S,
): void {
  const next = lifecycle[from];
  if (next.includes(to)) return;
  const allowed = next.length === 0 ? 'none: it is final' : next.join(', ');
  throw conflict(`${entity} cannot move from ${from} to ${to}; allowed next states from ${from}: ${allowed}`, [
    { path: '/status', message: `illegal transition ${from} → ${to}` },
  ]);
}
