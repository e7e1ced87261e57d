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

  it('refuses bad parameters with a message and exit code 2', async () => {
    expect((await concord(['report', 'burden', '--year', '2025', '--target', '-1', '--db', db])).code).toBe(2);
    const currency = await concord(['report', 'burden', '--year', '2025', '--currency', 'XYZ', '--db', db]);
    expect(currency.code).toBe(2);
    expect(currency.err).toContain('/currency');
    expect((await concord(['report', 'brief', '--format', 'pdf', '--db', db])).err).toContain('--output');
    const meeting = await concord(['report', 'outcome', '--meeting', 'NOPE', '--db', db]);
    expect(meeting.code).toBe(1);
    expect(meeting.err).toContain('meeting NOPE was not found');
  }, 60_000);
});
