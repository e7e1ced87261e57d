import type { Command } from 'commander';
import { CliError, intFlag, type CliIo } from '../io.ts';
import { withDb } from '../with-db.ts';
import { SYSTEM_ACTOR } from '../../services/context.ts';

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The password piped on stdin (first line, without its line break), or undefined to generate one. */
async function passwordFrom(opts: { passwordStdin?: boolean }, io: CliIo): Promise<string | undefined> {
  if (!opts.passwordStdin) return undefined;
  const text = await (io.readStdin ?? readProcessStdin)();
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line.length === 0) throw new CliError('--password-stdin: no password on standard input', 2);
  return line;
}

const DB_OPTION = ['--db <path>', 'embedded database directory (default ./data/db), or a postgres:// URL'] as const;

/** `concord user add|disable|reset-password|token|revoke-token`: accounts, managed on the operator's machine. */
export function registerUser(program: Command, io: CliIo): void {
  const user = program.command('user').description('manage user accounts and API tokens');
  user
    .command('add <username>')
    .description('create a user; the password is read with --password-stdin or generated and printed once')
    .requiredOption('--role <role>', 'coordinator, recipient, donor, industry or observer')
    .option('--nation <code>', 'ISO 3166 alpha-3 nation the user speaks for (recipient, donor, industry)')
    .option('--password-stdin', 'read the password from standard input')
    .option(...DB_OPTION)
    .action(async (username: string, opts: { role: string; nation?: string; passwordStdin?: boolean; db?: string }) => {
      const { createUser } = await import('../../services/accounts/users.ts');
      const password = await passwordFrom(opts, io);
      await withDb(opts, io, async (h) => {
        const r = await createUser({ db: h.db }, SYSTEM_ACTOR, { username, role: opts.role, nation: opts.nation ?? null, ...(password === undefined ? {} : { password }) });
        io.err(`created ${r.user.role} ${r.user.username}${r.user.nation ? ` (${r.user.nation})` : ''}`);
        if (r.generatedPassword) io.out(`password: ${r.generatedPassword}\n(shown once; it is stored only as a hash)`);
      });
    });
  user
    .command('disable <username>')
    .description('disable a user and end their sessions')
    .option(...DB_OPTION)
    .action(async (username: string, opts: { db?: string }) => {
      const { disableUser } = await import('../../services/accounts/users.ts');
      await withDb(opts, io, async (h) => {
        await disableUser({ db: h.db }, SYSTEM_ACTOR, username);
        io.err(`disabled ${username}`);
      });
    });
  user
    .command('reset-password <username>')
    .description('set a new password (from --password-stdin, or generated and printed once) and end the user’s sessions')
    .option('--password-stdin', 'read the password from standard input')
    .option(...DB_OPTION)
    .action(async (username: string, opts: { passwordStdin?: boolean; db?: string }) => {
      const { resetPassword } = await import('../../services/accounts/users.ts');
      const password = await passwordFrom(opts, io);
      await withDb(opts, io, async (h) => {
        const r = await resetPassword({ db: h.db }, SYSTEM_ACTOR, username, password);
        io.err(`reset the password of ${username}`);
        if (r.generatedPassword) io.out(`password: ${r.generatedPassword}\n(shown once; it is stored only as a hash)`);
      });
    });
  user
    .command('token <username>')
    .description('issue an API token for machines (Authorization: Bearer …); printed once, stored hashed')
    .option('--name <name>', 'what the token is for', '')
    .option('--days <n>', 'days until it expires (default 90)')
    .option(...DB_OPTION)
    .action(async (username: string, opts: { name: string; days?: string; db?: string }) => {
      const { issueToken } = await import('../../services/accounts/tokens.ts');
      const days = intFlag('days', opts.days, { min: 1, max: 366 }) ?? 90;
      await withDb(opts, io, async (h) => {
        const t = await issueToken({ db: h.db }, SYSTEM_ACTOR, username, { name: opts.name, days });
        io.err(`token ${t.id} for ${username}, expires ${t.expiresAt.toISOString()} (shown once)`);
        io.out(t.token);
      });
    });
  user
    .command('revoke-token <id>')
    .description('revoke an API token by its id')
    .option(...DB_OPTION)
    .action(async (id: string, opts: { db?: string }) => {
      const { revokeToken } = await import('../../services/accounts/tokens.ts');
      await withDb(opts, io, async (h) => {
        await revokeToken({ db: h.db }, SYSTEM_ACTOR, id);
        io.err(`revoked token ${id}`);
      });
    });
}
