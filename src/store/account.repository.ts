import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.ts';
import type { ApiTokensTable, SessionsTable, UsersTable } from './account.schema.ts';

type Db = Kysely<Database>;
export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;

export async function insertUser(db: Db, row: { id: string; username: string; role: string; nation: string | null; passwordHash: string }): Promise<UserRow> {
  return db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateUser(db: Db, id: string, patch: { disabled?: boolean; passwordHash?: string }): Promise<UserRow | undefined> {
  return db.updateTable('users').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function countActiveCoordinators(db: Db): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).where('role', '=', 'coordinator').where('disabled', '=', false).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertSession(db: Db, row: { idHash: string; userId: string; csrfHash: string; expiresAt: Date }): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The session and its user, if the session exists (expiry is the caller's to judge). */
export async function findSession(db: Db, idHash: string): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const session = await db.selectFrom('sessions').selectAll().where('idHash', '=', idHash).executeTakeFirst();
  if (!session) return undefined;
  const user = await findUserById(db, session.userId);
  return user ? { session, user } : undefined;
}

export async function touchSession(db: Db, idHash: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ lastSeenAt: at }).where('idHash', '=', idHash).execute();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('idHash', '=', idHash).execute();
}

export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('userId', '=', userId).execute();
}

export async function insertApiToken(db: Db, row: { id: string; userId: string; tokenHash: string; name: string; expiresAt: Date }): Promise<ApiTokenRow> {
  return db.insertInto('apiTokens').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findApiToken(db: Db, tokenHash: string): Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
  const token = await db.selectFrom('apiTokens').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();
  if (!token) return undefined;
  const user = await findUserById(db, token.userId);
  return user ? { token, user } : undefined;
}

export async function revokeApiToken(db: Db, id: string, at: Date): Promise<boolean> {
  const r = await db.updateTable('apiTokens').set({ revokedAt: at }).where('id', '=', id).where('revokedAt', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
