import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  computeCoverage,
  coverageAsOf,
  coverageOverTime,
  type CoverageInput,
  type CoveragePledge,
  type CoverageRequirement,
} from './coverage.ts';
import { PLEDGE_STATUSES } from '../../domain/pledges/pledge.ts';
import { REQUIREMENT_STATUSES, type Priority } from '../../domain/requirements/requirement.ts';

function buildRequirement(overrides: Partial<CoverageRequirement> & { id: string }): CoverageRequirement {
  return {
    accepts: ['155mm-he'], capabilityArea: 'ammunition', quantity: 100, priority: 1, needBy: '2026-03-01',
    status: 'validated', unitValueMinor: 100, ...overrides,
  };
}

function buildPledge(overrides: Partial<CoveragePledge> & { id: string }): CoveragePledge {
  return { group: '155mm-he', quantity: 100, status: 'committed', announcedOn: '2025-12-01', designatedTo: null, ...overrides };
}

// A small world worked by hand.
const world: CoverageInput = {
  requirements: [
    buildRequirement({ id: 'R1', quantity: 1000, priority: 1, needBy: '2026-03-01' }),
    buildRequirement({ id: 'R2', quantity: 500, priority: 2, needBy: '2026-02-01' }),
    buildRequirement({ id: 'R3', accepts: ['pac-3'], capabilityArea: 'air-defence', quantity: 10, priority: 1, needBy: '2026-04-01', unitValueMinor: 10_000 }),
    buildRequirement({ id: 'R4', quantity: 999, status: 'cancelled' }),
  ],
  pledges: [
    buildPledge({ id: 'PA', quantity: 600, designatedTo: 'R2', announcedOn: '2025-12-01' }),
    buildPledge({ id: 'PB', quantity: 700, announcedOn: '2025-12-05' }),
    buildPledge({ id: 'PC', group: 'pac-3', quantity: 4, status: 'contracted', announcedOn: '2026-01-20' }),
    buildPledge({ id: 'PD', quantity: 1000, status: 'announced', announcedOn: '2025-11-01' }),
    buildPledge({ id: 'PE', quantity: 300, status: 'withdrawn', announcedOn: '2025-10-01' }),
  ],
  plan: [
    { pledge: 'PB', requirement: 'R1', quantity: 400 },
    { pledge: 'PD', requirement: 'R1', quantity: 200 },
    { pledge: 'PE', requirement: 'R1', quantity: 100 },
  ],
  deliveries: [
    { pledgeId: 'PA', quantity: 200, receivedOn: '2026-01-10' },
    { pledgeId: 'PB', quantity: 100, receivedOn: '2026-01-20' },
    { pledgeId: 'PB', quantity: 50, receivedOn: null },
    { pledgeId: 'PC', quantity: 4, receivedOn: '2026-02-15' },
  ],
};

describe('computeCoverage', () => {
  const report = computeCoverage(world);
  const row = (id: string) => report.requirements.find((r) => r.requirement === id)!;

  it('leaves cancelled requirements out and ranks by priority, then need-by date', () => {
    // R1 P1 03-01, R3 P1 04-01, R2 P2 02-01; R4 cancelled
    expect(report.requirements.map((r) => r.requirement)).toEqual(['R1', 'R3', 'R2']);
  });

  it('counts planned units from the plan, skipping withdrawn pledges', () => {
    // R1: PB 400 + PD 200 (announced, still in the plan) = 600; PE withdrawn → 0
    expect(row('R1').planned).toBe(600);
    expect(row('R1').plannedValueMinor).toBe(600 * 100);
    expect(row('R2').planned).toBe(0);
  });

  it('counts a designated pledge only against its requirement and caps it there', () => {
    // PA 600 designated to R2 (500) → 500; the 100 left over goes nowhere
    expect(row('R2').committed).toBe(500);
    expect(row('R2').gap).toBe(0);
  });

  it('counts undesignated pledges through the plan, then pools what is left by group', () => {
    // PB 700: plan gives R1 400; the 300 left pools into 155mm-he → R1 (P1) first: 400 + 300 = 700
    // PD is only announced, so it does not count as committed
    expect(row('R1').committed).toBe(700);
    expect(row('R1').gap).toBe(300); // 1000 − 700
    expect(row('R1').gapValueMinor).toBe(30_000); // 300 × 100
    // PC 4 pac-3, not planned → pool → R3
    expect(row('R3').committed).toBe(4);
    expect(row('R3').gap).toBe(6);
  });

  it('attributes received deliveries like their pledge and ignores shipments in transit', () => {
    // PA 200 → R2 (designated); PB 100 received → R1 (plan); PB 50 in transit → nothing; PC 4 → R3
    expect(row('R2').delivered).toBe(200);
    expect(row('R1').delivered).toBe(100);
    expect(row('R3').delivered).toBe(4);
    expect(row('R3').deliveredValueMinor).toBe(40_000); // 4 × 10 000
  });

  it('ranks the outstanding gaps by priority then need-by date', () => {
    expect(report.gaps.map((g) => [g.requirement, g.gap])).toEqual([['R1', 300], ['R3', 6]]);
  });

  it('sums by capability area and priority, with value-weighted shares', () => {
    const ammo = report.byCapabilityArea.find((a) => a.capabilityArea === 'ammunition')!;
    // R1 + R2: quantity 1500, committed 700 + 500 = 1200; value 150 000 required, 120 000 committed → 0.8
    expect(ammo).toMatchObject({ requirements: 2, quantity: 1500, committed: 1200, requiredValueMinor: 150_000, committedValueMinor: 120_000 });
    expect(ammo.committedShare).toBeCloseTo(0.8, 12);
    const p1 = report.byPriority.find((p) => p.priority === 1)!;
    // R1 + R3: gap 300 + 6 = 306; gap value 30 000 + 60 000 = 90 000
    expect(p1).toMatchObject({ requirements: 2, gap: 306, gapValueMinor: 90_000 });
    // total: required 150 000 + 100 000 = 250 000
    expect(report.total.requiredValueMinor).toBe(250_000);
  });
});

