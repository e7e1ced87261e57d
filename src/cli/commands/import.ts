import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, type CliIo } from '../io.ts';
import { withDb } from '../with-db.ts';
import { SYSTEM_ACTOR } from '../../services/context.ts';
import { describePosition } from '../../services/import-export/cells.ts';
import { IMPORT_ENTITIES, type ImportEntity } from '../../services/import-export/entity.ts';
import { importFile, type ImportProgress } from '../../services/import-export/import-file.ts';
import { FILE_FORMATS, formatFromName, type FileFormat } from '../../services/import-export/read-table.ts';

/** Checks the entity argument, listing the accepted ones. */
export function entityArg(value: string): ImportEntity {
  const entity = value.trim().toLowerCase();
  if (!(IMPORT_ENTITIES as readonly string[]).includes(entity)) {
    throw new CliError(`unknown entity "${value}"; choose one of ${IMPORT_ENTITIES.join(', ')}`, 2);
  }
  return entity as ImportEntity;
}

/** Checks a --format flag, or derives the format from a file name. */
export function formatArg(flag: string | undefined, fileName: string | undefined, fallback?: FileFormat): FileFormat {
  if (flag !== undefined) {
    const format = flag.trim().toLowerCase();
    if (!(FILE_FORMATS as readonly string[]).includes(format)) throw new CliError(`--format must be csv or xlsx, not "${flag}"`, 2);
    return format as FileFormat;
  }
  const fromName = fileName ? formatFromName(fileName) : undefined;
  if (fromName) return fromName;
  if (fallback) return fallback;
  throw new CliError(`cannot tell the format of ${fileName} from its name: pass --format csv or --format xlsx`, 2);
}

/** Progress lines on a terminal for long imports: one per phase and per 10% of the rows. */
function progressPrinter(io: CliIo, entity: string): ((p: ImportProgress) => void) | undefined {
  if (!io.isTty) return undefined;
  let lastTenth = -1;
  let lastPhase = '';
  return (p) => {
    if (p.total < 2000) return;
    const tenth = Math.floor((p.done / p.total) * 10);
    if (p.phase === lastPhase && tenth === lastTenth) return;
    lastPhase = p.phase;
    lastTenth = tenth;
    const verb = { read: 'read', check: 'checking', write: 'writing' }[p.phase];
    io.err(p.phase === 'read' ? `${entity}: ${verb} ${p.done}/${p.total} rows` : `${entity}: ${verb} ${p.phase === 'write' ? `${p.done}/${p.total} changes` : `${p.total} rows`}…`);
  };
}

/** `concord import <entity> FILE`: all-or-nothing import of a CSV or XLSX file. */
export function registerImport(program: Command, io: CliIo): void {
  program
    .command('import')
    .description(`import a CSV or XLSX file of ${IMPORT_ENTITIES.join(', ')} (all or nothing; see docs/import-export.md)`)
    .argument('<entity>', IMPORT_ENTITIES.join(' | '))
    .argument('<file>', 'the .csv or .xlsx file')
    .option('--format <format>', 'csv or xlsx (default: from the file extension)')
    .option('--dry-run', 'check every row and report what would change, writing nothing')
    .option('--db <path>', 'embedded database directory (default ./data/db), or a postgres:// URL')
    .action(async (entityName: string, file: string, opts: { format?: string; dryRun?: boolean; db?: string }) => {
      const entity = entityArg(entityName);
      const format = formatArg(opts.format, file);
      let data: Buffer;
      try {
        data = await readFile(file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new CliError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`, 2);
      }
      await withDb(opts, io, async (handle) => {
        const onProgress = progressPrinter(io, entity);
        const started = performance.now();
        const report = await importFile({ db: handle.db }, SYSTEM_ACTOR, { entity, data, format, dryRun: opts.dryRun ?? false, ...(onProgress ? { onProgress } : {}) });
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        if (report.issues.length > 0) {
          const badRows = new Set(report.issues.map((i) => `${i.sheet ?? ''}#${i.line}`)).size;
          const lines = report.issues.slice(0, 500).map((i) => `  ${describePosition(i)}: ${i.message}`);
          if (report.issues.length > 500) lines.push(`  … and ${report.issues.length - 500} more`);
          throw new CliError(`${file}: ${badRows} bad row${badRows === 1 ? '' : 's'} of ${report.rows}; nothing was imported\n${lines.join('\n')}`, 2);
        }
        const counts = `${report.rows} rows: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged`;
        io.out(report.dryRun ? `${entity} (dry run, nothing written): ${counts}` : `${entity} imported from ${file} in ${seconds} s: ${counts}`);
      });
    });
}
