import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InvoiceStatus, invoiceApprovals, invoiceLineItems, invoices } from "../src/schema";
import { type SeededTenant, seedTenant, type TestDatabase } from "../src/testing";
import { openSuiteDatabase } from "../src/testing/vitest-suite";
import { type TenantContext, withTenant } from "../src/with-tenant";
import { failsWith, must, seedBusinessRows } from "./fixtures";

/*
 * The paid step as the database enforces it (drizzle/0015_paid_and_queue.sql): approved_to_ap ->
 * paid only, by a verifier or admin, recorded by the trigger, nothing else changing with it, and
 * nothing at all changing afterwards, for remit_app and the table owner alike. Runs on PGlite,
 * and on PostgreSQL when TEST_DATABASE_URL is set.
 */

let handle: TestDatabase;
let t: SeededTenant;
let other: SeededTenant;

beforeAll(async () => {
  handle = await openSuiteDatabase();
  t = await seedTenant(handle.db, "paid");
  other = await seedTenant(handle.db, "paid-other");
});

afterAll(async () => {
  await handle?.close();
});

/** An update as the API's markPaid makes it: in a transaction that says it is marking paid. */
const set = (
  as: TenantContext,
  invoiceId: string,
  values: Partial<typeof invoices.$inferInsert>,
  markingPaid = true,
) =>
  withTenant(handle.db, as, async (tx) => {
    if (markingPaid) await tx.execute(sql`select set_config('app.marking_paid', 'on', true)`);
    return tx.update(invoices).set(values).where(eq(invoices.id, invoiceId)).returning();
  });
const move = (as: TenantContext, invoiceId: string, status: InvoiceStatus) =>
  set(as, invoiceId, { status });

const read = async (invoiceId: string) =>
  must((await handle.db.select().from(invoices).where(eq(invoices.id, invoiceId)))[0]);

/** An invoice of `tenant` submitted by its user, verified by its verifier, approved by its admin. */
async function approved(tenant: SeededTenant) {
  const { invoiceId } = await seedBusinessRows(handle.db, tenant);
  await move(tenant.as.user, invoiceId, "pending_verification");
  await move(tenant.as.verifier, invoiceId, "verified");
  await withTenant(handle.db, tenant.as.admin, (tx) =>
    tx.insert(invoiceApprovals).values({
      tenantId: tenant.tenantId,
      invoiceId,
      approverId: tenant.as.admin.userId,
      approverRole: "admin",
      round: 0,
      snapshot: {},
    }),
  );
  expect((await read(invoiceId)).status).toBe("approved_to_ap");
  return invoiceId;
}

describe("marking an invoice paid", () => {
  it("moves approved_to_ap to paid, locked, with who and when written by the trigger", async () => {
    const invoiceId = await approved(t);
    const paidAt = new Date("2026-01-15T10:00:00Z");
    const [row] = await set(t.as.verifier, invoiceId, {
      status: "paid",
      paidAt,
      // A forged payer is replaced by the acting user.
      paidBy: t.as.user.userId,
      paymentReference: "TRX-1",
    });
    expect(row).toMatchObject({
      status: "paid",
      isLocked: true,
      paidBy: t.as.verifier.userId,
      paymentReference: "TRX-1",
    });
    expect(row?.paidAt?.toISOString()).toBe(paidAt.toISOString());
  });

  it("defaults the payment date to now and refuses one in the future (RM010)", async () => {
    const invoiceId = await approved(t);
    expect(
      await failsWith(() =>
        set(t.as.admin, invoiceId, { status: "paid", paidAt: new Date(Date.now() + 9e8) }),
      ),
    ).toBe("RM010");
    const [row] = await move(t.as.admin, invoiceId, "paid");
    expect(Math.abs((row?.paidAt?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it("is the verifier's and the admin's, not a user's (RM003)", async () => {
    const invoiceId = await approved(t);
    expect(await failsWith(() => move(t.as.user, invoiceId, "paid"))).toBe("RM003");
    expect((await read(invoiceId)).status).toBe("approved_to_ap");
  });

  it("comes from approved_to_ap only (RM002)", async () => {
    const { invoiceId } = await seedBusinessRows(handle.db, t);
    expect(await failsWith(() => move(t.as.admin, invoiceId, "paid"))).toBe("RM002");
    await move(t.as.user, invoiceId, "pending_verification");
    await move(t.as.verifier, invoiceId, "verified");
    expect(await failsWith(() => move(t.as.admin, invoiceId, "paid"))).toBe("RM002");
  });

  it("changes nothing else on the way (RM001)", async () => {
    const invoiceId = await approved(t);
    expect(
      await failsWith(() => set(t.as.admin, invoiceId, { status: "paid", total: "1.00" })),
    ).toBe("RM001");
    expect(await failsWith(() => set(t.as.admin, invoiceId, { total: "1.00" }))).toBe("RM001");
  });

  it("is out of reach of an update that does not say it marks paid", async () => {
    const invoiceId = await approved(t);
    expect(await set(t.as.admin, invoiceId, { status: "paid" }, false)).toEqual([]);
    expect((await read(invoiceId)).status).toBe("approved_to_ap");
  });

  it("is final: no way back, no edit, no delete, for remit_app and the owner", async () => {
    const invoiceId = await approved(t);
    await move(t.as.admin, invoiceId, "paid");
    for (const status of ["approved_to_ap", "draft", "verified"] as const) {
      // Invisible to remit_app's UPDATE (0 rows) ...
      expect(await move(t.as.admin, invoiceId, status)).toEqual([]);
      // ... and refused to the owner by the trigger.
      expect(
        await failsWith(() =>
          handle.db.update(invoices).set({ status }).where(eq(invoices.id, invoiceId)),
        ),
      ).toBe("RM001");
    }
    expect(
      await failsWith(() =>
        handle.db
          .update(invoices)
          .set({ paymentReference: "changed" })
          .where(eq(invoices.id, invoiceId)),
      ),
    ).toBe("RM001");
    expect(
      await failsWith(() => handle.db.delete(invoices).where(eq(invoices.id, invoiceId))),
    ).toBe("RM001");
    expect(
      await failsWith(() =>
        handle.db.insert(invoiceLineItems).values({
          tenantId: t.tenantId,
          invoiceId,
          position: 99,
          description: "slipped in",
        }),
      ),
    ).toBe("RM001");
    expect(await read(invoiceId)).toMatchObject({ status: "paid", isLocked: true });
  });

  it("cannot be done to another tenant's invoice", async () => {
    const invoiceId = await approved(other);
    expect(await move(t.as.admin, invoiceId, "paid")).toEqual([]);
    expect((await read(invoiceId)).status).toBe("approved_to_ap");
  });

  it("still refuses an approval of an approved invoice as locked (RM001)", async () => {
    const invoiceId = await approved(t);
    expect(
      await failsWith(() =>
        withTenant(handle.db, t.as.verifier, (tx) =>
          tx.insert(invoiceApprovals).values({
            tenantId: t.tenantId,
            invoiceId,
            approverId: t.as.verifier.userId,
            approverRole: "verifier",
            round: 0,
            snapshot: {},
          }),
        ),
      ),
    ).toBe("RM001");
  });
});
