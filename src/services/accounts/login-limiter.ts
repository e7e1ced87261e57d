/**
 * Counts failed sign-ins in a sliding minute, per (username, address) and per address. The limits refuse
 * an attempt before its password is checked, so guessing costs the attacker the window and the server no
 * hashing; a correct password from another address is still accepted, so no one can lock a user out.
 */
export interface LoginLimits {
  perAccountAddress: number;
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccountAddress: 10, perAddress: 50, windowMs: 60_000 };

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether an attempt for this username from this address may be checked at all. */
  allows(username: string, address: string): boolean {
    return this.recent(pairKey(username, address)) < this.limits.perAccountAddress && this.recent(addressKey(address)) < this.limits.perAddress;
  }

  recordFailure(username: string, address: string): void {
    for (const key of [pairKey(username, address), addressKey(address)]) {
      const list = this.failures.get(key) ?? [];
      list.push(this.now());
      this.failures.set(key, list);
    }
    if (this.failures.size > 100_000) this.sweep();
  }

  recordSuccess(username: string, address: string): void {
    this.failures.delete(pairKey(username, address));
  }

  private recent(key: string): number {
    const list = this.failures.get(key);
    if (!list) return 0;
    const since = this.now() - this.limits.windowMs;
    while (list.length > 0 && list[0]! <= since) list.shift();
    if (list.length === 0) this.failures.delete(key);
    return list.length;
  }

  private sweep(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}

const pairKey = (username: string, address: string) => `u:${username.toLowerCase()}\u0000${address}`;
const addressKey = (address: string) => `a:${address}`;
