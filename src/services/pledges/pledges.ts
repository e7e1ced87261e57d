import { assertTransition, allowedNext } from '../../domain/lifecycle.ts';
import { DomainError, invalidInput, notFound, type FieldIssue } from '../../domain/errors.ts';
import { PLEDGE_LIFECYCLE, type PledgeStatus } from '../../domain/pledges/pledge.ts';
import { moneyFromMajor, toMajor } from '../../domain/money/money.ts';
import {
  pledgeShapeIssues,
  type Pledge,
  type PledgeCreate,
  type PledgeListQuery,
  type PledgePage,
  type PledgeShape,
  type PledgeTransition,
  type PledgeUpdate,
  type Tranche,
  type TrancheInput,
} from '../../contracts/pledges.ts';
import {
  findPledge,
  findRequirementForDesignation,
  findTranchesOfPledges,
  insertPledge,
  listPledgeRows,
  meetingExists,
  nationExists,
  nextPledgeId,
  replaceTranches,
  trancheIdOf,
  trancheProgress,
  updatePledgeRow,
  type PledgeRow,
  type TrancheProgress,
  type TrancheRow,
} from '../../store/pledge.repository.ts';
import type { Actor, ServiceDeps, Tx } from '../context.ts';
import { runUseCase } from '../use-case.ts';
import { recordChange, type Change } from '../audit.ts';
import { findItem, groupArea } from '../catalog-refs.ts';
import { checkVersion } from '../versions.ts';
import { assertOwnPledge, assertReadable, assertSeesLines, filterReadable } from './pledge-access.ts';
import { DEFAULT_RELEASABILITY, normaliseReleasability } from '../access/releasability.ts';

/** Statuses in which a pledge's terms (item, quantity, tranches, …) may still change. */
const EDITABLE: readonly PledgeStatus[] = ['announced', 'committed'];

const major = (minor: number | null, currency: string | null) => (minor === null ? null : toMajor({ minor, currency: currency ?? 'EUR' }));

