import type { CapabilityArea } from '../../domain/catalog/catalog.ts';
import type { MeetingKind } from '../../domain/meetings/meeting.ts';

/**
 * The demo scenario's assumptions. Everything here is fiction shaped to look like the real coordination
 * effort; facts (GDP, prices, consumption) come from data/*.csv and are cited there.
 */

/** The scenario's "today": meetings before it are past, the next one after it is the next meeting. */
export const SCENARIO_TODAY = '2026-11-24';
export const SCENARIO_START = '2024-01-08';
export const SCENARIO_END = '2027-12-31';

/** Requirement and pledge lines per unit of scale. */
export const REQUIREMENTS_PER_SCALE = 2000;
export const PLEDGES_PER_SCALE = 6000;

/** Share of requirement lines by capability area (ammunition and air defence dominate, as they did). */
export const AREA_DEMAND: Readonly<Record<CapabilityArea, number>> = {
  ammunition: 0.22,
  'air-defence': 0.13,
  drones: 0.1,
  artillery: 0.08,
  armour: 0.07,
  'counter-drone': 0.06,
  'engineering-demining': 0.05,
  medical: 0.05,
  training: 0.05,
  sustainment: 0.05,
  'electronic-warfare': 0.04,
  logistics: 0.04,
  communications: 0.04,
  aviation: 0.03,
};

/** Relative demand of a group inside its area (default 1). */
export const GROUP_DEMAND: Readonly<Record<string, number>> = {
  '155mm-he': 5,
  '152mm-he': 2.5,
  '122mm-he': 2,
  '120mm-mortar-he': 2,
  '81mm-mortar-he': 1.5,
  '122mm-rocket': 1.2,
  '155mm-charge': 1.5,
  'patriot-interceptor': 3,
  'iris-t-slm-interceptor': 2,
  'nasams-interceptor': 2,
  manpads: 2,
  'patriot-fire-unit': 0.5,
  'samp-t-fire-unit': 0.3,
  'fpv-drone': 4,
  'recon-quadcopter': 2,
  'interceptor-drone': 2,
  'cuas-jammer': 2,
  '155mm-sp-howitzer': 2,
  'training-basic-infantry': 3,
};

/** Requirement line quantities [min, max] where the value-based default would be unrealistic. */
export const LINE_QUANTITY: Readonly<Record<string, readonly [number, number]>> = {
  '155mm-he': [10_000, 80_000],
  '152mm-he': [5_000, 40_000],
  '122mm-he': [5_000, 30_000],
  '120mm-mortar-he': [5_000, 30_000],
  '81mm-mortar-he': [5_000, 30_000],
  '155mm-charge': [10_000, 60_000],
  '122mm-rocket': [1_000, 10_000],
  '155mm-precision': [100, 2_000],
  'gmlrs-rocket': [50, 600],
  'atacms-missile': [5, 60],
  'patriot-fire-unit': [1, 2],
  'samp-t-fire-unit': [1, 2],
  'iris-t-slm-fire-unit': [1, 4],
  'nasams-fire-unit': [1, 4],
  'patriot-interceptor': [20, 150],
  'aster-interceptor': [10, 60],
  'iris-t-slm-interceptor': [20, 200],
  'nasams-interceptor': [20, 150],
  's-300-interceptor': [20, 100],
  manpads: [50, 500],
  '35mm-air-defence-ammunition': [20_000, 200_000],
  'small-arms-556': [1_000_000, 20_000_000],
  'small-arms-762x39': [1_000_000, 20_000_000],
  'heavy-mg-127': [200_000, 3_000_000],
  'fpv-drone': [5_000, 100_000],
  'interceptor-drone': [1_000, 20_000],
  'f-16-fighter': [1, 6],
  'mirage-2000-fighter': [1, 6],
  'training-f16-pilot': [2, 12],
};

