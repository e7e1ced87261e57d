import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query, type Page } from '../api-client.ts';
import { FormError } from './form-error.tsx';

const PAGE = 250;

/**
 * A server-paged list: filters and sort go to the server, pages follow `nextCursor`, and the next page is
 * fetched as the user scrolls near the end of what is loaded.
 */
export function usePagedList<T>(resource: string, params: Record<string, string | number | undefined>) {
  const list = useInfiniteQuery({
    queryKey: [resource, params],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api<Page<T>>(`/${resource}${query({ ...params, limit: PAGE, cursor: pageParam })}`),
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: (previous) => previous,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const more = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  return { list, rows, more };
}

/** How many rows are loaded, and a button for the next page while there is one. */
export function LoadMore({ list, shown }: { list: ReturnType<typeof usePagedList>['list']; shown: number }) {
  return (
    <div className="table-foot" aria-live="polite">
      <span>
        {list.isPending ? (
          'Loading…'
        ) : (
          <>
            {shown.toLocaleString('en-GB')} rows loaded{list.hasNextPage ? '; more on scroll' : ' (all)'}
            {list.isFetching && !list.isFetchingNextPage ? ' · updating…' : ''}
          </>
        )}
      </span>
      {list.hasNextPage && (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : `Load ${PAGE} more`}
        </button>
      )}
    </div>
  );
}

/** Moves a record along its lifecycle (with its version as If-Match) and refreshes what shows it. */
export function useLifecycle(resource: string, id: string, version: number | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (to: string) => api(`/${resource}/${encodeURIComponent(id)}/transitions`, { method: 'POST', body: { to }, version }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: [resource] });
      void client.invalidateQueries({ queryKey: [`${resource}:one`, id] });
      void client.invalidateQueries({ queryKey: ['history'] });
    },
  });
}

const DANGER = new Set(['cancelled', 'withdrawn']);

/** Buttons for exactly the moves the server allows next; cancelling or withdrawing asks first. */
export function LifecycleButtons({ allowed, move, disabled }: { allowed: string[]; move: ReturnType<typeof useLifecycle>; disabled?: boolean }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  if (allowed.length === 0) return <p className="muted">No further lifecycle moves.</p>;
  return (
    <>
      <div className="actions" role="group" aria-label="Lifecycle">
        {allowed.map((to) => (
          <button
            type="button"
            key={to}
            className={DANGER.has(to) ? 'danger' : ''}
            onClick={() => (DANGER.has(to) ? setConfirming(to) : move.mutate(to))}
            disabled={disabled || move.isPending}
          >
            Move to {to}
          </button>
        ))}
      </div>
      {confirming && (
        <div className="confirm" role="alertdialog" aria-label={`Confirm ${confirming}`}>
          <p>Mark this record {confirming}? This cannot be undone.</p>
          <button
            type="button"
            className="danger"
            autoFocus
            onClick={() => {
              move.mutate(confirming);
              setConfirming(null);
            }}
          >
            Yes, {confirming}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(null)}>
            Keep it
          </button>
        </div>
      )}
      <FormError error={move.error} />
    </>
  );
}

/** A side panel with a title and a close button; Escape closes it. */
export function Panel({ title, label, onClose, children, wide }: { title: ReactNode; label: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
  }, [label]);
  return (
    <aside
      ref={ref}
      className={wide ? 'panel wide' : 'panel'}
      aria-label={label}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header>
        <h2 tabIndex={-1}>{title}</h2>
        <button type="button" className="close" onClick={onClose} aria-label={`Close ${label}`}>
          ×
        </button>
      </header>
      {children}
    </aside>
  );
}

interface AuditEntry {
  seq: number;
  at: string;
  actor: { id: string; role: string; nation: string | null };
  action: string;
  before: unknown;
  after: unknown;
}

/** The fields that differ between two versions of a record, as `field: before → after`. */
function changes(before: unknown, after: unknown): string[] {
  if (typeof before !== 'object' || before === null || typeof after !== 'object' || after === null) return [];
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const out: string[] = [];
  for (const key of Object.keys(a)) {
    if (['version', 'updatedAt', 'createdAt', 'allowedNext'].includes(key)) continue;
    const x = JSON.stringify(b[key]);
    const y = JSON.stringify(a[key]);
    if (x !== y) out.push(`${key}: ${short(x)} → ${short(y)}`);
  }
  return out;
}
const short = (s: string | undefined) => (s === undefined ? '—' : s.length > 60 ? `${s.slice(0, 57)}…` : s);

/** A record's history from the audit trail, fetched when opened. */
export function History({ entity, id }: { entity: string; id: string }) {
  const [open, setOpen] = useState(false);
  const history = useQuery({
    queryKey: ['history', entity, id],
    enabled: open,
    retry: false,
    queryFn: () => api<{ entries: AuditEntry[] }>(`/audit/${entity}/${encodeURIComponent(id)}`),
  });
  return (
    <details className="history" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>History</summary>
      {history.isPending && open && <p className="loading">Loading history…</p>}
      {history.error && <p className="muted">{history.error instanceof Error && /no route/.test(history.error.message) ? 'History is not available yet on this server.' : 'No recorded changes (loaded in bulk, or not visible to you).'}</p>}
      {history.data && (
        <ol className="timeline">
          {[...history.data.entries].reverse().map((e) => (
            <li key={e.seq}>
              <div>
                <strong>{e.action}</strong> <time dateTime={e.at}>{e.at.slice(0, 16).replace('T', ' ')}</time>
              </div>
              <div className="muted">
                by {e.actor.role}
                {e.actor.nation ? ` (${e.actor.nation})` : ''}
              </div>
              <ul>
                {changes(e.before, e.after).map((c) => (
                  <li key={c}>
                    <code>{c}</code>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
