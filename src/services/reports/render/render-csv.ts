import { stringify } from 'csv-stringify/sync';
import type { ReportDocument, ReportTable } from './report-document.ts';
import { escapeFormula } from './format-cell.ts';

/** One table as CSV with a header row; text cells a spreadsheet would run are escaped. */
export function renderTableCsv(table: ReportTable): string {
  const header = table.columns.map((c) => c.label);
  const rows = table.rows.map((row) =>
    table.columns.map((c) => {
      const v = row[c.key];
      if (v === null || v === undefined) return '';
      return typeof v === 'string' ? escapeFormula(v) : v;
    }),
  );
  return stringify([header, ...rows], { cast: { boolean: (b) => (b ? 'true' : 'false') } });
}

/**
 * Renders the report's tables as CSV. A single-table report is one plain CSV; with several tables, each
 * is preceded by a `# <name>` line and separated by a blank line.
 */
export function renderCsv(doc: ReportDocument): string {
  const tables = doc.sections.flatMap((s) => (s.table ? [s.table] : []));
  if (tables.length === 1) return renderTableCsv(tables[0]!);
  return tables.map((t) => `# ${t.name}\n${renderTableCsv(t)}`).join('\n');
}
