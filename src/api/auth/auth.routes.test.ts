import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { testBackends } from '../../store/testing/test-db.ts';
import { buildNation } from '../../store/testing/factories.ts';
import { buildTestApp } from '../app.test-helpers.ts';
import type { DbHandle } from '../../store/db.ts';
import { SYSTEM_ACTOR } from '../../services/context.ts';
import { createUser } from '../../services/accounts/users.ts';
import { issueToken, revokeToken } from '../../services/accounts/tokens.ts';

const PW = 'correct horse battery';

function cookiesOf(res: LightMyRequestResponse): Record<string, { value: string; httpOnly?: boolean; sameSite?: string; secure?: boolean }> {
  return Object.fromEntries(res.cookies.map((c) => [c.name, c as never]));
}

describe.each(testBackends())('authentication over HTTP on $name', (backend) => {
  let h: DbHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = await backend.open();
    await buildNation(h.db, { code: 'DEU' });
    await createUser({ db: h.db }, SYSTEM_ACTOR, { username: 'ana', role: 'coordinator', password: PW });
    await createUser({ db: h.db }, SYSTEM_ACTOR, { username: 'deu', role: 'donor', nation: 'DEU', password: PW });
    app = await buildTestApp(h, { actor: null });
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  async function signIn(username: string, extra: Record<string, string> = {}) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PW }, headers: extra });
    expect(res.statusCode).toBe(200);
    const c = cookiesOf(res);
    return { res, session: c.concord_session!.value, csrf: c.csrf!.value, cookie: `concord_session=${c.concord_session!.value}; csrf=${c.csrf!.value}` };
  }

  it('answers 401 without credentials, except health, the OpenAPI document and the docs', async () => {
    for (const url of ['/api/requirements', '/api/pledges', '/api/auth/me', '/api/audit/requirement/X']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().code).toBe('unauthenticated');
    }
    expect((await app.inject({ method: 'POST', url: '/api/requirements', payload: {} })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBeLessThan(400);
  });

  it('signs in with an HttpOnly SameSite=Strict session cookie, rotated on every sign-in', async () => {
    const a = await signIn('deu');
    const c = cookiesOf(a.res);
    expect(c.concord_session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(c.concord_session!.secure).toBeFalsy();
    expect(c.csrf!.httpOnly).toBeFalsy();
    expect(a.res.json().csrfToken).toBe(a.csrf);
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: a.cookie } });
    expect(me.json()).toMatchObject({ username: 'deu', role: 'donor', nation: 'DEU', kind: 'user' });
    const b = await signIn('deu', { cookie: a.cookie });
    expect(b.session).not.toBe(a.session);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: a.cookie } })).statusCode).toBe(401);
  });

  it('needs the double-submit CSRF token for cookie writes', async () => {
    const s = await signIn('ana');
    const body = { id: 'R-CSRF', capabilityArea: 'ammunition', accepts: [], quantity: 1, priority: 1, needBy: '2026-06-01' };
    const none = await app.inject({ method: 'POST', url: '/api/requirements', payload: body, headers: { cookie: s.cookie } });
    expect(none.statusCode).toBe(403);
    const wrong = await app.inject({ method: 'POST', url: '/api/requirements', payload: body, headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(43) } });
    expect(wrong.statusCode).toBe(403);
    const right = await app.inject({ method: 'POST', url: '/api/requirements', payload: body, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(right.statusCode).not.toBe(403);
    expect(right.statusCode).not.toBe(401);
  });

  it('signs out, ending the session', async () => {
    const s = await signIn('deu');
    expect((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie } })).statusCode).toBe(403);
    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(out.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
  });

  it('refuses wrong passwords alike for unknown users, and rate-limits the 11th from one address', async () => {
    const unknown = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ghost', password: 'x' }, remoteAddress: '9.9.9.1' });
    const wrong = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ana', password: 'x' }, remoteAddress: '9.9.9.1' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().detail).toBe(wrong.json().detail);
    for (let i = 0; i < 9; i++) await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ana', password: 'x' }, remoteAddress: '9.9.9.1' });
    const limited = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ana', password: PW }, remoteAddress: '9.9.9.1' });
    expect(limited.statusCode).toBe(429);
    const elsewhere = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ana', password: PW }, remoteAddress: '9.9.9.2' });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('accepts bearer tokens, without CSRF, until revoked', async () => {
    const t = await issueToken({ db: h.db }, SYSTEM_ACTOR, 'deu', { name: 'ci' });
    const auth = { authorization: `Bearer ${t.token}` };
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: auth })).json()).toMatchObject({ role: 'donor', kind: 'token' });
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: 'Bearer cnc_nope' } })).statusCode).toBe(401);
    await revokeToken({ db: h.db }, SYSTEM_ACTOR, t.id);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: auth })).statusCode).toBe(401);
  });
});
