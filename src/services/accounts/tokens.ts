import { randomUUID } from 'node:crypto';
import { invalidInput, notFound } from '../../domain/errors.ts';
import type { Actor, Role, ServiceDeps } from '../context.ts';
import { runUseCase } from '../use-case.ts';
import { recordChange } from '../audit.ts';
import * as repo from '../../store/account.repository.ts';
import { randomSecret, sha256 } from './secrets.ts';

/** Issues an API token for a user: the secret is returned once and stored only as its SHA-256. */
export async function issueToken(
  deps: ServiceDeps,
  actor: Actor,
  username: string,
  opts: { name?: string; days?: number } = {},
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const days = opts.days ?? 90;
  if (!Number.isInteger(days) || days < 1 || days > 366) throw invalidInput('a token lives 1 to 366 days', [{ path: '/days', message: 'out of range' }]);
  const token = `cnc_${randomSecret(32)}`;
  const expiresAt = new Date(Date.now() + days * 86_400_000);
  return runUseCase(deps, actor, { entity: 'user', verb: 'update' }, async (tx) => {
    const user = await repo.findUserByUsername(tx, username);
    if (!user) throw notFound('user', username);
    const row = await repo.insertApiToken(tx, { id: randomUUID(), userId: user.id, tokenHash: sha256(token), name: opts.name ?? '', expiresAt });
    await recordChange(tx, actor, { entity: 'api-token', recordId: row.id, action: 'create', before: null, after: { userId: user.id, name: row.name, expiresAt } });
    return { id: row.id, token, expiresAt };
  });
}

export async function revokeToken(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  await runUseCase(deps, actor, { entity: 'user', verb: 'update' }, async (tx) => {
    if (!(await repo.revokeApiToken(tx, id, new Date()))) throw notFound('api token', id);
    await recordChange(tx, actor, { entity: 'api-token', recordId: id, action: 'revoke', before: null, after: { revoked: true } });
  });
}

/** The actor a bearer token stands for, or null if it is unknown, expired, revoked or its user disabled. */
export async function authenticateToken(deps: ServiceDeps, token: string): Promise<Actor | null> {
  if (!token.startsWith('cnc_') || token.length > 200) return null;
  const found = await repo.findApiToken(deps.db, sha256(token));
  if (!found) return null;
  const { token: row, user } = found;
  if (row.revokedAt || row.expiresAt.getTime() <= Date.now() || user.disabled) return null;
  return { id: user.id, role: user.role as Role, nation: user.nation, kind: 'token' };
}
