import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { sendProblem } from './problem.ts';

/** The built web app's folder. */
export const WEB_DIST = resolve(import.meta.dirname, '../../web/dist');

/**
 * Serves the built single-page app from web/dist: its files as they are, and index.html for any other
 * GET outside /api so that deep links work. Without a build, / says how to make one.
 */
export async function registerWebApp(app: FastifyInstance, dist = WEB_DIST): Promise<void> {
  const built = existsSync(resolve(dist, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: true, index: ['index.html'] });
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (req.method === 'GET' && !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path)) {
      if (built) return reply.type('text/html').sendFile('index.html');
      return reply.type('text/plain').send('Concord API is running at /api (docs at /api/docs). Build the web app with `npm run build`.');
    }
    return sendProblem(req, reply, 404, 'not_found', `no route ${req.method} ${path}`);
  });
}
