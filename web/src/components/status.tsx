/** A status shown as text with a coloured marker: the colour is never the only signal. */
export function Status({ value }: { value: string }) {
  return <span className={`status status-${value}`}>{value}</span>;
}

/** Priority written out, P1 critical … P4 routine. */
export function PriorityBadge({ value }: { value: number }) {
  const names = ['', 'critical', 'high', 'medium', 'routine'];
  return <span className={`prio prio-${value}`}>P{value} {names[value]}</span>;
}

export const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('en-GB'));
