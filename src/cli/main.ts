import { Command, CommanderError } from 'commander';
import { processIo, reportFailure, type CliIo } from './io.ts';

/** A command module adds its subcommand to the program. */
export type CommandRegistrar = (program: Command, io: CliIo) => void;

/**
 * Every command of `concord`, one module each, loaded on demand: a command imports only what it
 * needs (the server, the database drivers, the report writers), so `concord plan --input` does not
 * pay for Fastify and `--help` loads them all.
 */
const COMMANDS: Record<string, () => Promise<CommandRegistrar>> = {
  serve: async () => (await import('./commands/serve.ts')).registerServe,
  db: async () => (await import('./commands/db.ts')).registerDb,
  demo: async () => (await import('./commands/demo.ts')).registerDemo,
  plan: async () => (await import('./commands/plan.ts')).registerPlan,
  import: async () => (await import('./commands/import.ts')).registerImport,
  export: async () => (await import('./commands/export.ts')).registerExport,
  audit: async () => (await import('./commands/audit.ts')).registerAudit,
  report: async () => (await import('./commands/report.ts')).registerReport,
  user: async () => (await import('./commands/user.ts')).registerUser,
};

/** Builds the `concord` program with the command named first in argv, or all of them; exported for tests. */
export async function buildProgram(io: CliIo, argv: readonly string[] = []): Promise<Command> {
  const program = new Command('concord')
    .description('Concord: coordinate multinational security assistance')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .showHelpAfterError('(run concord --help for usage)');
  const named = argv.find((a) => !a.startsWith('-'));
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const name of wanted) (await COMMANDS[name]!())(program, io);
  return program;
}

/** Runs `concord` with the given arguments and returns the exit code; never throws for user error. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const program = await buildProgram(io, argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    return reportFailure(error, io);
  }
}
