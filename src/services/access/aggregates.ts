import { sql } from 'kysely';
import type { PledgeAggregatePage, PledgeAggregateQuery } from '../../contracts/pledge-aggregates.ts';
import type { Actor, ServiceDeps } from '../context.ts';
import { runUseCase } from '../use-case.ts';

/** Cells made of fewer donors than this show no quantity to anyone but coordinators. */
export const MIN_DONORS_FOR_QUANTITY = 3;

/**
 * Pledges of every donor as aggregates: per capability area and month of announcement, counts and units,
 * no line, no donor name. This is what a donor sees of other donors' pledges that are not released to it,
 * and all that industry and observers see. It runs with the `aggregate` row scope (row-level security lets
 * it count every row) and returns only sums; a cell of fewer than three donors hides its quantity, since a
 * donor that knows its own part could otherwise read another's from it.
 */
export async function aggregatePledges(deps: ServiceDeps, actor: Actor, query: PledgeAggregateQuery): Promise<PledgeAggregatePage> {
  return runUseCase(deps, actor, { entity: 'pledge', verb: 'read', scope: 'aggregate' }, async (tx) => {
    let q = tx
      .selectFrom('pledges')
      .select([
        sql<string>`coalesce(capability_area, 'funding')`.as('capabilityArea'),
        sql<string>`to_char(announced_on, 'YYYY-MM')`.as('month'),
        sql<number>`count(*)::int`.as('pledges'),
        sql<number>`count(distinct donor)::int`.as('donors'),
        sql<number>`coalesce(sum(quantity), 0)::float8`.as('quantity'),
      ])
      .where('status', '<>', 'withdrawn');
    if (query.from) q = q.where('announcedOn', '>=', query.from);
    if (query.to) q = q.where('announcedOn', '<=', query.to);
    const rows = await q.groupBy([sql`1`, sql`2`]).orderBy(sql`2`).orderBy(sql`1`).execute();
    const seesAll = actor.role === 'coordinator';
    return {
      items: rows.map((r) => ({
        capabilityArea: r.capabilityArea,
        month: r.month,
        pledges: Number(r.pledges),
        donors: Number(r.donors),
        quantity: seesAll || Number(r.donors) >= MIN_DONORS_FOR_QUANTITY ? Number(r.quantity) : null,
      })),
      minDonorsForQuantity: MIN_DONORS_FOR_QUANTITY,
    };
  });
}
