import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  approvalBands,
  type InvoiceStatus,
  invoiceApprovals,
  invoices,
  suppliers,
  tenantSettings,
} from "../src/schema";
import { type SeededTenant, seedTenant, type TestDatabase } from "../src/testing";
import { openSuiteDatabase } from "../src/testing/vitest-suite";
import { type TenantContext, withTenant } from "../src/with-tenant";
import { failsWith, must, seedBusinessRows } from "./fixtures";

/*
 * Approval as the database enforces it (drizzle/0009_approval.sql), whoever connects: the
 * submitter may not verify, the submitter and the verifier may not approve (unless the tenant's
 * admin relaxed that), approvals are append-only rows of their tenant, an amount band's count
 * must be met before the invoice locks, and the lock keeps what was approved. Runs on PGlite,
 * and on PostgreSQL when TEST_DATABASE_URL is set (CI's second pass).
 */

let handle: TestDatabase;
let t: SeededTenant;
let other: SeededTenant;

beforeAll(async () => {
  handle = await openSuiteDatabase();
  t = await seedTenant(handle.db, "approval");
  other = await seedTenant(handle.db, "approval-other");
});

afterAll(async () => {
  await handle?.close();
});

const move = (as: TenantContext, invoiceId: string, status: InvoiceStatus) =>
  withTenant(handle.db, as, (tx) =>
    tx.update(invoices).set({ status }).where(eq(invoices.id, invoiceId)).returning(),
  );

const approve = (as: TenantContext, invoiceId: string, tenantId = as.tenantId) =>
  withTenant(handle.db, as, (tx) =>
    tx
      .insert(invoiceApprovals)
      .values({
        tenantId,
        invoiceId,
        approverId: as.userId,
        approverRole: "admin",
        round: 0,
        snapshot: {},
      })
      .returning(),
  );

const read = async (invoiceId: string) =>
  must((await handle.db.select().from(invoices).where(eq(invoices.id, invoiceId)))[0]);

const relax = (tenant: SeededTenant, separated: boolean) =>
  withTenant(handle.db, tenant.as.admin, (tx) =>
    tx
      .insert(tenantSettings)
      .values({
        tenantId: tenant.tenantId,
        separationOfDuties: separated,
        updatedBy: tenant.as.admin.userId,
      })
      .onConflictDoUpdate({
        target: tenantSettings.tenantId,
        set: { separationOfDuties: separated, updatedBy: tenant.as.admin.userId },
      }),
  );

async function verifiedBy(tenant: SeededTenant, submitter: TenantContext, verifier: TenantContext) {
  const { invoiceId, supplierId } = await seedBusinessRows(handle.db, tenant);
  await move(submitter, invoiceId, "pending_verification");
  await move(verifier, invoiceId, "verified");
  return { invoiceId, supplierId };
}

/**
 * A tenant with approval bands in EUR, and a verifier of another tenant's people added to it:
 * separation of duties wants someone besides the submitter, the verifier and the admin.
 */
async function bandedTenant(
  label: string,
  bands: Array<{ minTotal: string; requiredApprovals: number; requireAdmin?: boolean }>,
) {
  const banded = await seedTenant(handle.db, label);
  const second = await seedTenant(handle.db, `${label}-extra`);
  const verifierB: TenantContext = {
    tenantId: banded.tenantId,
    userId: second.as.verifier.userId,
    role: "verifier",
  };
  await withTenant(handle.db, banded.as.admin, (tx) =>
    tx.insert(approvalBands).values(
      bands.map((band) => ({
        tenantId: banded.tenantId,
        currency: "EUR",
        createdBy: banded.as.admin.userId,
        ...band,
      })),
    ),
  );
  return { banded, verifierB };
}

