import { invalidInput, type FieldIssue } from '../../domain/errors.ts';
import { converter, isCurrency, moneyFromMajor, rateOn, CURRENCY_DIGITS, type FxRate, type Money } from '../../domain/money/money.ts';
import { inFairShareKey, type NationKind, type Participation } from '../../domain/nations/nation.ts';
import type { PledgeChannel, PledgeHorizon, PledgeKind, PledgeStatus } from '../../domain/pledges/pledge.ts';

/**
 * Burden sharing for one year.
 * - Fair share: the annual target split among participating allies in proportion to GDP (USD, the
 *   year's figures). Exact: the target in integer minor units is apportioned by largest remainder, so
 *   the shares add up to the target to the cent (ties: larger GDP, then nation code).
 * - Opted-out allies are outside the key but shown apart; partners are listed, never in the key.
 * - Committed: pledges committed or later (not merely announced, not withdrawn). A one-off pledge
 *   counts in the year it was announced; a multi-year commitment is split evenly over its years
 *   (largest remainder: the earliest years take the odd minor units) and counts its slice of the year.
 * - Delivered: deliveries received in the year, whatever became of their pledge later.
 * - Valuation basis: the declared value when given (a funding amount, the donor's declared in-kind
 *   value, pro rata to the quantity delivered), otherwise catalog reference unit price × quantity.
 *   A pledge with neither is listed as unvalued. Each figure reports the basis it used.
 * - Currency: every amount is converted to the report currency through EUR at the rates in force on its
 *   date (announcement for commitments, receipt for deliveries, `gdpFxOn` for GDP).
 * - Ranking (competition ranking, 1 = carries most): by the chosen share of GDP, the other one breaking
 *   ties; nations without GDP are not ranked.
 */

/** NATO's guideline for defence spending, in % of GDP. */
export const DEFENCE_GUIDELINE_PCT_GDP = 2;
/** The default annual target in major units of the report currency. */
export const DEFAULT_ANNUAL_TARGET_MAJOR = 40_000_000_000;

export type ValuationBasis = 'declared' | 'reference';
/** Which basis a figure used: one of them, both (`mixed`), or nothing to value (`none`). */
export type BasisUsed = ValuationBasis | 'mixed' | 'none';
/** Where a nation sits in the table. */
export type BurdenSection = 'key' | 'opted-out' | 'partner';

export interface BurdenNation {
  /** ISO alpha-3 code. */
  code: string;
  name: string;
  kind: NationKind;
  participation: Participation;
  /** GDP of the year in USD million (current prices); null when unknown. */
  gdpUsdMillion: number | null;
  /** Defence spending of the year in % of GDP; null when unknown. */
  defencePctGdp: number | null;
}

export interface BurdenPledge {
  id: string;
  donor: string;
  kind: PledgeKind;
  channel: PledgeChannel;
  status: PledgeStatus;
  horizon: PledgeHorizon;
  /** Years of a multi-year commitment. */
  years: readonly number[];
  /** ISO date announced. */
  announcedOn: string;
  /** Units pledged; null for funding. */
  quantity: number | null;
  /** Declared value: the funding amount, or the donor's declared value of the items. */
  declared: Money | null;
  /** Catalog reference price of one unit of the item. */
  referenceUnitPrice: Money | null;
}

export interface BurdenDelivery {
  pledgeId: string;
  /** ISO date received. */
  receivedOn: string;
  /** Units received; null for a funding disbursement. */
  quantity: number | null;
  /** Money disbursed (funding); when given it is the delivered value. */
  amount?: Money | null;
}

export interface BurdenInput {
  year: number;
  /** Report currency (ISO 4217). */
  currency: string;
  /** Annual target in the report currency; default 40 billion. */
  target?: Money;
  nations: readonly BurdenNation[];
  pledges: readonly BurdenPledge[];
  deliveries: readonly BurdenDelivery[];
  fxRates: readonly FxRate[];
  /** Date GDP (in USD) is converted at; default 31 December of the year. */
  gdpFxOn?: string;
  /** Ranking key; the other share breaks ties. Default `committedPctGdp`. */
  rankBy?: 'committedPctGdp' | 'deliveredPctGdp';
}

