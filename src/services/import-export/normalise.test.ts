import { describe, expect, it } from 'vitest';
import { normaliseTerm, VOCABULARIES, type Vocabulary } from './normalise.ts';
import { escapeFormula, formatMoney, parseInteger, parseMoney, unescapeFormula } from './cells.ts';

const ok = (vocabulary: Vocabulary, raw: string) => {
  const r = normaliseTerm(vocabulary, raw);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('normaliseTerm', () => {
  it.each([
    ['priority', 'P1', '1'],
    ['priority', ' p 1 ', '1'],
    ['priority', 'Critical', '1'],
    ['priority', '4', '4'],
    ['priority', 'routine', '4'],
    ['pledgeKind', 'in kind', 'in-kind'],
    ['pledgeKind', 'IN_KIND', 'in-kind'],
    ['pledgeKind', 'In-Kind', 'in-kind'],
    ['currency', '€', 'EUR'],
    ['currency', 'eur', 'EUR'],
    ['currency', ' Euro ', 'EUR'],
    ['currency', 'usd', 'USD'],
    ['currency', '£', 'GBP'],
    ['unit', 'pcs', 'each'],
    ['unit', 'Pieces', 'each'],
    ['unit', 'rounds', 'round'],
    ['unit', 'Litres', 'litre'],
    ['capabilityArea', 'Air Defense', 'air-defence'],
    ['capabilityArea', 'Engineering & Demining', 'engineering-demining'],
    ['capabilityArea', 'electronic_warfare', 'electronic-warfare'],
    ['capabilityArea', 'C-UAS', 'counter-drone'],
    ['requirementStatus', 'Partly Covered', 'partly-covered'],
    ['requirementStatus', 'canceled', 'cancelled'],
    ['pledgeStatus', 'cancelled', 'withdrawn'],
    ['channel', 'Bilateral', 'bilateral'],
    ['horizon', 'one off', 'one-off'],
    ['horizon', 'Multi Year', 'multi-year'],
    ['deliveryStatus', 'in transit', 'shipped'],
  ] as const)('reads %s "%s" as %s', (vocabulary, raw, expected) => {
    expect(ok(vocabulary, raw)).toBe(expected);
  });

  it('maps every canonical value to itself', () => {
    for (const [name, vocab] of Object.entries(VOCABULARIES)) {
      for (const v of vocab.values) expect(ok(name as Vocabulary, v)).toBe(v);
    }
  });

  it('refuses unknown and ambiguous values, listing the accepted ones', () => {
    expect(normaliseTerm('unit', 'crates')).toEqual({ ok: false, message: 'unknown unit "crates"; accepted: each, round, system, vehicle, kit, set, pallet, seat, litre, tonne' });
    expect(normaliseTerm('currency', '$')).toMatchObject({ ok: false, message: expect.stringMatching(/^unknown currency "\$"; accepted: EUR, USD/) });
    expect(normaliseTerm('currency', 'kr').ok).toBe(false);
    expect(normaliseTerm('priority', 'P5').ok).toBe(false);
    expect(normaliseTerm('pledgeKind', 'gift').ok).toBe(false);
  });

  it('points every synonym at a canonical value', () => {
    for (const vocab of Object.values(VOCABULARIES)) {
      for (const target of Object.values(vocab.synonyms)) expect(vocab.values as readonly string[]).toContain(target);
    }
  });
});

describe('formula escaping', () => {
  it.each(['=1+2', '+cmd', '-x', '@SUM(A1)', '\tTAB', '\rCR'])('quotes %j and gives it back on import', (text) => {
    expect(escapeFormula(text)).toBe(`'${text}`);
    expect(unescapeFormula(escapeFormula(text))).toBe(text);
  });

  it('leaves numbers such as -5 and +3.5, and ordinary text, alone', () => {
    for (const text of ['-5', '+3.5', '12', 'hello', "it's", '']) expect(escapeFormula(text)).toBe(text);
  });

  it('round-trips text that already starts with a quote before a formula character', () => {
    expect(escapeFormula("'=x")).toBe("''=x");
    expect(unescapeFormula("''=x")).toBe("'=x");
    expect(unescapeFormula("'hello")).toBe("'hello");
  });
});

describe('numbers and money', () => {
  it('reads whole numbers with thousands separators and refuses the rest', () => {
    expect(parseInteger('12,000')).toEqual({ ok: true, value: 12000 });
    expect(parseInteger('12 000')).toEqual({ ok: true, value: 12000 });
    expect(parseInteger('-5')).toEqual({ ok: false, message: 'must be positive, not -5' });
    expect(parseInteger('1.5')).toEqual({ ok: false, message: 'must be a whole number, not "1.5"' });
    expect(parseInteger('12,00')).toMatchObject({ ok: false });
    expect(parseInteger('99999999999999999999')).toMatchObject({ ok: false, message: expect.stringMatching(/too large/) });
  });

  it('reads money into minor units by the currency’s digits', () => {
    expect(parseMoney('4000.5', 'EUR')).toEqual({ ok: true, value: 400050 });
    expect(parseMoney('1,500,000.00', 'EUR')).toEqual({ ok: true, value: 150_000_000 });
    expect(parseMoney('1000', 'JPY')).toEqual({ ok: true, value: 1000 });
    expect(parseMoney('10.5', 'JPY')).toEqual({ ok: false, message: 'has more decimals than JPY allows (0)' });
    expect(parseMoney('-1', 'EUR')).toMatchObject({ ok: false });
    expect(formatMoney(400050, 'EUR')).toBe('4000.50');
    expect(formatMoney(5, 'EUR')).toBe('0.05');
    expect(formatMoney(1000, 'JPY')).toBe('1000');
  });
});
