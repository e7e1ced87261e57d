import type { FastifyInstance } from 'fastify';

export interface WriteSafetyOptions {
  /** `required` (default): a change without If-Match is refused with 428. `optional`: old behaviour, for tests. */
  ifMatch: 'required' | 'optional';
}

/**
 * Optimistic concurrency over HTTP: every request's actor is marked `requireVersion`, so services refuse a
 * change without If-Match (428) as well as a stale one (412) — see src/services/versions.ts. The CLI and
 * imports call services with actors that are not marked, so they may leave the version out.
 */
export function installWriteSafety(app: FastifyInstance, options: WriteSafetyOptions): void {
  app.addHook('preHandler', async (req) => {
    if (req.actor && options.ifMatch === 'required' && !req.actor.requireVersion) req.actor = { ...req.actor, requireVersion: true };
  });
}
