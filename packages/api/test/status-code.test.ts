import { invoiceStatuses, queryRows, withTenant } from "@remit/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statusCodes } from "../src/queries/status-code";
import { createWorld, type World } from "./harness";

/*
 * drizzle/0019's status_code: the status tab as a number the planner may use under RLS (an enum's
 * `=` is not LEAKPROOF, smallint's is). Every status of the database maps to the number the
 * queries use, and as remit_app a tab under a column sort is an index condition, not a filter.
 */

let world: World;

beforeAll(async () => {
  world = await createWorld();
});

afterAll(async () => {
  await world?.close();
});

describe("status_code", () => {
  it("names every status of the database with the queries' number", async () => {
    const enumValues = await queryRows<{ status: string }>(
      world.deps.db,
      sql`select unnest(enum_range(null::invoice_status))::text as status`,
    );
    expect(enumValues.map((r) => r.status).sort()).toEqual([...invoiceStatuses].sort());
    expect(Object.keys(statusCodes).sort()).toEqual([...invoiceStatuses].sort());
    for (const status of invoiceStatuses) {
      const [row] = await queryRows<{ code: number }>(
        world.deps.db,
        sql`insert into invoices (tenant_id, created_by, status, is_locked, currency, paid_at, paid_by)
            values (${world.tenantA}::uuid, ${world.a.admin.userId}::uuid,
              ${status}::invoice_status, ${status === "approved_to_ap" || status === "paid"}, 'EUR',
              ${status === "paid" ? sql`now()` : sql`null`},
              ${status === "paid" ? world.a.admin.userId : null}::uuid)
            returning status_code as code`,
      );
      expect({ status, code: Number(row?.code) }).toEqual({ status, code: statusCodes[status] });
    }
  });

  it("is an index condition for remit_app under RLS, where the enum's = is only a filter", async () => {
    const plan = async (condition: string) =>
      withTenant(
        world.deps.db,
        { tenantId: world.tenantA, userId: world.a.admin.userId, role: "admin" },
        async (tx) => {
          // The table is small here: take sequential scans away so the plan shows the index's use.
          await tx.execute(sql`set local enable_seqscan = off`);
          const rows = await queryRows<{ "QUERY PLAN": string }>(
            tx,
            sql.raw(`explain (costs off) select id from invoices
              where tenant_id = '${world.tenantA}' and ${condition}
              order by total_cents, id limit 5`),
          );
          return rows.map((r) => r["QUERY PLAN"]).join("\n");
        },
      );
    const byCode = await plan(`status_code = ${statusCodes.verified}::smallint`);
    expect(byCode).toMatch(/Index Cond: .*status_code = /);
    const byEnum = await plan(`status = 'verified'::invoice_status`);
    expect(byEnum).not.toMatch(/Index Cond: .*status = /);
  });
});
