import { sql } from 'kysely';
import type { Actor, Tx } from '../context.ts';

/** The database role every use case runs as: owns no table, cannot bypass row-level security. */
export const APP_ROLE = 'concord_app';

/**
 * How much of the nation-scoped tables a use case may read:
 * - `lines`: only the rows the actor may see line by line (the default);
 * - `aggregate`: every row, because the use case returns only sums (per capability area and month,
 *   burden-sharing totals, meeting counts). Writes are never widened.
 */
export type RowScope = 'lines' | 'aggregate';

/**
 * Makes the rest of the transaction run as the application role with the actor's role and nation set,
 * so the row-level security policies of migration 0005-row-security apply (a second wall behind the
 * policy checks in code). `set_config(…, true)` is `SET LOCAL`: it ends with the transaction, so a pooled
 * connection never carries one actor's settings into another's request.
 */
export async function applyRowScope(tx: Tx, actor: Actor, scope: RowScope = 'lines'): Promise<void> {
  await sql`select set_config('role', ${APP_ROLE}, true), set_config('concord.role', ${actor.role}, true), set_config('concord.nation', ${actor.nation ?? ''}, true), set_config('concord.scope', ${scope}, true), set_config('concord.actor', ${actor.id}, true)`.execute(tx);
}
