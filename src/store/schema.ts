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

// ---------------------------------------------------------------- report aggregates (read-only to the application)
// Written only by the triggers of migrations 0013, 0015, 0017 and 0018; the application role reads them in aggregate scope.

/** One received delivery line with what the reports group it by (0013). */
export interface ReportDeliveryFactsTable {
  deliveryId: string;
  trancheId: string;
  pledgeId: string;
  receivedOn: string;
  slippageDays: number;
  quantity: number;
  donor: string;
  channel: string;
  capabilityArea: string;
  groupCode: string | null;
  designatedTo: string | null;
  basis: string;
  currency: string | null;
  valueMinor: number | null;
}

/** Units received per tranche, every tranche (0013), with what the open-tranche queries read of its pledge (0017). */
export interface ReportTrancheReceiptsTable {
  trancheId: string;
  pledgeId: string;
  groupCode: string | null;
  expectedOn: string;
  quantity: number | null;
  received: number;
  lines: number;
  donor: string | null;
  pledgeStatus: string | null;
  capabilityArea: string | null;
  unitValueMinor: number | null;
  unitCurrency: string | null;
}

/** Units received per pledge (0013). */
export interface ReportPledgeReceiptsTable {
  pledgeId: string;
  groupCode: string | null;
  designatedTo: string | null;
  received: number;
  lines: number;
}

/** Units received per group and designation ('' for none), lines without a group left out (0018). */
export interface ReportGroupReceiptsTable {
  groupCode: string;
  designatedTo: string;
  received: number;
  lines: number;
}

/** Received lines per donor, capability area, slippage and valuation currency ('' when unvalued) (0013). */
export interface ReportDelayBucketsTable {
  donor: string;
  capabilityArea: string;
  slippageDays: number;
  currency: string;
  lines: number;
  quantity: number;
  valueMinor: number;
  valuedLines: number;
}

/** Received lines per donor, channel, receipt date, valuation basis and currency (0013). */
export interface ReportBurdenDailyTable {
  donor: string;
  channel: string;
  receivedOn: string;
  basis: string;
  currency: string;
  unvaluedPledgeId: string;
  lines: number;
  valueMinor: number;
  valuedLines: number;
}

/** Committed pledge quantities per group, designation ('' for none) and announcement date (0015). */
export interface ReportCommittedSupplyTable {
  groupCode: string;
  designatedTo: string;
  announcedOn: string;
  quantity: number;
  pledges: number;
}

/** Committed pledge values per burden-sharing grain (0015). */
export interface ReportCommitmentsTable {
  donor: string;
  channel: string;
  horizon: string;
  years: number[];
  announcedOn: string;
  basis: string;
  currency: string;
  valueMinor: number;
  valued: number;
  pledges: number;
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
  reportDeliveryFacts: ReportDeliveryFactsTable;
  reportTrancheReceipts: ReportTrancheReceiptsTable;
  reportPledgeReceipts: ReportPledgeReceiptsTable;
  reportGroupReceipts: ReportGroupReceiptsTable;
  reportDelayBuckets: ReportDelayBucketsTable;
  reportBurdenDaily: ReportBurdenDailyTable;
  reportCommittedSupply: ReportCommittedSupplyTable;
  reportCommitments: ReportCommitmentsTable;
}
