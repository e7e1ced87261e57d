import { describe, expect, it } from 'vitest';
import { CAPABILITY_AREAS } from '../../domain/catalog/catalog.ts';
import { isIsoDate, daysBetween } from '../../domain/dates.ts';
import { DELIVERY_STATUSES } from '../../domain/deliveries/delivery.ts';
import { MEETING_KINDS } from '../../domain/meetings/meeting.ts';
import { CURRENCY_DIGITS, isCurrency, rateOn } from '../../domain/money/money.ts';
import { PLEDGE_CHANNELS, PLEDGE_KINDS, PLEDGE_STATUSES } from '../../domain/pledges/pledge.ts';
import { REQUIREMENT_STATUSES } from '../../domain/requirements/requirement.ts';
import { DomainError } from '../../domain/errors.ts';
import { projectReferenceData } from '../../store/reference/reference-files.ts';
import { generateDemoScenario, planDemoScenario } from './generate-demo-scenario.ts';
import { SCENARIO_TODAY } from './scenario-profile.ts';

const scenario = generateDemoScenario({ seed: 42, scale: 1 });
const reference = projectReferenceData();
const groups = new Map(reference.groups.map((g) => [g.code, g]));
const items = new Map(reference.items.map((i) => [i.code, i]));
const gdp2024 = new Map(reference.economies.filter((e) => e.year === 2024).map((e) => [e.nation, e.gdpUsdMillion]));