export interface BurdenRow {
  nation: string;
  name: string;
  kind: NationKind;
  participation: Participation;
  section: BurdenSection;
  /** In the fair-share key (a participating ally). */
  participating: boolean;
  /** GDP converted to the report currency; null when unknown. */
  gdp: Money | null;
  /** Share of the key's GDP (0 … 1); null outside the key. */
  gdpShare: number | null;
  fairShare: Money | null;
  committed: Money;
  delivered: Money;
  /** This year's slice of multi-year commitments (part of `committed`). */
  multiYear: Money;
  /** Full value of the multi-year commitments that include this year. */
  multiYearTotal: Money;
  committedCoordinated: Money;
  committedBilateral: Money;
  deliveredCoordinated: Money;
  deliveredBilateral: Money;
  /** committed / GDP × 100; null without GDP. */
  committedPctGdp: number | null;
  deliveredPctGdp: number | null;
  /** committed / fair share; null outside the key. */
  ratioToFairShare: number | null;
  deliveredRatioToFairShare: number | null;
  rank: number | null;
  defencePctGdp: number | null;
  /** Whether defence spending reaches 2% of GDP; null when unknown. */
  meetsDefenceGuideline: boolean | null;
  /** Basis each figure used. */
  basis: { committed: BasisUsed; delivered: BasisUsed; multiYear: BasisUsed };
  /** Each figure broken down by basis. */
  byBasis: { committed: Record<ValuationBasis, Money>; delivered: Record<ValuationBasis, Money> };
}

export interface BurdenReport {
  year: number;
  currency: string;
  target: Money;
  gdpFxOn: string;
  rankBy: 'committedPctGdp' | 'deliveredPctGdp';
  /** Key nations by rank, then opted-out allies, then partners. */
  rows: BurdenRow[];
  totals: {
    /** Sum of fair shares: always the target. */
    fairShare: Money;
    keyGdp: Money;
    keyCommitted: Money;
    keyDelivered: Money;
    committed: Money;
    delivered: Money;
  };
  /** Pledges or deliveries of the year that could not be valued (no declared value, no reference price). */
  unvalued: Array<{ pledgeId: string; donor: string; figure: 'committed' | 'delivered' }>;
  /** Donors with figures this year that are not in the nation list (left out of the table). */
  unlistedDonors: string[];
}

const COMMITTED: readonly PledgeStatus[] = ['committed', 'contracted', 'delivering', 'delivered'];

/**
 * Splits `total` minor units over integer weights by largest remainder: floors of the exact shares,
 * then one more unit to the largest remainders (ties: larger weight, then lower index). The parts
 * add up to `total` exactly.
 */
export function apportionLargestRemainder(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw invalidInput('the total to apportion must be a whole number ≥ 0');
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw invalidInput('weights must be whole numbers ≥ 0');
  const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (sum === 0n) {
    if (total === 0) return weights.map(() => 0);
    throw invalidInput('cannot apportion over weights that are all zero');
  }
  const T = BigInt(total);
  const floors = weights.map((w) => (T * BigInt(w)) / sum);
  const rems = weights.map((w) => (T * BigInt(w)) % sum);
  let left = Number(T - floors.reduce((s, f) => s + f, 0n));
  const order = weights
    .map((w, i) => i)
    .sort((a, b) => {
      const ra = rems[a]!;
      const rb = rems[b]!;
      if (ra !== rb) return ra > rb ? -1 : 1;
      return weights[b]! - weights[a]! || a - b;
    });
  const out = floors.map(Number);
  for (const i of order) {
    if (left <= 0) break;
    out[i]! += 1;
    left -= 1;
  }
  return out;
}

/** Splits a total evenly over `parts` parts, the first parts taking the odd minor units. */
export function splitEvenly(total: number, parts: number): number[] {
  return apportionLargestRemainder(total, new Array<number>(parts).fill(1));
}

/**
 * Part `k` of `splitEvenly(total, parts)` without the array (and without BigInt): the quotient, plus one
 * for the first `total mod parts` parts. Burden sharing takes one year's part of every multi-year pledge.
 */
