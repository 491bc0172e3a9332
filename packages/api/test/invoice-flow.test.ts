import { auditLog } from "@remit/db";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { callerFor, createWorld, outcome, type World } from "./harness";

let world: World;

beforeAll(async () => {
  world = await createWorld();
});

afterAll(async () => {
  await world?.close();
});

describe("invoice lifecycle through the procedures", () => {
  it("creates, edits, submits, verifies, approves and then refuses every change", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const verifier = await callerFor(world.deps, world.a.verifier);
    const admin = await callerFor(world.deps, world.a.admin);

    const supplier = await admin.supplier.create({ name: "Acme GmbH", taxId: "DE123456789" });
    const created = await user.invoice.create({
      supplierId: supplier?.id,
      invoiceNumber: "INV-2026-001",
      invoiceDate: "2026-11-01",
      dueDate: "2026-11-30",
      currency: "EUR",
      subtotal: "100.00",
      taxAmount: "19.00",
      total: "119.00",
      lineItems: [
        { description: "Widgets", quantity: "2", unitPrice: "30.00", amount: "60.00" },
        { description: "Gadgets", quantity: "1", unitPrice: "40.00", amount: "40.00" },
      ],
    });
    expect(created).toMatchObject({ status: "draft", total: "119.00", warnings: [] });

    const edited = await user.invoice.update({ id: created.id, data: { total: "120.00" } });
    expect(edited.warnings).toEqual(["subtotal + tax is 119.00, total is 120.00"]);
    expect(edited.editedFields).toContain("total");
    await user.invoice.update({ id: created.id, data: { total: "119.00" } });

    await user.invoice.submit({ id: created.id });
    expect(await outcome(() => user.invoice.verify({ id: created.id }))).toBe("FORBIDDEN");
    await verifier.invoice.verify({ id: created.id });
    // Separation of duties: the verifier may not also approve; the admin (a third person) does.
    expect(await outcome(() => verifier.invoice.approve({ id: created.id }))).toBe("FORBIDDEN");
    const approved = await admin.invoice.approve({ id: created.id });
    expect(approved).toMatchObject({ status: "approved_to_ap", isLocked: true });

    expect(
      await outcome(() => admin.invoice.update({ id: created.id, data: { total: "1.00" } })),
    ).toBe("PRECONDITION_FAILED");
    expect(await outcome(() => admin.invoice.delete({ id: created.id }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(await outcome(() => admin.invoice.reject({ id: created.id, reason: "late" }))).toBe(
      "PRECONDITION_FAILED",
    );

    // Comments still work on a locked invoice.
    await user.comment.add({ invoiceId: created.id, body: "Paid on the 30th" });
    const full = await user.invoice.get({ id: created.id });
    expect(full.lineItems.map((l) => l.amount)).toEqual(["60.00", "40.00"]);
    expect(full.comments.map((c) => c.body)).toEqual(["Paid on the 30th"]);
    expect(full.supplier?.name).toBe("Acme GmbH");

    const actions = (
      await world.handle.db.select().from(auditLog).where(eq(auditLog.entityId, created.id))
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "invoice.create",
        "invoice.update",
        "invoice.submit",
        "invoice.verify",
        "invoice.approve",
        "comment.add",
      ]),
    );
  });

  it("rejects back to draft with the reason as a comment, and deletes drafts only", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const verifier = await callerFor(world.deps, world.a.verifier);
    const invoice = await user.invoice.create({
      invoiceNumber: "R-1",
      invoiceDate: "2026-11-02",
      currency: "EUR",
      total: "5.00",
      lineItems: [],
    });
    // No supplier yet: the submit gate says what is missing.
    expect(await outcome(() => user.invoice.submit({ id: invoice.id }))).toBe(
      "PRECONDITION_FAILED",
    );
    const supplier = await verifier.supplier.create({ name: "Rejected Supplies" });
    await user.invoice.update({ id: invoice.id, data: { supplierId: supplier?.id } });
    await user.invoice.submit({ id: invoice.id });
    expect(await outcome(() => user.invoice.delete({ id: invoice.id }))).toBe(
      "PRECONDITION_FAILED",
    );
    await verifier.invoice.reject({ id: invoice.id, reason: "wrong supplier" });
    const back = await user.invoice.get({ id: invoice.id });
    expect(back.status).toBe("draft");
    expect(back.comments).toMatchObject([{ kind: "rejection", body: "wrong supplier" }]);
    expect(back.review.rejection).toMatchObject({
      by: { id: world.a.verifier.userId },
      reason: "wrong supplier",
    });
    await user.invoice.delete({ id: invoice.id });
    expect(await outcome(() => user.invoice.get({ id: invoice.id }))).toBe("NOT_FOUND");
  });

  it("lists with status tabs, mine, search and cursor pages", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const admin = await callerFor(world.deps, world.a.admin);
    const tag = crypto.randomUUID().slice(0, 6);
    for (let i = 0; i < 5; i++)
      await user.invoice.create({ invoiceNumber: `${tag}-U${i}`, lineItems: [] });
    await admin.invoice.create({ invoiceNumber: `${tag}-A0`, lineItems: [] });
    const mine = await user.invoice.list({ mine: true, q: tag });
    expect(mine.items.map((i) => i.invoiceNumber)).toEqual(
      [4, 3, 2, 1, 0].map((i) => `${tag}-U${i}`),
    );
    const all = await user.invoice.list({ q: tag });
    expect(all.counts.draft).toBe(6);
    const first = await user.invoice.list({ q: tag, limit: 4 });
    const second = await user.invoice.list({
      q: tag,
      limit: 4,
      cursor: first.nextCursor ?? undefined,
    });
    expect([...first.items, ...second.items].map((i) => i.invoiceNumber)).toHaveLength(6);
    expect(second.nextCursor).toBeNull();
    // LIKE wildcards in the search are literal.
    expect(
      (await user.invoice.list({ q: "%_%" })).items.every((i) => i.invoiceNumber?.includes("%_%")),
    ).toBe(true);
  });

  it("refuses a NUL character in text as bad input, not a server error", async () => {
    const user = await callerFor(world.deps, world.a.user);
    expect(
      await outcome(() => user.invoice.create({ invoiceNumber: "a\u0000b", lineItems: [] })),
    ).toBe("BAD_REQUEST");
    expect(await outcome(() => user.invoice.list({ q: "\u0000" }))).toBe("BAD_REQUEST");
  });

  it("answers bad input with what was wrong, and stores nothing", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const before = (await user.invoice.list({})).counts.draft;
    const error = await user.invoice
      .create({ total: "12.345", currency: "euro", invoiceDate: "31.12.2026", lineItems: [] })
      .then(
        () => null,
        (e: unknown) => e as TRPCError,
      );
    expect(error).toBeInstanceOf(TRPCError);
    expect(error?.code).toBe("BAD_REQUEST");
    const fields = z.flattenError(error?.cause as z.ZodError).fieldErrors as Record<
      string,
      string[]
    >;
    expect(Object.keys(fields).sort()).toEqual(["currency", "invoiceDate", "total"]);
    expect(fields.total?.[0]).toMatch(/at most 2 decimals/);
    expect((await user.invoice.list({})).counts.draft).toBe(before);
  });
});
