import { closeSync, fchmodSync, fstatSync, openSync, readFileSync, readSync, realpathSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { assemble, READ_WINDOW_SLACK, readAllocationProblem, readAllocationProblemFrom, solvePrepared, summariseAllocation, summariseFigures, writeAllocationJson, type AllocationProblem } from '../engine/allocate/index.ts';
import { acceptValidProblem } from '../engine/allocate/parse.ts';
import { prepare, type Prepared } from '../engine/allocate/prepare.ts';
// io.ts imports no package and no database module (with-db.ts does): this module's bundle is the engine and node:fs.
import { CliError, processIo, reportFailure, type CliIo } from './io.ts';

/** `concord plan --input FILE [--output FILE]` as bin/concord.mjs runs it without the rest of the CLI: the exit code. */
export async function runPlanFile(input: string, output: string | undefined, io: CliIo = processIo): Promise<number> {
  try {
    await solveFile(input, output, io);
    return 0;
  } catch (error) {
    return reportFailure(error, io);
  }
}

/**
 * `concord plan --input FILE [--output FILE]`: solves a problem file with no database. Kept apart from
 * the command's module so that it loads the engine and node:fs only.
 */
export async function solveFile(input: string, output: string | undefined, io: CliIo): Promise<void> {
  if (output) {
    // Opened before the solve, so that a wrong output path is told at once, not after it.
    const file = openOutput(output);
    try {
      const solved = solvePrepared(await loadProblem(input));
      // Straight from the pairs to the file, in one reused chunk: no object per line, no 16 MB string.
      const figures = writeAllocationJson(solved, file.write);
      file.commit();
      io.out(summariseFigures(figures));
    } finally {
      file.abandon();
    }
    return;
  }
  const result = assemble(solvePrepared(await loadProblem(input)));
  // Compact for a pipe (a third of the size, and at 100k lines ~100 ms sooner); indented only for a reader at a terminal.
  io.out(`${JSON.stringify(result, null, io.outIsTty ? 2 : undefined)}\n`);
  io.err(summariseAllocation(result));
}

/** Bytes the reader holds of a file at once (its window): a line of up to half of it is read whole. */
const WINDOW = 1 << 20;
const decode = (bytes: Uint8Array, start: number, end: number) => (bytes as Buffer).toString('utf8', start, end);

/** The problem in `input`, interned for the engine; refused with every problem's JSON path. */
async function loadProblem(input: string): Promise<Prepared> {
  const cannotRead = (error: unknown) => new CliError(`cannot read ${input}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 2);
  let fd: number;
  try {
    fd = openSync(input, 'r');
  } catch (error) {
    throw cannotRead(error);
  }
  let text: string;
  try {
    const stats = fstatSync(fd);
    if (stats.isFile()) {
      // A valid file is read straight into the engine's tables through a 1 MiB window: no buffer or
      // string of the whole file, no object per line (at 100k lines, about half the time of JSON.parse
      // and the checks). A file it declines is read again, whole, by the general path below.
      const window = Buffer.allocUnsafeSlow(WINDOW + READ_WINDOW_SLACK);
      const prepared = readAllocationProblemFrom((into, offset, length) => readSync(fd, into, offset, length, null), { window, size: stats.size, decode });
      if (prepared) return prepared;
      text = readFileSync(input, 'utf8');
    } else {
      // A pipe cannot be read twice: whole, then the text through the same two paths.
      text = readFileSync(fd, 'utf8');
      const prepared = readAllocationProblem(text);
      if (prepared) return prepared;
    }
  } catch (error) {
    // The file system's errors (EISDIR, EIO) are the user's to fix; anything else is a fault of ours.
    throw typeof (error as NodeJS.ErrnoException).code === 'string' ? cannotRead(error) : error;
  } finally {
    closeSync(fd);
  }
  // Any other file takes the general path, which words every problem.
  return prepare(await parseProblem(text, input));
}

/** The problem in `text` through JSON.parse and the validators: refused with every problem's JSON path. */
async function parseProblem(text: string, input: string): Promise<AllocationProblem> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${input} is not valid JSON: ${(error as Error).message}`, 2);
  }
  // A valid file passes the one-pass check; only a refused one loads the contract's Zod schema (~40 ms of start-up) to list its problems.
  return acceptValidProblem(json) ?? (await import('../contracts/allocation.ts')).parseAllocationProblem(json);
}

const NEWLINE = new Uint8Array([0x0a]);

interface OutputFile {
  write(chunk: Uint8Array): void;
  /** Ends the file with a newline and puts it in place. */
  commit(): void;
  /** Removes what was written unless committed; a no-op after commit. */
  abandon(): void;
}

/**
 * Opens `output` for writing through `${output}.${pid}.tmp` beside it, renamed over it on commit, so
 * that a failure leaves the file as it was (or absent), never half a solution.
 * - An existing file keeps its permissions, and a symbolic link is written through, as writeFile would.
 * - A device or a pipe (/dev/null, a FIFO) is written in place: renaming over it would replace it.
 */
function openOutput(output: string): OutputFile {
  let existing: Stats | undefined;
  try {
    existing = statSync(output);
  } catch {
    // no file yet
  }
  const inPlace = existing !== undefined && !existing.isFile();
  const target = existing?.isFile() ? realpathSync(output) : output;
  const temp = inPlace ? output : `${target}.${process.pid}.tmp`;
  let fd = -1;
  let done = false;
  const abandon = () => {
    if (done) return;
    done = true;
    const open = fd;
    fd = -1;
    if (open >= 0) closeSync(open);
    if (!inPlace) rmSync(temp, { force: true });
  };
  try {
    fd = openSync(temp, 'w');
    if (existing?.isFile()) fchmodSync(fd, existing.mode & 0o7777);
  } catch (error) {
    abandon();
    // The path itself is wrong (no such directory, no permission, a directory): a usage error.
    throw new CliError(`cannot write ${output}: ${describeFsError(error)}`, 2);
  }
  const failed = (error: unknown) => new CliError(`cannot write ${output}: ${describeFsError(error)}${inPlace ? '' : '; it is left as it was'}`, 1);
  const write = (chunk: Uint8Array) => {
    try {
      for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at, chunk.length - at);
    } catch (error) {
      throw failed(error);
    }
  };
  const commit = () => {
    write(NEWLINE);
    try {
      const open = fd;
      fd = -1;
      closeSync(open);
      if (!inPlace) renameSync(temp, target);
    } catch (error) {
      throw failed(error);
    }
    done = true;
  };
  return { write, commit, abandon };
}

function describeFsError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'ENOENT') return 'ENOENT (its directory does not exist)';
  return code ?? message;
}
