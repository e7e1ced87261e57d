import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, PlanAllocationsTable, PlansTable, PlanUnmetTable } from './schema.ts';

export type PlanRow = Selectable<PlansTable>;
export type PlanAllocationRow = Selectable<PlanAllocationsTable>;
export type PlanUnmetRow = Selectable<PlanUnmetTable>;

/** A requirement as planning sees it. */
export interface PlanningRequirementRow {
  id: string;
  accepts: string[];
  quantity: number;
  priority: number;
  needBy: string;
  uses: string[];
}

/** A tranche of a plannable pledge, with what planning needs of its pledge and donor. */
export interface PlanningTrancheRow {
  trancheId: string;
  pledgeId: string;
  donor: string;
  groupCode: string;
  quantity: number;
  expectedOn: string;
  forbids: string[];
  designatedTo: string | null;
  channel: string;
  participation: string;
}

/** Requirements in a plannable status. */
export async function loadPlanningRequirements(db: Kysely<Database>, statuses: readonly string[]): Promise<PlanningRequirementRow[]> {
  return db
    .selectFrom('requirements')
    .select(['id', 'accepts', 'quantity', 'priority', 'needBy', 'uses'])
    .where('status', 'in', [...statuses])
    .orderBy('id')
    .execute();
}

/** Tranches with a quantity of goods or seats, of pledges in a plannable status. */
export async function loadPlanningTranches(db: Kysely<Database>, statuses: readonly string[]): Promise<PlanningTrancheRow[]> {
  return db
    .selectFrom('tranches as t')
    .innerJoin('pledges as p', 'p.id', 't.pledgeId')
    .innerJoin('nations as n', 'n.code', 'p.donor')
    .select([
      't.id as trancheId',
      'p.id as pledgeId',
      'p.donor',
      sql<string>`p.group_code`.as('groupCode'),
      sql<number>`t.quantity`.as('quantity'),
      't.expectedOn',
      'p.forbids',
      'p.designatedTo',
      'p.channel',
      'n.participation',
    ])
    .where('p.status', 'in', [...statuses])
    .where('p.groupCode', 'is not', null)
    .where('t.quantity', 'is not', null)
    .orderBy('t.id')
    .execute();
}

/** The next plan number. */
export async function nextPlanSeq(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('plans').select(sql<number>`coalesce(max(seq), 0) + 1`.as('next')).executeTakeFirstOrThrow();
  return row.next;
}

export async function insertPlan(
  db: Kysely<Database>,
  plan: Omit<PlanRow, 'createdAt'>,
  allocations: PlanAllocationRow[],
  unmet: PlanUnmetRow[],
): Promise<PlanRow> {
  const stored = await db
    .insertInto('plans')
    .values({ ...plan, problem: JSON.stringify(plan.problem) })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (let i = 0; i < allocations.length; i += 1000) {
    await db.insertInto('planAllocations').values(allocations.slice(i, i + 1000)).execute();
  }
  for (let i = 0; i < unmet.length; i += 1000) {
    await db.insertInto('planUnmet').values(unmet.slice(i, i + 1000)).execute();
  }
  return stored;
}

/** Plan summaries, newest first, without the stored problem. */
export async function listPlanRows(db: Kysely<Database>, limit: number): Promise<Omit<PlanRow, 'problem'>[]> {
  return db
    .selectFrom('plans')
    .select(['id', 'seq', 'createdAt', 'createdBy', 'fingerprint', 'objective', 'latePenaltyPerDay', 'requirementCount', 'supplyCount', 'allocatedQuantity', 'unmetQuantity', 'solveMs', 'notes'])
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

export async function findPlan(db: Kysely<Database>, id: string): Promise<Omit<PlanRow, 'problem'> | undefined> {
  return db
    .selectFrom('plans')
    .select(['id', 'seq', 'createdAt', 'createdBy', 'fingerprint', 'objective', 'latePenaltyPerDay', 'requirementCount', 'supplyCount', 'allocatedQuantity', 'unmetQuantity', 'solveMs', 'notes'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The problem a plan solved, exactly as the engine received it. */
export async function findPlanProblem(db: Kysely<Database>, id: string): Promise<unknown> {
  const row = await db.selectFrom('plans').select('problem').where('id', '=', id).executeTakeFirst();
  return row?.problem;
}

export async function findPlanAllocations(db: Kysely<Database>, planId: string): Promise<PlanAllocationRow[]> {
  return db.selectFrom('planAllocations').selectAll().where('planId', '=', planId).orderBy('requirementId').orderBy('trancheId').execute();
}

export async function findPlanUnmet(db: Kysely<Database>, planId: string): Promise<PlanUnmetRow[]> {
  return db.selectFrom('planUnmet').selectAll().where('planId', '=', planId).orderBy('requirementId').execute();
}
