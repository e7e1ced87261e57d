/**
 * The one way the web app talks to the server: JSON over fetch, problem details (RFC 9457) turned into
 * errors that forms can show field by field. Types come from the server's contracts (`import type` only,
 * so no server code reaches the bundle).
 */
import type { Problem } from '../../src/contracts/common.ts';

export type FieldError = Problem['errors'][number];

/** A failed request, carrying the server's problem details. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[];
  constructor(status: number, code: string, detail: string, errors: FieldError[]) {
    super(detail);
    this.status = status;
    this.code = code;
    this.errors = errors;
  }

  /** The server does not offer this route yet (a capability still being built), as opposed to a missing record. */
  get notAvailable(): boolean {
    return this.status === 404 && this.message.startsWith('no route');
  }

  /** The message for one form field (`quantity`, `tranches/0/expectedOn`), if the server named it. */
  fieldMessage(field: string): string | undefined {
    return this.fieldMessages(field)[0];
  }

  /** Every message for a field and what lies under it (`tranches` also collects `tranches/1/quantity`). */
  fieldMessages(field: string): string[] {
    return this.errors.filter((e) => e.path === `/${field}` || e.path.startsWith(`/${field}/`)).map((e) => (e.path === `/${field}` ? e.message : `${e.path.slice(field.length + 2)}: ${e.message}`));
  }
}

/** The error of a request that failed, if it is this server telling us the route does not exist yet. */
export function isNotAvailable(error: unknown): boolean {
  return error instanceof ApiError && error.notAvailable;
}

function csrfHeader(): Record<string, string> {
  const match = /(?:^|;\s*)csrf=([^;]+)/.exec(document.cookie);
  return match ? { 'x-csrf-token': decodeURIComponent(match[1]!) } : {};
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  /** The record version the change is based on, sent as If-Match (the server refuses a stale one). */
  version?: number;
}

/** Set when the user signs out: from then on this page sends nothing but the sign-out (it then reloads, signed out). */
let signingOut = false;

/**
 * Stops this page's requests for the sign-out: a page still shown would otherwise go on asking for its
 * data (a report that waited for another, a query the cache refetches) and be refused with 401.
 */
export function stopRequestsForSignOut(): void {
  signingOut = true;
}

/** Sends a request and returns the parsed JSON, or throws an ApiError. */
export async function api<T>(path: string, init: RequestOptions = {}): Promise<T> {
  // Never settles: the page is about to reload.
  if (signingOut && path !== '/auth/logout') return new Promise<T>(() => {});
  const headers: Record<string, string> = { accept: 'application/json', ...csrfHeader(), ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.version !== undefined) headers['if-match'] = `"${init.version}"`;
  const res = await fetch(`/api${path}`, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers,
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const p = (data ?? {}) as Partial<Problem>;
    throw new ApiError(res.status, p.code ?? 'unknown', p.detail ?? (res.statusText || `HTTP ${res.status}`), p.errors ?? []);
  }
  return data as T;
}

/** Builds a query string from the set values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Address of a report file the browser downloads (the server names it). */
export function downloadHref(path: string, format: 'pdf' | 'xlsx' | 'csv' | 'md', params: Record<string, string | number | undefined> = {}): string {
  return `/api${path}${query({ ...params, format })}`;
}
