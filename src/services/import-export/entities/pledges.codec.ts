import type { Selectable } from 'kysely';
import type { PledgesTable, TranchesTable } from '../../../store/schema.ts';
import { isIsoDate } from '../../../domain/dates.ts';
import { PLEDGE_LIFECYCLE, type PledgeStatus } from '../../../domain/pledges/pledge.ts';
import type { Change } from '../../audit.ts';
import { formatMoney, parseInteger, parseMoney, type RowReader } from '../cells.ts';
import { sameRecord, type EntityCodec } from '../entity.ts';
import {
  bump,
  insertInBatches,
  loadDeliveriesOfTranches,
  loadItemGroups,
  loadItemTypes,
  loadMeetingIds,
  loadNations,
  loadPledges,
  loadRequirements,
  loadTranchesOfPledges,
  pagesById,
} from '../import-export.repository.ts';
import type { ColumnSpec } from '../read-table.ts';
import { lifecycleIssue } from './lifecycle-check.ts';

/** One scheduled part of a pledge: units, or money in minor units for funding. */
export interface TrancheRecord {
  quantity: number | null;
  amountMinor: number | null;
  expectedOn: string;
}

/** One offer line of a donor as a file row holds it, tranches included. */
export interface PledgeRecord {
  id: string;
  donor: string;
  kind: string;
  channel: string;
  itemCode: string | null;
  groupCode: string | null;
  quantity: number | null;
  amountMinor: number | null;
  currency: string | null;
  horizon: string;
  years: number[];
  forbids: string[];
  designatedTo: string | null;
  meetingId: string | null;
  announcedOn: string;
  status: string;
  tranches: TrancheRecord[];
  notes: string;
}

const COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', required: true, kind: 'text', doc: 'External id: `P-000123`. Re-importing the same id updates that pledge.' },
  { name: 'donor', required: true, kind: 'text', doc: 'Donor nation, ISO 3166 alpha-3 (`DEU`).' },
  { name: 'kind', required: true, kind: 'text', doc: '`in-kind`, `procurement`, `funding` or `training` (`in kind`, `financial`, … are read too).' },
  { name: 'channel', required: true, kind: 'text', doc: '`coordinated` or `bilateral`.' },
  { name: 'item', required: false, kind: 'text', doc: 'Item type code offered (not for funding).', aliases: ['item_code'] },
  { name: 'group', required: false, kind: 'text', doc: 'Interchangeability group; derived from the item when blank (not for funding).', aliases: ['group_code'] },
  { name: 'quantity', required: false, kind: 'number', doc: 'Total units; required unless kind is funding; equals the sum of the tranches.' },
  { name: 'amount', required: false, kind: 'number', doc: 'Funding: the amount, in major units; otherwise an optional declared value. Equals the sum of funding tranches.' },
  { name: 'currency', required: false, kind: 'text', doc: 'Currency of `amount`: ISO 4217 or a symbol from the vocabulary table.' },
  { name: 'horizon', required: false, kind: 'text', doc: '`one-off` or `multi-year`; when blank, multi-year if `years` is filled in.' },
  { name: 'years', required: false, kind: 'text', doc: 'Years of a multi-year commitment, separated by `;`: `2025;2026;2027`.' },
  { name: 'forbids', required: false, kind: 'text', doc: 'Caveats: end uses the donor forbids (tags), separated by `;`.', aliases: ['caveats'] },
  { name: 'designated_to', required: false, kind: 'text', doc: 'Requirement id the pledge is designated to by bilateral arrangement.' },
  { name: 'meeting', required: false, kind: 'text', doc: 'Id of the meeting where the pledge was announced.', aliases: ['meeting_id'] },
  { name: 'announced_on', required: true, kind: 'text', doc: 'Date announced, YYYY-MM-DD.' },
  { name: 'status', required: false, kind: 'text', doc: 'Pledge status; `announced` when blank.' },
  { name: 'tranches', required: true, kind: 'text', doc: 'Tranches as `quantity@YYYY-MM-DD` separated by `;` (for funding `amount@YYYY-MM-DD`), in order: `5000@2026-03-01;3000@2026-06-01`.' },
  { name: 'notes', required: false, kind: 'text', doc: 'Free text.' },
];

