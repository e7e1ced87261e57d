import { CAPABILITY_AREAS, UNITS } from '../../domain/catalog/catalog.ts';
import { CURRENCIES } from '../../domain/money/money.ts';
import { PLEDGE_CHANNELS, PLEDGE_HORIZONS, PLEDGE_KINDS, PLEDGE_STATUSES } from '../../domain/pledges/pledge.ts';
import { REQUIREMENT_STATUSES } from '../../domain/requirements/requirement.ts';
import { DELIVERY_STATUSES } from '../../domain/deliveries/delivery.ts';

/**
 * The one normalisation table of imported vocabularies.
 * - A cell is first reduced to a key: trimmed, lower case, `&` read as `and`, runs of spaces, underscores
 *   and dashes turned into one dash (`In Kind`, `in_kind`, `IN-KIND` all become `in-kind`).
 * - The key is then looked up among the canonical values and the synonyms below. Nothing else is tried:
 *   an unknown value is a row error listing the accepted values, never a guess.
 * - Ambiguous symbols are left out on purpose: `$` (USD, CAD, AUD, NZD), `kr` (SEK, NOK, DKK, ISK), `ton`
 *   (short or metric).
 */
export const VOCABULARIES = {
  capabilityArea: {
    label: 'capability area',
    values: CAPABILITY_AREAS,
    synonyms: {
      'air-defense': 'air-defence',
      'ad': 'air-defence',
      'gbad': 'air-defence',
      'arty': 'artillery',
      'ammo': 'ammunition',
      'munitions': 'ammunition',
      'armor': 'armour',
      'armoured-vehicles': 'armour',
      'armored-vehicles': 'armour',
      'drone': 'drones',
      'uav': 'drones',
      'uavs': 'drones',
      'uas': 'drones',
      'counter-drones': 'counter-drone',
      'counter-uas': 'counter-drone',
      'c-uas': 'counter-drone',
      'cuas': 'counter-drone',
      'ew': 'electronic-warfare',
      'engineering': 'engineering-demining',
      'demining': 'engineering-demining',
      'engineering-and-demining': 'engineering-demining',
      'comms': 'communications',
      'communication': 'communications',
      'logistic': 'logistics',
    },
  },
  unit: {
    label: 'unit',
    values: UNITS,
    synonyms: {
      'pcs': 'each', 'pc': 'each', 'piece': 'each', 'pieces': 'each', 'ea': 'each', 'unit': 'each', 'units': 'each',
      'item': 'each', 'items': 'each', 'no': 'each', 'nos': 'each',
      'rounds': 'round', 'rd': 'round', 'rds': 'round', 'shell': 'round', 'shells': 'round', 'cartridge': 'round', 'cartridges': 'round',
      'systems': 'system', 'sys': 'system',
      'vehicles': 'vehicle', 'veh': 'vehicle',
      'kits': 'kit',
      'sets': 'set',
      'pallets': 'pallet',
      'seats': 'seat', 'place': 'seat', 'places': 'seat',
      'litres': 'litre', 'liter': 'litre', 'liters': 'litre', 'l': 'litre', 'ltr': 'litre',
      'tonnes': 'tonne', 't': 'tonne', 'metric-ton': 'tonne', 'metric-tons': 'tonne',
    },
  },
  currency: {
    label: 'currency',
    values: CURRENCIES,
    /** Keys are matched in lower case; values are ISO 4217 codes. */
    synonyms: {
      '€': 'EUR', 'euro': 'EUR', 'euros': 'EUR',
      'us$': 'USD', 'us-dollar': 'USD', 'us-dollars': 'USD',
      '£': 'GBP', 'pound-sterling': 'GBP', 'sterling': 'GBP',
      'c$': 'CAD', 'ca$': 'CAD', 'a$': 'AUD', 'nz$': 'NZD',
      'fr.': 'CHF', 'chf.': 'CHF',
      'zł': 'PLN', 'zl': 'PLN', 'zloty': 'PLN',
      'kč': 'CZK', 'ft': 'HUF', 'lei': 'RON', 'лв': 'BGN', '₺': 'TRY', '¥': 'JPY', 'yen': 'JPY', '₩': 'KRW', 'won': 'KRW',
      '₴': 'UAH', 'hryvnia': 'UAH', 'грн': 'UAH',
    },
  },
  priority: {
    label: 'priority',
    values: ['1', '2', '3', '4'],
    synonyms: {
      'p1': '1', 'p-1': '1', 'critical': '1',
      'p2': '2', 'p-2': '2', 'high': '2', 'essential': '2',
      'p3': '3', 'p-3': '3', 'medium': '3', 'normal': '3', 'important': '3',
      'p4': '4', 'p-4': '4', 'low': '4', 'routine': '4',
    },
  },
  requirementStatus: {
    label: 'requirement status',
    values: REQUIREMENT_STATUSES,
    synonyms: {
      'new': 'draft',
      'partial': 'partly-covered', 'partially-covered': 'partly-covered', 'partly': 'partly-covered',
      'canceled': 'cancelled',
      'complete': 'fulfilled', 'completed': 'fulfilled',
    },
  },
  pledgeKind: {
    label: 'pledge kind',
    values: PLEDGE_KINDS,
    synonyms: { 'inkind': 'in-kind', 'donation': 'in-kind', 'purchase': 'procurement', 'financial': 'funding', 'funds': 'funding', 'money': 'funding' },
  },
  channel: {
    label: 'channel',
    values: PLEDGE_CHANNELS,
    synonyms: { 'coordinated-through-nato': 'coordinated', 'multilateral': 'coordinated', 'bi-lateral': 'bilateral', 'direct': 'bilateral' },
  },
  horizon: {
    label: 'horizon',
    values: PLEDGE_HORIZONS,
    synonyms: { 'oneoff': 'one-off', 'once': 'one-off', 'one-time': 'one-off', 'single': 'one-off', 'multiyear': 'multi-year', 'multi-annual': 'multi-year', 'multiannual': 'multi-year' },
  },
  pledgeStatus: {
    label: 'pledge status',
    values: PLEDGE_STATUSES,
    synonyms: { 'in-delivery': 'delivering', 'partly-delivered': 'delivering', 'partially-delivered': 'delivering', 'cancelled': 'withdrawn', 'canceled': 'withdrawn' },
  },
  deliveryStatus: {
    label: 'delivery status',
    values: DELIVERY_STATUSES,
    synonyms: { 'in-transit': 'shipped', 'sent': 'shipped', 'delivered': 'received', 'arrived': 'received' },
  },
} as const satisfies Record<string, { label: string; values: readonly string[]; synonyms: Record<string, string> }>;

