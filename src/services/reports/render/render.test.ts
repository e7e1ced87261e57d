import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { ReportDocument } from './report-document.ts';
import { renderReport } from './render.ts';
import { renderChartSvg } from './chart-svg.ts';
import { PDF_TABLE_ROW_LIMIT } from './render-pdf.ts';

const doc: ReportDocument = {
  title: 'Brief for UDCG-30',
  subtitle: 'Ramstein, 2026-12-10',
  generatedAt: '2026-11-24T08:00:00.000Z',
  notes: ['Values in EUR at dated rates.'],
  sections: [
    {
      heading: 'Top gaps',
      text: ['The largest gaps by priority and need-by date.'],
      chart: { title: 'Gap by area', categories: ['air-defence', 'ammunition'], series: [{ name: 'gap', values: [120, 45000] }] },
      table: {
        name: 'Gaps',
        columns: [
          { key: 'requirement', label: 'Requirement', kind: 'text' },
          { key: 'gap', label: 'Gap', kind: 'integer' },
          { key: 'share', label: 'Share', kind: 'percent' },
        ],
        rows: [
          { requirement: 'R-000001', gap: 45000, share: 0.25 },
          { requirement: '=HYPERLINK("x")', gap: -5, share: null },
        ],
      },
    },
    {
      heading: 'Long table',
      table: {
        name: 'Long',
        columns: [{ key: 'n', label: 'N', kind: 'integer' }],
        rows: Array.from({ length: PDF_TABLE_ROW_LIMIT + 5 }, (_, i) => ({ n: i })),
      },
    },
  ],
};

describe('report rendering', () => {
  it('renders a real PDF whose text carries the title, the table figures and the truncation note', async () => {
    const pdf = await renderReport(doc, 'pdf');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'concord-pdf-'));
    const file = join(dir, 'brief.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('Brief for UDCG-30');
    expect(text).toContain('R-000001');
    expect(text).toContain('45,000');
    expect(text).toContain(`First ${PDF_TABLE_ROW_LIMIT} of ${PDF_TABLE_ROW_LIMIT + 5} rows`);
  });

  it('prints every figure of a wide table in full in the PDF (the eleven-column gaps table of the brief)', async () => {
    const columns = [
      { key: 'rank', label: 'Rank', kind: 'integer' },
      { key: 'requirementId', label: 'Requirement', kind: 'text' },
      { key: 'capabilityArea', label: 'Area', kind: 'text' },
      { key: 'priority', label: 'Priority', kind: 'integer' },
      { key: 'needBy', label: 'Need by', kind: 'date' },
      { key: 'required', label: 'Required', kind: 'integer' },
      { key: 'committed', label: 'Committed', kind: 'integer' },
      { key: 'delivered', label: 'Delivered', kind: 'integer' },
      { key: 'quantity', label: 'Short by', kind: 'integer' },
      { key: 'gapValue', label: 'Gap (EUR)', kind: 'money' },
      { key: 'reason', label: 'Plan says', kind: 'text' },
    ] as const;
    const wide: ReportDocument = {
      title: 'Wide',
      generatedAt: '2026-11-24T08:00:00.000Z',
      sections: [{ heading: 'Gaps', table: { name: 'Gaps', columns: [...columns], rows: [
        { rank: 3, requirementId: 'R-001172', capabilityArea: 'engineering-demining', priority: 1, needBy: '2025-06-27', required: 12_000_000, committed: 1_250_000, delivered: 0, quantity: 10_750_000, gapValue: 1_873_935_264, reason: 'no-compatible-supply' },
      ] } }],
    };
    const file = join(mkdtempSync(join(tmpdir(), 'concord-pdf-')), 'wide.pdf');
    writeFileSync(file, await renderReport(wide, 'pdf'));
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    for (const figure of ['R-001172', 'engineering-demining', '2025-06-27', '12,000,000', '1,250,000', '10,750,000', '1,873,935,264', 'no-compatible-supply']) expect(text).toContain(figure);
    expect(text).not.toContain('…');
  });

  it('renders charts to SVG on the server', () => {
    const svg = renderChartSvg({ title: 'Gap by area', categories: ['a', 'b'], series: [{ name: 's', values: [1, 2] }], markers: [{ category: 'b', label: 'stock-out' }] });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Gap by area');
  });

  it('writes one XLSX sheet per table with typed cells and escaped formulas', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderReport(doc, 'xlsx')) as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Gaps', 'Long']);
    const gaps = wb.getWorksheet('Gaps')!;
    expect(gaps.getRow(1).values).toEqual([undefined, 'Requirement', 'Gap', 'Share']);
    expect(gaps.getCell('B2').value).toBe(45000);
    expect(gaps.getCell('A3').value).toBe(`'=HYPERLINK("x")`);
    expect(gaps.getCell('B3').value).toBe(-5);
    expect(wb.getWorksheet('Long')!.rowCount).toBe(PDF_TABLE_ROW_LIMIT + 6);
  });

  it('writes CSV sections that parse back to the same figures', async () => {
    const csv = (await renderReport(doc, 'csv')).toString();
    const sections = csv.split(/^# /m).filter(Boolean);
    expect(sections.map((s) => s.split('\n')[0])).toEqual(['Gaps', 'Long']);
    const rows = parse(sections[0]!.split('\n').slice(1).join('\n'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(rows).toEqual([
      { Requirement: 'R-000001', Gap: '45000', Share: '0.25' },
      { Requirement: `'=HYPERLINK("x")`, Gap: '-5', Share: '' },
    ]);
  });

  it('writes Markdown with pipe tables and JSON that round-trips', async () => {
    const md = (await renderReport(doc, 'md')).toString();
    expect(md).toContain('# Brief for UDCG-30');
    expect(md).toContain('| R-000001 | 45,000 | 25% |');
    expect(JSON.parse((await renderReport(doc, 'json')).toString())).toEqual(doc);
  });
});
