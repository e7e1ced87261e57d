import { randomUUID } from 'node:crypto';
import { DomainError, invalidInput, notFound } from '../../domain/errors.ts';
import type { Actor, Role, ServiceDeps } from '../context.ts';
import { ROLES } from '../context.ts';
import { runUseCase } from '../use-case.ts';
import { recordChange } from '../audit.ts';
import * as repo from '../../store/account.repository.ts';
import { hashPassword, randomSecret } from './secrets.ts';

/** Roles that speak for a nation and therefore need one. */
const NATION_ROLES: readonly Role[] = ['recipient', 'donor', 'industry'];
export const MIN_PASSWORD_LENGTH = 12;

export interface PublicUser {
  id: string;
  username: string;
  role: Role;
  nation: string | null;
  disabled: boolean;
}

export function publicUser(row: repo.UserRow): PublicUser {
  return { id: row.id, username: row.username, role: row.role as Role, nation: row.nation, disabled: row.disabled };
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw invalidInput(`a password needs at least ${MIN_PASSWORD_LENGTH} characters`, [{ path: '/password', message: 'too short' }]);
  if (password.length > 1024) throw invalidInput('a password may have at most 1024 characters', [{ path: '/password', message: 'too long' }]);
}

/** Creates a user; without a password one is generated and returned once (it is stored only hashed). */
export async function createUser(
  deps: ServiceDeps,
  actor: Actor,
  input: { username: string; role: string; nation?: string | null; password?: string },
): Promise<{ user: PublicUser; generatedPassword?: string }> {
  const role = input.role as Role;
  if (!ROLES.includes(role)) throw invalidInput(`unknown role ${input.role}; one of ${ROLES.join(', ')}`, [{ path: '/role', message: 'unknown role' }]);
  const nation = input.nation ? input.nation.toUpperCase() : null;
  if (NATION_ROLES.includes(role) && !nation) throw invalidInput(`a ${role} needs a nation (--nation XXX)`, [{ path: '/nation', message: 'required' }]);
  if (!NATION_ROLES.includes(role) && nation) throw invalidInput(`a ${role} speaks for no nation`, [{ path: '/nation', message: 'not allowed' }]);
  if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(input.username)) throw invalidInput('a username is 2–64 lower-case letters, digits, dots, dashes or underscores', [{ path: '/username', message: 'malformed' }]);
  const generatedPassword = input.password === undefined ? randomSecret(18) : undefined;
  const password = input.password ?? generatedPassword!;
  checkPassword(password);
  const passwordHash = await hashPassword(password);
  const row = await runUseCase(deps, actor, { entity: 'user', verb: 'create' }, async (tx) => {
    const created = await repo.insertUser(tx, { id: randomUUID(), username: input.username, role, nation, passwordHash });
    await recordChange(tx, actor, { entity: 'user', recordId: created.id, action: 'create', before: null, after: publicUser(created) });
    return created;
  });
  return generatedPassword ? { user: publicUser(row), generatedPassword } : { user: publicUser(row) };
}

async function changeUser(deps: ServiceDeps, actor: Actor, username: string, action: string, patch: { disabled?: boolean; passwordHash?: string }): Promise<PublicUser> {
  return runUseCase(deps, actor, { entity: 'user', verb: 'update' }, async (tx) => {
    const before = await repo.findUserByUsername(tx, username);
    if (!before) throw notFound('user', username);
    const after = await repo.updateUser(tx, before.id, patch);
    if (!after) throw notFound('user', username);
    // Sessions end with a disabled account or a new password.
    await repo.deleteUserSessions(tx, before.id);
    await recordChange(tx, actor, { entity: 'user', recordId: before.id, action, before: publicUser(before), after: publicUser(after) });
    return publicUser(after);
  });
}

export function disableUser(deps: ServiceDeps, actor: Actor, username: string): Promise<PublicUser> {
  return changeUser(deps, actor, username, 'disable', { disabled: true });
}

export async function resetPassword(deps: ServiceDeps, actor: Actor, username: string, password?: string): Promise<{ user: PublicUser; generatedPassword?: string }> {
  const generatedPassword = password === undefined ? randomSecret(18) : undefined;
  const next = password ?? generatedPassword!;
  checkPassword(next);
  const user = await changeUser(deps, actor, username, 'reset-password', { passwordHash: await hashPassword(next) });
  return generatedPassword ? { user, generatedPassword } : { user };
}

export async function hasCoordinator(deps: ServiceDeps): Promise<boolean> {
  return (await repo.countActiveCoordinators(deps.db)) > 0;
}

export { DomainError };
