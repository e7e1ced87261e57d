import type { Kysely } from 'kysely';
import { execStatements } from './exec-statements.ts';

/**
 * Plans: solved allocations, kept as numbered versions.
 * - `fingerprint` is the SHA-256 of the problem the engine solved, so two plans of identical inputs
 *   are recognisable and any plan can be reproduced from its stored problem.
 * - Allocations name the tranche (the engine's unit of supply) and its pledge.
 * - `recommendation` marks lines that are advice to a donor (undesignated bilateral pledges, opted-out
 *   nations), never coordinated tasks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
create table plans (
  id text primary key,
  seq integer not null unique check (seq >= 1),
  created_at timestamptz not null default now(),
  created_by text not null,
  fingerprint text not null,
  objective double precision not null,
  late_penalty_per_day double precision not null check (late_penalty_per_day >= 0),
  requirement_count integer not null,
  supply_count integer not null,
  allocated_quantity bigint not null,
  unmet_quantity bigint not null,
  solve_ms double precision not null,
  problem jsonb not null,
  notes text not null default ''
);
create table plan_allocations (
  plan_id text not null references plans(id) on delete cascade,
  tranche_id text not null,
  pledge_id text not null,
  requirement_id text not null,
  quantity bigint not null check (quantity > 0),
  late_days integer not null check (late_days >= 0),
  recommendation boolean not null default false,
  primary key (plan_id, tranche_id, requirement_id)
);
create index plan_allocations_requirement on plan_allocations(plan_id, requirement_id);
create index plan_allocations_pledge on plan_allocations(plan_id, pledge_id);
create table plan_unmet (
  plan_id text not null references plans(id) on delete cascade,
  requirement_id text not null,
  quantity bigint not null check (quantity > 0),
  reason text not null check (reason in ('no-compatible-supply', 'supply-too-late', 'outranked')),
  primary key (plan_id, requirement_id, reason)
);
`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `drop table if exists plan_unmet, plan_allocations, plans;`);
}
