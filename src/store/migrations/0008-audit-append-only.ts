import type { Kysely } from 'kysely';
import { execStatements } from './exec-statements.ts';

/**
 * The audit trail is append-only in the database itself: UPDATE, DELETE and TRUNCATE on audit_log
 * raise an error whoever issues them through the application. (Whoever owns the database can still
 * disable the triggers; the hash chain and signed checkpoints detect what such a person changes.)
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
create function audit_log_append_only() returns trigger language plpgsql as $$ begin raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = '42501'; end $$;
create trigger audit_log_no_update_delete before update or delete on audit_log for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only();
`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
drop trigger if exists audit_log_no_truncate on audit_log;
drop trigger if exists audit_log_no_update_delete on audit_log;
drop function if exists audit_log_append_only();
`);
}
