import { DomainError } from '../domain/errors.ts';

/** Where a command writes: stdout for results, stderr for messages and progress. Tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars only then). */
  isTty: boolean;
  /** Whether stdout is a terminal: JSON printed there is indented for reading, and compact when piped. */
  outIsTty?: boolean;
  env: NodeJS.ProcessEnv;
  /** Reads all of standard input (for secrets such as `--password-stdin`); tests pass their own. */
  readStdin?: () => Promise<string>;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  isTty: Boolean(process.stderr.isTTY),
  outIsTty: Boolean(process.stdout.isTTY),
  env: process.env,
};

/** A user-facing failure of a command: printed without a stack trace, exits with `exitCode`. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Renders a domain error as lines a user can act on. */
export function describeError(error: DomainError): string {
  const lines = [`error: ${error.message}`];
  for (const issue of error.issues.slice(0, 200)) lines.push(`  ${issue.path}: ${issue.message}`);
  if (error.issues.length > 200) lines.push(`  … and ${error.issues.length - 200} more`);
  return lines.join('\n');
}

/**
 * Tells a command's failure on stderr and gives the exit code: 2 for a usage error or refused input,
 * 1 otherwise; never a stack trace unless CONCORD_DEBUG is set.
 */
export function reportFailure(error: unknown, io: CliIo): number {
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

/** Parses a positive integer flag, naming the flag when it is not one. */
export function intFlag(name: string, value: string | undefined, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`, 2);
  }
  return Number(value);
}
