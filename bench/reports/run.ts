/**
 * `npm run bench -- reports [--scale 84] [--db DIR | --url postgres://… [--schema S]] [--repeat 3] [--no-write] [--only brief,outcome]`
 *
 * Times every report (the use case end to end: SQL aggregation, engine, report document; the brief also
 * rendered to PDF) on a demo-scenario database of about 1,000,000 delivery lines (scale 84 ≈ 1.02 M).
 * The database is built once with the demo loader when the directory (or schema) holds no deliveries.
 * Median of `repeat` runs after one warm-up run. The table goes to docs/benchmarks.md ("reports"), unless
 * `--only` names the reports to time (then nothing is written).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDb, type DbHandle, type DbTarget } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { loadDemoScenario, SCENARIO_TODAY } from '../../src/services/demo/index.ts';
import { SYSTEM_ACTOR } from '../../src/services/context.ts';
import { burdenReport, coverageReport, delaysReport, forecastReport, gapsReport, meetingBrief, meetingOutcome } from '../../src/services/reports/reports.ts';
import { renderReport } from '../../src/services/reports/render/render.ts';
import { writeSection } from '../allocate/run.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

async function count(h: DbHandle): Promise<number> {
  const r = await h.db.selectFrom('deliveries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function run(args: string[]): Promise<number> {
  const scale = Number(flag(args, 'scale') ?? 84);
  const repeat = Number(flag(args, 'repeat') ?? 3);
  const url = flag(args, 'url') ?? (args.includes('--pg') ? process.env.DATABASE_URL : undefined);
  const target: DbTarget = url
    ? { kind: 'postgres', url, ...(flag(args, 'schema') ? { schema: flag(args, 'schema')! } : {}) }
    : { kind: 'pglite', path: flag(args, 'db') ?? `${ROOT}bench/.out/reports-scale-${scale}` };
  if (target.kind === 'pglite' && !existsSync(target.path!)) mkdirSync(target.path!, { recursive: true });
  const h = await openDb(target);
  await migrateToLatest(h.db);
  let deliveries = await count(h);
  let built = '';
  if (deliveries === 0) {
    console.error(`building the demo scenario at scale ${scale} (a few minutes)…`);
    const t = performance.now();
    await loadDemoScenario(h.db, { seed: 42, scale, replace: true });
    built = fmt(performance.now() - t);
    console.error(`built in ${built}`);
    deliveries = await count(h);
  }
  // Planner statistics, and the dead row versions cleared: a bulk load leaves no statistics, and the
  // trigger-kept totals rows are rewritten on every batch of lines (640,000 dead versions in report_tranche_receipts
  // after the scale-84 load), which autovacuum would clear on a live server (PGlite runs none, and this
  // machine's server has it off); index-only scans also need the visibility map VACUUM sets.
  const analyzing = performance.now();
  await sql`vacuum analyze`.execute(h.db);
  console.error(`vacuum analyze: ${fmt(performance.now() - analyzing)}`);
  const deps = { db: h.db };
  const today = SCENARIO_TODAY;
  const year = Number(today.slice(0, 4));
  const reports: Array<[string, string, () => Promise<unknown>]> = [
    ['coverage', `concord report coverage --as-of ${today}`, () => coverageReport(deps, SYSTEM_ACTOR, { asOf: today })],
    ['gaps', `concord report gaps --as-of ${today}`, () => gapsReport(deps, SYSTEM_ACTOR, { asOf: today })],
    ['forecast', `concord report forecast --as-of ${today} (180 days, 1,000 runs)`, () => forecastReport(deps, SYSTEM_ACTOR, { asOf: today })],
    ['delays', `concord report delays --as-of ${today}`, () => delaysReport(deps, SYSTEM_ACTOR, { asOf: today })],
    ['burden', `concord report burden --year ${year}`, () => burdenReport(deps, SYSTEM_ACTOR, { year, currency: 'EUR' })],
    ['brief', `concord report brief --as-of ${today} (JSON document)`, () => meetingBrief(deps, SYSTEM_ACTOR, { today })],
    ['brief (PDF)', `concord report brief --as-of ${today} --format pdf`, async () => renderReport(await meetingBrief(deps, SYSTEM_ACTOR, { today }), 'pdf')],
    ['outcome', `concord report outcome --as-of ${today}`, () => meetingOutcome(deps, SYSTEM_ACTOR, { today })],
  ];
  const only = flag(args, 'only')?.split(',');
  const unknown = only?.filter((name) => !reports.some(([n]) => n === name)) ?? [];
  if (unknown.length > 0) {
    console.error(`unknown report ${unknown.join(', ')}: --only takes ${reports.map(([n]) => n).join(', ')}`);
    await h.close();
    return 2;
  }
  const rows: string[] = [];
  let slow = 0;
  for (const [name, command, f] of reports.filter(([n]) => !only || only.includes(n))) {
    const times: number[] = [];
    for (let i = 0; i <= repeat; i++) {
      const t = performance.now();
      await f();
      if (i > 0) times.push(performance.now() - t);
    }
    const m = median(times);
    if (m >= 2000) slow++;
    console.error(`${name}: ${fmt(m)} (runs ${times.map(fmt).join(', ')})`);
    rows.push(`| ${name} | \`${command}\` | ${fmt(m)} | ${fmt(Math.min(...times))} | ${m < 2000 ? 'yes' : 'no'} |`);
  }
  const serverVersion = target.kind === 'postgres' ? ((await sql<{ v: string }>`select current_setting('server_version') as v`.execute(h.db)).rows[0]?.v ?? '?').split(' ')[0] : '';
  await h.close();
  const where = target.kind === 'pglite' ? 'PGlite 0.5 (PostgreSQL 18 in WASM), on disk' : `PostgreSQL ${serverVersion} server (127.0.0.1)`;
  // The exact command, the password (if any) left out of the URL.
  const shownUrl = url?.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:…@');
  const command = target.kind === 'postgres'
    ? `nice -n 10 npm run bench -- reports --url ${shownUrl}${flag(args, 'schema') ? ` --schema ${flag(args, 'schema')}` : ''} --scale ${scale} --repeat ${repeat}`
    : `nice -n 10 npm run bench -- reports --db ${flag(args, 'db') ?? `bench/.out/reports-scale-${scale}`} --scale ${scale} --repeat ${repeat}`;
  const body = [
    `### reports on ${where}`,
    '',
    `Command: \`${command}\`${target.kind === 'postgres' ? ` on an empty database made with \`createdb -h 127.0.0.1 -U postgres ${url ? new URL(url).pathname.slice(1) : 'concord_bench'}\` (the first run loads the demo scenario into it with the demo loader; every run starts with VACUUM ANALYZE)` : ''}.`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}; demo scenario seed 42, scale ${scale}: ${deliveries.toLocaleString('en-GB')} delivery lines; as of ${today}${built ? `; the demo loader built it in ${built}` : ''}; median of ${repeat} runs after a warm-up, after VACUUM ANALYZE. Target: under 2 s each.`,
    '',
    '| report | what runs | median | best | under 2 s |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  if (!args.includes('--no-write') && !only) writeSection(`reports-${target.kind}`, body);
  console.log(body);
  return 0;
}
