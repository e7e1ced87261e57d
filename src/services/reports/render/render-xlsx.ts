import ExcelJS from 'exceljs';
import type { ColumnKind, ReportDocument } from './report-document.ts';
import { escapeFormula } from './format-cell.ts';

const NUM_FMT: Partial<Record<ColumnKind, string>> = {
  integer: '#,##0',
  money: '#,##0',
  number: '#,##0.###',
  percent: '0.00%',
};

/** Excel's sheet-name rules: 31 characters, none of : \ / ? * [ ], unique in the workbook. */
function sheetName(name: string, used: Set<string>): string {
  const base = name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31).trim() || 'Sheet';
  let candidate = base;
  for (let i = 2; used.has(candidate.toLowerCase()); i++) candidate = `${base.slice(0, 28)} ${i}`;
  used.add(candidate.toLowerCase());
  return candidate;
}

/** Renders the report as a workbook: a summary sheet, then one sheet per table with typed cells. */
export async function renderXlsx(doc: ReportDocument): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Concord';
  wb.created = new Date(doc.generatedAt);
  const used = new Set<string>();
  const summary = wb.addWorksheet(sheetName('Summary', used));
  summary.addRow([doc.title]).font = { bold: true, size: 14 };
  if (doc.subtitle) summary.addRow([doc.subtitle]);
  summary.addRow([`Generated ${doc.generatedAt}`]);
  for (const section of doc.sections) {
    summary.addRow([]);
    summary.addRow([section.heading]).font = { bold: true };
    for (const p of section.text ?? []) summary.addRow([escapeFormula(p)]);
  }
  for (const n of doc.notes ?? []) summary.addRow([escapeFormula(n)]);
  summary.getColumn(1).width = 100;

  for (const section of doc.sections) {
    const table = section.table;
    if (!table) continue;
    const ws = wb.addWorksheet(sheetName(table.name, used), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = table.columns.map((c) => ({ header: c.label, key: c.key, width: Math.max(10, Math.min(40, c.label.length + 4)) }));
    ws.getRow(1).font = { bold: true };
    for (const row of table.rows) {
      const values: Record<string, unknown> = {};
      for (const c of table.columns) {
        const v = row[c.key];
        values[c.key] = typeof v === 'string' ? escapeFormula(v) : v ?? null;
      }
      ws.addRow(values);
    }
    table.columns.forEach((c, i) => {
      const fmt = NUM_FMT[c.kind];
      if (fmt) ws.getColumn(i + 1).numFmt = fmt;
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
