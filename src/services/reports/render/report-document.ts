/**
 * A report as data: sections of text, tables and charts, independent of the format it is rendered to.
 * Every figure in a rendered report comes from one of these tables, so the same numbers appear in the
 * PDF, the XLSX, the CSV, the Markdown and the JSON.
 */
export interface ReportDocument {
  title: string;
  subtitle?: string;
  /** ISO timestamp the figures were computed at. */
  generatedAt: string;
  /** Where the figures come from and how they were computed, one sentence each. */
  notes?: string[];
  sections: ReportSection[];
}

export interface ReportSection {
  heading: string;
  text?: string[];
  chart?: ReportChart;
  table?: ReportTable;
}

export type ColumnKind = 'text' | 'integer' | 'number' | 'money' | 'percent' | 'date';

export interface ReportColumn {
  key: string;
  label: string;
  kind: ColumnKind;
}

export interface ReportTable {
  /** Short name, used as the XLSX sheet name (31 characters at most) and the CSV section name. */
  name: string;
  columns: ReportColumn[];
  rows: Record<string, string | number | boolean | null>[];
}

export interface ChartSeries {
  name: string;
  values: (number | null)[];
  /** Series with the same stack name are stacked. */
  stack?: string;
  kind?: 'bar' | 'line';
  /** A lower/upper band drawn as a shaded area between two series (percentile bands). */
  band?: { lower: (number | null)[]; upper: (number | null)[] };
}

export interface ReportChart {
  title: string;
  /** Category axis labels (areas, nations, dates). */
  categories: string[];
  series: ChartSeries[];
  /** Horizontal bars, for long category names such as nations. */
  horizontal?: boolean;
  /** Vertical markers on the category axis, such as a stock-out date. */
  markers?: { category: string; label: string }[];
  yLabel?: string;
}
