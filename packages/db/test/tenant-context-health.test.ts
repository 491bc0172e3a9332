import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/rows";
import { tenantContextEvents } from "../src/schema";
import { tenantContextHealth } from "../src/tenant-context-health";
import { seedTenant, type TestDatabase } from "../src/testing";
import { openSuiteDatabase } from "../src/testing/vitest-suite";

/*
 * tenant_context_health() (drizzle/0006) counts outcomes across tenants for /readyz and /metrics,
 * as remit_app. The events are placed three days back, in a bucket no other test writes to, so
 * the counts are exact on a shared PostgreSQL too.
 */

let handle: TestDatabase;
const hour = 3_600_000;
// The start of an hour three days ago: one bucket of an hourly series.
const bucket = new Date(Math.floor((Date.now() - 72 * hour) / hour) * hour);

beforeAll(async () => {
  handle = await openSuiteDatabase();
  const a = await seedTenant(handle.db, "health-a");
  const b = await seedTenant(handle.db, "health-b");
  const at = new Date(bucket.getTime() + 60_000);
  const event = (
    tenantId: string | null,
    outcome: "ok" | "repaired" | "repair_failed" | "denied",
  ) => ({ tenantId, userId: a.as.user.userId, outcome, createdAt: at }) as const;
  await handle.db
    .insert(tenantContextEvents)
    .values([
      event(a.tenantId, "ok"),
      event(a.tenantId, "ok"),
      event(b.tenantId, "ok"),
      event(b.tenantId, "repaired"),
      event(null, "repair_failed"),
      event(null, "denied"),
    ]);
});

afterAll(async () => {
  await handle?.close();
});

describe("tenant_context_health()", () => {
  it("counts every tenant's outcomes, and those without a tenant, per bucket", async () => {
    const buckets = await tenantContextHealth(handle.db, {
      since: new Date(bucket.getTime() - hour),
      bucketSeconds: 3600,
    });
    const mine = buckets.find((b) => b.start.getTime() === bucket.getTime());
    expect(mine).toEqual({ start: bucket, ok: 3, repaired: 1, repairFailed: 1, denied: 1 });
  });

  it("answers counts only: no id, tenant, user or reason column", async () => {
    const columns = await handle.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', 'remit_app', true)`);
      const rows = await queryRows<Record<string, unknown>>(
        tx,
        sql`select * from public.tenant_context_health(now() - interval '1 hour', 60)`,
      );
      const [described] = await queryRows<{ result: string }>(
        tx,
        sql`select pg_get_function_result('public.tenant_context_health(timestamptz, integer)'::regprocedure) as result`,
      );
      return { rows, result: described?.result ?? "" };
    });
    expect(columns.result).toBe(
      "TABLE(bucket_start timestamp with time zone, ok bigint, repaired bigint, repair_failed bigint, denied bigint)",
    );
  });

  it("refuses a window past 7 days or too many buckets", async () => {
    const eightDays = new Date(Date.now() - 8 * 24 * hour);
    await expect(
      tenantContextHealth(handle.db, { since: eightDays, bucketSeconds: 3600 }),
    ).rejects.toThrow();
    const sixDays = new Date(Date.now() - 6 * 24 * hour);
    await expect(
      tenantContextHealth(handle.db, { since: sixDays, bucketSeconds: 10 }),
    ).rejects.toThrow();
    await expect(
      tenantContextHealth(handle.db, { since: new Date(Date.now() - hour), bucketSeconds: 5 }),
    ).rejects.toThrow();
  });
});
