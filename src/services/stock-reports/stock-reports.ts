import { DomainError, invalidInput, notFound } from '../../domain/errors.ts';
import type { StockReport, StockReportCreate, StockReportListQuery, StockReportPage, StockReportUpdate } from '../../contracts/stock-reports.ts';
import {
  findStockReport,
  findStockReportAt,
  insertStockReport,
  listStockReportRows,
  nextStockReportId,
  STOCK_REPORT_SORT_COLUMNS,
  updateStockReportRow,
  type StockReportRow,
} from '../../store/stock-report.repository.ts';
import { findItemGroup } from '../../store/catalog.repository.ts';
import type { Actor, ServiceDeps, Tx } from '../context.ts';
import { runUseCase } from '../use-case.ts';
import { recordChange } from '../audit.ts';
import { checkVersion } from '../versions.ts';

/** Shapes a stored stock report, with the days of supply it implies. */
export function presentStockReport(row: StockReportRow): StockReport {
  return {
    id: row.id,
    group: row.groupCode,
    asOf: row.asOf,
    onHand: row.onHand,
    dailyConsumption: row.dailyConsumption,
    daysOfSupply: row.dailyConsumption > 0 ? Math.round((row.onHand / row.dailyConsumption) * 10) / 10 : null,
    notes: row.notes,
    version: row.version,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** Checks the group exists and no other report counts it on the same date. */
async function checkGroupAndDate(tx: Tx, group: string, asOf: string, selfId: string | null): Promise<void> {
  if (!(await findItemGroup(tx, group))) throw invalidInput(`item group ${group} does not exist`, [{ path: '/group', message: `unknown item group ${group}` }]);
  const other = await findStockReportAt(tx, group, asOf);
  if (other && other.id !== selfId) {
    throw new DomainError('conflict', `stock report ${other.id} already counts ${group} on ${asOf}`, [{ path: '/asOf', message: `already reported in ${other.id}` }]);
  }
}

/** Records the recipient's stock and daily consumption of a group at a date. */
export async function createStockReport(deps: ServiceDeps, actor: Actor, input: StockReportCreate): Promise<StockReport> {
  return runUseCase(deps, actor, { entity: 'stock-report', verb: 'create' }, async (tx) => {
    await checkGroupAndDate(tx, input.group, input.asOf, null);
    if (input.id && (await findStockReport(tx, input.id))) {
      throw new DomainError('conflict', `stock report ${input.id} already exists`, [{ path: '/id', message: 'already exists' }]);
    }
    const id = input.id ?? (await nextStockReportId(tx));
    const row = await insertStockReport(tx, { id, groupCode: input.group, asOf: input.asOf, onHand: input.onHand, dailyConsumption: input.dailyConsumption, notes: input.notes });
    const created = presentStockReport(row);
    await recordChange(tx, actor, { entity: 'stock-report', recordId: id, action: 'create', before: null, after: created });
    return created;
  });
}

/** Reads one stock report. */
export async function getStockReport(deps: ServiceDeps, actor: Actor, id: string): Promise<StockReport> {
  return runUseCase(deps, actor, { entity: 'stock-report', verb: 'read' }, async (tx) => {
    const row = await findStockReport(tx, id);
    if (!row) throw notFound('stock report', id);
    return presentStockReport(row);
  });
}

/** Corrects a stock report, refusing a stale version. */
export async function updateStockReport(deps: ServiceDeps, actor: Actor, id: string, patch: StockReportUpdate, expectedVersion?: number): Promise<StockReport> {
  return runUseCase(deps, actor, { entity: 'stock-report', verb: 'update' }, async (tx) => {
    const row = await findStockReport(tx, id, true);
    if (!row) throw notFound('stock report', id);
    const version = checkVersion('stock report', id, row.version, expectedVersion);
    if (patch.group !== undefined || patch.asOf !== undefined) await checkGroupAndDate(tx, patch.group ?? row.groupCode, patch.asOf ?? row.asOf, id);
    const values: Parameters<typeof updateStockReportRow>[2] = {};
    if (patch.group !== undefined) values.groupCode = patch.group;
    if (patch.asOf !== undefined) values.asOf = patch.asOf;
    if (patch.onHand !== undefined) values.onHand = patch.onHand;
    if (patch.dailyConsumption !== undefined) values.dailyConsumption = patch.dailyConsumption;
    if (patch.notes !== undefined) values.notes = patch.notes;
    const updated = await updateStockReportRow(tx, id, values, version);
    if (!updated) throw new DomainError('precondition_failed', `stock report ${id} changed while it was being updated`);
    const after = presentStockReport(updated);
    await recordChange(tx, actor, { entity: 'stock-report', recordId: id, action: 'update', before: presentStockReport(row), after });
    return after;
  });
}

/** Lists stock reports by group and date range, sorted and paged with a cursor. */
export async function listStockReports(deps: ServiceDeps, actor: Actor, query: StockReportListQuery): Promise<StockReportPage> {
  return runUseCase(deps, actor, { entity: 'stock-report', verb: 'read' }, async (tx) => {
    const page = await listStockReportRows(
      tx,
      query,
      { sortColumn: STOCK_REPORT_SORT_COLUMNS[query.sort], order: query.order, limit: query.limit, cursor: query.cursor },
      (row) => row[query.sort],
    );
    return { items: page.items.map(presentStockReport), nextCursor: page.nextCursor };
  });
}
