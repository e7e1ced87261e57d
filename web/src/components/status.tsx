/** A status shown as text with a marker whose shape and colour follow it: colour is never the only signal. */
export function Status({ value }: { value: string }) {
  return <span className={`status status-${value}`}>{value}</span>;
}

const PRIORITY_NAMES = ['', 'critical', 'high', 'medium', 'routine'];

/** Priority written out, P1 critical … P4 routine. */
export function PriorityBadge({ value }: { value: number }) {
  return (
    <span className={`prio prio-${value}`}>
      P{value} {PRIORITY_NAMES[value]}
    </span>
  );
}

export const priorityLabel = (p: number) => `P${p} ${PRIORITY_NAMES[p] ?? ''}`.trim();

/** A whole number with thousands separators; a dash for nothing. */
export const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '—' : Math.round(n).toLocaleString('en-GB'));

/** Money in millions, one decimal under ten million. */
export function fmtMoney(n: number | null | undefined, currency = 'EUR'): string {
  if (n === null || n === undefined) return '—';
  const m = n / 1e6;
  return `${m >= 10 || m <= -10 ? Math.round(m).toLocaleString('en-GB') : m.toFixed(1)} M ${currency}`;
}

/** A share as a percentage. */
export const fmtPct = (r: number | null | undefined, digits = 0) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(digits)} %`);

export const today = () => new Date().toISOString().slice(0, 10);
