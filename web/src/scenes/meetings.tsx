import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../api-client.ts';
import { DataTable } from '../components/data-table.tsx';

interface Meeting {
  id: string;
  kind: string;
  title: string;
  date: string;
  location: string;
}

/** Meetings, with their brief and outcome report to download. */
export function MeetingsScene() {
  const meetings = useQuery({ queryKey: ['meetings'], queryFn: () => api<Page<Meeting>>('/meetings?limit=200&order=desc') });
  const today = new Date().toISOString().slice(0, 10);
  return (
    <section className="scene">
      <header className="scene-head">
        <h1>Meetings and reports</h1>
      </header>
      <p>A brief prepares a meeting (top gaps, stock-out forecast, burden sharing, overdue deliveries); an outcome report follows it (pledges announced, gap change).</p>
      <DataTable
        caption="Meetings"
        rows={meetings.data?.items ?? []}
        rowKey={(m) => m.id}
        columns={[
          { key: 'date', label: 'Date', render: (m) => m.date, width: '110px' },
          { key: 'title', label: 'Meeting', render: (m) => m.title, width: '2fr' },
          { key: 'kind', label: 'Kind', render: (m) => m.kind },
          { key: 'location', label: 'Where', render: (m) => m.location },
          {
            key: 'reports',
            label: 'Reports',
            width: '1.6fr',
            render: (m) => {
              const kind = m.date >= today ? 'brief' : 'outcome';
              return (
                <span className="links">
                  {kind}:{' '}
                  {(['pdf', 'xlsx', 'csv'] as const).map((f) => (
                    <a key={f} href={`/api/meetings/${encodeURIComponent(m.id)}/${kind}?format=${f}`} download>
                      {f.toUpperCase()}
                    </a>
                  ))}
                </span>
              );
            },
          },
        ]}
      />
    </section>
  );
}