/** Shapes a stored pledge, its tranches and their progress for a viewer. */
export function presentPledge(row: PledgeRow, tranches: readonly TrancheRow[], progress: ReadonlyMap<string, TrancheProgress>): Pledge {
  const currency = row.currency?.trim() ?? null;
  return {
    id: row.id,
    donor: row.donor.trim(),
    kind: row.kind as Pledge['kind'],
    channel: row.channel as Pledge['channel'],
    itemCode: row.itemCode,
    group: row.groupCode,
    capabilityArea: row.capabilityArea as Pledge['capabilityArea'],
    quantity: row.quantity,
    amount: major(row.amountMinor, currency),
    amountMinor: row.amountMinor,
    currency,
    horizon: row.horizon as Pledge['horizon'],
    years: row.years,
    forbids: row.forbids,
    designatedTo: row.designatedTo,
    meetingId: row.meetingId,
    announcedOn: row.announcedOn,
    status: row.status as PledgeStatus,
    allowedNext: [...allowedNext(PLEDGE_LIFECYCLE, row.status as PledgeStatus)],
    notes: row.notes,
    releasability: row.releasability ?? [],
    tranches: tranches
      .filter((t) => t.pledgeId === row.id)
      .sort((a, b) => a.seq - b.seq)
      .map(
        (t): Tranche => ({
          id: t.id,
          seq: t.seq,
          quantity: t.quantity,
          amount: major(t.amountMinor, currency),
          amountMinor: t.amountMinor,
          expectedOn: t.expectedOn,
          deliveredQuantity: progress.get(t.id)?.delivered ?? 0,
          receivedQuantity: progress.get(t.id)?.received ?? 0,
        }),
      ),
    version: row.version,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** Reads a pledge with its tranches and their progress inside a transaction; undefined when absent. */
export async function loadPledge(tx: Tx, id: string, forUpdate = false): Promise<{ row: PledgeRow; tranches: TrancheRow[]; progress: Map<string, TrancheProgress> } | undefined> {
  const row = await findPledge(tx, id, forUpdate);
  if (!row) return undefined;
  const tranches = await findTranchesOfPledges(tx, [id]);
  const progress = await trancheProgress(tx, tranches.map((t) => t.id));
  return { row, tranches, progress };
}

/** The fields whose references the database must confirm. */
interface References {
  donor: string;
  kind: string;
  itemCode: string | null;
  group: string | null;
  designatedTo: string | null;
  meetingId: string | null;
}

/**
 * Confirms every record the pledge names, listing each unknown one, and derives the group and capability
 * area from the item. A designation must name a live requirement that accepts the pledge's group.
 */
async function resolveReferences(tx: Tx, refs: References): Promise<{ groupCode: string | null; capabilityArea: string | null }> {
  const issues: FieldIssue[] = [];
  if (!(await nationExists(tx, refs.donor))) issues.push({ path: '/donor', message: `unknown nation ${refs.donor}` });
  let groupCode = refs.group;
  let capabilityArea: string | null = null;
  if (refs.kind !== 'funding') {
    if (refs.itemCode) {
      const item = await findItem(tx, refs.itemCode);
      if (!item) issues.push({ path: '/itemCode', message: `unknown item type ${refs.itemCode}` });
      else if (groupCode && groupCode !== item.groupCode) {
        issues.push({ path: '/group', message: `item ${refs.itemCode} belongs to group ${item.groupCode}, not ${groupCode}` });
      } else {
        groupCode = item.groupCode;
        capabilityArea = item.capabilityArea;
      }
    }
    if (groupCode && !capabilityArea && !issues.some((i) => i.path === '/itemCode' || i.path === '/group')) {
      const area = await groupArea(tx, groupCode);
      if (!area) issues.push({ path: '/group', message: `unknown item group ${groupCode}` });
      else capabilityArea = area;
    }
  }
  if (refs.meetingId && !(await meetingExists(tx, refs.meetingId))) issues.push({ path: '/meetingId', message: `unknown meeting ${refs.meetingId}` });
  if (refs.designatedTo) {
    const req = await findRequirementForDesignation(tx, refs.designatedTo);
    if (!req) issues.push({ path: '/designatedTo', message: `unknown requirement ${refs.designatedTo}` });
    else if (refs.kind === 'funding') issues.push({ path: '/designatedTo', message: 'a funding pledge carries no goods to designate to a requirement' });
    else if (req.status === 'cancelled' || req.status === 'fulfilled') {
      issues.push({ path: '/designatedTo', message: `requirement ${req.id} is ${req.status}` });
    } else if (groupCode && !req.accepts.includes(groupCode)) {
      issues.push({ path: '/designatedTo', message: `requirement ${req.id} accepts ${req.accepts.join(', ')}, not the pledge's group ${groupCode}` });
    }
  }
  if (issues.length > 0) throw invalidInput('the pledge names records that do not exist or do not fit', issues);
  return { groupCode: refs.kind === 'funding' ? null : groupCode, capabilityArea };
}

/** Turns shape issues into field issues with JSON pointers. */
function toFieldIssues(issues: ReturnType<typeof pledgeShapeIssues>): FieldIssue[] {
  return issues.map((i) => ({ path: `/${i.path.join('/')}`, message: i.message }));
}

/** Tranches in stored form: units, or money in minor units for funding. */
function storedTranches(kind: string, currency: string | null, tranches: readonly TrancheInput[]) {
  return tranches.map((t) => ({
    quantity: kind === 'funding' ? null : (t.quantity ?? null),
    amountMinor: kind === 'funding' && t.amount !== undefined && currency ? moneyFromMajor(t.amount, currency).minor : null,
    expectedOn: t.expectedOn,
  }));
}

/** Records a new offer line of a donor with its tranches. */
export async function createPledge(deps: ServiceDeps, actor: Actor, input: PledgeCreate): Promise<Pledge> {
  return runUseCase(deps, actor, { entity: 'pledge', verb: 'create' }, async (tx) => {
    assertOwnPledge(actor, input.donor, 'record');
    const shape = pledgeShapeIssues(input);
    if (shape.length > 0) throw invalidInput('the pledge breaks a rule', toFieldIssues(shape));
    const { groupCode, capabilityArea } = await resolveReferences(tx, {
      donor: input.donor,
      kind: input.kind,
      itemCode: input.itemCode ?? null,
      group: input.group ?? null,
      designatedTo: input.designatedTo ?? null,
      meetingId: input.meetingId ?? null,
    });
    if (input.id && (await findPledge(tx, input.id))) {
      throw new DomainError('conflict', `pledge ${input.id} already exists`, [{ path: '/id', message: 'already exists' }]);
    }
    const id = input.id ?? (await nextPledgeId(tx));
    const currency = input.currency ?? null;
    const row = await insertPledge(tx, {
      id,
      donor: input.donor,
      kind: input.kind,
      channel: input.channel,
      itemCode: input.kind === 'funding' ? null : (input.itemCode ?? null),
      groupCode,
      capabilityArea,
      quantity: input.kind === 'funding' ? null : (input.quantity ?? null),
      amountMinor: input.amount !== undefined && currency ? moneyFromMajor(input.amount, currency).minor : null,
      currency,
      horizon: input.horizon,
      years: [...input.years].sort((a, b) => a - b),
      forbids: input.forbids,
      designatedTo: input.designatedTo ?? null,
      meetingId: input.meetingId ?? null,
      announcedOn: input.announcedOn,
      status: input.status,
      notes: input.notes,
      releasability: input.releasability ? normaliseReleasability(input.releasability) : [...DEFAULT_RELEASABILITY],
    });
    await replaceTranches(tx, id, storedTranches(input.kind, currency, input.tranches));
    const tranches = await findTranchesOfPledges(tx, [id]);
    const created = presentPledge(row, tranches, new Map());
    await recordChange(tx, actor, { entity: 'pledge', recordId: id, action: 'create', before: null, after: created });
    return created;
  });
}

/** Reads one pledge with its tranches and what has been delivered and received against each. */
export async function getPledge(deps: ServiceDeps, actor: Actor, id: string): Promise<Pledge> {
  return runUseCase(deps, actor, { entity: 'pledge', verb: 'read' }, async (tx) => {
    const found = await loadPledge(tx, id);
    if (!found) throw notFound('pledge', id);
    assertReadable(actor, { owner: found.row.donor, releasability: found.row.releasability }, 'pledge', id);
    return presentPledge(found.row, found.tranches, found.progress);
  });
}

/** The stored pledge as create input (money back in major units), for re-checking it after a patch. */
function asShape(p: Pledge): PledgeShape & { tranches: TrancheInput[] } {
  return {
    kind: p.kind,
    itemCode: p.itemCode ?? undefined,
    group: p.group ?? undefined,
    quantity: p.quantity ?? undefined,
    amount: p.amount ?? undefined,
    currency: p.currency ?? undefined,
    horizon: p.horizon,
    years: p.years,
    announcedOn: p.announcedOn,
    tranches: p.tranches.map((t) => ({
      ...(t.quantity !== null ? { quantity: t.quantity } : {}),
      ...(t.amount !== null ? { amount: t.amount } : {}),
      expectedOn: t.expectedOn,
    })),
  };
}

/**
 * Changes the terms of a pledge while it is announced or committed (notes at any time), refusing a stale
 * version. Tranches, when given, replace the stored ones by position; a tranche that deliveries already
 * reference may be neither removed nor cut below what has shipped.
 */
export async function updatePledge(deps: ServiceDeps, actor: Actor, id: string, patch: PledgeUpdate, expectedVersion?: number): Promise<Pledge> {
  return runUseCase(deps, actor, { entity: 'pledge', verb: 'update' }, async (tx) => {
    const found = await loadPledge(tx, id, true);
    if (!found) throw notFound('pledge', id);
    const { row } = found;
    assertReadable(actor, { owner: row.donor, releasability: row.releasability }, 'pledge', id);
    assertOwnPledge(actor, row.donor.trim(), 'change');
    const version = checkVersion('pledge', id, row.version, expectedVersion);
    const before = presentPledge(row, found.tranches, found.progress);
    const terms = Object.keys(patch).filter((k) => k !== 'notes' && k !== 'releasability' && patch[k as keyof PledgeUpdate] !== undefined);
    const releasability = patch.releasability !== undefined ? { releasability: normaliseReleasability(patch.releasability) } : {};
    if (terms.length > 0 && !EDITABLE.includes(row.status as PledgeStatus)) {
      throw new DomainError('conflict', `pledge ${id} is ${row.status}; its terms may change only while it is announced or committed (only notes may change now)`, [
        { path: '/status', message: `is ${row.status}` },
      ]);
    }

    if (terms.length === 0) {
      const updated = await updatePledgeRow(tx, id, { ...(patch.notes !== undefined ? { notes: patch.notes } : {}), ...releasability }, version);
      if (!updated) throw new DomainError('precondition_failed', `pledge ${id} changed while it was being updated`);
      const after = presentPledge(updated, found.tranches, found.progress);
      await recordChange(tx, actor, { entity: 'pledge', recordId: id, action: 'update', before, after });
      return after;
    }

    const merged = asShape(before);
    for (const key of ['itemCode', 'group', 'quantity', 'amount', 'currency', 'horizon', 'years', 'announcedOn', 'tranches'] as const) {
      const value = patch[key];
      if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value === null ? undefined : value;
    }
    // Naming an item replaces the group unless a group is given too.
    if (patch.itemCode && patch.group === undefined) merged.group = undefined;
    const shape = pledgeShapeIssues(merged);
    if (shape.length > 0) throw invalidInput('the changed pledge breaks a rule', toFieldIssues(shape));

    const designatedTo = patch.designatedTo !== undefined ? patch.designatedTo : row.designatedTo;
    const meetingId = patch.meetingId !== undefined ? patch.meetingId : row.meetingId;
    const itemCode = (merged.itemCode as string | undefined) ?? null;
    const { groupCode, capabilityArea } = await resolveReferences(tx, {
      donor: row.donor.trim(),
      kind: row.kind,
      itemCode,
      group: (merged.group as string | undefined) ?? null,
      designatedTo,
      meetingId,
    });

    const currency = (merged.currency as string | undefined) ?? null;
    if (patch.tranches !== undefined || patch.currency !== undefined) {
      const next = storedTranches(row.kind, currency, merged.tranches);
      const blocking: FieldIssue[] = [];
      for (const t of found.tranches) {
        const p = found.progress.get(t.id);
        if (!p || p.deliveries === 0) continue;
        const replacement = next[t.seq - 1];
        if (!replacement) blocking.push({ path: '/tranches', message: `tranche ${t.id} has ${p.deliveries} deliveries recorded against it and cannot be removed` });
        else if (replacement.quantity !== null && replacement.quantity < p.delivered) {
          blocking.push({ path: `/tranches/${t.seq - 1}/quantity`, message: `${replacement.quantity} is less than the ${p.delivered} already shipped against ${t.id}` });
        }
      }
      if (blocking.length > 0) throw new DomainError('conflict', `pledge ${id} has deliveries against tranches the change would remove or cut`, blocking);
      await replaceTranches(tx, id, next);
    }

    const amount = merged.amount as number | undefined;
    const updated = await updatePledgeRow(
      tx,
      id,
      {
        ...(patch.channel !== undefined ? { channel: patch.channel } : {}),
        itemCode: row.kind === 'funding' ? null : itemCode,
        groupCode,
        capabilityArea,
        quantity: row.kind === 'funding' ? null : ((merged.quantity as number | undefined) ?? null),
        amountMinor: amount !== undefined && currency ? moneyFromMajor(amount, currency).minor : null,
        currency,
        horizon: merged.horizon as string,
        years: [...(merged.years as number[])].sort((a, b) => a - b),
        ...(patch.forbids !== undefined ? { forbids: patch.forbids } : {}),
        designatedTo,
        meetingId,
        announcedOn: merged.announcedOn as string,
        ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
        ...releasability,
      },
      version,
    );
    if (!updated) throw new DomainError('precondition_failed', `pledge ${id} changed while it was being updated`);
    const tranches = await findTranchesOfPledges(tx, [id]);
    const after = presentPledge(updated, tranches, found.progress);
    await recordChange(tx, actor, { entity: 'pledge', recordId: id, action: 'update', before, after });
    return after;
  });
}

/**
 * Moves a stored pledge to `to` inside the caller's transaction and returns the audit change; the caller has
 * locked the row. Used by transitions and by deliveries that move a pledge along.
 */
export async function movePledge(tx: Tx, row: PledgeRow, to: PledgeStatus, expectedVersion = row.version): Promise<{ row: PledgeRow; change: Change }> {
  assertTransition(`pledge ${row.id}`, PLEDGE_LIFECYCLE, row.status as PledgeStatus, to);
  const updated = await updatePledgeRow(tx, row.id, { status: to }, expectedVersion);
  if (!updated) throw new DomainError('precondition_failed', `pledge ${row.id} changed while it was being updated`);
  const tranches = await findTranchesOfPledges(tx, [row.id]);
  const progress = await trancheProgress(tx, tranches.map((t) => t.id));
  return {
    row: updated,
    change: {
      entity: 'pledge',
      recordId: row.id,
      action: `transition:${to}`,
      before: presentPledge(row, tranches, progress),
      after: presentPledge(updated, tranches, progress),
    },
  };
}

/** Moves a pledge along its lifecycle; an illegal move names the current and the allowed states. */
export async function transitionPledge(deps: ServiceDeps, actor: Actor, id: string, input: PledgeTransition, expectedVersion?: number): Promise<Pledge> {
  return runUseCase(deps, actor, { entity: 'pledge', verb: 'transition' }, async (tx) => {
    const row = await findPledge(tx, id, true);
    if (!row) throw notFound('pledge', id);
    assertReadable(actor, { owner: row.donor, releasability: row.releasability }, 'pledge', id);
    assertOwnPledge(actor, row.donor.trim(), 'move');
    const version = checkVersion('pledge', id, row.version, expectedVersion);
    const { change } = await movePledge(tx, row, input.to, version);
    await recordChange(tx, actor, change);
    return change.after as Pledge;
  });
}

/** Lists pledges by filter, sorted and paged with a cursor, each with its tranches. */
export async function listPledges(deps: ServiceDeps, actor: Actor, query: PledgeListQuery): Promise<PledgePage> {
  return runUseCase(deps, actor, { entity: 'pledge', verb: 'read' }, async (tx) => {
    assertSeesLines(actor);
    // Row-level security leaves out the lines the actor may not read; the filter is the same rule in code.
    const page = await listPledgeRows(tx, query, query.sort, { order: query.order, limit: query.limit, cursor: query.cursor });
    page.items = filterReadable(actor, page.items, (row) => ({ owner: row.donor, releasability: row.releasability }));
    const tranches = await findTranchesOfPledges(tx, page.items.map((p) => p.id));
    const progress = await trancheProgress(tx, tranches.map((t) => t.id));
    const byPledge = new Map<string, TrancheRow[]>();
    for (const t of tranches) byPledge.set(t.pledgeId, [...(byPledge.get(t.pledgeId) ?? []), t]);
    return { items: page.items.map((row) => presentPledge(row, byPledge.get(row.id) ?? [], progress)), nextCursor: page.nextCursor };
  });
}

export { trancheIdOf };
