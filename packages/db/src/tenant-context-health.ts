import { sql } from "drizzle-orm";
import { queryRows } from "./rows";
import type { Database } from "./types";
import { asAppRole } from "./with-tenant";

/** Tenant-context outcomes counted in one time bucket. */
export interface OutcomeBucket {
  start: Date;
  ok: number;
  repaired: number;
  repairFailed: number;
  denied: number;
}

/**
 * Tenant-context outcomes across every tenant, per bucket (numbers only), for /readyz and
 * /metrics. Goes through the allowlisted tenant_context_health() (drizzle/0006) as remit_app:
 * the isolation policy shows remit_app one tenant's events at most, and the overall rate must
 * also count events that have no tenant (failed repairs, denials). Buckets without events are
 * absent; the caller fills them in.
 */
export async function tenantContextHealth(
  db: Database,
  params: { since: Date; bucketSeconds: number },
): Promise<OutcomeBucket[]> {
  const rows = await asAppRole(db, async (tx) => {
    return queryRows<{
      bucket_start: string | Date;
      ok: string;
      repaired: string;
      repair_failed: string;
      denied: string;
    }>(
      tx,
      sql`select * from public.tenant_context_health(${params.since.toISOString()}::timestamptz, ${params.bucketSeconds}::int)`,
    );
  });
  return rows.map((r) => ({
    start: new Date(r.bucket_start),
    ok: Number(r.ok),
    repaired: Number(r.repaired),
    repairFailed: Number(r.repair_failed),
    denied: Number(r.denied),
  }));
}
