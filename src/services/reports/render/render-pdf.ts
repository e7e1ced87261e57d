import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { ReportDocument, ReportTable } from './report-document.ts';
import { formatCell } from './format-cell.ts';
import { renderChartSvg } from './chart-svg.ts';

/** Rows of a table printed in the PDF; the XLSX and CSV carry every row. */
export const PDF_TABLE_ROW_LIMIT = 40;

const PAGE = { margin: 48, width: 595.28, height: 841.89 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;

/** The standard PDF fonts cover WinAnsi only: map the few other characters Concord writes. */
function pdfText(text: string): string {
  return text.replace(/→/g, '->').replace(/≥/g, '>=').replace(/≤/g, '<=').replace(/−/g, '-').replace(/[^\x20-\x7E\u00A0-\u00FF\u2013\u2014\u2018\u2019\u201C\u201D\u2022\u2026\u20AC]/g, '?');
}

function ensureSpace(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > PAGE.height - PAGE.margin) doc.addPage();
}

function drawTable(doc: PDFKit.PDFDocument, table: ReportTable): void {
  const rows = table.rows.slice(0, PDF_TABLE_ROW_LIMIT);
  const weights = table.columns.map((c) => (c.kind === 'text' ? 2 : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (w / total) * CONTENT_WIDTH);
  const rowHeight = 13;
  const drawRow = (cells: string[], bold: boolean) => {
    ensureSpace(doc, rowHeight);
    const y = doc.y;
    let x = PAGE.margin;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(7.5);
    cells.forEach((cell, i) => {
      const col = table.columns[i]!;
      doc.text(pdfText(cell), x + 2, y + 2, { width: widths[i]! - 4, height: rowHeight, ellipsis: true, lineBreak: false, align: col.kind === 'text' || col.kind === 'date' ? 'left' : 'right' });
      x += widths[i]!;
    });
    doc.moveTo(PAGE.margin, y + rowHeight).lineTo(PAGE.margin + CONTENT_WIDTH, y + rowHeight).lineWidth(0.3).strokeColor('#999999').stroke();
    doc.x = PAGE.margin;
    doc.y = y + rowHeight;
  };
  drawRow(table.columns.map((c) => c.label), true);
  for (const row of rows) {
    if (doc.y + rowHeight > PAGE.height - PAGE.margin) {
      doc.addPage();
      drawRow(table.columns.map((c) => c.label), true);
    }
    drawRow(table.columns.map((c) => formatCell(row[c.key], c.kind)), false);
  }
  doc.moveDown(0.3);
  if (table.rows.length > rows.length) {
    doc.font('Helvetica-Oblique').fontSize(8).fillColor('#444444').text(`First ${rows.length} of ${table.rows.length} rows; the XLSX and CSV carry all of them (sheet "${table.name}").`, PAGE.margin);
    doc.fillColor('#000000');
  }
  if (rows.length === 0) doc.font('Helvetica-Oblique').fontSize(8).text('No rows.', PAGE.margin);
  doc.moveDown(0.8);
}

/** Renders the report as a real PDF: headings, text, server-rendered charts (SVG) and tables. */
export async function renderPdf(doc: ReportDocument): Promise<Buffer> {
  const pdf = new PDFDocument({ size: 'A4', margin: PAGE.margin, info: { Title: doc.title, Author: 'Concord', CreationDate: new Date(doc.generatedAt) } });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.font('Helvetica-Bold').fontSize(18).text(pdfText(doc.title));
  if (doc.subtitle) pdf.font('Helvetica').fontSize(11).fillColor('#333333').text(pdfText(doc.subtitle));
  pdf.font('Helvetica').fontSize(8).fillColor('#666666').text(`Generated ${doc.generatedAt} by Concord`).fillColor('#000000');
  pdf.moveDown();
  for (const section of doc.sections) {
    ensureSpace(pdf, 60);
    pdf.font('Helvetica-Bold').fontSize(13).text(pdfText(section.heading), PAGE.margin);
    pdf.moveDown(0.3);
    for (const p of section.text ?? []) pdf.font('Helvetica').fontSize(9.5).text(pdfText(p), PAGE.margin, undefined, { width: CONTENT_WIDTH });
    if (section.text?.length) pdf.moveDown(0.4);
    if (section.chart && section.chart.categories.length > 0) {
      const height = 260;
      ensureSpace(pdf, height + 10);
      // Drawn at its final size in points: svg-to-pdfkit places SVG units 1:1 as points with assumePt.
      const svg = renderChartSvg(section.chart, Math.floor(CONTENT_WIDTH), height);
      SVGtoPDF(pdf, svg, PAGE.margin, pdf.y, { assumePt: true });
      pdf.y += height + 8;
      pdf.x = PAGE.margin;
    }
    if (section.table) drawTable(pdf, section.table);
  }
  if (doc.notes?.length) {
    ensureSpace(pdf, 40);
    pdf.font('Helvetica-Bold').fontSize(11).text('Notes', PAGE.margin);
    for (const n of doc.notes) pdf.font('Helvetica').fontSize(8.5).text(`• ${pdfText(n)}`, PAGE.margin, undefined, { width: CONTENT_WIDTH });
  }
  pdf.end();
  return done;
}
