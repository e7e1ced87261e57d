import type { Kysely } from 'kysely';
import { execStatements } from './exec-statements.ts';

/**
 * The audit trail: one row per change, appended in the change's own transaction.
 * - `hash` covers every other column and `prev_hash`, so editing, deleting, inserting or reordering
 *   any entry breaks the chain at that entry (see src/services/audit.ts).
 * - `at` is text so the exact string that was hashed is the one stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
create table audit_log (
  seq bigint primary key check (seq >= 1),
  at text not null,
  actor_id text not null,
  actor_role text not null,
  actor_nation char(3),
  entity text not null,
  record_id text not null,
  action text not null,
  before jsonb,
  after jsonb,
  prev_hash text not null,
  hash text not null unique
);
create index audit_log_record on audit_log(entity, record_id, seq);
`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `drop table if exists audit_log;`);
}
