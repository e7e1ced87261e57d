import type { CapabilityArea, ItemGroup, ItemType } from '../../domain/catalog/catalog.ts';
import { dayNumber, fromDayNumber } from '../../domain/dates.ts';
import { invalidInput } from '../../domain/errors.ts';
import type { MeetingKind } from '../../domain/meetings/meeting.ts';
import { CURRENCY_DIGITS, rateOn } from '../../domain/money/money.ts';
import type { PledgeChannel, PledgeHorizon, PledgeKind, PledgeStatus } from '../../domain/pledges/pledge.ts';
import type { Priority, RequirementStatus } from '../../domain/requirements/requirement.ts';
import type { DeliveryStatus } from '../../domain/deliveries/delivery.ts';
import { projectReferenceData, type ReferenceData } from '../../store/reference/reference-files.ts';
import { Rng, deriveSeed } from './prng.ts';
import {
  ALTERNATIVES,
  AREA_DEMAND,
  DEFAULT_PARTNER_WEIGHT,
  DONOR_CURRENCY,
  DONOR_ENGAGEMENT,
  GROUP_DEMAND,
  HUBS,
  LETHAL_PARTNERS,
  LINE_QUANTITY,
  MEETING_PLEDGE_WEIGHT,
  NON_LETHAL_AREAS,
  PARTNER_WEIGHT,
  PLEDGES_PER_SCALE,
  REQUIREMENTS_PER_SCALE,
  SCENARIO_END,
  SCENARIO_MEETINGS,
  SCENARIO_START,
  SCENARIO_TODAY,
  STOCK_GROUPS,
  USE_TAGS,
  YEARLY_COMMITTED_EUR,
} from './scenario-profile.ts';

export interface DemoMeeting {
  id: string;
  kind: MeetingKind;
  title: string;
  date: string;
  location: string;
  attendees: string[];
  notes: string;
}

export interface DemoRequirement {
  id: string;
  itemCode: string | null;
  accepts: string[];
  capabilityArea: CapabilityArea;
  quantity: number;
  priority: Priority;
  needBy: string;
  uses: string[];
  status: RequirementStatus;
  title: string;
  notes: string;
}

export interface DemoTranche {
  id: string;
  pledgeId: string;
  seq: number;
  quantity: number | null;
  amountMinor: number | null;
  expectedOn: string;
}

export interface DemoPledge {
  id: string;
  donor: string;
  kind: PledgeKind;
  channel: PledgeChannel;
  itemCode: string | null;
  groupCode: string | null;
  capabilityArea: CapabilityArea | null;
  quantity: number | null;
  /** Funding: the amount; goods: the declared value (quantity × reference price), in `currency`. */
  amountMinor: number | null;
  currency: string | null;
  horizon: PledgeHorizon;
  years: number[];
  forbids: string[];
  designatedTo: string | null;
  meetingId: string | null;
  announcedOn: string;
  status: PledgeStatus;
  notes: string;
  tranches: DemoTranche[];
}

export interface DemoDelivery {
  id: string;
  trancheId: string;
  quantity: number;
  promisedOn: string;
  shippedOn: string;
  receivedOn: string | null;
  hub: string;
  status: DeliveryStatus;
  notes: string;
}

export interface DemoStockReport {
  id: string;
  groupCode: string;
  asOf: string;
  onHand: number;
  dailyConsumption: number;
  notes: string;
}

/** One slice of the scaled part of the scenario: it refers only to itself, the meetings and reference data. */
export interface DemoChunk {
  index: number;
  requirements: DemoRequirement[];
  pledges: DemoPledge[];
  deliveries: DemoDelivery[];
}

export interface DemoScenario {
  meetings: DemoMeeting[];
  stockReports: DemoStockReport[];
  requirements: DemoRequirement[];
  pledges: DemoPledge[];
  deliveries: DemoDelivery[];
}

export interface DemoOptions {
  /** Seed of the generator: the same seed and scale always give the same scenario. */
  seed: number;
  /** Multiplies requirements, pledges and deliveries (1 ≈ 2,000 requirements, 6,000 pledges); may be fractional. */
  scale: number;
}

