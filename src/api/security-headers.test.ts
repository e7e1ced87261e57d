import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { testBackends } from '../store/testing/test-db.ts';
import { buildTestApp } from './app.test-helpers.ts';
import { buildApp } from './app.ts';
import type { DbHandle } from '../store/db.ts';
import { SYSTEM_ACTOR } from '../services/context.ts';
import { createUser } from '../services/accounts/users.ts';
import { issueToken } from '../services/accounts/tokens.ts';

const [pglite] = testBackends();

describe('security headers, same-origin and logs', () => {
  let h: DbHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = await pglite!.open();
    app = await buildTestApp(h);
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('sends CSP, HSTS, nosniff and no CORS headers on API, docs and web app', async () => {
    for (const url of ['/api/health', '/api/docs/', '/api/requirements', '/']) {
      const res = await app.inject({ method: 'GET', url, headers: { origin: 'https://evil.example' } });
      expect(res.headers['content-security-policy'], url).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('swagger-ui loads only same-origin scripts (no inline script the CSP would block)', async () => {
    const html = (await app.inject({ method: 'GET', url: '/api/docs/' })).body;
    expect(html).toMatch(/<script src="\.?\/?[^"]*swagger-ui-bundle\.js"/);
    expect(html).not.toMatch(/<script>(?!\s*<\/script>)/);
  });

  it('refuses writes from another origin and accepts same-origin ones', async () => {
    const body = { id: 'R-ORIGIN', capabilityArea: 'ammunition', accepts: [], quantity: 1, priority: 1, needBy: '2026-06-01' };
    const evil = await app.inject({ method: 'POST', url: '/api/requirements', payload: body, headers: { origin: 'https://evil.example', host: 'concord.example' } });
    expect(evil.statusCode).toBe(403);
    const same = await app.inject({ method: 'POST', url: '/api/requirements', payload: body, headers: { origin: 'https://concord.example', host: 'concord.example' } });
    expect(same.statusCode).not.toBe(403);
  });

  it('logs the request id and user id, never the token, cookie or password', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) });
    await createUser({ db: h.db }, SYSTEM_ACTOR, { username: 'logme', role: 'observer', password: 'a secret password' });
    const t = await issueToken({ db: h.db }, SYSTEM_ACTOR, 'logme');
    const logged = await buildApp({ deps: { db: h.db }, dbKind: 'pglite', logger: { level: 'info', stream } });
    try {
      await logged.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${t.token}`, cookie: 'concord_session=abc' } });
      await logged.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'logme', password: 'a secret password' } });
    } finally {
      await logged.close();
    }
    const text = lines.join('');
    expect(text).toContain('"reqId"');
    expect(text).toMatch(/"userId":"[0-9a-f-]{36}"/);
    expect(text).not.toContain(t.token);
    expect(text).not.toContain('a secret password');
    expect(text).not.toMatch(/concord_session=[^\]]/);
  });
});
