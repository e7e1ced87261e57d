import { DomainError, invalidInput, notFound, type FieldIssue } from '../../domain/errors.ts';
import { slippageDays, type DeliveryStatus } from '../../domain/deliveries/delivery.ts';
import type { PledgeStatus } from '../../domain/pledges/pledge.ts';
import type { Delivery, DeliveryCreate, DeliveryListQuery, DeliveryPage, DeliveryReceipt, DeliveryUpdate } from '../../contracts/deliveries.ts';
import {
  deliveryExists,
  findDelivery,
  insertDelivery,
  listDeliveryRows,
  nextDeliveryId,
  updateDeliveryRow,
  type DeliveryRow,
  type DeliveryWithPledgeRow,
} from '../../store/delivery.repository.ts';
import { findPledge, findTranche, findTranchesOfPledges, trancheProgress, type PledgeRow } from '../../store/pledge.repository.ts';
import type { Actor, ServiceDeps, Tx } from '../context.ts';
import { runUseCase } from '../use-case.ts';
import { recordChanges, type Change } from '../audit.ts';
import { checkVersion } from '../versions.ts';
import { movePledge } from '../pledges/pledges.ts';
import { assertOwnPledge, assertReadable, assertSeesLines, filterReadable } from '../pledges/pledge-access.ts';
import { mayReadLine } from '../access/releasability.ts';
import { findPledgeLines } from '../access/lines.ts';

/** Pledge statuses against which goods may ship. */
const SHIPPABLE: readonly PledgeStatus[] = ['committed', 'contracted', 'delivering'];