/** The fixed part of the scenario (meetings, stock reports) and the number of scaled chunks. */
export interface DemoPlan {
  meetings: DemoMeeting[];
  stockReports: DemoStockReport[];
  chunkCount: number;
  /** Builds chunk `index` (0 ≤ index < chunkCount) on its own, so big scales never hold more than one chunk. */
  chunk(index: number): DemoChunk;
}

interface Donor {
  code: string;
  /**
   * Expected share of the value given, unnormalised: allies 2024 GDP (USD million, sourced) × DONOR_ENGAGEMENT;
   * partners their scenario sizing weight; a donor that opted out of the coordinated effort 2% of that.
   */
  weight: number;
  /**
   * Multiplier of a pledge's value. Donors are drawn with probability ∝ √weight and their pledges sized
   * ∝ √weight, so a donor's expected value is ∝ weight; the factor averages 1 over the pledges drawn.
   */
  sizeFactor: number;
  lethal: boolean;
  optedOut: boolean;
  currency: string;
  areaPreference: Map<CapabilityArea, number>;
  meanDelayDays: number;
  earlyShare: number;
  hubs: string[];
}

interface Context {
  seed: number;
  groups: ItemGroup[];
  groupByCode: Map<string, ItemGroup>;
  itemsByGroup: Map<string, ItemType[]>;
  donors: Donor[];
  meetings: DemoMeeting[];
  pastMeetings: DemoMeeting[];
  /** Reference unit price of a group in EUR (its first item's by code: what values a requirement without an item). */
  groupPriceEur: Map<string, number>;
  /** Reference unit price of each item in EUR (at the rates of 2025-01-02). */
  itemPriceEur: Map<string, number>;
  /** Cheapest item of each group in EUR. */
  groupMinPriceEur: Map<string, number>;
  altShare: number;
  /** Share of requirement lines per group. */
  demand: Map<string, number>;
  reference: ReferenceData;
}

const TODAY = dayNumber(SCENARIO_TODAY);
const START = dayNumber(SCENARIO_START);
const END = dayNumber(SCENARIO_END);
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Rounds a quantity to two significant figures (how donors announce: 12,000 rounds, not 11,873). */
function roundQuantity(q: number): number {
  if (q < 20) return Math.max(1, Math.round(q));
  const magnitude = 10 ** (Math.floor(Math.log10(q)) - 1);
  return Math.max(1, Math.round(q / magnitude) * magnitude);
}

/** Splits a positive integer into `parts` positive integers that add up to it. */
function split(rng: Rng, total: number, parts: number): number[] {
  const n = Math.max(1, Math.min(parts, total));
  const weights = Array.from({ length: n }, () => rng.uniform(0.5, 1.5));
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.max(1, Math.floor((total * w) / sum)));
  let diff = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; diff !== 0; i = (i + 1) % n) {
    if (diff > 0) {
      out[i]!++;
      diff--;
    } else if (out[i]! > 1) {
      out[i]!--;
      diff++;
    }
  }
  return out;
}

