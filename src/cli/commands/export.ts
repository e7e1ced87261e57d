import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { CliError, type CliIo } from '../io.ts';
import { withDb } from '../with-db.ts';
import { SYSTEM_ACTOR } from '../../services/context.ts';
import { IMPORT_ENTITIES } from '../../services/import-export/entity.ts';
import { exportEntity } from '../../services/import-export/export-entity.ts';
import { entityArg, formatArg } from './import.ts';

/** `concord export <entity>`: every record as CSV (stdout or a file) or XLSX (a file), in the import's columns. */
export function registerExport(program: Command, io: CliIo): void {
  program
    .command('export')
    .description(`export ${IMPORT_ENTITIES.join(', ')} as CSV or XLSX, in the columns the import reads`)
    .argument('<entity>', IMPORT_ENTITIES.join(' | '))
    .option('--format <format>', 'csv or xlsx (default: from --output, else csv)')
    .option('--output <file>', 'file to write (default: CSV on standard output)')
    .option('--db <path>', 'embedded database directory (default ./data/db), or a postgres:// URL')
    .action(async (entityName: string, opts: { format?: string; output?: string; db?: string }) => {
      const entity = entityArg(entityName);
      const format = formatArg(opts.format, opts.output, 'csv');
      if (format === 'xlsx' && !opts.output) throw new CliError('XLSX is a binary file: name it with --output FILE.xlsx', 2);
      await withDb(opts, io, async (handle) => {
        if (!opts.output) {
          const stdout = new Writable({
            write(chunk: Buffer | string, _enc, done) {
              io.out(chunk.toString());
              done();
            },
          });
          await exportEntity({ db: handle.db }, SYSTEM_ACTOR, { entity, format, out: stdout });
          stdout.end();
          return;
        }
        // Written beside the target and renamed at the end, so a failed export never leaves half a file.
        const partial = `${opts.output}.partial`;
        const file = createWriteStream(partial);
        const opened = new Promise<void>((resolve, reject) => file.once('open', () => resolve()).once('error', reject));
        try {
          await opened;
          const { rows } = await exportEntity({ db: handle.db }, SYSTEM_ACTOR, { entity, format, out: file });
          file.end();
          await finished(file);
          await rename(partial, opts.output);
          io.err(`exported ${rows} ${entity} rows to ${opts.output}`);
        } catch (error) {
          file.destroy();
          await rm(partial, { force: true });
          if ((error as NodeJS.ErrnoException).code && !(error instanceof CliError) && 'path' in (error as object)) {
            throw new CliError(`cannot write ${opts.output}: ${(error as Error).message}`, 1);
          }
          throw error;
        }
      });
    });
}
