import { DomainError } from '../../domain/errors.ts';
import { moneyFromMajor, rateOn, type FxRate, type Money } from '../../domain/money/money.ts';

/** Runs `work`, relabelling the field paths of its invalid-input issues with `path`. */
export function atPath<T>(path: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'invalid_input') {
      throw new DomainError('invalid_input', error.message, error.issues.map((i) => ({ ...i, path })));
    }
    throw error;
  }
}

/** Money from a wire amount in major units, an error naming `path` when it does not fit. */
export function moneyAt(amount: number, currency: string, path: string): Money {
  return atPath(path, () => moneyFromMajor(amount, currency));
}

/** The rate of `currency` on `on`, an error naming `path` when there is none. */
export function rateAt(rates: readonly FxRate[], currency: string, on: string, path: string): number {
  return atPath(path, () => rateOn(rates, currency, on));
}
