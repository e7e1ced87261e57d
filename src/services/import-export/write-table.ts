import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';
import { escapeFormula } from './cells.ts';
import type { ColumnSpec, FileFormat } from './read-table.ts';

/** A cell as an entity writes it: text, a number, or empty. */
export type Cell = string | number | null;

/** Writes a table page by page, so an export never holds more than one page in memory. */
export interface TableWriter {
  writeRows(rows: readonly (readonly Cell[])[]): Promise<void>;
  close(): Promise<void>;
}

async function write(out: Writable, chunk: string | Uint8Array): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** A text cell as written to a file: escaped so that no spreadsheet runs it as a formula. */
function textCell(cell: Cell): string {
  if (cell === null) return '';
  return typeof cell === 'number' ? String(cell) : escapeFormula(cell);
}

/** Opens a CSV or XLSX writer on `out` and writes the header row. */
export async function openTableWriter(format: FileFormat, out: Writable, columns: readonly ColumnSpec[], sheetName: string): Promise<TableWriter> {
  return format === 'csv' ? openCsvWriter(out, columns) : openXlsxWriter(out, columns, sheetName);
}

async function openCsvWriter(out: Writable, columns: readonly ColumnSpec[]): Promise<TableWriter> {
  await write(out, stringify([columns.map((c) => c.name)], { record_delimiter: 'unix' }));
  return {
    async writeRows(rows) {
      if (rows.length === 0) return;
      await write(out, stringify(rows.map((r) => r.map(textCell)), { record_delimiter: 'unix' }));
    },
    async close() {
      // The caller owns `out` (stdout or a file) and ends it.
    },
  };
}

async function openXlsxWriter(out: Writable, columns: readonly ColumnSpec[], sheetName: string): Promise<TableWriter> {
  // Loaded on first use: exceljs takes a third of a second to import, and most commands never need it.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ key: c.name, width: Math.max(10, c.name.length + 2) }));
  const header = sheet.addRow(columns.map((c) => c.name));
  header.font = { bold: true };
  header.commit();
  return {
    async writeRows(rows) {
      for (const r of rows) {
        const values = r.map((cell, i) => {
          if (cell === null || cell === '') return null;
          if (columns[i]!.kind === 'number' && typeof cell === 'number') return cell;
          if (columns[i]!.kind === 'number' && /^\d+(\.\d+)?$/.test(cell as string)) return Number(cell);
          return textCell(cell);
        });
        sheet.addRow(values).commit();
      }
    },
    async close() {
      sheet.commit();
      await workbook.commit();
    },
  };
}
