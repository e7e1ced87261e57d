import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CAPABILITY_AREAS, UNITS, isCatalogCode, type CapabilityArea, type ItemGroup, type ItemType, type Unit } from '../../domain/catalog/catalog.ts';
import { CURRENCY_DIGITS, isCurrency, moneyFromMajor, type FxRate } from '../../domain/money/money.ts';
import { NATION_KINDS, PARTICIPATION, isNationCode, type Nation, type NationEconomy } from '../../domain/nations/nation.ts';
import { isIsoDate } from '../../domain/dates.ts';
import { invalidInput, type FieldIssue } from '../../domain/errors.ts';

/** The repository's own reference-data folder (data/ at the project root). */
export const REFERENCE_DATA_DIR = fileURLToPath(new URL('../../../data/', import.meta.url));

/** An FX rate with the source it was taken from. */
export interface SourcedFxRate extends FxRate {
  source: string;
}

/** Every reference fact Concord loads: nations and their economies, the catalog, FX rates. */
export interface ReferenceData {
  nations: Nation[];
  economies: NationEconomy[];
  groups: ItemGroup[];
  items: ItemType[];
  fxRates: SourcedFxRate[];
}

type Row = Record<string, string>;

/** Reads one CSV file of the data folder as records keyed by header, with 1-based file line numbers. */
function readCsv(dir: string, file: string): { line: number; row: Row }[] {
  const text = readFileSync(join(dir, file), 'utf8');
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: true, info: true }) as { record: Row; info: { lines: number } }[];
  return records.map((r) => ({ line: r.info.lines, row: r.record }));
}

/** Collects problems of one file so that every bad row is reported at once. */
class Problems {
  readonly issues: FieldIssue[] = [];
  constructor(private readonly file: string) {}
  add(line: number, column: string, message: string): void {
    this.issues.push({ path: `${this.file} line ${line}, column ${column}`, message });
  }
}

function optionalNumber(p: Problems, line: number, row: Row, column: string): number | null {
  const raw = row[column] ?? '';
  if (raw === '') return null;
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    p.add(line, column, `not a number: ${raw}`);
    return null;
  }
  return n;
}

function requiredText(p: Problems, line: number, row: Row, column: string): string {
  const v = row[column] ?? '';
  if (v === '') p.add(line, column, 'required');
  return v;
}

function oneOf<T extends string>(p: Problems, line: number, row: Row, column: string, allowed: readonly T[]): T {
  const v = row[column] ?? '';
  if (!(allowed as readonly string[]).includes(v)) p.add(line, column, `${v || '(empty)'} is not one of ${allowed.join(', ')}`);
  return v as T;
}

/** The economies in the CSV for the years Concord loads: GDP is required; a year without GDP is skipped. */
function economiesOf(p: Problems, line: number, row: Row, code: string, source: string): NationEconomy[] {
  const out: NationEconomy[] = [];
  for (const year of [2023, 2024]) {
    const gdp = optionalNumber(p, line, row, `gdp_${year}_usd_million`);
    if (gdp === null) continue;
    if (gdp <= 0) p.add(line, `gdp_${year}_usd_million`, 'must be positive');
    out.push({
      nation: code,
      year,
      gdpUsdMillion: gdp,
      defenceUsdMillion: optionalNumber(p, line, row, `defexp_${year}_usd_million`),
      defencePctGdp: optionalNumber(p, line, row, `defexp_pct_gdp_${year}`),
      source,
    });
  }
  return out;
}

function readNations(dir: string, file: string, nations: Nation[], economies: NationEconomy[]): FieldIssue[] {
  const p = new Problems(file);
  for (const { line, row } of readCsv(dir, file)) {
    const code = requiredText(p, line, row, 'code');
    if (code && !isNationCode(code)) p.add(line, 'code', `${code} is not an upper-case alpha-3 code`);
    requiredText(p, line, row, 'source');
    const source = [row.source, row.participation_source].filter((s) => s).join(' | Participation: ');
    const accession = optionalNumber(p, line, row, 'nato_accession_year');
    nations.push({
      code,
      name: requiredText(p, line, row, 'name'),
      kind: oneOf(p, line, row, 'kind', NATION_KINDS),
      participation: oneOf(p, line, row, 'participation', PARTICIPATION),
      natoAccessionYear: accession,
      source,
    });
    economies.push(...economiesOf(p, line, row, code, row.source ?? ''));
  }
  return p.issues;
}

function readGroups(dir: string, groups: ItemGroup[]): FieldIssue[] {
  const p = new Problems('groups.csv');
  for (const { line, row } of readCsv(dir, 'groups.csv')) {
    const code = requiredText(p, line, row, 'code');
    if (!isCatalogCode(code)) p.add(line, 'code', `${code} is not a catalog code`);
    groups.push({ code, name: requiredText(p, line, row, 'name'), capabilityArea: oneOf(p, line, row, 'capability_area', CAPABILITY_AREAS) });
  }
  return p.issues;
}

