import type { Actor, Tx } from '../context.ts';
import { mayReadLine, type Releasable } from './releasability.ts';

/**
 * Whose line each pledge is and to whom it is released, for the pledges named. Pledges the transaction
 * cannot see (row-level security) are simply absent, which every caller treats as "may not read".
 */
export async function findPledgeLines(tx: Tx, pledgeIds: readonly string[]): Promise<Map<string, Releasable>> {
  const ids = [...new Set(pledgeIds)];
  const lines = new Map<string, Releasable>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await tx.selectFrom('pledges').select(['id', 'donor', 'releasability']).where('id', 'in', ids.slice(i, i + 1000)).execute();
    for (const r of rows) lines.set(r.id, { owner: r.donor.trim(), releasability: r.releasability });
  }
  return lines;
}

/** A test of "may the actor read pledge X's line" for the pledges named, loaded in one query. */
export async function readablePledgeFilter(tx: Tx, actor: Actor, pledgeIds: readonly string[]): Promise<(pledgeId: string) => boolean> {
  if (actor.role === 'coordinator') return () => true;
  if (actor.role === 'industry' || actor.role === 'observer') return () => false;
  const lines = await findPledgeLines(tx, pledgeIds);
  return (id) => {
    const line = lines.get(id);
    return line !== undefined && mayReadLine(actor, line);
  };
}
