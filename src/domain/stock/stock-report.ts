/** The recipient's stock on hand and daily consumption of one interchangeability group at a date. */
export interface StockReport {
  id: string;
  group: string;
  /** ISO date of the count. */
  asOf: string;
  onHand: number;
  /** Average units consumed per day around the date. */
  dailyConsumption: number;
  notes: string;
  version: number;
}
