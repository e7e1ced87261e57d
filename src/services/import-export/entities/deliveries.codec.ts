import type { Selectable } from 'kysely';
import type { DeliveriesTable } from '../../../store/schema.ts';
import type { Change } from '../../audit.ts';
import { sameRecord, type EntityCodec } from '../entity.ts';
import { bump, insertInBatches, loadDeliveries, loadDeliveriesOfTranches, loadTranchesWithPledge, pagesById } from '../import-export.repository.ts';
import type { ColumnSpec } from '../read-table.ts';

/** What actually moved against one tranche, as a file row holds it. */
export interface DeliveryRecord {
  id: string;
  trancheId: string;
  quantity: number;
  /** The tranche's expected date when blank in the file. */
  promisedOn: string | null;
  shippedOn: string;
  receivedOn: string | null;
  hub: string;
  status: string;
  notes: string;
}

const COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', required: true, kind: 'text', doc: 'External id: `D-000123`. Re-importing the same id updates that delivery.' },
  { name: 'tranche', required: true, kind: 'text', doc: 'Tranche id, `<pledge id>/T<n>`: `P-000123/T1`.', aliases: ['tranche_id'] },
  { name: 'quantity', required: true, kind: 'number', doc: 'Units shipped; all deliveries of a tranche add up to no more than the tranche.' },
  { name: 'promised_on', required: false, kind: 'text', doc: 'Date promised, YYYY-MM-DD; the tranche’s expected date when blank.' },
  { name: 'shipped_on', required: true, kind: 'text', doc: 'Date shipped, YYYY-MM-DD.' },
  { name: 'received_on', required: false, kind: 'text', doc: 'Date the recipient confirmed receipt, YYYY-MM-DD; blank while in transit.' },
  { name: 'hub', required: false, kind: 'text', doc: 'Logistics hub the delivery went through.' },
  { name: 'status', required: false, kind: 'text', doc: '`shipped` or `received`; follows `received_on` when blank, and must agree with it when given.' },
  { name: 'notes', required: false, kind: 'text', doc: 'Free text.' },
];

const DELIVERY_ID = /^[A-Za-z0-9][A-Za-z0-9_./-]{0,63}$/;

function fromStored(row: Selectable<DeliveriesTable>): DeliveryRecord {
  return {
    id: row.id,
    trancheId: row.trancheId,
    quantity: row.quantity,
    promisedOn: row.promisedOn,
    shippedOn: row.shippedOn,
    receivedOn: row.receivedOn,
    hub: row.hub,
    status: row.status,
    notes: row.notes,
  };
}

