import type { Entity } from '../policy.ts';
import type { Actor, Tx } from '../context.ts';
import type { Change } from '../audit.ts';
import { canonicalJson } from '../audit.ts';
import type { RowIssue, RowPosition, RowReader } from './cells.ts';
import type { ColumnSpec } from './read-table.ts';
import type { Cell } from './write-table.ts';

/** The entities that import and export files. */
export const IMPORT_ENTITIES = ['catalog', 'requirements', 'pledges', 'deliveries'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

/** A row that read cleanly, with where it came from. */
export interface ParsedRow<R> {
  position: RowPosition;
  record: R;
}

/** What an import will do once every row has been checked against the database. */
export interface ImportPlan {
  created: number;
  updated: number;
  unchanged: number;
  /** Writes the changes and returns their audit entries; only called when no row has an issue. */
  apply(tx: Tx, actor: Actor): Promise<Change[]>;
}

/**
 * How one entity maps to and from a file. Records are the entity's canonical form: what the importer
 * reads from a row after normalisation, and what the exporter derives from the stored row, so that
 * comparing the two tells whether a row changes anything.
 */
export interface EntityCodec<R> {
  entity: ImportEntity;
  /** The policy entity guarding writes. */
  policyEntity: Entity;
  /** The column holding the external id. */
  keyColumn: string;
  columns: readonly ColumnSpec[];
  key(record: R): string;
  /** Reads one row; returns undefined when a cell is bad (the reader has recorded why). */
  parse(row: RowReader): R | undefined;
  /** Cells of a record in `columns` order. */
  toCells(record: R): Cell[];
  /** Checks every row against the database (references, lifecycles), pushing issues, and plans the writes. */
  plan(tx: Tx, rows: ParsedRow<R>[], issues: RowIssue[]): Promise<ImportPlan>;
  /** Stored records in pages of about `size`, in id order. */
  exportPages(tx: Tx, size: number): AsyncGenerator<R[]>;
}

/** Whether two canonical records hold the same values. */
export function sameRecord(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
