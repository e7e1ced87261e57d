import { DomainError, invalidInput, notFound } from '../../domain/errors.ts';
import { toMajor } from '../../domain/money/money.ts';
import type { CapabilityArea, Unit } from '../../domain/catalog/catalog.ts';
import type {
  ItemGroup,
  ItemGroupCreate,
  ItemGroupDetail,
  ItemGroupList,
  ItemGroupListQuery,
  ItemGroupUpdate,
  ItemType,
  ItemTypeCreate,
  ItemTypeListQuery,
  ItemTypePage,
  ItemTypeUpdate,
  RefPrice,
} from '../../contracts/catalog.ts';
import {
  findItemGroup,
  findItemType,
  insertItemGroup,
  insertItemType,
  listItemGroupRows,
  listItemTypeRows,
  listItemTypesOfGroup,
  renameItemGroup,
  updateItemTypeRow,
  type ItemGroupWithCountRow,
  type ItemTypeRow,
} from '../../store/catalog.repository.ts';
import type { Actor, ServiceDeps, Tx } from '../context.ts';
import { runUseCase } from '../use-case.ts';
import { recordChange } from '../audit.ts';
import { checkVersion } from '../versions.ts';
import { moneyAt } from '../fx-rates/money-input.ts';

/** Shapes a stored group. */
export function presentItemGroup(row: ItemGroupWithCountRow): ItemGroup {
  return { code: row.code, name: row.name, capabilityArea: row.capabilityArea as CapabilityArea, itemCount: row.itemCount };
}

