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
    const sum = lineAmounts.reduce((cents, amount) => cents + toCents(amount ?? "0"), 0);
    if (sum !== toCents(lineTotal)) {
      warnings.push({
        code: "lines_do_not_sum_to_subtotal",
        message: `The e-invoice's lines add up to ${formatCents(sum)}, but its line total is ${lineTotal}.`,
      });
    }
  }
  if (taxBasisTotal !== null && taxTotal !== null && grandTotal !== null) {
    const sum = toCents(taxBasisTotal) + toCents(taxTotal);
    if (sum !== toCents(grandTotal)) {
      warnings.push({
        code: "subtotal_plus_tax_is_not_total",
        message: `The e-invoice's net total ${taxBasisTotal} plus VAT ${taxTotal} is ${formatCents(sum)}, but its grand total is ${grandTotal}.`,
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

export function toCents(value: string): number {
  return Math.round(Number(value) * 100);
}

export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const absolute = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, "0")}`;
}
