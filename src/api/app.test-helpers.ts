import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { DbHandle } from '../store/db.ts';
import type { Actor } from '../services/context.ts';

/** The coordinator that route tests act as when they send no credentials. */
export const TEST_COORDINATOR: Actor = { id: 'test-coordinator', role: 'coordinator', nation: null, kind: 'user' };

/**
 * Builds the app over a test database handle, ready for `app.inject`. Requests without credentials act as
 * `actor` (default: a coordinator); pass `{ actor: null }` to have them authenticated for real (401).
 */
export async function buildTestApp(handle: DbHandle, opts: { actor?: Actor | null } = {}): Promise<FastifyInstance> {
  const actor = opts.actor === undefined ? TEST_COORDINATOR : opts.actor;
  const app = await buildApp({ deps: { db: handle.db }, dbKind: handle.target.kind, logger: false, authenticate: () => actor });
  await app.ready();
  return app;
}
