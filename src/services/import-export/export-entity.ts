import type { Writable } from 'node:stream';
import type { Actor, ServiceDeps } from '../context.ts';
import { runUseCase } from '../use-case.ts';
import { CODECS } from './codecs.ts';
import type { ImportEntity } from './entity.ts';
import type { FileFormat } from './read-table.ts';
import { openTableWriter } from './write-table.ts';

export interface ExportRequest {
  entity: ImportEntity;
  format: FileFormat;
  /** Where the file goes; the caller ends it. */
  out: Writable;
  /** Rows read per query (default 1,000). */
  pageSize?: number;
}

/**
 * Writes every record of an entity as CSV or XLSX in the columns the importer reads, so that exporting and
 * importing again changes nothing. Rows are read in keyset pages inside one repeatable-read transaction:
 * a consistent snapshot, with only one page in memory at a time. Text cells are formula-escaped.
 */
export async function exportEntity(deps: ServiceDeps, actor: Actor, request: ExportRequest): Promise<{ rows: number }> {
  const codec = CODECS[request.entity];
  return runUseCase(deps, actor, { entity: codec.policyEntity, verb: 'read', isolation: 'repeatable read' }, async (tx) => {
    const writer = await openTableWriter(request.format, request.out, codec.columns, request.entity);
    let rows = 0;
    for await (const page of codec.exportPages(tx, request.pageSize ?? 1000)) {
      await writer.writeRows(page.map((r) => codec.toCells(r)));
      rows += page.length;
    }
    await writer.close();
    return { rows };
  });
}
