import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { forecastStock, type ForecastInput } from '../../engine/forecast/index.ts';
import { addDays } from '../../domain/dates.ts';
import { DomainError } from '../../domain/errors.ts';
import { forecastOffThread } from './forecast-thread.ts';

const DONORS = ['DEU', 'FRA', 'USA', 'POL'];

const arbInput = fc.record({
  horizonDays: fc.integer({ min: 1, max: 90 }),
  runs: fc.integer({ min: 0, max: 60 }),
  seed: fc.nat(),
  groups: fc.array(fc.record({ onHand: fc.nat(800), dailyConsumption: fc.double({ min: 0, max: 60, noNaN: true }) }), { minLength: 1, maxLength: 4 }),
  tranches: fc.array(fc.record({ g: fc.nat(4), donor: fc.constantFrom(...DONORS), offset: fc.integer({ min: -40, max: 120 }), quantity: fc.nat(500) }), { maxLength: 40 }),
  // POL has no history of its own: it draws from the pooled one (when there is any).
  history: fc.record({ DEU: fc.array(fc.integer({ min: -10, max: 90 }), { maxLength: 30 }), FRA: fc.array(fc.integer({ min: -10, max: 90 }), { maxLength: 30 }), USA: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }) }),
  whatIf: fc.constantFrom([], [{ donor: 'DEU', shiftDays: 30 }], [{ donor: 'FRA', remove: true as const }], [{ donor: 'USA', group: 'G1', shiftDays: -15 }]),
});

function toInput(s: typeof arbInput extends fc.Arbitrary<infer T> ? T : never): ForecastInput {
  return {
    start: '2026-11-24',
    horizonDays: s.horizonDays,
    runs: s.runs,
    seed: s.seed,
    groups: s.groups.map((g, i) => ({ group: `G${i}`, ...g })),
    // A tranche may name a group without a forecast (G4 when there are fewer groups).
    tranches: s.tranches.map((t, i) => ({ id: `T${i}`, group: `G${t.g}`, donor: t.donor, expectedOn: addDays('2026-11-24', t.offset), quantity: t.quantity })),
    slippageHistory: s.history,
    whatIf: s.whatIf,
  };
}

describe('forecastOffThread', () => {
  it('gives the report forecastStock gives, with the Monte Carlo runs on a worker thread', async () => {
    await fc.assert(
      fc.asyncProperty(arbInput, async (s) => {
        const input = toInput(s);
        expect(await forecastOffThread(input)).toEqual(forecastStock(input));
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same report with the runs split over two workers', async () => {
    await fc.assert(
      fc.asyncProperty(arbInput, async (s) => {
        const input = toInput(s);
        expect(await forecastOffThread(input, 2)).toEqual(forecastStock(input));
      }),
      { numRuns: 60 },
    );
  });

  it('runs several forecasts at once, each answered with its own result', async () => {
    const inputs = Array.from({ length: 6 }, (_, k): ForecastInput => ({
      start: '2026-11-24',
      horizonDays: 120,
      runs: 300,
      seed: k + 1,
      groups: [{ group: 'A', onHand: 400 * k, dailyConsumption: 35 }],
      tranches: Array.from({ length: 200 }, (_, i) => ({ id: `T${i}`, group: 'A', donor: DONORS[i % 4]!, expectedOn: addDays('2026-11-24', (i * 7) % 150 - 20), quantity: 20 + (i % 13) })),
      slippageHistory: { DEU: [0, 2, 5, 30, 31, 32, 90], FRA: [-3, 0, 0, 1, 14], USA: [7] },
    }));
    const offThread = await Promise.all(inputs.map((input, k) => forecastOffThread(input, k % 2 === 0 ? 1 : 2)));
    expect(offThread).toEqual(inputs.map((input) => forecastStock(input)));
  });

  it('refuses bad input as forecastStock does, before any thread work', async () => {
    const bad: ForecastInput = { start: '2026-13-01', horizonDays: 0, groups: [{ group: 'A', onHand: -1, dailyConsumption: 1 }], tranches: [], slippageHistory: {} };
    expect(() => forecastStock(bad)).toThrow(DomainError);
    await expect(forecastOffThread(bad)).rejects.toThrow(DomainError);
    await expect(forecastOffThread(bad)).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
