import { isIsoDate } from '../../domain/dates.ts';
import { CURRENCY_DIGITS } from '../../domain/money/money.ts';
import { normaliseTerm, type Vocabulary } from './normalise.ts';

/** Where a row came from: its CSV line, or its XLSX sheet and row number. */
export interface RowPosition {
  line: number;
  sheet?: string | undefined;
}

/** One problem with one cell (or one row, when `column` is empty) of an imported file. */
export interface RowIssue extends RowPosition {
  column: string;
  message: string;
}

/** `line 4, column quantity` or `sheet pledges, row 4, column quantity`. */
export function describePosition(issue: RowPosition & { column?: string }): string {
  const where = issue.sheet !== undefined ? `sheet ${issue.sheet}, row ${issue.line}` : `line ${issue.line}`;
  return issue.column ? `${where}, column ${issue.column}` : where;
}

const NUMBER = /^[-+]?\d+(\.\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** Whether a spreadsheet would run the text as a formula (or it is an already escaped one), so it needs a quote. */
function needsQuote(text: string): boolean {
  if (NUMBER.test(text)) return false;
  if (FORMULA_START.test(text)) return true;
  return text.startsWith("'") && needsQuote(text.slice(1));
}

/**
 * Escapes a text cell for CSV and XLSX: a leading `'` keeps `=`, `+`, `-`, `@`, tab and CR from running as a
 * formula. Numbers such as `-5` are left alone; text that already starts with a quote before one of those
 * gets one more, so that {@link unescapeFormula} gives back exactly the original.
 */
export function escapeFormula(text: string): string {
  return needsQuote(text) ? `'${text}` : text;
}

/** Undoes {@link escapeFormula} on a cell read from a file. */
export function unescapeFormula(text: string): string {
  return text.startsWith("'") && needsQuote(text.slice(1)) ? text.slice(1) : text;
}

/** Integer text: digits with optional thousands separators (`12000`, `12,000`, `12 000`). */
const INTEGER = /^[+]?(\d+|\d{1,3}([, ]\d{3})+)$/;
const DECIMAL = /^[+]?(\d+|\d{1,3}([, ]\d{3})+)(\.\d+)?$/;

/** Parses a whole number, or explains why not. */
export function parseInteger(text: string): { ok: true; value: number } | { ok: false; message: string } {
  const t = text.trim().replace(/\u00a0/g, ' ');
  if (!INTEGER.test(t)) {
    if (/^-/.test(t) && INTEGER.test(t.slice(1))) return { ok: false, message: `must be positive, not ${t}` };
    return { ok: false, message: `must be a whole number, not "${t}"` };
  }
  const value = Number(t.replace(/[, +]/g, ''));
  if (!Number.isSafeInteger(value)) return { ok: false, message: `is too large (${t})` };
  return { ok: true, value };
}

/** Parses an amount in major units of `currency` into minor units, refusing more decimals than the currency has. */
export function parseMoney(text: string, currency: string): { ok: true; value: number } | { ok: false; message: string } {
  const t = text.trim().replace(/\u00a0/g, ' ');
  if (!DECIMAL.test(t)) {
    if (/^-/.test(t)) return { ok: false, message: `must not be negative, not ${t}` };
    return { ok: false, message: `must be an amount such as 1250000.50, not "${t}"` };
  }
  const [whole, frac = ''] = t.replace(/[, +]/g, '').split('.');
  const digits = CURRENCY_DIGITS[currency] ?? 2;
  const trimmed = frac.replace(/0+$/, '');
  if (trimmed.length > digits) return { ok: false, message: `has more decimals than ${currency} allows (${digits})` };
  const minor = Number(whole) * 10 ** digits + Number(trimmed.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) return { ok: false, message: `is too large (${t})` };
  return { ok: true, value: minor };
}

/** Minor units written as a decimal amount in major units of the currency (`400000` EUR → `4000.00`). */
export function formatMoney(minor: number, currency: string): string {
  const digits = CURRENCY_DIGITS[currency] ?? 2;
  if (digits === 0) return String(minor);
  const s = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${minor < 0 ? '-' : ''}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** Splits a list cell on `;` or `,`, dropping blanks. */
export function splitList(text: string): string[] {
  return text.split(/[;,]/).map((s) => s.trim()).filter((s) => s.length > 0);
}

const TAG = /^[a-z0-9][a-z0-9-]{0,39}$/;
const CATALOG_CODE = /^[a-z0-9][a-z0-9.-]{0,62}$/;
const EXTERNAL_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Reads the cells of one row by column name, collecting every problem instead of stopping at the first. */
export class RowReader {
  constructor(
    private readonly cells: ReadonlyMap<string, string>,
    readonly position: RowPosition,
    readonly issues: RowIssue[],
  ) {}

  /** Records a problem with a column of this row. */
  fail(column: string, message: string): undefined {
    this.issues.push({ ...this.position, column, message });
    return undefined;
  }

  /** The trimmed cell, or '' when the column is absent or blank. */
  raw(column: string): string {
    return (this.cells.get(column) ?? '').trim();
  }

  has(column: string): boolean {
    return this.raw(column) !== '';
  }

  private missing(column: string, required: boolean): boolean {
    if (this.has(column)) return false;
    if (required) this.fail(column, 'is required');
    return true;
  }

  /** Free text (kept as written but for surrounding spaces), limited in length. */
  text(column: string, { required = false, max = 5000 } = {}): string | undefined {
    if (this.missing(column, required)) return required ? undefined : '';
    const value = this.raw(column);
    if (value.length > max) return this.fail(column, `is longer than ${max} characters`);
    return value;
  }

  /** An external id such as `R-000123`. */
  id(column: string, { required = true, pattern = EXTERNAL_ID } = {}): string | undefined {
    if (this.missing(column, required)) return undefined;
    const value = this.raw(column);
    if (!pattern.test(value)) return this.fail(column, `"${value}" is not a valid id: use 1–64 letters, digits, _ . or -`);
    return value;
  }

  /** A catalog code (item type or group), read in lower case. */
  code(column: string, { required = false } = {}): string | undefined {
    if (this.missing(column, required)) return undefined;
    const value = this.raw(column).toLowerCase();
    if (!CATALOG_CODE.test(value)) return this.fail(column, `"${this.raw(column)}" is not a catalog code: use lower-case letters, digits, dots and dashes`);
    return value;
  }

  /** A list of catalog codes. */
  codes(column: string): string[] | undefined {
    const values = splitList(this.raw(column)).map((v) => v.toLowerCase());
    const bad = values.filter((v) => !CATALOG_CODE.test(v));
    if (bad.length > 0) return this.fail(column, `${bad.map((b) => `"${b}"`).join(', ')} ${bad.length === 1 ? 'is not a catalog code' : 'are not catalog codes'}`);
    return values;
  }

  /** A list of tags such as `cross-border`, normalised like vocabulary terms. */
  tags(column: string): string[] | undefined {
    const values = splitList(this.raw(column)).map((v) => v.toLowerCase().replace(/[\s_]+/g, '-'));
    const bad = values.filter((v) => !TAG.test(v));
    if (bad.length > 0) return this.fail(column, `${bad.map((b) => `"${b}"`).join(', ')}: tags are lower-case letters, digits and dashes, such as cross-border`);
    return [...new Set(values)];
  }

  /** An ISO 3166 alpha-3 nation code, read in upper case. */
  nation(column: string, { required = true } = {}): string | undefined {
    if (this.missing(column, required)) return undefined;
    const value = this.raw(column).toUpperCase();
    if (!/^[A-Z]{3}$/.test(value)) return this.fail(column, `"${this.raw(column)}" is not an ISO 3166 alpha-3 code such as DEU`);
    return value;
  }

  /** A value of a vocabulary, normalised through the table in normalise.ts. */
  term(column: string, vocabulary: Vocabulary, { required = true } = {}): string | undefined {
    if (this.missing(column, required)) return undefined;
    const result = normaliseTerm(vocabulary, this.raw(column));
    return result.ok ? result.value : this.fail(column, result.message);
  }

  /** A positive whole number within bounds. */
  int(column: string, { required = true, min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number | undefined {
    if (this.missing(column, required)) return undefined;
    const result = parseInteger(this.raw(column));
    if (!result.ok) return this.fail(column, result.message);
    if (result.value < min || result.value > max) return this.fail(column, `must be from ${min} to ${max}, not ${result.value}`);
    return result.value;
  }

  /** A list of whole numbers, such as years `2025;2026`. */
  ints(column: string, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number[] | undefined {
    const out: number[] = [];
    for (const part of splitList(this.raw(column))) {
      const r = parseInteger(part);
      if (!r.ok || r.value < min || r.value > max) return this.fail(column, `"${part}" must be a whole number from ${min} to ${max}`);
      out.push(r.value);
    }
    return [...new Set(out)].sort((a, b) => a - b);
  }

  /** Money in major units of `currency`, as minor units. */
  money(column: string, currency: string, { required = true } = {}): number | undefined {
    if (this.missing(column, required)) return undefined;
    const result = parseMoney(this.raw(column), currency);
    return result.ok ? result.value : this.fail(column, result.message);
  }

  /** A calendar date written `YYYY-MM-DD`. */
  date(column: string, { required = true } = {}): string | undefined {
    if (this.missing(column, required)) return undefined;
    const value = this.raw(column);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return this.fail(column, `must be a date written YYYY-MM-DD, not "${value}"`);
    if (!isIsoDate(value)) return this.fail(column, `${value} is not a real calendar date`);
    return value;
  }
}
