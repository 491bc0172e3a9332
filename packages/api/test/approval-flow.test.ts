import { auditLog } from "@remit/db";
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
 * Approval through the procedures ([5/7]): separation of duties with its sentences, the relaxed
 * setting of a one-person company (a mutation, audited, shown on the invoice), the submit gate,
 * approval bands and the chain on invoice.get, what was approved frozen against supplier edits,
 * bank changes flagging open invoices, and the people behind each step.
 */

let world: World;
/** A second verifier of tenant A, for bands that need two approvers. */
let checker: Person;

beforeAll(async () => {
  world = await createWorld();
  checker = await signUp(world.deps, "a-checker");
  await addMember(world.deps, world.tenantA, checker, "verifier");
});

afterAll(async () => {
  await world?.close();
});

const as = (person: Person) => callerFor(world.deps, person);

async function draftIn(person: Person, data: { total?: string; currency?: string } = {}) {
  const caller = await as(person);
  const supplier = await (await as(world.a.admin)).supplier.create({
    name: `Flow supplier ${crypto.randomUUID().slice(0, 6)}`,
    taxId: "DE999",
    bankAccount: "DE89 3704 0044 0532 0130 00",
  });
  const invoice = await caller.invoice.create({
    supplierId: supplier?.id,
    invoiceNumber: `F-${crypto.randomUUID().slice(0, 6)}`,
    invoiceDate: "2026-11-05",
    currency: data.currency ?? "EUR",
    total: data.total ?? "100.00",
    lineItems: [],
  });
  return { invoice, supplierId: supplier?.id ?? "" };
}

/** A draft in the caller's own tenant, with a supplier of its own: all that submit asks for. */
async function ownDraft(caller: Awaited<ReturnType<typeof as>>, invoiceNumber: string) {
  const supplier = await caller.supplier.create({ name: `Supplies for ${invoiceNumber}` });
  return caller.invoice.create({
    supplierId: supplier?.id,
    invoiceNumber,
    invoiceDate: "2026-11-05",
    currency: "EUR",
    total: "10.00",
    lineItems: [],
  });
}

describe("separation of duties", () => {
  it("refuses the submitter as verifier and the verifier as approver, with a sentence", async () => {
    const admin = await as(world.a.admin);
    const verifier = await as(world.a.verifier);
    const { invoice } = await draftIn(world.a.admin);
    await admin.invoice.submit({ id: invoice.id });
    expect(await outcomeWithMessage(() => admin.invoice.verify({ id: invoice.id }))).toBe(
      "FORBIDDEN: separation of duties: you submitted this invoice, so someone else must verify it",
    );
    await verifier.invoice.verify({ id: invoice.id });
    expect(await outcomeWithMessage(() => verifier.invoice.approve({ id: invoice.id }))).toBe(
      "FORBIDDEN: separation of duties: you submitted or verified this invoice, so someone else must approve it",
    );
    // The submitter may not approve either.
    expect(await outcome(() => admin.invoice.approve({ id: invoice.id }))).toBe("FORBIDDEN");
    const approved = await (await as(checker)).invoice.approve({ id: invoice.id });
    expect(approved).toMatchObject({ status: "approved_to_ap", isLocked: true });
    const full = await admin.invoice.get({ id: invoice.id });
    expect(full.review.people).toMatchObject({
      submittedBy: { id: world.a.admin.userId, name: "a-admin" },
      verifiedBy: { id: world.a.verifier.userId, name: "a-verifier" },
      approvedBy: { id: checker.userId, name: "a-checker" },
    });
    expect(full.review.approval).toMatchObject({
      separationOfDuties: true,
      dutiesRelaxed: false,
      chain: [{ approver: { id: checker.userId, name: "a-checker" }, approverRole: "verifier" }],
    });
  });

  it("lets a one-person company relax it: admin only, audited, shown on the invoice", async () => {
    const owner = await signUp(world.deps, "solo-owner");
    const ownerCaller = await as(owner);
    const tenant = await ownerCaller.tenant.create({
      name: "Solo",
      slug: `solo-${crypto.randomUUID().slice(0, 8)}`,
    });
    const solo = await as(owner);
    const helper = await signUp(world.deps, "solo-verifier");
    await addMember(world.deps, tenant.id, helper, "verifier");
    expect(
      await outcome(async () =>
        (await as(helper)).settings.setSeparationOfDuties({ enabled: false }),
      ),
    ).toBe("FORBIDDEN");
    expect(await solo.settings.setSeparationOfDuties({ enabled: false })).toMatchObject({
      separationOfDuties: false,
    });
    const invoice = await ownDraft(solo, "S-1");
    await solo.invoice.submit({ id: invoice.id });
    await solo.invoice.verify({ id: invoice.id });
    expect(await solo.invoice.approve({ id: invoice.id })).toMatchObject({
      status: "approved_to_ap",
      dutiesRelaxed: true,
    });
    const full = await solo.invoice.get({ id: invoice.id });
    expect(full.review.approval).toMatchObject({ separationOfDuties: false, dutiesRelaxed: true });
    const audits = await world.handle.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, "settings.separation_of_duties")),
      );
    expect(audits).toHaveLength(1);
    expect(audits[0]?.summary).toMatchObject({
      before: { separationOfDuties: true },
      after: { separationOfDuties: false },
    });
    // Tenant A is untouched by tenant Solo's setting.
    expect((await (await as(world.a.user)).settings.get()).separationOfDuties).toBe(true);
  });

  it("shapes each inbox row's actions, in every kind of page, as invoice.get's", async () => {
    // The setting is read by the page's own statement (invoice-row.ts): a plain page, a column
    // sort, a search and a search under a sort each read it, and each must follow it.
    const owner = await signUp(world.deps, "rows-owner");
    await (await as(owner)).tenant.create({
      name: "Rows",
      slug: `rows-${crypto.randomUUID().slice(0, 8)}`,
    });
    const solo = await as(owner);
    const invoice = await ownDraft(solo, "ROWS-1");
    await solo.invoice.submit({ id: invoice.id });
    const shapes = [
      {},
      { sort: "totalDesc" as const },
      { q: "ROWS-1" },
      { q: "ROWS-1", sort: "invoiceDateAsc" as const },
    ];
    const rowActions = async () => {
      const found = [];
      for (const shape of shapes) {
        const page = await solo.invoice.list({ ...shape, limit: 10 });
        const row = page.items.find((item) => item.id === invoice.id);
        found.push(row?.allowedActions);
      }
      return found;
    };
    const separated = (await solo.invoice.get({ id: invoice.id })).allowedActions;
    expect(separated.actions).not.toContain("verify");
    expect(await rowActions()).toEqual(shapes.map(() => separated));

    await solo.settings.setSeparationOfDuties({ enabled: false });
    const relaxed = (await solo.invoice.get({ id: invoice.id })).allowedActions;
    expect(relaxed.actions).toContain("verify");
    expect(await rowActions()).toEqual(shapes.map(() => relaxed));
  });
});