describe('coverageAsOf', () => {
  it('counts only pledges announced and deliveries received by the date', () => {
    const r = coverageAsOf(world, '2026-01-15');
    const row = (id: string) => r.requirements.find((x) => x.requirement === id)!;
    // PC announced 01-20: not yet; PB delivery received 01-20: not yet
    expect(row('R3').committed).toBe(0);
    expect(row('R1').delivered).toBe(0);
    expect(row('R2').delivered).toBe(200);
    expect(row('R1').committed).toBe(700);
    expect(r.asOf).toBe('2026-01-15');
  });

  it('leaves out requirements recorded after the date', () => {
    const input: CoverageInput = { ...world, requirements: [...world.requirements, buildRequirement({ id: 'R9', createdOn: '2026-02-01' })] };
    expect(coverageAsOf(input, '2026-01-31').requirements.some((r) => r.requirement === 'R9')).toBe(false);
    expect(coverageAsOf(input, '2026-02-01').requirements.some((r) => r.requirement === 'R9')).toBe(true);
  });

  it('gives a series of totals for gap-over-time charts', () => {
    const series = coverageOverTime(world, ['2025-11-30', '2026-03-01']);
    // 11-30: only PD (announced) and PE (withdrawn) exist → nothing committed
    expect(series[0]!.total.committed).toBe(0);
    expect(series[1]!.total.committed).toBe(1204); // 700 + 500 + 4
  });
});

const groups = ['g1', 'g2', 'g3'];
const dates = ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01'];
const arbWorld: fc.Arbitrary<CoverageInput> = fc
  .record({
    reqs: fc.array(
      fc.record({
        accepts: fc.subarray(groups, { minLength: 1 }),
        quantity: fc.integer({ min: 1, max: 500 }),
        priority: fc.constantFrom<Priority>(1, 2, 3, 4),
        needBy: fc.constantFrom(...dates),
        status: fc.constantFrom(...REQUIREMENT_STATUSES),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    pledges: fc.array(
      fc.record({
        group: fc.constantFrom(...groups),
        quantity: fc.integer({ min: 1, max: 400 }),
        status: fc.constantFrom(...PLEDGE_STATUSES),
        announcedOn: fc.constantFrom(...dates),
        designated: fc.option(fc.nat(9), { nil: null }),
      }),
      { maxLength: 10 },
    ),
    plan: fc.array(fc.record({ p: fc.nat(9), r: fc.nat(9), quantity: fc.integer({ min: 1, max: 300 }) }), { maxLength: 10 }),
    deliveries: fc.array(fc.record({ p: fc.nat(9), quantity: fc.integer({ min: 1, max: 300 }), receivedOn: fc.option(fc.constantFrom(...dates), { nil: null }) }), { maxLength: 10 }),
  })
  .map(({ reqs, pledges, plan, deliveries }) => ({
    requirements: reqs.map((r, i) => buildRequirement({ id: `R${i}`, ...r })),
    pledges: pledges.map((p, i) => buildPledge({ id: `P${i}`, group: p.group, quantity: p.quantity, status: p.status, announcedOn: p.announcedOn, designatedTo: p.designated === null ? null : `R${p.designated}` })),
    plan: plan.map((a) => ({ pledge: `P${a.p}`, requirement: `R${a.r}`, quantity: a.quantity })),
    deliveries: deliveries.map((d) => ({ pledgeId: `P${d.p}`, quantity: d.quantity, receivedOn: d.receivedOn })),
  }));

describe('coverage properties', () => {
  it('never covers a requirement beyond its quantity, and the gap is what is left', () => {
    fc.assert(
      fc.property(arbWorld, (input) => {
        for (const r of computeCoverage(input).requirements) {
          for (const q of [r.planned, r.committed, r.delivered, r.gap]) expect(q).toBeGreaterThanOrEqual(0);
          for (const q of [r.planned, r.committed, r.delivered]) expect(q).toBeLessThanOrEqual(r.quantity);
          expect(r.gap).toBe(r.quantity - Math.max(r.committed, r.delivered));
        }
      }),
    );
  });

  it('never counts more units than the committed pledges hold', () => {
    fc.assert(
      fc.property(arbWorld, (input) => {
        const held = input.pledges
          .filter((p) => ['committed', 'contracted', 'delivering', 'delivered'].includes(p.status))
          .reduce((s, p) => s + p.quantity, 0);
        expect(computeCoverage(input).total.committed).toBeLessThanOrEqual(held);
      }),
    );
  });

  it('never lowers a requirement\'s committed or delivered coverage as time passes', () => {
    fc.assert(
      fc.property(arbWorld, (input) => {
        let prev = new Map<string, [number, number]>();
        for (const d of dates) {
          const now = new Map(coverageAsOf(input, d).requirements.map((r) => [r.requirement, [r.committed, r.delivered] as [number, number]]));
          for (const [id, [c, dl]] of prev) {
            expect(now.get(id)![0]).toBeGreaterThanOrEqual(c);
            expect(now.get(id)![1]).toBeGreaterThanOrEqual(dl);
          }
          prev = now;
        }
      }),
    );
  });

  it('agrees with the unbounded report once the date is past every record', () => {
    fc.assert(
      fc.property(arbWorld, (input) => {
        const { asOf: _a, ...late } = coverageAsOf(input, '2099-12-31');
        const { asOf: _b, ...all } = computeCoverage(input);
        expect(late).toEqual(all);
      }),
    );
  });
});
