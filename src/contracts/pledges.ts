import { z } from 'zod';
import { PLEDGE_CHANNELS, PLEDGE_HORIZONS, PLEDGE_KINDS, PLEDGE_STATUSES } from '../domain/pledges/pledge.ts';
import { CURRENCY_DIGITS, isCurrency } from '../domain/money/money.ts';
import { CapabilityArea, CatalogCode, ExternalId, IsoDate, NationCode, Page, PageParams, Quantity, Tag, csvList } from './common.ts';

export const PledgeKind = z.enum(PLEDGE_KINDS);
export const PledgeChannel = z.enum(PLEDGE_CHANNELS);
export const PledgeHorizon = z.enum(PLEDGE_HORIZONS);
export const PledgeStatus = z.enum(PLEDGE_STATUSES);

/** An ISO 4217 code of a currency Concord values money in. */
export const Currency = z.string().refine(isCurrency, 'is not a currency Concord knows (ISO 4217, such as EUR)').describe('ISO 4217 currency code');

/** An amount of money in major units (euros, not cents). */
export const MajorAmount = z.number().finite().nonnegative('must not be negative').max(1e13, 'is too large').describe('Amount in major units of the currency');

/** A pledge id: like any external id, and never containing `/` (tranche ids are `<pledge id>/T<n>`). */
export const PledgeId = ExternalId.refine((id) => id !== 'next', '"next" is reserved');

/** A tranche id `<pledge id>/T<n>`. */
export const TrancheId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\/T[1-9]\d{0,3}$/, 'must be a tranche id such as P-000123/T1');

/** One scheduled part of a pledge as a donor gives it. */
export const TrancheInput = z.strictObject({
  /** Units of the tranche (in-kind, procurement, training); left out for funding. */
  quantity: Quantity.optional().describe('Units in this tranche (not for funding)'),
  /** Money of the tranche in major units of the pledge's currency (funding only). */
  amount: z.number().finite().positive('must be positive').max(1e13, 'is too large').optional().describe('Funding only: amount of this tranche, in major units'),
  /** Date the donor expects the tranche to be available. */
  expectedOn: IsoDate.describe('Date the tranche is expected to be available'),
});
export type TrancheInput = z.infer<typeof TrancheInput>;

const Years = z
  .array(z.number().int('must be a whole year').min(1990, 'must be 1990 or later').max(2100, 'must be 2100 or earlier'))
  .max(30)
  .refine((ys) => new Set(ys).size === ys.length, 'lists a year twice');

/** The fields of a pledge the cross-field rules look at, with money in major units. Values may be invalid. */
export interface PledgeShape {
  kind?: unknown;
  itemCode?: unknown;
  group?: unknown;
  quantity?: unknown;
  amount?: unknown;
  currency?: unknown;
  horizon?: unknown;
  years?: unknown;
  announcedOn?: unknown;
  tranches?: unknown;
}

