import { z } from 'zod';
import { NATION_KINDS, PARTICIPATION } from '../domain/nations/nation.ts';
import { NationCode, csvList } from './common.ts';

export const NationKind = z.enum(NATION_KINDS);
export const Participation = z.enum(PARTICIPATION).describe('participating, or opted-out: left out of the fair-share key and coordinated tasks');

const Year = z.number().int('must be a whole year').min(1990, 'must be 1990 or later').max(2100, 'must be 2100 or earlier');
const NatoYear = z.number().int('must be a whole year').min(1949, 'NATO was founded in 1949').max(2100, 'must be 2100 or earlier');
const UsdMillion = z.number().refine(Number.isFinite, 'must be a finite number').max(1e12, 'is too large');

/** A new donor nation: an ally (NATO member) or a partner. The recipient is reference data. */
export const NationCreate = z
  .strictObject({
    code: NationCode,
    name: z.string().trim().min(1, 'must not be empty').max(200),
    kind: z.enum(['ally', 'partner']).describe('ally (NATO member) or partner (non-NATO donor)'),
    participation: Participation.default('participating'),
    /** Year of NATO accession; required for an ally, absent for a partner. */
    natoAccessionYear: NatoYear.nullable().optional().describe('Year the nation joined NATO; allies only'),
    source: z.string().max(2000).default(''),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'ally' && v.natoAccessionYear == null) ctx.addIssue({ code: 'custom', path: ['natoAccessionYear'], message: 'an ally needs its NATO accession year' });
    if (v.kind === 'partner' && v.natoAccessionYear != null) ctx.addIssue({ code: 'custom', path: ['natoAccessionYear'], message: 'a partner has no NATO accession year' });
  });
export type NationCreate = z.infer<typeof NationCreate>;

/** Fields of a nation that may change; opting out or back in is the common act. */
export const NationUpdate = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  participation: Participation.optional(),
  kind: z.enum(['ally', 'partner']).optional().describe('A partner that joins NATO becomes an ally'),
  natoAccessionYear: NatoYear.nullable().optional(),
  source: z.string().max(2000).optional(),
});
export type NationUpdate = z.infer<typeof NationUpdate>;

/** One year's economy of a nation, set with PUT. */
export const NationEconomyPut = z.strictObject({
  gdpUsdMillion: UsdMillion.positive('must be positive').describe('GDP, USD million at current prices'),
  defenceUsdMillion: UsdMillion.min(0, 'must not be negative').nullable().optional().describe('Defence expenditure, USD million'),
  /** Defence spending as % of GDP; computed from the two amounts when left out. */
  defencePctGdp: z.number().min(0, 'must not be negative').max(100, 'is a percentage, at most 100').nullable().optional().describe('Defence expenditure as % of GDP; computed when left out'),
  source: z.string().max(2000).default(''),
});
export type NationEconomyPut = z.infer<typeof NationEconomyPut>;

export const NationEconomyKey = z.strictObject({
  code: NationCode,
  year: z.coerce.number().pipe(Year),
});

export const NationEconomy = z.object({
  year: z.number(),
  gdpUsdMillion: z.number(),
  defenceUsdMillion: z.number().nullable(),
  defencePctGdp: z.number().nullable(),
  source: z.string(),
});
export type NationEconomy = z.infer<typeof NationEconomy>;

export const Nation = z.object({
  code: z.string(),
  name: z.string(),
  kind: NationKind,
  participation: Participation,
  natoAccessionYear: z.number().nullable(),
  /** Whether the nation counts in the fair-share key (a participating ally). */
  inFairShareKey: z.boolean().describe('A participating ally counts in the fair-share key'),
  source: z.string(),
  latestEconomy: NationEconomy.nullable().describe('The most recent year with figures'),
  version: z.number(),
  updatedAt: z.string(),
});
export type Nation = z.infer<typeof Nation>;

export const NationDetail = Nation.extend({ economies: z.array(NationEconomy).describe('Figures by year, oldest first') });
export type NationDetail = z.infer<typeof NationDetail>;

export const NATION_SORTS = ['name', 'code', 'gdp'] as const;

export const NationListQuery = z.strictObject({
  kind: csvList(NationKind).optional().describe('ally, partner, recipient (comma-separated)'),
  participation: Participation.optional(),
  sort: z.enum(NATION_SORTS).default('name').describe('gdp sorts by the latest GDP, nations without figures last'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type NationListQuery = z.infer<typeof NationListQuery>;

export const NationList = z.object({ items: z.array(Nation) });
export type NationList = z.infer<typeof NationList>;
