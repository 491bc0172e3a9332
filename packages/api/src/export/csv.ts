import type { ExportInvoice } from "./rows";

/*
 * The invoice CSV: the one producer of it. The web app's export and the `remit export` command
 * both download it from GET /api/invoices/export, so the two can never drift apart.
 */

/** One CSV line (RFC 4180): every field quoted, quotes doubled. */
export function csvLine(fields: Array<string | number | null | undefined>): string {
  return fields.map((f) => `"${String(f ?? "").replaceAll('"', '""')}"`).join(",");
}

export const csvHeader = [
  "id",
  "status",
  "invoice_number",
  "supplier",
  "invoice_date",
  "due_date",
  "currency",
  "total",
  "approved_at",
  "paid_at",
  "payment_reference",
] as const;

/** The header and one line per invoice, each ending in a newline. */
export function invoicesCsv(rows: ExportInvoice[]): string {
  const lines = [csvLine([...csvHeader])];
  for (const i of rows) {
    lines.push(
      csvLine([
        i.id,
        i.status,
        i.invoiceNumber,
        i.supplierName,
        i.invoiceDate,
        i.dueDate,
        i.currency,
        i.total,
        i.approvedAt?.toISOString(),
        i.paidAt?.toISOString(),
        i.paymentReference,
      ]),
    );
  }
  return `${lines.join("\n")}\n`;
}