function buildContext(seed: number, reference: ReferenceData): Context {
  const rng = new Rng(deriveSeed(seed, 'donors'));
  const groupByCode = new Map(reference.groups.map((g) => [g.code, g]));
  const itemsByGroup = new Map<string, ItemType[]>();
  for (const item of reference.items) {
    const list = itemsByGroup.get(item.group) ?? [];
    list.push(item);
    itemsByGroup.set(item.group, list);
  }
  const fxOn = '2025-01-02';
  const groupPriceEur = new Map<string, number>();
  const itemPriceEur = new Map<string, number>();
  const groupMinPriceEur = new Map<string, number>();
  for (const [code, items] of itemsByGroup) {
    for (const item of items) {
      const major = item.refPriceMinor / 10 ** (CURRENCY_DIGITS[item.refPriceCurrency] ?? 2);
      const eur = major / rateOn(reference.fxRates, item.refPriceCurrency, fxOn);
      itemPriceEur.set(item.code, eur);
      groupMinPriceEur.set(code, Math.min(eur, groupMinPriceEur.get(code) ?? Infinity));
    }
    // Coverage values a requirement that names no item at the first item of its group by code.
    const first = items.reduce((a, b) => (b.code < a.code ? b : a));
    groupPriceEur.set(code, itemPriceEur.get(first.code)!);
  }
  const gdp = new Map(reference.economies.filter((e) => e.year === 2024).map((e) => [e.nation, e]));
  const donorNations = reference.nations.filter((n) => n.kind !== 'recipient');
  const weights = donorNations.map((n) => {
    const base = n.kind === 'ally' ? (gdp.get(n.code)?.gdpUsdMillion ?? DEFAULT_PARTNER_WEIGHT) * (DONOR_ENGAGEMENT[n.code] ?? 1) : PARTNER_WEIGHT[n.code] ?? DEFAULT_PARTNER_WEIGHT;
    return n.participation === 'opted-out' ? base * 0.02 : base;
  });
  // Σ√w / Σw: with draws ∝ √w, E[sizeFactor] = Σ w·(Σ√w/Σw) / Σ√w = 1.
  const norm = weights.reduce((s, w) => s + Math.sqrt(w), 0) / weights.reduce((s, w) => s + w, 0);
  const areas = Object.keys(AREA_DEMAND) as CapabilityArea[];
  const donors: Donor[] = donorNations.map((n, i) => {
    const weight = weights[i]!;
    const economy = gdp.get(n.code);
    const lethal = n.kind === 'ally' ? economy?.defenceUsdMillion != null && n.participation !== 'opted-out' : LETHAL_PARTNERS.has(n.code);
    return {
      code: n.code,
      weight,
      sizeFactor: Math.sqrt(weight) * norm,
      lethal,
      optedOut: n.participation === 'opted-out',
      currency: DONOR_CURRENCY[n.code] ?? 'EUR',
      areaPreference: new Map(areas.map((a) => [a, rng.uniform(0.4, 1.6)])),
      meanDelayDays: rng.uniform(4, 35),
      earlyShare: rng.uniform(0.05, 0.2),
      hubs: [rng.pick(HUBS), rng.pick(HUBS)],
    };
  });
  const allies = reference.nations.filter((n) => n.kind === 'ally').map((n) => n.code);
  const partners = reference.nations.filter((n) => n.kind === 'partner').map((n) => n.code);
  const meetings = SCENARIO_MEETINGS.map((m) => meetingOf(m, allies, partners));
  const withAlternatives = reference.groups.reduce((s, g) => s + (ALTERNATIVES[g.code] ? demandOf(g) : 0), 0);
  const totalDemand = reference.groups.reduce((s, g) => s + demandOf(g), 0);
  return {
    seed,
    groups: reference.groups,
    groupByCode,
    itemsByGroup,
    donors,
    meetings,
    pastMeetings: meetings.filter((m) => m.date <= SCENARIO_TODAY),
    groupPriceEur,
    itemPriceEur,
    groupMinPriceEur,
    altShare: Math.min(0.9, 0.3 / (withAlternatives / totalDemand)),
    demand: new Map(reference.groups.map((g) => [g.code, demandOf(g)])),
    reference,
  };

  /** A group's share of requirement lines: its area's share, divided among the area's groups by GROUP_DEMAND. */
  function demandOf(g: ItemGroup): number {
    const inArea = reference.groups.filter((x) => x.capabilityArea === g.capabilityArea).reduce((s, x) => s + (GROUP_DEMAND[x.code] ?? 1), 0);
    return (AREA_DEMAND[g.capabilityArea] * (GROUP_DEMAND[g.code] ?? 1)) / inArea;
  }
}

function meetingOf(m: (typeof SCENARIO_MEETINGS)[number], allies: string[], partners: string[]): DemoMeeting {
  const attendees =
    m.audience === 'contact-group' ? [...allies, ...partners, 'UKR'] : m.audience === 'summit' ? [...allies, 'UKR', 'AUS', 'JPN', 'KOR', 'NZL'] : [...allies, 'UKR'];
  const status = m.date <= SCENARIO_TODAY ? 'held' : 'scheduled';
  return {
    id: m.id,
    kind: m.kind,
    title: m.title,
    date: m.date,
    location: m.location,
    attendees,
    notes: `Demo scenario meeting (${status}); modelled on the real meeting format, not a record of it.`,
  };
}

