import type { Kysely } from 'kysely';
import { execStatements } from './exec-statements.ts';

/**
 * Accounts: users (role, nation), browser sessions and machine tokens. Secrets are never stored: the
 * password as an argon2id hash, session ids, CSRF tokens and API tokens as SHA-256 hashes. Idempotency
 * keys remember the first response of a POST so a retry replays it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
create table users (
  id text primary key,
  username text not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  role text not null check (role in ('coordinator','recipient','donor','industry','observer')),
  nation text references nations(code),
  password_hash text not null,
  disabled boolean not null default false,
  created_at timestamptz not null default now(),
  check (role in ('coordinator','observer') or nation is not null)
);
create table sessions (
  id_hash text primary key,
  user_id text not null references users(id) on delete cascade,
  csrf_hash text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user on sessions(user_id);
create table api_tokens (
  id text primary key,
  user_id text not null references users(id) on delete cascade,
  token_hash text not null unique,
  name text not null default '',
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create table idempotency_keys (
  key text not null,
  user_id text not null,
  method text not null,
  path text not null,
  request_hash text not null,
  status integer,
  response_body text,
  created_at timestamptz not null default now(),
  primary key (user_id, key)
);
`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
drop table if exists idempotency_keys;
drop table if exists api_tokens;
drop table if exists sessions;
drop table if exists users;
`);
}
