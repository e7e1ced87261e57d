import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIsoDate } from './dates.ts';

/** The definition isIsoDate had before it read digits: a regular expression and a round trip through Date.UTC. */
function isIsoDateByDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

describe('isIsoDate', () => {
  it('accepts real calendar dates and refuses the rest', () => {
    expect(isIsoDate('2026-11-24')).toBe(true);
    // 2024 is a leap year (divisible by 4), 2100 is not (by 100, not 400), 2000 is (by 400).
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoDate('2026-12-31')).toBe(true);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-00-10')).toBe(false);
    expect(isIsoDate('2026-01-00')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
    expect(isIsoDate('2026-01-01 ')).toBe(false);
    expect(isIsoDate('2026/01/01')).toBe(false);
    expect(isIsoDate('2026-0a-01')).toBe(false);
    expect(isIsoDate('２０２６-01-01')).toBe(false);
    // Years 0000–0099 never matched (Date.UTC reads them as 1900–1999); 0100 does.
    expect(isIsoDate('0099-01-01')).toBe(false);
    expect(isIsoDate('0100-01-01')).toBe(true);
  });

  it('agrees with the round trip through Date.UTC on any text of that shape', () => {
    const digit = fc.constantFrom(...'0123456789');
    const near = fc.tuple(fc.array(digit, { minLength: 4, maxLength: 4 }), fc.array(digit, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 2, maxLength: 2 }), fc.constantFrom('-', '-', '-', '/', 'x'));
    fc.assert(
      fc.property(near, ([y, m, d, sep]) => {
        const text = `${y.join('')}${sep}${m.join('')}-${d.join('')}`;
        expect(isIsoDate(text)).toBe(isIsoDateByDate(text));
      }),
      { numRuns: 20_000 },
    );
    fc.assert(fc.property(fc.string({ maxLength: 12 }), (text) => isIsoDate(text) === isIsoDateByDate(text)));
    // Every day of the years around the edges, and the months and days just past the valid ones.
    for (const y of ['0000', '0099', '0100', '1900', '2000', '2023', '2024', '2100', '9999']) {
      for (let m = 0; m <= 13; m++) {
        for (let d = 0; d <= 32; d++) {
          const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          expect(isIsoDate(text)).toBe(isIsoDateByDate(text));
        }
      }
    }
  });
});
