import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Problem } from '../../contracts/common.ts';
import { LoginLimiter } from '../../services/accounts/login-limiter.ts';
import { login, logout, SESSION_ABSOLUTE_MS } from '../../services/accounts/sessions.ts';
import { findUserById } from '../../store/account.repository.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from './authenticate.ts';

const Me = z.object({
  id: z.string(),
  username: z.string().nullable(),
  role: z.enum(['coordinator', 'recipient', 'donor', 'industry', 'observer']),
  nation: z.string().nullable(),
  kind: z.enum(['user', 'token', 'system']),
});

function cookieOptions(req: FastifyRequest, httpOnly: boolean) {
  return { path: '/', httpOnly, sameSite: 'strict' as const, secure: req.protocol === 'https', maxAge: SESSION_ABSOLUTE_MS / 1000 };
}

function clearCookies(req: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(req, true));
  reply.clearCookie(CSRF_COOKIE, cookieOptions(req, false));
}

/** Sign-in, sign-out and who am I. Sign-in issues a new session every time (rotation). */
export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const limiter = new LoginLimiter();
  app.post('/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in: sets an HttpOnly session cookie and a csrf cookie to echo in the x-csrf-token header',
      body: z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1024) }),
      response: { 200: z.object({ user: Me, csrfToken: z.string(), expiresAt: z.string() }), 401: Problem, 429: Problem },
    },
    handler: async (req, reply) => {
      const previous = req.cookies[SESSION_COOKIE];
      const r = await login(app.deps, limiter, req.body.username, req.body.password, req.ip);
      if (previous) await logout(app.deps, previous);
      reply.setCookie(SESSION_COOKIE, r.sessionId, cookieOptions(req, true));
      reply.setCookie(CSRF_COOKIE, r.csrfToken, cookieOptions(req, false));
      reply.header('cache-control', 'no-store');
      return { user: { id: r.user.id, username: r.user.username, role: r.user.role, nation: r.user.nation, kind: 'user' as const }, csrfToken: r.csrfToken, expiresAt: r.expiresAt.toISOString() };
    },
  });
  app.post('/auth/logout', {
    schema: { tags: ['auth'], summary: 'Sign out: ends the session and clears its cookies', response: { 204: z.null(), 401: Problem } },
    handler: async (req, reply) => {
      const sessionId = req.cookies[SESSION_COOKIE];
      if (sessionId) await logout(app.deps, sessionId);
      clearCookies(req, reply);
      return reply.code(204).send(null);
    },
  });
  app.get('/auth/me', {
    schema: { tags: ['auth'], summary: 'The signed-in user or token', response: { 200: Me, 401: Problem } },
    handler: async (req) => {
      const a = req.actor;
      const user = a.kind === 'system' ? undefined : await findUserById(app.deps.db, a.id);
      return { id: a.id, username: user?.username ?? null, role: a.role, nation: a.nation, kind: a.kind };
    },
  });
};
