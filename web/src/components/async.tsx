import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { ApiError } from '../api-client.ts';

/**
 * What a query shows while it loads, when it failed, and when the server does not offer the capability yet
 * (a 404 "no route" problem: the API is still being built), so no page breaks on a missing endpoint.
 */
export function Async<T>({ q, what, children, empty }: { q: UseQueryResult<T>; what: string; children: (data: T) => ReactNode; empty?: (e: ApiError) => ReactNode }) {
  if (q.isPending) return <p className="loading" role="status">Loading {what}…</p>;
  if (q.error) {
    const e = q.error;
    if (e instanceof ApiError && e.notAvailable) return <NotAvailable what={what} />;
    if (e instanceof ApiError && empty && (e.status === 404 || e.code === 'invalid_input')) return <>{empty(e)}</>;
    return (
      <p className="form-error" role="alert">
        Could not load {what}: {e.message}
      </p>
    );
  }
  if (q.data === undefined) return null;
  return <>{children(q.data)}</>;
}

/** A capability the server does not offer yet. */
export function NotAvailable({ what }: { what: string }) {
  return (
    <p className="not-available" role="status">
      <strong>Not available yet:</strong> this server does not provide {what}.
    </p>
  );
}
