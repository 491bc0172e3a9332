import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { invoices, suppliers } from "../src/schema";
import { type SeededTenant, seedTenant, type TestDatabase } from "../src/testing";
import { openSuiteDatabase } from "../src/testing/vitest-suite";
import { withTenant } from "../src/with-tenant";
import { failsWith, must } from "./fixtures";

/* Global suppliers (tenant_id IS NULL): readable by every tenant, writable by none. */

let handle: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let globalId: string;
let supplierOfB: string;

beforeAll(async () => {
  handle = await openSuiteDatabase();
  a = await seedTenant(handle.db, "sa");
  b = await seedTenant(handle.db, "sb");
  // Global rows are platform data, written by the connecting role, never by remit_app.
  const [global] = await handle.db
    .insert(suppliers)
    .values({ tenantId: null, name: `Deutsche Bahn ${crypto.randomUUID()}`, taxId: "DE811569869" })
    .returning();
  globalId = must(global).id;
  const [own] = await withTenant(handle.db, b.as.user, (tx) =>
    tx.insert(suppliers).values({ tenantId: b.tenantId, name: "B's supplier" }).returning(),
  );
  supplierOfB = must(own).id;
});

afterAll(async () => {
  await handle?.close();
});

it("are readable by every tenant", async () => {
  for (const tenant of [a, b]) {
    const seen = await withTenant(handle.db, tenant.as.user, (tx) =>
      tx.select().from(suppliers).where(eq(suppliers.id, globalId)),
    );
    expect(seen).toHaveLength(1);
  }
});

it("cannot be created, changed or deleted by a tenant", async () => {
  expect(
    await failsWith(() =>
      withTenant(handle.db, a.as.admin, (tx) =>
        tx.insert(suppliers).values({ tenantId: null, name: "Fake global" }),
      ),
    ),
  ).toBe("42501");
  const updated = await withTenant(handle.db, a.as.admin, (tx) =>
    tx.update(suppliers).set({ name: "Renamed" }).where(eq(suppliers.id, globalId)).returning(),
  );
  const deleted = await withTenant(handle.db, a.as.admin, (tx) =>
    tx.delete(suppliers).where(eq(suppliers.id, globalId)).returning(),
  );
  expect([updated, deleted]).toEqual([[], []]);
  // Nor can a tenant take a global row over by giving it its own tenant_id.
  const adopted = await withTenant(handle.db, a.as.admin, (tx) =>
    tx
      .update(suppliers)
      .set({ tenantId: a.tenantId })
      .where(eq(suppliers.id, globalId))
      .returning(),
  );
  expect(adopted).toEqual([]);
  const [row] = await handle.db.select().from(suppliers).where(eq(suppliers.id, globalId));
  expect(row).toMatchObject({ tenantId: null, taxId: "DE811569869" });
  expect(row?.name).toMatch(/^Deutsche Bahn/);
});

it("are used by copying them into the tenant, which must name a real global row", async () => {
  const [copy] = await withTenant(handle.db, a.as.user, (tx) =>
    tx
      .insert(suppliers)
      .values({ tenantId: a.tenantId, name: "Deutsche Bahn", globalSupplierId: globalId })
      .returning(),
  );
  expect(copy?.globalSupplierId).toBe(globalId);
  for (const notGlobal of [supplierOfB, crypto.randomUUID()]) {
    expect(
      await failsWith(() =>
        withTenant(handle.db, a.as.user, (tx) =>
          tx
            .insert(suppliers)
            .values({ tenantId: a.tenantId, name: "x", globalSupplierId: notGlobal }),
        ),
      ),
    ).toBe("RM005");
  }
});

it("cannot be referenced by an invoice directly (invoices reference tenant rows only)", async () => {
  expect(
    await failsWith(() =>
      withTenant(handle.db, a.as.user, (tx) =>
        tx
          .insert(invoices)
          .values({ tenantId: a.tenantId, supplierId: globalId, createdBy: a.as.user.userId }),
      ),
    ),
  ).toBe("23503");
});
