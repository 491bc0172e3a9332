import { sql } from "drizzle-orm";
import { z } from "zod";
import { memberRoles } from "./schema/platform";
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
 * statement (one round trip; `set_config('role', …, true)` is exactly `SET LOCAL ROLE`).
 * Everything is transaction-local: at COMMIT or ROLLBACK PostgreSQL restores the role and the
 * settings, so a pooled connection that served tenant A serves tenant B next with no trace of A.
 * A session-level SET would survive into the next request on that connection; we never use one.
 */
export async function withTenant<T>(
  db: Database,
  context: TenantContext,
  fn: (tx: TenantDb) => Promise<T>,
): Promise<T> {
  const { tenantId, userId, role } = tenantContextSchema.parse(context);
  return db.transaction(async (tx: Transaction) => {
    await tx.execute(sql`
      select
        set_config('role', 'remit_app', true),
        set_config('app.tenant_id', ${tenantId}, true),
        set_config('app.user_id', ${userId}, true),
        set_config('app.role', ${role}, true)
    `);
    return fn(tx as TenantDb);
  });
}
