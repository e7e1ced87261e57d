import { DomainError, invalidInput, notFound } from '../../domain/errors.ts';
import { converter, isCurrency, moneyFromMajor, toMajor, type FxRate, type Money } from '../../domain/money/money.ts';
import type { CapabilityArea } from '../../domain/catalog/catalog.ts';
import { computeBurdenSharing, type BurdenDelivery, type BurdenPledge, type BurdenReport } from '../../engine/burden/index.ts';
import type { ForecastReport, SlippageCounts, WhatIf } from '../../engine/forecast/index.ts';
import { forecastOffThread, startForecastThread } from './forecast-thread.ts';
import { computeDelays, overdueTranches, type DelayDelivery, type OverdueTranche } from '../../engine/delays/index.ts';
import { addDays } from '../../domain/dates.ts';
import {
  findReportMeeting,
  lastMeetingBefore,
  latestEconomyYear,
  loadBurdenCommitments,
  loadBurdenDeliveries,
  loadBurdenNations,
  loadDelayBuckets,
  loadFxRates,
  loadLatestStockReports,
  loadMeetingPledges,
  loadOutstandingTranches,
  loadOverdueCandidates,
  loadSlippageHistogram,
  nextMeetingOnOrAfter,
  prepareReportSession,
  type MeetingRow,
  type StockReportRow,
} from '../../store/report.repository.ts';
import { loadUnmetReasons } from '../../store/gap.repository.ts';
import { coverageRow, type RankedCoverage as EngineCoverage } from '../../engine/coverage/index.ts';
import { computeCoverageAt, computeCoverageAtTwoDates, coverageByAreaSection, coverageDocument, loadCurrentPlan, presentRequirements, presentTotals, type CurrentPlan } from './coverage.ts';
import type { Actor, ServiceDeps, Tx } from '../context.ts';
import { onSecondConnection, runUseCase } from '../use-case.ts';
import { readablePledgeFilter } from '../access/lines.ts';
import type { ReportDocument } from './render/report-document.ts';

/** Parameters of the burden-sharing report. */
export interface BurdenParams {
  year: number;
  /** Annual target in major units of `currency` (default 40 billion). */
  target?: number;
  currency: string;
}

/** One row of `concord report burden --format json`, money in major units of the report currency. */
export interface BurdenJsonRow {
  nation: string;
  participating: boolean;
  gdp: number | null;
  gdpShare: number | null;
  fairShare: number | null;
  committed: number;
  delivered: number;
  committedPctGdp: number | null;
  ratioToFairShare: number | null;
}

const REPORT_CURRENCIES = ['EUR', 'USD'];

function checkBurdenParams(p: BurdenParams): void {
  const issues = [];
  if (!Number.isInteger(p.year) || p.year < 2000 || p.year > 2100) issues.push({ path: '/year', message: 'must be a year from 2000 to 2100' });
  if (!REPORT_CURRENCIES.includes(p.currency) || !isCurrency(p.currency)) issues.push({ path: '/currency', message: `must be one of ${REPORT_CURRENCIES.join(', ')}` });
  if (p.target !== undefined && !(Number.isFinite(p.target) && p.target > 0)) issues.push({ path: '/target', message: 'must be a positive amount' });
  if (issues.length > 0) throw invalidInput('the report parameters are invalid', issues);
}

async function fxRates(tx: Tx): Promise<FxRate[]> {
  return (await loadFxRates(tx)).map((r) => ({ currency: r.currency, on: r.validFrom, perEur: r.perEur }));
}

/**
 * Burden sharing for a year: the engine's figures from SQL-aggregated commitments and deliveries.
 * Each aggregated row enters the engine as one line valued on its own basis (declared value, or
 * catalog reference price × quantity), so the basis of every figure survives the aggregation.
 */
async function computeBurden(tx: Tx, params: BurdenParams, known: { rates?: FxRate[]; economyYear?: number | null } = {}): Promise<BurdenReport> {
  checkBurdenParams(params);
  const economyYear = known.economyYear !== undefined ? known.economyYear : await latestEconomyYear(tx, params.year);
  if (economyYear === null) throw invalidInput(`there are no GDP figures for ${params.year} or before`, [{ path: '/year', message: 'no data for this year' }]);
  // The longest query first: in the brief, the server runs it while the forecast is computed here.
  const [deliveries, commitments, nations, rates] = await Promise.all([
    // Rows valued in the report currency come summed per donor, channel and basis: the engine's totals are
    // the same (no conversion, whole minor units), from fewer rows.
    loadBurdenDeliveries(tx, params.year, params.currency),
    loadBurdenCommitments(tx, params.year, params.currency),
    loadBurdenNations(tx, economyYear),
    known.rates ?? fxRates(tx),
  ]);
  if (commitments.length === 0 && deliveries.length === 0) {
    throw invalidInput(`no pledge was committed or delivered in ${params.year}`, [{ path: '/year', message: 'no data for this year' }]);
  }
  const pledges: BurdenPledge[] = [];
  const engineDeliveries: BurdenDelivery[] = [];
  // The row's value on its basis (declared value or reference price), null when it has none.
  const valueOf = (basis: string, value: number | null, currency: string | null): Money | null => (value === null || currency === null || basis === 'none' ? null : { minor: Math.round(value), currency });
  commitments.forEach((c, i) => {
    const value = valueOf(c.basis, c.valueMinor, c.currency);
    pledges.push({
      id: `commitments:${c.donor}:${i}`,
      donor: c.donor,
      kind: 'in-kind',
      channel: c.channel as BurdenPledge['channel'],
      status: 'committed',
      horizon: c.horizon as BurdenPledge['horizon'],
      years: c.years,
      announcedOn: c.announcedOn,
      quantity: 1,
      declared: c.basis === 'declared' ? value : null,
      referenceUnitPrice: c.basis === 'declared' ? null : value,
    });
  });
  deliveries.forEach((d, i) => {
    // A line that only carries value: never counted as committed, delivered once on its receipt date.
    const id = `deliveries:${d.donor}:${i}`;
    const value = valueOf(d.basis, d.valueMinor, d.currency);
    pledges.push({ id, donor: d.donor, kind: 'in-kind', channel: d.channel as BurdenPledge['channel'], status: 'announced', horizon: 'one-off', years: NO_YEARS, announcedOn: d.receivedOn, quantity: 1, declared: d.basis === 'declared' ? value : null, referenceUnitPrice: d.basis === 'declared' ? null : value });
    engineDeliveries.push({ pledgeId: id, receivedOn: d.receivedOn, quantity: 1 });
  });
  const target = params.target === undefined ? undefined : moneyFromMajor(params.target, params.currency);
  return computeBurdenSharing({ year: params.year, currency: params.currency, ...(target ? { target } : {}), nations: nations.map((n) => ({ ...n, kind: n.kind as 'ally' | 'partner', participation: n.participation as 'participating' | 'opted-out' })), pledges, deliveries: engineDeliveries, fxRates: rates });
}

