import { fromUnits, isQuantity, toUnits } from "@remit/rules";
import type { ExtractionWarning } from "../types";
import type { EInvoice } from "./model";

/**
 * The reviewer's arithmetic and calendar checks, on an e-invoice. A valid EN 16931 document
 * passes them (they are its rules BR-CO-10 and BR-CO-15), so a warning here means the sender's
 * software wrote numbers that do not add up. The lines are compared with the line total
 * (BT-106), which differs from the subtotal (BT-109) by document-level allowances and charges.
 * Same codes as the checks on a page's reading, so the review screen treats them alike.
 */
export function checkEInvoice(invoice: EInvoice): ExtractionWarning[] {
  const warnings: ExtractionWarning[] = [];
  const { lineTotal, taxBasisTotal, taxTotal, grandTotal } = invoice.totals;
  const lineAmounts = invoice.lines.map((line) => line.amount);
  if (lineTotal !== null && lineAmounts.length > 0 && lineAmounts.every((a) => a !== null)) {
    const sum = sumOfAmounts(lineAmounts);
    const expected = exactAmount(lineTotal);
    if (sum !== null && expected !== null && sum !== expected) {
      warnings.push({
        code: "lines_do_not_sum_to_subtotal",
        message: `The e-invoice's lines add up to ${fromUnits(sum)}, but its line total is ${lineTotal}.`,
      });
    }
  }
  if (taxBasisTotal !== null && taxTotal !== null && grandTotal !== null) {
    const sum = sumOfAmounts([taxBasisTotal, taxTotal]);
    const expected = exactAmount(grandTotal);
    if (sum !== null && expected !== null && sum !== expected) {
      warnings.push({
        code: "subtotal_plus_tax_is_not_total",
        message: `The e-invoice's net total ${taxBasisTotal} plus VAT ${taxTotal} is ${fromUnits(sum)}, but its grand total is ${grandTotal}.`,
      });
    }
  }
  if (invoice.issueDate && invoice.dueDate && invoice.dueDate < invoice.issueDate) {
    warnings.push({
      code: "due_date_before_invoice_date",
      message: `The e-invoice's due date ${invoice.dueDate} is before its issue date ${invoice.issueDate}.`,
    });
  }
  return warnings;
}

/** An amount as exact units (@remit/rules' BigInt arithmetic); null if it is not a decimal. */
export const exactAmount = (value: string): bigint | null =>
  isQuantity(value) ? toUnits(value) : null;

/** The exact sum, or null when an amount is missing or not a decimal. */
export function sumOfAmounts(amounts: Array<string | null>): bigint | null {
  let sum = 0n;
  for (const amount of amounts) {
    const exact = amount === null ? null : exactAmount(amount);
    if (exact === null) return null;
    sum += exact;
  }
  return sum;
}