/** Groups a requirement may also accept (a 152 mm round for a 155 mm need where both guns are in service). */
export const ALTERNATIVES: Readonly<Record<string, readonly string[]>> = {
  '155mm-he': ['152mm-he'],
  '152mm-he': ['155mm-he'],
  '122mm-he': ['152mm-he'],
  '155mm-sp-howitzer': ['155mm-towed-howitzer'],
  '155mm-towed-howitzer': ['155mm-sp-howitzer', '152mm-howitzer'],
  '152mm-howitzer': ['155mm-towed-howitzer'],
  '122mm-howitzer': ['152mm-howitzer'],
  'iris-t-slm-fire-unit': ['nasams-fire-unit'],
  'nasams-fire-unit': ['iris-t-slm-fire-unit'],
  'leopard-2-mbt': ['abrams-mbt', 'leopard-1-mbt'],
  'abrams-mbt': ['leopard-2-mbt'],
  'leopard-1-mbt': ['t-72-mbt'],
  't-72-mbt': ['leopard-1-mbt'],
  'ifv-western': ['ifv-soviet'],
  'ifv-soviet': ['ifv-western'],
  apc: ['mrap'],
  mrap: ['apc'],
  'f-16-fighter': ['mirage-2000-fighter'],
  'fpv-drone': ['loitering-munition'],
  'loitering-munition': ['fpv-drone'],
  'recon-quadcopter': ['isr-uas-small'],
  'cuas-jammer': ['ew-tactical-jammer'],
  'interceptor-drone': ['cuas-mobile-fire-group'],
  'cuas-mobile-fire-group': ['interceptor-drone'],
  'armoured-ambulance': ['ambulance'],
  'tactical-radio': ['vehicle-radio'],
  'satcom-terminal': ['field-network-kit'],
  'night-vision': ['thermal-sight'],
  'thermal-sight': ['night-vision'],
  'mine-detector': ['eod-equipment'],
  'mine-clearing-vehicle': ['line-charge'],
};

/** Intended uses a requirement may carry and a donor's caveats may forbid. */
export const USE_TAGS = ['cross-border', 'offensive', 'front-line', 'air-defence-of-cities', 'critical-infrastructure', 'training'] as const;

/** Areas a donor that gives no weapons (no armed forces, neutrality, national policy) still gives in. */
export const NON_LETHAL_AREAS: readonly CapabilityArea[] = ['medical', 'logistics', 'communications', 'training', 'engineering-demining', 'sustainment'];

/**
 * Yearly value the scenario's donors commit together at scale 1, in EUR: public aid trackers put the
 * military aid of all donors at roughly EUR 40–50 billion a year (order of magnitude; a scenario
 * assumption, not a sourced figure). The generator sizes pledges so that the committed value of a year
 * comes out near this; scale N multiplies it.
 */
export const YEARLY_COMMITTED_EUR = 45e9;

/**
 * How generous a donor is for its economy, relative to a donor that gives in proportion to its GDP (1, the
 * default). Scenario assumptions shaped after the public picture (Nordic and Baltic states and the
 * Netherlands giving well above their GDP share, Türkiye, Hungary and some large southern economies well
 * below); not sourced figures. A donor's expected yearly value is its GDP (data/nations.csv) × this.
 */
export const DONOR_ENGAGEMENT: Readonly<Record<string, number>> = {
  USA: 0.75, DEU: 1.3, GBR: 1.3, FRA: 0.45, ITA: 0.3, ESP: 0.35, CAN: 0.8, NLD: 2.2, TUR: 0.05, POL: 1.2,
  BEL: 0.8, SWE: 2.6, NOR: 3, DNK: 4, ROU: 0.4, CZE: 1.3, FIN: 2, PRT: 0.5, GRC: 0.15, HUN: 0.05, SVK: 0.8,
  BGR: 0.6, HRV: 0.8, LTU: 3, SVN: 0.4, LUX: 1.2, LVA: 3, EST: 4, ISL: 0.6, ALB: 0.3, MKD: 0.5, MNE: 0.3,
};

/**
 * Scenario sizing weight of partners (USD-million-like scale, NOT GDP: partners' GDP is not in the
 * reference data). Allies are sized by their sourced 2024 GDP.
 */
