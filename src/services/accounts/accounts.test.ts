import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../store/testing/test-db.ts';
import { buildNation } from '../../store/testing/factories.ts';
import type { DbHandle } from '../../store/db.ts';
import { SYSTEM_ACTOR, type Actor } from '../context.ts';
import { createUser, disableUser, hasCoordinator, resetPassword } from './users.ts';
import { authenticateToken, issueToken, revokeToken } from './tokens.ts';
import { authenticateSession, login, logout, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './sessions.ts';
import { LoginLimiter } from './login-limiter.ts';
import * as argon2 from '@node-rs/argon2';

const PW = 'correct horse battery';

describe.each(testBackends())('accounts on $name', (backend) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await backend.open();
    await buildNation(h.db, { code: 'DEU' });
  });
  afterAll(async () => h?.close());

  it('creates users with argon2id at OWASP cost and refuses a donor without a nation', async () => {
    expect(await hasCoordinator({ db: h.db })).toBe(false);
    const { user } = await createUser({ db: h.db }, SYSTEM_ACTOR, { username: 'ana', role: 'coordinator', password: PW });
    expect(user.role).toBe('coordinator');
    expect(await hasCoordinator({ db: h.db })).toBe(true);
    const row = await h.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(argon2.verifySync(row.passwordHash, PW)).toBe(true);
    await expect(createUser({ db: h.db }, SYSTEM_ACTOR, { username: 'nobody', role: 'donor', password: PW })).rejects.toMatchObject({ code: 'invalid_input' });
    const gen = await createUser({ db: h.db }, SYSTEM_ACTOR, { username: 'deu-donor', role: 'donor', nation: 'deu' });
    expect(gen.user.nation).toBe('DEU');
    expect(gen.generatedPassword!.length).toBeGreaterThanOrEqual(20);
  });

  it('only coordinators manage users', async () => {
    const donor: Actor = { id: 'x', role: 'donor', nation: 'DEU', kind: 'user' };
    await expect(createUser({ db: h.db }, donor, { username: 'evil', role: 'coordinator', password: PW })).rejects.toMatchObject({ code: 'not_allowed' });
  });

  it('logs in, rotates nothing shared between sessions, and logs out', async () => {
    const limiter = new LoginLimiter();
    const a = await login({ db: h.db }, limiter, 'ana', PW, '10.0.0.1');
    const b = await login({ db: h.db }, limiter, 'ana', PW, '10.0.0.1');
    expect(a.sessionId).not.toBe(b.sessionId);
    expect((await authenticateSession({ db: h.db }, a.sessionId))?.actor.role).toBe('coordinator');
    await logout({ db: h.db }, a.sessionId);
    expect(await authenticateSession({ db: h.db }, a.sessionId)).toBeNull();
    expect(await authenticateSession({ db: h.db }, b.sessionId, new Date(Date.now() + SESSION_IDLE_MS + 1000))).toBeNull();
    const stored = await h.db.selectFrom('sessions').select('idHash').execute();
    expect(stored.every((s) => s.idHash !== a.sessionId && s.idHash !== b.sessionId)).toBe(true);
  });

  it('ends a session 12 hours after sign-in even when it is used every 20 minutes', async () => {
    const s = await login({ db: h.db }, new LoginLimiter(), 'ana', PW, '10.0.0.3');
    const start = Date.now();
    let t = start;
    while (t + 20 * 60_000 < start + SESSION_ABSOLUTE_MS - 60_000) {
      t += 20 * 60_000;
      expect(await authenticateSession({ db: h.db }, s.sessionId, new Date(t))).not.toBeNull();
    }
    expect(await authenticateSession({ db: h.db }, s.sessionId, new Date(start + SESSION_ABSOLUTE_MS + 1000))).toBeNull();
  });

  it('refuses the 11th attempt within a minute even with the right password, and the real user still signs in from elsewhere', async () => {
    let clock = 1_000_000;
    const limiter = new LoginLimiter(undefined, () => clock);
    for (let i = 0; i < 10; i++) await expect(login({ db: h.db }, limiter, 'ana', 'wrong password!!', '6.6.6.6')).rejects.toMatchObject({ code: 'unauthenticated' });
    // The right password is refused too: the limit is checked before the password is.
    await expect(login({ db: h.db }, limiter, 'ana', PW, '6.6.6.6')).rejects.toMatchObject({ code: 'too_many_requests' });
    expect((await login({ db: h.db }, limiter, 'ana', PW, '10.0.0.2')).user.username).toBe('ana');
    clock += 61_000;
    expect((await login({ db: h.db }, limiter, 'ana', PW, '6.6.6.6')).user.username).toBe('ana');
  });

  it('gives the same answer for an unknown user as for a wrong password', async () => {
    const limiter = new LoginLimiter();
    const unknown = await login({ db: h.db }, limiter, 'ghost', PW, '1.1.1.1').catch((e: Error) => e.message);
    const wrong = await login({ db: h.db }, limiter, 'ana', 'not the password', '1.1.1.1').catch((e: Error) => e.message);
    expect(unknown).toBe(wrong);
  });

  it('disables users and resets passwords, ending their sessions', async () => {
    const limiter = new LoginLimiter();
    await createUser({ db: h.db }, SYSTEM_ACTOR, { username: 'bob', role: 'observer', password: PW });
    const s = await login({ db: h.db }, limiter, 'bob', PW, '2.2.2.2');
    const { generatedPassword } = await resetPassword({ db: h.db }, SYSTEM_ACTOR, 'bob');
    expect(await authenticateSession({ db: h.db }, s.sessionId)).toBeNull();
    await expect(login({ db: h.db }, limiter, 'bob', PW, '2.2.2.2')).rejects.toMatchObject({ code: 'unauthenticated' });
    await login({ db: h.db }, limiter, 'bob', generatedPassword!, '2.2.2.2');
    await disableUser({ db: h.db }, SYSTEM_ACTOR, 'bob');
    await expect(login({ db: h.db }, limiter, 'bob', generatedPassword!, '2.2.2.2')).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('issues tokens shown once and stored hashed, and revokes them', async () => {
    const t = await issueToken({ db: h.db }, SYSTEM_ACTOR, 'deu-donor', { name: 'ci', days: 30 });
    const stored = await h.db.selectFrom('apiTokens').selectAll().where('id', '=', t.id).executeTakeFirstOrThrow();
    expect(stored.tokenHash).not.toContain(t.token);
    expect(await authenticateToken({ db: h.db }, t.token)).toMatchObject({ role: 'donor', nation: 'DEU', kind: 'token' });
    await revokeToken({ db: h.db }, SYSTEM_ACTOR, t.id);
    expect(await authenticateToken({ db: h.db }, t.token)).toBeNull();
  });
});
