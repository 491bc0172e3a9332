// Exports this month's approved invoices of the token's tenant as CSV on stdout.
//
//   REMIT_URL=http://127.0.0.1:3000 REMIT_TOKEN=… node --import tsx examples/export-approved-csv.ts
//
// REMIT_TOKEN is a session token (from sign-in) or a JWT (from /api/auth/token).

import { createRemitClient, TRPCClientError } from "@remit/client";
import { remitToken, remitUrl } from "./env";

const url = remitUrl;
const token = remitToken;
if (!token) {
  console.error("Set REMIT_TOKEN to a session token or JWT.");
  process.exit(2);
}

const client = createRemitClient({ url, token });
const now = new Date();
const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

/** RFC 4180: quote every field, double the quotes inside. */
const csv = (fields: Array<string | null | undefined>) =>
  fields.map((f) => `"${(f ?? "").replaceAll('"', '""')}"`).join(",");

try {
  console.log(
    csv(["invoice_number", "supplier", "invoice_date", "currency", "total", "approved_at"]),
  );
  let cursor: string | undefined;
  do {
    const page = await client.invoice.list.query({ status: "approved_to_ap", limit: 100, cursor });
    for (const invoice of page.items) {
      if (!invoice.approvedAt || invoice.approvedAt < monthStart) continue;
      console.log(
        csv([
          invoice.invoiceNumber,
          invoice.supplierName,
          invoice.invoiceDate,
          invoice.currency,
          invoice.total,
          invoice.approvedAt.toISOString(),
        ]),
      );
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
} catch (error) {
  console.error(error instanceof TRPCClientError ? `Remit said: ${error.message}` : error);
  process.exit(1);
}
