import { convert, toMajor, type FxRate as DomainFxRate } from '../../domain/money/money.ts';
import type { FxConversion, FxConvertQuery, FxRate, FxRateList, FxRateListQuery, FxRatePut } from '../../contracts/fx-rates.ts';
import { findFxRate, listFxRateRows, upsertFxRate, type FxRateRow } from '../../store/fx-rate.repository.ts';
import type { Actor, ServiceDeps } from '../context.ts';
import { runUseCase } from '../use-case.ts';
import { recordChange } from '../audit.ts';
import { atPath, moneyAt, rateAt } from './money-input.ts';

/** Shapes a stored rate. */
export function presentFxRate(row: FxRateRow): FxRate {
  return { currency: row.currency.trim(), validFrom: row.validFrom, perEur: row.perEur, source: row.source };
}

/** Today's date in UTC, `YYYY-MM-DD`. */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Lists the dated FX rates, by currency and date. */
export async function listFxRates(deps: ServiceDeps, actor: Actor, query: FxRateListQuery): Promise<FxRateList> {
  return runUseCase(deps, actor, { entity: 'fx-rate', verb: 'read' }, async (tx) => {
    const rows = await listFxRateRows(tx, query.currency);
    return { items: rows.map(presentFxRate) };
  });
}

/** Sets the rate of a currency from a date (insert or replace), so valuations can use it. */
export async function putFxRate(
  deps: ServiceDeps,
  actor: Actor,
  currency: string,
  validFrom: string,
  input: FxRatePut,
): Promise<{ rate: FxRate; created: boolean }> {
  return runUseCase(deps, actor, { entity: 'fx-rate', verb: 'update' }, async (tx) => {
    const existing = await findFxRate(tx, currency, validFrom, true);
    const rate = presentFxRate(await upsertFxRate(tx, { currency, validFrom, perEur: input.perEur, source: input.source }));
    await recordChange(tx, actor, {
      entity: 'fx-rate',
      recordId: `${currency}/${validFrom}`,
      action: existing ? 'update' : 'create',
      before: existing ? presentFxRate(existing) : null,
      after: rate,
    });
    return { rate, created: !existing };
  });
}

/** Converts an amount between currencies through EUR at the rates in force on a date. */
export async function convertAmount(deps: ServiceDeps, actor: Actor, query: FxConvertQuery): Promise<FxConversion> {
  return runUseCase(deps, actor, { entity: 'fx-rate', verb: 'read' }, async (tx) => {
    const on = query.on ?? todayIso();
    const money = moneyAt(query.amount, query.from, '/querystring/amount');
    const rates: DomainFxRate[] = (await listFxRateRows(tx, [query.from, query.to])).map((r) => ({ currency: r.currency.trim(), on: r.validFrom, perEur: r.perEur }));
    const fromRate = rateAt(rates, query.from, on, '/querystring/from');
    const toRate = rateAt(rates, query.to, on, '/querystring/to');
    const result = atPath('/querystring/amount', () => convert(money, query.to, on, rates));
    return {
      from: { amount: toMajor(money), currency: query.from },
      to: { amount: toMajor(result), currency: query.to },
      on,
      rates: { from: fromRate, to: toRate },
    };
  });
}
