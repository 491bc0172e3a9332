import { sql } from "drizzle-orm";
import { z } from "zod";
import { memberRoles } from "./schema/platform";
import { tenantRunnerFor } from "./tenant-transaction";
import type { Database, TenantDb, Transaction } from "./types";

export const tenantContextSchema = z.object({
  tenantId: z.uuid(),
  userId: z.uuid(),
  role: z.enum(memberRoles),
});

export type TenantContext = z.infer<typeof tenantContextSchema>;

/**
 * The only way into tenant data, and the only code in the repo that sets the tenant.
 *
 * It opens a transaction and, before anything else, switches to remit_app and sets app.tenant_id,
 * app.user_id and app.role, all with is_local = true and all as bound parameters in a single
 * statement (see tenant-transaction.ts for how that statement rides along with BEGIN).
 * Everything is transaction-local: at COMMIT or ROLLBACK PostgreSQL restores the role and the
 * settings, so a pooled connection that served tenant A serves tenant B next with no trace of A.
 * A session-level SET would survive into the next request on that connection; we never use one.
 */
export async function withTenant<T>(
  db: Database,
  context: TenantContext,
  fn: (tx: TenantDb) => Promise<T>,
): Promise<T> {
  const settings = tenantContextSchema.parse(context);
  return tenantRunnerFor(db)(settings, (tx) => fn(tx as TenantDb));
}

/**
 * A transaction as remit_app with no tenant bound: for the allowlisted SECURITY DEFINER
 * functions that work across tenants (the job claim, queue depth, health counts, recording
 * violations and tenant-context events). RLS still applies to anything else it touches, and with
 * no tenant set no tenant row is visible. Like withTenant, the role ends with the transaction.
 */
export async function asAppRole<T>(db: Database, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'remit_app', true)`);
    return fn(tx);
  });
}