/** Reads `qty@date;qty@date` (amounts in major units of `currency` for funding). */
function parseTranches(row: RowReader, funding: boolean, currency: string | undefined): TrancheRecord[] | undefined {
  const raw = row.raw('tranches');
  if (raw === '') return row.fail('tranches', 'is required: write each tranche as quantity@YYYY-MM-DD, separated by ;');
  const out: TrancheRecord[] = [];
  const parts = raw.split(/[;\n]/).map((s) => s.trim()).filter(Boolean);
  for (const [i, part] of parts.entries()) {
    const m = /^(.+?)\s*@\s*(\S+)$/.exec(part);
    const what = funding ? 'amount' : 'quantity';
    if (!m) return row.fail('tranches', `tranche ${i + 1} "${part}" must be written ${what}@YYYY-MM-DD`);
    const [, size, date] = m as unknown as [string, string, string];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isIsoDate(date)) return row.fail('tranches', `tranche ${i + 1} has "${date}", not a date written YYYY-MM-DD`);
    if (funding) {
      if (!currency) return undefined;
      const amount = parseMoney(size, currency);
      if (!amount.ok) return row.fail('tranches', `tranche ${i + 1} amount ${amount.message}`);
      if (amount.value <= 0) return row.fail('tranches', `tranche ${i + 1} amount must be positive`);
      out.push({ quantity: null, amountMinor: amount.value, expectedOn: date });
    } else {
      const q = parseInteger(size);
      if (!q.ok) return row.fail('tranches', `tranche ${i + 1} quantity ${q.message}`);
      if (q.value <= 0) return row.fail('tranches', `tranche ${i + 1} quantity must be positive`);
      out.push({ quantity: q.value, amountMinor: null, expectedOn: date });
    }
  }
  return out;
}

function formatTranches(r: PledgeRecord): string {
  return r.tranches
    .map((t) => `${t.quantity !== null ? t.quantity : formatMoney(t.amountMinor ?? 0, r.currency ?? 'EUR')}@${t.expectedOn}`)
    .join(';');
}

function fromStored(row: Selectable<PledgesTable>, tranches: readonly Selectable<TranchesTable>[]): PledgeRecord {
  return {
    id: row.id,
    donor: row.donor.trim(),
    kind: row.kind,
    channel: row.channel,
    itemCode: row.itemCode,
    groupCode: row.groupCode,
    quantity: row.quantity,
    amountMinor: row.amountMinor,
    currency: row.currency?.trim() ?? null,
    horizon: row.horizon,
    years: row.years,
    forbids: row.forbids,
    designatedTo: row.designatedTo,
    meetingId: row.meetingId,
    announcedOn: row.announcedOn,
    status: row.status,
    tranches: [...tranches]
      .sort((a, b) => a.seq - b.seq)
      .map((t) => (row.kind === 'funding' ? { quantity: null, amountMinor: t.amountMinor, expectedOn: t.expectedOn } : { quantity: t.quantity, amountMinor: null, expectedOn: t.expectedOn })),
    notes: row.notes,
  };
}

/** The tranche id of a pledge's n-th tranche (`P-000123/T2`). */
export const trancheId = (pledgeId: string, seq: number) => `${pledgeId}/T${seq}`;