/** The years of a pledge row without any (one-off): one shared empty list. */
const NO_YEARS: readonly number[] = [];

const major = (m: Money | null): number | null => (m === null ? null : toMajor(m));

/** The burden-sharing rows in the shape `concord report burden --format json` prints. */
export function burdenJson(report: BurdenReport): BurdenJsonRow[] {
  return report.rows.map((r) => ({
    nation: r.nation,
    participating: r.participating,
    gdp: major(r.gdp),
    gdpShare: r.gdpShare,
    fairShare: major(r.fairShare),
    committed: toMajor(r.committed),
    delivered: toMajor(r.delivered),
    committedPctGdp: r.committedPctGdp,
    ratioToFairShare: r.ratioToFairShare,
  }));
}

/** Burden sharing as data and as a report document. */
export async function burdenReport(deps: ServiceDeps, actor: Actor, params: BurdenParams): Promise<{ report: BurdenReport; document: ReportDocument }> {
  return runUseCase(deps, actor, { entity: 'report', verb: 'read', scope: 'aggregate' }, async (tx) => {
    await prepareReportSession(tx);
    const report = await computeBurden(tx, params);
    return { report, document: { title: `Burden sharing ${params.year}`, subtitle: `Annual target ${toMajor(report.target).toLocaleString('en-GB')} ${report.currency}`, generatedAt: new Date().toISOString(), notes: burdenNotes(report), sections: [burdenSection(report)] } };
  });
}

function burdenNotes(report: BurdenReport): string[] {
  return [
    `Fair share: the annual target split over participating allies in proportion to GDP (opted-out allies and partners are shown apart, outside the key); shares add up to the target exactly.`,
    `Values: declared value where the donor gave one, else catalog reference price × quantity; converted to ${report.currency} at the dated FX rates in force on each pledge's announcement or delivery's receipt; GDP converted on ${report.gdpFxOn}.`,
    `Multi-year commitments count an even share of their value in each of their years.`,
    ...(report.unvalued.length > 0 ? [`${report.unvalued.length} lines could not be valued (no declared value and no reference price) and are left out.`] : []),
  ];
}

function burdenSection(report: BurdenReport): ReportDocument['sections'][number] {
  const rows = report.rows.map((r) => ({
    nation: r.nation,
    name: r.name,
    section: r.section,
    rank: r.rank,
    gdpShare: r.gdpShare,
    fairShare: major(r.fairShare),
    committed: toMajor(r.committed),
    delivered: toMajor(r.delivered),
    ratio: r.ratioToFairShare,
    pctGdp: r.committedPctGdp === null ? null : r.committedPctGdp / 100,
    defence: r.defencePctGdp === null ? null : r.defencePctGdp / 100,
    basis: r.basis.committed,
  }));
  const key = report.rows.filter((r) => r.section === 'key').slice(0, 20);
  return {
    heading: 'Burden sharing',
    text: [`Committed and delivered value of each nation in ${report.year} against its fair share of the annual target, in ${report.currency}.`],
    chart: {
      title: `Committed and delivered vs fair share (${report.currency}, top 20 by rank)`,
      categories: key.map((r) => r.nation),
      horizontal: true,
      series: [
        { name: 'fair share', values: key.map((r) => major(r.fairShare)) },
        { name: 'committed', values: key.map((r) => toMajor(r.committed)) },
        { name: 'delivered', values: key.map((r) => toMajor(r.delivered)) },
      ],
    },
    table: {
      name: 'Burden sharing',
      columns: [
        { key: 'nation', label: 'Nation', kind: 'text' },
        { key: 'name', label: 'Name', kind: 'text' },
        { key: 'section', label: 'Key', kind: 'text' },
        { key: 'rank', label: 'Rank', kind: 'integer' },
        { key: 'gdpShare', label: 'GDP share', kind: 'percent' },
        { key: 'fairShare', label: `Fair share (${report.currency})`, kind: 'money' },
        { key: 'committed', label: `Committed (${report.currency})`, kind: 'money' },
        { key: 'delivered', label: `Delivered (${report.currency})`, kind: 'money' },
        { key: 'ratio', label: 'Committed ÷ fair share', kind: 'number' },
        { key: 'pctGdp', label: 'Committed % GDP', kind: 'percent' },
        { key: 'defence', label: 'Defence % GDP', kind: 'percent' },
        { key: 'basis', label: 'Valuation basis', kind: 'text' },
      ],
      rows,
    },
  };
}

/** Parameters of a stock-out forecast. */
export interface ForecastParams {
  /** Day 0 (ISO date); default today. */
  asOf?: string;
  horizon?: number;
  runs?: number;
  seed?: number;
  /** Groups to forecast; default every group with a stock report. */
  groups?: string[];
  /** `DEU:+30`, `DEU:-10`, `DEU:remove`, `DEU/155mm-he:+30`. */
  whatIf?: string[];
}

/** Parses what-if texts into the engine's form, naming the bad one. */
export function parseWhatIf(texts: readonly string[]): WhatIf[] {
  return texts.map((t, i) => {
    const m = /^([A-Z]{3})(?:\/([a-z0-9][a-z0-9.-]{0,62}))?:([+-]\d{1,4}|remove)$/.exec(t);
    if (!m) throw invalidInput(`what-if "${t}" must read DONOR:+30, DONOR:-15, DONOR:remove or DONOR/group:+30`, [{ path: `/whatIf/${i}`, message: 'bad what-if' }]);
    const base = { donor: m[1]!, ...(m[2] ? { group: m[2] } : {}) };
    return m[3] === 'remove' ? { ...base, remove: true as const } : { ...base, shiftDays: Number(m[3]) };
  });
}

