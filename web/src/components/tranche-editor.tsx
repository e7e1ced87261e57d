import type { ApiError } from '../api-client.ts';
import { fmt } from './status.tsx';

export interface TrancheDraft {
  value: string;
  expectedOn: string;
}

/** Parses a typed number, allowing thousands separators. */
export const num = (s: string) => Number(s.replace(/[\s,]/g, ''));

/**
 * Tranches edited in place: one row each (quantity, or amount for funding, and expected date), rows added and
 * removed, the total kept in view; the server's messages for `tranches/<n>/…` land on the row they name.
 */
export function TrancheEditor({ rows, onChange, funding, error, currency }: { rows: TrancheDraft[]; onChange: (rows: TrancheDraft[]) => void; funding: boolean; error: unknown; currency?: string }) {
  const unit = funding ? 'Amount' : 'Quantity';
  const total = rows.reduce((s, t) => s + (num(t.value) || 0), 0);
  const e = error as ApiError | null;
  const messageFor = (i: number) => (e && typeof e.fieldMessages === 'function' ? e.fieldMessages(`tranches/${i}`) : []);
  const update = (i: number, patch: Partial<TrancheDraft>) => onChange(rows.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <fieldset className="tranches">
      <legend>
        Tranches: {rows.length}, total {fmt(total)}
        {funding && currency ? ` ${currency}` : ''}
      </legend>
      <div className="tranche tranche-head" aria-hidden="true">
        <span>#</span>
        <span>{unit}</span>
        <span>Expected on</span>
        <span />
      </div>
      {rows.map((t, i) => {
        const messages = messageFor(i);
        return (
          <div key={i} className="tranche-wrap">
            <div className="tranche">
              <span className="muted">T{i + 1}</span>
              <input aria-label={`${unit} ${i + 1}`} inputMode="decimal" value={t.value} aria-invalid={messages.length ? true : undefined} onChange={(ev) => update(i, { value: ev.target.value })} />
              <input aria-label={`Expected on ${i + 1}`} type="date" value={t.expectedOn} aria-invalid={messages.length ? true : undefined} onChange={(ev) => update(i, { expectedOn: ev.target.value })} />
              <button type="button" className="icon" aria-label={`Remove tranche ${i + 1}`} disabled={rows.length === 1} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                −
              </button>
            </div>
            {messages.length > 0 && <span className="field-error">{messages.join('; ')}</span>}
          </div>
        );
      })}
      <div>
        <button type="button" onClick={() => onChange([...rows, { value: '', expectedOn: rows[rows.length - 1]?.expectedOn ?? '' }])}>
          Add tranche
        </button>
      </div>
      {e && typeof e.errors !== 'undefined' && e.errors.filter((x) => x.path === '/tranches').length > 0 && (
        <span className="field-error">{e.errors.filter((x) => x.path === '/tranches').map((x) => x.message).join('; ')}</span>
      )}
    </fieldset>
  );
}
