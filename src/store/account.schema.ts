import type { ColumnType } from 'kysely';
import type { Database as _Database } from './schema.ts';

type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  id: string;
  username: string;
  role: string;
  nation: string | null;
  passwordHash: string;
  disabled: ColumnType<boolean, boolean | undefined, boolean>;
  createdAt: Stamp;
}

export interface SessionsTable {
  idHash: string;
  userId: string;
  csrfHash: string;
  createdAt: Stamp;
  lastSeenAt: Stamp;
  expiresAt: Stamp;
}

export interface ApiTokensTable {
  id: string;
  userId: string;
  tokenHash: string;
  name: string;
  createdAt: Stamp;
  expiresAt: Stamp;
  revokedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface IdempotencyKeysTable {
  key: string;
  userId: string;
  method: string;
  path: string;
  requestHash: string;
  status: number | null;
  responseBody: string | null;
  createdAt: Stamp;
}

// The account tables join Concord's Database interface here (declaration merging), beside their migration.
declare module './schema.ts' {
  interface Database {
    users: UsersTable;
    sessions: SessionsTable;
    apiTokens: ApiTokensTable;
    idempotencyKeys: IdempotencyKeysTable;
  }
}
export type { _Database };
