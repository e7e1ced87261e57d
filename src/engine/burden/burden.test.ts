import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  distinctYears,
  apportionLargestRemainder,
  computeBurdenSharing,
  evenPart,
  splitEvenly,
  type BurdenDelivery,
  type BurdenInput,
  type BurdenNation,
  type BurdenPledge,
} from './burden.ts';
import { DomainError } from '../../domain/errors.ts';
import type { FxRate } from '../../domain/money/money.ts';

const eur = (minor: number) => ({ minor, currency: 'EUR' });
const usd = (minor: number) => ({ minor, currency: 'USD' });
const rates: FxRate[] = [{ currency: 'USD', on: '2024-01-01', perEur: 1.25 }];

function buildNation(overrides: Partial<BurdenNation> & { code: string }): BurdenNation {
  return { name: overrides.code, kind: 'ally', participation: 'participating', gdpUsdMillion: 1000, defencePctGdp: 2, ...overrides };
}

function buildPledge(overrides: Partial<BurdenPledge> & { id: string; donor: string }): BurdenPledge {
  return {
    kind: 'in-kind', channel: 'coordinated', status: 'committed', horizon: 'one-off', years: [], announcedOn: '2025-03-01',
    quantity: null, declared: null, referenceUnitPrice: null, ...overrides,
  };
}

describe('distinctYears', () => {
  it('gives a list already ascending and distinct as it is, and sorts and dedupes any other', () => {
    const ascending = [2025, 2026, 2027];
    expect(distinctYears(ascending)).toBe(ascending);
    expect(distinctYears([2027, 2025, 2026, 2025])).toEqual([2025, 2026, 2027]);
    expect(distinctYears([2026, 2026])).toEqual([2026]);
    expect(distinctYears([2026])).toEqual([2026]);
  });
});

describe('apportionLargestRemainder', () => {
  it('gives the odd minor units to the largest remainders', () => {
    // 1 000 001 over 4 : 3 : 3 → 400 000.4, 300 000.3, 300 000.3; one unit left → the .4
    expect(apportionLargestRemainder(1_000_001, [4, 3, 3])).toEqual([400_001, 300_000, 300_000]);
    // equal remainders: the first in order wins
    expect(apportionLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(splitEvenly(10, 4)).toEqual([3, 3, 2, 2]);
    expect(apportionLargestRemainder(0, [0, 0])).toEqual([0, 0]);
  });

  it('gives one part of an even split as splitEvenly does, up to totals near 2^53', () => {
    // 10 over 4: 3, 3, 2, 2 (the first two take the odd units).
    expect([0, 1, 2, 3].map((k) => evenPart(10, 4, k))).toEqual([3, 3, 2, 2]);
    const total = fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: Number.MAX_SAFE_INTEGER - 1000, max: Number.MAX_SAFE_INTEGER }));
    fc.assert(
      fc.property(total, fc.integer({ min: 1, max: 12 }), (t, parts) => {
        expect(Array.from({ length: parts }, (_, k) => evenPart(t, parts, k))).toEqual(splitEvenly(t, parts));
      }),
      { numRuns: 2000 },
    );
    expect(() => evenPart(-1, 2, 0)).toThrow(DomainError);
  });

  it('always sums to the total, each part within one unit of its exact share', () => {
    fc.assert(
      fc.property(fc.nat(Number.MAX_SAFE_INTEGER), fc.array(fc.nat(1e12), { minLength: 1, maxLength: 40 }).filter((w) => w.some((x) => x > 0)), (total, weights) => {
        const parts = apportionLargestRemainder(total, weights);
        expect(parts.reduce((s, p) => s + BigInt(p), 0n)).toBe(BigInt(total));
        const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
        parts.forEach((p, i) => {
          const diff = BigInt(p) * sum - BigInt(total) * BigInt(weights[i]!);
          expect(diff > -sum && diff < sum).toBe(true);
        });
      }),
    );
  });
});

