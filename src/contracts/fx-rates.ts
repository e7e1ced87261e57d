import { z } from 'zod';
import { isCurrency } from '../domain/money/money.ts';
import { IsoDate, csvList } from './common.ts';

/** An ISO 4217 currency Concord knows (see src/domain/money). */
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
  .refine(isCurrency, 'is not a currency Concord knows')
  .describe('ISO 4217 currency code');

/** One dated rate: units of the currency that one EUR buys from `validFrom` on. */
export const FxRate = z.object({
  currency: z.string(),
  validFrom: z.string(),
  perEur: z.number(),
  source: z.string(),
});
export type FxRate = z.infer<typeof FxRate>;

export const FxRateList = z.object({ items: z.array(FxRate) });
export type FxRateList = z.infer<typeof FxRateList>;

export const FxRateListQuery = z.strictObject({
  currency: csvList(Currency).optional().describe('Only these currencies (comma-separated)'),
});
export type FxRateListQuery = z.infer<typeof FxRateListQuery>;

/** Path of one rate: a currency other than EUR and the date it applies from. */
export const FxRateKey = z.strictObject({
  currency: Currency.refine((c) => c !== 'EUR', 'EUR is the base currency; its rate is always 1'),
  validFrom: IsoDate,
});
export type FxRateKey = z.infer<typeof FxRateKey>;

/** The value of a rate set with PUT. */
export const FxRatePut = z.strictObject({
  /** Units of the currency one EUR buys. */
  perEur: z.number().positive('must be positive').max(1e9, 'is too large').describe('Units of the currency one EUR buys'),
  source: z.string().max(1000).default('').describe('Where the rate comes from'),
});
export type FxRatePut = z.infer<typeof FxRatePut>;

export const FxConvertQuery = z.strictObject({
  amount: z.coerce.number().refine(Number.isFinite, 'must be a finite number').describe('Amount in major units of `from`'),
  from: Currency,
  to: Currency,
  on: IsoDate.optional().describe('Date whose rates apply; today when left out'),
});
export type FxConvertQuery = z.infer<typeof FxConvertQuery>;

export const MoneyAmount = z.object({ amount: z.number().describe('Major units'), currency: z.string() });

export const FxConversion = z.object({
  from: MoneyAmount,
  to: MoneyAmount,
  on: z.string(),
  /** The rates used, units per EUR. */
  rates: z.object({ from: z.number(), to: z.number() }).describe('Units per EUR of each currency on the date'),
});
export type FxConversion = z.infer<typeof FxConversion>;
