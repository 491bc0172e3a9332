import type { InvoiceFields } from "../src/types";

/**
 * What `--out` writes per document: strings, ISO dates, null where nothing was read. The
 * format is read by checks outside this repository; keep its keys and types.
 */
export interface Prediction {
  supplier: string | null;
  invoiceNumber: string | null;
  invoiceDate: string | null;
  dueDate: string | null;
  total: string | null;
  amountDue: string | null;
  currency: string | null;
}

export const emptyPrediction: Prediction = {
  supplier: null,
  invoiceNumber: null,
  invoiceDate: null,
  dueDate: null,
  total: null,
  amountDue: null,
  currency: null,
};

export function toPrediction(fields: InvoiceFields): Prediction {
  return {
    supplier: fields.supplierName?.value ?? null,
    invoiceNumber: fields.invoiceNumber?.value ?? null,
    invoiceDate: fields.invoiceDate?.value ?? null,
    dueDate: fields.dueDate?.value ?? null,
    total: fields.total?.value ?? null,
    amountDue: fields.amountDue?.value ?? null,
    currency: fields.currency?.value ?? null,
  };
}
