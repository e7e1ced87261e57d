import type { Command } from 'commander';
import { buildApp } from '../../api/app.ts';
import { intFlag, CliError, type CliIo } from '../io.ts';
import { withDb } from '../with-db.ts';
import { prepareOnFirstStart } from '../first-start.ts';

/** `concord serve`: the API and the web app on one port, until interrupted. */
export function registerServe(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('serve the API and the web app (default http://localhost:8080)')
    .option('--port <n>', 'port to listen on (default 8080, or PORT)')
    .option('--host <host>', 'address to bind (default localhost)', 'localhost')
    .option('--db <path>', 'embedded database directory (default ./data/db), or a postgres:// URL')
    .option('--no-demo', 'do not load the demo scenario into an empty database')
    .action(async (opts: { port?: string; host: string; db?: string; demo: boolean }) => {
      const port = intFlag('port', opts.port ?? io.env.PORT, { min: 1, max: 65535 }) ?? 8080;
      await withDb(opts, io, async (handle) => {
        if (opts.demo) await prepareOnFirstStart(handle.db, io);
        const { hasCoordinator } = await import('../../services/accounts/users.ts');
        if (!(await hasCoordinator({ db: handle.db }))) {
          const embedded = handle.target.kind === 'pglite';
          io.err(`no coordinator account exists yet, so no one can sign in. Create the first one with${embedded ? ' (stop the server first: the embedded database takes one process at a time)' : ''}:`);
          io.err(`  concord user add <username> --role coordinator${opts.db ? ` --db ${opts.db}` : ''}   (prints a generated password once; or pipe one in with --password-stdin)`);
        }
        const app = await buildApp({ deps: { db: handle.db }, dbKind: handle.target.kind, logger: { level: io.env.LOG_LEVEL ?? 'info' } });
        try {
          await app.listen({ port, host: opts.host });
        } catch (error) {
          throw new CliError(`cannot listen on ${opts.host}:${port}: ${(error as Error).message}`);
        }
        io.err(`Concord is serving http://${opts.host}:${port}  (API docs: http://${opts.host}:${port}/api/docs)`);
        await new Promise<void>((resolveStop) => {
          const stop = () => resolveStop();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        io.err('stopping…');
        await app.close();
      });
    });
}
