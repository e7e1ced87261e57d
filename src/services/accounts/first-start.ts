import type { ServiceDeps } from '../context.ts';
import { hasCoordinator } from './users.ts';

/**
 * What to tell the operator when no one can sign in yet: how to create the first coordinator (Concord has
 * no default password). Null once an enabled coordinator exists. `dbFlag` repeats the server's --db option
 * in the suggested command.
 */
export async function firstStartHint(deps: ServiceDeps, opts: { dbFlag?: string } = {}): Promise<string | null> {
  if (await hasCoordinator(deps)) return null;
  const db = opts.dbFlag ? ` --db ${opts.dbFlag}` : '';
  return [
    'No coordinator account exists yet, so no one can sign in. Create the first one with:',
    `  concord user add <username> --role coordinator${db}`,
    '(it prints a generated password once; or pipe your own in with --password-stdin). Then create the other',
    `users with \`concord user add <username> --role donor --nation DEU${db}\` and so on, or from the API as that coordinator.`,
  ].join('\n');
}
