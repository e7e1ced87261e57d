import { DomainError, notFound } from '../../domain/errors.ts';
import type { Actor } from '../context.ts';
import { mayReadLine, type Releasable } from '../access/releasability.ts';

/**
 * Record-level access to pledges and deliveries, on top of the role table in policy.ts, by each pledge's
 * releasability (src/services/access/releasability.ts):
 * - a donor changes only its own nation's pledges and their deliveries, and reads its own and those
 *   released to it (`REL TO` its nation, `all participants`);
 * - the recipient reads what is released to it (by default every pledge, unless a donor keeps it back);
 * - industry and observers see aggregates only, never single pledge lines;
 * - coordinators read everything.
 * Row-level security in the database applies the same rule again (migration 0005-row-security).
 */

/** Refuses a write on a donor's record by another donor. */
export function assertOwnPledge(actor: Actor, donor: string, verb: string): void {
  if (actor.role === 'donor' && actor.nation !== donor) {
    throw new DomainError('not_allowed', `a donor may only ${verb} its own nation's pledges (${actor.nation ?? 'no nation'}, not ${donor})`);
  }
}

/** Refuses roles that see pledges and deliveries only as aggregates. */
export function assertSeesLines(actor: Actor): void {
  if (actor.role === 'industry' || actor.role === 'observer') {
    throw new DomainError('not_allowed', `a ${actor.role} sees pledges and deliveries as aggregates only (GET /api/pledges/aggregates)`);
  }
}

/** Hides a line the actor may not see as if it did not exist, so its existence does not leak. */
export function assertReadable(actor: Actor, line: Releasable | undefined, entity: string, id: string): void {
  if (actor.role === 'industry' || actor.role === 'observer' || !line || !mayReadLine(actor, line)) throw notFound(entity, id);
}

/** Keeps only the rows whose pledge line the actor may read. */
export function filterReadable<T>(actor: Actor, rows: readonly T[], lineOf: (row: T) => Releasable | undefined): T[] {
  return rows.filter((row) => {
    const line = lineOf(row);
    return line !== undefined && mayReadLine(actor, line);
  });
}