describe('generateDemoScenario', () => {
  it('gives the same scenario for the same seed and a different one for another seed', () => {
    expect(generateDemoScenario({ seed: 42, scale: 1 })).toEqual(scenario);
    const other = generateDemoScenario({ seed: 7, scale: 1 });
    expect(other.requirements).not.toEqual(scenario.requirements);
    expect(other.pledges).not.toEqual(scenario.pledges);
  });

  it('has the sizes of scale 1: about 2,000 requirements, 6,000 pledges and ten thousand deliveries', () => {
    expect(scenario.requirements).toHaveLength(2000);
    expect(scenario.pledges).toHaveLength(6000);
    expect(scenario.deliveries.length).toBeGreaterThan(8000);
    expect(scenario.meetings.length).toBeGreaterThanOrEqual(15);
    expect(scenario.stockReports.length).toBeGreaterThan(500);
  });

  it('multiplies the scaled part with unique ids, and a fractional scale gives a part of it', () => {
    const double = generateDemoScenario({ seed: 42, scale: 2 });
    expect(double.requirements).toHaveLength(4000);
    expect(double.pledges).toHaveLength(12000);
    expect(new Set(double.deliveries.map((d) => d.id)).size).toBe(double.deliveries.length);
    expect(new Set(double.requirements.map((r) => r.id)).size).toBe(4000);
    expect(double.requirements.at(-1)!.id).toBe('R-004000');
    expect(double.requirements.slice(0, 2000)).toEqual(scenario.requirements);
    const small = generateDemoScenario({ seed: 42, scale: 0.1 });
    expect(small.requirements).toHaveLength(200);
    expect(small.pledges).toHaveLength(600);
  });

  it('refuses a non-integer seed and a non-positive scale', () => {
    expect(() => generateDemoScenario({ seed: 1.5, scale: 1 })).toThrow(DomainError);
    expect(() => generateDemoScenario({ seed: 1, scale: 0 })).toThrow(/scale/);
  });

  it('refuses to build chunks out of order (delivery numbers run across chunks)', () => {
    const plan = planDemoScenario({ seed: 1, scale: 2 });
    expect(() => plan.chunk(1)).toThrow(/in order/);
  });

  it('gives every pledge 1 to 4 tranches whose quantities (or amounts) add up to the pledge', () => {
    for (const p of scenario.pledges) {
      expect(p.tranches.length).toBeGreaterThanOrEqual(1);
      expect(p.tranches.length).toBeLessThanOrEqual(4);
      expect(p.tranches.map((t) => t.seq)).toEqual(p.tranches.map((_, i) => i + 1));
      expect(p.tranches.every((t) => t.id === `${p.id}/T${t.seq}` && t.expectedOn >= p.announcedOn && t.expectedOn <= '2027-12-31')).toBe(true);
      if (p.kind === 'funding') {
        expect(p.tranches.every((t) => t.quantity === null && t.amountMinor! > 0)).toBe(true);
        expect(p.tranches.reduce((s, t) => s + t.amountMinor!, 0)).toBe(p.amountMinor);
      } else {
        expect(p.tranches.every((t) => t.amountMinor === null && t.quantity! > 0)).toBe(true);
        expect(p.tranches.reduce((s, t) => s + t.quantity!, 0)).toBe(p.quantity);
      }
    }
  });

  it('designates about 5% of pledges, each to a requirement that accepts its group and uses nothing it forbids', () => {
    const byId = new Map(scenario.requirements.map((r) => [r.id, r]));
    const designated = scenario.pledges.filter((p) => p.designatedTo !== null);
    expect(designated.length / scenario.pledges.length).toBeGreaterThan(0.03);
    expect(designated.length / scenario.pledges.length).toBeLessThan(0.07);
    for (const p of designated) {
      const r = byId.get(p.designatedTo!)!;
      expect(r.accepts).toContain(p.groupCode);
      expect(r.uses.filter((u) => p.forbids.includes(u))).toEqual([]);
    }
  });

  it('keeps every record within the database rules and the domain vocabularies', () => {
    for (const r of scenario.requirements) {
      expect(r.accepts.every((g) => groups.has(g))).toBe(true);
      expect(r.itemCode === null || items.get(r.itemCode)!.group === r.accepts[0]).toBe(true);
      expect(groups.get(r.accepts[0]!)!.capabilityArea).toBe(r.capabilityArea);
      expect(Number.isSafeInteger(r.quantity) && r.quantity > 0).toBe(true);
      expect(REQUIREMENT_STATUSES).toContain(r.status);
      expect(isIsoDate(r.needBy) && r.needBy >= '2024-01-01' && r.needBy <= '2027-12-31').toBe(true);
    }
    for (const p of scenario.pledges) {
      expect(PLEDGE_KINDS).toContain(p.kind);
      expect(PLEDGE_CHANNELS).toContain(p.channel);
      expect(PLEDGE_STATUSES).toContain(p.status);
      expect(p.announcedOn <= SCENARIO_TODAY).toBe(true);
      expect(p.horizon === 'one-off' ? p.years.length === 0 : p.years.length >= 1).toBe(true);
      expect((p.amountMinor === null) === (p.currency === null)).toBe(true);
      if (p.currency) expect(isCurrency(p.currency)).toBe(true);
      if (p.kind === 'funding') expect(p.groupCode === null && p.quantity === null && p.amountMinor! > 0).toBe(true);
      else expect(groups.get(p.groupCode!)!.capabilityArea === p.capabilityArea && items.get(p.itemCode!)!.group === p.groupCode).toBe(true);
      if (p.kind === 'training') expect(p.capabilityArea).toBe('training');
    }
    for (const d of scenario.deliveries) {
      expect(DELIVERY_STATUSES).toContain(d.status);
      expect(d.shippedOn <= SCENARIO_TODAY).toBe(true);
      expect(d.receivedOn === null ? d.status === 'shipped' : d.status === 'received' && d.receivedOn >= d.shippedOn && d.receivedOn <= SCENARIO_TODAY).toBe(true);
    }
    for (const m of scenario.meetings) expect(MEETING_KINDS).toContain(m.kind);
    const stockKeys = new Set(scenario.stockReports.map((s) => `${s.groupCode} ${s.asOf}`));
    expect(stockKeys.size).toBe(scenario.stockReports.length);
  });

  it('delivers only goods and training of delivering or delivered pledges, never more than a tranche holds', () => {
    const tranches = new Map(scenario.pledges.flatMap((p) => p.tranches.map((t) => [t.id, { t, p }] as const)));
    const delivered = new Map<string, number>();
    for (const d of scenario.deliveries) {
      const { t, p } = tranches.get(d.trancheId)!;
      expect(['in-kind', 'procurement', 'training']).toContain(p.kind);
      expect(['delivering', 'delivered']).toContain(p.status);
      expect(d.promisedOn).toBe(t.expectedOn);
      delivered.set(t.id, (delivered.get(t.id) ?? 0) + d.quantity);
    }
    for (const [id, q] of delivered) expect(q).toBeLessThanOrEqual(tranches.get(id)!.t.quantity!);
    // Training included: a delivered course is a delivered pledge, so it is never listed as overdue.
    for (const p of scenario.pledges.filter((x) => x.status === 'delivered' && x.kind !== 'funding')) {
      for (const t of p.tranches) expect(delivered.get(t.id)).toBe(t.quantity);
    }
  });

  it('shows realistic slippage: mostly up to 60 days late, some early, some still in transit', () => {
    const slips = scenario.deliveries.filter((d) => d.receivedOn).map((d) => daysBetween(d.promisedOn, d.receivedOn!));
    const share = (f: (s: number) => boolean) => slips.filter(f).length / slips.length;
    expect(share((s) => s >= 0 && s <= 60)).toBeGreaterThan(0.7);
    expect(share((s) => s < 0)).toBeGreaterThan(0.03);
    expect(scenario.deliveries.some((d) => d.status === 'shipped')).toBe(true);
  });

  it('spreads requirements over every capability area, all priorities and 2024 to 2027', () => {
    for (const area of CAPABILITY_AREAS) expect(scenario.requirements.some((r) => r.capabilityArea === area), area).toBe(true);
    for (const p of [1, 2, 3, 4]) expect(scenario.requirements.some((r) => r.priority === p)).toBe(true);
    for (const y of ['2024', '2025', '2026', '2027']) expect(scenario.requirements.some((r) => r.needBy.startsWith(y)), y).toBe(true);
    const open = scenario.requirements.filter((r) => ['validated', 'partly-covered', 'covered'].includes(r.status)).length;
    expect(open / scenario.requirements.length).toBeGreaterThan(0.5);
    const alternatives = scenario.requirements.filter((r) => r.accepts.length > 1).length / scenario.requirements.length;
    expect(alternatives).toBeGreaterThan(0.2);
    expect(alternatives).toBeLessThan(0.4);
    expect(scenario.requirements.some((r) => r.accepts.join() === '155mm-he,152mm-he')).toBe(true);
  });

  it('sizes lines realistically: 155 mm in tens of thousands, Patriot batteries in single digits', () => {
    const q = (group: string) => scenario.requirements.filter((r) => r.accepts[0] === group).map((r) => r.quantity);
    expect(Math.min(...q('155mm-he'))).toBeGreaterThanOrEqual(10_000);
    expect(Math.max(...q('patriot-fire-unit'))).toBeLessThanOrEqual(2);
    const interceptors = q('patriot-interceptor');
    expect(Math.min(...interceptors)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...interceptors)).toBeLessThan(1000);
  });

  it('has bigger economies pledge more, the opted-out ally only bilaterally, and every kind and channel', () => {
    const byDonor = (c: string) => scenario.pledges.filter((p) => p.donor === c).length;
    expect(byDonor('USA')).toBeGreaterThan(byDonor('DEU'));
    expect(byDonor('DEU')).toBeGreaterThan(byDonor('EST'));
    expect(gdp2024.get('DEU')!).toBeGreaterThan(gdp2024.get('EST')!);
    const hungary = scenario.pledges.filter((p) => p.donor === 'HUN');
    expect(hungary.every((p) => p.channel === 'bilateral' && p.meetingId === null)).toBe(true);
    for (const kind of PLEDGE_KINDS) expect(scenario.pledges.some((p) => p.kind === kind), kind).toBe(true);
    expect(scenario.pledges.some((p) => p.horizon === 'multi-year')).toBe(true);
    expect(scenario.pledges.some((p) => p.forbids.includes('cross-border'))).toBe(true);
    const statuses = new Set(scenario.pledges.map((p) => p.status));
    expect([...statuses].sort()).toEqual([...PLEDGE_STATUSES].sort());
    expect(scenario.pledges.filter((p) => p.status === 'withdrawn').length / scenario.pledges.length).toBeLessThan(0.05);
  });

  it('commits plausible yearly values per nation: about EUR 40–50 billion in all, the largest donor tens of billions at most', () => {
    // A year's committed value as the burden report counts it: committed-or-later pledges, one-off ones in
    // the year announced, multi-year ones split evenly over their years; declared amount, else quantity ×
    // the item's reference price; converted to EUR at the rate of the announcement date.
    const committed = new Set(['committed', 'contracted', 'delivering', 'delivered']);
    const eur = (minor: number, currency: string, on: string) => minor / 10 ** (CURRENCY_DIGITS[currency] ?? 2) / rateOn(reference.fxRates, currency, on);
    const perYear = new Map<number, Map<string, number>>();
    for (const p of scenario.pledges.filter((x) => committed.has(x.status))) {
      const item = p.itemCode ? items.get(p.itemCode)! : null;
      const value = p.amountMinor !== null ? eur(p.amountMinor, p.currency!, p.announcedOn) : eur(item!.refPriceMinor * p.quantity!, item!.refPriceCurrency, p.announcedOn);
      const years = p.horizon === 'multi-year' ? p.years : [Number(p.announcedOn.slice(0, 4))];
      for (const y of years) {
        const m = perYear.get(y) ?? new Map<string, number>();
        m.set(p.donor, (m.get(p.donor) ?? 0) + value / years.length);
        perYear.set(y, m);
      }
    }
    const y2025 = perYear.get(2025)!;
    const total = [...y2025.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(35e9);
    expect(total).toBeLessThan(55e9);
    for (const year of [2024, 2025, 2026]) {
      const m = perYear.get(year)!;
      const sum = [...m.values()].reduce((a, b) => a + b, 0);
      expect(sum, `${year}`).toBeGreaterThan(20e9);
      expect(sum, `${year}`).toBeLessThan(60e9);
      expect(m.get('USA')!, `${year}`).toBeLessThan(30e9);
      expect(m.get('USA')!, `${year}`).toBeGreaterThan(5e9);
      expect(m.get('TUR') ?? 0, `${year}`).toBeLessThan(0.5e9);
      // No ally commits more than 1% of its GDP in a year (USD million → EUR at about 1.08 USD per EUR).
      for (const [nation, value] of m) {
        const gdp = gdp2024.get(nation);
        if (gdp) expect(value, `${nation} ${year}`).toBeLessThan((gdp * 1e6 * 0.01) / 1.08);
      }
    }
    // Germany and the United Kingdom in the billions, ahead of France and Italy.
    expect(y2025.get('DEU')!).toBeGreaterThan(2e9);
    expect(y2025.get('GBR')!).toBeGreaterThan(2e9);
    expect(y2025.get('DEU')!).toBeGreaterThan(y2025.get('FRA')!);
    expect(y2025.get('GBR')!).toBeGreaterThan(y2025.get('ITA')!);
  });

  it('values no requirement line above a few billion euros at the price coverage values it (its item, else the first item of its group by code)', () => {
    const firstByCode = new Map<string, (typeof reference.items)[number]>();
    for (const it of reference.items) if (!firstByCode.has(it.group) || it.code < firstByCode.get(it.group)!.code) firstByCode.set(it.group, it);
    for (const r of scenario.requirements) {
      const item = r.itemCode ? items.get(r.itemCode)! : firstByCode.get(r.accepts[0]!)!;
      const value = (item.refPriceMinor * r.quantity) / 10 ** (CURRENCY_DIGITS[item.refPriceCurrency] ?? 2) / rateOn(reference.fxRates, item.refPriceCurrency, '2025-01-02');
      expect(value, r.id).toBeLessThan(3e9);
    }
  });

  it('values no single pledge above a few billion euros', () => {
    for (const p of scenario.pledges.filter((x) => x.kind !== 'funding')) {
      const item = items.get(p.itemCode!)!;
      const value = (item.refPriceMinor * p.quantity!) / 10 ** (CURRENCY_DIGITS[item.refPriceCurrency] ?? 2) / rateOn(reference.fxRates, item.refPriceCurrency, p.announcedOn);
      expect(value, p.id).toBeLessThan(3e9);
    }
  });

  it('announces pledges at past meetings and leaves a next meeting after the scenario date', () => {
    const meetings = new Map(scenario.meetings.map((m) => [m.id, m]));
    for (const p of scenario.pledges.filter((x) => x.meetingId)) {
      const m = meetings.get(p.meetingId!)!;
      expect(m.date).toBe(p.announcedOn);
      expect(m.attendees).toContain(p.donor);
    }
    expect(scenario.meetings.some((m) => m.date > SCENARIO_TODAY)).toBe(true);
    expect(meetings.get('M-2025-06-HAGUE')!.kind).toBe('summit');
  });

  it('reports stock weekly for the main ammunition groups, artillery consumption near 10,000–15,000 rounds a day', () => {
    const artillery = scenario.stockReports.filter((s) => ['155mm-he', '152mm-he', '122mm-he'].includes(s.groupCode));
    const perDate = new Map<string, number>();
    for (const s of artillery) perDate.set(s.asOf, (perDate.get(s.asOf) ?? 0) + s.dailyConsumption);
    const totals = [...perDate.values()];
    const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
    expect(mean).toBeGreaterThan(9_000);
    expect(mean).toBeLessThan(15_000);
    const dates = [...perDate.keys()].sort();
    expect(daysBetween(dates[0]!, dates[1]!)).toBe(7);
    expect(scenario.stockReports.some((s) => s.groupCode === 'patriot-interceptor')).toBe(true);
  });
});