function groupDemand(ctx: Context, g: ItemGroup, donor?: Donor): number {
  let w = ctx.demand.get(g.code) ?? 0;
  if (donor) {
    if (!donor.lethal && !NON_LETHAL_AREAS.includes(g.capabilityArea)) return 0;
    if (donor.optedOut && g.capabilityArea === 'training') return 0;
    w *= donor.areaPreference.get(g.capabilityArea) ?? 1;
  }
  return w;
}

/**
 * A requirement line's quantity: from the table for key groups, else about EUR 2–60 million at `priceEur`,
 * the unit price the line is valued at (its item's, or its group's first item's when it names no item).
 */
function lineQuantity(rng: Rng, group: string, priceEur: number): number {
  const range = LINE_QUANTITY[group];
  if (range) return roundQuantity(rng.logUniform(range[0], range[1]));
  const price = Math.max(1, priceEur);
  const value = rng.logUniform(2e6, 6e7);
  return roundQuantity(Math.min(1e7, Math.max(1, value / price)));
}

function randomDay(rng: Rng, from: number, to: number): number {
  return rng.int(from, Math.max(from, to));
}

function requirementStatus(rng: Rng, needBy: number): RequirementStatus {
  if (rng.chance(0.03)) return 'cancelled';
  if (needBy < TODAY - 60) return rng.weighted(['fulfilled', 'covered', 'partly-covered', 'validated'] as const, (s) => ({ fulfilled: 22, covered: 26, 'partly-covered': 30, validated: 22 })[s]);
  if (needBy > TODAY + 300) return rng.weighted(['draft', 'submitted', 'validated', 'partly-covered', 'covered'] as const, (s) => ({ draft: 8, submitted: 14, validated: 48, 'partly-covered': 20, covered: 10 })[s]);
  return rng.weighted(['draft', 'submitted', 'validated', 'partly-covered', 'covered'] as const, (s) => ({ draft: 1, submitted: 4, validated: 40, 'partly-covered': 35, covered: 20 })[s]);
}

function requirementUses(rng: Rng, area: CapabilityArea): string[] {
  if (area === 'training') return rng.chance(0.5) ? ['training'] : [];
  if (!rng.chance(0.25)) return [];
  const tags = new Set<string>();
  const count = rng.chance(0.7) ? 1 : 2;
  while (tags.size < count) {
    tags.add(
      rng.weighted(USE_TAGS, (t) =>
        t === 'air-defence-of-cities' ? (area === 'air-defence' ? 6 : 0) : t === 'training' ? 0.5 : t === 'cross-border' ? 3 : t === 'front-line' ? 3 : t === 'offensive' ? 2 : 1,
      ),
    );
  }
  return [...tags];
}

function generateRequirements(ctx: Context, rng: Rng, firstNumber: number, count: number): DemoRequirement[] {
  const out: DemoRequirement[] = [];
  for (let i = 0; i < count; i++) {
    const group = rng.weighted(ctx.groups, (g) => groupDemand(ctx, g));
    const items = ctx.itemsByGroup.get(group.code)!;
    const item = rng.chance(0.8) ? rng.pick(items) : null;
    const accepts = [group.code];
    const alternatives = ALTERNATIVES[group.code];
    if (alternatives && rng.chance(ctx.altShare)) accepts.push(rng.pick(alternatives));
    const area = group.capabilityArea;
    const pHigh = area === 'air-defence' || area === 'ammunition' ? 1.6 : 1;
    const priority = rng.weighted([1, 2, 3, 4] as const, (p) => ({ 1: 20 * pHigh, 2: 35, 3: 30, 4: 15 / pHigh })[p]);
    // Need-by dates spread over 2024–2027 with most weight on 2025–2026.
    const needDay = rng.chance(0.7) ? randomDay(rng, dayNumber('2025-01-01'), dayNumber('2026-12-31')) : randomDay(rng, START + 20, END);
    const quantity = lineQuantity(rng, group.code, item ? ctx.itemPriceEur.get(item.code)! : ctx.groupPriceEur.get(group.code)!);
    const needBy = fromDayNumber(needDay);
    out.push({
      id: `R-${pad(firstNumber + i, 6)}`,
      itemCode: item?.code ?? null,
      accepts,
      capabilityArea: area,
      quantity,
      priority,
      needBy,
      uses: requirementUses(rng, area),
      status: requirementStatus(rng, needDay),
      title: `${item?.name ?? group.name}, needed by ${needBy.slice(0, 7)}`,
      notes: '',
    });
  }
  return out;
}