/** A rule broken by a combination of fields, located by its path in the pledge. */
export interface ShapeIssue {
  path: (string | number)[];
  message: string;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const given = (v: unknown) => v !== undefined && v !== null;

/** Minor units of a major amount, rounding half away from zero, as `moneyFromMajor` does. */
function minorOf(amount: number, currency: string): number {
  const scaled = amount * 10 ** (CURRENCY_DIGITS[currency] ?? 2);
  return Math.sign(scaled) * Math.round(Math.abs(scaled));
}

/**
 * The rules of a pledge that span several fields. Each looks only at fields that are themselves valid, so
 * one bad field is reported once, by its own schema, and the other rules are still checked.
 * - funding: amount and currency, no item, group or quantity; tranches give amounts adding up to the amount;
 * - goods and training: an item or a group and a quantity; tranches give quantities adding up to it;
 * - a declared value needs its currency and the other way round;
 * - multi-year needs years; one-off has none;
 * - no tranche is expected before the pledge was announced.
 */
export function pledgeShapeIssues(v: PledgeShape): ShapeIssue[] {
  const issues: ShapeIssue[] = [];
  if (typeof v !== 'object' || v === null) return issues;
  const funding = v.kind === 'funding';
  const goods = isStr(v.kind) && (PLEDGE_KINDS as readonly string[]).includes(v.kind) && !funding;
  const currencyOk = isStr(v.currency) && isCurrency(v.currency);
  if (funding) {
    for (const key of ['itemCode', 'group', 'quantity'] as const) {
      if (given(v[key])) issues.push({ path: [key], message: 'must be left out of a funding pledge (give amount and currency)' });
    }
    if (!given(v.amount)) issues.push({ path: ['amount'], message: 'is required for a funding pledge' });
    if (!given(v.currency)) issues.push({ path: ['currency'], message: 'is required for a funding pledge' });
  } else if (goods) {
    if (!given(v.itemCode) && !given(v.group)) issues.push({ path: ['group'], message: `give the itemCode or the group of a ${String(v.kind)} pledge` });
    if (!given(v.quantity)) issues.push({ path: ['quantity'], message: `is required for a ${String(v.kind)} pledge` });
    if (given(v.amount) && !given(v.currency)) issues.push({ path: ['currency'], message: 'is required with a declared value (amount)' });
    if (given(v.currency) && !given(v.amount)) issues.push({ path: ['amount'], message: 'is required with a currency' });
  }
  const years = Array.isArray(v.years) ? v.years : undefined;
  if (v.horizon === 'multi-year' && years && years.length === 0) issues.push({ path: ['years'], message: 'is required for a multi-year pledge' });
  if (v.horizon === 'one-off' && years && years.length > 0) issues.push({ path: ['horizon'], message: 'is one-off but years are given: write multi-year or leave the years out' });

  if (!Array.isArray(v.tranches) || (!funding && !goods)) return issues;
  const tranches = v.tranches as unknown[];
  let sum = 0;
  let sumOk = true;
  tranches.forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null) {
      sumOk = false;
      return;
    }
    const t = raw as Record<string, unknown>;
    if (isStr(v.announcedOn) && isStr(t.expectedOn) && t.expectedOn < v.announcedOn) {
      issues.push({ path: ['tranches', i, 'expectedOn'], message: `${t.expectedOn} is before the pledge was announced on ${v.announcedOn}` });
    }
    const own = funding ? 'amount' : 'quantity';
    const other = funding ? 'quantity' : 'amount';
    if (given(t[other])) issues.push({ path: ['tranches', i, other], message: funding ? 'must be left out: a funding tranche gives an amount' : 'must be left out: this tranche gives a quantity' });
    const value = t[own];
    if (!given(value)) {
      issues.push({ path: ['tranches', i, own], message: `is required for a tranche of a ${String(v.kind)} pledge` });
      sumOk = false;
    } else if (!isNum(value)) sumOk = false;
    else sum += funding ? (currencyOk ? minorOf(value, v.currency as string) : 0) : value;
  });
  if (!sumOk) return issues;
  if (funding && isNum(v.amount) && currencyOk) {
    const total = minorOf(v.amount, v.currency as string);
    if (sum !== total) {
      const digits = CURRENCY_DIGITS[v.currency as string] ?? 2;
      const show = (minor: number) => (minor / 10 ** digits).toFixed(digits);
      issues.push({ path: ['tranches'], message: `add up to ${show(sum)} ${String(v.currency)} but the amount is ${show(total)} ${String(v.currency)}` });
    }
  }
  if (goods && isNum(v.quantity) && sum !== v.quantity) {
    issues.push({ path: ['tranches'], message: `add up to ${sum} but the quantity is ${v.quantity}` });
  }
  return issues;
}

/** Adds the cross-field issues to a Zod context, even when some fields are themselves invalid. */
function refineShape(v: PledgeShape, ctx: z.RefinementCtx): void {
  for (const issue of pledgeShapeIssues(v)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}
/** Runs a refinement even when some fields failed, as long as the value is an object at all. */
export const onAnyObject = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value) };

/** Who may see a pledge line besides its donor and the coordinators (src/services/access/releasability.ts). */
export const Releasability = z
  .array(z.string().max(200))
  .min(1)
  .max(60)
  .describe('Labels: owner, coordinators, recipient, all participants, REL TO <nations> (e.g. "REL TO POL, LTU"). Default owner, coordinators, recipient; leave out recipient to keep the line from it');

/**
 * A new offer line of a donor, tranches included. Every rule that needs no database is checked here, so the
 * schema alone validates an imported row; references (donor, item, group, requirement, meeting) are checked
 * by the service.
 */
export const PledgeCreate = z
  .strictObject({
    id: PledgeId.optional().describe('External id; generated as P-nnnnnn when left out'),
    donor: NationCode.describe('Donor nation'),
    kind: PledgeKind,
    channel: PledgeChannel.describe('coordinated through the coordinator, or bilateral'),
    itemCode: CatalogCode.optional().describe('Item type offered (not for funding); its group is the pledge’s group'),
    group: CatalogCode.optional().describe('Interchangeability group offered (not for funding); derived from the item when left out'),
    quantity: Quantity.optional().describe('Total units (not for funding); equals the sum of the tranches'),
    amount: MajorAmount.optional().describe('Funding: the amount; otherwise an optional declared value. In major units of currency'),
    currency: Currency.optional(),
    horizon: PledgeHorizon.default('one-off'),
    years: Years.default([]).describe('Years of a multi-year commitment'),
    forbids: z.array(Tag).max(20).default([]).describe('Caveats: end uses the donor forbids'),
    designatedTo: ExternalId.nullable().optional().describe('Requirement the pledge is designated to by bilateral arrangement'),
    meetingId: ExternalId.nullable().optional().describe('Meeting where the pledge was announced'),
    announcedOn: IsoDate.describe('Date the pledge was announced'),
    status: z.enum(['announced', 'committed']).default('announced').describe('Initial status'),
    notes: z.string().max(5000).default(''),
    releasability: Releasability.optional(),
    tranches: z.array(TrancheInput).min(1, 'give at least one tranche').max(200).describe('Scheduled parts, in order'),
  })
  .superRefine(refineShape, onAnyObject);