/**
 * Forecasts the stock of the groups with a stock report (most consumed first): the latest report of each,
 * the outstanding tranches of committed pledges, and every donor's slippage history, which SQL hands over
 * as a histogram (donor, slippage, lines) and the engine takes as it is (capped, `capHistogram`).
 * `latest`: the latest stock reports on `start` when the caller has them already. `threads`: 2 to split
 * the runs over two workers, when this thread has nothing else to do meanwhile (the forecast report).
 */
async function forecastCritical(
  tx: Tx,
  start: string,
  params: ForecastParams = {},
  { latest, threads = 1 }: { latest?: readonly StockReportRow[]; threads?: 1 | 2 } = {},
): Promise<ForecastReport | null> {
  // The Monte Carlo runs go to a worker thread (started now, ready by the time the data is), so that this one
  // reads the other sections' results meanwhile and keeps the connections' queries going.
  startForecastThread();
  let stocks = [...(latest ?? (await loadLatestStockReports(tx, start)))].sort((a, b) => b.dailyConsumption - a.dailyConsumption || (a.groupCode < b.groupCode ? -1 : 1));
  if (params.groups && params.groups.length > 0) {
    const known = new Set(stocks.map((s) => s.groupCode));
    const issues = params.groups.flatMap((g, i) => (known.has(g) ? [] : [{ path: `/groups/${i}`, message: `no stock report of group ${g} on or before ${start}` }]));
    if (issues.length > 0) throw invalidInput('the forecast names groups without a stock report', issues);
    stocks = stocks.filter((s) => params.groups!.includes(s.groupCode));
  }
  if (stocks.length === 0) return null;
  const groups = stocks.map((s) => s.groupCode);
  const [tranches, histogram] = await Promise.all([loadOutstandingTranches(tx, groups, start), loadSlippageHistogram(tx, start)]);
  return forecastOffThread({
    start,
    horizonDays: params.horizon ?? FORECAST_DAYS,
    groups: stocks.map((s) => ({ group: s.groupCode, onHand: s.onHand, dailyConsumption: s.dailyConsumption })),
    tranches: tranches.map((t) => ({ id: t.id, group: t.groupCode, donor: t.donor, expectedOn: t.expectedOn, quantity: t.outstanding })),
    slippageHistogram: capHistogram(histogram),
    runs: params.runs ?? 500,
    seed: params.seed ?? 1,
    whatIf: parseWhatIf(params.whatIf ?? []),
  }, threads);
}

const FORECAST_DAYS = 120;

/** Most observed slippages kept per donor (figures of a sample that size: see `capHistogram`). */
export const HISTORY_CAP = 20_000;

/**
 * Each donor's slippage histogram from (donor, slippage, lines) rows in ascending slippage per donor (as
 * `loadSlippageHistogram` orders them), in the engine's form. A donor with more than HISTORY_CAP lines keeps
 * a proportional sample (each bucket's count scaled and rounded, at least one line per bucket), so the
 * bootstrap draws from the same distribution within 1/HISTORY_CAP.
 */
export function capHistogram(histogram: readonly { donor: string; slippageDays: number; lines: number }[]): Record<string, SlippageCounts> {
  const totals = new Map<string, number>();
  for (const b of histogram) totals.set(b.donor, (totals.get(b.donor) ?? 0) + b.lines);
  const out: Record<string, { days: number[]; lines: number[] }> = {};
  for (const b of histogram) {
    const total = totals.get(b.donor)!;
    const n = total <= HISTORY_CAP ? b.lines : Math.max(1, Math.round((b.lines * HISTORY_CAP) / total));
    const counts = (out[b.donor] ??= { days: [], lines: [] });
    counts.days.push(b.slippageDays);
    counts.lines.push(n);
  }
  return out;
}

/** Riskiest first: probability of a stock-out, then the earlier deterministic stock-out, then the group code. */
function byRisk(a: ForecastReport['groups'][number], b: ForecastReport['groups'][number]): number {
  const pa = a.monteCarlo?.probabilityOfStockOut ?? (a.deterministic.firstStockOut ? 1 : 0);
  const pb = b.monteCarlo?.probabilityOfStockOut ?? (b.deterministic.firstStockOut ? 1 : 0);
  if (pa !== pb) return pb - pa;
  const da = a.deterministic.firstStockOut ?? '9999';
  const db = b.deterministic.firstStockOut ?? '9999';
  return da < db ? -1 : da > db ? 1 : a.group < b.group ? -1 : 1;
}

