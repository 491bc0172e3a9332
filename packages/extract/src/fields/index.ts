import type { FieldExtraction, InvoiceFields, Page } from "../types";
import { checkFields } from "./checks";
import { buildContext } from "./context";
import { findCurrency } from "./currency";
import { findInvoiceDates } from "./invoice-dates";
import { findInvoiceNumber } from "./invoice-number";
import { findLineItems } from "./line-items";
import { findSupplierName } from "./supplier";
import { findSupplierTaxId } from "./tax-id";
import { findTotals } from "./totals";

/**
 * Pages in, proposed invoice fields out. Pure and synchronous: no OCR, no I/O. Each field
 * carries where it was read (page and box) and how sure the rules were; checks on the result
 * become warnings for the reviewer.
 */
export function extractFields(pages: Page[]): FieldExtraction {
  const context = buildContext(pages);
  const { invoiceDate, dueDate } = findInvoiceDates(context);
  const { subtotal, tax, total, amountDue } = findTotals(context);
  const fields: InvoiceFields = {
    supplierName: findSupplierName(context),
    supplierTaxId: findSupplierTaxId(context),
    invoiceNumber: findInvoiceNumber(context),
    invoiceDate,
    dueDate,
    currency: findCurrency(context),
    subtotal,
    tax,
    total,
    amountDue,
    lineItems: findLineItems(context),
  };
  return { fields, warnings: checkFields(fields) };
}

export { type DecimalStyle, findAmounts, normaliseNumber, parseAmount } from "./amounts";
export { type DateOrder, findDates, parseDate } from "./dates";
