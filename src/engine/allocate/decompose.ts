import type { ComponentNetwork } from './network.ts';
import type { Prepared } from './prepare.ts';

/** (requirement, pledge, quantity) triples in global line indexes. */
export interface Pairs {
  r: number[];
  p: number[];
  q: number[];
}

/**
 * Reads one component's optimal flow back as (pledge, requirement) quantities.
 * - Designated pledges: the flow on their arc to the requirement.
 * - Chains: opposite flows on one edge cancel first, so each edge carries flow one way and every
 *   unit travels monotonically in time from its pledge's date to its requirement's need-by date.
 *   Nodes are visited in the order of that flow (a path always has one). At each node the units
 *   present (stacks of [pledge, quantity]) feed the attachments; what is left moves on as a whole
 *   list, handed over rather than copied, so the work is linear in nodes plus packets.
 */
export interface DecomposeHooks {
  /** Leave the designated pledges out. */
  skipDesignated?: boolean;
  /** Only these chains (all when absent). */
  chains?: (j: number) => boolean;
  /** Whether pledge p still sits at chain node v (a re-planned pledge may have moved). */
  sitsAt?: (p: number, v: number) => boolean;
  /** Extra supply entering chain node v from side nodes, as [pledge, quantity, …]. */
  inject?: (v: number, list: number[]) => void;
  /** Flow leaving chain node v straight to the sink other than by the chain's bypass (a re-plan's retired way out). */
  leaves?: (v: number) => number;
}

export function decomposeComponent(prep: Prepared, net: ComponentNetwork, out: Pairs, hooks: DecomposeHooks = {}): void {
  const { flow } = net;
  for (let i = 0; i < (hooks.skipDesignated ? 0 : net.desPledges.length); i++) {
    const q = flow[net.desArc[i]!]!;
    if (q > 0) {
      out.p.push(net.desPledges[i]!);
      out.r.push(prep.designatedReq[net.desPledges[i]!]!);
      out.q.push(q);
    }
  }
  const n = net.nodeCount;
  const packets: (number[] | null)[] = new Array<number[] | null>(n).fill(null);
  const indeg = new Int8Array(n);
  const queue = new Int32Array(n);

  const take = (list: number[], amount: number, req: number, moving: number[] | null): void => {
    let need = amount;
    while (need > 0 && list.length > 0) {
      const top = list.length - 1;
      const have = list[top]!;
      const p = list[top - 1]!;
      const q = have < need ? have : need;
      if (moving) moving.push(p, q);
      else {
        out.r.push(req);
        out.p.push(p);
        out.q.push(q);
      }
      need -= q;
      if (q === have) list.length -= 2;
      else list[top] = have - q;
    }
  };
  const deliver = (list: number[], v: number): void => {
    const there = packets[v];
    if (!there) packets[v] = list;
    else if (there.length >= list.length) for (let i = 0; i < list.length; i++) there.push(list[i]!);
    else {
      for (let i = 0; i < there.length; i++) list.push(there[i]!);
      packets[v] = list;
    }
  };
  /** Net flow from v to v + 1 (negative: from v + 1 to v). */
  const netRight = (v: number) => flow[net.fwdArc[v]!]! - flow[net.bwdArc[v]!]!;

  for (let j = 0; j < net.chains.length; j++) {
    if (hooks.chains && !hooks.chains(j)) continue;
    const first = net.chainFirst[j]!;
    const last = net.chainFirst[j + 1]! - 1;
    for (let v = first; v < last; v++) {
      const x = netRight(v);
      if (x > 0) indeg[v + 1]!++;
      else if (x < 0) indeg[v]!++;
    }
    let tail = 0;
    for (let v = first; v <= last; v++) if (indeg[v] === 0) queue[tail++] = v;
    for (let head = 0; head < tail; head++) {
      const v = queue[head]!;
      const list = packets[v] ?? [];
      packets[v] = null;
      for (let i = net.nodePledgeStart[v]!; i < net.nodePledgeStart[v + 1]!; i++) {
        const p = net.nodePledges[i]!;
        if (!hooks.sitsAt || hooks.sitsAt(p, v)) list.push(p, prep.pledgeQty[p]!);
      }
      hooks.inject?.(v, list);
      for (let i = net.nodeAttStart[v]!; i < net.nodeAttStart[v + 1]!; i++) {
        const f = flow[net.nodeAttArc[i]!]!;
        if (f > 0) take(list, f, net.nodeAttReq[i]!, null);
      }
      const left = v > first && netRight(v - 1) < 0 ? -netRight(v - 1) : 0;
      const right = v < last && netRight(v) > 0 ? netRight(v) : 0;
      const away = v < last && hooks.leaves ? hooks.leaves(v) : 0;
      if (left > 0) {
        // Split off exactly what leaves to the left when something else also leaves this node: flow
        // to the right, the unused rest through the bypass at the chain's last node, or flow leaving
        // by another way out.
        if (right > 0 || v === last || away > 0) {
          const moving: number[] = [];
          take(list, left, -1, moving);
          deliver(moving, v - 1);
        } else deliver(list, v - 1);
        if (--indeg[v - 1]! === 0) queue[tail++] = v - 1;
      }
      // Units that leave by another way out are unused: they must not move on with the rest.
      if (away > 0) take(list, away, -1, []);
      if (right > 0) {
        deliver(list, v + 1);
        if (--indeg[v + 1]! === 0) queue[tail++] = v + 1;
      }
    }
    for (let v = first; v <= last; v++) packets[v] = null;
  }
}
