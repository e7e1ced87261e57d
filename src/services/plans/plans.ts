import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { notFound } from '../../domain/errors.ts';
import { allocate } from '../../engine/allocate/index.ts';
import type { Plan, PlanDiff, PlanRun, PlanSummary } from '../../contracts/plans.ts';
import {
  findPlan,
  findPlanAllocations,
  findPlanProblem,
  findPlanUnmet,
  insertPlan,
  listPlanRows,
  nextPlanSeq,
  type PlanAllocationRow,
  type PlanRow,
  type PlanUnmetRow,
} from '../../store/plan.repository.ts';
import type { Actor, ServiceDeps } from '../context.ts';
import { runUseCase } from '../use-case.ts';
import { readablePledgeFilter } from '../access/lines.ts';
import { canonicalJson, recordChange } from '../audit.ts';
import { buildPlanningSnapshot } from './build-problem.ts';

function presentSummary(row: Omit<PlanRow, 'problem'>): PlanSummary {
  return { ...row, createdAt: new Date(row.createdAt).toISOString() };
}

/**
 * Solves the allocation of committed tranches to validated requirements and stores it as the next plan
 * version, with the fingerprint of its inputs.
 */
export async function runPlan(deps: ServiceDeps, actor: Actor, input: PlanRun): Promise<Plan> {
  return runUseCase(deps, actor, { entity: 'plan', verb: 'create' }, async (tx) => {
    const snapshot = await buildPlanningSnapshot(tx, input.latePenaltyPerDay);
    const started = performance.now();
    const result = allocate(snapshot.problem);
    const solveMs = performance.now() - started;
    const seq = await nextPlanSeq(tx);
    const id = `PLAN-${String(seq).padStart(4, '0')}`;
    const allocations: PlanAllocationRow[] = result.allocations.map((a) => ({
      planId: id,
      trancheId: a.pledge,
      pledgeId: snapshot.pledgeOfTranche.get(a.pledge) ?? a.pledge,
      requirementId: a.requirement,
      quantity: a.quantity,
      lateDays: a.lateDays,
      recommendation: snapshot.recommendationTranches.has(a.pledge),
    }));
    const unmet: PlanUnmetRow[] = result.unmet.map((u) => ({ planId: id, requirementId: u.requirement, quantity: u.quantity, reason: u.reason }));
    const stored = await insertPlan(
      tx,
      {
        id,
        seq,
        createdBy: actor.id,
        fingerprint: createHash('sha256').update(canonicalJson(snapshot.problem)).digest('hex'),
        objective: result.objective,
        latePenaltyPerDay: input.latePenaltyPerDay,
        requirementCount: snapshot.problem.requirements.length,
        supplyCount: snapshot.problem.pledges.length,
        allocatedQuantity: allocations.reduce((s, a) => s + a.quantity, 0),
        unmetQuantity: unmet.reduce((s, u) => s + u.quantity, 0),
        solveMs,
        problem: snapshot.problem,
        notes: input.notes,
      },
      allocations,
      unmet,
    );
    const { problem: _problem, ...summaryRow } = stored;
    const plan: Plan = { ...presentSummary(summaryRow), allocations: allocations.map(stripPlanId), unmet: unmet.map((u) => ({ ...stripPlanId(u), reason: u.reason as Plan['unmet'][number]['reason'] })) };
    await recordChange(tx, actor, {
      entity: 'plan',
      recordId: id,
      action: 'create',
      before: null,
      after: { ...presentSummary(summaryRow), allocationLines: allocations.length, unmetLines: unmet.length },
    });
    return plan;
  });
}

function stripPlanId<T extends { planId: string }>(row: T): Omit<T, 'planId'> {
  const { planId: _planId, ...rest } = row;
  return rest;
}

/** Reads a plan with its allocations and unmet needs. */
export async function getPlan(deps: ServiceDeps, actor: Actor, id: string): Promise<Plan> {
  return runUseCase(deps, actor, { entity: 'plan', verb: 'read' }, async (tx) => {
    const row = await findPlan(tx, id);
    if (!row) throw notFound('plan', id);
    const [allocations, unmet] = await Promise.all([findPlanAllocations(tx, id), findPlanUnmet(tx, id)]);
    // Allocation lines name pledges: each viewer gets those of the pledges it may read (releasability).
    const readable = await readablePledgeFilter(tx, actor, allocations.map((a) => a.pledgeId));
    return { ...presentSummary(row), allocations: allocations.filter((a) => readable(a.pledgeId)).map(stripPlanId), unmet: unmet.map((u) => ({ ...stripPlanId(u), reason: u.reason as Plan['unmet'][number]['reason'] })) };
  });
}

