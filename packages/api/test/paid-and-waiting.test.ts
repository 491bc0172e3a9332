import { auditLog, documents, invoices, ocrJobs } from "@remit/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  callerFor,
  createWorld,
  outcome,
  outcomeWithMessage,
  type Person,
  signUp,
  type World,
} from "./harness";

/*
 * The hand-off to accounting (invoice.markPaid) and the queue of who acts next
 * (invoice.waiting, invoice.waitingCount), through the procedures on a real database.
 */

let world: World;
/** Two more verifiers of tenant A, for bands that need more than one approver. */
let checker: Person;
let checker2: Person;

beforeAll(async () => {
  world = await createWorld();
  checker = await signUp(world.deps, "w-checker");
  await addMember(world.deps, world.tenantA, checker, "verifier");
  checker2 = await signUp(world.deps, "w-checker2");
  await addMember(world.deps, world.tenantA, checker2, "verifier");
});

afterAll(async () => {
  await world?.close();
});

const as = (person: Person) => callerFor(world.deps, person);

let supplierId: string | undefined;
async function draftBy(person: Person, total = "100.00") {
  if (!supplierId) {
    const s = await (await as(world.a.admin)).supplier.create({ name: "Waiting supplier" });
    supplierId = s?.id;
  }
  return (await as(person)).invoice.create({
    supplierId,
    invoiceNumber: `W-${crypto.randomUUID().slice(0, 8)}`,
    invoiceDate: "2026-11-05",
    currency: "EUR",
    total,
    lineItems: [],
  });
}

async function approvedInvoice() {
  const inv = await draftBy(world.a.user);
  await (await as(world.a.user)).invoice.submit({ id: inv.id });
  await (await as(world.a.verifier)).invoice.verify({ id: inv.id });
  await (await as(world.a.admin)).invoice.approve({ id: inv.id });
  return inv;
}

const waitingIds = async (person: Person) =>
  new Set((await (await as(person)).invoice.waiting({ limit: 100 })).items.map((i) => i.id));

