import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { queryRows } from "../src/rows";
import { invoices } from "../src/schema";
import { type SeededTenant, seedTenant, type TestDatabase } from "../src/testing";
import { openSuiteDatabase } from "../src/testing/vitest-suite";
import { withTenant } from "../src/with-tenant";
import { seedBusinessRows } from "./fixtures";

/*
 * Pool bleed: a pool of two connections serves 1,000 interleaved transactions of two tenants in
 * parallel (some of them rolled back); each must see only its own tenant and its own settings,
 * and afterwards no connection may carry a role or tenant. On PGlite the same run goes through
 * its single connection.
 */

let handle: TestDatabase;
let tenants: SeededTenant[];

beforeAll(async () => {
  handle = await openSuiteDatabase({ maxConnections: 2 });
  tenants = [await seedTenant(handle.db, "pa"), await seedTenant(handle.db, "pb")];
  for (const t of tenants) await seedBusinessRows(handle.db, t);
});

afterAll(async () => {
  await handle?.close();
});

it("never lets one tenant's transaction see another's context or rows", async () => {
  const failures: string[] = [];
  const runs = Array.from({ length: 1000 }, async (_, i) => {
    const tenant = tenants[i % 2] as SeededTenant;
    const context = i % 3 === 0 ? tenant.as.verifier : tenant.as.user;
    try {
      await withTenant(handle.db, context, async (tx) => {
        const [settings] = await queryRows<Record<string, string>>(
          tx,
          sql`select current_user as "user", current_setting('app.tenant_id') as tenant,
                     current_setting('app.user_id') as uid, current_setting('app.role') as role`,
        );
        // Yield between statements so that other transactions interleave on the pool.
        await new Promise((resolve) => setImmediate(resolve));
        const rows = await tx.select({ tenantId: invoices.tenantId }).from(invoices);
        const expected = {
          user: "remit_app",
          tenant: tenant.tenantId,
          uid: context.userId,
          role: context.role,
        };
        if (JSON.stringify(settings) !== JSON.stringify(expected)) {
          failures.push(`run ${i}: settings ${JSON.stringify(settings)}`);
        }
        if (rows.length === 0 || rows.some((r) => r.tenantId !== tenant.tenantId)) {
          failures.push(
            `run ${i}: saw ${rows.length} rows, foreign ${rows.filter((r) => r.tenantId !== tenant.tenantId).length}`,
          );
        }
        if (i % 10 === 0) throw new Error("deliberate rollback");
      });
    } catch (error) {
      if ((error as Error).message !== "deliberate rollback")
        failures.push(`run ${i}: ${String(error)}`);
    }
  });
  await Promise.all(runs);
  expect(failures).toEqual([]);

  // Every pooled connection is back to the login role with no tenant.
  const after = await Promise.all(
    Array.from({ length: 20 }, () =>
      queryRows<{ user: string; tenant: string | null; pid: number }>(
        handle.db,
        sql`select current_user as "user", nullif(current_setting('app.tenant_id', true), '') as tenant,
                   pg_backend_pid() as pid`,
      ),
    ),
  );
  const rows = after.flat();
  expect(rows.every((r) => r.user !== "remit_app" && r.tenant === null)).toBe(true);
  if (handle.kind === "postgres")
    expect(new Set(rows.map((r) => r.pid)).size).toBeLessThanOrEqual(2);
});
