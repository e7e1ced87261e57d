import { notFound } from '../../domain/errors.ts';
import type { Actor, Tx } from '../context.ts';
import { findDelivery } from '../../store/delivery.repository.ts';
import { readablePledgeFilter } from './lines.ts';

/** Entities whose records every role may read, so their history is open to every role too. */
const OPEN_ENTITIES = new Set(['requirement', 'nation', 'catalog', 'item-type', 'item-group', 'meeting', 'stock-report', 'fx-rate', 'plan']);

/**
 * Refuses (as "not found") the history of a record the actor may not read: the audit entries hold the
 * record's full before and after states, so they are exactly as sensitive as the record.
 * - coordinators read every history;
 * - pledges and deliveries: whoever may read the pledge line (releasability);
 * - reference and recipient records that every role reads: every role;
 * - anything else (accounts, tokens, scenario loads): coordinators only.
 */
export async function assertMayReadHistory(tx: Tx, actor: Actor, entity: string, recordId: string): Promise<void> {
  if (actor.role === 'coordinator') return;
  if (OPEN_ENTITIES.has(entity)) return;
  let pledgeId: string | undefined;
  if (entity === 'pledge') pledgeId = recordId;
  else if (entity === 'delivery') pledgeId = (await findDelivery(tx, recordId))?.pledgeId;
  if (pledgeId !== undefined && (await readablePledgeFilter(tx, actor, [pledgeId]))(pledgeId)) return;
  throw notFound(`history of ${entity}`, recordId);
}