export function evenPart(total: number, parts: number, k: number): number {
  if (!Number.isSafeInteger(total) || total < 0) throw invalidInput('the total to apportion must be a whole number ≥ 0');
  let q = Math.floor(total / parts);
  let r = total - q * parts;
  // The float quotient may be one off for totals near 2^53: correct it so that 0 ≤ r < parts exactly.
  if (r < 0) {
    q -= 1;
    r += parts;
  } else if (r >= parts) {
    q += 1;
    r -= parts;
  }
  return k < r ? q + 1 : q;
}

/** a × b / c rounded half up, exactly, for non-negative integers. */
function mulDiv(a: number, b: number, c: number): number {
  if (b === c && c > 0 && a >= 0 && Number.isInteger(a)) return a; // (2ac + c) / 2c, floored
  const q = (2n * BigInt(a) * BigInt(b) + BigInt(c)) / (2n * BigInt(c));
  return Number(q);
}

interface Acc {
  committed: Record<ValuationBasis, number>;
  delivered: Record<ValuationBasis, number>;
  multiYear: Record<ValuationBasis, number>;
  multiYearTotal: number;
  committedCoordinated: number;
  committedBilateral: number;
  deliveredCoordinated: number;
  deliveredBilateral: number;
}

const newAcc = (): Acc => ({
  committed: { declared: 0, reference: 0 },
  delivered: { declared: 0, reference: 0 },
  multiYear: { declared: 0, reference: 0 },
  multiYearTotal: 0,
  committedCoordinated: 0,
  committedBilateral: 0,
  deliveredCoordinated: 0,
  deliveredBilateral: 0,
});

const basisUsed = (b: Record<ValuationBasis, number>): BasisUsed =>
  b.declared > 0 && b.reference > 0 ? 'mixed' : b.declared > 0 ? 'declared' : b.reference > 0 ? 'reference' : 'none';

const yearOf = (iso: string): number => Number(iso.slice(0, 4));

const NO_YEARS: readonly number[] = [];

/** The distinct years in ascending order: the list itself when it is already so (as pledges store them), else a sorted copy. */
export function distinctYears(years: readonly number[]): readonly number[] {
  for (let k = 1; k < years.length; k++) if (!(years[k]! > years[k - 1]!)) return [...new Set(years)].sort((a, b) => a - b);
  return years;
}

function validate(input: BurdenInput): Money {
  const issues: FieldIssue[] = [];
  if (!Number.isInteger(input.year) || input.year < 1949 || input.year > 2200) issues.push({ path: '/year', message: 'must be a year from 1949 to 2200' });
  if (!isCurrency(input.currency)) issues.push({ path: '/currency', message: `unknown currency ${input.currency}` });
  const target = input.target;
  if (target) {
    if (target.currency !== input.currency) issues.push({ path: '/target/currency', message: `the target must be in the report currency ${input.currency}` });
    if (!Number.isSafeInteger(target.minor) || target.minor < 0) issues.push({ path: '/target', message: 'must be a whole number of minor units ≥ 0' });
  }
  input.nations.forEach((n, i) => {
    if (inFairShareKey(n) && (n.gdpUsdMillion === null || !(n.gdpUsdMillion > 0))) {
      issues.push({ path: `/nations/${i}/gdpUsdMillion`, message: `participating ally ${n.code} has no GDP for ${input.year}` });
    }
  });
  if (!input.nations.some((n) => inFairShareKey(n))) issues.push({ path: '/nations', message: 'no participating ally to share the target' });
  if (issues.length > 0) throw invalidInput('the burden-sharing parameters are invalid', issues);
  return target ?? moneyFromMajor(DEFAULT_ANNUAL_TARGET_MAJOR, input.currency);
}

/**
 * Computes the burden-sharing table of a year: fair shares of the target by GDP among participating
 * allies, committed, delivered and multi-year value per nation, shares of GDP, ratios to fair share,
 * ranking, coordinated versus bilateral, and defence spending against the 2% guideline.
 */
