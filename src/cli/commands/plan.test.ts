import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main.ts';
import type { CliIo } from '../io.ts';

async function concord(args: string[], { outIsTty = false } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), isTty: false, outIsTty, env: {} };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'concord-plan-'));
const problem = {
  latePenaltyPerDay: 1,
  requirements: [{ id: 'R-1', accepts: ['155mm-he'], quantity: 12000, weight: 1000, needBy: '2026-03-01', uses: ['cross-border'] }],
  pledges: [
    { id: 'P-1', donor: 'DEU', group: '155mm-he', quantity: 5000, available: '2026-02-15', forbids: ['cross-border'], designatedTo: null },
    { id: 'P-2', donor: 'POL', group: '155mm-he', quantity: 4000, available: '2026-03-11', forbids: [], designatedTo: null },
  ],
};

describe('concord plan --input', () => {
  it('solves a problem file with no database and writes the contract JSON', async () => {
    const input = join(dir, 'problem.json');
    const output = join(dir, 'solution.json');
    writeFileSync(input, JSON.stringify(problem));
    const run = await concord(['plan', '--input', input, '--output', output]);
    expect(run.code).toBe(0);
    // P-1 forbids cross-border use, which R-1 has: only P-2, 10 days late, serves: 4,000 × (1,000 − 10).
    const solution = JSON.parse(readFileSync(output, 'utf8'));
    expect(solution).toEqual({
      objective: 4000 * 990,
      allocations: [{ pledge: 'P-2', requirement: 'R-1', quantity: 4000, lateDays: 10 }],
      unmet: [{ requirement: 'R-1', quantity: 8000, reason: 'outranked' }],
    });
    expect(run.out).toContain('Optimal allocation: objective 3960000');
    expect(readFileSync(output, 'utf8')).toBe(`${JSON.stringify(solution)}\n`);
    // Written through a temporary file beside it, renamed over it: none is left.
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writes to --output the bytes printed to a pipe, with the same summary, for ids that need escapes', async () => {
    const awkward = structuredClone(problem);
    awkward.requirements[0]!.id = 'R-"1"\\\tü😀';
    awkward.pledges[1]!.id = 'P-\u0001Москва';
    const input = join(dir, 'awkward.json');
    const output = join(dir, 'awkward-solution.json');
    writeFileSync(input, JSON.stringify(awkward));
    const piped = await concord(['plan', '--input', input]);
    const run = await concord(['plan', '--input', input, '--output', output]);
    expect(run.code).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe(piped.out);
    expect(JSON.parse(piped.out).allocations[0]).toEqual({ pledge: 'P-\u0001Москва', requirement: 'R-"1"\\\tü😀', quantity: 4000, lateDays: 10 });
    expect(run.out).toBe(piped.err);
  });

  it('replaces an existing solution whole, keeping its permissions, and writes through a symbolic link', async () => {
    const input = join(dir, 'problem.json');
    writeFileSync(input, JSON.stringify(problem));
    const real = join(dir, 'kept.json');
    writeFileSync(real, 'an older, longer solution '.repeat(1000));
    chmodSync(real, 0o640);
    const link = join(dir, 'link.json');
    symlinkSync(real, link);
    expect((await concord(['plan', '--input', input, '--output', link])).code).toBe(0);
    expect(JSON.parse(readFileSync(real, 'utf8')).objective).toBe(3960000);
    expect(statSync(real).mode & 0o777).toBe(0o640);
    expect(readFileSync(link, 'utf8')).toBe(readFileSync(real, 'utf8'));
  });

  it('exits 2 naming an output path it cannot write, and leaves nothing behind', async () => {
    const input = join(dir, 'problem.json');
    writeFileSync(input, JSON.stringify(problem));
    const outDir = join(dir, 'no-such-dir');
    const output = join(outDir, 'solution.json');
    const run = await concord(['plan', '--input', input, '--output', output]);
    expect(run.code).toBe(2);
    expect(run.err).toContain(`cannot write ${output}`);
    expect(run.out).toBe('');
    expect(existsSync(outDir)).toBe(false);
    // A directory given as the output file: refused the same way, and the directory is left empty.
    const asDir = join(dir, 'a-directory');
    mkdirSync(asDir);
    const refused = await concord(['plan', '--input', input, '--output', asDir]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`cannot write ${asDir}`);
    expect(readdirSync(asDir)).toEqual([]);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves no temporary file when the problem is refused', async () => {
    const input = join(dir, 'refused.json');
    writeFileSync(input, JSON.stringify({ ...problem, latePenaltyPerDay: -1 }));
    const output = join(dir, 'refused-solution.json');
    expect((await concord(['plan', '--input', input, '--output', output])).code).toBe(2);
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('solves a file the fast reader declines (pledges listed first, a field twice) as it solves the plain file', async () => {
    const plain = join(dir, 'plain.json');
    writeFileSync(plain, JSON.stringify(problem));
    const expected = (await concord(['plan', '--input', plain])).out;
    // JSON.parse keeps the last of a repeated field: the first "quantity" below is not the one read.
    const unusual = JSON.stringify({ pledges: problem.pledges, requirements: problem.requirements, latePenaltyPerDay: 1 }).replace('"quantity":12000', '"quantity":1,"quantity":12000');
    const input = join(dir, 'unusual.json');
    writeFileSync(input, unusual);
    const run = await concord(['plan', '--input', input]);
    expect(run.code).toBe(0);
    expect(run.out).toBe(expected);
  });

  it('prints the solution compact to a pipe and indented to a terminal, with the summary on stderr', async () => {
    const input = join(dir, 'problem.json');
    writeFileSync(input, JSON.stringify(problem));
    const piped = await concord(['plan', '--input', input]);
    expect(piped.code).toBe(0);
    const solution = JSON.parse(piped.out);
    expect(piped.out).toBe(`${JSON.stringify(solution)}\n`);
    expect(piped.err).toContain('Optimal allocation: objective 3960000');
    const shown = await concord(['plan', '--input', input], { outIsTty: true });
    expect(shown.out).toBe(`${JSON.stringify(solution, null, 2)}\n`);
  });

  it('exits 2 and lists every problem with its JSON path, solving nothing', async () => {
    const input = join(dir, 'bad.json');
    const bad = structuredClone(problem) as Record<string, unknown> & typeof problem;
    bad.requirements[0]!.quantity = -3;
    bad.pledges[1]!.available = '2026-02-30';
    bad.pledges[1]!.id = 'P-1';
    (bad.pledges[0] as Record<string, unknown>).colour = 'red';
    writeFileSync(input, JSON.stringify(bad));
    const run = await concord(['plan', '--input', input]);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    for (const path of ['/requirements/0/quantity', '/pledges/1/available', '/pledges/1/id', '/pledges/0']) expect(run.err).toContain(`${path}:`);
  });

  it('exits 2 on a file that is not JSON or does not exist', async () => {
    const input = join(dir, 'not.json');
    writeFileSync(input, '{ "requirements": [');
    expect((await concord(['plan', '--input', input])).code).toBe(2);
    const missing = await concord(['plan', '--input', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read');
  });
});
