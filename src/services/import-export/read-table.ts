import { parse as parseCsv } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { invalidInput, type FieldIssue } from '../../domain/errors.ts';
import { describePosition, unescapeFormula, type RowPosition } from './cells.ts';

export const FILE_FORMATS = ['csv', 'xlsx'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/** One column of an entity's file layout. */
export interface ColumnSpec {
  name: string;
  required: boolean;
  /** How the column is written in XLSX: numbers as numeric cells, everything else as text. */
  kind: 'text' | 'number';
  /** What the column holds, for docs/import-export.md. */
  doc: string;
  /** Other header spellings read as this column (after header normalisation). */
  aliases?: readonly string[];
}

/** One data row: where it was and its cells by canonical column name (formula quotes already undone). */
export interface SourceRow {
  position: RowPosition;
  cells: Map<string, string>;
}

export interface SourceTable {
  format: FileFormat;
  /** The XLSX sheet read; undefined for CSV. */
  sheet?: string | undefined;
  /** The canonical columns present, in file order. */
  columns: string[];
  rows: SourceRow[];
}

/** A header as a column name: trimmed, lower case, spaces and dashes as underscores. */
export function headerKey(header: string): string {
  return header.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s\-]+/g, '_');
}

/** The format a file name implies, or undefined when its extension says nothing. */
export function formatFromName(name: string): FileFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'txt' || ext === 'tsv') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  return undefined;
}

const fileError = (message: string, issues: FieldIssue[] = []) => invalidInput(message, issues);

/**
 * Reads a CSV or XLSX file into rows keyed by canonical column names, or throws one invalid_input error
 * that says what is wrong with the file as a whole: empty, wrong encoding, not CSV, not XLSX, missing or
 * unknown headers, rows longer than the header.
 */
export async function readTable(data: Uint8Array, format: FileFormat, columns: readonly ColumnSpec[], entity: string): Promise<SourceTable> {
  if (data.length === 0) throw fileError('the file is empty: it needs a header row and at least one data row');
  const grid = format === 'csv' ? readCsvGrid(data) : await readXlsxGrid(data, entity);
  return mapColumns(grid, format, columns);
}

/** Rows of raw cells with their position; `header` is the header row. */
interface Grid {
  sheet?: string | undefined;
  header: { cells: string[]; position: RowPosition };
  rows: { cells: string[]; position: RowPosition }[];
}

function isZip(data: Uint8Array): boolean {
  return data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
}

/** Decodes UTF-8 text (BOM dropped), refusing UTF-16, binary data and bytes that are not UTF-8. */
export function decodeText(data: Uint8Array): string {
  if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) {
    throw fileError('the file is UTF-16 text; save it as "CSV UTF-8" and import it again');
  }
  if (isZip(data)) throw fileError('the file is a ZIP archive (an XLSX workbook?), not CSV: name it .xlsx or pass --format xlsx');
  const head = data.subarray(0, Math.min(data.length, 4096));
  const nulls = head.filter((b) => b === 0).length;
  if (nulls > 0) {
    const utf16 = nulls * 3 >= head.length;
    throw fileError(utf16 ? 'the file looks like UTF-16 text without a byte-order mark; save it as "CSV UTF-8" and import it again' : 'the file holds binary data, not CSV text');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    const loose = new TextDecoder('utf-8').decode(data);
    const at = loose.indexOf('\uFFFD');
    const line = loose.slice(0, Math.max(0, at)).split('\n').length;
    throw fileError(
      `the file is not valid UTF-8 (first bad byte on line ${line}); it is probably Latin-1 or Windows-1252: save it as "CSV UTF-8" and import it again`,
      [{ path: `line ${line}`, message: 'bytes that are not UTF-8' }],
    );
  }
}

function readCsvGrid(data: Uint8Array): Grid {
  const text = decodeText(data);
  if (text.trim() === '') throw fileError('the file is empty: it needs a header row and at least one data row');
  const start = text.trimStart().replace(/^\uFEFF/, '')[0];
  if (start === '{' || start === '[') throw fileError('the file looks like JSON, not CSV: export the sheet as CSV (UTF-8) or XLSX');
  if (start === '<') throw fileError('the file looks like HTML or XML, not CSV: export the sheet as CSV (UTF-8) or XLSX');
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text.slice(0, 4096))) throw fileError('the file holds control characters, not CSV text');
  const delimiter = detectDelimiter(firstLine);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { delimiter, info: true, relax_column_count: true, skip_empty_lines: true, bom: true }) as unknown as typeof records;
  } catch (error) {
    const e = error as { message: string; lines?: number };
    const where = e.lines !== undefined ? `line ${e.lines}` : 'file';
    throw fileError(`the file is not well-formed CSV: ${e.message}`, [{ path: where, message: e.message }]);
  }
  const rows = records.map(({ record, info }) => {
    // info.lines is the line the record ends on; a quoted cell may span lines.
    const spanned = record.reduce((n, cell) => n + (cell.match(/\r\n|\n|\r/g)?.length ?? 0), 0);
    return { cells: record, position: { line: info.lines - spanned } };
  });
  const header = rows.shift();
  if (!header) throw fileError('the file is empty: it needs a header row and at least one data row');
  return { header, rows: rows.filter((r) => r.cells.some((c) => c.trim() !== '')) };
}

