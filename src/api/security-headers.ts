import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import { sendProblem } from './problem.ts';

/**
 * What a browser may load: only this origin. Swagger UI (at /api/docs) and the web app load scripts and
 * styles from their own files; swagger-ui sets inline style attributes and draws data: images, hence those
 * two allowances. Nothing may frame Concord.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Paths of secrets in log lines, replaced by [redacted]. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  '*.password',
  'body.password',
  'token',
  '*.token',
];

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * helmet (CSP, HSTS, nosniff, frame and referrer policies) and same-origin only: Concord sends no CORS
 * headers, so browsers refuse other origins' reads, and a write whose Origin is another site is refused.
 */
export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (!origin || !UNSAFE.has(req.method)) return;
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== req.headers.host) return sendProblem(req, reply, 403, 'not_allowed', 'cross-origin requests are not accepted');
  });
}