// A small world worked by hand: report in EUR, 1 EUR = 1.25 USD, target 100 million EUR.
const nations: BurdenNation[] = [
  buildNation({ code: 'DEU', gdpUsdMillion: 4000, defencePctGdp: 2.12 }),
  buildNation({ code: 'FRA', gdpUsdMillion: 3000, defencePctGdp: 2.06 }),
  buildNation({ code: 'POL', gdpUsdMillion: 3000, defencePctGdp: 4.12 }),
  buildNation({ code: 'HUN', gdpUsdMillion: 2000, participation: 'opted-out', defencePctGdp: 1.9 }),
  buildNation({ code: 'AUS', kind: 'partner', gdpUsdMillion: 5000, defencePctGdp: null }),
  buildNation({ code: 'UKR', kind: 'recipient', gdpUsdMillion: 180 }),
];
const pledges: BurdenPledge[] = [
  buildPledge({ id: 'DEU-1', donor: 'DEU', kind: 'funding', declared: eur(3_200_000_000) }),
  buildPledge({ id: 'DEU-2', donor: 'DEU', channel: 'bilateral', status: 'delivering', announcedOn: '2025-06-01', quantity: 10_000, referenceUnitPrice: usd(100_000) }),
  buildPledge({ id: 'DEU-3', donor: 'DEU', announcedOn: '2024-12-15', declared: eur(500_000_000) }),
  buildPledge({ id: 'DEU-4', donor: 'DEU', kind: 'training' }),
  buildPledge({ id: 'FRA-1', donor: 'FRA', horizon: 'multi-year', years: [2027, 2025, 2026], announcedOn: '2024-11-15', quantity: 900, declared: eur(9_000_000_001) }),
  buildPledge({ id: 'POL-1', donor: 'POL', status: 'announced', declared: eur(5_000_000_000) }),
  buildPledge({ id: 'POL-2', donor: 'POL', status: 'withdrawn', declared: eur(1_000_000_000) }),
  buildPledge({ id: 'HUN-1', donor: 'HUN', channel: 'bilateral', announcedOn: '2025-02-01', declared: eur(100_000_000) }),
  buildPledge({ id: 'AUS-1', donor: 'AUS', announcedOn: '2025-04-01', quantity: 10_000, referenceUnitPrice: eur(10_000) }),
  buildPledge({ id: 'GBR-1', donor: 'GBR', declared: eur(100) }),
];
const deliveries: BurdenDelivery[] = [
  { pledgeId: 'DEU-2', receivedOn: '2025-09-01', quantity: 5000 },
  { pledgeId: 'FRA-1', receivedOn: '2025-05-01', quantity: 300 },
  { pledgeId: 'DEU-1', receivedOn: '2024-12-31', quantity: null, amount: eur(100_000_000) },
  { pledgeId: 'POL-2', receivedOn: '2025-03-03', quantity: null, amount: eur(200_000_000) },
];
const world: BurdenInput = { year: 2025, currency: 'EUR', target: eur(10_000_000_000), nations, pledges, deliveries, fxRates: rates };

