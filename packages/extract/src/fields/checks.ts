import { fromUnits, isQuantity, toUnits } from "@remit/rules";
import type { ExtractionWarning, InvoiceFields } from "../types";

/** A read amount as exact units (@remit/rules' BigInt arithmetic, as the server's checks). */
const units = (value: string): bigint | null => (isQuantity(value) ? toUnits(value) : null);
const sumOf = (values: Array<bigint | null>): bigint | null =>
  values.some((v) => v === null) ? null : values.reduce<bigint>((sum, v) => sum + (v ?? 0n), 0n);

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
    const sum = sumOf(lineAmounts.map(units));
    const subtotal = units(fields.subtotal.value);
    if (sum !== null && subtotal !== null && sum !== subtotal) {
      warnings.push({
        code: "lines_do_not_sum_to_subtotal",
        message: `The line items add up to ${fromUnits(sum)}, but the subtotal reads ${fields.subtotal.value}.`,
      });
    }
  }
  if (fields.subtotal && fields.tax && fields.total) {
    const sum = sumOf([units(fields.subtotal.value), units(fields.tax.value)]);
    const total = units(fields.total.value);
    if (sum !== null && total !== null && sum !== total) {
      warnings.push({
        code: "subtotal_plus_tax_is_not_total",
        message: `Subtotal ${fields.subtotal.value} plus tax ${fields.tax.value} is ${fromUnits(sum)}, but the total reads ${fields.total.value}.`,
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