describe("the submit gate", () => {
  it("names the missing fields, and wants standing warnings acknowledged (audited)", async () => {
    const user = await as(world.a.user);
    const empty = await user.invoice.create({ lineItems: [] });
    expect(await outcomeWithMessage(() => user.invoice.submit({ id: empty.id }))).toBe(
      "PRECONDITION_FAILED: to submit the invoice, fill in: supplier, invoice number, invoice date, total, currency",
    );
    const { invoice } = await draftIn(world.a.user);
    await user.invoice.update({ id: invoice.id, data: { subtotal: "90.00", taxAmount: "5.00" } });
    expect(await outcomeWithMessage(() => user.invoice.submit({ id: invoice.id }))).toBe(
      "PRECONDITION_FAILED: the invoice has warnings; acknowledge them to submit it: subtotal + tax is 95.00, total is 100.00",
    );
    await user.invoice.submit({ id: invoice.id, acknowledgeWarnings: true });
    const [audit] = await world.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, invoice.id), eq(auditLog.action, "invoice.submit")));
    expect(audit?.summary).toMatchObject({
      acknowledgedWarnings: ["subtotal + tax is 95.00, total is 100.00"],
    });
  });
});

describe("approval bands", () => {
  it("needs the band's approvers before the invoice locks, and shows the chain", async () => {
    const admin = await as(world.a.admin);
    expect(
      await outcome(async () =>
        (await as(world.a.verifier)).settings.setApprovalBands({ bands: [] }),
      ),
    ).toBe("FORBIDDEN");
    await admin.settings.setApprovalBands({
      bands: [
        { currency: "CHF", minTotal: "1000.00", requiredApprovals: 2, requireAdmin: false },
        { currency: "CHF", minTotal: "50000.00", requiredApprovals: 1, requireAdmin: true },
      ],
    });
    const { invoice } = await draftIn(world.a.user, { currency: "CHF", total: "2500.00" });
    await (await as(world.a.user)).invoice.submit({ id: invoice.id });
    await (await as(checker)).invoice.verify({ id: invoice.id });
    const first = await (await as(world.a.verifier)).invoice.approve({ id: invoice.id });
    expect(first).toMatchObject({ status: "verified", isLocked: false });
    const waiting = await admin.invoice.get({ id: invoice.id });
    expect(waiting.review.approval).toMatchObject({ requiredApprovals: 2, requireAdmin: false });
    expect(waiting.review.approval.chain).toHaveLength(1);
    expect(await outcome(() => admin.invoice.approve({ id: invoice.id }))).toBe("OK");
    const done = await admin.invoice.get({ id: invoice.id });
    expect(done).toMatchObject({ status: "approved_to_ap", isLocked: true });
    expect(done.review.approval.chain.map((a) => a.approver?.id)).toEqual([
      world.a.verifier.userId,
      world.a.admin.userId,
    ]);
    // A big one needs an admin's approval: a verifier's alone leaves it open.
    const { invoice: big } = await draftIn(world.a.user, { currency: "CHF", total: "60000.00" });
    await (await as(world.a.user)).invoice.submit({ id: big.id });
    await (await as(checker)).invoice.verify({ id: big.id });
    await (await as(world.a.verifier)).invoice.approve({ id: big.id });
    expect((await admin.invoice.get({ id: big.id })).status).toBe("verified");
    await admin.invoice.approve({ id: big.id });
    expect((await admin.invoice.get({ id: big.id })).status).toBe("approved_to_ap");
    expect((await admin.settings.get()).bands).toHaveLength(2);
    await admin.settings.setApprovalBands({ bands: [] });
  });
});

