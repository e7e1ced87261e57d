import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { CliError, type CliIo } from '../io.ts';
import { withDb } from '../with-db.ts';

const DEFAULT_KEY = 'data/keys/audit-ed25519.pem';

/** `concord audit verify|checkpoint`: prove the audit trail is intact, and sign its head. */
export function registerAudit(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('verify the hash-chained audit trail and sign checkpoints of it');
  audit
    .command('verify')
    .description('walk the chain and report the first entry that does not verify; with --checkpoint, prove the chain extends it')
    .option('--checkpoint <file>', 'a checkpoint written by `concord audit checkpoint`')
    .option('--db <path>', 'embedded database directory (default ./data/db), or a postgres:// URL')
    .action(async (opts: { checkpoint?: string; db?: string }) => {
      const { verifyAuditChain } = await import('../../services/audit-verify.ts');
      let checkpoint: import('../../services/audit-verify.ts').AuditCheckpoint | undefined;
      if (opts.checkpoint) {
        try {
          checkpoint = JSON.parse(await readFile(opts.checkpoint, 'utf8'));
        } catch (error) {
          throw new CliError(`cannot read the checkpoint ${opts.checkpoint}: ${(error as Error).message}`, 2);
        }
      }
      await withDb(opts, io, async (handle) => {
        const v = await verifyAuditChain(handle.db, checkpoint);
        if (v.firstBreak) {
          io.out(`BROKEN at entry ${v.firstBreak.seq} of ${v.entries}: ${v.firstBreak.reason}`);
          throw new CliError('the audit trail does not verify', 1);
        }
        io.out(`audit trail intact: ${v.entries} entries, head ${v.head?.hash ?? '(empty)'}`);
        if (v.checkpoint) {
          io.out(`${v.checkpoint.ok ? 'checkpoint OK' : 'checkpoint FAILED'}: ${v.checkpoint.reason}`);
          if (!v.checkpoint.ok) throw new CliError('the audit trail does not extend the checkpoint', 1);
        }
      });
    });
  audit
    .command('checkpoint')
    .description('sign the chain head (size and hash) with an Ed25519 key, to keep the file outside the database')
    .requiredOption('--output <file>', 'where to write the checkpoint (JSON)')
    .option('--key <file>', `Ed25519 private key, PEM; created when missing (default ${DEFAULT_KEY})`)
    .option('--db <path>', 'embedded database directory (default ./data/db), or a postgres:// URL')
    .action(async (opts: { output: string; key?: string; db?: string }) => {
      const { createAuditCheckpoint, generateCheckpointKey } = await import('../../services/audit-verify.ts');
      const keyFile = opts.key ?? DEFAULT_KEY;
      if (!existsSync(keyFile)) {
        await mkdir(dirname(keyFile), { recursive: true });
        await writeFile(keyFile, generateCheckpointKey().privateKey, { mode: 0o600 });
        await chmod(keyFile, 0o600);
        io.err(`created a new checkpoint key at ${keyFile} (keep it secret; its public half is in every checkpoint)`);
      }
      const key = await readFile(keyFile, 'utf8');
      await withDb(opts, io, async (handle) => {
        let checkpoint;
        try {
          checkpoint = await createAuditCheckpoint(handle.db, key);
        } catch (error) {
          throw new CliError((error as Error).message, 1);
        }
        await writeFile(opts.output, `${JSON.stringify(checkpoint, null, 2)}\n`);
        io.out(`checkpoint of ${checkpoint.size} entries (head ${checkpoint.headHash}) written to ${opts.output}`);
      });
    });
}
