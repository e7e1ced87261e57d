import { DomainError } from '../domain/errors.ts';
import { currentUseCase } from './use-case.ts';

/**
 * Checks the caller's expected version against the stored one, so no change silently overwrites another:
 * - a stale expectation is refused with precondition_failed (HTTP 412);
 * - a missing one is refused with precondition_required (HTTP 428) when the actor must name versions
 *   (every HTTP request, see Actor.requireVersion); the CLI and imports may leave it out.
 */
export function checkVersion(entity: string, id: string, stored: number, expected: number | undefined): number {
  if (expected === undefined) {
    if (currentUseCase()?.actor.requireVersion) {
      throw new DomainError('precondition_required', `send If-Match: "${stored}" (the version you last read) to change ${entity} ${id}; read it again if you have not`, [
        { path: '/headers/if-match', message: 'required' },
      ]);
    }
    return stored;
  }
  if (expected !== stored) {
    throw new DomainError('precondition_failed', `${entity} ${id} is at version ${stored}, not ${expected}: reload it and apply your change again`);
  }
  return stored;
}
