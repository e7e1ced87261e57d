import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main.ts';
import type { CliIo } from '../io.ts';

async function concord(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), isTty: false, env: {} };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('concord report on the demo scenario', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-report-'));
  const db = join(dir, 'db');
  beforeAll(async () => {
    expect((await concord(['demo', '--db', db])).code).toBe(0);
    expect((await concord(['plan', '--db', db])).code).toBe(0);
  }, 120_000);

  it('prints burden sharing as the JSON array the issue names, fair shares adding up to the target', async () => {
    const run = await concord(['report', 'burden', '--year', '2025', '--target', '40000000000', '--currency', 'EUR', '--format', 'json', '--db', db]);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.out) as Array<{ nation: string; participating: boolean; fairShare: number | null }>;
    expect(Object.keys(rows[0]!).sort()).toEqual(['committed', 'committedPctGdp', 'delivered', 'fairShare', 'gdp', 'gdpShare', 'nation', 'participating', 'ratioToFairShare']);
    const key = rows.filter((r) => r.participating);
    expect(key.length).toBeGreaterThan(25);
    expect(Math.round(key.reduce((s, r) => s + r.fairShare!, 0))).toBe(40_000_000_000);
    // Hungary opted out in the demo scenario: listed apart, outside the key.
    expect(rows.find((r) => r.nation === 'HUN')?.participating).toBe(false);
  }, 60_000);

  it('writes the next meeting’s brief as a PDF whose text carries the gaps and the burden table', async () => {
    const file = join(dir, 'brief.pdf');
    const run = await concord(['report', 'brief', '--format', 'pdf', '--output', file, '--as-of', '2026-11-24', '--db', db]);
    expect(run.code).toBe(0);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    for (const heading of ['Top gaps by capability', 'Stock-out forecast', 'Burden sharing', 'Overdue deliveries']) expect(text).toContain(heading);
  }, 60_000);

  it('runs the forecast what-if from the command line: removing a donor’s tranches never adds incoming units, the same seed gives the same runs', async () => {
    type Forecast = { runs: number; seed: number; horizonDays: number; groups: Array<{ group: string; incomingWithinHorizon: number; tranches: number; monteCarlo: { probabilityOfStockOut: number } | null }> };
    const run = async (...extra: string[]) => {
      const r = await concord(['report', 'forecast', '--as-of', '2026-11-24', '--format', 'json', '--db', db, ...extra]);
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out) as Forecast;
    };
    const base = await run('--runs', '200', '--seed', '7', '--horizon', '90');
    expect([base.runs, base.seed, base.horizonDays]).toEqual([200, 7, 90]);
    expect(await run('--runs', '200', '--seed', '7', '--horizon', '90')).toEqual(base);
    const without = await run('--runs', '200', '--seed', '7', '--horizon', '90', '--what-if', 'USA:remove', '--what-if', 'DEU:remove,GBR:remove');
    const before = new Map(base.groups.map((g) => [g.group, g]));
    let fewer = 0;
    for (const g of without.groups) {
      expect(g.incomingWithinHorizon).toBeLessThanOrEqual(before.get(g.group)!.incomingWithinHorizon);
      if (g.incomingWithinHorizon < before.get(g.group)!.incomingWithinHorizon) fewer++;
    }
    expect(fewer).toBeGreaterThan(0);
    const only = await run('--runs', '0', '--groups', '155mm-he');
    expect(only.groups.map((g) => g.group)).toEqual(['155mm-he']);
    expect(only.groups[0]!.monteCarlo).toBeNull();
    const bad = await concord(['report', 'forecast', '--what-if', 'DEU+30', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('DONOR:+30');
    expect((await concord(['report', 'burden', '--what-if', 'DEU:+30', '--db', db])).code).toBe(2);
  }, 120_000);

  it('lists as many requirements as --limit asks and counts every one in the totals', async () => {
    const run = await concord(['report', 'coverage', '--as-of', '2026-11-24', '--limit', '5', '--format', 'json', '--db', db]);
    expect(run.code, run.err).toBe(0);
    const data = JSON.parse(run.out) as { requirementCount: number; requirements: unknown[]; total: { requirements: number } };
    expect(data.requirements).toHaveLength(5);
    expect(data.total.requirements).toBe(data.requirementCount);
    expect(data.requirementCount).toBeGreaterThan(1000);
  }, 60_000);

  it('refuses bad parameters with a message and exit code 2', async () => {
    expect((await concord(['report', 'burden', '--year', '2025', '--target', '-1', '--db', db])).code).toBe(2);
    const currency = await concord(['report', 'burden', '--year', '2025', '--currency', 'XYZ', '--db', db]);
    expect(currency.code).toBe(2);
    expect(currency.err).toContain('/currency');
    expect((await concord(['report', 'brief', '--format', 'pdf', '--db', db])).err).toContain('--output');
    const day = await concord(['report', 'gaps', '--as-of', '2026-13-01', '--db', db]);
    expect(day.code).toBe(2);
    expect(day.err).toContain('--as-of must be a calendar date');
    for (const kind of ['coverage', 'gaps', 'delays', 'brief', 'outcome']) {
      const bad = await concord(['report', kind, '--currency', 'XYZ', '--as-of', '2026-11-24', '--db', db]);
      expect(bad.code, kind).toBe(2);
      expect(bad.err, kind).toContain('unknown report currency XYZ');
    }
    const meeting = await concord(['report', 'outcome', '--meeting', 'NOPE', '--db', db]);
    expect(meeting.code).toBe(1);
    expect(meeting.err).toContain('meeting NOPE was not found');
  }, 60_000);
});
