import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { builtQuery } from "../src/built-query";
import { invoices, suppliers } from "../src/schema";
import { type SeededTenant, seedTenant, type TestDatabase } from "../src/testing";
import { openSuiteDatabase } from "../src/testing/vitest-suite";
import { withTenant } from "../src/with-tenant";
import { must } from "./fixtures";

/*
 * builtQuery (built-query.ts) runs a select whose text was built once, through the
 * transaction's own session. Its rows must be exactly what Drizzle's own select gives for the
 * same statement (decoders, a left join's nulls, SQL fragments, RLS), and its text Drizzle's.
 */

let handle: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;

beforeAll(async () => {
  handle = await openSuiteDatabase();
  a = await seedTenant(handle.db, "bqa");
  b = await seedTenant(handle.db, "bqb");
  await withTenant(handle.db, a.as.admin, async (tx) => {
    const [supplier] = await tx
      .insert(suppliers)
      .values({ tenantId: a.tenantId, name: "Linked" })
      .returning();
    await tx.insert(invoices).values([
      {
        tenantId: a.tenantId,
        createdBy: a.as.admin.userId,
        invoiceNumber: "A-1",
        total: "12.50",
        currency: "EUR",
        invoiceDate: "2026-01-31",
        supplierId: must(supplier).id,
      },
      { tenantId: a.tenantId, createdBy: a.as.admin.userId, invoiceNumber: "A-2" },
    ]);
  });
  await withTenant(handle.db, b.as.admin, (tx) =>
    tx.insert(invoices).values({ tenantId: b.tenantId, createdBy: b.as.admin.userId }),
  );
});

afterAll(async () => {
  await handle?.close();
});

const fields = {
  id: invoices.id,
  number: invoices.invoiceNumber,
  total: invoices.total,
  invoiceDate: invoices.invoiceDate,
  createdAt: invoices.createdAt,
  supplier: suppliers,
  twice: sql<number>`2 * 21`.mapWith(Number),
};

const page = builtQuery((qb) =>
  qb
    .select(fields)
    .from(invoices)
    .leftJoin(
      suppliers,
      and(eq(suppliers.tenantId, invoices.tenantId), eq(suppliers.id, invoices.supplierId)),
    )
    .where(eq(invoices.tenantId, sql.placeholder("tenantId")))
    .orderBy(desc(invoices.createdAt), desc(invoices.invoiceNumber))
    .limit(sql.placeholder("limit")),
);

it("gives the rows Drizzle's own select gives, run after run", async () => {
  for (const limit of [5, 1, 5]) {
    const [built, own] = await withTenant(handle.db, a.as.admin, async (tx) => [
      await page.run(tx, { tenantId: a.tenantId, limit }),
      await tx
        .select(fields)
        .from(invoices)
        .leftJoin(
          suppliers,
          and(eq(suppliers.tenantId, invoices.tenantId), eq(suppliers.id, invoices.supplierId)),
        )
        .where(eq(invoices.tenantId, a.tenantId))
        .orderBy(desc(invoices.createdAt), desc(invoices.invoiceNumber))
        .limit(limit),
    ]);
    expect(built).toEqual(own);
    expect(built).toHaveLength(Math.min(limit, 2));
  }
  const rows = await withTenant(handle.db, a.as.admin, (tx) =>
    page.run(tx, { tenantId: a.tenantId, limit: 5 }),
  );
  const linked = rows.find((row) => row.number === "A-1");
  expect(linked?.total).toBe("12.50");
  expect(linked?.invoiceDate).toBe("2026-01-31");
  expect(linked?.createdAt).toBeInstanceOf(Date);
  expect(linked?.supplier?.name).toBe("Linked");
  expect(linked?.twice).toBe(42);
  // A left join's table with no row is null, not an object of nulls.
  expect(rows.find((row) => row.number === "A-2")?.supplier).toBeNull();
});

it("is Drizzle's text, with the placeholders as parameters", () => {
  expect(page.text).toMatch(/"invoices"\."tenant_id" = \$1 order by .* limit \$2$/);
  // What another client needs to send the same statement: its $n values and its columns' names.
  expect(page.parameters({ tenantId: a.tenantId, limit: 5 })).toEqual([a.tenantId, 5]);
  expect(page.columns.slice(0, 5)).toEqual(["id", "number", "total", "invoiceDate", "createdAt"]);
  expect(page.columns).toContain("supplier.name");
  expect(page.columns.at(-1)).toBe("twice");
});

it("stays under RLS: another tenant's id in the placeholder finds nothing", async () => {
  const rows = await withTenant(handle.db, a.as.admin, (tx) =>
    page.run(tx, { tenantId: b.tenantId, limit: 5 }),
  );
  expect(rows).toEqual([]);
});