/** The forecast table (every group, riskiest first) and one chart per group for the `charts` riskiest ones. */
function forecastSections(forecast: ForecastReport | null, charts = 3): ReportDocument['sections'] {
  if (!forecast) return [{ heading: 'Stock-out forecast', text: ['No stock reports exist yet, so no forecast can be made.'] }];
  const groups = [...forecast.groups].sort(byRisk);
  const rows = groups.map((g) => ({
    group: g.group,
    onHand: g.onHand,
    consumption: g.dailyConsumption,
    tranches: g.tranches,
    incoming: g.incomingWithinHorizon,
    stockOut: g.deterministic.firstStockOut,
    p10StockOut: g.monteCarlo?.firstStockOut.p10 ?? null,
    p50StockOut: g.monteCarlo?.firstStockOut.p50 ?? null,
    probability: g.monteCarlo?.probabilityOfStockOut ?? null,
    shortfall: g.deterministic.shortfall,
  }));
  const charted = groups.filter((g) => (g.monteCarlo?.probabilityOfStockOut ?? 0) > 0 || g.deterministic.firstStockOut !== null).slice(0, charts);
  return [
    {
      heading: 'Stock-out forecast for the critical groups',
      text: [
        `From the latest stock report of each group, its daily consumption and the outstanding tranches of committed pledges, over ${forecast.horizonDays} days from ${forecast.start}; each donor's past slippage drives ${forecast.runs} seeded Monte Carlo runs (seed ${forecast.seed}) of arrival dates.`,
        charted.length === 0 ? 'No group runs out within the horizon in any run.' : `At risk: ${charted.map((g) => g.group).join(', ')}${groups.length > charted.length ? '; the other groups hold out' : ''}.`,
        'The "no slippage" line brings every overdue tranche in on day 0; in the runs an overdue tranche only arrives after at least as many days late as it already is, drawn from its donor\'s past slippages, so where tranches are overdue the median run starts below that line.',
      ],
      table: {
        name: 'Stock-out forecast',
        columns: [
          { key: 'group', label: 'Group', kind: 'text' },
          { key: 'onHand', label: 'On hand', kind: 'integer' },
          { key: 'consumption', label: 'Per day', kind: 'number' },
          { key: 'tranches', label: 'Tranches due', kind: 'integer' },
          { key: 'incoming', label: 'Incoming in horizon', kind: 'integer' },
          { key: 'stockOut', label: 'Stock-out (no slippage)', kind: 'date' },
          { key: 'p10StockOut', label: 'Stock-out (10th pct run)', kind: 'date' },
          { key: 'p50StockOut', label: 'Stock-out (median run)', kind: 'date' },
          { key: 'probability', label: 'Probability of a stock-out', kind: 'percent' },
          { key: 'shortfall', label: 'Shortfall (units)', kind: 'integer' },
        ],
        rows,
      },
    },
    ...charted.map((g) => ({
      heading: `Projected stock: ${g.group}`,
      chart: {
        title: `${g.group}: projected stock (median, 10–90 % band)`,
        categories: forecast.dates,
        yLabel: 'units',
        series: [
          { name: 'median stock', kind: 'line' as const, values: g.monteCarlo ? g.monteCarlo.p50 : g.deterministic.stock, ...(g.monteCarlo ? { band: { lower: g.monteCarlo.p10, upper: g.monteCarlo.p90 } } : {}) },
          { name: 'no slippage', kind: 'line' as const, values: g.deterministic.stock },
        ],
        ...(g.deterministic.firstStockOut ? { markers: [{ category: g.deterministic.firstStockOut, label: 'stock-out' }] } : {}),
      },
    })),
  ];
}

/** One outstanding gap: a requirement coverage leaves short, ranked, with the plan's reason when a plan exists. */
export interface GapRow {
  rank: number;
  requirementId: string;
  capabilityArea: string;
  priority: number;
  needBy: string;
  required: number;
  /** Units the latest plan allocates to it. */
  planned: number;
  committed: number;
  delivered: number;
  /** Units short: quantity − max(committed, delivered). */
  quantity: number;
  gapValue: number;
  /**
   * Why the latest plan leaves it unmet (no-compatible-supply, supply-too-late, outranked), or `met by the
   * plan` when the plan meets it with supply that does not count as committed yet (pledges only announced);
   * null without a plan.
   */
  reason: string | null;
}

/** Gaps `from` … `to` − 1 of the coverage (in rank order) in major units; `reason` is filled by `withPlanReasons`. */
function gapRows(coverage: EngineCoverage, currency: string, from = 0, to = coverage.gapRanks.length): GapRow[] {
  const rows: GapRow[] = [];
  for (let k = Math.max(0, from); k < Math.min(to, coverage.gapRanks.length); k++) rows.push(gapRow(coverage, k, currency));
  return rows;
}

function gapRow(coverage: EngineCoverage, k: number, currency: string): GapRow {
  const g = coverageRow(coverage, coverage.gapRanks[k]!);
  return {
    rank: k + 1,
    requirementId: g.requirement,
    capabilityArea: g.capabilityArea,
    priority: g.priority,
    needBy: g.needBy,
    required: g.quantity,
    planned: g.planned,
    committed: g.committed,
    delivered: g.delivered,
    quantity: g.gap,
    gapValue: toMajor({ minor: g.gapValueMinor, currency }),
    reason: null,
  };
}

/** The gap rows with the latest plan's unmet reasons, looked up for these rows only. */
async function withPlanReasons(tx: Tx, rows: readonly GapRow[], planId: string | null): Promise<GapRow[]> {
  const reasons = planId ? await loadUnmetReasons(tx, planId, rows.map((g) => g.requirementId)) : new Map<string, string>();
  return rows.map((g) => ({ ...g, reason: reasons.get(g.requirementId) ?? (planId ? 'met by the plan' : null) }));
}

const GAP_COLUMNS = (currency: string) =>
  [
    { key: 'rank', label: 'Rank', kind: 'integer' },
    { key: 'requirementId', label: 'Requirement', kind: 'text' },
    { key: 'capabilityArea', label: 'Area', kind: 'text' },
    { key: 'priority', label: 'Priority', kind: 'integer' },
    { key: 'needBy', label: 'Need by', kind: 'date' },
    { key: 'required', label: 'Required', kind: 'integer' },
    { key: 'planned', label: 'Planned', kind: 'integer' },
    { key: 'committed', label: 'Committed', kind: 'integer' },
    { key: 'delivered', label: 'Delivered', kind: 'integer' },
    { key: 'quantity', label: 'Short by', kind: 'integer' },
    { key: 'gapValue', label: `Gap (${currency})`, kind: 'money' },
    { key: 'reason', label: 'Plan says', kind: 'text' },
  ] as const;

/** Gap value (major units) per capability area of the given gaps, largest first. */
function gapValueByArea(gaps: Iterable<Pick<GapRow, 'capabilityArea' | 'gapValue'>>): Array<[string, number]> {
  const byArea = new Map<string, number>();
  for (const g of gaps) byArea.set(g.capabilityArea, (byArea.get(g.capabilityArea) ?? 0) + g.gapValue);
  return [...byArea].sort((a, b) => b[1] - a[1]);
}

/** Every gap of the coverage, one at a time (no array of them all). */
function* eachGap(coverage: EngineCoverage, currency: string): Generator<GapRow> {
  for (let k = 0; k < coverage.gapRanks.length; k++) yield gapRow(coverage, k, currency);
}

/** The first `perArea` gaps of each capability area, areas by gap value (`areas`), ranked within an area. */
function topGapsPerArea(coverage: EngineCoverage, currency: string, areas: ReadonlyArray<[string, number]>, perArea: number): GapRow[] {
  const order = new Map(areas.map(([a], i) => [a, i]));
  const taken = new Map<string, number>();
  const rows: GapRow[] = [];
  for (const g of eachGap(coverage, currency)) {
    const n = taken.get(g.capabilityArea) ?? 0;
    taken.set(g.capabilityArea, n + 1);
    if (n < perArea) rows.push(g);
  }
  return rows.sort((a, b) => (order.get(a.capabilityArea) ?? 0) - (order.get(b.capabilityArea) ?? 0) || a.rank - b.rank);
}