describe("separation of duties", () => {
  it("records who submitted, verified, approved and rejected", async () => {
    const { invoiceId } = await verifiedBy(t, t.as.user, t.as.verifier);
    expect(await read(invoiceId)).toMatchObject({
      submittedBy: t.as.user.userId,
      verifiedBy: t.as.verifier.userId,
      reviewRound: 1,
    });
    await move(t.as.verifier, invoiceId, "draft");
    expect(await read(invoiceId)).toMatchObject({
      status: "draft",
      rejectedBy: t.as.verifier.userId,
      submittedBy: null,
    });
    expect((await read(invoiceId)).rejectedAt).toBeInstanceOf(Date);
  });

  it("refuses the submitter as verifier (RM006), even the admin", async () => {
    const { invoiceId } = await seedBusinessRows(handle.db, t);
    await move(t.as.admin, invoiceId, "pending_verification");
    expect(await failsWith(() => move(t.as.admin, invoiceId, "verified"))).toBe("RM006");
    expect((await read(invoiceId)).status).toBe("pending_verification");
  });

  it("refuses the verifier and the submitter as approver (RM007)", async () => {
    const { invoiceId } = await verifiedBy(t, t.as.admin, t.as.verifier);
    expect(await failsWith(() => approve(t.as.verifier, invoiceId))).toBe("RM007");
    expect(await failsWith(() => approve(t.as.admin, invoiceId))).toBe("RM007");
    expect(await read(invoiceId)).toMatchObject({ status: "verified", isLocked: false });
  });

  it("refuses approving by a plain status update: the policy needs an approval row (RM008)", async () => {
    const { invoiceId } = await verifiedBy(t, t.as.user, t.as.verifier);
    expect(await failsWith(() => move(t.as.admin, invoiceId, "approved_to_ap"))).toBe("RM008");
    // The table owner is bound by the trigger too (and, with no app role, by the role check).
    expect(
      await failsWith(() =>
        handle.db
          .update(invoices)
          .set({ status: "approved_to_ap" })
          .where(eq(invoices.id, invoiceId)),
      ),
    ).toBe("RM003");
    expect((await read(invoiceId)).status).toBe("verified");
  });

  it("lets one person do everything once the tenant's admin relaxed it, and says so", async () => {
    const solo = await seedTenant(handle.db, "solo");
    // Only the admin may change the setting.
    expect(
      await failsWith(() =>
        withTenant(handle.db, solo.as.verifier, (tx) =>
          tx.insert(tenantSettings).values({
            tenantId: solo.tenantId,
            separationOfDuties: false,
            updatedBy: solo.as.verifier.userId,
          }),
        ),
      ),
    ).toBe("42501");
    await relax(solo, false);
    const { invoiceId } = await seedBusinessRows(handle.db, solo);
    await move(solo.as.admin, invoiceId, "pending_verification");
    await move(solo.as.admin, invoiceId, "verified");
    expect((await read(invoiceId)).dutiesRelaxed).toBe(true);
    const [row] = await approve(solo.as.admin, invoiceId);
    expect(row).toMatchObject({ dutiesRelaxed: true, approverRole: "admin", round: 1 });
    expect(await read(invoiceId)).toMatchObject({
      status: "approved_to_ap",
      isLocked: true,
      dutiesRelaxed: true,
      approvedBy: solo.as.admin.userId,
    });
    // Another tenant's setting changes nothing here.
    const { invoiceId: strict } = await seedBusinessRows(handle.db, other);
    await move(other.as.admin, strict, "pending_verification");
    expect(await failsWith(() => move(other.as.admin, strict, "verified"))).toBe("RM006");
  });
});