export function computeBurdenSharing(input: BurdenInput): BurdenReport {
  const target = validate(input);
  const cur = input.currency;
  const year = input.year;
  const gdpFxOn = input.gdpFxOn ?? `${year}-12-31`;
  const rankBy = input.rankBy ?? 'committedPctGdp';
  const money = (minor: number): Money => ({ minor, currency: cur });
  const convertOn = converter(input.fxRates);
  const toCur = (m: Money, on: string): number => convertOn(m, cur, on).minor;

  const listed = new Map(input.nations.filter((n) => n.kind !== 'recipient').map((n) => [n.code, n]));
  const accs = new Map<string, Acc>();
  const acc = (donor: string): Acc => {
    let a = accs.get(donor);
    if (!a) accs.set(donor, (a = newAcc()));
    return a;
  };
  const unvalued: BurdenReport['unvalued'] = [];

  // Value of a whole pledge in its own currency, with the basis used.
  const pledgeValue = (p: BurdenPledge): { value: Money; basis: ValuationBasis } | null => {
    if (p.declared) return { value: p.declared, basis: 'declared' };
    if (p.referenceUnitPrice && p.quantity !== null) {
      const minor = p.referenceUnitPrice.minor * p.quantity;
      if (!Number.isSafeInteger(minor)) throw invalidInput(`value of pledge ${p.id} is too large`, [{ path: `/pledges/${p.id}`, message: 'too large' }]);
      return { value: { minor, currency: p.referenceUnitPrice.currency }, basis: 'reference' };
    }
    return null;
  };

  for (const p of input.pledges) {
    if (!COMMITTED.includes(p.status)) continue;
    // Distinct years in order, only for a multi-year pledge (a one-off one counts in its announcement year).
    const multi = p.horizon === 'multi-year' && p.years.length > 0;
    const years = multi ? distinctYears(p.years) : NO_YEARS;
    if (multi ? !years.includes(year) : yearOf(p.announcedOn) !== year) continue;
    const v = pledgeValue(p);
    if (!v) {
      unvalued.push({ pledgeId: p.id, donor: p.donor, figure: 'committed' });
      continue;
    }
    const total = toCur(v.value, p.announcedOn);
    const slice = multi ? evenPart(total, years.length, years.indexOf(year)) : total;
    const a = acc(p.donor);
    a.committed[v.basis] += slice;
    if (p.channel === 'coordinated') a.committedCoordinated += slice;
    else a.committedBilateral += slice;
    if (multi) {
      a.multiYear[v.basis] += slice;
      a.multiYearTotal += total;
    }
  }

  const pledges = new Map<string, BurdenPledge>();
  for (const p of input.pledges) pledges.set(p.id, p);
  for (const d of input.deliveries) {
    if (yearOf(d.receivedOn) !== year) continue;
    const p = pledges.get(d.pledgeId);
    if (!p) continue;
    let value: Money | null = null;
    let basis: ValuationBasis = 'declared';
    if (d.amount) value = d.amount;
    else if (d.quantity !== null && p.declared && p.quantity !== null && p.quantity > 0) {
      value = { minor: mulDiv(p.declared.minor, d.quantity, p.quantity), currency: p.declared.currency };
    } else if (d.quantity !== null && p.referenceUnitPrice) {
      value = { minor: p.referenceUnitPrice.minor * d.quantity, currency: p.referenceUnitPrice.currency };
      basis = 'reference';
    }
    if (!value) {
      unvalued.push({ pledgeId: p.id, donor: p.donor, figure: 'delivered' });
      continue;
    }
    const minor = toCur(value, d.receivedOn);
    const a = acc(p.donor);
    a.delivered[basis] += minor;
    if (p.channel === 'coordinated') a.deliveredCoordinated += minor;
    else a.deliveredBilateral += minor;
  }

  // Fair shares over the key, in nation-code order so that ties fall the same way every time.
  const key = [...listed.values()].filter((n) => inFairShareKey(n)).sort((a, b) => (a.code < b.code ? -1 : 1));
  const gdpUsd = (n: BurdenNation): number => Math.round((n.gdpUsdMillion ?? 0) * 1_000_000);
  const shares = apportionLargestRemainder(target.minor, key.map(gdpUsd));
  const keyGdpUsd = key.reduce((s, n) => s + gdpUsd(n), 0);
  const fairShare = new Map(key.map((n, i) => [n.code, shares[i]!]));

  const usdToCur = cur === 'USD' ? 1 : rateOn(input.fxRates, cur, gdpFxOn) / rateOn(input.fxRates, 'USD', gdpFxOn);
  const digits = CURRENCY_DIGITS[cur] ?? 2;
  const gdpMinor = (n: BurdenNation): number | null => (n.gdpUsdMillion === null ? null : Math.round(gdpUsd(n) * usdToCur * 10 ** digits));

  const rows: BurdenRow[] = [...listed.values()].map((n) => {
    const a = accs.get(n.code) ?? newAcc();
    const committed = a.committed.declared + a.committed.reference;
    const delivered = a.delivered.declared + a.delivered.reference;
    const gdp = gdpMinor(n);
    const inKey = inFairShareKey(n);
    const fs = fairShare.get(n.code) ?? null;
    return {
      nation: n.code,
      name: n.name,
      kind: n.kind,
      participation: n.participation,
      section: n.kind === 'partner' ? 'partner' : inKey ? 'key' : 'opted-out',
      participating: inKey,
      gdp: gdp === null ? null : money(gdp),
      gdpShare: inKey ? gdpUsd(n) / keyGdpUsd : null,
      fairShare: fs === null ? null : money(fs),
      committed: money(committed),
      delivered: money(delivered),
      multiYear: money(a.multiYear.declared + a.multiYear.reference),
      multiYearTotal: money(a.multiYearTotal),
      committedCoordinated: money(a.committedCoordinated),
      committedBilateral: money(a.committedBilateral),
      deliveredCoordinated: money(a.deliveredCoordinated),
      deliveredBilateral: money(a.deliveredBilateral),
      committedPctGdp: gdp ? (committed / gdp) * 100 : null,
      deliveredPctGdp: gdp ? (delivered / gdp) * 100 : null,
      ratioToFairShare: fs ? committed / fs : null,
      deliveredRatioToFairShare: fs ? delivered / fs : null,
      rank: null,
      defencePctGdp: n.defencePctGdp,
      meetsDefenceGuideline: n.defencePctGdp === null ? null : n.defencePctGdp >= DEFENCE_GUIDELINE_PCT_GDP,
      basis: { committed: basisUsed(a.committed), delivered: basisUsed(a.delivered), multiYear: basisUsed(a.multiYear) },
      byBasis: {
        committed: { declared: money(a.committed.declared), reference: money(a.committed.reference) },
        delivered: { declared: money(a.delivered.declared), reference: money(a.delivered.reference) },
      },
    };
  });

  // Competition ranking over every nation with GDP: 1 + the number ranked strictly ahead.
  const other = rankBy === 'committedPctGdp' ? 'deliveredPctGdp' : 'committedPctGdp';
  const ranked = rows.filter((r) => r[rankBy] !== null).sort((a, b) => b[rankBy]! - a[rankBy]! || b[other]! - a[other]!);
  ranked.forEach((r, i) => {
    const prev = ranked[i - 1];
    r.rank = prev && prev[rankBy] === r[rankBy] && prev[other] === r[other] ? prev.rank : i + 1;
  });

  const sectionOrder: Record<BurdenSection, number> = { key: 0, 'opted-out': 1, partner: 2 };
  rows.sort((a, b) => sectionOrder[a.section] - sectionOrder[b.section] || (a.rank ?? Infinity) - (b.rank ?? Infinity) || (a.nation < b.nation ? -1 : 1));

  const sum = (rs: BurdenRow[], f: (r: BurdenRow) => number): Money => money(rs.reduce((s, r) => s + f(r), 0));
  const keyRows = rows.filter((r) => r.section === 'key');
  return {
    year,
    currency: cur,
    target,
    gdpFxOn,
    rankBy,
    rows,
    totals: {
      fairShare: sum(keyRows, (r) => r.fairShare?.minor ?? 0),
      keyGdp: sum(keyRows, (r) => r.gdp?.minor ?? 0),
      keyCommitted: sum(keyRows, (r) => r.committed.minor),
      keyDelivered: sum(keyRows, (r) => r.delivered.minor),
      committed: sum(rows, (r) => r.committed.minor),
      delivered: sum(rows, (r) => r.delivered.minor),
    },
    unvalued,
    unlistedDonors: [...accs.keys()].filter((d) => !listed.has(d)).sort(),
  };
}
