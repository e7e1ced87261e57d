import { Command, CommanderError } from 'commander';
import { DomainError } from '../domain/errors.ts';
import { CliError, describeError, processIo, type CliIo } from './io.ts';
import { registerServe } from './commands/serve.ts';
import { registerDb } from './commands/db.ts';
import { registerDemo } from './commands/demo.ts';
import { registerPlan } from './commands/plan.ts';
import { registerImport } from './commands/import.ts';
import { registerExport } from './commands/export.ts';

/** A command module adds its subcommand to the program. */
export type CommandRegistrar = (program: Command, io: CliIo) => void;

/** Every command of `concord`, one module each. */
const COMMANDS: CommandRegistrar[] = [registerServe, registerDb, registerDemo, registerPlan, registerImport, registerExport];

/** Builds the `concord` program; exported so tests can run commands in-process. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('concord')
    .description('Concord: coordinate multinational security assistance')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .showHelpAfterError('(run concord --help for usage)');
  for (const register of COMMANDS) register(program, io);
  return program;
}

/** Runs `concord` with the given arguments and returns the exit code; never throws for user error. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CliError) {
      io.err(`error: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof DomainError) {
      io.err(describeError(error));
      return error.code === 'invalid_input' ? 2 : 1;
    }
    io.err(`error: unexpected failure: ${(error as Error)?.message ?? String(error)}`);
    if (io.env.CONCORD_DEBUG) io.err(String((error as Error)?.stack));
    return 1;
  }
}