describe("invoice.markPaid", () => {
  it("marks an approved invoice paid: locked, who, when, reference, audited", async () => {
    const inv = await approvedInvoice();
    const verifier = await as(world.a.verifier);
    const before = (await verifier.invoice.list({ limit: 1 })).counts;
    const paid = await verifier.invoice.markPaid({
      id: inv.id,
      paidAt: "2026-11-20",
      reference: "TRX-20261120-1",
    });
    expect(paid).toMatchObject({
      status: "paid",
      isLocked: true,
      paidBy: world.a.verifier.userId,
      paymentReference: "TRX-20261120-1",
    });
    expect(paid.paidAt?.toISOString()).toBe("2026-11-20T00:00:00.000Z");
    const [audit] = await world.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, inv.id), eq(auditLog.action, "invoice.mark_paid")));
    expect(audit?.summary).toMatchObject({
      before: { status: "approved_to_ap" },
      after: { status: "paid" },
      reference: "TRX-20261120-1",
    });
    // The Paid tab: counted, and listed apart from the open ones.
    const after = await verifier.invoice.list({ status: "paid", limit: 100 });
    expect(after.counts.paid).toBe(before.paid + 1);
    expect(after.counts.approved_to_ap).toBe(before.approved_to_ap - 1);
    expect(after.items.map((i) => i.id)).toContain(inv.id);
    const open = await verifier.invoice.list({ status: "approved_to_ap", limit: 100 });
    expect(open.items.map((i) => i.id)).not.toContain(inv.id);
    // The invoice reads as paid, and nothing changes it any more.
    expect((await verifier.invoice.get({ id: inv.id })).status).toBe("paid");
    expect(await outcomeWithMessage(() => verifier.invoice.markPaid({ id: inv.id }))).toBe(
      "PRECONDITION_FAILED: the invoice is already marked paid",
    );
    expect(
      await outcome(() => verifier.invoice.update({ id: inv.id, data: { total: "1.00" } })),
    ).toBe("PRECONDITION_FAILED");
  });

  it("refuses what is not approved, a date in the future, a user, and another tenant", async () => {
    const draft = await draftBy(world.a.user);
    const admin = await as(world.a.admin);
    expect(await outcomeWithMessage(() => admin.invoice.markPaid({ id: draft.id }))).toBe(
      "PRECONDITION_FAILED: only an approved invoice can be marked paid; this one is draft",
    );
    const inv = await approvedInvoice();
    expect(
      await outcomeWithMessage(() => admin.invoice.markPaid({ id: inv.id, paidAt: "2099-01-01" })),
    ).toBe("BAD_REQUEST: the payment date may not be in the future");
    expect(await outcome(() => admin.invoice.markPaid({ id: inv.id, paidAt: "yesterday" }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await outcome(async () => (await as(world.a.user)).invoice.markPaid({ id: inv.id })),
    ).toBe("FORBIDDEN");
    expect(
      await outcome(async () => (await as(world.b.admin)).invoice.markPaid({ id: inv.id })),
    ).toBe("NOT_FOUND");
    expect((await admin.invoice.get({ id: inv.id })).status).toBe("approved_to_ap");
    // Default payment date: now.
    const paid = await admin.invoice.markPaid({ id: inv.id });
    expect(Math.abs((paid.paidAt?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
  });
});

describe("invoice.waiting", () => {
  it("lists a pending invoice for whoever may verify it, not its submitter, not a user", async () => {
    const p = await draftBy(world.a.user);
    await (await as(world.a.user)).invoice.submit({ id: p.id });
    const q = await draftBy(world.a.admin);
    await (await as(world.a.admin)).invoice.submit({ id: q.id });
    expect(await waitingIds(world.a.verifier)).toContain(p.id);
    expect(await waitingIds(world.a.verifier)).toContain(q.id);
    expect(await waitingIds(world.a.admin)).toContain(p.id);
    // Separation of duties: the admin submitted q.
    expect(await waitingIds(world.a.admin)).not.toContain(q.id);
    // A user verifies nothing.
    expect(await waitingIds(world.a.user)).not.toContain(p.id);
    // Verified: the verifier's step is done, the approvers' begins.
    await (await as(world.a.verifier)).invoice.verify({ id: p.id });
    expect(await waitingIds(world.a.verifier)).not.toContain(p.id);
    expect(await waitingIds(world.a.admin)).toContain(p.id);
    expect(await waitingIds(checker)).toContain(p.id);
    // Rejected: back to its creator to fix.
    await (await as(world.a.verifier)).invoice.reject({ id: q.id, reason: "wrong total" });
    expect(await waitingIds(world.a.admin)).toContain(q.id);
    expect(await waitingIds(world.a.verifier)).not.toContain(q.id);
    // Approved: nobody's any more.
    await (await as(world.a.admin)).invoice.approve({ id: p.id });
    for (const person of [world.a.admin, world.a.verifier, checker, world.a.user]) {
      expect(await waitingIds(person)).not.toContain(p.id);
    }
  });

  it("follows the band: two approvals with an admin among them", async () => {
    const admin = await as(world.a.admin);
    await admin.settings.setApprovalBands({
      bands: [{ currency: "EUR", minTotal: "5000.00", requiredApprovals: 2, requireAdmin: true }],
    });
    try {
      const r = await draftBy(world.a.user, "7500.00");
      await (await as(world.a.user)).invoice.submit({ id: r.id });
      await (await as(world.a.verifier)).invoice.verify({ id: r.id });
      // Two slots, one of them an admin's: a verifier's approval still helps.
      expect(await waitingIds(checker)).toContain(r.id);
      expect(await waitingIds(checker2)).toContain(r.id);
      await (await as(checker)).invoice.approve({ id: r.id });
      // Done with it, and the last slot is the admin's.
      expect(await waitingIds(checker)).not.toContain(r.id);
      expect(await waitingIds(checker2)).not.toContain(r.id);
      expect(await waitingIds(world.a.admin)).toContain(r.id);
      await admin.invoice.approve({ id: r.id });
      expect((await admin.invoice.get({ id: r.id })).status).toBe("approved_to_ap");
      expect(await waitingIds(world.a.admin)).not.toContain(r.id);
    } finally {
      await admin.settings.setApprovalBands({ bands: [] });
    }
  });

  it("lists the caller's drafts once their reading is done, not while it runs", async () => {
    const d = await draftBy(world.a.user);
    expect(await waitingIds(world.a.user)).not.toContain(d.id);
    const [doc] = await world.handle.db
      .insert(documents)
      .values({
        tenantId: world.tenantA,
        invoiceId: d.id,
        storageKey: `${world.tenantA}/${world.a.user.userId}/${d.id}/original.pdf`,
        contentType: "application/pdf",
        byteSize: 10,
        sha256: "0".repeat(64),
        createdBy: world.a.user.userId,
      })
      .returning();
    const [job] = await world.handle.db
      .insert(ocrJobs)
      .values({ tenantId: world.tenantA, invoiceId: d.id, documentId: doc?.id ?? "" })
      .returning();
    expect(await waitingIds(world.a.user)).not.toContain(d.id);
    // The reading fills the draft, then its job is done (as job.complete does, in one go).
    await world.handle.db
      .update(invoices)
      .set({ extraction: { fields: {} } })
      .where(eq(invoices.id, d.id));
    expect(await waitingIds(world.a.user)).not.toContain(d.id);
    await world.handle.db
      .update(ocrJobs)
      .set({ status: "succeeded" })
      .where(eq(ocrJobs.id, job?.id ?? ""));
    expect(await waitingIds(world.a.user)).toContain(d.id);
    // Someone else's draft is not mine to finish.
    expect(await waitingIds(world.a.verifier)).not.toContain(d.id);
  });

  it("pages with the inbox's cursor and counts the same rows", async () => {
    const verifier = await as(world.a.verifier);
    for (let i = 0; i < 3; i++) {
      const inv = await draftBy(world.a.user);
      await (await as(world.a.user)).invoice.submit({ id: inv.id });
    }
    const all = await verifier.invoice.waiting({ limit: 100 });
    const { count, capped } = await verifier.invoice.waitingCount();
    expect(capped).toBe(false);
    expect(count).toBe(all.items.length);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const got = await verifier.invoice.waiting({ limit: 2, cursor });
      seen.push(...got.items.map((i) => i.id));
      if (!got.nextCursor) break;
      cursor = got.nextCursor;
    }
    expect(seen).toEqual(all.items.map((i) => i.id));
    // Oldest first: a queue.
    const times = all.items.map((i) => i.createdAt.getTime());
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });

  it("relaxed separation of duties: the submitter's own invoice waits for them", async () => {
    const admin = await as(world.b.admin);
    await admin.settings.setSeparationOfDuties({ enabled: false });
    const inv = await admin.invoice.create({ invoiceNumber: "SOLO", lineItems: [] });
    const s = await admin.supplier.create({ name: "Solo supplier" });
    await admin.invoice.update({
      id: inv.id,
      data: { supplierId: s?.id, invoiceDate: "2026-11-05", currency: "EUR", total: "5.00" },
    });
    await admin.invoice.submit({ id: inv.id });
    expect(await waitingIds(world.b.admin)).toContain(inv.id);
    await admin.invoice.verify({ id: inv.id });
    expect(await waitingIds(world.b.admin)).toContain(inv.id);
  });

  it("never shows another tenant's invoices", async () => {
    const p = await draftBy(world.a.user);
    await (await as(world.a.user)).invoice.submit({ id: p.id });
    for (const person of [world.b.admin, world.b.verifier, world.b.user]) {
      expect(await waitingIds(person)).not.toContain(p.id);
    }
  });
});