export type PledgeCreate = z.infer<typeof PledgeCreate>;

/**
 * Fields of a pledge that may change while it is announced or committed (notes may change at any time).
 * Tranches, when given, replace the pledge's tranches: the n-th keeps the id `<pledge id>/T<n>`.
 */
export const PledgeUpdate = z.strictObject({
  channel: PledgeChannel.optional(),
  itemCode: CatalogCode.nullable().optional(),
  group: CatalogCode.nullable().optional(),
  quantity: Quantity.nullable().optional(),
  amount: MajorAmount.nullable().optional(),
  currency: Currency.nullable().optional(),
  horizon: PledgeHorizon.optional(),
  years: Years.optional(),
  forbids: z.array(Tag).max(20).optional(),
  designatedTo: ExternalId.nullable().optional(),
  meetingId: ExternalId.nullable().optional(),
  announcedOn: IsoDate.optional(),
  notes: z.string().max(5000).optional(),
  releasability: Releasability.optional().describe('Replaces the labels; may change at any time, like notes'),
  tranches: z.array(TrancheInput).min(1, 'give at least one tranche').max(200).optional(),
});
export type PledgeUpdate = z.infer<typeof PledgeUpdate>;

/** A lifecycle move. */
export const PledgeTransition = z.strictObject({ to: PledgeStatus });
export type PledgeTransition = z.infer<typeof PledgeTransition>;

export const Tranche = z.object({
  id: z.string().describe('`<pledge id>/T<n>`'),
  seq: z.number(),
  quantity: z.number().nullable(),
  amount: z.number().nullable().describe('Funding: amount in major units'),
  amountMinor: z.number().nullable(),
  expectedOn: z.string(),
  deliveredQuantity: z.number().describe('Units shipped against the tranche, in transit or received'),
  receivedQuantity: z.number().describe('Units whose receipt the recipient confirmed'),
});
export type Tranche = z.infer<typeof Tranche>;

export const Pledge = z.object({
  id: z.string(),
  donor: z.string(),
  kind: PledgeKind,
  channel: PledgeChannel,
  itemCode: z.string().nullable(),
  group: z.string().nullable(),
  capabilityArea: CapabilityArea.nullable(),
  quantity: z.number().nullable(),
  amount: z.number().nullable().describe('Major units: the funding amount, or the declared value'),
  amountMinor: z.number().nullable(),
  currency: z.string().nullable(),
  horizon: PledgeHorizon,
  years: z.array(z.number()),
  forbids: z.array(z.string()),
  designatedTo: z.string().nullable(),
  meetingId: z.string().nullable(),
  announcedOn: z.string(),
  status: PledgeStatus,
  allowedNext: z.array(PledgeStatus).describe('Statuses this pledge may move to next'),
  notes: z.string(),
  releasability: z.array(z.string()).describe('Who may see this line (see PledgeCreate.releasability)'),
  tranches: z.array(Tranche),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Pledge = z.infer<typeof Pledge>;

export const PLEDGE_SORTS = ['announcedOn', 'id', 'quantity', 'createdAt', 'updatedAt'] as const;

const Bool = z.enum(['true', 'false']).transform((s) => s === 'true');

export const PledgeListQuery = z.strictObject({
  ...PageParams,
  sort: z.enum(PLEDGE_SORTS).default('announcedOn'),
  donor: csvList(NationCode).optional().describe('Donor nations, comma-separated'),
  kind: csvList(PledgeKind).optional(),
  channel: PledgeChannel.optional(),
  status: csvList(PledgeStatus).optional(),
  capabilityArea: csvList(CapabilityArea).optional(),
  group: CatalogCode.optional(),
  meeting: ExternalId.optional().describe('Pledges announced at this meeting'),
  announcedFrom: IsoDate.optional(),
  announcedTo: IsoDate.optional(),
  designated: Bool.optional().describe('true: only pledges designated to a requirement; false: only undesignated ones'),
});
export type PledgeListQuery = z.infer<typeof PledgeListQuery>;

export const PledgePage = Page(Pledge);
export type PledgePage = z.infer<typeof PledgePage>;
