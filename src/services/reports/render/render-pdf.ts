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

const CELL_PAD = 4;
const FONT_SIZES = [7.5, 7, 6.5, 6, 5.5];
const HEADER_LINE = 1.15;

/** The widest single word of a header: a header wraps between words, never inside one. */
function widestWord(doc: PDFKit.PDFDocument, text: string): number {
  return Math.max(...text.split(/\s+/).map((w) => doc.widthOfString(w)));
}

/**
 * Column widths that show every figure in full: each column gets the width of its widest cell (headers wrap
 * between words). When the table is wider than the page at 7.5 pt, the font shrinks down to 5.5 pt; if it is
 * still too wide, numbers and dates keep their full width and only text columns are shortened (with an ellipsis).
 */
function fitColumns(doc: PDFKit.PDFDocument, table: ReportTable, cells: string[][]): { fontSize: number; widths: number[] } {
  const measure = (fontSize: number) =>
    table.columns.map((c, i) => {
      doc.font('Helvetica-Bold').fontSize(fontSize);
      const head = widestWord(doc, pdfText(c.label));
      doc.font('Helvetica').fontSize(fontSize);
      const body = Math.max(0, ...cells.map((row) => doc.widthOfString(pdfText(row[i]!))));
      return Math.max(head, body) + CELL_PAD;
    });
  for (const fontSize of FONT_SIZES) {
    const need = measure(fontSize);
    const total = need.reduce((a, b) => a + b, 0);
    if (total <= CONTENT_WIDTH) return { fontSize, widths: need.map((w) => (w * CONTENT_WIDTH) / total) };
  }
  const fontSize = FONT_SIZES[FONT_SIZES.length - 1]!;
  const need = measure(fontSize);
  const isText = table.columns.map((c) => c.kind === 'text');
  const fixed = need.reduce((s, w, i) => s + (isText[i] ? 0 : w), 0);
  const textNeed = need.reduce((s, w, i) => s + (isText[i] ? w : 0), 0);
  const room = Math.max(0, CONTENT_WIDTH - fixed);
  return { fontSize, widths: need.map((w, i) => (isText[i] ? (textNeed > 0 ? (w * room) / textNeed : 0) : w)) };
}

function drawTable(doc: PDFKit.PDFDocument, table: ReportTable): void {
  const rows = table.rows.slice(0, PDF_TABLE_ROW_LIMIT);
  const cells = rows.map((row) => table.columns.map((c) => formatCell(row[c.key], c.kind)));
  const { fontSize, widths } = fitColumns(doc, table, cells);
  const rowHeight = fontSize * 1.75;
  const align = (i: number) => (table.columns[i]!.kind === 'text' || table.columns[i]!.kind === 'date' ? 'left' : 'right');
  const line = (y: number) => doc.moveTo(PAGE.margin, y).lineTo(PAGE.margin + CONTENT_WIDTH, y).lineWidth(0.3).strokeColor('#999999').stroke();
  const drawHeader = () => {
    doc.font('Helvetica-Bold').fontSize(fontSize);
    const labels = table.columns.map((c) => pdfText(c.label));
    const height = Math.max(...labels.map((l, i) => doc.heightOfString(l, { width: widths[i]! - CELL_PAD, lineGap: 0 }))) * HEADER_LINE + 4;
    ensureSpace(doc, height + rowHeight);
    const y = doc.y;
    let x = PAGE.margin;
    labels.forEach((label, i) => {
      doc.text(label, x + CELL_PAD / 2, y + 2, { width: widths[i]! - CELL_PAD, align: align(i) });
      x += widths[i]!;
    });
    line(y + height);
    doc.x = PAGE.margin;
    doc.y = y + height;
  };
  const drawRow = (row: string[]) => {
    const y = doc.y;
    let x = PAGE.margin;
    doc.font('Helvetica').fontSize(fontSize);
    row.forEach((cell, i) => {
      doc.text(pdfText(cell), x + CELL_PAD / 2, y + 2, { width: widths[i]! - CELL_PAD, height: rowHeight, ellipsis: true, lineBreak: false, align: align(i) });
      x += widths[i]!;
    });
    line(y + rowHeight);
    doc.x = PAGE.margin;
    doc.y = y + rowHeight;
  };
  drawHeader();
  for (const row of cells) {
    if (doc.y + rowHeight > PAGE.height - PAGE.margin) {
      doc.addPage();
      drawHeader();
    }
    drawRow(row);
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
  const CHART_HEIGHT = 260;
  for (const section of doc.sections) {
    // A heading stays with its chart (or at least the first rows of its table), never alone at a page's foot.
    const hasChart = Boolean(section.chart && section.chart.categories.length > 0);
    ensureSpace(pdf, 40 + (hasChart ? CHART_HEIGHT + 10 : 40));
    pdf.font('Helvetica-Bold').fontSize(13).text(pdfText(section.heading), PAGE.margin);
    pdf.moveDown(0.3);
    for (const p of section.text ?? []) pdf.font('Helvetica').fontSize(9.5).text(pdfText(p), PAGE.margin, undefined, { width: CONTENT_WIDTH });
    if (section.text?.length) pdf.moveDown(0.4);
    if (section.chart && section.chart.categories.length > 0) {
      const height = CHART_HEIGHT;
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
