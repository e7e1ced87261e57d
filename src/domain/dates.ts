const DAY_MS = 86_400_000;

/**
 * Whether the string is a real calendar date written `YYYY-MM-DD` (proleptic Gregorian), of a year from
 * 0100 on (Date.UTC, which this once used, reads years 0–99 as 1900–1999, so those never matched). Read
 * digit by digit: the forecast checks every tranche's date, 40,000s per report, and a regular expression
 * and a Date each cost several times the whole check.
 */
export function isIsoDate(value: string): boolean {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  const y = digitsOf(value, 0, 4);
  const m = digitsOf(value, 5, 7);
  const d = digitsOf(value, 8, 10);
  if (y < 100 || m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31);
}

/** The number value[from … to − 1] spells in ASCII digits, or −1 when any of them is not one. */
function digitsOf(value: string, from: number, to: number): number {
  let x = 0;
  for (let k = from; k < to; k++) {
    const c = value.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    x = x * 10 + c;
  }
  return x;
}

/**
 * Days since 1970-01-01 of an ISO date `YYYY-MM-DD` (proleptic Gregorian, no time zone). Computed
 * from the digits (days-from-civil), which is several times faster than Date.parse on large inputs.
 */
export function dayNumber(iso: string): number {
  // Digits read inline: a closure here would be created on every call (and named, under tsx).
  const y = (iso.charCodeAt(0) - 48) * 1000 + (iso.charCodeAt(1) - 48) * 100 + (iso.charCodeAt(2) - 48) * 10 + (iso.charCodeAt(3) - 48);
  const m = (iso.charCodeAt(5) - 48) * 10 + (iso.charCodeAt(6) - 48);
  const d = (iso.charCodeAt(8) - 48) * 10 + (iso.charCodeAt(9) - 48);
  return civilDayNumber(y, m, d);
}

/** Days since 1970-01-01 of year `y`, month `m` (1–12), day `d` (proleptic Gregorian). */
export function civilDayNumber(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The ISO date of a day number. */
export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/** The ISO date `days` after `iso`. */
export function addDays(iso: string, days: number): string {
  return fromDayNumber(dayNumber(iso) + days);
}