/**
 * Gaps section: the gap value by area (`areas`, chart) of the `count` gaps, and the `rows` listed: every gap,
 * or the first `perArea` of each area (`topGapsPerArea`) when perArea is given.
 */
function gapsSection(count: number, areas: ReadonlyArray<[string, number]>, rows: readonly GapRow[], planId: string | null, currency: string, asOf: string, perArea: number | null, heading = 'Top gaps by capability'): ReportDocument['sections'][number] {
  return {
    heading,
    text: [
      `${count} requirements are short as of ${asOf}: committed pledges and deliveries leave them uncovered, ranked by priority, then need-by date${planId ? `; "Plan says" gives the reason plan ${planId} leaves them unmet` : ''}.`,
      ...(perArea !== null ? [`The ${perArea} most urgent gaps of each capability area, areas by gap value.`] : []),
    ],
    chart: { title: `Gap value by capability area (${currency})`, categories: areas.map(([a]) => a), horizontal: true, series: [{ name: 'gap', values: areas.map(([, v]) => Math.round(v)) }] },
    table: { name: perArea !== null ? 'Top gaps' : 'Gaps', columns: [...GAP_COLUMNS(currency)], rows: rows.map((g) => ({ ...g })) },
  };
}

async function overdue(tx: Tx, asOf: string, currency: string, rates: FxRate[]): Promise<OverdueTranche[]> {
  const candidates = await loadOverdueCandidates(tx, asOf);
  const convert = converter(rates);
  return overdueTranches(
    candidates.map((c) => ({
      trancheId: c.trancheId,
      pledgeId: c.pledgeId,
      donor: c.donor,
      capabilityArea: c.capabilityArea as CapabilityArea,
      expectedOn: c.expectedOn,
      quantity: c.quantity,
      receivedQuantity: c.receivedQuantity,
      unitValueMinor: c.unitValueMinor === null || c.unitCurrency === null ? null : convert({ minor: Math.round(c.unitValueMinor), currency: c.unitCurrency }, currency, asOf).minor,
    })),
    asOf,
  ).sort((a, b) => b.daysOverdue - a.daysOverdue);
}

/** Overdue tranches are pledge lines: each viewer gets those of the pledges it may read (releasability). */
async function readableOverdue(tx: Tx, actor: Actor, rows: OverdueTranche[]): Promise<OverdueTranche[]> {
  const readable = await readablePledgeFilter(tx, actor, rows.map((r) => r.pledgeId));
  return rows.filter((r) => readable(r.pledgeId));
}

function overdueSection(rows: OverdueTranche[], currency: string): ReportDocument['sections'][number] {
  return {
    heading: 'Overdue deliveries',
    text: [`Tranches of committed pledges whose expected date has passed without full receipt: ${rows.length} tranches.`],
    table: {
      name: 'Overdue',
      columns: [
        { key: 'trancheId', label: 'Tranche', kind: 'text' },
        { key: 'donor', label: 'Donor', kind: 'text' },
        { key: 'capabilityArea', label: 'Area', kind: 'text' },
        { key: 'expectedOn', label: 'Expected', kind: 'date' },
        { key: 'daysOverdue', label: 'Days overdue', kind: 'integer' },
        { key: 'outstandingQuantity', label: 'Outstanding', kind: 'integer' },
        { key: 'value', label: `Value (${currency})`, kind: 'money' },
      ],
      // Each row's fields named in the engine's order, then its value: a spread of 29,000 rows (the brief at
      // scale 84) made objects of about 500 bytes each.
      rows: rows.map((r) => ({
        trancheId: r.trancheId,
        pledgeId: r.pledgeId,
        donor: r.donor,
        capabilityArea: r.capabilityArea,
        expectedOn: r.expectedOn,
        daysOverdue: r.daysOverdue,
        outstandingQuantity: r.outstandingQuantity,
        outstandingValueMinor: r.outstandingValueMinor,
        value: r.outstandingValueMinor === null ? null : toMajor({ minor: r.outstandingValueMinor, currency }),
      })),
    },
  };
}

/** Picks the meeting a report is about: the one named, or the default the caller gives. */
async function pickMeeting(tx: Tx, id: string | undefined, fallback: () => Promise<MeetingRow | undefined>, what: string): Promise<MeetingRow> {
  if (id) {
    const m = await findReportMeeting(tx, id);
    if (!m) throw notFound('meeting', id);
    return m;
  }
  const m = await fallback();
  if (!m) throw new DomainError('not_found', `there is no ${what} meeting`);
  return m;
}

export interface MeetingReportParams {
  meetingId?: string;
  /** "Today" for defaults and overdue checks (ISO date); default the current date. */
  today?: string;
  currency?: string;
}

/**
 * The brief that prepares a meeting: top gaps by capability, the stock-out forecast for the critical
 * groups, the burden-sharing table of the meeting's year, and overdue deliveries. Default meeting: the
 * next one on or after today.
 */