describe('computeBurdenSharing', () => {
  const report = computeBurdenSharing(world);
  const row = (code: string) => report.rows.find((r) => r.nation === code)!;

  it('splits the target by GDP among participating allies only', () => {
    // key GDP 4000 + 3000 + 3000 = 10 000: DEU 40% of 100 M = 40 M; FRA and POL 30 M each
    expect(row('DEU')).toMatchObject({ section: 'key', participating: true, gdpShare: 0.4, fairShare: eur(4_000_000_000) });
    expect(row('FRA').fairShare).toEqual(eur(3_000_000_000));
    expect(row('POL').fairShare).toEqual(eur(3_000_000_000));
    expect(report.totals.fairShare).toEqual(report.target);
    // HUN opted out and AUS a partner: shown, outside the key; UKR the recipient: not in the table
    expect(row('HUN')).toMatchObject({ section: 'opted-out', participating: false, gdpShare: null, fairShare: null, ratioToFairShare: null });
    expect(row('AUS')).toMatchObject({ section: 'partner', participating: false, fairShare: null });
    expect(report.rows.some((r) => r.nation === 'UKR')).toBe(false);
  });

  it('values commitments by declared value, else reference price × quantity, and says which', () => {
    // DEU-1 declared 32 M EUR; DEU-2 reference 1 000 USD × 10 000 = 10 M USD / 1.25 = 8 M EUR; DEU-3 is 2024's
    const deu = row('DEU');
    expect(deu.committed).toEqual(eur(4_000_000_000));
    expect(deu.byBasis.committed).toEqual({ declared: eur(3_200_000_000), reference: eur(800_000_000) });
    expect(deu.basis).toEqual({ committed: 'mixed', delivered: 'reference', multiYear: 'none' });
    expect([deu.committedCoordinated, deu.committedBilateral]).toEqual([eur(3_200_000_000), eur(800_000_000)]);
    // GDP 4 000 M USD / 1.25 = 3 200 M EUR; 40 M / 3 200 M = 1.25%; 40 M of a 40 M fair share = 1
    expect(deu.gdp).toEqual(eur(320_000_000_000));
    expect(deu.committedPctGdp).toBeCloseTo(1.25, 12);
    expect(deu.ratioToFairShare).toBe(1);
  });

  it('splits a multi-year commitment evenly over its years', () => {
    // FRA-1 90 000 000.01 EUR over 2025–2027 → 30 000 000.01, 30 000 000.00, 30 000 000.00
    const fra = row('FRA');
    expect(fra.committed).toEqual(eur(3_000_000_001));
    expect(fra.multiYear).toEqual(eur(3_000_000_001));
    expect(fra.multiYearTotal).toEqual(eur(9_000_000_001));
    expect(fra.basis.multiYear).toBe('declared');
    expect(fra.ratioToFairShare).toBeCloseTo(3_000_000_001 / 3_000_000_000, 15);
    const later = computeBurdenSharing({ ...world, year: 2026 }).rows.find((r) => r.nation === 'FRA')!;
    expect(later.committed).toEqual(eur(3_000_000_000));
  });

  it('counts deliveries received in the year, pro rata to the declared value when there is one', () => {
    // DEU-2: 5 000 × 1 000 USD = 5 M USD / 1.25 = 4 M EUR (reference)
    expect(row('DEU').delivered).toEqual(eur(400_000_000));
    // FRA-1: 9 000 000 001 × 300 / 900 = 3 000 000 000.33 → 3 000 000 000 (declared)
    expect(row('FRA').delivered).toEqual(eur(3_000_000_000));
    expect(row('FRA').basis.delivered).toBe('declared');
    // POL-2 was withdrawn afterwards, but its 2 M EUR arrived
    expect(row('POL').delivered).toEqual(eur(200_000_000));
    // announced or withdrawn pledges are not commitments
    expect(row('POL').committed).toEqual(eur(0));
  });

  it('ranks every nation with GDP by its committed share of GDP', () => {
    // FRA 30 000 000.01 / 2 400 M = 1.2500000004%; DEU 1.25%; HUN 1 M / 1 600 M = 0.0625%; AUS 1 M / 4 000 M = 0.025%; POL 0
    expect(report.rows.map((r) => [r.nation, r.rank])).toEqual([['FRA', 1], ['DEU', 2], ['POL', 5], ['HUN', 3], ['AUS', 4]]);
    const byDelivery = computeBurdenSharing({ ...world, rankBy: 'deliveredPctGdp' });
    // delivered: FRA 30 M / 2 400 M = 1.25%, DEU 4 M / 3 200 M = 0.125%, POL 2 M / 2 400 M = 0.083%; HUN and AUS 0, tie broken by committed
    expect(byDelivery.rows.map((r) => [r.nation, r.rank])).toEqual([['FRA', 1], ['DEU', 2], ['POL', 3], ['HUN', 4], ['AUS', 5]]);
  });

  it('gives equal nations the same rank', () => {
    const twins = computeBurdenSharing({
      ...world,
      nations: [buildNation({ code: 'AAA' }), buildNation({ code: 'BBB' }), buildNation({ code: 'CCC', gdpUsdMillion: null, kind: 'partner' })],
      pledges: [],
      deliveries: [],
    });
    expect(twins.rows.map((r) => [r.nation, r.rank])).toEqual([['AAA', 1], ['BBB', 1], ['CCC', null]]);
  });

  it('checks defence spending against the 2% guideline', () => {
    expect(row('POL').meetsDefenceGuideline).toBe(true);
    expect(row('HUN').meetsDefenceGuideline).toBe(false);
    expect(row('AUS').meetsDefenceGuideline).toBeNull();
  });

  it('lists what it could not value and donors missing from the nation list', () => {
    expect(report.unvalued).toEqual([{ pledgeId: 'DEU-4', donor: 'DEU', figure: 'committed' }]);
    expect(report.unlistedDonors).toEqual(['GBR']);
  });

  it('defaults the target to 40 billion in the report currency', () => {
    const { target: _t, ...rest } = world;
    const r = computeBurdenSharing(rest);
    expect(r.target).toEqual(eur(4_000_000_000_000));
    // DEU 40% of 40 bn = 16 bn
    expect(r.rows.find((x) => x.nation === 'DEU')!.fairShare).toEqual(eur(1_600_000_000_000));
  });

  it('refuses a negative target, an unknown currency and an ally without GDP, listing each', () => {
    try {
      computeBurdenSharing({ ...world, currency: 'XXX', target: { minor: -1, currency: 'XXX' }, nations: [...nations, buildNation({ code: 'ITA', gdpUsdMillion: null })] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).issues.map((i) => i.path)).toEqual(['/currency', '/target', '/nations/6/gdpUsdMillion']);
    }
  });
});

