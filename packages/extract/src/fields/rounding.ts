import { toCents } from "./amounts";

/**
 * Cash rounding. Where a receipt prints a rounding line ("Rounding Adj -0.02"), the amount
 * to pay was rounded to a coin: to 5 cents in Malaysia, Switzerland, Australia, New Zealand,
 * the Netherlands, Belgium, Finland and Ireland, to whole or half units where the smallest
 * coin is larger (Sweden, Denmark). Each of those is a multiple of 5 cents, so on such a
 * receipt a total that is not one is a misread ("112.46" for 112.45), and the sum before
 * rounding plus the adjustment is a total of its own.
 */
export interface RoundingItem {
  kind: string;
  value: string;
  row: { page: number; index: number };
  reread?: boolean;
}

/** An adjustment is a few cents; a "ROUNDING 22.90" row prints the rounded total instead. */
const maxAdjustmentCents = 10;

const totalKinds = new Set(["final", "payable", "total"]);

/**
 * The adjustment that rounded the total, in cents, or null. A rounding line printed under the
 * total, among the payment lines ("TOTAL 38.37 / CASH 40.35 / ROUNDING 0.02 / CHANGE 2.00"),
 * rounded the cash paid and left the total as printed: then there is none. A page whose total
 * rows all sit above its rounding line is that case.
 */
export function roundingAdjustment(labelled: readonly RoundingItem[]): number | null {
  const line = labelled.find(
    (item) => item.kind === "rounding" && Math.abs(toCents(item.value)) < maxAdjustmentCents,
  );
  if (!line) return null;
  const totals = labelled.filter((item) => totalKinds.has(item.kind) && !item.reread);
  const before = (item: RoundingItem) =>
    item.row.page < line.row.page ||
    (item.row.page === line.row.page && item.row.index < line.row.index);
  if (totals.length > 0 && totals.every(before)) return null;
  return toCents(line.value);
}

/** Whether an amount in cents is one a coin-rounded total can be. */
export function isCoinRounded(cents: number): boolean {
  return cents % 5 === 0;
}
