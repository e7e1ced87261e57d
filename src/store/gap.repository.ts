import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** One unmet need of the current plan, with what the brief shows of its requirement. */
export interface GapRow {
  requirementId: string;
  title: string;
  capabilityArea: string;
  priority: number;
  needBy: string;
  quantity: number;
  reason: string;
}

/** The latest plan's unmet needs, most urgent first (priority, then need-by date, then id). */
export async function loadTopGaps(db: Kysely<Database>, limit: number): Promise<{ planId: string | null; gaps: GapRow[] }> {
  const plan = await db.selectFrom('plans').select('id').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if (!plan) return { planId: null, gaps: [] };
  const gaps = await db
    .selectFrom('planUnmet as u')
    .innerJoin('requirements as r', 'r.id', 'u.requirementId')
    .select(['u.requirementId', 'r.title', 'r.capabilityArea', 'r.priority', 'r.needBy', 'u.quantity', 'u.reason'])
    .where('u.planId', '=', plan.id)
    .orderBy('r.priority')
    .orderBy('r.needBy')
    .orderBy('u.requirementId')
    .limit(limit)
    .execute();
  return { planId: plan.id, gaps };
}