/** The problem a plan solved, for `concord plan --input` reproduction. */
export async function getPlanProblem(deps: ServiceDeps, actor: Actor, id: string): Promise<unknown> {
  return runUseCase(deps, actor, { entity: 'plan', verb: 'read' }, async (tx) => {
    const problem = await findPlanProblem(tx, id);
    if (problem === undefined) throw notFound('plan', id);
    return problem;
  });
}

/** Plan versions, newest first. */
export async function listPlans(deps: ServiceDeps, actor: Actor, limit = 50): Promise<{ items: PlanSummary[] }> {
  return runUseCase(deps, actor, { entity: 'plan', verb: 'read' }, async (tx) => ({ items: (await listPlanRows(tx, limit)).map(presentSummary) }));
}

/** What moved between two plans, and which requirements became unmet or met. */
export async function diffPlans(deps: ServiceDeps, actor: Actor, fromId: string, toId: string): Promise<PlanDiff> {
  return runUseCase(deps, actor, { entity: 'plan', verb: 'read' }, async (tx) => {
    const [from, to] = await Promise.all([findPlan(tx, fromId), findPlan(tx, toId)]);
    if (!from) throw notFound('plan', fromId);
    if (!to) throw notFound('plan', toId);
    const [fromAlloc, toAlloc, fromUnmet, toUnmet] = await Promise.all([
      findPlanAllocations(tx, fromId),
      findPlanAllocations(tx, toId),
      findPlanUnmet(tx, fromId),
      findPlanUnmet(tx, toId),
    ]);
    const diff = comparePlans(from, to, fromAlloc, toAlloc, fromUnmet, toUnmet);
    const readable = await readablePledgeFilter(tx, actor, diff.moved.map((m) => m.pledgeId));
    return { ...diff, moved: diff.moved.filter((m) => readable(m.pledgeId)) };
  });
}

/** Pure comparison of two stored plans; exported for tests. */
export function comparePlans(
  from: Pick<PlanRow, 'id' | 'objective'>,
  to: Pick<PlanRow, 'id' | 'objective'>,
  fromAlloc: readonly PlanAllocationRow[],
  toAlloc: readonly PlanAllocationRow[],
  fromUnmet: readonly PlanUnmetRow[],
  toUnmet: readonly PlanUnmetRow[],
): PlanDiff {
  const key = (a: PlanAllocationRow) => `${a.trancheId}\u0000${a.requirementId}`;
  const lines = new Map<string, { trancheId: string; pledgeId: string; requirementId: string; before: number; after: number }>();
  for (const a of fromAlloc) lines.set(key(a), { trancheId: a.trancheId, pledgeId: a.pledgeId, requirementId: a.requirementId, before: a.quantity, after: 0 });
  for (const a of toAlloc) {
    const line = lines.get(key(a));
    if (line) line.after = a.quantity;
    else lines.set(key(a), { trancheId: a.trancheId, pledgeId: a.pledgeId, requirementId: a.requirementId, before: 0, after: a.quantity });
  }
  const moved = [...lines.values()].filter((l) => l.before !== l.after);
  const unmetTotals = (rows: readonly PlanUnmetRow[]) => {
    const m = new Map<string, { quantity: number; reason: string }>();
    for (const u of rows) {
      const prev = m.get(u.requirementId);
      m.set(u.requirementId, { quantity: (prev?.quantity ?? 0) + u.quantity, reason: u.reason });
    }
    return m;
  };
  const before = unmetTotals(fromUnmet);
  const after = unmetTotals(toUnmet);
  const newlyUnmet: PlanDiff['newlyUnmet'] = [];
  for (const [requirementId, u] of after) {
    const b = before.get(requirementId)?.quantity ?? 0;
    if (u.quantity > b) newlyUnmet.push({ requirementId, before: b, after: u.quantity, reason: u.reason as PlanDiff['newlyUnmet'][number]['reason'] });
  }
  const nowMet: PlanDiff['nowMet'] = [];
  for (const [requirementId, u] of before) {
    const a = after.get(requirementId)?.quantity ?? 0;
    if (a < u.quantity) nowMet.push({ requirementId, before: u.quantity, after: a });
  }
  return { from: from.id, to: to.id, objectiveChange: to.objective - from.objective, moved, newlyUnmet, nowMet };
}
