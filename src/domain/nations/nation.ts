/** How a nation takes part: NATO member, non-NATO donor, or the nation being helped. */
export const NATION_KINDS = ['ally', 'partner', 'recipient'] as const;
export type NationKind = (typeof NATION_KINDS)[number];

/** Participation is voluntary: an opted-out nation vetoes nothing and is asked for nothing. */
export const PARTICIPATION = ['participating', 'opted-out'] as const;
export type Participation = (typeof PARTICIPATION)[number];

export interface Nation {
  /** ISO 3166-1 alpha-3 code, upper case. */
  code: string;
  name: string;
  kind: NationKind;
  participation: Participation;
  /** Year the nation joined NATO; null for partners and the recipient. */
  natoAccessionYear: number | null;
  /** Where the reference facts come from. */
  source: string;
}

/** One year's economic facts of a nation, in USD million (current prices). */
export interface NationEconomy {
  nation: string;
  year: number;
  gdpUsdMillion: number;
  defenceUsdMillion: number | null;
  defencePctGdp: number | null;
  source: string;
}

const ISO3 = /^[A-Z]{3}$/;

/** Whether a string is a well-formed ISO alpha-3 code (upper case letters only). */
export function isNationCode(value: string): boolean {
  return ISO3.test(value);
}

/** Whether the nation counts in the fair-share key: a participating ally. */
export function inFairShareKey(nation: Pick<Nation, 'kind' | 'participation'>): boolean {
  return nation.kind === 'ally' && nation.participation === 'participating';
}
