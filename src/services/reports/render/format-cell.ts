import type { ColumnKind } from './report-document.ts';

/** Characters that make a spreadsheet treat a text cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Neutralises a text cell that a spreadsheet would run as a formula by prefixing a single quote.
 * Numbers are numbers, never escaped: only text is.
 */
export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A cell as human-readable text (Markdown, PDF). */
export function formatCell(value: string | number | boolean | null | undefined, kind: ColumnKind): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'integer':
      return Math.round(value).toLocaleString('en-GB');
    case 'money':
      return value.toLocaleString('en-GB', { maximumFractionDigits: 0 });
    case 'percent':
      return `${(value * 100).toLocaleString('en-GB', { maximumFractionDigits: 2 })}%`;
    case 'number':
      return value.toLocaleString('en-GB', { maximumFractionDigits: 3 });
    default:
      return String(value);
  }
}
