import { useCallback, useEffect, useState, type ReactNode, type MouseEvent } from 'react';
import { useMe } from './session.tsx';
import { mayOpen } from './vocabulary.ts';

/** The current location, following pushState navigation and the back button. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const read = () => `${window.location.pathname}${window.location.search}`;
  const [href, setHref] = useState(read);
  useEffect(() => {
    const update = () => setHref(read());
    window.addEventListener('popstate', update);
    window.addEventListener('concord:navigate', update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener('concord:navigate', update);
    };
  }, []);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname, search: url.searchParams };
}

/** The current path only. */
export function usePath(): string {
  return useLocation().path;
}

/** Goes to an in-app address; `replace` rewrites the current history entry (filters, selections). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event('concord:navigate'));
}

/** An address with its query string built from the set values only. */
export function href(path: string, params: Record<string, string | number | undefined | null> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * Page state kept in the query string, so that every view (filters, sort, the open record) has an address a
 * chart can link to and a user can bookmark or share. Changes replace the history entry.
 */
export function useQueryState<K extends string>(defaults: Record<K, string>): [Record<K, string>, (patch: Partial<Record<K, string>>) => void] {
  const { path, search } = useLocation();
  const state = { ...defaults };
  for (const key of Object.keys(defaults) as K[]) {
    const v = search.get(key);
    if (v !== null) state[key] = v;
  }
  const set = useCallback(
    (patch: Partial<Record<K, string>>) => {
      const next = new URLSearchParams(window.location.search);
      for (const [k, v] of Object.entries(patch) as [K, string | undefined][]) {
        if (v === undefined || v === '' || v === defaults[k]) next.delete(k);
        else next.set(k, v);
      }
      const s = next.toString();
      navigate(s ? `${path}?${s}` : path, { replace: true });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [path],
  );
  return [state, set];
}

/**
 * An in-app link: a real anchor (so it opens in a new tab too) that navigates without reloading. A link to a
 * page the user's role is not offered shows its text only, so no one is sent to a "not for your role" page.
 */
export function Link({ to, children, className, current, title }: { to: string; children: ReactNode; className?: string; current?: boolean; title?: string }) {
  const me = useMe();
  if (!mayOpen(me, to)) return <span title={title}>{children}</span>;
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className} aria-current={current ? 'page' : undefined} title={title}>
      {children}
    </a>
  );
}
