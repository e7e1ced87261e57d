import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { DomainError } from '../../domain/errors.ts';
import { readTable, type ColumnSpec } from './read-table.ts';

const COLUMNS: ColumnSpec[] = [
  { name: 'id', required: true, kind: 'text', doc: '' },
  { name: 'quantity', required: true, kind: 'number', doc: '' },
  { name: 'need_by', required: false, kind: 'text', doc: '' },
  { name: 'notes', required: false, kind: 'text', doc: '' },
];
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

/** The error readTable throws for a file, as message and issues. */
async function refusal(data: Uint8Array, format: 'csv' | 'xlsx' = 'csv') {
  const error = await readTable(data, format, COLUMNS, 'requirements').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  const e = error as DomainError;
  expect(e.code).toBe('invalid_input');
  return { message: e.message, issues: e.issues };
}

describe('readTable (CSV)', () => {
  it('reads rows by canonical column, with header spellings normalised and blank rows skipped', async () => {
    const table = await readTable(utf8('ID,Quantity,Need By,notes\nR-1,10,2026-01-01,"two\nlines"\n,,,\nR-2,5,,\n'), 'csv', COLUMNS, 'requirements');
    expect(table.columns).toEqual(['id', 'quantity', 'need_by', 'notes']);
    expect(table.rows.map((r) => [r.position.line, Object.fromEntries(r.cells)])).toEqual([
      [2, { id: 'R-1', quantity: '10', need_by: '2026-01-01', notes: 'two\nlines' }],
      [5, { id: 'R-2', quantity: '5', need_by: '', notes: '' }],
    ]);
  });

  it('drops a UTF-8 byte-order mark and keeps accented text', async () => {
    const table = await readTable(utf8('\uFEFFid,quantity,notes\nR-1,1,Rzeszów\n'), 'csv', COLUMNS, 'requirements');
    expect(table.columns).toEqual(['id', 'quantity', 'notes']);
    expect(table.rows[0]!.cells.get('notes')).toBe('Rzeszów');
  });

  it('reads semicolon-separated files from spreadsheets set to a decimal comma', async () => {
    const table = await readTable(utf8('id;quantity\r\nR-1;7\r\n'), 'csv', COLUMNS, 'requirements');
    expect(table.rows[0]!.cells.get('quantity')).toBe('7');
  });

  it('undoes the formula quote of exported cells, and only that', async () => {
    const table = await readTable(utf8("id,quantity,notes\nR-1,1,'=1+2\nR-2,1,'quoted\nR-3,1,-5\n"), 'csv', COLUMNS, 'requirements');
    expect(table.rows.map((r) => r.cells.get('notes'))).toEqual(['=1+2', "'quoted", '-5']);
  });

  it('refuses an empty file', async () => {
    expect((await refusal(new Uint8Array())).message).toMatch(/the file is empty/);
    expect((await refusal(utf8('\uFEFF\n\n'))).message).toMatch(/the file is empty/);
  });

  it('refuses UTF-16 with or without a byte-order mark', async () => {
    const withBom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,quantity\nR-1,1\n', 'utf16le')]);
    expect((await refusal(withBom)).message).toMatch(/UTF-16.*save it as "CSV UTF-8"/);
    expect((await refusal(Buffer.from('id,quantity\nR-1,1\n', 'utf16le'))).message).toMatch(/UTF-16/);
  });

  it('refuses Latin-1 bytes that are not UTF-8, naming the line', async () => {
    const latin1 = Buffer.from('id,quantity,notes\nR-1,1,ok\nR-2,1,Rzesz\xf3w\n', 'latin1');
    const { message, issues } = await refusal(latin1);
    expect(message).toMatch(/not valid UTF-8 \(first bad byte on line 3\).*Latin-1/);
    expect(issues).toEqual([{ path: 'line 3', message: 'bytes that are not UTF-8' }]);
  });

  it('refuses binary data and XLSX bytes passed as CSV', async () => {
    expect((await refusal(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02, 0x03, 0x41]))).message).toMatch(/binary data/);
    expect((await refusal(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).message).toMatch(/ZIP archive.*--format xlsx/);
  });

  it('refuses JSON and HTML passed as CSV', async () => {
    expect((await refusal(utf8('{"id": "R-1", "quantity": 1}\n'))).message).toMatch(/looks like JSON, not CSV/);
    expect((await refusal(utf8('<html><body>id,quantity</body></html>'))).message).toMatch(/looks like HTML or XML/);
  });

  it('refuses prose that is not a table by its unknown and missing columns', async () => {
    const { issues } = await refusal(utf8('Dear coordinator, please find the list below\n'));
    expect(issues.map((i) => i.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^unknown column "Dear coordinator"/), 'missing required column id', 'missing required column quantity']));
  });

  it('lists every missing, unknown and repeated header at once', async () => {
    const { message, issues } = await refusal(utf8('id,colour,id\nR-1,red,R-1\n'));
    expect(message).toMatch(/layout is wrong \(3 problems\)/);
    expect(issues).toEqual([
      { path: 'line 1, column 2', message: 'unknown column "colour"; accepted columns: id, quantity, need_by, notes' },
      { path: 'line 1, column 3', message: 'column id appears twice (also column 1)' },
      { path: 'line 1', message: 'missing required column quantity' },
    ]);
  });

  it('names every ragged row by line', async () => {
    const { issues } = await refusal(utf8('id,quantity\nR-1,1\nR-2,1,oops\nR-3\nR-4,4\n'));
    expect(issues).toEqual([
      { path: 'line 3', message: 'has 3 cells but the header has 2 columns (a ragged row: check for an unquoted comma)' },
      { path: 'line 4', message: 'has 1 cells but the header has 2 columns (a ragged row: check for an unquoted comma)' },
    ]);
  });

  it('refuses a quote that is never closed, naming the line', async () => {
    const { message } = await refusal(utf8('id,quantity\nR-1,"1\nR-2,2\n'));
    expect(message).toMatch(/not well-formed CSV: Quote Not Closed/);
  });
});

