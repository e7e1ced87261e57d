import { AsyncLocalStorage } from 'node:async_hooks';
import { DomainError } from '../domain/errors.ts';
import type { Actor, ServiceDeps, Tx } from './context.ts';
import { authorize, rowScopeOf, type Action } from './policy.ts';
import { applyRowScope } from './access/row-scope.ts';
import { hasSpareConnection, onSharedSnapshot } from '../store/db.ts';

/** What the running use case is: who acts and what they do; read by helpers deep in services (checkVersion). */
export interface UseCaseContext {
  actor: Actor;
  action: Action;
}

const running = new AsyncLocalStorage<UseCaseContext>();

/** The use case the caller runs inside, if any. */
export function currentUseCase(): UseCaseContext | undefined {
  return running.getStore();
}

/**
 * The one choke point every use case passes through: checks the actor may perform the action, then runs
 * the work in a single transaction so that a failure leaves nothing half-written. Inside it, the
 * transaction runs as the application database role with the actor's role and nation set, so row-level
 * security hides what the actor may not see even if a service forgot a check. Integrity errors the
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
    const transaction = action.isolation ? deps.db.transaction().setIsolationLevel(action.isolation) : deps.db.transaction();
    return await transaction.execute(async (tx) => {
      await applyRowScope(tx, actor, rowScopeOf(action));
      return running.run({ actor, action }, () => work(tx));
    });
  } catch (error) {
    throw translateDbError(error);
  }
}

/**
 * Runs `work` on a second, read-only transaction that sees exactly what the running use case's `tx` sees, as
 * the same actor under the same row scope, so that a read's queries can run on two connections at once
 * (Kysely sends one transaction's queries one after another). PostgreSQL: the use case must be a read at
 * repeatable read (or serializable), whose snapshot the second transaction imports. Where the database has
 * one connection (PGlite), or the pool has none to spare at once, `work` runs on `tx` itself: the same
 * rows, one query at a time.
 */
export async function onSecondConnection<T>(deps: ServiceDeps, tx: Tx, work: (reader: Tx) => Promise<T>): Promise<T> {
  const context = currentUseCase();
  if (!context || context.action.verb !== 'read' || !context.action.isolation) {
    throw new Error('onSecondConnection runs inside a read use case at repeatable read or serializable');
  }
  // No second connection on PGlite (one connection); and a use case must not queue for one while it holds
  // one (with every connection so held, none would be freed): then `work` runs on `tx`.
  if (!hasSpareConnection(deps.db)) return work(tx);
  return onSharedSnapshot(deps.db, tx, async (reader) => {
    await applyRowScope(reader, context.actor, rowScopeOf(context.action));
    return work(reader);
  });
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
    case '42501':
      // Row-level security refused a write the code let through: the row is not the actor's to change.
      if (typeof e.message === 'string' && e.message.includes('row-level security')) return new DomainError('not_found', 'the record was not found');
      return error;
    default:
      if (e.code.startsWith('22')) return new DomainError('invalid_input', `a value is out of range or malformed (${detail})`, [{ path, message: 'bad value' }]);
      return error;
  }
}
