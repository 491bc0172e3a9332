import type { ExtractionWarning, InvoiceFields } from "../types";
import { formatCents, toCents } from "./amounts";

/**
 * Arithmetic and calendar checks a reviewer would do by eye. Each finding is a warning, not a
 * correction: the fields stay as read, and the review screen shows why they need a look.
 */
export function checkFields(fields: InvoiceFields): ExtractionWarning[] {
  const warnings: ExtractionWarning[] = [];
  const lineAmounts = fields.lineItems
    .map((item) => item.amount?.value)
    .filter((v) => v !== undefined);
  if (fields.subtotal && lineAmounts.length > 0 && lineAmounts.length === fields.lineItems.length) {
    const sum = lineAmounts.reduce((cents, value) => cents + toCents(value), 0);
    if (sum !== toCents(fields.subtotal.value)) {
      warnings.push({
        code: "lines_do_not_sum_to_subtotal",
        message: `The line items add up to ${formatCents(sum)}, but the subtotal reads ${fields.subtotal.value}.`,
      });
    }
  }
  if (fields.subtotal && fields.tax && fields.total) {
    const sum = toCents(fields.subtotal.value) + toCents(fields.tax.value);
    if (sum !== toCents(fields.total.value)) {
      warnings.push({
        code: "subtotal_plus_tax_is_not_total",
        message: `Subtotal ${fields.subtotal.value} plus tax ${fields.tax.value} is ${formatCents(sum)}, but the total reads ${fields.total.value}.`,
      });
    }
  }
  if (fields.invoiceDate && fields.dueDate && fields.dueDate.value < fields.invoiceDate.value) {
    warnings.push({
      code: "due_date_before_invoice_date",
      message: `The due date ${fields.dueDate.value} is before the invoice date ${fields.invoiceDate.value}.`,
    });
  }
  return warnings;
}
