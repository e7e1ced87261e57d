import type { Insertable, Selectable } from 'kysely';
import type { ItemTypesTable } from '../../../store/schema.ts';
import type { Change } from '../../audit.ts';
import { formatMoney, type RowIssue } from '../cells.ts';
import { sameRecord, type EntityCodec } from '../entity.ts';
import { bump, insertInBatches, loadItemGroups, loadItemTypes, pagesById } from '../import-export.repository.ts';
import type { ColumnSpec } from '../read-table.ts';

/** One catalog line: an item type, its interchangeability group and its reference price. */
export interface CatalogRecord {
  code: string;
  name: string;
  group: string;
  capabilityArea: string;
  unit: string;
  /** Reference unit price in minor units of `currency`. */
  refPriceMinor: number;
  currency: string;
  priceYear: number;
  priceSource: string;
}

/** The record as read, plus the name of its group when the row creates the group. */
type ParsedCatalog = CatalogRecord & { groupName: string };

const COLUMNS: readonly ColumnSpec[] = [
  { name: 'code', required: true, kind: 'text', doc: 'Item type code, lower case: `155mm-he-m795`. The external id.', aliases: ['item', 'item_code'] },
  { name: 'name', required: true, kind: 'text', doc: 'Item name.' },
  { name: 'group', required: true, kind: 'text', doc: 'Interchangeability group code: `155mm-he`. Created when new.', aliases: ['group_code'] },
  { name: 'group_name', required: false, kind: 'text', doc: 'Name of the group, used only when the row creates it (defaults to the code).' },
  { name: 'capability_area', required: true, kind: 'text', doc: 'Capability area (see the vocabulary table); must match the group’s.', aliases: ['area'] },
  { name: 'unit', required: true, kind: 'text', doc: 'Unit of count (see the vocabulary table).' },
  { name: 'ref_price', required: true, kind: 'number', doc: 'Reference unit price in major units (`4000.00`).', aliases: ['price', 'unit_price'] },
  { name: 'currency', required: true, kind: 'text', doc: 'Currency of the price: ISO 4217 or a symbol from the vocabulary table.' },
  { name: 'price_year', required: true, kind: 'number', doc: 'Year the price refers to.' },
  { name: 'price_source', required: false, kind: 'text', doc: 'Where the price comes from.', aliases: ['source'] },
];

function fromStored(row: Selectable<ItemTypesTable>): CatalogRecord {
  return {
    code: row.code,
    name: row.name,
    group: row.groupCode,
    capabilityArea: row.capabilityArea,
    unit: row.unit,
    refPriceMinor: row.refPriceMinor,
    currency: row.refPriceCurrency.trim(),
    priceYear: row.refPriceYear,
    priceSource: row.refPriceSource,
  };
}

function toColumns(r: CatalogRecord): Omit<Insertable<ItemTypesTable>, 'version' | 'updatedAt'> {
  return {
    code: r.code,
    name: r.name,
    groupCode: r.group,
    capabilityArea: r.capabilityArea,
    unit: r.unit,
    refPriceMinor: r.refPriceMinor,
    refPriceCurrency: r.currency,
    refPriceYear: r.priceYear,
    refPriceSource: r.priceSource,
  };
}

const strip = ({ groupName: _ignored, ...record }: ParsedCatalog): CatalogRecord => record;

/** Catalog files: one row per item type; groups are created on first mention. */
export const catalogCodec: EntityCodec<ParsedCatalog> = {
  entity: 'catalog',
  policyEntity: 'catalog',
  keyColumn: 'code',
  columns: COLUMNS,
  key: (r) => r.code,

  parse(row) {
    const code = row.code('code', { required: true });
    const name = row.text('name', { required: true, max: 200 });
    const group = row.code('group', { required: true });
    const groupName = row.text('group_name', { max: 200 });
    const capabilityArea = row.term('capability_area', 'capabilityArea');
    const unit = row.term('unit', 'unit');
    const currency = row.term('currency', 'currency');
    const refPriceMinor = currency ? row.money('ref_price', currency) : undefined;
    const priceYear = row.int('price_year', { min: 1990, max: 2100 });
    const priceSource = row.text('price_source', { max: 500 });
    if (code === undefined || name === undefined || group === undefined || groupName === undefined || capabilityArea === undefined || unit === undefined) return undefined;
    if (currency === undefined || refPriceMinor === undefined || priceYear === undefined || priceSource === undefined) return undefined;
    return { code, name, group, groupName: groupName || group, capabilityArea, unit, refPriceMinor, currency, priceYear, priceSource };
  },

  toCells: (r) => [r.code, r.name, r.group, r.groupName, r.capabilityArea, r.unit, formatMoney(r.refPriceMinor, r.currency), r.currency, r.priceYear, r.priceSource],

  async plan(tx, rows, issues: RowIssue[]) {
    const stored = new Map((await loadItemTypes(tx, rows.map((r) => r.record.code))).map((r) => [r.code, r]));
    const groups = new Map((await loadItemGroups(tx, rows.map((r) => r.record.group))).map((g) => [g.code, { ...g, isNew: false }]));
    const creates: ParsedCatalog[] = [];
    const updates: { before: CatalogRecord; after: ParsedCatalog }[] = [];
    let unchanged = 0;
    for (const { position, record } of rows) {
      const group = groups.get(record.group);
      if (!group) {
        groups.set(record.group, { code: record.group, name: record.groupName, capabilityArea: record.capabilityArea, isNew: true });
      } else if (group.capabilityArea !== record.capabilityArea) {
        issues.push({ ...position, column: 'capability_area', message: `is ${record.capabilityArea} but group ${record.group} is in ${group.capabilityArea}` });
        continue;
      }
      const before = stored.get(record.code);
      if (!before) creates.push(record);
      else if (sameRecord(fromStored(before), strip(record))) unchanged += 1;
      else updates.push({ before: fromStored(before), after: record });
    }
    return {
      created: creates.length,
      updated: updates.length,
      unchanged,
      async apply(t) {
        const newGroups = [...groups.values()].filter((g) => g.isNew).map(({ isNew: _n, ...g }) => g);
        await insertInBatches(t, 'itemGroups', newGroups);
        await insertInBatches(t, 'itemTypes', creates.map((r) => toColumns(r)));
        for (const { after } of updates) {
          const { code: _code, ...values } = toColumns(after);
          await t.updateTable('itemTypes').set({ ...values, ...bump }).where('code', '=', after.code).execute();
        }
        const changes: Change[] = [
          ...newGroups.map((g) => ({ entity: 'item-group', recordId: g.code, action: 'import', before: null, after: g })),
          ...creates.map((r) => ({ entity: 'catalog', recordId: r.code, action: 'import', before: null, after: strip(r) })),
          ...updates.map(({ before, after }) => ({ entity: 'catalog', recordId: after.code, action: 'import', before, after: strip(after) })),
        ];
        return changes;
      },
    };
  },

  async *exportPages(tx, size) {
    for await (const page of pagesById(tx, 'itemTypes', size)) {
      const groups = new Map((await loadItemGroups(tx, page.map((r) => r.groupCode))).map((g) => [g.code, g.name]));
      yield page.map((row) => ({ ...fromStored(row), groupName: groups.get(row.groupCode) ?? row.groupCode }));
    }
  },
};
