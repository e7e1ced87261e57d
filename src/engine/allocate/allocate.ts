import { isSingleChain, solveChain } from './chain.ts';
import { decomposeComponent, type Pairs } from './decompose.ts';
import { buildComponent, layoutProblem, type ComponentNetwork, type Layout } from './network.ts';
import { solveNetworkSimplex, type SimplexStats } from './network-simplex.ts';
import { prepare, type Prepared } from './prepare.ts';
import type { Allocation, AllocationProblem, AllocationResult, Unmet, UnmetReason } from './types.ts';

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

/** What the engine found, before it is written out: the problem's tables, its layout and the allocated pairs. */
export interface SolvedAllocation {
  prep: Prepared;
  layout: Layout;
  pairs: Pairs;
}

/** Solves a problem already interned (prepare, or readAllocationProblem straight from a file's text). */
export function allocatePrepared(prep: Prepared, options: AllocateOptions = {}): AllocationResult {
  const result = assemble(solvePrepared(prep, options));
  options.onStep?.('assemble');
  return result;
}

/**
 * Solves without building the result's objects, for callers that write the answer straight out
 * (writeAllocationJson) or read what they need from the pairs.
 */
export function solvePrepared(prep: Prepared, options: AllocateOptions = {}): SolvedAllocation {
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
  return { prep, layout, pairs };
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

/** The result's lines in order, with the totals that come from them (see orderLines). */
export interface LineOrder {
  /** Pledge and quantity of each line, requirement by requirement; zero-worth pairs left out. */
  pledge: Int32Array;
  quantity: Float64Array;
  /** Requirement r's lines are start[r] … start[r + 1] − 1. */
  start: Int32Array;
  /** Units allocated to each requirement. */
  allocated: Float64Array;
  /** Σ quantity × (weight − penalty × lateDays), summed line by line in this order. */
  objective: number;
}

/**
 * The pairs in the contract's order (requirement, then pledge, both in input order), zero-worth pairs
 * left out, with the objective: one ordering shared by assemble and writeAllocationJson, so that both
 * give the same lines and the same objective to the last bit.
 * - Pledge and quantity are copied into line order (not an index into the pairs): the pairs come in
 *   the network's order, and reading them by index costs a cache miss per line, in each pass.
 */
export function orderLines({ prep, pairs }: SolvedAllocation): LineOrder {
  const { R, reqWeight, latePenaltyPerDay: lambda, needDay, availDay, weightS, lambdaS } = prep;
  const count = pairs.r.length;
  const start = new Int32Array(R + 1);
  for (let i = 0; i < count; i++) start[pairs.r[i]! + 1]!++;
  for (let r = 0; r < R; r++) start[r + 1]! += start[r]!;
  const fill = start.slice(0, R);
  const pledge = new Int32Array(count);
  const quantity = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const at = fill[pairs.r[i]!]!++;
    pledge[at] = pairs.p[i]!;
    quantity[at] = pairs.q[i]!;
  }
  const allocated = new Float64Array(R);
  let objective = 0;
  let kept = 0;
  for (let r = 0; r < R; r++) {
    const from = start[r]!;
    const to = start[r + 1]!;
    // Pledges in input order within the requirement (lists are short: insertion sort, stable).
    for (let i = from + 1; i < to; i++) {
      const p = pledge[i]!;
      const q = quantity[i]!;
      let j = i - 1;
      while (j >= from && pledge[j]! > p) {
        pledge[j + 1] = pledge[j]!;
        quantity[j + 1] = quantity[j]!;
        j--;
      }
      pledge[j + 1] = p;
      quantity[j + 1] = q;
    }
    start[r] = kept;
    for (let i = from; i < to; i++) {
      const p = pledge[i]!;
      const q = quantity[i]!;
      const late = Math.max(0, availDay[p]! - needDay[r]!);
      if (weightS[r]! - lambdaS * late <= 0) continue; // zero worth: adds nothing, and the pair is not allowed
      allocated[r]! += q;
      objective += q * (reqWeight[r]! - lambda * late);
      pledge[kept] = p;
      quantity[kept++] = q;
    }
  }
  start[R] = kept;
  return { pledge: pledge.subarray(0, kept), quantity: quantity.subarray(0, kept), start, allocated, objective };
}

/** Why requirement r is left short: no compatible supply at all, none in time, or outranked by higher worth. */
export function unmetReason(layout: Layout, r: number): UnmetReason {
  return !layout.compatible[r] ? 'no-compatible-supply' : !layout.positive[r] ? 'supply-too-late' : 'outranked';
}

/**
 * Builds the contract's result from the pairs: allocations in input order (requirement, then pledge),
 * zero-worth pairs left out, and each requirement's shortfall with its reason.
 */
export function assemble(solved: SolvedAllocation): AllocationResult {
  const { prep, layout } = solved;
  const { R, requirementIds, pledgeIds, reqQty, needDay, availDay } = prep;
  const { pledge, quantity, start, allocated, objective } = orderLines(solved);
  const allocations: Allocation[] = [];
  for (let r = 0; r < R; r++) {
    const requirement = requirementIds.at(r)!;
    for (let i = start[r]!; i < start[r + 1]!; i++) {
      const p = pledge[i]!;
      allocations.push({ pledge: pledgeIds.at(p)!, requirement, quantity: quantity[i]!, lateDays: Math.max(0, availDay[p]! - needDay[r]!) });
    }
  }
  const unmet: Unmet[] = [];
  for (let r = 0; r < R; r++) {
    const left = reqQty[r]! - allocated[r]!;
    if (left > 0) unmet.push({ requirement: requirementIds.at(r)!, quantity: left, reason: unmetReason(layout, r) });
  }
  return { objective, allocations, unmet };
}
