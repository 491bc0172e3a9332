import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  documents,
  type InvoiceStatus,
  invoiceApprovals,
  invoiceComments,
  invoiceLineItems,
  invoices,
} from "../src/schema";
import { type SeededTenant, seedTenant, type TestDatabase } from "../src/testing";
import { openSuiteDatabase } from "../src/testing/vitest-suite";
import type { TenantContext } from "../src/with-tenant";
import { withTenant } from "../src/with-tenant";
import { documentValues, failsWith, must, seedBusinessRows, sha256 } from "./fixtures";

/*
 * The invoice lifecycle from the product brief, enforced by the database itself: valid
 * transitions only, verify/approve by verifier or admin only, delete drafts only, and a locked
 * invoice (with its line items and document) that nobody can change.
 */

let handle: TestDatabase;
let t: SeededTenant;

beforeAll(async () => {
  handle = await openSuiteDatabase();
  t = await seedTenant(handle.db, "rules");
});

afterAll(async () => {
  await handle?.close();
});

async function newInvoice(): Promise<{
  invoiceId: string;
  lineItemId: string;
  documentId: string;
}> {
  const rows = await seedBusinessRows(handle.db, t);
  return rows;
}

const move = (as: TenantContext, invoiceId: string, status: InvoiceStatus) =>
  withTenant(handle.db, as, (tx) =>
    tx.update(invoices).set({ status }).where(eq(invoices.id, invoiceId)).returning(),
  );

/** Approving is an approval row (drizzle/0009): the trigger locks once the policy is met. */
const approve = (as: TenantContext, invoiceId: string) =>
  withTenant(handle.db, as, (tx) =>
    tx.insert(invoiceApprovals).values({
      tenantId: as.tenantId,
      invoiceId,
      approverId: as.userId,
      approverRole: "admin",
      round: 0,
      snapshot: {},
    }),
  );

const read = async (invoiceId: string) =>
  must((await handle.db.select().from(invoices).where(eq(invoices.id, invoiceId)))[0]);

async function approved(): Promise<{ invoiceId: string; lineItemId: string; documentId: string }> {
  const rows = await newInvoice();
  await move(t.as.user, rows.invoiceId, "pending_verification");
  await move(t.as.verifier, rows.invoiceId, "verified");
  await approve(t.as.admin, rows.invoiceId);
  return rows;
}

describe("status transitions", () => {
  it("walks draft -> pending_verification -> verified -> approved_to_ap and locks", async () => {
    const { invoiceId } = await newInvoice();
    await move(t.as.user, invoiceId, "pending_verification");
    expect((await read(invoiceId)).submittedAt).toBeInstanceOf(Date);
    await move(t.as.verifier, invoiceId, "verified");
    const verified = await read(invoiceId);
    expect(verified.verifiedBy).toBe(t.as.verifier.userId);
    await approve(t.as.admin, invoiceId);
    const done = await read(invoiceId);
    expect(done).toMatchObject({
      status: "approved_to_ap",
      isLocked: true,
      approvedBy: t.as.admin.userId,
    });
  });

  it.each<[InvoiceStatus, InvoiceStatus]>([
    ["draft", "verified"],
    ["draft", "approved_to_ap"],
    ["pending_verification", "approved_to_ap"],
  ])("refuses %s -> %s", async (from, to) => {
    const { invoiceId } = await newInvoice();
    if (from === "pending_verification") await move(t.as.user, invoiceId, from);
    expect(await failsWith(() => move(t.as.admin, invoiceId, to))).toBe("RM002");
    expect((await read(invoiceId)).status).toBe(from);
  });

  it("sends a rejected invoice back to draft and clears the verification", async () => {
    const { invoiceId } = await newInvoice();
    await move(t.as.user, invoiceId, "pending_verification");
    await move(t.as.verifier, invoiceId, "verified");
    await move(t.as.verifier, invoiceId, "draft");
    expect(await read(invoiceId)).toMatchObject({
      status: "draft",
      verifiedBy: null,
      submittedAt: null,
    });
  });

  it("lets only verifiers and admins verify or approve", async () => {
    const { invoiceId } = await newInvoice();
    await move(t.as.user, invoiceId, "pending_verification");
    expect(await failsWith(() => move(t.as.user, invoiceId, "verified"))).toBe("RM003");
    await move(t.as.verifier, invoiceId, "verified");
    expect(await failsWith(() => move(t.as.user, invoiceId, "approved_to_ap"))).toBe("RM003");
    expect((await read(invoiceId)).status).toBe("verified");
  });

  it("does not let a caller set the lock without approving", async () => {
    const { invoiceId } = await newInvoice();
    await withTenant(handle.db, t.as.admin, (tx) =>
      tx.update(invoices).set({ isLocked: true }).where(eq(invoices.id, invoiceId)),
    );
    expect((await read(invoiceId)).isLocked).toBe(false);
  });

  it("creates invoices only as unlocked drafts of the acting user", async () => {
    const base = { tenantId: t.tenantId, createdBy: t.as.user.userId };
    for (const values of [
      { ...base, status: "verified" as const },
      { ...base, status: "approved_to_ap" as const, isLocked: true },
      { ...base, createdBy: t.as.admin.userId },
    ]) {
      expect(
        await failsWith(() =>
          withTenant(handle.db, t.as.user, (tx) => tx.insert(invoices).values(values)),
        ),
      ).toBe("42501");
    }
  });
});

