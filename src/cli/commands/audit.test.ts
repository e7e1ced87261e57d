import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { main } from '../main.ts';
import type { CliIo } from '../io.ts';

async function concord(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), isTty: false, env: {} };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('concord audit', () => {
  it('verifies the trail, writes a signed checkpoint, and reports the first broken entry after tampering', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'concord-audit-'));
    const db = join(dir, 'db');
    // Two audited changes: loading the demo scenario is one entry; a plan run is another.
    expect((await concord(['demo', '--db', db])).code).toBe(0);
    expect((await concord(['plan', '--db', db])).code).toBe(0);
    const ok = await concord(['audit', 'verify', '--db', db]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^audit trail intact: 2 entries/);

    const key = join(dir, 'keys', 'audit.pem');
    const checkpointFile = join(dir, 'checkpoint.json');
    const cp = await concord(['audit', 'checkpoint', '--db', db, '--key', key, '--output', checkpointFile]);
    expect(cp.code).toBe(0);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(checkpointFile, 'utf8')).size).toBe(2);
    expect((await concord(['audit', 'verify', '--db', db, '--checkpoint', checkpointFile])).out).toContain('checkpoint OK');

    // Tamper with entry 1 as the database's owner would.
    const pg = await PGlite.create(db);
    await pg.exec(`alter table audit_log disable trigger user; update audit_log set action = 'forged' where seq = 1;`);
    await pg.close();
    const broken = await concord(['audit', 'verify', '--db', db]);
    expect(broken.code).toBe(1);
    expect(broken.out).toBe('BROKEN at entry 1 of 2: its content does not match its hash: the entry was edited');
  }, 60_000);
});
