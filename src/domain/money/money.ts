import { invalidInput } from '../errors.ts';

/** Currencies Concord values money in, with the number of minor-unit digits of each (ISO 4217). */
export const CURRENCY_DIGITS: Readonly<Record<string, number>> = {
  EUR: 2, USD: 2, GBP: 2, CAD: 2, AUD: 2, NZD: 2, CHF: 2, SEK: 2, NOK: 2, DKK: 2, ISK: 0, PLN: 2,
  CZK: 2, HUF: 2, RON: 2, BGN: 2, TRY: 2, JPY: 0, KRW: 0, UAH: 2,
};
export const CURRENCIES = Object.keys(CURRENCY_DIGITS);

/** An amount of money as an integer count of minor units (cents) of one currency. */
export interface Money {
  minor: number;
  currency: string;
}

/** Units of `currency` that one EUR bought on `on` (the ECB's reference-rate convention). */
export interface FxRate {
  currency: string;
  /** ISO date the rate applies from. */
  on: string;
  perEur: number;
}

/** Whether the currency code is one Concord knows. */
export function isCurrency(code: string): boolean {
  return Object.hasOwn(CURRENCY_DIGITS, code);
}

/** Builds money from a decimal amount in major units, rounding half away from zero to minor units. */
export function moneyFromMajor(amount: number, currency: string): Money {
  const digits = CURRENCY_DIGITS[currency];
  if (digits === undefined) throw invalidInput(`unknown currency ${currency}`, [{ path: '/currency', message: `unknown currency ${currency}` }]);
  const scaled = amount * 10 ** digits;
  const minor = Math.sign(scaled) * Math.round(Math.abs(scaled));
  if (!Number.isSafeInteger(minor)) throw invalidInput(`amount ${amount} ${currency} is too large`, [{ path: '/amount', message: 'too large' }]);
  return { minor, currency };
}

/** The amount in major units (for display and reports). */
export function toMajor(money: Money): number {
  const digits = CURRENCY_DIGITS[money.currency] ?? 2;
  return money.minor / 10 ** digits;
}

/**
 * Picks the rate for `currency` in force on `on`: the latest rate dated on or before it, else the
 * earliest one after it (so early dates still convert). EUR is always 1.
 */
export function rateOn(rates: readonly FxRate[], currency: string, on: string): number {
  if (currency === 'EUR') return 1;
  let before: FxRate | undefined;
  let after: FxRate | undefined;
  for (const r of rates) {
    if (r.currency !== currency) continue;
    if (r.on <= on) {
      if (!before || r.on > before.on) before = r;
    } else if (!after || r.on < after.on) after = r;
  }
  const chosen = before ?? after;
  if (!chosen) throw invalidInput(`no FX rate for ${currency}`, [{ path: '/currency', message: `no FX rate for ${currency}` }]);
  return chosen.perEur;
}

/** Converts money to another currency through EUR at the rates in force on `on`, rounding to minor units. */
export function convert(money: Money, to: string, on: string, rates: readonly FxRate[]): Money {
  return convertAt(money, to, on, (currency, date) => rateOn(rates, currency, date));
}

/**
 * `convert` over one set of rates, for many amounts: each currency's rate on a date is looked up once
 * (`rateOn` reads every rate), then remembered. The same results as `convert`.
 */
export function converter(rates: readonly FxRate[]): (money: Money, to: string, on: string) => Money {
  const known = new Map<string, Map<string, number>>();
  const rate = (currency: string, on: string): number => {
    let byDate = known.get(currency);
    if (!byDate) known.set(currency, (byDate = new Map()));
    let r = byDate.get(on);
    if (r === undefined) byDate.set(on, (r = rateOn(rates, currency, on)));
    return r;
  };
  return (money, to, on) => convertAt(money, to, on, rate);
}

function convertAt(money: Money, to: string, on: string, rate: (currency: string, on: string) => number): Money {
  if (money.currency === to) return money;
  const eur = toMajor(money) / rate(money.currency, on);
  return moneyFromMajor(eur * rate(to, on), to);
}