/** Pledge files: one row per pledge, its tranches in one `tranches` cell. */
export const pledgesCodec: EntityCodec<PledgeRecord> = {
  entity: 'pledges',
  policyEntity: 'pledge',
  keyColumn: 'id',
  columns: COLUMNS,
  key: (r) => r.id,

  parse(row) {
    const start = row.issues.length;
    const id = row.id('id');
    const donor = row.nation('donor');
    const kind = row.term('kind', 'pledgeKind');
    const channel = row.term('channel', 'channel');
    const funding = kind === 'funding';
    const itemCode = row.code('item');
    const groupCode = row.code('group');
    const currency = row.term('currency', 'currency', { required: funding || row.has('amount') });
    const amountMinor = currency ? row.money('amount', currency, { required: funding }) : undefined;
    const quantity = row.int('quantity', { required: kind !== undefined && !funding });
    const yearsGiven = row.has('years');
    const horizon = row.term('horizon', 'horizon', { required: false }) ?? (row.has('horizon') ? undefined : yearsGiven ? 'multi-year' : 'one-off');
    const years = row.ints('years', { min: 1990, max: 2100 });
    const forbids = row.tags('forbids');
    const designatedTo = row.id('designated_to', { required: false });
    const meetingId = row.id('meeting', { required: false });
    const announcedOn = row.date('announced_on');
    const status = row.term('status', 'pledgeStatus', { required: false }) ?? (row.has('status') ? undefined : 'announced');
    const notes = row.text('notes');
    const tranches = kind === undefined ? undefined : parseTranches(row, funding, currency);
    if (funding) {
      for (const column of ['item', 'group', 'quantity']) if (row.has(column)) row.fail(column, 'must be blank for a funding pledge (give amount and currency)');
    } else if (kind !== undefined && !row.has('item') && !row.has('group')) {
      row.fail('group', `give the item or the group of a ${kind} pledge`);
    }
    if (currency && !row.has('amount') && !funding) row.fail('amount', 'is blank but a currency is given');
    if (horizon === 'multi-year' && years !== undefined && years.length === 0) row.fail('years', 'is required for a multi-year pledge');
    if (horizon === 'one-off' && years !== undefined && years.length > 0) row.fail('horizon', 'is one-off but years are given; write multi-year or leave years blank');
    if (tranches && announcedOn) {
      const early = tranches.findIndex((t) => t.expectedOn < announcedOn);
      if (early >= 0) row.fail('tranches', `tranche ${early + 1} is expected on ${tranches[early]!.expectedOn}, before the pledge was announced on ${announcedOn}`);
    }
    if (tranches && funding && amountMinor !== undefined && currency) {
      const sum = tranches.reduce((s, t) => s + (t.amountMinor ?? 0), 0);
      if (sum !== amountMinor) row.fail('tranches', `add up to ${formatMoney(sum, currency)} ${currency} but the amount is ${formatMoney(amountMinor, currency)}`);
    }
    if (tranches && !funding && quantity !== undefined) {
      const sum = tranches.reduce((s, t) => s + (t.quantity ?? 0), 0);
      if (sum !== quantity) row.fail('tranches', `add up to ${sum} but the quantity is ${quantity}`);
    }
    if (row.issues.length > start) return undefined;
    if (!id || !donor || !kind || !channel || !horizon || !years || !forbids || !announcedOn || !status || notes === undefined || !tranches) return undefined;
    return {
      id,
      donor,
      kind,
      channel,
      itemCode: funding ? null : itemCode ?? null,
      groupCode: funding ? null : groupCode ?? null,
      quantity: funding ? null : quantity ?? null,
      amountMinor: amountMinor ?? null,
      currency: currency ?? null,
      horizon,
      years,
      forbids,
      designatedTo: designatedTo ?? null,
      meetingId: meetingId ?? null,
      announcedOn,
      status,
      tranches,
      notes,
    };
  },

  toCells: (r) => [
    r.id,
    r.donor,
    r.kind,
    r.channel,
    r.itemCode,
    r.groupCode,
    r.quantity,
    r.amountMinor !== null && r.currency ? formatMoney(r.amountMinor, r.currency) : null,
    r.currency,
    r.horizon,
    r.years.join(';'),
    r.forbids.join(';'),
    r.designatedTo,
    r.meetingId,
    r.announcedOn,
    r.status,
    formatTranches(r),
    r.notes,
  ],

  async plan(tx, rows, issues) {
    const records = rows.map((r) => r.record);
    const nations = new Map((await loadNations(tx, records.map((r) => r.donor))).map((n) => [n.code.trim(), n]));
    const items = new Map((await loadItemTypes(tx, records.flatMap((r) => (r.itemCode ? [r.itemCode] : [])))).map((i) => [i.code, i]));
    const groupCodes = [...records.flatMap((r) => (r.groupCode ? [r.groupCode] : [])), ...[...items.values()].map((i) => i.groupCode)];
    const groups = new Map((await loadItemGroups(tx, groupCodes)).map((g) => [g.code, g]));
    const requirements = new Map((await loadRequirements(tx, records.flatMap((r) => (r.designatedTo ? [r.designatedTo] : [])))).map((r) => [r.id, r]));
    const meetings = new Set((await loadMeetingIds(tx, records.flatMap((r) => (r.meetingId ? [r.meetingId] : [])))).map((m) => m.id));
    const stored = new Map((await loadPledges(tx, records.map((r) => r.id))).map((p) => [p.id, p]));
    const storedTranches = new Map<string, Selectable<TranchesTable>[]>();
    for (const t of await loadTranchesOfPledges(tx, stored.keys())) storedTranches.set(t.pledgeId, [...(storedTranches.get(t.pledgeId) ?? []), t]);
    /** Units delivered per `pledge id/seq` of the stored tranches. */
    const delivered = new Map<string, number>();
    const slotOf = new Map([...storedTranches.values()].flat().map((t) => [t.id, `${t.pledgeId}/${t.seq}`]));
    for (const d of await loadDeliveriesOfTranches(tx, slotOf.keys())) {
      const slot = slotOf.get(d.trancheId)!;
      delivered.set(slot, (delivered.get(slot) ?? 0) + d.quantity);
    }

    const creates: { record: PledgeRecord; area: string | null }[] = [];
    const updates: { before: PledgeRecord; after: PledgeRecord; area: string | null }[] = [];
    let unchanged = 0;
    for (const { position, record } of rows) {
      const fail = (column: string, message: string) => issues.push({ ...position, column, message });
      const count = issues.length;
      const nation = nations.get(record.donor);
      if (!nation) fail('donor', `unknown nation ${record.donor}`);
      else if (nation.kind === 'recipient') fail('donor', `${record.donor} is the recipient, not a donor`);
      let groupCode = record.groupCode;
      if (record.itemCode) {
        const item = items.get(record.itemCode);
        if (!item) fail('item', `unknown item type ${record.itemCode}`);
        else if (groupCode && groupCode !== item.groupCode) fail('group', `is ${groupCode} but item ${item.code} is in group ${item.groupCode}`);
        else groupCode = item.groupCode;
      } else if (groupCode && !groups.has(groupCode)) fail('group', `unknown item group ${groupCode}`);
      if (record.designatedTo) {
        const requirement = requirements.get(record.designatedTo);
        if (!requirement) fail('designated_to', `unknown requirement ${record.designatedTo}`);
        else if (groupCode && !requirement.accepts.includes(groupCode)) fail('designated_to', `requirement ${requirement.id} does not accept group ${groupCode} (it accepts ${requirement.accepts.join(', ')})`);
      }
      if (record.meetingId && !meetings.has(record.meetingId)) fail('meeting', `unknown meeting ${record.meetingId}`);
      if (issues.length > count) continue;
      const resolved: PledgeRecord = { ...record, groupCode };
      const area = groupCode ? (groups.get(groupCode)?.capabilityArea ?? null) : null;
      const existing = stored.get(record.id);
      if (!existing) {
        creates.push({ record: resolved, area });
        continue;
      }
      const old = fromStored(existing, storedTranches.get(record.id) ?? []);
      if (sameRecord(old, resolved)) {
        unchanged += 1;
        continue;
      }
      const problem = lifecycleIssue('pledge', record.id, PLEDGE_LIFECYCLE, old.status as PledgeStatus, resolved.status as PledgeStatus);
      if (problem) {
        fail(problem.column, problem.message);
        continue;
      }
      if (old.kind !== resolved.kind && (old.kind === 'funding' || resolved.kind === 'funding')) {
        fail('kind', `pledge ${record.id} is ${old.kind}; it cannot become ${resolved.kind} (withdraw it and pledge anew)`);
        continue;
      }
      for (let seq = 1; seq <= Math.max(old.tranches.length, resolved.tranches.length); seq++) {
        const done = delivered.get(`${record.id}/${seq}`) ?? 0;
        const next = resolved.tranches[seq - 1];
        if (done > 0 && !next) fail('tranches', `tranche ${seq} already has deliveries (${done}) and cannot be removed`);
        else if (next?.quantity != null && next.quantity < done) fail('tranches', `tranche ${seq} would hold ${next.quantity}, less than the ${done} already delivered`);
      }
      if (issues.length > count) continue;
      updates.push({ before: old, after: resolved, area });
    }
    return {
      created: creates.length,
      updated: updates.length,
      unchanged,
      async apply(t) {
        await insertInBatches(t, 'pledges', creates.map(({ record, area }) => pledgeColumns(record, area)));
        await insertInBatches(t, 'tranches', creates.flatMap(({ record }) => trancheRows(record)));
        for (const { before, after, area } of updates) {
          const { id, ...values } = pledgeColumns(after, area);
          await t.updateTable('pledges').set({ ...values, ...bump }).where('id', '=', id).execute();
          const wanted = trancheRows(after);
          for (const row of wanted.slice(0, before.tranches.length)) {
            const was = before.tranches[row.seq - 1];
            if (sameRecord(was, { quantity: row.quantity, amountMinor: row.amountMinor, expectedOn: row.expectedOn })) continue;
            await t
              .updateTable('tranches')
              .set({ quantity: row.quantity, amountMinor: row.amountMinor, expectedOn: row.expectedOn })
              .where('pledgeId', '=', id)
              .where('seq', '=', row.seq)
              .execute();
          }
          await insertInBatches(t, 'tranches', wanted.slice(before.tranches.length));
          if (before.tranches.length > wanted.length) await t.deleteFrom('tranches').where('pledgeId', '=', id).where('seq', '>', wanted.length).execute();
        }
        const changes: Change[] = [
          ...creates.map(({ record }) => ({ entity: 'pledge', recordId: record.id, action: 'import', before: null, after: record })),
          ...updates.map(({ before, after }) => ({ entity: 'pledge', recordId: after.id, action: 'import', before, after })),
        ];
        return changes;
      },
    };
  },

  async *exportPages(tx, size) {
    for await (const page of pagesById(tx, 'pledges', size)) {
      const byPledge = new Map<string, Selectable<TranchesTable>[]>();
      for (const t of await loadTranchesOfPledges(tx, page.map((p) => p.id))) byPledge.set(t.pledgeId, [...(byPledge.get(t.pledgeId) ?? []), t]);
      yield page.map((p) => fromStored(p, byPledge.get(p.id) ?? []));
    }
  },
};

function pledgeColumns(r: PledgeRecord, capabilityArea: string | null) {
  const { tranches: _tranches, ...rest } = r;
  return { ...rest, capabilityArea };
}

function trancheRows(r: PledgeRecord) {
  return r.tranches.map((t, i) => ({ id: trancheId(r.id, i + 1), pledgeId: r.id, seq: i + 1, quantity: t.quantity, amountMinor: t.amountMinor, expectedOn: t.expectedOn }));
}
