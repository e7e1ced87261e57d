import type { FastifyInstance, FastifyRequest } from 'fastify';
import { buildApp } from './app.ts';
import type { DbHandle } from '../store/db.ts';
import { ROLES, type Actor, type Role } from '../services/context.ts';

/** The coordinator that route tests act as when they send no credentials. */
export const TEST_COORDINATOR: Actor = { id: 'test-coordinator', role: 'coordinator', nation: null, kind: 'user' };

const TEST_ACTOR_HEADER = 'x-test-actor';

/**
 * Headers that make one request of a test app act as a user of `role` (and `nation`), without creating an
 * account: `app.inject({ method: 'GET', url, headers: asUser('donor', 'DEU') })`. Only apps built by
 * buildTestApp read them; a served app ignores the header.
 */
export function asUser(role: Role, nation: string | null = null): Record<string, string> {
  return { [TEST_ACTOR_HEADER]: `${role}:${nation ?? ''}` };
}

function testActorOf(req: FastifyRequest): Actor | undefined {
  const value = req.headers[TEST_ACTOR_HEADER];
  if (typeof value !== 'string') return undefined;
  const [role, nation] = value.split(':') as [Role, string | undefined];
  if (!ROLES.includes(role)) return undefined;
  return { id: `test-${role}-${nation || 'none'}`, role, nation: nation || null, kind: 'user' };
}

/**
 * Builds the app over a test database handle, ready for `app.inject`. Requests without credentials act as
 * `actor` (default: a coordinator), or as the user named by asUser(); pass `{ actor: null }` to have them
 * authenticated for real (401). `ifMatch: 'required'` makes changes without If-Match answer 428 as when
 * serving (default `optional`, for the older route tests).
 */
export async function buildTestApp(handle: DbHandle, opts: { actor?: Actor | null; ifMatch?: 'required' | 'optional' } = {}): Promise<FastifyInstance> {
  const actor = opts.actor === undefined ? TEST_COORDINATOR : opts.actor;
  const app = await buildApp({
    deps: { db: handle.db },
    dbKind: handle.target.kind,
    logger: false,
    authenticate: (req) => testActorOf(req) ?? actor,
    ...(opts.ifMatch ? { ifMatch: opts.ifMatch } : {}),
  });
  await app.ready();
  return app;
}
