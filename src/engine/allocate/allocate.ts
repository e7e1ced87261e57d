import { isSingleChain, solveChain } from './chain.ts';
import { decomposeComponent, type Pairs } from './decompose.ts';
import { buildComponent, layoutProblem, type ComponentNetwork, type Layout } from './network.ts';
import { solveNetworkSimplex, type SimplexStats } from './network-simplex.ts';
import { prepare, type Prepared } from './prepare.ts';
import type { Allocation, AllocationProblem, AllocationResult, Unmet } from './types.ts';

/**
 * The allocation as a min-cost flow on a network linear in the number of lines (network.ts).
 *
 * Objective: maximise Σ q(p,r) × (weight(r) − penalty × max(0, available(p) − needBy(r))).
 * Constraints:
 * - Σ_r q(p,r) ≤ quantity(p) and Σ_p q(p,r) ≤ quantity(r); q integral and ≥ 0.
 * - q(p,r) > 0 only for allowed pairs: group accepted, caveats disjoint from uses, positive worth,
 *   and the designated requirement when the pledge has one.
 * Every source-to-sink path of the network's flow is an allowed pair or a bypass, so the min-cost flow
 * is the optimal allocation; paths of zero worth are dropped (they add nothing).
 */

/** The min-cost flow network the engine solves, for benchmarks that hand it to other solvers. */
export interface ExportedNetwork {
  nodeCount: number;
  arcCount: number;
  source: Int32Array;
  target: Int32Array;
  /** Infinity for uncapacitated arcs. */
  capacity: Float64Array;
  /** Integer costs after scaling by `scale`. */
  cost: Float64Array;
  /** Supply (+) or demand (−) of each node; they add up to zero. */
  supply: Float64Array;
  scale: number;
}

export interface AllocateOptions {
  /** Receives the solver's pivot counts per component, for benchmarks. */
  onStats?: (stats: SimplexStats & { solver: 'chain' | 'simplex'; nodes: number; arcs: number; scale: number }) => void;
  /** Receives each component's network before it is solved, for benchmarks. */
  onNetwork?: (network: ExportedNetwork) => void;
  /** Whether one-chain components go to the chain solver (default); false solves every component by the network simplex. */
  chainSolver?: boolean;
  /** Called as each step ends (per component for build, solve and decompose), for benchmarks that time them. */
  onStep?: (step: 'prepare' | 'layout' | 'build' | 'solve' | 'decompose' | 'assemble') => void;
}

/** Solves the allocation problem to optimality (see the objective above). The input must be valid. */
export function allocate(problem: AllocationProblem, options: AllocateOptions = {}): AllocationResult {
  const prep = prepare(problem);
  options.onStep?.('prepare');
  return allocatePrepared(prep, options);
}

/** Solves a problem already interned (prepare, or readAllocationProblem straight from a file's text). */
export function allocatePrepared(prep: Prepared, options: AllocateOptions = {}): AllocationResult {
  const step = options.onStep ?? (() => {});
  const layout = layoutProblem(prep, false);
  step('layout');
  const pairs: Pairs = { r: [], p: [], q: [] };
  for (let k = 0; k < layout.componentCount; k++) {
    const net = buildComponent(prep, layout, k, false);
    step('build');
    if (net.arcCount === 0) continue;
    solveComponent(prep, net, options);
    step('solve');
    const before = pairs.r.length;
    decomposeComponent(prep, net, pairs);
    checkWorth(prep, net, pairs, before);
    step('decompose');
  }
  const result = assemble(prep, layout, pairs);
  step('assemble');
  return result;
}

/** Solves one component's network in place; returns the optimal potentials (null when the chain solver, which keeps none, solved it). */
export function solveComponent(prep: Prepared, net: ComponentNetwork, options: AllocateOptions = {}): Float64Array | null {
  guardMagnitudes(prep, net);
  options.onNetwork?.({
    nodeCount: net.nodeCount,
    arcCount: net.arcCount,
    source: net.source.slice(),
    target: net.target.slice(),
    capacity: net.capacity.slice(),
    cost: net.cost.slice(),
    supply: net.supply.slice(),
    scale: prep.scale,
  });
  if (options.chainSolver !== false && prep.exact && isSingleChain(net) && solvedAsChain(prep, net)) {
    options.onStats?.({ pivots: 0, degeneratePivots: 0, costChange: 0, solver: 'chain', nodes: net.nodeCount, arcs: net.arcCount, scale: prep.scale });
    return null;
  }
  const { potential, ...stats } = solveNetworkSimplex(net, prep.exact ? 0 : toleranceFor(net));
  options.onStats?.({ ...stats, solver: 'simplex', nodes: net.nodeCount, arcs: net.arcCount, scale: prep.scale });
  return potential;
}

/**
 * Solves a one-chain component with the chain solver (chain.ts) when the flow it builds costs exactly
 * the optimum its recursion computed; otherwise puts the initial flow back for the network simplex.
 */
