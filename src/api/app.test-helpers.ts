import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { DbHandle } from '../store/db.ts';

/** Builds the app over a test database handle, ready for `app.inject`. */
export async function buildTestApp(handle: DbHandle): Promise<FastifyInstance> {
  const app = await buildApp({ deps: { db: handle.db }, dbKind: handle.target.kind, logger: false });
  await app.ready();
  return app;
}