/** Delivery files: one row per delivery against a tranche. */
export const deliveriesCodec: EntityCodec<DeliveryRecord> = {
  entity: 'deliveries',
  policyEntity: 'delivery',
  keyColumn: 'id',
  columns: COLUMNS,
  key: (r) => r.id,

  parse(row) {
    const start = row.issues.length;
    const id = row.id('id', { pattern: DELIVERY_ID });
    const trancheId = row.id('tranche', { pattern: /^[A-Za-z0-9][A-Za-z0-9_./-]{0,127}$/ });
    const quantity = row.int('quantity');
    const promisedOn = row.date('promised_on', { required: false });
    const shippedOn = row.date('shipped_on');
    const receivedOn = row.date('received_on', { required: false });
    const hub = row.text('hub', { max: 200 });
    const given = row.term('status', 'deliveryStatus', { required: false });
    const notes = row.text('notes');
    const status = given ?? (receivedOn ? 'received' : 'shipped');
    if (given === 'received' && !row.has('received_on')) row.fail('received_on', 'is required when status is received');
    if (given === 'shipped' && receivedOn) row.fail('status', `is shipped but received_on is ${receivedOn}; write received or clear received_on`);
    if (shippedOn && receivedOn && receivedOn < shippedOn) row.fail('received_on', `${receivedOn} is before shipped_on ${shippedOn}`);
    if (row.issues.length > start) return undefined;
    if (!id || !trancheId || !quantity || !shippedOn || hub === undefined || notes === undefined) return undefined;
    return { id, trancheId, quantity, promisedOn: promisedOn ?? null, shippedOn, receivedOn: receivedOn ?? null, hub, status, notes };
  },

  toCells: (r) => [r.id, r.trancheId, r.quantity, r.promisedOn, r.shippedOn, r.receivedOn, r.hub, r.status, r.notes],

  async plan(tx, rows, issues) {
    const records = rows.map((r) => r.record);
    const tranches = new Map((await loadTranchesWithPledge(tx, records.map((r) => r.trancheId))).map((t) => [t.id, t]));
    const stored = new Map((await loadDeliveries(tx, records.map((r) => r.id))).map((d) => [d.id, d]));
    const inFile = new Set(records.map((r) => r.id));
    /** Units already delivered per tranche by deliveries the file does not touch. */
    const deliveredElsewhere = new Map<string, number>();
    for (const d of await loadDeliveriesOfTranches(tx, tranches.keys())) {
      if (!inFile.has(d.id)) deliveredElsewhere.set(d.trancheId, (deliveredElsewhere.get(d.trancheId) ?? 0) + d.quantity);
    }
    const creates: DeliveryRecord[] = [];
    const updates: { before: DeliveryRecord; after: DeliveryRecord }[] = [];
    let unchanged = 0;
    for (const { position, record } of rows) {
      const fail = (column: string, message: string) => issues.push({ ...position, column, message });
      const tranche = tranches.get(record.trancheId);
      if (!tranche) {
        fail('tranche', `unknown tranche ${record.trancheId}`);
        continue;
      }
      if (tranche.kind === 'funding' || tranche.quantity === null) {
        fail('tranche', `${record.trancheId} is a tranche of a funding pledge; deliveries are of goods`);
        continue;
      }
      const total = (deliveredElsewhere.get(tranche.id) ?? 0) + record.quantity;
      deliveredElsewhere.set(tranche.id, total);
      if (total > tranche.quantity) {
        fail('quantity', `brings deliveries of tranche ${tranche.id} to ${total}, more than its ${tranche.quantity}`);
        continue;
      }
      const resolved: DeliveryRecord = { ...record, promisedOn: record.promisedOn ?? tranche.expectedOn };
      const existing = stored.get(record.id);
      if (!existing) {
        if (tranche.pledgeStatus === 'withdrawn') fail('tranche', `pledge ${tranche.pledgeId} is withdrawn; nothing more can be delivered against it`);
        else creates.push(resolved);
        continue;
      }
      const old = fromStored(existing);
      if (sameRecord(old, resolved)) {
        unchanged += 1;
        continue;
      }
      if (old.status === 'received') {
        const { hub: _h, notes: _n, ...fixedOld } = old;
        const { hub: _h2, notes: _n2, ...fixedNew } = resolved;
        if (!sameRecord(fixedOld, fixedNew)) {
          fail(resolved.status === 'received' ? 'received_on' : 'status', `delivery ${record.id} was received on ${old.receivedOn}; only its hub and notes may change`);
          continue;
        }
      }
      updates.push({ before: old, after: resolved });
    }
    return {
      created: creates.length,
      updated: updates.length,
      unchanged,
      async apply(t) {
        await insertInBatches(t, 'deliveries', creates as (DeliveryRecord & { promisedOn: string })[]);
        for (const { after } of updates) {
          const { id, promisedOn, ...values } = after;
          await t.updateTable('deliveries').set({ ...values, promisedOn: promisedOn!, ...bump }).where('id', '=', id).execute();
        }
        const changes: Change[] = [
          ...creates.map((r) => ({ entity: 'delivery', recordId: r.id, action: 'import', before: null, after: r })),
          ...updates.map(({ before, after }) => ({ entity: 'delivery', recordId: after.id, action: 'import', before, after })),
        ];
        return changes;
      },
    };
  },

  async *exportPages(tx, size) {
    for await (const page of pagesById(tx, 'deliveries', size)) yield page.map(fromStored);
  },
};