function readItems(dir: string, groups: ItemGroup[], items: ItemType[]): FieldIssue[] {
  const p = new Problems('catalog.csv');
  const areaOf = new Map(groups.map((g) => [g.code, g.capabilityArea]));
  for (const { line, row } of readCsv(dir, 'catalog.csv')) {
    const code = requiredText(p, line, row, 'code');
    if (!isCatalogCode(code)) p.add(line, 'code', `${code} is not a catalog code`);
    const group = requiredText(p, line, row, 'group');
    const area: CapabilityArea = oneOf(p, line, row, 'capability_area', CAPABILITY_AREAS);
    if (!areaOf.has(group)) p.add(line, 'group', `unknown group ${group}`);
    else if (areaOf.get(group) !== area) p.add(line, 'capability_area', `${area} differs from its group's ${areaOf.get(group)}`);
    const unit: Unit = oneOf(p, line, row, 'unit', UNITS);
    const currency = requiredText(p, line, row, 'currency');
    const price = optionalNumber(p, line, row, 'ref_price');
    const year = optionalNumber(p, line, row, 'price_year');
    let refPriceMinor = 0;
    if (!isCurrency(currency)) p.add(line, 'currency', `unknown currency ${currency}`);
    else if (price === null || price < 0) p.add(line, 'ref_price', 'required, not negative');
    else refPriceMinor = moneyFromMajor(price, currency).minor;
    if (year === null || !Number.isInteger(year)) p.add(line, 'price_year', 'required whole year');
    items.push({
      code,
      name: requiredText(p, line, row, 'name'),
      group,
      capabilityArea: area,
      unit,
      refPriceMinor,
      refPriceCurrency: currency,
      refPriceYear: year ?? 0,
      refPriceSource: requiredText(p, line, row, 'source'),
    });
  }
  return p.issues;
}

function readFxRates(dir: string, rates: SourcedFxRate[]): FieldIssue[] {
  const p = new Problems('fx-rates.csv');
  for (const { line, row } of readCsv(dir, 'fx-rates.csv')) {
    const currency = requiredText(p, line, row, 'currency');
    if (!Object.hasOwn(CURRENCY_DIGITS, currency) || currency === 'EUR') p.add(line, 'currency', `${currency} is not a non-EUR currency Concord knows`);
    const on = requiredText(p, line, row, 'valid_from');
    if (!isIsoDate(on)) p.add(line, 'valid_from', `${on} is not a YYYY-MM-DD date`);
    const perEur = optionalNumber(p, line, row, 'per_eur');
    if (perEur === null || perEur <= 0) p.add(line, 'per_eur', 'required, positive');
    rates.push({ currency, on, perEur: perEur ?? 0, source: requiredText(p, line, row, 'source') });
  }
  return p.issues;
}

function duplicates<T>(values: T[], key: (v: T) => string, file: string): FieldIssue[] {
  const seen = new Set<string>();
  const out: FieldIssue[] = [];
  for (const v of values) {
    const k = key(v);
    if (seen.has(k)) out.push({ path: file, message: `duplicate ${k}` });
    seen.add(k);
  }
  return out;
}

/**
 * Reads and checks the reference CSVs of `dir` (nations.csv, partners.csv, groups.csv, catalog.csv,
 * fx-rates.csv). Every bad cell is reported at once with its file, line and column; nothing is half read.
 */
export function readReferenceData(dir: string = REFERENCE_DATA_DIR): ReferenceData {
  const data: ReferenceData = { nations: [], economies: [], groups: [], items: [], fxRates: [] };
  const issues = [
    ...readNations(dir, 'nations.csv', data.nations, data.economies),
    ...readNations(dir, 'partners.csv', data.nations, data.economies),
    ...readGroups(dir, data.groups),
  ];
  issues.push(
    ...readItems(dir, data.groups, data.items),
    ...readFxRates(dir, data.fxRates),
    ...duplicates(data.nations, (n) => n.code, 'nations.csv/partners.csv'),
    ...duplicates(data.groups, (g) => g.code, 'groups.csv'),
    ...duplicates(data.items, (i) => i.code, 'catalog.csv'),
    ...duplicates(data.fxRates, (r) => `${r.currency} ${r.on}`, 'fx-rates.csv'),
  );
  if (issues.length > 0) throw invalidInput(`reference data in ${dir} has ${issues.length} problem(s)`, issues);
  return data;
}

let cached: ReferenceData | undefined;

/** The project's reference data, read once per process. */
export function projectReferenceData(): ReferenceData {
  cached ??= readReferenceData();
  return cached;
}
