import {
  type Database,
  type OutcomeBucket,
  queryRows,
  type TenantDb,
  tenantContextEvents,
  tenants,
} from "@remit/db";
import { sql } from "drizzle-orm";

interface CountRow extends Record<string, unknown> {
  ok: string | number;
  repaired: string | number;
  repair_failed: string | number;
  denied: string | number;
}

const counted = sql`count(*) filter (where e.outcome = 'ok') as ok,
  count(*) filter (where e.outcome = 'repaired') as repaired,
  count(*) filter (where e.outcome = 'repair_failed') as repair_failed,
  count(*) filter (where e.outcome = 'denied') as denied`;

const countsOf = (r: CountRow) => ({
  ok: Number(r.ok),
  repaired: Number(r.repaired),
  repairFailed: Number(r.repair_failed),
  denied: Number(r.denied),
});

/** One tenant's outcomes per bucket, under RLS: the transaction's tenant only. */
export async function tenantOutcomeBuckets(
  tx: TenantDb,
  params: { since: Date; bucketSeconds: number },
): Promise<OutcomeBucket[]> {
  const rows = await queryRows<CountRow & { bucket_start: string | Date }>(
    tx,
    sql`select to_timestamp(floor(extract(epoch from e.created_at) / ${params.bucketSeconds}::int)
                 * ${params.bucketSeconds}::int) as bucket_start, ${counted}
        from ${tenantContextEvents} e
        where e.created_at >= ${params.since.toISOString()}::timestamptz
        group by 1 order by 1`,
  );
  return rows.map((r) => ({ start: new Date(r.bucket_start), ...countsOf(r) }));
}

/**
 * Outcomes per tenant over a window, for platform operators: read through the server's own
 * connection, like isolation_violations. Events that resolved no tenant are one row with a null
 * tenant. Busiest first, at most `limit` tenants.
 */
export async function outcomesByTenant(db: Database, params: { since: Date; limit: number }) {
  const rows = await queryRows<CountRow & { tenant_id: string | null; name: string | null }>(
    db,
    sql`select e.tenant_id, t.name, ${counted}
        from ${tenantContextEvents} e left join ${tenants} t on t.id = e.tenant_id
        where e.created_at >= ${params.since.toISOString()}::timestamptz
        group by e.tenant_id, t.name
        order by count(*) desc, e.tenant_id
        limit ${params.limit}`,
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, name: r.name, ...countsOf(r) }));
}
