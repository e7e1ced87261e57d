import type { ColumnType, Generated } from 'kysely';

/** A column the database fills in (defaults, identity) and that writes may leave out. */
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface NationsTable {
  code: string;
  name: string;
  kind: string;
  participation: string;
  natoAccessionYear: number | null;
  source: string;
  version: Generated<number>;
  updatedAt: Stamp;
}

export interface NationEconomiesTable {
  nation: string;
  year: number;
  gdpUsdMillion: number;
  defenceUsdMillion: number | null;
  defencePctGdp: number | null;
  source: string;
}

export interface FxRatesTable {
  currency: string;
  validFrom: string;
  perEur: number;
  source: string;
}

export interface ItemGroupsTable {
  code: string;
  name: string;
  capabilityArea: string;
}

export interface ItemTypesTable {
  code: string;
  name: string;
  groupCode: string;
  capabilityArea: string;
  unit: string;
  refPriceMinor: number;
  refPriceCurrency: string;
  refPriceYear: number;
  refPriceSource: string;
  version: Generated<number>;
  updatedAt: Stamp;
}

export interface MeetingsTable {
  id: string;
  kind: string;
  title: string;
  date: string;
  location: string;
  attendees: string[];
  notes: string;
  version: Generated<number>;
  createdAt: Stamp;
  updatedAt: Stamp;
}

export interface RequirementsTable {
  id: string;
  itemCode: string | null;
  accepts: string[];
  capabilityArea: string;
  quantity: number;
  priority: number;
  needBy: string;
  uses: string[];
  status: string;
  title: string;
  notes: string;
  version: Generated<number>;
  createdAt: Stamp;
  updatedAt: Stamp;
}

export interface PledgesTable {
  id: string;
  donor: string;
  kind: string;
  channel: string;
  itemCode: string | null;
  groupCode: string | null;
  capabilityArea: string | null;
  quantity: number | null;
  amountMinor: number | null;
  currency: string | null;
  horizon: string;
  years: number[];
  forbids: string[];
  designatedTo: string | null;
  meetingId: string | null;
  announcedOn: string;
  status: string;
  notes: string;
  /** Who may see the line: `owner`, `coordinators`, `recipient`, `all participants`, `REL TO XXX` (src/services/access). */
  releasability: Generated<string[]>;
  version: Generated<number>;
  createdAt: Stamp;
  updatedAt: Stamp;
}

export interface TranchesTable {
  id: string;
  pledgeId: string;
  seq: number;
  quantity: number | null;
  amountMinor: number | null;
  expectedOn: string;
}

export interface DeliveriesTable {
  id: string;
  trancheId: string;
  quantity: number;
  promisedOn: string;
  shippedOn: string;
  receivedOn: string | null;
  hub: string;
  status: string;
  notes: string;
  version: Generated<number>;
  createdAt: Stamp;
  updatedAt: Stamp;
}

export interface StockReportsTable {
  id: string;
  groupCode: string;
  asOf: string;
  onHand: number;
  dailyConsumption: number;
  notes: string;
  version: Generated<number>;
  createdAt: Stamp;
  updatedAt: Stamp;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actorId: string;
  actorRole: string;
  actorNation: string | null;
  entity: string;
  recordId: string;
  action: string;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

export interface PlansTable {
  id: string;
  seq: number;
  createdAt: Stamp;
  createdBy: string;
  fingerprint: string;
  objective: number;
  latePenaltyPerDay: number;
  requirementCount: number;
  supplyCount: number;
  allocatedQuantity: number;
  unmetQuantity: number;
  solveMs: number;
  problem: unknown;
  notes: string;
}

export interface PlanAllocationsTable {
  planId: string;
  trancheId: string;
  pledgeId: string;
  requirementId: string;
  quantity: number;
  lateDays: number;
  recommendation: boolean;
}

export interface PlanUnmetTable {
  planId: string;
  requirementId: string;
  quantity: number;
  reason: string;
}

/** Every table Concord's queries may touch, in Kysely's camelCase view (columns are snake_case in SQL). */
export interface Database {
  nations: NationsTable;
  nationEconomies: NationEconomiesTable;
  fxRates: FxRatesTable;
  itemGroups: ItemGroupsTable;
  itemTypes: ItemTypesTable;
  meetings: MeetingsTable;
  requirements: RequirementsTable;
  pledges: PledgesTable;
  tranches: TranchesTable;
  deliveries: DeliveriesTable;
  stockReports: StockReportsTable;
  auditLog: AuditLogTable;
  plans: PlansTable;
  planAllocations: PlanAllocationsTable;
  planUnmet: PlanUnmetTable;
}
