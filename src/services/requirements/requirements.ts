import { assertTransition, allowedNext } from '../../domain/lifecycle.ts';
import { invalidInput, notFound, DomainError, type FieldIssue } from '../../domain/errors.ts';
import { REQUIREMENT_LIFECYCLE, type RequirementStatus } from '../../domain/requirements/requirement.ts';
import type { Requirement, RequirementCreate, RequirementListQuery, RequirementPage, RequirementTransition, RequirementUpdate } from '../../contracts/requirements.ts';
import {
  findRequirement,
  insertRequirements,
  listRequirementRows,
  nextRequirementId,
  REQUIREMENT_SORT_COLUMNS,
  updateRequirementRow,
  type RequirementRow,
} from '../../store/requirement.repository.ts';
import type { Actor, ServiceDeps, Tx } from '../context.ts';
import { runUseCase } from '../use-case.ts';
import { recordChange } from '../audit.ts';
import { findItem, groupArea, missingGroups } from '../catalog-refs.ts';
import { checkVersion } from '../versions.ts';

/** Shapes a stored requirement for a viewer. */
export function presentRequirement(row: RequirementRow): Requirement {
  return {
    id: row.id,
    itemCode: row.itemCode,
    accepts: row.accepts,
    capabilityArea: row.capabilityArea as Requirement['capabilityArea'],
    quantity: row.quantity,
    priority: row.priority,
    needBy: row.needBy,
    uses: row.uses,
    status: row.status as RequirementStatus,
    allowedNext: [...allowedNext(REQUIREMENT_LIFECYCLE, row.status as RequirementStatus)],
    title: row.title,
    notes: row.notes,
    version: row.version,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** Resolves item and groups into the stored `accepts` and area, listing every unknown reference. */
async function resolveAccepts(tx: Tx, itemCode: string | null | undefined, accepts: string[] | undefined) {
  const issues: FieldIssue[] = [];
  let groups = accepts ? [...accepts] : [];
  let area: string | undefined;
  if (itemCode) {
    const item = await findItem(tx, itemCode);
    if (!item) issues.push({ path: '/itemCode', message: `unknown item type ${itemCode}` });
    else {
      area = item.capabilityArea;
      if (!groups.includes(item.groupCode)) groups = [item.groupCode, ...groups];
    }
  }
  issues.push(...(await missingGroups(tx, accepts ?? [], '/accepts')));
  if (issues.length > 0) throw invalidInput('the requirement names records that do not exist', issues);
  area ??= await groupArea(tx, groups[0]!);
  return { accepts: [...new Set(groups)], capabilityArea: area! };
}

/** Records a new need line of the recipient. */
export async function createRequirement(deps: ServiceDeps, actor: Actor, input: RequirementCreate): Promise<Requirement> {
  return runUseCase(deps, actor, { entity: 'requirement', verb: 'create' }, async (tx) => {
    const { accepts, capabilityArea } = await resolveAccepts(tx, input.itemCode, input.accepts);
    const id = input.id ?? (await nextRequirementId(tx));
    if (input.id && (await findRequirement(tx, input.id))) {
      throw new DomainError('conflict', `requirement ${input.id} already exists`, [{ path: '/id', message: 'already exists' }]);
    }
    const [row] = await insertRequirements(tx, [
      {
        id,
        itemCode: input.itemCode ?? null,
        accepts,
        capabilityArea,
        quantity: input.quantity,
        priority: input.priority,
        needBy: input.needBy,
        uses: input.uses,
        status: input.status,
        title: input.title,
        notes: input.notes,
      },
    ]);
    const created = presentRequirement(row!);
    await recordChange(tx, actor, { entity: 'requirement', recordId: id, action: 'create', before: null, after: created });
    return created;
  });
}

/** Reads one requirement. */
export async function getRequirement(deps: ServiceDeps, actor: Actor, id: string): Promise<Requirement> {
  return runUseCase(deps, actor, { entity: 'requirement', verb: 'read' }, async (tx) => {
    const row = await findRequirement(tx, id);
    if (!row) throw notFound('requirement', id);
    return presentRequirement(row);
  });
}

/** Changes the fields of a requirement, refusing a stale version. */
export async function updateRequirement(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  patch: RequirementUpdate,
  expectedVersion?: number,
): Promise<Requirement> {
  return runUseCase(deps, actor, { entity: 'requirement', verb: 'update' }, async (tx) => {
    const row = await findRequirement(tx, id, true);
    if (!row) throw notFound('requirement', id);
    const version = checkVersion('requirement', id, row.version, expectedVersion);
    if (row.status === 'fulfilled' || row.status === 'cancelled') {
      throw new DomainError('conflict', `requirement ${id} is ${row.status} and can no longer change`);
    }
    const values: Parameters<typeof updateRequirementRow>[2] = { ...patch };
    if (patch.itemCode !== undefined || patch.accepts !== undefined) {
      const itemCode = patch.itemCode !== undefined ? patch.itemCode : row.itemCode;
      const resolved = await resolveAccepts(tx, itemCode, patch.accepts ?? (itemCode ? [] : row.accepts));
      Object.assign(values, resolved);
    }
    const updated = await updateRequirementRow(tx, id, values, version);
    if (!updated) throw new DomainError('precondition_failed', `requirement ${id} changed while it was being updated`);
    const before = presentRequirement(row);
    const after = presentRequirement(updated);
    await recordChange(tx, actor, { entity: 'requirement', recordId: id, action: 'update', before, after });
    return after;
  });
}

/** Moves a requirement along its lifecycle; an illegal move names the allowed ones. */
export async function transitionRequirement(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: RequirementTransition,
  expectedVersion?: number,
): Promise<Requirement> {
  return runUseCase(deps, actor, { entity: 'requirement', verb: 'transition' }, async (tx) => {
    const row = await findRequirement(tx, id, true);
    if (!row) throw notFound('requirement', id);
    const version = checkVersion('requirement', id, row.version, expectedVersion);
    assertTransition(`requirement ${id}`, REQUIREMENT_LIFECYCLE, row.status as RequirementStatus, input.to);
    const updated = await updateRequirementRow(tx, id, { status: input.to }, version);
    if (!updated) throw new DomainError('precondition_failed', `requirement ${id} changed while it was being updated`);
    const after = presentRequirement(updated);
    await recordChange(tx, actor, { entity: 'requirement', recordId: id, action: `transition:${input.to}`, before: presentRequirement(row), after });
    return after;
  });
}

/** Lists requirements by filter, sorted and paged with a cursor. */
export async function listRequirements(deps: ServiceDeps, actor: Actor, query: RequirementListQuery): Promise<RequirementPage> {
  return runUseCase(deps, actor, { entity: 'requirement', verb: 'read' }, async (tx) => {
    const sortColumn = REQUIREMENT_SORT_COLUMNS[query.sort];
    const page = await listRequirementRows(
      tx,
      query,
      { sortColumn, order: query.order, limit: query.limit, cursor: query.cursor },
      (row) => {
        const v = row[query.sort];
        return v instanceof Date ? v.toISOString() : (v as string | number);
      },
    );
    return { items: page.items.map(presentRequirement), nextCursor: page.nextCursor };
  });
}
