import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { loadDemoScenario } from '../services/demo/index.ts';
import { SYSTEM_ACTOR } from '../services/context.ts';
import type { CliIo } from './io.ts';

/** On the first start of an empty database, loads reference data and the demo scenario. */
export async function prepareOnFirstStart(db: Kysely<Database>, io: CliIo): Promise<void> {
  const any = await db.selectFrom('nations').select('code').limit(1).executeTakeFirst();
  if (any) return;
  io.err('empty database: loading reference data and the demo scenario (first start only; --no-demo skips it)…');
  const result = await loadDemoScenario(db, { actor: SYSTEM_ACTOR });
  io.err(`demo scenario loaded in ${(result.ms / 1000).toFixed(1)} s: ${result.inserted.requirements} requirements, ${result.inserted.pledges} pledges, ${result.inserted.deliveries} deliveries`);
}
