import { fromUnits } from "@remit/rules";
import type { ExtractedField, ExtractedLineItem, InvoiceFields } from "../types";
import { sumOfAmounts } from "./checks";
import type { EInvoice } from "./model";

/**
 * The header fields and line items of an e-invoice. Each value is what the sender's software
 * meant, so confidence is 1; it has no place on a page (box null), and page 1 stands for the
 * document as a whole.
 */
export function eInvoiceFields(invoice: EInvoice): InvoiceFields {
  return {
    supplierName: field(invoice.seller.name),
    supplierTaxId: field(invoice.seller.vatId ?? invoice.seller.taxNumber),
    invoiceNumber: field(invoice.invoiceNumber),
    invoiceDate: field(invoice.issueDate),
    dueDate: field(invoice.dueDate),
    currency: field(invoice.currency),
    subtotal: field(invoice.totals.taxBasisTotal),
    tax: field(invoice.totals.taxTotal ?? sumOfVat(invoice)),
    total: field(invoice.totals.grandTotal),
    amountDue: field(invoice.totals.amountDue),
    lineItems: invoice.lines.map(
      (line): ExtractedLineItem => ({
        description: eInvoiceField(line.name),
        quantity: field(line.quantity),
        unitPrice: field(line.netPrice),
        amount: field(line.amount),
      }),
    ),
  };
}

function field(value: string | null): ExtractedField | null {
  return value === null ? null : eInvoiceField(value);
}

export function eInvoiceField(value: string): ExtractedField {
  return { value, source: "e-invoice", confidence: 1, page: 1, box: null };
}

/** BT-110 is optional in MINIMUM-like documents that still give a breakdown. */
function sumOfVat(invoice: EInvoice): string | null {
  const amounts = invoice.vatBreakdown.map((row) => row.taxAmount);
  if (amounts.length === 0 || amounts.some((amount) => amount === null)) return null;
  const sum = sumOfAmounts(amounts);
  return sum === null ? null : fromUnits(sum);
}