export const PARTNER_WEIGHT: Readonly<Record<string, number>> = {
  JPN: 600_000,
  KOR: 400_000,
  AUS: 400_000,
  AUT: 150_000,
  IRL: 150_000,
  NZL: 100_000,
  ISR: 50_000,
  QAT: 50_000,
};
export const DEFAULT_PARTNER_WEIGHT = 10_000;

/** Partners the scenario lets give weapons; the others give only in NON_LETHAL_AREAS. */
export const LETHAL_PARTNERS: ReadonlySet<string> = new Set(['AUS', 'NZL']);

/** The currency a donor pledges funding in (EUR where Concord does not know its own currency). */
export const DONOR_CURRENCY: Readonly<Record<string, string>> = {
  USA: 'USD', GBR: 'GBP', CAN: 'CAD', NOR: 'NOK', SWE: 'SEK', DNK: 'DKK', POL: 'PLN', CZE: 'CZK', HUN: 'HUF',
  ROU: 'RON', BGR: 'BGN', TUR: 'TRY', ISL: 'ISK', AUS: 'AUD', NZL: 'NZD', JPN: 'JPY', KOR: 'KRW',
};

/** Logistics hubs deliveries pass through (scenario names). */
export const HUBS = ['Rzeszów-Jasionka (POL)', 'Suceava (ROU)', 'Košice (SVK)', 'Lublin (POL)', 'Constanța (ROU)'] as const;

export interface ScenarioMeeting {
  id: string;
  kind: MeetingKind;
  title: string;
  date: string;
  location: string;
  /** Who attends: the contact group (allies, partners, Ukraine), allies and Ukraine, or allies, Ukraine and the Indo-Pacific partners. */
  audience: 'contact-group' | 'allies-ukraine' | 'summit';
}

/**
 * The meeting series. Dates follow the real rhythm (contact-group meetings roughly every one or two months,
 * NATO summits in Washington, 9–11 July 2024, and The Hague, 24–25 June 2025) but the meetings, their
 * attendance and everything announced at them in the demo are scenario fiction.
 */
export const SCENARIO_MEETINGS: readonly ScenarioMeeting[] = [
  { id: 'UDCG-19', kind: 'contact-group', title: 'Ukraine Defence Contact Group, 19th meeting', date: '2024-02-14', location: 'Brussels', audience: 'contact-group' },
  { id: 'UDCG-20', kind: 'contact-group', title: 'Ukraine Defence Contact Group, 20th meeting', date: '2024-03-19', location: 'Ramstein', audience: 'contact-group' },
  { id: 'UDCG-22', kind: 'contact-group', title: 'Ukraine Defence Contact Group, 22nd meeting', date: '2024-06-13', location: 'Brussels', audience: 'contact-group' },
  { id: 'M-2024-07-WASHINGTON', kind: 'summit', title: 'NATO Summit, Washington', date: '2024-07-10', location: 'Washington', audience: 'summit' },
  { id: 'UDCG-24', kind: 'contact-group', title: 'Ukraine Defence Contact Group, 24th meeting', date: '2024-09-06', location: 'Ramstein', audience: 'contact-group' },
  { id: 'NUC-2024-12', kind: 'council', title: 'NATO-Ukraine Council (foreign ministers)', date: '2024-12-03', location: 'Brussels', audience: 'allies-ukraine' },
  { id: 'UDCG-25', kind: 'contact-group', title: 'Ukraine Defence Contact Group, 25th meeting', date: '2025-01-09', location: 'Ramstein', audience: 'contact-group' },
  { id: 'UDCG-26', kind: 'contact-group', title: 'Ukraine Defence Contact Group, 26th meeting', date: '2025-02-12', location: 'Brussels', audience: 'contact-group' },
  { id: 'UDCG-27', kind: 'contact-group', title: 'Ukraine Defence Contact Group, 27th meeting', date: '2025-04-11', location: 'Brussels', audience: 'contact-group' },
  { id: 'M-2025-06-HAGUE', kind: 'summit', title: 'NATO Summit, The Hague', date: '2025-06-25', location: 'The Hague', audience: 'summit' },
  { id: 'UDCG-29', kind: 'contact-group', title: 'Ukraine Defence Contact Group, 29th meeting', date: '2025-09-09', location: 'London', audience: 'contact-group' },
  { id: 'MIN-2025-10', kind: 'ministerial', title: 'NATO Defence Ministers meeting', date: '2025-10-15', location: 'Brussels', audience: 'allies-ukraine' },
  { id: 'UDCG-31', kind: 'contact-group', title: 'Ukraine Defence Contact Group, 31st meeting', date: '2026-02-11', location: 'Brussels', audience: 'contact-group' },
  { id: 'NUC-2026-04', kind: 'council', title: 'NATO-Ukraine Council (defence ministers)', date: '2026-04-22', location: 'Brussels', audience: 'allies-ukraine' },
  { id: 'M-2026-07-ANKARA', kind: 'summit', title: 'NATO Summit, Ankara', date: '2026-07-08', location: 'Ankara', audience: 'summit' },
  { id: 'UDCG-33', kind: 'contact-group', title: 'Ukraine Defence Contact Group, 33rd meeting', date: '2026-10-14', location: 'Brussels', audience: 'contact-group' },
  { id: 'UDCG-34', kind: 'contact-group', title: 'Ukraine Defence Contact Group, 34th meeting', date: '2026-12-09', location: 'Ramstein', audience: 'contact-group' },
  { id: 'MIN-2027-02', kind: 'ministerial', title: 'NATO Defence Ministers meeting', date: '2027-02-17', location: 'Brussels', audience: 'allies-ukraine' },
  { id: 'UDCG-35', kind: 'contact-group', title: 'Ukraine Defence Contact Group, 35th meeting', date: '2027-03-24', location: 'Ramstein', audience: 'contact-group' },
];

