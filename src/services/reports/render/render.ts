import type { ReportDocument } from './report-document.ts';
import { renderMarkdown } from './render-markdown.ts';
import { renderCsv } from './render-csv.ts';

export const REPORT_FORMATS = ['md', 'pdf', 'xlsx', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  md: 'text/markdown; charset=utf-8',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/**
 * Renders a report document in one of the five formats. The XLSX and PDF writers (exceljs, pdfkit and
 * ECharts) load on first use: together they take over a second to import.
 */
export async function renderReport(doc: ReportDocument, format: ReportFormat): Promise<Buffer> {
  switch (format) {
    case 'md':
      return Buffer.from(renderMarkdown(doc));
    case 'csv':
      return Buffer.from(renderCsv(doc));
    case 'json':
      return Buffer.from(`${JSON.stringify(doc, null, 2)}\n`);
    case 'xlsx':
      return (await import('./render-xlsx.ts')).renderXlsx(doc);
    case 'pdf':
      return (await import('./render-pdf.ts')).renderPdf(doc);
  }
}