export async function meetingBrief(deps: ServiceDeps, actor: Actor, params: MeetingReportParams): Promise<ReportDocument> {
  return runUseCase(deps, actor, MEETING_REPORT, async (tx) => {
    await prepareReportSession(tx);
    const today = params.today ?? new Date().toISOString().slice(0, 10);
    const currency = checkCurrency(params.currency ?? 'EUR');
    const [meeting, rates] = await Promise.all([pickMeeting(tx, params.meetingId, () => nextMeetingOnOrAfter(tx, today), 'upcoming'), fxRates(tx)]);
    // Figures as they stand before the meeting: today, or the meeting date for a meeting already held.
    const asOf = meeting.date < today ? meeting.date : today;
    const year = Number(meeting.date.slice(0, 4));
    // The small look-ups the sections' queries depend on, then every section's queries at once, on two
    // connections reading the same snapshot (PostgreSQL; PGlite runs them in turn on its one connection, with
    // the same result): the forecast's and coverage's on this transaction, burden sharing's and the overdue
    // list's on the second. Each connection runs its queries back to back in the order sent, and each
    // section is computed here as its data arrives, while the server works on the next queries. The second
    // connection's part comes first, so that this transaction exports its snapshot before the other queries.
    const [stocks, economyYear] = await Promise.all([loadLatestStockReports(tx, asOf), latestEconomyYear(tx, year)]);
    const [[burden, overdueRows], forecast, gaps] = await allSections([
      onSecondConnection(deps, tx, async (reader) => {
        await prepareReportSession(reader);
        return allSections([
          computeBurden(reader, { year, currency }, { rates, economyYear }).then(
            (report) => [burdenSection(report)],
            (error: unknown) => {
              if (!(error instanceof DomainError) || error.code !== 'invalid_input') throw error;
              return [{ heading: 'Burden sharing', text: [`No burden-sharing figures for ${year}: ${error.message}.`] }];
            },
          ),
          overdue(reader, asOf, currency, rates).then((rows) => readableOverdue(reader, actor, rows)),
        ] as const);
      }),
      forecastCritical(tx, asOf, {}, { latest: stocks }).then((f) => forecastSections(f)),
      briefGapSections(tx, asOf, currency, rates),
    ] as const);
    return {
      title: `Brief: ${meeting.title}`,
      subtitle: `${meeting.date}, ${meeting.location} (${meeting.id})`,
      generatedAt: new Date().toISOString(),
      notes: [`Figures as of ${asOf}; money in ${currency}. Every row names the records behind it (requirement, tranche or nation ids).`],
      sections: [...gaps, ...forecast, ...burden, overdueSection(overdueRows, currency)],
    };
  });
}

/**
 * The meeting reports' use case: a read of sums (aggregate scope) at repeatable read, so that all their
 * queries, on one connection or two (`onSecondConnection`), see one snapshot.
 */
const MEETING_REPORT = { entity: 'report', verb: 'read', scope: 'aggregate', isolation: 'repeatable read' } as const;

/** The brief's top gaps by capability (with the latest plan's reasons) and coverage by capability area. */
async function briefGapSections(tx: Tx, asOf: string, currency: string, rates: FxRate[]): Promise<ReportDocument['sections']> {
  const plan = loadCurrentPlan(tx);
  const coverage = await computeCoverageAt(tx, asOf, currency, rates, plan);
  const { planId } = await plan;
  const gapAreas = gapValueByArea(eachGap(coverage, currency));
  const topGaps = await withPlanReasons(tx, topGapsPerArea(coverage, currency, gapAreas, 5), planId);
  return [gapsSection(coverage.gapRanks.length, gapAreas, topGaps, planId, currency, asOf, 5), coverageByAreaSection(coverage, currency)];
}

/**
 * Waits for every one of parts that share one transaction and only then gives their results, or the first
 * failure: no query of the transaction is still queued or running when the caller ends it.
 */
