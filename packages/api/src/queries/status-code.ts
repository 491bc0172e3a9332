import type { InvoiceStatus } from "@remit/db";
import { invoices } from "@remit/db";
import { type SQL, sql } from "drizzle-orm";

/*
 * The inbox's status condition, on drizzle/0019's generated status_code. An enum's `=` is not
 * LEAKPROOF, so under RLS `status = …` is only ever a filter; smallint's `=` is, so this is an
 * index condition on (tenant_id, status_code, <sort column>, id). The numbers are the migration's
 * CASE; status-code.test reads every enum value back through the column.
 */
export const statusCodes: Record<InvoiceStatus, number> = {
  draft: 1,
  pending_verification: 2,
  verified: 3,
  approved_to_ap: 4,
  paid: 5,
};

/** `status = $status`, written so the planner can use an index for it as remit_app. */
export function statusIs(status: InvoiceStatus): SQL {
  return sql`${invoices}.status_code = ${statusCodes[status]}::smallint`;
}