/** `;` when the header line is separated by semicolons (spreadsheets set to a decimal comma), else `,`. */
function detectDelimiter(headerLine: string): string {
  const count = (c: string) => headerLine.split(c).length - 1;
  if (count('\t') > 0 && count(',') === 0 && count(';') === 0) return '\t';
  return count(';') > count(',') ? ';' : ',';
}

async function readXlsxGrid(data: Uint8Array, entity: string): Promise<Grid> {
  if (!isZip(data)) throw fileError('the file is not an XLSX workbook (an .xlsx file is a ZIP archive); for CSV name it .csv or pass --format csv');
  // Loaded on first use: exceljs takes a third of a second to import, and most commands never need it.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(data.buffer, data.byteOffset, data.byteLength) as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw fileError(`the file is not a readable XLSX workbook: ${(error as Error).message}`);
  }
  const sheets = workbook.worksheets;
  const sheet = sheets.find((s) => s.name.trim().toLowerCase() === entity) ?? sheets.find((s) => s.actualRowCount > 0);
  if (!sheet) throw fileError('the workbook has no sheet with data');
  const rows: Grid['rows'] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = xlsxCellText(cell.value);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    if (cells.some((c) => c.trim() !== '')) rows.push({ cells, position: { line: row.number, sheet: sheet.name } });
  });
  const header = rows.shift();
  if (!header) throw fileError(`the sheet ${sheet.name} is empty: it needs a header row and at least one data row`);
  return { sheet: sheet.name, header, rows };
}

/** A cell's value as the text a user sees: dates as YYYY-MM-DD, formulas by their cached result. */
function xlsxCellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return xlsxCellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

/** Maps headers to canonical columns and rows to cells, listing every header and shape problem at once. */
function mapColumns(grid: Grid, format: FileFormat, columns: readonly ColumnSpec[]): SourceTable {
  const byKey = new Map<string, string>();
  for (const c of columns) {
    byKey.set(c.name, c.name);
    for (const a of c.aliases ?? []) byKey.set(headerKey(a), c.name);
  }
  const where = (p: RowPosition) => describePosition(p);
  const issues: FieldIssue[] = [];
  const indexToColumn: (string | undefined)[] = [];
  const seen = new Map<string, number>();
  grid.header.cells.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const column = byKey.get(headerKey(raw));
    if (!column) {
      issues.push({ path: `${where(grid.header.position)}, column ${i + 1}`, message: `unknown column "${raw.trim()}"; accepted columns: ${columns.map((c) => c.name).join(', ')}` });
      return;
    }
    if (seen.has(column)) {
      issues.push({ path: `${where(grid.header.position)}, column ${i + 1}`, message: `column ${column} appears twice (also column ${seen.get(column)! + 1})` });
      return;
    }
    seen.set(column, i);
    indexToColumn[i] = column;
  });
  for (const c of columns) {
    if (c.required && !seen.has(c.name)) issues.push({ path: `${where(grid.header.position)}`, message: `missing required column ${c.name}` });
  }
  const width = grid.header.cells.length;
  for (const row of grid.rows) {
    const short = format === 'csv' && row.cells.length < width;
    const extra = row.cells.slice(width).some((c) => c.trim() !== '') || row.cells.some((c, i) => c.trim() !== '' && i < width && grid.header.cells[i]!.trim() === '');
    if (short || extra) issues.push({ path: where(row.position), message: `has ${row.cells.length} cells but the header has ${width} columns${format === 'csv' ? ' (a ragged row: check for an unquoted comma)' : ''}` });
  }
  if (issues.length > 0) {
    throw fileError(`the file's layout is wrong (${issues.length} problem${issues.length === 1 ? '' : 's'}); nothing was imported`, issues);
  }
  const rows = grid.rows.map((row) => {
    const cells = new Map<string, string>();
    indexToColumn.forEach((column, i) => {
      if (column) cells.set(column, unescapeFormula(row.cells[i] ?? ''));
    });
    return { position: row.position, cells };
  });
  return { format, sheet: grid.sheet, columns: [...seen.keys()], rows };
}