describe("who did what is the database's to record", () => {
  it("ignores forged verifier and approver fields on insert and update", async () => {
    const forged = {
      verifiedBy: t.as.admin.userId,
      verifiedAt: new Date("2020-01-01"),
      approvedBy: t.as.admin.userId,
      approvedAt: new Date("2020-01-01"),
      submittedAt: new Date("2020-01-01"),
    };
    const [inserted] = await withTenant(handle.db, t.as.user, (tx) =>
      tx
        .insert(invoices)
        .values({ tenantId: t.tenantId, createdBy: t.as.user.userId, ...forged })
        .returning(),
    );
    expect(inserted).toMatchObject({ verifiedBy: null, approvedBy: null, submittedAt: null });
    const { invoiceId } = await newInvoice();
    await move(t.as.user, invoiceId, "pending_verification");
    await withTenant(handle.db, t.as.user, (tx) =>
      tx.update(invoices).set(forged).where(eq(invoices.id, invoiceId)),
    );
    const row = await read(invoiceId);
    expect(row).toMatchObject({ verifiedBy: null, approvedBy: null, approvedAt: null });
    expect(row.submittedAt?.getFullYear()).not.toBe(2020);
  });

  it("lets only a verifier or admin send a verified invoice back to draft", async () => {
    const { invoiceId } = await newInvoice();
    await move(t.as.user, invoiceId, "pending_verification");
    await move(t.as.verifier, invoiceId, "verified");
    expect(await failsWith(() => move(t.as.user, invoiceId, "draft"))).toBe("RM003");
    expect((await read(invoiceId)).status).toBe("verified");
  });

  it("gives remit_app no temporary tables to shadow Remit's own with", async () => {
    expect(
      await failsWith(() =>
        withTenant(handle.db, t.as.user, (tx) =>
          tx.execute(sql`create temp table invoices (id uuid)`),
        ),
      ),
    ).toBe("42501");
  });
});

describe("delete", () => {
  it("deletes a draft with its lines, comments and document", async () => {
    const { invoiceId } = await newInvoice();
    const deleted = await withTenant(handle.db, t.as.user, (tx) =>
      tx.delete(invoices).where(eq(invoices.id, invoiceId)).returning(),
    );
    expect(deleted).toHaveLength(1);
    const lines = await handle.db
      .select()
      .from(invoiceLineItems)
      .where(eq(invoiceLineItems.invoiceId, invoiceId));
    const docs = await handle.db.select().from(documents).where(eq(documents.invoiceId, invoiceId));
    expect([lines, docs]).toEqual([[], []]);
  });

  it("refuses to delete an invoice that is no longer a draft", async () => {
    const { invoiceId } = await newInvoice();
    await move(t.as.user, invoiceId, "pending_verification");
    const deleted = await withTenant(handle.db, t.as.admin, (tx) =>
      tx.delete(invoices).where(eq(invoices.id, invoiceId)).returning(),
    );
    expect(deleted).toEqual([]);
    expect((await read(invoiceId)).status).toBe("pending_verification");
  });
});