export type Vocabulary = keyof typeof VOCABULARIES;

/** The lookup key of a cell: trimmed, lower case, `&` as `and`, spaces, underscores and dashes as one dash. */
export function vocabularyKey(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/\s*&\s*/g, ' and ')
    .replace(/[\s_\-–]+/g, '-')
    .replace(/^-|-$/g, '');
}

const LOOKUP: Record<Vocabulary, Map<string, string>> = Object.fromEntries(
  Object.entries(VOCABULARIES).map(([name, vocab]) => {
    const map = new Map<string, string>();
    for (const v of vocab.values) map.set(vocabularyKey(v), v);
    for (const [k, v] of Object.entries(vocab.synonyms)) map.set(vocabularyKey(k), v);
    return [name, map];
  }),
) as Record<Vocabulary, Map<string, string>>;

/** The outcome of normalising one cell. */
export type Normalised = { ok: true; value: string } | { ok: false; message: string };

/** Maps a cell to the canonical value of a vocabulary, or explains which values are accepted. */
export function normaliseTerm(vocabulary: Vocabulary, raw: string): Normalised {
  const value = LOOKUP[vocabulary].get(vocabularyKey(raw));
  if (value !== undefined) return { ok: true, value };
  const vocab = VOCABULARIES[vocabulary];
  return { ok: false, message: `unknown ${vocab.label} "${raw.trim()}"; accepted: ${vocab.values.join(', ')}` };
}

/** The synonyms of a vocabulary grouped by canonical value (for docs and help). */
export function synonymsOf(vocabulary: Vocabulary): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const v of VOCABULARIES[vocabulary].values) out[v] = [];
  for (const [k, v] of Object.entries(VOCABULARIES[vocabulary].synonyms)) out[v]?.push(k);
  return out;
}