const codes = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'];
const arbBurden: fc.Arbitrary<BurdenInput> = fc
  .record({
    nations: fc.array(
      fc.record({ gdp: fc.integer({ min: 1, max: 30_000_000 }), kind: fc.constantFrom<'ally' | 'partner'>('ally', 'ally', 'partner'), optedOut: fc.boolean() }),
      { minLength: 1, maxLength: 6 },
    ),
    pledges: fc.array(
      fc.record({
        donor: fc.nat(5),
        declared: fc.option(fc.nat(1e12), { nil: null }),
        refPrice: fc.nat(1e6),
        quantity: fc.integer({ min: 1, max: 10_000 }),
        currency: fc.constantFrom('EUR', 'USD'),
        multi: fc.boolean(),
        channel: fc.constantFrom<'coordinated' | 'bilateral'>('coordinated', 'bilateral'),
      }),
      { maxLength: 10 },
    ),
    deliveries: fc.array(fc.record({ pledge: fc.nat(9), quantity: fc.integer({ min: 1, max: 5000 }) }), { maxLength: 12 }),
    target: fc.nat(1e15),
  })
  .map(({ nations: ns, pledges: ps, deliveries: ds, target }) => {
    const nationList = ns.map((n, i) => buildNation({ code: codes[i]!, gdpUsdMillion: n.gdp, kind: i === 0 ? 'ally' : n.kind, participation: n.optedOut && i > 0 ? 'opted-out' : 'participating' }));
    const pledgeList = ps.map((p, i) =>
      buildPledge({
        id: `P${i}`, donor: codes[p.donor % ns.length]!, channel: p.channel, quantity: p.quantity,
        declared: p.declared === null ? null : { minor: p.declared, currency: p.currency },
        referenceUnitPrice: { minor: p.refPrice, currency: p.currency },
        horizon: p.multi ? 'multi-year' : 'one-off', years: p.multi ? [2025, 2026, 2027] : [],
      }),
    );
    const deliveryList = ds.filter((d) => d.pledge < ps.length).map((d) => ({ pledgeId: `P${d.pledge}`, receivedOn: '2025-07-01', quantity: d.quantity }));
    return { year: 2025, currency: 'EUR', target: eur(target), nations: nationList, pledges: pledgeList, deliveries: deliveryList, fxRates: rates };
  });

describe('burden-sharing properties', () => {
  it('makes fair shares add up to the target exactly', () => {
    fc.assert(
      fc.property(arbBurden, (input) => {
        const r = computeBurdenSharing(input);
        const sum = r.rows.reduce((s, x) => s + (x.fairShare?.minor ?? 0), 0);
        expect(sum).toBe(input.target!.minor);
        expect(r.rows.filter((x) => x.section !== 'key').every((x) => x.fairShare === null)).toBe(true);
      }),
    );
  });

  it('never drops a nation in rank when it doubles its deliveries', () => {
    fc.assert(
      fc.property(arbBurden, fc.nat(5), fc.constantFrom<'committedPctGdp' | 'deliveredPctGdp'>('committedPctGdp', 'deliveredPctGdp'), (input, who, rankBy) => {
        const code = codes[who % input.nations.length]!;
        const mine = new Set(input.pledges.filter((p) => p.donor === code).map((p) => p.id));
        const doubled = { ...input, rankBy, deliveries: input.deliveries.map((d) => (mine.has(d.pledgeId) ? { ...d, quantity: d.quantity! * 2 } : d)) };
        const before = computeBurdenSharing({ ...input, rankBy }).rows.find((r) => r.nation === code)!;
        const after = computeBurdenSharing(doubled).rows.find((r) => r.nation === code)!;
        expect(after.delivered.minor).toBeGreaterThanOrEqual(before.delivered.minor);
        expect(after.rank!).toBeLessThanOrEqual(before.rank!);
      }),
    );
  });

  it('leaves the key untouched whatever the GDP of opted-out allies and partners', () => {
    fc.assert(
      fc.property(arbBurden, fc.integer({ min: 1, max: 30_000_000 }), (input, gdp) => {
        const changed = { ...input, nations: input.nations.map((n) => (n.kind === 'partner' || n.participation === 'opted-out' ? { ...n, gdpUsdMillion: gdp } : n)) };
        const shares = (i: BurdenInput) => computeBurdenSharing(i).rows.filter((r) => r.section === 'key').map((r) => [r.nation, r.fairShare]);
        expect(shares(changed)).toEqual(shares(input));
      }),
    );
  });

  it('keeps the channel split and the basis split equal to the whole', () => {
    fc.assert(
      fc.property(arbBurden, (input) => {
        for (const r of computeBurdenSharing(input).rows) {
          expect(r.committedCoordinated.minor + r.committedBilateral.minor).toBe(r.committed.minor);
          expect(r.deliveredCoordinated.minor + r.deliveredBilateral.minor).toBe(r.delivered.minor);
          expect(r.byBasis.committed.declared.minor + r.byBasis.committed.reference.minor).toBe(r.committed.minor);
          expect(r.multiYear.minor).toBeLessThanOrEqual(r.multiYearTotal.minor);
        }
      }),
    );
  });
});
