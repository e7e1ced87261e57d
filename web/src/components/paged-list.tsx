import type { ReactNode } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, query, type Page } from '../api-client.ts';

/** A server-paged list: filters and sort go to the server, pages follow `nextCursor`. */
export function usePagedList<T>(resource: string, params: Record<string, string | number | undefined>) {
  const list = useInfiniteQuery({
    queryKey: [resource, params],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api<Page<T>>(`/${resource}${query({ ...params, limit: 200, cursor: pageParam })}`),
    getNextPageParam: (last) => last.nextCursor,
  });
  return { list, rows: list.data?.pages.flatMap((p) => p.items) ?? [] };
}

/** How many rows are shown, and a button for the next page while there is one. */
export function LoadMore({ list, shown }: { list: ReturnType<typeof usePagedList>['list']; shown: number }) {
  return (
    <div className="table-foot">
      {shown} shown{list.hasNextPage ? '' : ' (all)'}
      {list.hasNextPage && (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          Load more
        </button>
      )}
    </div>
  );
}

/** Moves a record along its lifecycle (with its version as If-Match) and refreshes what shows it. */
export function useLifecycle(resource: string, id: string, version: number | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (to: string) => api(`/${resource}/${encodeURIComponent(id)}/transitions`, { method: 'POST', body: { to }, headers: { 'if-match': `"${version}"` } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: [resource] });
      void client.invalidateQueries({ queryKey: [`${resource}:one`, id] });
    },
  });
}

/** Buttons for exactly the moves the server allows next. */
export function LifecycleButtons({ allowed, move }: { allowed: string[]; move: ReturnType<typeof useLifecycle> }) {
  return (
    <div className="actions" role="group" aria-label="Lifecycle">
      {allowed.map((to) => (
        <button type="button" key={to} onClick={() => move.mutate(to)} disabled={move.isPending}>
          Move to {to}
        </button>
      ))}
    </div>
  );
}

/** A side panel with a title and a close button. */
export function Panel({ title, label, onClose, children }: { title: string; label: string; onClose: () => void; children: ReactNode }) {
  return (
    <aside className="panel" aria-label={label}>
      <header>
        <h2>{title}</h2>
        <button type="button" onClick={onClose} aria-label="Close">
          ×
        </button>
      </header>
      {children}
    </aside>
  );
}