describe("approval rows", () => {
  it("are written by the trigger: approver, role, round and snapshot cannot be forged", async () => {
    const { invoiceId } = await verifiedBy(t, t.as.user, t.as.verifier);
    const forged = await withTenant(handle.db, t.as.admin, (tx) =>
      tx
        .insert(invoiceApprovals)
        .values({
          tenantId: t.tenantId,
          invoiceId,
          approverId: t.as.admin.userId,
          approverRole: "verifier",
          round: 99,
          snapshot: { total: "0.01" },
        })
        .returning(),
    );
    expect(forged[0]).toMatchObject({ approverRole: "admin", round: 1 });
    expect(forged[0]?.snapshot).toMatchObject({
      supplierName: "Acme GmbH",
      supplierTaxId: "DE123",
      total: "119.00",
      currency: "EUR",
    });
    // Someone else's name is replaced by the acting user's: nobody approves for another.
    const { invoiceId: next } = await verifiedBy(t, t.as.user, t.as.verifier);
    const [named] = await withTenant(handle.db, t.as.admin, (tx) =>
      tx
        .insert(invoiceApprovals)
        .values({
          tenantId: t.tenantId,
          invoiceId: next,
          approverId: t.as.verifier.userId,
          approverRole: "admin",
          round: 1,
          snapshot: {},
        })
        .returning(),
    );
    expect(named?.approverId).toBe(t.as.admin.userId);
  });

  it("are append-only", async () => {
    const { invoiceId } = await verifiedBy(t, t.as.user, t.as.verifier);
    await approve(t.as.admin, invoiceId);
    for (const attempt of [
      () =>
        withTenant(handle.db, t.as.admin, (tx) =>
          tx
            .update(invoiceApprovals)
            .set({ approverRole: "verifier" })
            .where(eq(invoiceApprovals.invoiceId, invoiceId)),
        ),
      () =>
        withTenant(handle.db, t.as.admin, (tx) =>
          tx.delete(invoiceApprovals).where(eq(invoiceApprovals.invoiceId, invoiceId)),
        ),
    ]) {
      expect(await failsWith(attempt)).toBe("42501");
    }
  });

  it("refuses a user, an unverified invoice, and a second approval by the same person", async () => {
    const { invoiceId } = await seedBusinessRows(handle.db, t);
    await move(t.as.user, invoiceId, "pending_verification");
    expect(await failsWith(() => approve(t.as.admin, invoiceId))).toBe("RM002");
    await move(t.as.verifier, invoiceId, "verified");
    expect(await failsWith(() => approve(t.as.user, invoiceId))).toBe("RM003");
  });

  it("are invisible to, and cannot be written by, another tenant", async () => {
    const { invoiceId } = await verifiedBy(t, t.as.user, t.as.verifier);
    await approve(t.as.admin, invoiceId);
    const seen = await withTenant(handle.db, other.as.admin, (tx) =>
      tx.select().from(invoiceApprovals).where(eq(invoiceApprovals.invoiceId, invoiceId)),
    );
    expect(seen).toEqual([]);
    const { invoiceId: pending } = await verifiedBy(t, t.as.user, t.as.verifier);
    // Naming t's invoice under other's tenant id, or under t's tenant id: both refused.
    expect(await failsWith(() => approve(other.as.admin, pending))).toBe("23503");
    expect(await failsWith(() => approve(other.as.admin, pending, t.tenantId))).toBeDefined();
    expect((await read(pending)).status).toBe("verified");
    const bands = await withTenant(handle.db, other.as.admin, (tx) =>
      tx.select().from(approvalBands).where(eq(approvalBands.tenantId, t.tenantId)),
    );
    expect(bands).toEqual([]);
  });
});

describe("approval bands", () => {
  it("locks only when the band's count (and its admin) is met", async () => {
    const { banded, verifierB } = await bandedTenant("banded", [
      { minTotal: "100.00", requiredApprovals: 2 },
      { minTotal: "10000.00", requiredApprovals: 1, requireAdmin: true },
    ]);
    // A verifier may not write the policy.
    expect(
      await failsWith(() =>
        withTenant(handle.db, banded.as.verifier, (tx) =>
          tx.insert(approvalBands).values({
            tenantId: banded.tenantId,
            currency: "USD",
            minTotal: "0",
            requiredApprovals: 1,
            createdBy: banded.as.verifier.userId,
          }),
        ),
      ),
    ).toBe("42501");
    // 119.00 EUR: two approvals. The user submits, verifierB verifies, verifier and admin approve.
    const { invoiceId } = await verifiedBy(banded, banded.as.user, verifierB);
    await approve(banded.as.verifier, invoiceId);
    expect(await read(invoiceId)).toMatchObject({ status: "verified", isLocked: false });
    await approve(banded.as.admin, invoiceId);
    expect(await read(invoiceId)).toMatchObject({ status: "approved_to_ap", isLocked: true });

    // 12,000 EUR: one approval, an admin's; a verifier's alone does not lock.
    const { invoiceId: big } = await seedBusinessRows(handle.db, banded);
    await withTenant(handle.db, banded.as.user, (tx) =>
      tx.update(invoices).set({ total: "12000.00" }).where(eq(invoices.id, big)),
    );
    await move(banded.as.user, big, "pending_verification");
    await move(verifierB, big, "verified");
    await approve(banded.as.verifier, big);
    expect((await read(big)).status).toBe("verified");
    await approve(banded.as.admin, big);
    expect((await read(big)).status).toBe("approved_to_ap");
  });

  it("counts only approvals of the current round and of the current totals", async () => {
    const { banded, verifierB } = await bandedTenant("rounds", [
      { minTotal: "0", requiredApprovals: 2 },
    ]);
    const { invoiceId } = await verifiedBy(banded, banded.as.user, verifierB);
    await approve(banded.as.verifier, invoiceId);
    // The total changes after the first approval: that approval approved something else.
    await withTenant(handle.db, banded.as.user, (tx) =>
      tx.update(invoices).set({ total: "120.00" }).where(eq(invoices.id, invoiceId)),
    );
    await approve(banded.as.admin, invoiceId);
    expect((await read(invoiceId)).status).toBe("verified");
    // Rejected and resubmitted: a new round, earlier approvals no longer count.
    await move(verifierB, invoiceId, "draft");
    await move(banded.as.user, invoiceId, "pending_verification");
    await move(verifierB, invoiceId, "verified");
    await approve(banded.as.verifier, invoiceId);
    expect((await read(invoiceId)).status).toBe("verified");
    await approve(banded.as.admin, invoiceId);
    expect(await read(invoiceId)).toMatchObject({ status: "approved_to_ap", reviewRound: 2 });
  });
});