describe("a locked invoice", () => {
  it("cannot be updated, reopened or deleted through remit_app", async () => {
    const { invoiceId } = await approved();
    for (const change of [{ total: "1.00" }, { status: "draft" as const }, { isLocked: false }]) {
      const updated = await withTenant(handle.db, t.as.admin, (tx) =>
        tx.update(invoices).set(change).where(eq(invoices.id, invoiceId)).returning(),
      );
      expect(updated).toEqual([]);
    }
    const deleted = await withTenant(handle.db, t.as.admin, (tx) =>
      tx.delete(invoices).where(eq(invoices.id, invoiceId)).returning(),
    );
    expect(deleted).toEqual([]);
    expect(await read(invoiceId)).toMatchObject({
      status: "approved_to_ap",
      isLocked: true,
      total: "119.00",
    });
  });

  it("cannot be changed even by the table owner", async () => {
    const { invoiceId } = await approved();
    expect(
      await failsWith(() =>
        handle.db.update(invoices).set({ total: "1.00" }).where(eq(invoices.id, invoiceId)),
      ),
    ).toBe("RM001");
    expect(
      await failsWith(() => handle.db.delete(invoices).where(eq(invoices.id, invoiceId))),
    ).toBe("RM001");
  });

  it("keeps its line items: no insert, update or delete", async () => {
    const { invoiceId, lineItemId } = await approved();
    const attempts = [
      () =>
        withTenant(handle.db, t.as.admin, (tx) =>
          tx
            .insert(invoiceLineItems)
            .values({ tenantId: t.tenantId, invoiceId, description: "late" }),
        ),
      () =>
        withTenant(handle.db, t.as.admin, (tx) =>
          tx
            .update(invoiceLineItems)
            .set({ amount: "0.01" })
            .where(eq(invoiceLineItems.id, lineItemId)),
        ),
      () =>
        withTenant(handle.db, t.as.admin, (tx) =>
          tx.delete(invoiceLineItems).where(eq(invoiceLineItems.id, lineItemId)),
        ),
      () => handle.db.delete(invoiceLineItems).where(eq(invoiceLineItems.id, lineItemId)),
    ];
    for (const attempt of attempts) expect(await failsWith(attempt)).toBe("RM001");
    const lines = await handle.db
      .select()
      .from(invoiceLineItems)
      .where(eq(invoiceLineItems.invoiceId, invoiceId));
    expect(lines.map((l) => [l.id, l.amount])).toEqual([[lineItemId, "100.00"]]);
  });

  it("keeps its document: no replacement, update or delete", async () => {
    const { invoiceId, documentId } = await approved();
    const attempts = [
      () =>
        withTenant(handle.db, t.as.admin, (tx) =>
          tx
            .insert(documents)
            .values({ ...documentValues(t, invoiceId), sha256: sha256(invoiceId) }),
        ),
      () =>
        withTenant(handle.db, t.as.admin, (tx) =>
          tx.update(documents).set({ pageCount: 7 }).where(eq(documents.id, documentId)),
        ),
      () =>
        withTenant(handle.db, t.as.admin, (tx) =>
          tx.delete(documents).where(eq(documents.id, documentId)),
        ),
    ];
    for (const attempt of attempts) expect(await failsWith(attempt)).toBe("RM001");
    const docs = await handle.db.select().from(documents).where(eq(documents.invoiceId, invoiceId));
    expect(docs.map((d) => [d.id, d.pageCount])).toEqual([[documentId, null]]);
  });

  it("still takes comments from any member of the tenant", async () => {
    const { invoiceId } = await approved();
    await withTenant(handle.db, t.as.user, (tx) =>
      tx
        .insert(invoiceComments)
        .values({ tenantId: t.tenantId, invoiceId, authorId: t.as.user.userId, body: "Paid?" }),
    );
    const comments = await withTenant(handle.db, t.as.verifier, (tx) =>
      tx
        .select()
        .from(invoiceComments)
        .where(and(eq(invoiceComments.invoiceId, invoiceId))),
    );
    expect(comments.map((c) => c.body)).toContain("Paid?");
  });

  it("refuses a comment in another member's name", async () => {
    const { invoiceId } = await newInvoice();
    expect(
      await failsWith(() =>
        withTenant(handle.db, t.as.user, (tx) =>
          tx
            .insert(invoiceComments)
            .values({ tenantId: t.tenantId, invoiceId, authorId: t.as.admin.userId, body: "x" }),
        ),
      ),
    ).toBe("42501");
  });
});

describe("data rules", () => {
  it("keeps money exact as decimal strings", async () => {
    const { invoiceId } = await newInvoice();
    await withTenant(handle.db, t.as.user, (tx) =>
      tx
        .update(invoices)
        .set({ subtotal: "0.10", taxAmount: "0.20", total: "9999999999999999.99" })
        .where(eq(invoices.id, invoiceId)),
    );
    const row = await read(invoiceId);
    expect([row.subtotal, row.taxAmount, row.total]).toEqual([
      "0.10",
      "0.20",
      "9999999999999999.99",
    ]);
    const [sum] = await handle.db
      .select({ s: sql<string>`(${invoices.subtotal} + ${invoices.taxAmount})::text` })
      .from(invoices)
      .where(eq(invoices.id, invoiceId));
    expect(sum?.s).toBe("0.30");
  });

  it("refuses a document whose storage key is outside its tenant's prefix", async () => {
    const { invoiceId } = await newInvoice();
    const other = crypto.randomUUID();
    expect(
      await failsWith(() =>
        withTenant(handle.db, t.as.user, (tx) =>
          tx.insert(documents).values({
            ...documentValues(t, invoiceId),
            sha256: sha256(other),
            storageKey: `${other}/${t.as.user.userId}/${invoiceId}/original.pdf`,
          }),
        ),
      ),
    ).toBe("23514");
  });
});
