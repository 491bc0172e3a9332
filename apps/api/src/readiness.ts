import { type ApiDeps, readinessWindowMinutes } from "@remit/api";
import { queryRows } from "@remit/db";
import { sql } from "drizzle-orm";

/**
 * /readyz: the database answers (status ready, or 503), plus tenant-context health across
 * tenants over the last few minutes (cached for a few seconds, so probes stay cheap).
 *
 * Degraded tenant-context health is reported, never turned into a 503. It means callers are
 * being refused or repaired — removed members, stale sessions, a client without a tenant — which
 * every instance sees alike because it comes from shared sessions and memberships. Taking
 * instances out of rotation would not fix it, and would turn some refused requests into an
 * outage for every tenant. Alerting belongs on /metrics (remit_tenant_context_degraded).
 */
export async function readiness(deps: ApiDeps, databaseKind: string) {
  try {
    await queryRows(deps.db, sql`select 1`);
  } catch {
    return { ok: false as const, body: { status: "unavailable", database: databaseKind } };
  }
  const health = await deps.tenantContextHealth().catch(() => null);
  return {
    ok: true as const,
    body: {
      status: "ready",
      database: databaseKind,
      tenantContext: health
        ? {
            status: health.status,
            coverage: health.coverageRate,
            repairRate: health.repairRate,
            repairSuccess: health.repairSuccessRate,
            requests: health.counts.total,
            failing: health.failing,
            window: `${readinessWindowMinutes}m`,
          }
        : { status: "unknown", window: `${readinessWindowMinutes}m` },
    },
  };
}
