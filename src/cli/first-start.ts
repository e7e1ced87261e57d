import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { CliIo } from './io.ts';

/** On the first start of an empty database, loads reference data and the demo scenario. */
export async function prepareOnFirstStart(db: Kysely<Database>, io: CliIo): Promise<void> {
  const any = await db.selectFrom('nations').select('code').limit(1).executeTakeFirst();
  if (any) return;
  io.err('empty database: loading reference data and the demo scenario (first start only)…');
  // Wired to the demo loader once it lands.
}
