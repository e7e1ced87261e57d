import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import type { Actor } from '../../services/context.ts';
import { authenticateToken } from '../../services/accounts/tokens.ts';
import { authenticateSession } from '../../services/accounts/sessions.ts';
import { safeEqual, sha256 } from '../../services/accounts/secrets.ts';
import { sendProblem } from '../problem.ts';

export const SESSION_COOKIE = 'concord_session';
export const CSRF_COOKIE = 'csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** A test's stand-in for signing in: the actor of a request, or null to authenticate it for real. */
export type TestAuthenticate = (req: FastifyRequest) => Actor | null;

/** Paths under /api anyone may call: health, the OpenAPI document and its browsable docs, and login. */
export function isPublicPath(url: string): boolean {
  const path = url.split('?')[0] ?? url;
  if (!path.startsWith('/api/') && path !== '/api') return true; // the web app's static files
  return path === '/api/health' || path === '/api/openapi.json' || path === '/api/docs' || path.startsWith('/api/docs/') || path === '/api/auth/login';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Sets `req.actor` on every request, from (in order) a bearer token, a session cookie (unsafe methods
 * need the double-submit CSRF token as well), or the test stand-in; any other /api request but the
 * public ones is answered 401 before it reaches a route.
 */
export async function installAuthentication(app: FastifyInstance, testAuthenticate?: TestAuthenticate): Promise<void> {
  await app.register(cookie);
  app.addHook('onRequest', async (req, reply) => {
    const actor = await authenticateRequest(app, req, reply, testAuthenticate);
    if (reply.sent) return reply;
    if (actor) {
      req.actor = actor;
      // Log lines of this request carry who made it (never a credential).
      req.log = req.log.child({ userId: actor.id, role: actor.role });
      reply.log = req.log;
      return;
    }
    if (!isPublicPath(req.url)) return sendProblem(req, reply, 401, 'unauthenticated', 'sign in (POST /api/auth/login) or send Authorization: Bearer <token>');
  });
}

async function authenticateRequest(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, testAuthenticate?: TestAuthenticate): Promise<Actor | null> {
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string' && authorization.length > 0) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const actor = match ? await authenticateToken(app.deps, match[1]!) : null;
    if (!actor) sendProblem(req, reply, 401, 'unauthenticated', 'the bearer token is unknown, expired or revoked');
    return actor;
  }
  const sessionId = req.cookies[SESSION_COOKIE];
  if (sessionId) {
    const found = await authenticateSession(app.deps, sessionId);
    if (found) {
      if (!SAFE_METHODS.has(req.method)) {
        const header = req.headers[CSRF_HEADER];
        const cookieToken = req.cookies[CSRF_COOKIE];
        const ok = typeof header === 'string' && typeof cookieToken === 'string' && safeEqual(header, cookieToken) && safeEqual(sha256(header), found.csrfHash);
        if (!ok) {
          // Signing in again over an old session is fine (login is public; SameSite=Strict covers it).
          if (isPublicPath(req.url)) return null;
          sendProblem(req, reply, 403, 'not_allowed', `a change made with a session cookie needs the ${CSRF_HEADER} header equal to the ${CSRF_COOKIE} cookie`);
          return null;
        }
      }
      return found.actor;
    }
  }
  return testAuthenticate?.(req) ?? null;
}
