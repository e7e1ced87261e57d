import { StrictMode, Suspense, lazy, useEffect, useRef, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryCache, QueryClient, QueryClientProvider, useMutation, useQuery } from '@tanstack/react-query';
import { api, ApiError, stopRequestsForSignOut } from './api-client.ts';
import { SignInScene } from './scenes/sign-in.tsx';
import { DashboardScene } from './scenes/dashboard.tsx';
import { Link, useLocation } from './router.tsx';
import { MeContext } from './session.tsx';
import { mayOpen, type Me } from './vocabulary.ts';
import './styles.css';

// The dashboard is in the first chunk (it is the landing page); the other pages load when first opened.
const named = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) => lazy(() => load().then((m) => ({ default: m[name] })));
const RequirementsScene = named(() => import('./scenes/requirements.tsx'), 'RequirementsScene');
const PledgesScene = named(() => import('./scenes/pledges.tsx'), 'PledgesScene');
const PlanScene = named(() => import('./scenes/plan.tsx'), 'PlanScene');
const MeetingsScene = named(() => import('./scenes/meetings.tsx'), 'MeetingsScene');
const NationsScene = named(() => import('./scenes/nations.tsx'), 'NationsScene');

/** The pages; the roles each is offered to are vocabulary's PAGE_ROLES. */
const PAGES: { path: string; label: string; scene: ComponentType }[] = [
  { path: '/', label: 'Dashboard', scene: DashboardScene },
  { path: '/requirements', label: 'Requirements', scene: RequirementsScene },
  { path: '/pledges', label: 'Pledges', scene: PledgesScene },
  { path: '/plan', label: 'Plan', scene: PlanScene },
  { path: '/meetings', label: 'Meetings & reports', scene: MeetingsScene },
  { path: '/nations', label: 'Nations', scene: NationsScene },
];

const queryClient: QueryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: (n, e) => !(e instanceof ApiError) && n < 2 } },
  // A session that ended (idle or signed out elsewhere) sends the user back to sign-in.
  queryCache: new QueryCache({
    onError: (e, q) => {
      if (e instanceof ApiError && e.status === 401 && q.queryKey[0] !== 'me') void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  }),
});

function App() {
  const me = useQuery({ queryKey: ['me'], queryFn: () => api<Me>('/auth/me'), retry: false, staleTime: 300_000 });
  if (me.isPending) return <p className="loading boot">Loading Concord…</p>;
  if (me.error instanceof ApiError && me.error.status === 401) return <SignInScene />;
  return (
    <MeContext.Provider value={me.data ?? null}>
      <Shell me={me.data ?? null} />
    </MeContext.Provider>
  );
}

function SignOut() {
  const out = useMutation({
    mutationFn: () => {
      stopRequestsForSignOut();
      return api('/auth/logout', { method: 'POST' });
    },
    // A fresh page, signed out: nothing of the last user's data stays in memory, and none of their requests
    // is left to be refused.
    onSettled: () => window.location.assign('/'),
  });
  return (
    <button type="button" className="link" disabled={out.isPending} onClick={() => out.mutate()}>
      Sign out
    </button>
  );
}

function Shell({ me }: { me: Me | null }) {
  const { path } = useLocation();
  const pages = PAGES.filter((p) => mayOpen(me, p.path));
  const page = pages.find((p) => p.path === path);
  const Scene = page?.scene;
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    document.title = `${page?.label ?? 'Not found'} · Concord`;
    // On a page change, move focus to the content so keyboard and screen-reader users start there.
    if (first.current) first.current = false;
    else main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [path, page?.label]);
  return (
    <div className="app">
      <a className="skip" href="#content">
        Skip to content
      </a>
      <nav className="nav" aria-label="Main">
        <div className="brand">
          Concord
          <small>security assistance coordination</small>
        </div>
        <ul>
          {pages.map((p) => (
            <li key={p.path}>
              <Link to={p.path} current={p === page}>
                {p.label}
              </Link>
            </li>
          ))}
        </ul>
        <div className="nav-foot">
          {me && (
            <div className="who">
              <span className="who-name">{me.username ?? (me.kind === 'token' ? 'API token' : 'signed in')}</span>
              <span className="role-badge">
                {me.role}
                {me.nation ? ` · ${me.nation}` : ''}
              </span>
              {me.kind === 'user' && <SignOut />}
            </div>
          )}
          <p>
            <a href="/api/docs">API documentation</a>
          </p>
        </div>
      </nav>
      <main id="content" tabIndex={-1} ref={main}>
        <Suspense fallback={<p className="loading">Loading…</p>}>
          {Scene ? (
            <Scene />
          ) : (
            <section className="scene">
              <h1>Page not found</h1>
              <p>
                There is no page at <code>{path}</code> for your role. <Link to="/">Go to the dashboard</Link>.
              </p>
            </section>
          )}
        </Suspense>
      </main>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