/** Shapes a stored delivery for a viewer, with its slippage. */
export function presentDelivery(row: DeliveryRow, pledge: { pledgeId: string; donor: string; groupCode: string | null }): Delivery {
  return {
    id: row.id,
    trancheId: row.trancheId,
    pledgeId: pledge.pledgeId,
    donor: pledge.donor.trim(),
    group: pledge.groupCode,
    quantity: row.quantity,
    promisedOn: row.promisedOn,
    shippedOn: row.shippedOn,
    receivedOn: row.receivedOn,
    slippageDays: slippageDays(row),
    hub: row.hub,
    status: row.status as DeliveryStatus,
    notes: row.notes,
    version: row.version,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

const presentWith = (row: DeliveryWithPledgeRow) => presentDelivery(row, row);

/** Receipt is the recipient's act (or the coordinator's on its behalf), never the donor's. */
function assertMayConfirmReceipt(actor: Actor): void {
  if (actor.role !== 'recipient' && actor.role !== 'coordinator') {
    throw new DomainError('not_allowed', `receipt is confirmed by the recipient, not by a ${actor.role}`);
  }
}

/**
 * Moves a pledge along after its deliveries changed, inside the caller's transaction:
 * - the first shipment of a committed or contracted pledge makes it delivering;
 * - once every tranche is received in full, a delivering pledge becomes delivered.
 * Returns the audit changes of the moves made.
 */
async function advancePledge(tx: Tx, pledge: PledgeRow): Promise<Change[]> {
  const changes: Change[] = [];
  let row = pledge;
  if (row.status === 'committed' || row.status === 'contracted') {
    const moved = await movePledge(tx, row, 'delivering');
    row = moved.row;
    changes.push(moved.change);
  }
  if (row.status === 'delivering') {
    const tranches = await findTranchesOfPledges(tx, [row.id]);
    const progress = await trancheProgress(tx, tranches.map((t) => t.id));
    const complete = tranches.length > 0 && tranches.every((t) => t.quantity !== null && (progress.get(t.id)?.received ?? 0) >= t.quantity);
    if (complete) changes.push((await movePledge(tx, row, 'delivered')).change);
  }
  return changes;
}

/**
 * Records a shipment against a tranche: the promised date is the tranche's expected date, shipments may
 * not exceed the tranche, and the first one moves a committed pledge to delivering.
 */
export async function recordDelivery(deps: ServiceDeps, actor: Actor, input: DeliveryCreate): Promise<Delivery> {
  return runUseCase(deps, actor, { entity: 'delivery', verb: 'create' }, async (tx) => {
    if (actor.role === 'recipient') throw new DomainError('not_allowed', 'shipments are recorded by the donor or the coordinator; the recipient confirms receipt');
    const tranche = await findTranche(tx, input.trancheId);
    if (!tranche) throw invalidInput(`unknown tranche ${input.trancheId}`, [{ path: '/trancheId', message: `unknown tranche ${input.trancheId}` }]);
    // Lock the pledge first: concurrent shipments of the same pledge queue here, so none over-ships.
    const pledge = await findPledge(tx, tranche.pledgeId, true);
    if (!pledge) throw invalidInput(`unknown tranche ${input.trancheId}`, [{ path: '/trancheId', message: `unknown tranche ${input.trancheId}` }]);
    const donor = pledge.donor.trim();
    if (!mayReadLine(actor, { owner: donor, releasability: pledge.releasability })) {
      throw invalidInput(`unknown tranche ${input.trancheId}`, [{ path: '/trancheId', message: `unknown tranche ${input.trancheId}` }]);
    }
    assertOwnPledge(actor, donor, 'ship against');
    if (input.receivedOn !== undefined) assertMayConfirmReceipt(actor);
    if (pledge.kind === 'funding' || tranche.quantity === null) {
      throw invalidInput(`${tranche.id} is a tranche of a funding pledge; deliveries are of goods`, [{ path: '/trancheId', message: 'is a tranche of a funding pledge' }]);
    }
    if (!SHIPPABLE.includes(pledge.status as PledgeStatus)) {
      const why = pledge.status === 'announced' ? 'it must be committed before anything ships against it' : 'nothing more can ship against it';
      throw new DomainError('conflict', `pledge ${pledge.id} is ${pledge.status}; ${why}`, [{ path: '/trancheId', message: `pledge ${pledge.id} is ${pledge.status}` }]);
    }
    const issues: FieldIssue[] = [];
    if (input.shippedOn < pledge.announcedOn) issues.push({ path: '/shippedOn', message: `${input.shippedOn} is before the pledge was announced on ${pledge.announcedOn}` });
    const shipped = (await trancheProgress(tx, [tranche.id])).get(tranche.id)?.delivered ?? 0;
    const remaining = tranche.quantity - shipped;
    if (input.quantity > remaining) {
      issues.push({ path: '/quantity', message: `${input.quantity} is more than the ${remaining} remaining of tranche ${tranche.id} (${shipped} of ${tranche.quantity} already shipped)` });
    }
    if (issues.length > 0) throw invalidInput('the delivery breaks a rule', issues);
    if (input.id && (await deliveryExists(tx, input.id))) {
      throw new DomainError('conflict', `delivery ${input.id} already exists`, [{ path: '/id', message: 'already exists' }]);
    }
    const id = input.id ?? (await nextDeliveryId(tx));
    const row = await insertDelivery(tx, {
      id,
      trancheId: tranche.id,
      quantity: input.quantity,
      promisedOn: tranche.expectedOn,
      shippedOn: input.shippedOn,
      receivedOn: input.receivedOn ?? null,
      hub: input.hub,
      status: input.receivedOn ? 'received' : 'shipped',
      notes: input.notes,
    });
    const created = presentDelivery(row, { pledgeId: pledge.id, donor, groupCode: pledge.groupCode });
    const changes: Change[] = [{ entity: 'delivery', recordId: id, action: 'create', before: null, after: created }];
    changes.push(...(await advancePledge(tx, pledge)));
    await recordChanges(tx, actor, changes);
    return created;
  });
}

/** Locks the delivery's pledge, then the delivery, always in that order (as recordDelivery does). */
async function lockDelivery(tx: Tx, id: string): Promise<{ delivery: DeliveryWithPledgeRow; pledge: PledgeRow }> {
  const peek = await findDelivery(tx, id);
  if (!peek) throw notFound('delivery', id);
  const pledge = await findPledge(tx, peek.pledgeId, true);
  if (!pledge) throw notFound('delivery', id);
  const delivery = (await findDelivery(tx, id, true))!;
  return { delivery, pledge };
}

/**
 * The recipient confirms that a delivery arrived; when that completes every tranche of the pledge, the
 * pledge becomes delivered.
 */
export async function confirmReceipt(deps: ServiceDeps, actor: Actor, id: string, input: DeliveryReceipt, expectedVersion?: number): Promise<Delivery> {
  return runUseCase(deps, actor, { entity: 'delivery', verb: 'update' }, async (tx) => {
    assertMayConfirmReceipt(actor);
    const { delivery, pledge } = await lockDelivery(tx, id);
    assertReadable(actor, { owner: pledge.donor, releasability: pledge.releasability }, 'delivery', id);
    const version = checkVersion('delivery', id, delivery.version, expectedVersion);
    if (delivery.status === 'received') {
      throw new DomainError('conflict', `delivery ${id} was already received on ${delivery.receivedOn}`, [{ path: '/receivedOn', message: 'already received' }]);
    }
    if (input.receivedOn < delivery.shippedOn) {
      throw invalidInput(`the receipt date is before the delivery shipped`, [{ path: '/receivedOn', message: `${input.receivedOn} is before the shipping date ${delivery.shippedOn}` }]);
    }
    const updated = await updateDeliveryRow(tx, id, { receivedOn: input.receivedOn, status: 'received' }, version);
    if (!updated) throw new DomainError('precondition_failed', `delivery ${id} changed while it was being updated`);
    const after = presentDelivery(updated, delivery);
    const changes: Change[] = [{ entity: 'delivery', recordId: id, action: 'transition:received', before: presentWith(delivery), after }];
    if (pledge.status !== 'withdrawn') changes.push(...(await advancePledge(tx, pledge)));
    await recordChanges(tx, actor, changes);
    return after;
  });
}

/** Reads one delivery with its slippage. */
export async function getDelivery(deps: ServiceDeps, actor: Actor, id: string): Promise<Delivery> {
  return runUseCase(deps, actor, { entity: 'delivery', verb: 'read' }, async (tx) => {
    const row = await findDelivery(tx, id);
    if (!row) throw notFound('delivery', id);
    assertReadable(actor, (await findPledgeLines(tx, [row.pledgeId])).get(row.pledgeId), 'delivery', id);
    return presentWith(row);
  });
}

/**
 * Corrects a delivery's hub, notes or dates, refusing a stale version. The receipt date may be corrected
 * only once a receipt exists (confirming one is confirmReceipt's job), and only by the recipient's side.
 */
export async function updateDelivery(deps: ServiceDeps, actor: Actor, id: string, patch: DeliveryUpdate, expectedVersion?: number): Promise<Delivery> {
  return runUseCase(deps, actor, { entity: 'delivery', verb: 'update' }, async (tx) => {
    const { delivery, pledge } = await lockDelivery(tx, id);
    assertReadable(actor, { owner: pledge.donor, releasability: pledge.releasability }, 'delivery', id);
    const donor = pledge.donor.trim();
    if (actor.role === 'donor') assertOwnPledge(actor, donor, 'change deliveries of');
    if (actor.role === 'recipient' && (patch.hub !== undefined || patch.shippedOn !== undefined)) {
      throw new DomainError('not_allowed', 'the hub and shipping date are the donor’s to correct');
    }
    if (patch.receivedOn !== undefined) assertMayConfirmReceipt(actor);
    const version = checkVersion('delivery', id, delivery.version, expectedVersion);
    if (patch.receivedOn !== undefined && delivery.status !== 'received') {
      throw new DomainError('conflict', `delivery ${id} has not been received yet; confirm its receipt with POST /api/deliveries/${id}/receipt`, [
        { path: '/receivedOn', message: 'not yet received' },
      ]);
    }
    const shippedOn = patch.shippedOn ?? delivery.shippedOn;
    const receivedOn = patch.receivedOn ?? delivery.receivedOn;
    const issues: FieldIssue[] = [];
    if (patch.shippedOn !== undefined && shippedOn < pledge.announcedOn) {
      issues.push({ path: '/shippedOn', message: `${shippedOn} is before the pledge was announced on ${pledge.announcedOn}` });
    }
    if (receivedOn !== null && receivedOn < shippedOn) {
      const path = patch.receivedOn !== undefined ? '/receivedOn' : '/shippedOn';
      issues.push({ path, message: `the delivery would be received on ${receivedOn}, before it shipped on ${shippedOn}` });
    }
    if (issues.length > 0) throw invalidInput('the change breaks a rule of the delivery', issues);
    const updated = await updateDeliveryRow(
      tx,
      id,
      {
        ...(patch.hub !== undefined ? { hub: patch.hub } : {}),
        ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
        ...(patch.shippedOn !== undefined ? { shippedOn: patch.shippedOn } : {}),
        ...(patch.receivedOn !== undefined ? { receivedOn: patch.receivedOn } : {}),
      },
      version,
    );
    if (!updated) throw new DomainError('precondition_failed', `delivery ${id} changed while it was being updated`);
    const after = presentDelivery(updated, delivery);
    await recordChanges(tx, actor, [{ entity: 'delivery', recordId: id, action: 'update', before: presentWith(delivery), after }]);
    return after;
  });
}

/** Lists deliveries by filter, sorted and paged with a cursor. */
export async function listDeliveries(deps: ServiceDeps, actor: Actor, query: DeliveryListQuery): Promise<DeliveryPage> {
  return runUseCase(deps, actor, { entity: 'delivery', verb: 'read' }, async (tx) => {
    assertSeesLines(actor);
    // Row-level security leaves out deliveries of pledges the actor may not read; the filter is the same rule in code.
    const page = await listDeliveryRows(tx, query, query.sort, { order: query.order, limit: query.limit, cursor: query.cursor });
    const lines = await findPledgeLines(tx, page.items.map((d) => d.pledgeId));
    return { items: filterReadable(actor, page.items, (d) => lines.get(d.pledgeId)).map(presentWith), nextCursor: page.nextCursor };
  });
}
