import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main.ts';
import type { CliIo } from '../io.ts';

async function concord(args: string[], stdin?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), isTty: false, env: {}, ...(stdin === undefined ? {} : { readStdin: async () => stdin }) };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('concord user', () => {
  it('adds users (password from stdin or generated once), issues tokens, resets and disables', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'concord-user-')), 'db');
    const add = await concord(['user', 'add', 'ana', '--role', 'coordinator', '--password-stdin', '--db', db], 'a long enough password\n');
    expect(add.code).toBe(0);
    expect(add.out).toBe('');
    const gen = await concord(['user', 'add', 'obs', '--role', 'observer', '--db', db]);
    expect(gen.code).toBe(0);
    expect(gen.out).toMatch(/^password: [\w-]{24}\n/);
    const bad = await concord(['user', 'add', 'don', '--role', 'donor', '--db', db]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/needs a nation/);
    const token = await concord(['user', 'token', 'obs', '--name', 'ci', '--days', '7', '--db', db]);
    expect(token.code).toBe(0);
    expect(token.out).toMatch(/^cnc_[\w-]{43}$/);
    expect((await concord(['user', 'reset-password', 'obs', '--db', db])).out).toMatch(/^password: /);
    expect((await concord(['user', 'disable', 'obs', '--db', db])).code).toBe(0);
    expect((await concord(['user', 'disable', 'nobody', '--db', db])).code).not.toBe(0);
  }, 60_000);
});