/** Shapes a stored item type, its price back in major units. */
export function presentItemType(row: ItemTypeRow): ItemType {
  const currency = row.refPriceCurrency.trim();
  return {
    code: row.code,
    name: row.name,
    group: row.groupCode,
    capabilityArea: row.capabilityArea as CapabilityArea,
    unit: row.unit as Unit,
    refPrice: { amount: toMajor({ minor: row.refPriceMinor, currency }), currency, year: row.refPriceYear, source: row.refPriceSource },
    version: row.version,
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** The stored columns of a wire price (major units → minor units). */
function priceColumns(price: RefPrice) {
  const money = moneyAt(price.amount, price.currency, '/refPrice/amount');
  return { refPriceMinor: money.minor, refPriceCurrency: money.currency, refPriceYear: price.year, refPriceSource: price.source };
}

async function readGroupDetail(tx: Tx, code: string): Promise<ItemGroupDetail> {
  const [row] = await listItemGroupRows(tx, { code });
  if (!row) throw notFound('item group', code);
  const items = await listItemTypesOfGroup(tx, code);
  return { ...presentItemGroup(row), items: items.map(presentItemType) };
}

/** The area of a group an item is put in, or an error naming the field. */
async function groupOfItem(tx: Tx, code: string): Promise<{ code: string; capabilityArea: string }> {
  const group = await findItemGroup(tx, code);
  if (!group) throw invalidInput(`item group ${code} does not exist`, [{ path: '/group', message: `unknown item group ${code}` }]);
  return group;
}

/** Lists the interchangeability groups with their item counts. */
export async function listItemGroups(deps: ServiceDeps, actor: Actor, query: ItemGroupListQuery): Promise<ItemGroupList> {
  return runUseCase(deps, actor, { entity: 'catalog', verb: 'read' }, async (tx) => ({
    items: (await listItemGroupRows(tx, query)).map(presentItemGroup),
  }));
}

/** Reads one group with the item types in it. */
export async function getItemGroup(deps: ServiceDeps, actor: Actor, code: string): Promise<ItemGroupDetail> {
  return runUseCase(deps, actor, { entity: 'catalog', verb: 'read' }, (tx) => readGroupDetail(tx, code));
}

/** Adds an interchangeability group to the catalog. */
export async function createItemGroup(deps: ServiceDeps, actor: Actor, input: ItemGroupCreate): Promise<ItemGroupDetail> {
  return runUseCase(deps, actor, { entity: 'catalog', verb: 'create' }, async (tx) => {
    if (await findItemGroup(tx, input.code)) {
      throw new DomainError('conflict', `item group ${input.code} already exists`, [{ path: '/code', message: 'already exists' }]);
    }
    await insertItemGroup(tx, input);
    const created = await readGroupDetail(tx, input.code);
    await recordChange(tx, actor, { entity: 'item-group', recordId: input.code, action: 'create', before: null, after: { code: input.code, name: input.name, capabilityArea: input.capabilityArea } });
    return created;
  });
}

/** Renames a group; its code and area stay, since requirements and pledges rely on them. */
export async function updateItemGroup(deps: ServiceDeps, actor: Actor, code: string, patch: ItemGroupUpdate): Promise<ItemGroupDetail> {
  return runUseCase(deps, actor, { entity: 'catalog', verb: 'update' }, async (tx) => {
    const before = await findItemGroup(tx, code, true);
    if (!before) throw notFound('item group', code);
    const after = await renameItemGroup(tx, code, patch.name);
    await recordChange(tx, actor, { entity: 'item-group', recordId: code, action: 'update', before, after });
    return readGroupDetail(tx, code);
  });
}

/** Lists item types by filter, sorted and paged with a cursor. */
export async function listItemTypes(deps: ServiceDeps, actor: Actor, query: ItemTypeListQuery): Promise<ItemTypePage> {
  return runUseCase(deps, actor, { entity: 'catalog', verb: 'read' }, async (tx) => {
    const page = await listItemTypeRows(tx, query, { sort: query.sort, order: query.order, limit: query.limit, cursor: query.cursor });
    return { items: page.items.map(presentItemType), nextCursor: page.nextCursor };
  });
}

/** Reads one item type. */
export async function getItemType(deps: ServiceDeps, actor: Actor, code: string): Promise<ItemType> {
  return runUseCase(deps, actor, { entity: 'catalog', verb: 'read' }, async (tx) => {
    const row = await findItemType(tx, code);
    if (!row) throw notFound('item type', code);
    return presentItemType(row);
  });
}

/** Adds an item type to a group; it takes the group's capability area. */
export async function createItemType(deps: ServiceDeps, actor: Actor, input: ItemTypeCreate): Promise<ItemType> {
  return runUseCase(deps, actor, { entity: 'catalog', verb: 'create' }, async (tx) => {
    const price = priceColumns(input.refPrice);
    const group = await groupOfItem(tx, input.group);
    if (await findItemType(tx, input.code)) {
      throw new DomainError('conflict', `item type ${input.code} already exists`, [{ path: '/code', message: 'already exists' }]);
    }
    const row = await insertItemType(tx, { code: input.code, name: input.name, groupCode: group.code, capabilityArea: group.capabilityArea, unit: input.unit, ...price });
    const created = presentItemType(row);
    await recordChange(tx, actor, { entity: 'catalog', recordId: input.code, action: 'create', before: null, after: created });
    return created;
  });
}

/** Changes an item type, refusing a stale version. */
export async function updateItemType(deps: ServiceDeps, actor: Actor, code: string, patch: ItemTypeUpdate, expectedVersion?: number): Promise<ItemType> {
  return runUseCase(deps, actor, { entity: 'catalog', verb: 'update' }, async (tx) => {
    const row = await findItemType(tx, code, true);
    if (!row) throw notFound('item type', code);
    const version = checkVersion('item type', code, row.version, expectedVersion);
    const values: Parameters<typeof updateItemTypeRow>[2] = {};
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.unit !== undefined) values.unit = patch.unit;
    if (patch.refPrice !== undefined) Object.assign(values, priceColumns(patch.refPrice));
    if (patch.group !== undefined) {
      const group = await groupOfItem(tx, patch.group);
      values.groupCode = group.code;
      values.capabilityArea = group.capabilityArea;
    }
    const updated = await updateItemTypeRow(tx, code, values, version);
    if (!updated) throw new DomainError('precondition_failed', `item type ${code} changed while it was being updated`);
    const after = presentItemType(updated);
    await recordChange(tx, actor, { entity: 'catalog', recordId: code, action: 'update', before: presentItemType(row), after });
    return after;
  });
}
