import type { ReportDocument, ReportTable } from './report-document.ts';
import { formatCell } from './format-cell.ts';

function escapeMd(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function tableMarkdown(table: ReportTable): string {
  const header = `| ${table.columns.map((c) => escapeMd(c.label)).join(' | ')} |`;
  const rule = `| ${table.columns.map((c) => (c.kind === 'text' || c.kind === 'date' ? '---' : '---:')).join(' | ')} |`;
  const rows = table.rows.map((row) => `| ${table.columns.map((c) => escapeMd(formatCell(row[c.key], c.kind))).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}

/** Renders the report as Markdown: headings, paragraphs and pipe tables (charts become their tables). */
export function renderMarkdown(doc: ReportDocument): string {
  const parts = [`# ${doc.title}`];
  if (doc.subtitle) parts.push(`_${doc.subtitle}_`);
  parts.push(`Generated ${doc.generatedAt}.`);
  for (const section of doc.sections) {
    parts.push(`## ${section.heading}`);
    for (const p of section.text ?? []) parts.push(p);
    if (section.table) parts.push(section.table.rows.length > 0 ? tableMarkdown(section.table) : '_No rows._');
  }
  if (doc.notes?.length) parts.push('## Notes', ...doc.notes.map((n) => `- ${n}`));
  return `${parts.join('\n\n')}\n`;
}