async function allSections<T extends readonly unknown[]>(parts: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(parts);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * The outcome report after a meeting: the pledges announced there (valued), the new multi-year
 * commitments, and the totals by capability area. Default meeting: the last one before today.
 */
export async function meetingOutcome(deps: ServiceDeps, actor: Actor, params: MeetingReportParams): Promise<ReportDocument> {
  return runUseCase(deps, actor, MEETING_REPORT, async (tx) => {
    await prepareReportSession(tx);
    const today = params.today ?? new Date().toISOString().slice(0, 10);
    const currency = checkCurrency(params.currency ?? 'EUR');
    const meeting = await pickMeeting(tx, params.meetingId, () => lastMeetingBefore(tx, today), 'past');
    const [previous, rates] = await Promise.all([lastMeetingBefore(tx, meeting.date), fxRates(tx)]);
    // The pledges announced at the meeting on a second connection reading the same snapshot (first, so that
    // this transaction exports its snapshot before the other queries; PGlite runs it on its one connection);
    // coverage and gaps at the previous meeting's date and at this one's, on the same plan and requirements,
    // on this transaction, its queries sent at once.
    const [[rows, readable], [after, before]] = await allSections([
      onSecondConnection(deps, tx, async (reader) => {
        await prepareReportSession(reader);
        const pledges = await loadMeetingPledges(reader, meeting.id);
        const convert = converter(rates);
        const valued = pledges.map((p) => ({
          pledge: p.id,
          donor: p.donor,
          kind: p.kind,
          channel: p.channel,
          what: p.itemCode ?? p.groupCode ?? 'funding',
          area: p.capabilityArea,
          quantity: p.quantity,
          horizon: p.horizon === 'multi-year' ? `multi-year ${p.years.join(', ')}` : 'one-off',
          status: p.status,
          value: p.valueMinor === null || p.currency === null ? null : toMajor(convert({ minor: Math.round(p.valueMinor), currency: p.currency }, currency, meeting.date)),
          basis: p.basis,
        }));
        // Totals count every pledge; the tables list only the lines the viewer may read (releasability).
        return [valued, await readablePledgeFilter(reader, actor, valued.map((r) => r.pledge))] as const;
      }),
      (async (): Promise<[EngineCoverage, EngineCoverage | null]> => {
        const plan = loadCurrentPlan(tx);
        return previous ? computeCoverageAtTwoDates(tx, meeting.date, previous.date, currency, rates, plan) : [await computeCoverageAt(tx, meeting.date, currency, rates, plan), null];
      })(),
    ] as const);
    const byArea = new Map<string, number>();
    for (const r of rows) byArea.set(r.area ?? 'funding', (byArea.get(r.area ?? 'funding') ?? 0) + (r.value ?? 0));
    const listed = rows.filter((r) => readable(r.pledge));
    const multi = listed.filter((r) => r.horizon.startsWith('multi-year'));
    const columns = [
      { key: 'pledge', label: 'Pledge', kind: 'text' as const },
      { key: 'donor', label: 'Donor', kind: 'text' as const },
      { key: 'kind', label: 'Kind', kind: 'text' as const },
      { key: 'what', label: 'Item or group', kind: 'text' as const },
      { key: 'quantity', label: 'Quantity', kind: 'integer' as const },
      { key: 'horizon', label: 'Horizon', kind: 'text' as const },
      { key: 'status', label: 'Status now', kind: 'text' as const },
      { key: 'value', label: `Value (${currency})`, kind: 'money' as const },
      { key: 'basis', label: 'Basis', kind: 'text' as const },
    ];
    const total = rows.reduce((s, r) => s + (r.value ?? 0), 0);
    return {
      title: `Outcome: ${meeting.title}`,
      subtitle: `${meeting.date}, ${meeting.location} (${meeting.id})${previous ? `; previous meeting ${previous.id} on ${previous.date}` : ''}`,
      generatedAt: new Date().toISOString(),
      notes: [`Values in ${currency}: declared value where given, else catalog reference price × quantity, at the FX rates of the meeting date.`],
      sections: [
        {
          heading: 'Pledges announced',
          text: [`${rows.length} pledges announced at this meeting, worth ${Math.round(total).toLocaleString('en-GB')} ${currency}; ${multi.length} of them multi-year commitments.`],
          chart: { title: `Value announced by capability area (${currency})`, categories: [...byArea.keys()], horizontal: true, series: [{ name: 'value', values: [...byArea.values()].map(Math.round) }] },
          table: { name: 'Pledges announced', columns, rows: listed },
        },
        { heading: 'New multi-year commitments', text: [`${multi.length} multi-year commitments announced at this meeting.`], table: { name: 'Multi-year', columns, rows: multi } },
        coverageChangeSection(before, after, previous, meeting, currency),
      ],
    };
  });
}

/**
 * Coverage and gap change from the previous meeting's date to this meeting's, per capability area and in
 * total. Without a previous meeting the "before" figures are those of an empty record (nothing covered).
 */
function coverageChangeSection(before: EngineCoverage | null, after: EngineCoverage, previous: MeetingRow | null | undefined, meeting: MeetingRow, currency: string): ReportDocument['sections'][number] {
  const areaOf = (r: EngineCoverage | null) => new Map((r?.byCapabilityArea ?? []).map((a) => [a.capabilityArea as string, a]));
  const b = areaOf(before);
  const a = areaOf(after);
  const areas = [...new Set([...b.keys(), ...a.keys()])].sort();
  const m = (minor: number | undefined) => toMajor({ minor: minor ?? 0, currency });
  const line = (name: string, x: { committedShare: number | null; gapValueMinor: number; committedValueMinor: number } | undefined, y: { committedShare: number | null; gapValueMinor: number; committedValueMinor: number } | undefined) => ({
    capabilityArea: name,
    committedShareBefore: x?.committedShare ?? null,
    committedShareAfter: y?.committedShare ?? null,
    committedValueChange: m(y?.committedValueMinor) - m(x?.committedValueMinor),
    gapValueBefore: x ? m(x.gapValueMinor) : null,
    gapValueAfter: m(y?.gapValueMinor),
    gapValueChange: m(y?.gapValueMinor) - m(x?.gapValueMinor),
  });
  const rows = [...areas.map((area) => line(area, b.get(area), a.get(area))), line('total', before?.total, after.total)];
  const since = previous ? `the previous meeting (${previous.id}, ${previous.date})` : 'an empty record (no earlier meeting)';
  return {
    heading: 'Coverage and gaps since the previous meeting',
    text: [
      `Coverage of today's validated requirements as of ${since} and as of this meeting (${meeting.date}): pledges announced by each date at their current status, deliveries received by each date. A negative gap change is a gap closed.`,
    ],
    chart: {
      title: `Gap value by capability area (${currency})`,
      categories: areas,
      horizontal: true,
      series: [
        { name: previous ? `gap at ${previous.id}` : 'gap before', values: areas.map((area) => Math.round(m(b.get(area)?.gapValueMinor))) },
        { name: `gap at ${meeting.id}`, values: areas.map((area) => Math.round(m(a.get(area)?.gapValueMinor))) },
      ],
    },
    table: {
      name: 'Coverage change',
      columns: [
        { key: 'capabilityArea', label: 'Capability area', kind: 'text' },
        { key: 'committedShareBefore', label: 'Committed share before', kind: 'percent' },
        { key: 'committedShareAfter', label: 'Committed share after', kind: 'percent' },
        { key: 'committedValueChange', label: `Committed change (${currency})`, kind: 'money' },
        { key: 'gapValueBefore', label: `Gap before (${currency})`, kind: 'money' },
        { key: 'gapValueAfter', label: `Gap after (${currency})`, kind: 'money' },
        { key: 'gapValueChange', label: `Gap change (${currency})`, kind: 'money' },
      ],
      rows,
    },
  };
}

/** Parameters shared by the as-of reports. */
export interface AsOfParams {
  /** ISO date the figures are taken at (default today). */
  asOf?: string;
  currency?: string;
}

/** Outstanding gaps as of a date, ranked by priority and need-by date, as data and as a document. */
export async function gapsReport(deps: ServiceDeps, actor: Actor, params: AsOfParams & { limit?: number } = {}) {
  return runUseCase(deps, actor, { entity: 'report', verb: 'read', scope: 'aggregate' }, async (tx) => {
    await prepareReportSession(tx);
    const asOf = params.asOf ?? new Date().toISOString().slice(0, 10);
    const currency = checkCurrency(params.currency ?? 'EUR');
    const plan = await loadCurrentPlan(tx);
    const coverage = await computeCoverageAt(tx, asOf, currency, await fxRates(tx), plan);
    const gapCount = coverage.gapRanks.length;
    const gaps = await withPlanReasons(tx, gapRows(coverage, currency, 0, params.limit ?? 1000), plan.planId);
    const total = presentTotals(coverage.total, currency);
    return {
      asOf,
      currency,
      planId: plan.planId,
      gapCount,
      gapQuantity: total.gap,
      gapValue: total.gapValue,
      gaps,
      document: {
        title: 'Outstanding gaps',
        subtitle: `As of ${asOf}; values in ${currency}${plan.planId ? `; current plan ${plan.planId}` : ''}`,
        generatedAt: new Date().toISOString(),
        notes: [`${gapCount} gaps worth ${Math.round(total.gapValue).toLocaleString('en-GB')} ${currency}${gaps.length < gapCount ? `; the first ${gaps.length} are listed` : ''}.`],
        sections: [gapsSection(gaps.length, gapValueByArea(gaps), gaps, plan.planId, currency, asOf, null, 'Gaps')],
      } satisfies ReportDocument,
    };
  });
}

/** Coverage of requirements per requirement, capability area and priority as of a date, as data and as a document. */
export async function coverageReport(deps: ServiceDeps, actor: Actor, params: AsOfParams & { limit?: number } = {}) {
  return runUseCase(deps, actor, { entity: 'report', verb: 'read', scope: 'aggregate' }, async (tx) => {
    await prepareReportSession(tx);
    const asOf = params.asOf ?? new Date().toISOString().slice(0, 10);
    const currency = checkCurrency(params.currency ?? 'EUR');
    const limit = params.limit ?? 200;
    const plan = await loadCurrentPlan(tx);
    const coverage = await computeCoverageAt(tx, asOf, currency, await fxRates(tx), plan);
    return {
      data: {
        asOf,
        currency,
        planId: plan.planId,
        total: presentTotals(coverage.total, currency),
        byCapabilityArea: coverage.byCapabilityArea.map((a) => ({ capabilityArea: a.capabilityArea, ...presentTotals(a, currency) })),
        byPriority: coverage.byPriority.map((p) => ({ priority: p.priority, ...presentTotals(p, currency) })),
        requirementCount: coverage.requirements.ids.length,
        requirements: presentRequirements(coverage, limit, currency),
      },
      document: coverageDocument(coverage, currency, plan.planId, limit),
    };
  });
}

function checkCurrency(currency: string): string {
  if (!REPORT_CURRENCIES.includes(currency)) throw invalidInput(`unknown report currency ${currency}`, [{ path: '/currency', message: `must be one of ${REPORT_CURRENCIES.join(', ')}` }]);
  return currency;
}

/** The stock-out forecast of the groups with stock reports, as data and as a document. */
export async function forecastReport(deps: ServiceDeps, actor: Actor, params: ForecastParams) {
  return runUseCase(deps, actor, { entity: 'report', verb: 'read', scope: 'aggregate' }, async (tx) => {
    await prepareReportSession(tx);
    const start = params.asOf ?? new Date().toISOString().slice(0, 10);
    const forecast = await forecastCritical(tx, start, { runs: 1000, horizon: 180, ...params }, { threads: 2 });
    if (!forecast) throw invalidInput(`no stock report is dated on or before ${start}, so there is nothing to forecast from`, [{ path: '/asOf', message: 'no stock report by this date' }]);
    const what = params.whatIf && params.whatIf.length > 0 ? `; what if ${params.whatIf.join(', ')}` : '';
    return { forecast, document: { title: 'Stock-out forecast', subtitle: `From ${start}, ${forecast.horizonDays} days, ${forecast.runs} runs (seed ${forecast.seed})${what}`, generatedAt: new Date().toISOString(), sections: forecastSections(forecast, 6) } satisfies ReportDocument };
  });
}

/**
 * Delays by donor and capability area (on-time rate, median and 90th-percentile slippage, value
 * delivered late) and the tranches overdue now. Delivery lines come pre-aggregated from SQL by
 * (donor, area, slippage, currency); each bucket enters the engine once, weighted by its number of lines.
 */
export async function delaysReport(deps: ServiceDeps, actor: Actor, params: AsOfParams) {
  return runUseCase(deps, actor, { entity: 'report', verb: 'read', scope: 'aggregate' }, async (tx) => {
    await prepareReportSession(tx);
    const asOf = params.asOf ?? new Date().toISOString().slice(0, 10);
    const currency = checkCurrency(params.currency ?? 'EUR');
    const rates = await fxRates(tx);
    const buckets = await loadDelayBuckets(tx, asOf);
    const lines: DelayDelivery[] = [];
    const convert = converter(rates);
    const base = '2000-06-01';
    for (const b of buckets) {
      const value = b.valueMinor === null || b.currency === null ? 0 : convert({ minor: Math.round(b.valueMinor), currency: b.currency }, currency, asOf).minor;
      // One input per bucket standing for its lines: the engine weighs it by `lines`.
      lines.push({ donor: b.donor, capabilityArea: b.capabilityArea as CapabilityArea, promisedOn: base, receivedOn: addDays(base, b.slippageDays), quantity: b.quantity, valueMinor: value, lines: b.lines });
    }
    const delays = computeDelays(lines);
    const overdueRows = await readableOverdue(tx, actor, await overdue(tx, asOf, currency, rates));
    const donors = [...delays.byDonor].sort((a, b) => (b.medianSlippageDays ?? 0) - (a.medianSlippageDays ?? 0));
    const document: ReportDocument = {
      title: 'Delivery delays',
      subtitle: `Deliveries received by ${asOf}; values in ${currency}`,
      generatedAt: new Date().toISOString(),
      notes: ['Slippage is the received date minus the date the tranche was promised; percentiles are nearest-rank over received delivery lines.'],
      sections: [
        {
          heading: 'Slippage by donor',
          chart: { title: 'Median and 90th-percentile slippage (days)', categories: donors.map((d) => d.donor), series: [{ name: 'median', values: donors.map((d) => d.medianSlippageDays) }, { name: '90th percentile', values: donors.map((d) => d.p90SlippageDays) }] },
          table: {
            name: 'By donor',
            columns: [
              { key: 'donor', label: 'Donor', kind: 'text' },
              { key: 'deliveries', label: 'Lines received', kind: 'integer' },
              { key: 'onTimeRate', label: 'On time', kind: 'percent' },
              { key: 'medianSlippageDays', label: 'Median slippage (days)', kind: 'integer' },
              { key: 'p90SlippageDays', label: 'P90 slippage (days)', kind: 'integer' },
              { key: 'valueLate', label: `Value delivered late (${currency})`, kind: 'money' },
            ],
            rows: donors.map((d) => ({ ...d, valueLate: toMajor({ minor: Math.round(d.valueLateMinor), currency }) })),
          },
        },
        {
          heading: 'Slippage by capability area',
          table: {
            name: 'By area',
            columns: [
              { key: 'capabilityArea', label: 'Area', kind: 'text' },
              { key: 'deliveries', label: 'Lines received', kind: 'integer' },
              { key: 'onTimeRate', label: 'On time', kind: 'percent' },
              { key: 'medianSlippageDays', label: 'Median slippage (days)', kind: 'integer' },
              { key: 'p90SlippageDays', label: 'P90 slippage (days)', kind: 'integer' },
            ],
            rows: delays.byCapabilityArea.map((d) => ({ ...d })),
          },
        },
        overdueSection(overdueRows, currency),
      ],
    };
    return { delays, overdue: overdueRows, document };
  });
}
