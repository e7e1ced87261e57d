import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import * as initial from './migrations/0001-initial.ts';
import * as audit from './migrations/0002-audit.ts';
import * as rowSecurity from './migrations/0005-row-security.ts';
import * as plans from './migrations/0006-plans.ts';
import * as auditAppendOnly from './migrations/0008-audit-append-only.ts';
import * as accounts from './migrations/0010-accounts.ts';
import * as rlsFunctions from './migrations/0011-rls-functions.ts';
import * as rlsLookupFunctions from './migrations/0012-rls-lookup-functions.ts';
import * as reportAggregates from './migrations/0013-report-aggregates.ts';
import * as rlsScopeOnce from './migrations/0014-rls-scope-once.ts';
import * as reportCommitments from './migrations/0015-report-commitments.ts';
import * as reportTriggerPlans from './migrations/0016-report-trigger-plans.ts';
import * as reportOpenTranches from './migrations/0017-report-open-tranches.ts';
import * as reportGroupReceipts from './migrations/0018-report-group-receipts.ts';
import * as reportFactsReceivedCover from './migrations/0019-report-facts-received-cover.ts';
import * as pledgesMeetingCover from './migrations/0020-pledges-meeting-cover.ts';
import { DomainError } from '../domain/errors.ts';

/** Every migration, in order. New ones are appended with the next number. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-audit': audit,
  '0005-row-security': rowSecurity,
  '0006-plans': plans,
  '0008-audit-append-only': auditAppendOnly,
  '0010-accounts': accounts,
  '0011-rls-functions': rlsFunctions,
  '0012-rls-lookup-functions': rlsLookupFunctions,
  '0013-report-aggregates': reportAggregates,
  '0014-rls-scope-once': rlsScopeOnce,
  '0015-report-commitments': reportCommitments,
  '0016-report-trigger-plans': reportTriggerPlans,
  '0017-report-open-tranches': reportOpenTranches,
  '0018-report-group-receipts': reportGroupReceipts,
  '0019-report-facts-received-cover': reportFactsReceivedCover,
  '0020-pledges-meeting-cover': pledgesMeetingCover,
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Name the schema in use: Kysely otherwise looks for its bookkeeping tables in any schema, and one
  // PostgreSQL server may hold several Concord schemas (tests isolate by schema).
  const current = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider: new StaticProvider(),
    allowUnorderedMigrations: true,
    migrationTableSchema: current.rows[0]?.schema ?? 'public',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new DomainError('precondition_failed', `migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
