import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Why a plan leaves each of the given requirements unmet (requirements it meets are absent). A requirement
 * has one unmet line per plan in practice; should it have several, the last reason by name is kept.
 */
export async function loadUnmetReasons(db: Kysely<Database>, planId: string, requirementIds: readonly string[]): Promise<Map<string, string>> {
  if (requirementIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('planUnmet')
    .select(['requirementId', 'reason'])
    .where('planId', '=', planId)
    .where(sql<boolean>`requirement_id = any(${[...new Set(requirementIds)]}::text[])`)
    .orderBy('requirementId')
    .orderBy('reason')
    .execute();
  return new Map(rows.map((r) => [r.requirementId, r.reason]));
}