function pledgeStatus(rng: Rng, kind: PledgeKind, announced: number, first: number, last: number): PledgeStatus {
  if (rng.chance(0.02)) return 'withdrawn';
  if (announced >= TODAY - 75) return rng.chance(0.6) ? 'announced' : 'committed';
  if (last <= TODAY - 45) return rng.chance(0.9) ? 'delivered' : 'delivering';
  if (first <= TODAY) return 'delivering';
  if (kind === 'procurement' || kind === 'funding') return rng.chance(0.65) ? 'contracted' : 'committed';
  return rng.chance(0.85) ? 'committed' : 'announced';
}

/** Expected dates of a pledge's tranches: one a year for multi-year commitments, else 1–4 spread after the announcement. */
function trancheDays(rng: Rng, announced: number, years: number[], leadTime: readonly [number, number]): number[] {
  if (years.length > 0) {
    return years.map((y) => Math.min(END, Math.max(announced + leadTime[0], dayNumber(`${y}-01-01`) + rng.int(15, 330))));
  }
  const n = rng.weighted([1, 2, 3, 4], (k) => [35, 30, 20, 15][k - 1]!);
  const days: number[] = [];
  let d = announced + rng.int(leadTime[0], leadTime[1]);
  for (let i = 0; i < n; i++) {
    days.push(Math.min(d, END));
    d += rng.int(30, 120);
  }
  return days;
}

function multiYears(rng: Rng, announced: number): number[] {
  const date = fromDayNumber(announced);
  let first = Number(date.slice(0, 4));
  if (Number(date.slice(5, 7)) >= 10) first++;
  first = Math.min(first, 2026);
  const length = rng.int(2, 3);
  const years: number[] = [];
  for (let y = first; y < first + length && y <= 2027; y++) years.push(y);
  return years;
}

/** Spread of pledge values around their mean (log-uniform over this range, then rescaled to mean 1). */
const VALUE_SPREAD: readonly [number, number] = [0.05, 8];
const VALUE_SPREAD_MEAN = (VALUE_SPREAD[1] - VALUE_SPREAD[0]) / Math.log(VALUE_SPREAD[1] / VALUE_SPREAD[0]);
/** Years over which pledges are announced (SCENARIO_START to SCENARIO_TODAY). */
const PLEDGE_YEARS = (TODAY - START) / 365.25;
/** Share of pledges that end up committed or later (neither announced only nor withdrawn), as pledgeStatus gives. */
const COMMITTED_SHARE = 0.9;
/** Mean value of a pledge in EUR, so that a year's committed pledges come to about YEARLY_COMMITTED_EUR at scale 1. */
const PLEDGE_MEAN_EUR = (YEARLY_COMMITTED_EUR * PLEDGE_YEARS) / (PLEDGES_PER_SCALE * COMMITTED_SHARE);

