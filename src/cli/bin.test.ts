import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/concord.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'concord-bin-'));
const problem = {
  latePenaltyPerDay: 1,
  requirements: [{ id: 'R-1', accepts: ['155mm-he'], quantity: 12000, weight: 1000, needBy: '2026-03-01', uses: ['cross-border'] }],
  pledges: [{ id: 'P-2', donor: 'POL', group: '155mm-he', quantity: 4000, available: '2026-03-11', forbids: [], designatedTo: null }],
};

/** Runs bin/concord.mjs in its own process, as `npx concord` does. */
function concord(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } }, (error, out, err) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, out, err });
    });
  });
}

describe('bin/concord.mjs', () => {
  it('stops quietly when the reader of its output closes the pipe early (as `| head` does)', async () => {
    const input = join(dir, 'problem-pipe.json');
    writeFileSync(input, JSON.stringify(problem));
    const { code, err } = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'plan', '--input', input], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      // The reader goes away before the solution is written.
      child.stdout.destroy();
      child.on('close', (exitCode) => resolve({ code: exitCode, err }));
    });
    expect(err).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });

  it('runs `plan --input` alone by its own bundle: flags as --flag=value, a file read twice when the fast reader declines it, a pipe, a directory refused', async () => {
    const input = join(dir, 'problem-fast.json');
    writeFileSync(input, JSON.stringify(problem));
    const output = join(dir, 'solution-fast.json');
    const run = await concord(['plan', `--input=${input}`, `--output=${output}`]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const expected = readFileSync(output, 'utf8');
    expect(JSON.parse(expected).objective).toBe(3960000);

    // Pledges before requirements: the window reader declines, the general path reads the file again.
    const unusual = join(dir, 'problem-unusual.json');
    writeFileSync(unusual, JSON.stringify({ pledges: problem.pledges, requirements: problem.requirements, latePenaltyPerDay: 1 }));
    const second = join(dir, 'solution-unusual.json');
    expect((await concord(['plan', '--input', unusual, '--output', second])).code).toBe(0);
    expect(readFileSync(second, 'utf8')).toBe(expected);

    // A pipe cannot be read twice: it is read whole first.
    const piped = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile('sh', ['-c', `cat '${unusual}' | '${process.execPath}' '${BIN}' plan --input /dev/stdin`], (error, out) => resolve({ code: error ? Number(error.code ?? 1) : 0, out }));
    });
    expect(piped.code).toBe(0);
    expect(piped.out).toBe(expected);

    const refused = await concord(['plan', '--input', dir, '--output', join(dir, 'never.json')]);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(`error: cannot read ${dir}: EISDIR\n`);
  }, 60_000);

  // The first run may build the CLI bundle (node_modules/.cache/concord-cli); later runs reuse it.
  for (const [how, env] of [['from the JavaScript bundle', {}], ['through tsx (CONCORD_TSX=1)', { CONCORD_TSX: '1' }]] as const) {
    it(`solves a problem file and refuses a bad one with exit 2, ${how}`, async () => {
      const input = join(dir, 'problem.json');
      const output = join(dir, `solution-${how.length}.json`);
      writeFileSync(input, JSON.stringify(problem));
      const run = await concord(['plan', '--input', input, '--output', output], env);
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      expect(run.out).toContain('Optimal allocation: objective 3960000');
      expect(JSON.parse(readFileSync(output, 'utf8')).objective).toBe(3960000);

      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ ...problem, pledges: [{ ...problem.pledges[0], quantity: 0, colour: 'red' }] }));
      const refused = await concord(['plan', '--input', bad], env);
      expect(refused.code).toBe(2);
      expect(refused.out).toBe('');
      expect(refused.err).toContain('/pledges/0/quantity:');
      expect(refused.err).toContain('/pledges/0:');
    }, 60_000);
  }
});
