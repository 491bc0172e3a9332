import { isCreditNoteCode } from "../src/einvoice/values";
import type { InvoiceTruth } from "./invoices";
import type { Prediction } from "./predictions";
import { normaliseCompany } from "./sroie";

export const invoiceFields = [
  "supplier",
  "number",
  "date",
  "total",
  "amountDue",
  "currency",
] as const;
export type InvoiceField = (typeof invoiceFields)[number];

/** The truth in the prediction's terms; null where the truth says nothing (not counted). */
export function expectedValues(truth: InvoiceTruth): Record<InvoiceField, string | null> {
  // The extractor states a credit note's amounts negative; the truth, as the XML does, positive.
  const sign = isCreditNoteCode(truth.type_code ?? null) ? -1 : 1;
  const amount = (value: number | string | null | undefined) =>
    value === null || value === undefined || value === ""
      ? null
      : (sign * Number(value)).toFixed(2);
  return {
    supplier: truth.issuer?.trim() ? truth.issuer : null,
    number: truth.invoice_number?.trim() ? truth.invoice_number : null,
    date: truth.date?.trim() ? truth.date.slice(0, 10) : null,
    total: amount(truth.amount),
    amountDue: amount(truth.amount_due),
    currency: truth.currency?.trim() ? truth.currency.trim().toUpperCase() : null,
  };
}

/** What the prediction says for a field; the amount due is the total when none is stated. */
export function predictedValue(prediction: Prediction, field: InvoiceField): string | null {
  switch (field) {
    case "supplier":
      return prediction.supplier;
    case "number":
      return prediction.invoiceNumber;
    case "date":
      return prediction.invoiceDate;
    case "total":
      return prediction.total;
    case "amountDue":
      return prediction.amountDue ?? prediction.total;
    case "currency":
      return prediction.currency;
  }
}

/**
 * Exact match, up to the differences that are no error: amounts as numbers, names without case,
 * spacing or punctuation (the truth keeps the line breaks some senders put in a name), numbers
 * without spaces.
 */
export function matches(field: InvoiceField, expected: string, got: string | null): boolean {
  if (got === null) return false;
  switch (field) {
    case "total":
    case "amountDue":
      return Math.abs(Number(expected) - Number(got)) < 0.005;
    case "supplier":
      return normaliseCompany(expected) === normaliseCompany(got);
    case "number":
      return expected.replace(/\s+/g, "") === got.replace(/\s+/g, "");
    default:
      return expected === got;
  }
}
