import type { FieldIssue } from '../domain/errors.ts';
import type { Tx } from './context.ts';

/** Reference checks shared by the use cases that name catalog entries, nations, meetings and requirements. */
export async function missingGroups(tx: Tx, codes: readonly string[], path: string): Promise<FieldIssue[]> {
  if (codes.length === 0) return [];
  const found = await tx.selectFrom('itemGroups').select('code').where('code', 'in', [...new Set(codes)]).execute();
  const known = new Set(found.map((r) => r.code));
  return codes.flatMap((c, i) => (known.has(c) ? [] : [{ path: `${path}/${i}`, message: `unknown item group ${c}` }]));
}

/** The item type with its group and area, or undefined. */
export async function findItem(tx: Tx, code: string) {
  return tx.selectFrom('itemTypes').select(['code', 'groupCode', 'capabilityArea']).where('code', '=', code).executeTakeFirst();
}

/** The capability area of a group, or undefined when the group is unknown. */
export async function groupArea(tx: Tx, code: string): Promise<string | undefined> {
  const row = await tx.selectFrom('itemGroups').select('capabilityArea').where('code', '=', code).executeTakeFirst();
  return row?.capabilityArea;
}