function generatePledges(
  ctx: Context,
  rng: Rng,
  firstNumber: number,
  count: number,
  requirements: DemoRequirement[],
): DemoPledge[] {
  const byGroup = new Map<string, DemoRequirement[]>();
  for (const r of requirements) {
    if (r.status !== 'validated' && r.status !== 'partly-covered' && r.status !== 'covered') continue;
    for (const g of r.accepts) {
      const list = byGroup.get(g) ?? [];
      list.push(r);
      byGroup.set(g, list);
    }
  }
  const out: DemoPledge[] = [];
  for (let i = 0; i < count; i++) {
    const id = `P-${pad(firstNumber + i, 6)}`;
    const donor = rng.weighted(ctx.donors, (d) => Math.sqrt(d.weight));
    const atMeeting = !donor.optedOut && rng.chance(0.8);
    // Later meetings see more pledges (the effort grew and multi-year commitments followed).
    const meeting = atMeeting
      ? rng.weighted(ctx.pastMeetings, (m) => (m.attendees.includes(donor.code) ? MEETING_PLEDGE_WEIGHT[m.kind] * (1 + (dayNumber(m.date) - START) / (TODAY - START)) : 0) + 1e-9)
      : null;
    const announced = meeting ? dayNumber(meeting.date) : Math.max(randomDay(rng, START, TODAY - 1), randomDay(rng, START, TODAY - 1));
    const fundingShare = !donor.lethal ? 0.3 : donor.weight < 50_000 ? 0.2 : 0.08;
    const funding = !donor.optedOut && rng.chance(fundingShare);
    const horizon: PledgeHorizon = rng.chance(0.18) && announced < dayNumber('2026-10-01') ? 'multi-year' : 'one-off';
    const years = horizon === 'multi-year' ? multiYears(rng, announced) : [];
    // Stock given in kind moves within weeks or months; procurement waits for production.
    const procurement = !funding && rng.chance(0.35);
    const days = trancheDays(rng, announced, years, procurement ? [150, 540] : [20, 240]);
    const forbids = rng.chance(0.14) ? rng.pick([['cross-border'], ['cross-border'], ['cross-border'], ['offensive'], ['cross-border', 'offensive']]) : [];
    const channel: PledgeChannel = donor.optedOut || rng.chance(0.28) ? 'bilateral' : 'coordinated';
    // What the pledge is worth: the same spread for every donor, scaled by its size factor.
    const eur = PLEDGE_MEAN_EUR * (rng.logUniform(VALUE_SPREAD[0], VALUE_SPREAD[1]) / VALUE_SPREAD_MEAN) * donor.sizeFactor;
    let pledge: DemoPledge;
    if (funding) {
      const rate = rateOn(ctx.reference.fxRates, donor.currency, fromDayNumber(announced));
      const digits = CURRENCY_DIGITS[donor.currency] ?? 2;
      const amountMajor = roundQuantity(eur * rate);
      const amountMinor = amountMajor * 10 ** digits;
      const area = rng.chance(0.6) ? rng.weighted(Object.keys(AREA_DEMAND) as CapabilityArea[], (a) => (donor.lethal || NON_LETHAL_AREAS.includes(a) ? AREA_DEMAND[a] : 0)) : null;
      const parts = split(rng, amountMajor, days.length).map((p) => p * 10 ** digits);
      pledge = {
        id, donor: donor.code, kind: 'funding', channel, itemCode: null, groupCode: null, capabilityArea: area, quantity: null,
        amountMinor, currency: donor.currency, horizon, years, forbids, designatedTo: null, meetingId: meeting?.id ?? null,
        announcedOn: fromDayNumber(announced), status: 'announced', notes: area ? `Funding for ${area}` : 'Funding, unearmarked',
        tranches: parts.map((amount, k) => ({ id: `${id}/T${k + 1}`, pledgeId: id, seq: k + 1, quantity: null, amountMinor: amount, expectedOn: fromDayNumber(days[k]!) })),
      };
    } else {
      // A group is as likely as its demand when one unit fits the pledge's value, less likely (by the square
      // of the ratio) when it does not: a small donor seldom gives a EUR 1 billion air-defence battery.
      const group = rng.weighted(ctx.groups, (g) => groupDemand(ctx, g, donor) * Math.min(1, eur / ctx.groupMinPriceEur.get(g.code)!) ** 2 + 1e-12);
      const items = ctx.itemsByGroup.get(group.code)!;
      const affordable = items.filter((it) => ctx.itemPriceEur.get(it.code)! <= eur);
      const item = affordable.length > 0 ? rng.pick(affordable) : items.reduce((a, b) => (ctx.itemPriceEur.get(b.code)! < ctx.itemPriceEur.get(a.code)! ? b : a));
      const kind: PledgeKind = group.capabilityArea === 'training' ? 'training' : procurement ? 'procurement' : 'in-kind';
      const cap = LINE_QUANTITY[group.code]?.[1] ?? Infinity;
      const quantity = roundQuantity(Math.min(cap, Math.max(1, eur / ctx.itemPriceEur.get(item.code)!)));
      const parts = split(rng, quantity, days.length);
      const value = quantity * item.refPriceMinor;
      let designatedTo: string | null = null;
      if (rng.chance(0.05)) {
        const candidates = (byGroup.get(group.code) ?? []).filter((r) => !r.uses.some((u) => forbids.includes(u)));
        if (candidates.length > 0) designatedTo = rng.pick(candidates).id;
      }
      pledge = {
        id, donor: donor.code, kind, channel, itemCode: item.code, groupCode: group.code, capabilityArea: group.capabilityArea, quantity,
        amountMinor: Number.isSafeInteger(value) ? value : null, currency: Number.isSafeInteger(value) ? item.refPriceCurrency : null,
        horizon, years, forbids, designatedTo, meetingId: meeting?.id ?? null, announcedOn: fromDayNumber(announced), status: 'announced', notes: '',
        tranches: parts.map((q, k) => ({ id: `${id}/T${k + 1}`, pledgeId: id, seq: k + 1, quantity: q, amountMinor: null, expectedOn: fromDayNumber(days[k]!) })),
      };
    }
    const expected = pledge.tranches.map((t) => dayNumber(t.expectedOn));
    pledge.status = pledgeStatus(rng, pledge.kind, announced, Math.min(...expected), Math.max(...expected));
    out.push(pledge);
  }
  return out;
}

