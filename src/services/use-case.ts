import { DomainError } from '../domain/errors.ts';
import type { Actor, ServiceDeps, Tx } from './context.ts';
import { authorize, type Action } from './policy.ts';

/**
 * The one choke point every use case passes through: checks the actor may perform the action, then runs
 * the work in a single transaction so that a failure leaves nothing half-written. Integrity errors the
 * database raises (a constraint the code did not foresee) come back as domain errors, not 500s.
 */
export async function runUseCase<T>(
  deps: ServiceDeps,
  actor: Actor,
  action: Action,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  authorize(actor, action);
  try {
    return await deps.db.transaction().execute(work);
  } catch (error) {
    throw translateDbError(error);
  }
}

/** Maps PostgreSQL integrity violations (SQLSTATE class 23, data exceptions 22) to domain errors. */
export function translateDbError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  const e = error as { code?: unknown; detail?: unknown; constraint?: unknown; message?: unknown };
  if (typeof e?.code !== 'string') return error;
  const detail = [e.message, e.detail].filter((s) => typeof s === 'string').join(': ');
  const path = typeof e.constraint === 'string' ? `/${e.constraint}` : '/';
  switch (e.code) {
    case '23505':
      return new DomainError('conflict', `a record with the same key already exists (${detail})`, [{ path, message: 'duplicate' }]);
    case '23503':
      return new DomainError('invalid_input', `a referenced record does not exist or is still referenced (${detail})`, [{ path, message: 'unknown reference' }]);
    case '23514':
    case '23502':
      return new DomainError('invalid_input', `the record breaks a rule of the database (${detail})`, [{ path, message: 'breaks a rule' }]);
    case '40001':
    case '40P01':
      return new DomainError('conflict', 'the change collided with another one; try again');
    default:
      if (e.code.startsWith('22')) return new DomainError('invalid_input', `a value is out of range or malformed (${detail})`, [{ path, message: 'bad value' }]);
      return error;
  }
}
