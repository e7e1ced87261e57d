import { DomainError, notFound } from '../../domain/errors.ts';
import type { Actor } from '../context.ts';

/**
 * Record-level access to pledges and deliveries, on top of the role table in policy.ts:
 * - a donor reads and changes only its own nation's pledges and their deliveries;
 * - industry and observers see aggregates only, never single pledge lines;
 * - coordinator and recipient read everything (nothing is yet kept from the recipient).
 */

/** Refuses a write on a donor's record by another donor. */
export function assertOwnPledge(actor: Actor, donor: string, verb: string): void {
  if (actor.role === 'donor' && actor.nation !== donor) {
    throw new DomainError('not_allowed', `a donor may only ${verb} its own nation's pledges (${actor.nation ?? 'no nation'}, not ${donor})`);
  }
}

/** The donors whose lines the actor may read: null for all; refuses roles that see aggregates only. */
export function readableDonors(actor: Actor): string[] | null {
  if (actor.role === 'industry' || actor.role === 'observer') {
    throw new DomainError('not_allowed', `a ${actor.role} sees pledges and deliveries as aggregates only`);
  }
  if (actor.role === 'donor') return actor.nation ? [actor.nation] : [];
  return null;
}

/** Hides a record of another donor as if it did not exist, so its existence does not leak. */
export function assertReadable(actor: Actor, donor: string, entity: string, id: string): void {
  const donors = readableDonors(actor);
  if (donors && !donors.includes(donor)) throw notFound(entity, id);
}

/** Narrows a donor filter to what the actor may read. */
export function scopeDonorFilter(actor: Actor, requested: string[] | undefined): string[] | undefined {
  const donors = readableDonors(actor);
  if (!donors) return requested;
  return requested ? requested.filter((d) => donors.includes(d)) : donors;
}
