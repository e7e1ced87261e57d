import type { Actor, ServiceDeps } from '../context.ts';
import { runUseCase } from '../use-case.ts';
import { recordChanges } from '../audit.ts';
import { RowReader, type RowIssue } from './cells.ts';
import { CODECS } from './codecs.ts';
import type { ImportEntity, ParsedRow } from './entity.ts';
import { readTable, type FileFormat } from './read-table.ts';

/** How far an import has got, for a progress line on a terminal. */
export interface ImportProgress {
  phase: 'read' | 'check' | 'write';
  done: number;
  total: number;
}

export interface ImportRequest {
  entity: ImportEntity;
  /** The file's bytes. */
  data: Uint8Array;
  format: FileFormat;
  /** Check everything, write nothing. */
  dryRun?: boolean;
  onProgress?: (progress: ImportProgress) => void;
}

/** What an import did, or would do, and every bad row. */
export interface ImportReport {
  entity: ImportEntity;
  format: FileFormat;
  sheet?: string | undefined;
  /** Data rows read. */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Every problem, by line then column; when not empty nothing was written. */
  issues: RowIssue[];
  /** Whether the changes were written (false on a dry run or when any row is bad). */
  written: boolean;
  dryRun: boolean;
}

const PROGRESS_STEP = 1000;

/**
 * Imports one CSV or XLSX file all-or-nothing: reads and normalises every row, checks every row against
 * the database, and only when no row is bad writes creates and updates with their audit entries in one
 * transaction. Rows identical to the stored record are counted as unchanged and not written, so
 * re-importing a file changes nothing. A malformed file throws invalid_input; bad rows are returned.
 */
export async function importFile(deps: ServiceDeps, actor: Actor, request: ImportRequest): Promise<ImportReport> {
  const codec = CODECS[request.entity];
  const progress = request.onProgress ?? (() => {});
  const table = await readTable(request.data, request.format, codec.columns, request.entity);
  const total = table.rows.length;
  const issues: RowIssue[] = [];
  const parsed: ParsedRow<unknown>[] = [];
  const firstLine = new Map<string, number>();
  table.rows.forEach((row, i) => {
    const reader = new RowReader(row.cells, row.position, issues);
    const record = codec.parse(reader);
    if (record !== undefined) {
      const key = codec.key(record);
      const seen = firstLine.get(key);
      if (seen !== undefined) reader.fail(codec.keyColumn, `${key} appears more than once in the file (first on ${table.sheet ? 'row' : 'line'} ${seen})`);
      else {
        firstLine.set(key, row.position.line);
        parsed.push({ position: row.position, record });
      }
    }
    if ((i + 1) % PROGRESS_STEP === 0) progress({ phase: 'read', done: i + 1, total });
  });
  const report: ImportReport = {
    entity: request.entity,
    format: request.format,
    sheet: table.sheet,
    rows: total,
    created: 0,
    updated: 0,
    unchanged: 0,
    issues,
    written: false,
    dryRun: request.dryRun ?? false,
  };
  await runUseCase(deps, actor, { entity: codec.policyEntity, verb: 'import' }, async (tx) => {
    progress({ phase: 'check', done: 0, total });
    const plan = await codec.plan(tx, parsed, issues);
    Object.assign(report, { created: plan.created, updated: plan.updated, unchanged: plan.unchanged });
    if (issues.length > 0 || report.dryRun) return;
    progress({ phase: 'write', done: 0, total: plan.created + plan.updated });
    const changes = await plan.apply(tx, actor);
    await recordChanges(tx, actor, changes);
    progress({ phase: 'write', done: plan.created + plan.updated, total: plan.created + plan.updated });
    report.written = true;
  });
  const order = new Map(codec.columns.map((c, i) => [c.name, i]));
  issues.sort((a, b) => a.line - b.line || (order.get(a.column) ?? -1) - (order.get(b.column) ?? -1));
  return report;
}