describe('readTable (XLSX)', () => {
  it('refuses bytes that are not a workbook', async () => {
    expect((await refusal(utf8('id,quantity\nR-1,1\n'), 'xlsx')).message).toMatch(/not an XLSX workbook/);
    expect((await refusal(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]), 'xlsx')).message).toMatch(/not a readable XLSX workbook/);
  });

  it('prefers the sheet named after the entity and reports positions as sheet and row', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Read me').addRow(['This workbook holds requirements']);
    const sheet = workbook.addWorksheet('Requirements');
    sheet.addRow(['id', 'quantity', 'notes']);
    sheet.addRow([]);
    sheet.addRow(['R-1', 12.5, { richText: [{ text: 'rich ' }, { text: 'text' }] }]);
    sheet.addRow(['R-2', { formula: '2*3', result: 6 }, null]);
    const table = await readTable(new Uint8Array(await workbook.xlsx.writeBuffer()), 'xlsx', COLUMNS, 'requirements');
    expect(table.sheet).toBe('Requirements');
    expect(table.rows.map((r) => [r.position, Object.fromEntries(r.cells)])).toEqual([
      [{ line: 3, sheet: 'Requirements' }, { id: 'R-1', quantity: '12.5', notes: 'rich text' }],
      [{ line: 4, sheet: 'Requirements' }, { id: 'R-2', quantity: '6', notes: '' }],
    ]);
  });

  it('names a row with a value beyond the last header', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('requirements');
    sheet.addRow(['id', 'quantity']);
    sheet.addRow(['R-1', 1, 'stray']);
    const { issues } = await refusal(new Uint8Array(await workbook.xlsx.writeBuffer()), 'xlsx');
    expect(issues).toEqual([{ path: 'sheet requirements, row 2', message: 'has 3 cells but the header has 2 columns' }]);
  });

  it('refuses an empty workbook', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('requirements');
    expect((await refusal(new Uint8Array(await workbook.xlsx.writeBuffer()), 'xlsx')).message).toMatch(/sheet requirements is empty/);
  });
});
