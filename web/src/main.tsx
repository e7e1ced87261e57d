import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from './api-client.ts';
import { SignInScene } from './scenes/sign-in.tsx';
import { Link, usePath } from './router.tsx';
import { DashboardScene } from './scenes/dashboard.tsx';
import { RequirementsScene } from './scenes/requirements.tsx';
import { PledgesScene } from './scenes/pledges.tsx';
import { PlanScene } from './scenes/plan.tsx';
import { MeetingsScene } from './scenes/meetings.tsx';
import { NationsScene } from './scenes/nations.tsx';
import './styles.css';

const PAGES = [
  { path: '/', label: 'Dashboard', scene: DashboardScene },
  { path: '/requirements', label: 'Requirements', scene: RequirementsScene },
  { path: '/pledges', label: 'Pledges', scene: PledgesScene },
  { path: '/plan', label: 'Plan', scene: PlanScene },
  { path: '/meetings', label: 'Meetings & reports', scene: MeetingsScene },
  { path: '/nations', label: 'Nations', scene: NationsScene },
];

const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false } } });

interface Me {
  username: string | null;
  role: string;
  nation: string | null;
}

function App() {
  const me = useQuery({ queryKey: ['me'], queryFn: () => api<Me>('/auth/me'), retry: false });
  if (me.isLoading) return <p className="empty">Loading…</p>;
  if (me.error instanceof ApiError && me.error.status === 401) return <SignInScene />;
  return <Shell me={me.data ?? null} />;
}

function SignOut() {
  const client = useQueryClient();
  const out = useMutation({ mutationFn: () => api('/auth/logout', { method: 'POST' }), onSuccess: () => void client.resetQueries() });
  return (
    <button type="button" className="link" onClick={() => out.mutate()}>
      Sign out
    </button>
  );
}

function Shell({ me }: { me: Me | null }) {
  const path = usePath();
  const page = PAGES.find((p) => p.path === path) ?? PAGES[0]!;
  const Scene = page.scene;
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
          {PAGES.map((p) => (
            <li key={p.path}>
              <Link to={p.path} current={p === page}>
                {p.label}
              </Link>
            </li>
          ))}
        </ul>
        <div className="nav-foot">
          {me && (
            <p>
              {me.username ?? 'signed in'} · {me.role}
              {me.nation ? ` (${me.nation})` : ''} · <SignOut />
            </p>
          )}
          <p>
            <a href="/api/docs">API documentation</a>
          </p>
        </div>
      </nav>
      <main id="content" tabIndex={-1}>
        <Scene />
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
