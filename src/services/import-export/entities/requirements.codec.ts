import type { Selectable } from 'kysely';
import type { RequirementsTable } from '../../../store/schema.ts';
import { REQUIREMENT_LIFECYCLE, type RequirementStatus } from '../../../domain/requirements/requirement.ts';
import type { Change } from '../../audit.ts';
import { sameRecord, type EntityCodec } from '../entity.ts';
import { bump, insertInBatches, loadItemGroups, loadItemTypes, loadRequirements, pagesById } from '../import-export.repository.ts';
import type { ColumnSpec } from '../read-table.ts';
import { lifecycleIssue } from './lifecycle-check.ts';

/** One need line of the recipient as a file row holds it. */
export interface RequirementRecord {
  id: string;
  itemCode: string | null;
  /** Accepted groups; the item's group is put first when the row leaves it out. */
  accepts: string[];
  capabilityArea: string;
  quantity: number;
  priority: number;
  needBy: string;
  uses: string[];
  status: string;
  title: string;
  notes: string;
}

/** As read: the area may be left out (it is derived from the item or the first group). */
type ParsedRequirement = Omit<RequirementRecord, 'capabilityArea'> & { capabilityArea: string | null };

const COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', required: true, kind: 'text', doc: 'External id: `R-000123`. Re-importing the same id updates that requirement.' },
  { name: 'item', required: false, kind: 'text', doc: 'Preferred item type code; its group is accepted.', aliases: ['item_code'] },
  { name: 'accepts', required: false, kind: 'text', doc: 'Accepted interchangeability groups, separated by `;`. Give `item`, `accepts` or both.', aliases: ['groups'] },
  { name: 'capability_area', required: false, kind: 'text', doc: 'Capability area; derived from the item or first group, and checked against it when given.', aliases: ['area'] },
  { name: 'quantity', required: true, kind: 'number', doc: 'Units needed, a positive whole number.' },
  { name: 'priority', required: true, kind: 'number', doc: '1 (critical) … 4 (routine); `P1`, `critical`, `high`, … are read too.' },
  { name: 'need_by', required: true, kind: 'text', doc: 'Date needed by, YYYY-MM-DD.' },
  { name: 'uses', required: false, kind: 'text', doc: 'Intended uses (tags such as `cross-border`), separated by `;`.' },
  { name: 'status', required: false, kind: 'text', doc: 'Requirement status; `draft` when blank.' },
  { name: 'title', required: false, kind: 'text', doc: 'Short title.' },
  { name: 'notes', required: false, kind: 'text', doc: 'Free text.' },
];

function fromStored(row: Selectable<RequirementsTable>): RequirementRecord {
  return {
    id: row.id,
    itemCode: row.itemCode,
    accepts: row.accepts,
    capabilityArea: row.capabilityArea,
    quantity: row.quantity,
    priority: row.priority,
    needBy: row.needBy,
    uses: row.uses,
    status: row.status,
    title: row.title,
    notes: row.notes,
  };
}

/** Requirement files: one row per need line, keyed by its external id. */
export const requirementsCodec: EntityCodec<ParsedRequirement> = {
  entity: 'requirements',
  policyEntity: 'requirement',
  keyColumn: 'id',
  columns: COLUMNS,
  key: (r) => r.id,

  parse(row) {
    const id = row.id('id');
    const itemCode = row.code('item');
    const accepts = row.codes('accepts');
    const capabilityArea = row.term('capability_area', 'capabilityArea', { required: false });
    const quantity = row.int('quantity');
    const priority = row.term('priority', 'priority');
    const needBy = row.date('need_by');
    const uses = row.tags('uses');
    const status = row.term('status', 'requirementStatus', { required: false }) ?? (row.has('status') ? undefined : 'draft');
    const title = row.text('title', { max: 300 });
    const notes = row.text('notes');
    if (accepts !== undefined && !itemCode && accepts.length === 0 && !row.has('item')) row.fail('accepts', 'give an item or the accepted groups');
    if (id === undefined || accepts === undefined || quantity === undefined || priority === undefined || needBy === undefined) return undefined;
    if (uses === undefined || status === undefined || title === undefined || notes === undefined || (!itemCode && accepts.length === 0)) return undefined;
    return { id, itemCode: itemCode ?? null, accepts: [...new Set(accepts)], capabilityArea: capabilityArea ?? null, quantity, priority: Number(priority), needBy, uses, status, title, notes };
  },

  toCells: (r) => [r.id, r.itemCode, r.accepts.join(';'), r.capabilityArea, r.quantity, r.priority, r.needBy, r.uses.join(';'), r.status, r.title, r.notes],

  async plan(tx, rows, issues) {
    const records = rows.map((r) => r.record);
    const items = new Map((await loadItemTypes(tx, records.flatMap((r) => (r.itemCode ? [r.itemCode] : [])))).map((i) => [i.code, i]));
    const groups = new Map((await loadItemGroups(tx, records.flatMap((r) => r.accepts))).map((g) => [g.code, g]));
    const stored = new Map((await loadRequirements(tx, records.map((r) => r.id))).map((r) => [r.id, r]));
    const creates: RequirementRecord[] = [];
    const updates: { before: RequirementRecord; after: RequirementRecord }[] = [];
    let unchanged = 0;
    for (const { position, record } of rows) {
      const fail = (column: string, message: string) => issues.push({ ...position, column, message });
      const before = issues.length;
      const item = record.itemCode ? items.get(record.itemCode) : undefined;
      if (record.itemCode && !item) fail('item', `unknown item type ${record.itemCode}`);
      const unknownGroups = record.accepts.filter((g) => !groups.has(g));
      if (unknownGroups.length > 0) fail('accepts', `unknown item group${unknownGroups.length > 1 ? 's' : ''} ${unknownGroups.join(', ')}`);
      if (issues.length > before) continue;
      const accepts = item && !record.accepts.includes(item.groupCode) ? [item.groupCode, ...record.accepts] : record.accepts;
      const area = item ? item.capabilityArea : groups.get(accepts[0]!)!.capabilityArea;
      if (record.capabilityArea !== null && record.capabilityArea !== area) {
        fail('capability_area', `is ${record.capabilityArea} but ${item ? `item ${item.code}` : `group ${accepts[0]}`} is in ${area}`);
        continue;
      }
      const resolved: RequirementRecord = { ...record, accepts, capabilityArea: area };
      const existing = stored.get(record.id);
      if (!existing) {
        creates.push(resolved);
        continue;
      }
      const old = fromStored(existing);
      if (sameRecord(old, resolved)) {
        unchanged += 1;
        continue;
      }
      const problem = lifecycleIssue('requirement', record.id, REQUIREMENT_LIFECYCLE, old.status as RequirementStatus, resolved.status as RequirementStatus);
      if (problem) fail(problem.column, problem.message);
      else updates.push({ before: old, after: resolved });
    }
    return {
      created: creates.length,
      updated: updates.length,
      unchanged,
      async apply(t) {
        await insertInBatches(t, 'requirements', creates);
        for (const { after } of updates) {
          const { id, ...values } = after;
          await t.updateTable('requirements').set({ ...values, ...bump }).where('id', '=', id).execute();
        }
        const changes: Change[] = [
          ...creates.map((r) => ({ entity: 'requirement', recordId: r.id, action: 'import', before: null, after: r })),
          ...updates.map(({ before, after }) => ({ entity: 'requirement', recordId: after.id, action: 'import', before, after })),
        ];
        return changes;
      },
    };
  },

  async *exportPages(tx, size) {
    for await (const page of pagesById(tx, 'requirements', size)) yield page.map(fromStored);
  },
};
