import type { Kysely } from 'kysely';
import { execStatements } from './exec-statements.ts';

/**
 * The row-level security helpers of 0005-row-security, redefined for report speed without changing what
 * they allow:
 * - all four are `parallel safe`, so PostgreSQL may plan parallel scans over pledges, tranches and
 *   deliveries (a function of unknown parallel safety forces a serial plan on every query the policies touch);
 * - `concord_labels_valid` checks the whole label array with one regular expression over the labels joined
 *   by `|` instead of a subquery over `unnest` per row. A label that itself contains `|` is refused first, so
 *   the joined string splits back into exactly the labels and the result is the same as before: true only
 *   for a non-empty array of known labels without nulls.
 * - Bodies are one line each: the migration runner splits statements at a line-ending `;`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
create or replace function concord_labels_valid(labels text[]) returns boolean language sql immutable parallel safe as $$ select coalesce(cardinality(labels) > 0 and array_position(labels, null) is null and strpos(array_to_string(labels, ''), '|') = 0 and array_to_string(labels, '|') ~ '^(owner|coordinators|recipient|all participants|REL TO [A-Z]{3})([|](owner|coordinators|recipient|all participants|REL TO [A-Z]{3}))*$', false) $$;
create or replace function concord_line_visible(line_owner text, labels text[]) returns boolean language sql stable parallel safe as $$ select coalesce(case current_setting('concord.role', true) when 'coordinator' then true when 'donor' then line_owner = current_setting('concord.nation', true) or (concord_labels_valid(labels) and labels && array['all participants', 'REL TO ' || current_setting('concord.nation', true)]) when 'recipient' then concord_labels_valid(labels) and labels && array['recipient', 'all participants', 'REL TO ' || current_setting('concord.nation', true)] else false end, false) $$;
create or replace function concord_line_writable(line_owner text) returns boolean language sql stable parallel safe as $$ select coalesce(case current_setting('concord.role', true) when 'coordinator' then true when 'donor' then line_owner = current_setting('concord.nation', true) else false end, false) $$;
create or replace function concord_reads_all() returns boolean language sql stable parallel safe as $$ select coalesce(current_setting('concord.scope', true) = 'aggregate' or current_setting('concord.role', true) = 'coordinator', false) $$;
`);
}

/** Back to the definitions of 0005-row-security. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
create or replace function concord_labels_valid(labels text[]) returns boolean language sql immutable parallel unsafe as $$ select labels is not null and cardinality(labels) > 0 and not exists (select 1 from unnest(labels) as l(v) where v is null or v !~ '^(owner|coordinators|recipient|all participants|REL TO [A-Z]{3})$') $$;
create or replace function concord_line_visible(line_owner text, labels text[]) returns boolean language sql stable parallel unsafe as $$ select coalesce(case current_setting('concord.role', true) when 'coordinator' then true when 'donor' then line_owner = current_setting('concord.nation', true) or (concord_labels_valid(labels) and labels && array['all participants', 'REL TO ' || current_setting('concord.nation', true)]) when 'recipient' then concord_labels_valid(labels) and labels && array['recipient', 'all participants', 'REL TO ' || current_setting('concord.nation', true)] else false end, false) $$;
create or replace function concord_line_writable(line_owner text) returns boolean language sql stable parallel unsafe as $$ select coalesce(case current_setting('concord.role', true) when 'coordinator' then true when 'donor' then line_owner = current_setting('concord.nation', true) else false end, false) $$;
create or replace function concord_reads_all() returns boolean language sql stable parallel unsafe as $$ select coalesce(current_setting('concord.scope', true) = 'aggregate' or current_setting('concord.role', true) = 'coordinator', false) $$;
`);
}