/**
 * What moved for goods and training pledges that are delivering or delivered.
 * - Slippage (received minus promised) follows the donor's own mean delay: mostly 0–60 days late, a
 *   donor-specific share early; the tranche may move in 1–3 shipments.
 * - A delivered pledge has every tranche received by the scenario's today; a delivering one has its due
 *   tranches shipped, the latest possibly still in transit (received_on null, status shipped).
 */
function generateDeliveries(ctx: Context, rng: Rng, pledges: DemoPledge[], firstNumber: number): DemoDelivery[] {
  const out: DemoDelivery[] = [];
  const donors = new Map(ctx.donors.map((d) => [d.code, d]));
  for (const p of pledges) {
    // Funding moves no goods; in-kind, procurement and training (seats on courses) are delivered in lines.
    if (p.kind === 'funding') continue;
    if (p.status !== 'delivering' && p.status !== 'delivered') continue;
    const donor = donors.get(p.donor)!;
    const announced = dayNumber(p.announcedOn);
    for (const t of p.tranches) {
      const promised = dayNumber(t.expectedOn);
      if (p.status === 'delivering' && promised > TODAY) continue;
      const shipments = split(rng, t.quantity!, rng.weighted([1, 2, 3], (k) => [40, 35, 25][k - 1]!));
      if (p.status === 'delivering' && shipments.length > 1 && rng.chance(0.15)) shipments.pop();
      for (const quantity of shipments) {
        const slip = rng.chance(donor.earlyShare) ? -rng.int(1, 15) : Math.min(150, Math.round(rng.exponential(donor.meanDelayDays)));
        const transit = rng.chance(0.7) ? rng.int(2, 10) : rng.int(10, 25);
        let received = promised + slip;
        let shipped = Math.max(announced, received - transit);
        if (received < shipped) received = shipped;
        if (p.status === 'delivered' && received >= TODAY) {
          received = TODAY - 1;
          shipped = Math.min(shipped, received);
        }
        if (shipped > TODAY) continue;
        const inTransit = received > TODAY;
        out.push({
          id: `D-${pad(firstNumber + out.length, 7)}`,
          trancheId: t.id,
          quantity,
          promisedOn: t.expectedOn,
          shippedOn: fromDayNumber(shipped),
          receivedOn: inTransit ? null : fromDayNumber(received),
          hub: rng.pick(donor.hubs),
          status: inTransit ? 'shipped' : 'received',
          notes: '',
        });
      }
    }
  }
  return out;
}