describe("what was approved", () => {
  it("stays as approved on the invoice and in the list after the supplier changes", async () => {
    const admin = await as(world.a.admin);
    const { invoice, supplierId } = await draftIn(world.a.user);
    const before = await admin.supplier.get({ id: supplierId });
    await (await as(world.a.user)).invoice.submit({ id: invoice.id });
    await (await as(world.a.verifier)).invoice.verify({ id: invoice.id });
    await admin.invoice.approve({ id: invoice.id });
    await admin.supplier.update({
      id: supplierId,
      data: { name: "Renamed After Approval", taxId: "XX1", bankAccount: "GB00 NEW" },
    });
    const full = await admin.invoice.get({ id: invoice.id });
    expect(full.supplier).toMatchObject({
      name: before.name,
      taxId: "DE999",
      bankAccount: "DE89 3704 0044 0532 0130 00",
      asApproved: true,
    });
    expect(full.approvedSnapshot).toMatchObject({ supplierName: before.name, total: "100.00" });
    const listed = await admin.invoice.list({ q: full.invoiceNumber ?? "" });
    expect(listed.items.map((i) => i.supplierName)).toEqual([before.name]);
    expect(full.review.standingWarnings).toEqual([]);
  });

  it("flags open invoices when the supplier's bank details change; approving wants it acknowledged", async () => {
    const admin = await as(world.a.admin);
    const { invoice, supplierId } = await draftIn(world.a.user);
    await (await as(world.a.user)).invoice.submit({ id: invoice.id });
    await (await as(world.a.verifier)).invoice.verify({ id: invoice.id });
    await admin.supplier.update({
      id: supplierId,
      data: { bankAccount: "FR76 3000 6000 0112 3456 7890 189" },
    });
    const flagged = await admin.invoice.get({ id: invoice.id });
    expect(flagged.review.standingWarnings).toEqual([
      expect.stringMatching(/^the supplier's bank details changed on \d{4}-\d{2}-\d{2}/),
    ]);
    expect(await outcome(() => admin.invoice.approve({ id: invoice.id }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(
      await admin.invoice.approve({ id: invoice.id, acknowledgeWarnings: true }),
    ).toMatchObject({ status: "approved_to_ap" });
    const approved = await admin.invoice.get({ id: invoice.id });
    expect(approved.approvedSnapshot).toMatchObject({
      bankAccount: "FR76 3000 6000 0112 3456 7890 189",
    });
  });
});

describe("people visible", () => {
  it("says a field a person edited is the person's, not the reading's", async () => {
    const user = await as(world.a.user);
    const { invoice } = await draftIn(world.a.user);
    await user.invoice.update({ id: invoice.id, data: { total: "101.00" } });
    const full = await user.invoice.get({ id: invoice.id });
    expect(full.review.fieldSources.total).toEqual({ source: "person" });
    expect(full.review.fieldSources.dueDate).toEqual({ source: "none" });
  });
});

describe("another tenant", () => {
  it("reads none of A's approvals or policy and cannot approve A's invoices", async () => {
    const admin = await as(world.a.admin);
    await admin.settings.setApprovalBands({
      bands: [{ currency: "JPY", minTotal: "0.00", requiredApprovals: 3, requireAdmin: false }],
    });
    const { invoice } = await draftIn(world.a.user);
    await (await as(world.a.user)).invoice.submit({ id: invoice.id });
    await (await as(world.a.verifier)).invoice.verify({ id: invoice.id });
    const other = await as(world.b.admin);
    expect(await outcome(() => other.invoice.approve({ id: invoice.id }))).toBe("NOT_FOUND");
    expect(await outcome(() => other.invoice.get({ id: invoice.id }))).toBe("NOT_FOUND");
    expect((await other.settings.get()).bands).toEqual([]);
    await other.settings.setApprovalBands({ bands: [] });
    expect((await admin.settings.get()).bands).toHaveLength(1);
    expect((await admin.invoice.get({ id: invoice.id })).status).toBe("verified");
    await admin.settings.setApprovalBands({ bands: [] });
  });
});
