import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convert, converter, CURRENCIES, type FxRate } from './money.ts';

const rates: FxRate[] = [
  { currency: 'USD', on: '2025-01-01', perEur: 1.04 },
  { currency: 'USD', on: '2025-07-01', perEur: 1.17 },
  { currency: 'GBP', on: '2025-03-15', perEur: 0.84 },
  { currency: 'JPY', on: '2024-12-30', perEur: 163.2 },
  { currency: 'JPY', on: '2026-01-02', perEur: 171.9 },
];

describe('converter', () => {
  it('converts as convert does, the same amounts on the same dates, many times over', () => {
    const convertOn = converter(rates);
    const arbDate = fc.integer({ min: 0, max: 900 }).map((d) => new Date(Date.UTC(2024, 10, 1) + d * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.constantFrom('EUR', 'USD', 'GBP', 'JPY'), fc.constantFrom('EUR', 'USD', 'GBP', 'JPY'), arbDate, (minor, from, to, on) => {
        expect(convertOn({ minor, currency: from }, to, on)).toEqual(convert({ minor, currency: from }, to, on, rates));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a currency without a rate as convert does', () => {
    const missing = CURRENCIES.find((c) => c !== 'EUR' && !rates.some((r) => r.currency === c))!;
    expect(() => converter(rates)({ minor: 100, currency: missing }, 'EUR', '2025-05-05')).toThrow(/no FX rate/);
  });
});
