import { DomainError } from '../domain/errors.ts';

/**
 * Checks the caller's expected version against the stored one. A missing expectation is allowed for
 * now (the API turns it into 428 once accounts land); a stale one is refused with precondition_failed.
 */
export function checkVersion(entity: string, id: string, stored: number, expected: number | undefined): number {
  if (expected !== undefined && expected !== stored) {
    throw new DomainError('precondition_failed', `${entity} ${id} is at version ${stored}, not ${expected}: reload it and apply your change again`);
  }
  return stored;
}