function solvedAsChain(prep: Prepared, net: ComponentNetwork): boolean {
  const initial = net.flow.slice();
  const n = net.nodeCount;
  const best = solveChain(net, prep.lambdaS, 64 * n * Math.max(1, Math.log2(n)));
  if (best !== null) {
    let flowCost = 0;
    for (let a = 0; a < net.arcCount; a++) if (net.flow[a] !== 0) flowCost += net.flow[a]! * net.cost[a]!;
    // Equal up to rounding: both sums are exact while they stay below 2^53, and differ only in order beyond.
    if (Math.abs(flowCost - best) <= 1e-12 * Math.max(1, Math.abs(best))) return true;
  }
  net.flow.set(initial);
  return false;
}

/**
 * Checks that doubles hold every value exactly: flows are bounded by the component's total supply,
 * potentials by the cost of a simple path (one drain, every chain edge at most once, one designation).
 */
function guardMagnitudes(prep: Prepared, net: ComponentNetwork): void {
  const totalSupply = -net.supply[0]!;
  if (totalSupply > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`the pledges of one component add up to ${totalSupply}, more than 2^53 − 1: flows would not be exact`);
  }
  if (!prep.exact) return;
  let pathBound = 0;
  for (let a = 0; a < net.arcCount; a++) if (net.cost[a]! > 0 && net.capacity[a] === Infinity) pathBound += net.cost[a]!;
  let maxWeight = 0;
  for (const r of net.reqs) maxWeight = Math.max(maxWeight, prep.weightS[r]!);
  if (3 * (pathBound + maxWeight) > Number.MAX_SAFE_INTEGER) prep.exact = false;
}

function toleranceFor(net: ComponentNetwork): number {
  let max = 0;
  for (let a = 0; a < net.arcCount; a++) max = Math.max(max, Math.abs(net.cost[a]!));
  return max * 1e-12;
}

/** The worth of the pairs read from a component must equal the worth of its flow: a cheap self-check. */
export function checkWorth(prep: Prepared, net: ComponentNetwork, pairs: Pairs, start: number): void {
  let flowWorth = 0;
  for (let a = 0; a < net.arcCount; a++) if (net.flow[a] !== 0 && net.cost[a] !== 0) flowWorth -= net.flow[a]! * net.cost[a]!;
  let pairWorth = 0;
  for (let i = start; i < pairs.r.length; i++) {
    const r = pairs.r[i]!;
    const p = pairs.p[i]!;
    pairWorth += pairs.q[i]! * (prep.weightS[r]! - prep.lambdaS * Math.max(0, prep.availDay[p]! - prep.needDay[r]!));
  }
  if (Math.abs(flowWorth - pairWorth) > 1e-9 * Math.max(1, Math.abs(flowWorth))) {
    throw new Error(`allocation decomposition lost worth: flow ${flowWorth}, pairs ${pairWorth}`);
  }
}

/**
 * Builds the contract's result from the pairs: allocations in input order (requirement, then pledge),
 * zero-worth pairs left out, and each requirement's shortfall with its reason.
 */
export function assemble(prep: Prepared, layout: Layout, pairs: Pairs): AllocationResult {
  const { R, requirementIds, pledgeIds, reqWeight, reqQty, latePenaltyPerDay: lambda, needDay, availDay, weightS, lambdaS } = prep;
  const count = pairs.r.length;
  const start = new Int32Array(R + 1);
  for (let i = 0; i < count; i++) start[pairs.r[i]! + 1]!++;
  for (let r = 0; r < R; r++) start[r + 1]! += start[r]!;
  const fill = start.slice(0, R);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[fill[pairs.r[i]!]!++] = i;
  const allocated = new Float64Array(R);
  const allocations: Allocation[] = [];
  let objective = 0;
  for (let r = 0; r < R; r++) {
    const from = start[r]!;
    const to = start[r + 1]!;
    // Pledges in input order within the requirement (lists are short: insertion sort).
    for (let i = from + 1; i < to; i++) {
      const x = order[i]!;
      let j = i - 1;
      while (j >= from && pairs.p[order[j]!]! > pairs.p[x]!) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = x;
    }
    const requirement = requirementIds[r]!;
    for (let i = from; i < to; i++) {
      const x = order[i]!;
      const p = pairs.p[x]!;
      const q = pairs.q[x]!;
      const late = Math.max(0, availDay[p]! - needDay[r]!);
      if (weightS[r]! - lambdaS * late <= 0) continue; // zero worth: adds nothing, and the pair is not allowed
      allocated[r]! += q;
      objective += q * (reqWeight[r]! - lambda * late);
      allocations.push({ pledge: pledgeIds[p]!, requirement, quantity: q, lateDays: late });
    }
  }
  const unmet: Unmet[] = [];
  for (let r = 0; r < R; r++) {
    const left = reqQty[r]! - allocated[r]!;
    if (left <= 0) continue;
    unmet.push({
      requirement: requirementIds[r]!,
      quantity: left,
      reason: !layout.compatible[r] ? 'no-compatible-supply' : !layout.positive[r] ? 'supply-too-late' : 'outranked',
    });
  }
  return { objective, allocations, unmet };
}
