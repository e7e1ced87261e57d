/**
 * Shapes of the report endpoints' JSON that the contracts do not declare as schemas, kept to the fields the
 * web app reads. (src/contracts/reports.ts imports the server's renderers, so even a type-only import of it
 * would pull PDF code into the web typecheck; the burden row below mirrors its BurdenJsonRow.)
 */

export interface BurdenRow {
  nation: string;
  participating: boolean;
  gdp: number | null;
  gdpShare: number | null;
  fairShare: number | null;
  committed: number;
  delivered: number;
  committedPctGdp: number | null;
  ratioToFairShare: number | null;
}

export interface BurdenReport {
  year: number;
  currency: string;
  target: number;
  rows: BurdenRow[];
}

/** One outstanding gap: required minus what committed pledges (or deliveries) cover. */
export interface GapRow {
  rank: number;
  requirementId: string;
  capabilityArea: string;
  priority: number;
  needBy: string;
  required: number;
  committed: number;
  delivered: number;
  /** Units still missing. */
  quantity: number;
  gapValue: number;
  /** The current plan's reason, when the plan leaves it short too. */
  reason: string | null;
}

export interface GapsReport {
  asOf: string;
  currency: string;
  planId: string | null;
  gapCount: number;
  gapQuantity: number;
  gapValue: number;
  gaps: GapRow[];
}

/** Coverage figures of a set of requirements: units and values (major units of the report currency). */
export interface CoverageTotals {
  requirements: number;
  quantity: number;
  planned: number;
  committed: number;
  delivered: number;
  gap: number;
  requiredValue: number;
  plannedValue: number;
  committedValue: number;
  deliveredValue: number;
  gapValue: number;
  /** Committed value ÷ required value. */
  committedShare: number | null;
  deliveredShare: number | null;
}

export interface CoverageReport {
  asOf: string;
  currency: string;
  planId: string | null;
  total: CoverageTotals;
  byCapabilityArea: (CoverageTotals & { capabilityArea: string })[];
  byPriority: (CoverageTotals & { priority: number })[];
  requirementCount: number;
}

export interface ForecastGroup {
  group: string;
  onHand: number;
  dailyConsumption: number;
  deterministic: { stock: number[]; firstStockOut: string | null; shortfall: number };
  monteCarlo: { runs: number; p10: number[]; p50: number[]; p90: number[]; probabilityOfStockOut: number; firstStockOut?: { p10: string | null; p50: string | null; p90: string | null } | null } | null;
}

export interface ForecastReport {
  start: string;
  horizonDays: number;
  dates: string[];
  groups: ForecastGroup[];
}

export interface DonorDelay {
  donor: string;
  deliveries: number;
  onTimeRate: number | null;
  medianSlippageDays: number | null;
  p90SlippageDays: number | null;
  valueLateMinor: number;
}

export interface OverdueTranche {
  trancheId: string;
  pledgeId: string;
  donor: string;
  capabilityArea: string;
  expectedOn: string;
  daysOverdue: number;
  outstandingQuantity: number;
  outstandingValueMinor: number | null;
}

export interface DelaysReport {
  asOf: string | null;
  byDonor: DonorDelay[];
  overdue: OverdueTranche[];
}

/** A report's chart as the server describes it (src/services/reports/render/report-document.ts). */
export interface ReportChart {
  title: string;
  categories: string[];
  series: { name: string; values: (number | null)[]; stack?: string; kind?: 'bar' | 'line'; band?: { lower: (number | null)[]; upper: (number | null)[] } }[];
  horizontal?: boolean;
  markers?: { category: string; label: string }[];
  yLabel?: string;
}

export interface ReportDocument {
  title: string;
  subtitle?: string;
  generatedAt: string;
  notes?: string[];
  sections: {
    heading: string;
    text?: string[];
    chart?: ReportChart;
    table?: { name: string; columns: { key: string; label: string; kind: string }[]; rows: Record<string, string | number | boolean | null>[] };
  }[];
}