/** Weekly stock counts (Mondays) over 2025–2026 up to the scenario's today, for the main ammunition groups. */
function generateStockReports(seed: number): DemoStockReport[] {
  const rng = new Rng(deriveSeed(seed, 'stock'));
  const out: DemoStockReport[] = [];
  const first = dayNumber('2025-01-06');
  const last = Math.min(TODAY, dayNumber('2026-12-31'));
  for (const g of STOCK_GROUPS) {
    let daysOfSupply = rng.uniform(12, 30);
    for (let d = first, week = 0; d <= last; d += 7, week++) {
      const progress = (d - first) / (last - first);
      const seasonal = 1 + 0.2 * Math.sin((2 * Math.PI * week) / 52 + 1);
      const consumption = g.perDay * (1 + g.trend * progress) * seasonal * rng.uniform(0.85, 1.15);
      daysOfSupply = Math.min(45, Math.max(5, daysOfSupply + rng.normal(0, 3)));
      const daily = consumption >= 100 ? Math.round(consumption) : Math.round(consumption * 10) / 10;
      out.push({
        id: '',
        groupCode: g.group,
        asOf: fromDayNumber(d),
        onHand: Math.round(consumption * daysOfSupply),
        dailyConsumption: daily,
        notes: `Demo scenario; ${g.note}`,
      });
    }
  }
  out.sort((a, b) => (a.asOf === b.asOf ? a.groupCode.localeCompare(b.groupCode) : a.asOf.localeCompare(b.asOf)));
  out.forEach((r, i) => (r.id = `S-${pad(i + 1, 6)}`));
  return out;
}

/** Numbers of requirements and pledges in chunk `index` of a scenario of `scale`. */
function chunkSize(scale: number, index: number): { requirements: number; pledges: number } {
  const totalReq = Math.round(REQUIREMENTS_PER_SCALE * scale);
  const totalPledges = Math.round(PLEDGES_PER_SCALE * scale);
  return {
    requirements: Math.max(0, Math.min(REQUIREMENTS_PER_SCALE, totalReq - REQUIREMENTS_PER_SCALE * index)),
    pledges: Math.max(0, Math.min(PLEDGES_PER_SCALE, totalPledges - PLEDGES_PER_SCALE * index)),
  };
}

/**
 * Plans a demo scenario without building its scaled part: meetings and stock reports now, requirements,
 * pledges and deliveries chunk by chunk. Deterministic: a chunk depends only on the seed and its index,
 * except for the running delivery numbers, which need the chunks built in order.
 */
export function planDemoScenario(options: DemoOptions, reference: ReferenceData = projectReferenceData()): DemoPlan {
  const { seed, scale } = options;
  if (!Number.isInteger(seed)) throw invalidInput('seed must be an integer', [{ path: '/seed', message: 'must be an integer' }]);
  if (!(scale > 0) || scale > 1000) throw invalidInput('scale must be above 0 and at most 1000', [{ path: '/scale', message: 'must be above 0 and at most 1000' }]);
  const ctx = buildContext(seed, reference);
  const chunkCount = Math.ceil(Math.round(REQUIREMENTS_PER_SCALE * scale) / REQUIREMENTS_PER_SCALE);
  let nextDelivery = 1;
  let nextChunk = 0;
  return {
    meetings: ctx.meetings,
    stockReports: generateStockReports(seed),
    chunkCount,
    chunk(index: number): DemoChunk {
      if (index !== nextChunk) throw invalidInput(`chunks must be built in order: expected ${nextChunk}, got ${index}`);
      nextChunk++;
      const rng = new Rng(deriveSeed(seed, 'chunk', index));
      const size = chunkSize(scale, index);
      const requirements = generateRequirements(ctx, rng, index * REQUIREMENTS_PER_SCALE + 1, size.requirements);
      const pledges = generatePledges(ctx, rng, index * PLEDGES_PER_SCALE + 1, size.pledges, requirements);
      const deliveries = generateDeliveries(ctx, rng, pledges, nextDelivery);
      nextDelivery += deliveries.length;
      return { index, requirements, pledges, deliveries };
    },
  };
}

/**
 * Generates the whole demo scenario in memory: a pure function of seed and scale (and the reference data),
 * for tests and small scales. Loading big scales goes chunk by chunk through planDemoScenario instead.
 */
export function generateDemoScenario(options: DemoOptions, reference: ReferenceData = projectReferenceData()): DemoScenario {
  const plan = planDemoScenario(options, reference);
  const scenario: DemoScenario = { meetings: plan.meetings, stockReports: plan.stockReports, requirements: [], pledges: [], deliveries: [] };
  for (let i = 0; i < plan.chunkCount; i++) {
    const chunk = plan.chunk(i);
    scenario.requirements.push(...chunk.requirements);
    scenario.pledges.push(...chunk.pledges);
    scenario.deliveries.push(...chunk.deliveries);
  }
  return scenario;
}

