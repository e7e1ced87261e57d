import { DomainError } from '../../domain/errors.ts';
import type { Actor, Role, ServiceDeps } from '../context.ts';
import * as repo from '../../store/account.repository.ts';
import { dummyHash, randomSecret, sha256, verifyPassword } from './secrets.ts';
import { LoginLimiter } from './login-limiter.ts';
import { publicUser, type PublicUser } from './users.ts';

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
/** last_seen_at is written at most this often, so reads do not each cost a write. */
const TOUCH_EVERY_MS = 60_000;

export interface LoginResult {
  user: PublicUser;
  /** The session id for the cookie: shown once, stored hashed. */
  sessionId: string;
  /** The CSRF token for the double-submit cookie. */
  csrfToken: string;
  expiresAt: Date;
}

/** One message for every refusal, so responses do not tell which usernames exist. */
const REFUSED = 'the username or password is wrong';

/**
 * Signs a user in. Rate-limited per (username, address) and per address before any hash is checked;
 * unknown usernames are verified against a dummy hash so they take as long as known ones.
 */
export async function login(deps: ServiceDeps, limiter: LoginLimiter, username: string, password: string, address: string): Promise<LoginResult> {
  if (!limiter.allows(username, address)) throw new DomainError('too_many_requests', 'too many failed sign-ins; wait a minute and try again');
  const user = username.length <= 64 ? await repo.findUserByUsername(deps.db, username) : undefined;
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password.slice(0, 1024));
  if (!user || !ok || user.disabled) {
    limiter.recordFailure(username, address);
    throw new DomainError('unauthenticated', REFUSED);
  }
  limiter.recordSuccess(username, address);
  const sessionId = randomSecret(32);
  const csrfToken = randomSecret(32);
  const expiresAt = new Date(Date.now() + SESSION_ABSOLUTE_MS);
  await repo.insertSession(deps.db, { idHash: sha256(sessionId), userId: user.id, csrfHash: sha256(csrfToken), expiresAt });
  return { user: publicUser(user), sessionId, csrfToken, expiresAt };
}

export async function logout(deps: ServiceDeps, sessionId: string): Promise<void> {
  await repo.deleteSession(deps.db, sha256(sessionId));
}

export interface SessionActor {
  actor: Actor;
  /** SHA-256 of the CSRF token bound to the session. */
  csrfHash: string;
}

/** The actor of a live session, or null (unknown, idle over 30 minutes, older than 12 hours, user disabled). */
export async function authenticateSession(deps: ServiceDeps, sessionId: string, now = new Date()): Promise<SessionActor | null> {
  if (sessionId.length > 100) return null;
  const idHash = sha256(sessionId);
  const found = await repo.findSession(deps.db, idHash);
  if (!found) return null;
  const { session, user } = found;
  const t = now.getTime();
  if (user.disabled || session.expiresAt.getTime() <= t || session.lastSeenAt.getTime() + SESSION_IDLE_MS <= t) {
    await repo.deleteSession(deps.db, idHash);
    return null;
  }
  if (t - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await repo.touchSession(deps.db, idHash, now);
  return { actor: { id: user.id, role: user.role as Role, nation: user.nation, kind: 'user' }, csrfHash: session.csrfHash };
}
