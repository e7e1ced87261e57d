import { PRIORITY_WEIGHT, PLANNABLE_REQUIREMENT_STATUSES, type Priority } from '../../domain/requirements/requirement.ts';
import { PLANNABLE_PLEDGE_STATUSES } from '../../domain/pledges/pledge.ts';
import type { AllocationProblem } from '../../engine/allocate/index.ts';
import { loadPlanningRequirements, loadPlanningTranches } from '../../store/plan.repository.ts';
import type { Tx } from '../context.ts';

/** The engine's problem built from the database, and which supply lines are only advice to a donor. */
export interface PlanningSnapshot {
  problem: AllocationProblem;
  /** Tranche id → pledge id. */
  pledgeOfTranche: Map<string, string>;
  /** Tranches whose allocations are recommendations, not coordinated tasks. */
  recommendationTranches: Set<string>;
}

/**
 * Builds the allocation problem from validated requirements and committed-or-later tranches.
 * - Each tranche is one supply line, available on its expected date.
 * - A designated pledge stays with its requirement (the engine's designation).
 * - An undesignated bilateral pledge, and any pledge of an opted-out nation, is matched like the rest
 *   but its allocations are marked as recommendations to its donor.
 * - A designation to a requirement that is not plannable keeps the tranche out: it is promised elsewhere.
 */
export async function buildPlanningSnapshot(tx: Tx, latePenaltyPerDay: number): Promise<PlanningSnapshot> {
  const requirements = await loadPlanningRequirements(tx, PLANNABLE_REQUIREMENT_STATUSES);
  const tranches = await loadPlanningTranches(tx, PLANNABLE_PLEDGE_STATUSES);
  const plannable = new Set(requirements.map((r) => r.id));
  const pledgeOfTranche = new Map<string, string>();
  const recommendationTranches = new Set<string>();
  const pledges: AllocationProblem['pledges'] = [];
  for (const t of tranches) {
    if (t.designatedTo !== null && !plannable.has(t.designatedTo)) continue;
    pledgeOfTranche.set(t.trancheId, t.pledgeId);
    if (t.participation === 'opted-out' || (t.channel === 'bilateral' && t.designatedTo === null)) {
      recommendationTranches.add(t.trancheId);
    }
    pledges.push({
      id: t.trancheId,
      donor: t.donor,
      group: t.groupCode,
      quantity: t.quantity,
      available: t.expectedOn,
      forbids: t.forbids,
      designatedTo: t.designatedTo,
    });
  }
  const problem: AllocationProblem = {
    latePenaltyPerDay,
    requirements: requirements.map((r) => ({
      id: r.id,
      accepts: r.accepts,
      quantity: r.quantity,
      weight: PRIORITY_WEIGHT[r.priority as Priority],
      needBy: r.needBy,
      uses: r.uses,
    })),
    pledges,
  };
  return { problem, pledgeOfTranche, recommendationTranches };
}
