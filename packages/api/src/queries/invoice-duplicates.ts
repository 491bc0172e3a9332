import { invoiceDuplicates, type TenantDb } from "@remit/db";
import { and, eq } from "drizzle-orm";

/** The other copy this invoice looks like (kept by the database, drizzle/0016), or null. */
export async function duplicateOf(
  db: TenantDb,
  tenantId: string,
  invoiceId: string,
): Promise<string | null> {
  const [row] = await db
    .select({ other: invoiceDuplicates.duplicateOf })
    .from(invoiceDuplicates)
    .where(
      and(eq(invoiceDuplicates.tenantId, tenantId), eq(invoiceDuplicates.invoiceId, invoiceId)),
    );
  return row?.other ?? null;
}