/** How many pledges a meeting of each kind tends to see announced, relative to the others. */
export const MEETING_PLEDGE_WEIGHT: Readonly<Record<MeetingKind, number>> = { summit: 3, 'contact-group': 2, ministerial: 1.5, council: 1 };

/**
 * Stock-reported groups and the recipient's average daily consumption in the scenario.
 * - The three artillery calibres add up to about 11,400 rounds a day, inside the 10,000–14,600 rounds a day
 *   that Ukraine fired in 2024 (data/item_facts.csv: Gen. Syrskyi, Aug 2024); the split between calibres,
 *   the 155 mm share growing and the 152 mm share shrinking, is a scenario assumption.
 * - Mortar, rocket and interceptor rates are scenario assumptions (no sourced figure in item_facts.csv).
 */
export const STOCK_GROUPS: readonly { group: string; perDay: number; trend: number; note: string }[] = [
  { group: '155mm-he', perDay: 5_000, trend: 0.25, note: 'artillery total sized from data/item_facts.csv (Ukraine about 10,000–14,600 rounds/day, 2024)' },
  { group: '152mm-he', perDay: 3_800, trend: -0.25, note: 'artillery total sized from data/item_facts.csv (Ukraine about 10,000–14,600 rounds/day, 2024)' },
  { group: '122mm-he', perDay: 2_600, trend: -0.15, note: 'artillery total sized from data/item_facts.csv (Ukraine about 10,000–14,600 rounds/day, 2024)' },
  { group: '120mm-mortar-he', perDay: 1_800, trend: 0, note: 'scenario assumption' },
  { group: '122mm-rocket', perDay: 500, trend: -0.1, note: 'scenario assumption' },
  { group: 'patriot-interceptor', perDay: 3, trend: 0.2, note: 'scenario assumption' },
  { group: 'iris-t-slm-interceptor', perDay: 2, trend: 0.2, note: 'scenario assumption' },
  { group: 'nasams-interceptor', perDay: 2, trend: 0.1, note: 'scenario assumption' },
  { group: 'manpads', perDay: 10, trend: 0, note: 'scenario assumption' },
];