describe("concurrent approvals", () => {
  // On PostgreSQL (a pool of 4) the two approvals run at once: each counts only what it can see,
  // so without the invoice row locked first neither would see the other and nothing would lock.
  it("lock the invoice once both have landed, however they interleave", async () => {
    const { banded, verifierB } = await bandedTenant("race", [
      { minTotal: "0", requiredApprovals: 2 },
    ]);
    for (let i = 0; i < 5; i++) {
      const { invoiceId } = await verifiedBy(banded, banded.as.user, verifierB);
      await Promise.all([
        approve(banded.as.verifier, invoiceId),
        approve(banded.as.admin, invoiceId),
      ]);
      expect(await read(invoiceId)).toMatchObject({ status: "approved_to_ap", isLocked: true });
    }
  });
});

describe("what was approved", () => {
  it("is frozen on the invoice; later supplier edits leave it alone", async () => {
    const { invoiceId, supplierId } = await verifiedBy(t, t.as.user, t.as.verifier);
    await approve(t.as.admin, invoiceId);
    await withTenant(handle.db, t.as.admin, (tx) =>
      tx
        .update(suppliers)
        .set({ name: "Renamed Ltd", bankAccount: "DE00 NEW" })
        .where(eq(suppliers.id, supplierId)),
    );
    expect((await read(invoiceId)).approvedSnapshot).toMatchObject({
      supplierName: "Acme GmbH",
      bankAccount: null,
      total: "119.00",
    });
    expect((await read(invoiceId)).bankDetailsChangedAt).toBeNull();
  });

  it("flags every unapproved invoice of a supplier whose bank details change", async () => {
    const { invoiceId, supplierId } = await seedBusinessRows(handle.db, t);
    await withTenant(handle.db, t.as.admin, (tx) =>
      tx.update(suppliers).set({ name: "Only a rename" }).where(eq(suppliers.id, supplierId)),
    );
    expect((await read(invoiceId)).bankDetailsChangedAt).toBeNull();
    await withTenant(handle.db, t.as.admin, (tx) =>
      tx.update(suppliers).set({ bankAccount: "DE02 1234" }).where(eq(suppliers.id, supplierId)),
    );
    const flagged = await read(invoiceId);
    expect(flagged.bankDetailsChangedAt).toBeInstanceOf(Date);
    // A caller cannot lower the flag.
    await withTenant(handle.db, t.as.user, (tx) =>
      tx
        .update(invoices)
        .set({ bankDetailsChangedAt: null })
        .where(and(eq(invoices.id, invoiceId))),
    );
    expect((await read(invoiceId)).bankDetailsChangedAt).toEqual(flagged.bankDetailsChangedAt);
  });
});
