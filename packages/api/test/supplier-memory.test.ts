import { auditLog, supplierLayouts, withTenant } from "@remit/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ExtractionInput } from "../src/jobs/extraction-input";
import { callerFor, createWorld, serviceCaller, type World, workerSecret } from "./harness";
import { extractionOf, quiesceQueue, uploadedDraft } from "./job-fixtures";

/*
 * Corrections teach ([2/7] item 2), through the procedures on a real database as remit_app:
 * tenant A corrects the number on supplier X's first invoice and verifies it; X's next
 * invoice is read from A's memory. Tenant B, with a supplier of the same name and tax id,
 * never gets A's memory; deleting the supplier deletes its memory.
 */

let world: World;

beforeAll(async () => {
  world = await createWorld();
});

afterAll(async () => {
  await world?.close();
});

beforeEach(async () => {
  await quiesceQueue(world);
});

const supplierName = "Muster Bürobedarf GmbH";
const taxId = "DE123456789";
const iban = "DE89 3704 0044 0532 0130 00";

/** Supplier X's layout: the customer number is printed before the invoice number. */
function layoutX(number: string, options: { name?: string; taxId?: boolean } = {}): string[] {
  return [
    `${options.name ?? supplierName}              ${options.taxId === false ? "" : `USt-IdNr. ${taxId}`}`,
    "Rechnung",
    `Kundennr.: 55012           Belegnummer: ${number}`,
    "Datum: 14.03.2025",
    "",
    "Pos  Artikel                      Betrag",
    "1    Ordner A4, 50 Stück          1.190,00",
    "",
    "Gesamtbetrag: 1.190,00 EUR",
    `IBAN ${iban}`,
  ];
}

/** Words on a monospaced grid (10 px a character, 24 px a line), as a worker reports them. */
function pageOf(rows: string[]): ExtractionInput["pages"][number] {
  const lines = rows.flatMap((text, row) => {
    const words = [...text.matchAll(/\S+/g)].map((match) => ({
      text: match[0],
      box: {
        x: 20 + (match.index ?? 0) * 10,
        y: 20 + row * 24,
        width: match[0].length * 10,
        height: 16,
      },
    }));
    return words.length > 0 ? [{ words }] : [];
  });
  return { number: 1, width: 700, height: 1000, source: "text-layer", lines };
}

/** What the rules read on X's documents: the customer number taken for the invoice number. */
function reportOf(
  number: string,
  options: { name?: string; taxId?: boolean } = {},
): ExtractionInput {
  return {
    ...extractionOf({
      supplierName: options.name ?? supplierName,
      ...(options.taxId === false ? {} : { supplierTaxId: taxId }),
      invoiceNumber: "55012",
      invoiceDate: "2025-03-14",
      total: "1190.00",
      // The submit gate ([5/7]) wants a currency before the correction can be verified.
      currency: "EUR",
    }),
    pages: [pageOf(layoutX(number, options))],
  };
}

/** Uploads a draft for `tenantId`, has the worker claim and complete it with `report`. */
async function readByWorker(tenantId: string, person: World["a"]["user"], report: ExtractionInput) {
  const { invoiceId } = await uploadedDraft(world, tenantId, person);
  const claimed = await (await serviceCaller(world.deps, workerSecret)).job.claim({
    workerId: "w",
  });
  if (!claimed || claimed.job.invoiceId !== invoiceId) throw new Error("claimed another job");
  const as = await serviceCaller(world.deps, claimed.token);
  const completed = await as.job.complete({ jobId: claimed.job.id, extraction: report });
  const invoice = await (await callerFor(world.deps, person)).invoice.get({ id: invoiceId });
  const fields = (invoice.extraction as ExtractionInput).fields;
  return { invoiceId, invoice, fields, completed };
}

const layoutRows = (tenantId: string) =>
  withTenant(world.deps.db, { tenantId, userId: world.a.admin.userId, role: "admin" }, (db) =>
    db.select().from(supplierLayouts),
  );

describe("supplier memory", () => {
  let supplierA: string;
  let firstInvoice: string;
  let secondInvoice: string;

  it("learns the corrected number when the invoice is verified", async () => {
    const admin = await callerFor(world.deps, world.a.admin);
    const created = await admin.supplier.create({ name: supplierName, taxId });
    if (!created) throw new Error("no supplier");
    supplierA = created.id;

    const first = await readByWorker(world.tenantA, world.a.user, reportOf("RB-2025-0417"));
    firstInvoice = first.invoiceId;
    expect(first.invoice.supplierId).toBe(supplierA);
    expect(first.invoice.invoiceNumber).toBe("55012");
    expect(first.fields.invoiceNumber?.source).not.toBe("memory");
    // The words are kept for learning, but the invoice's read does not carry them.
    expect((first.invoice.extraction as ExtractionInput).pages[0]).not.toHaveProperty("lines");

    const user = await callerFor(world.deps, world.a.user);
    await user.invoice.update({ id: firstInvoice, data: { invoiceNumber: "RB-2025-0417" } });
    await user.invoice.submit({ id: firstInvoice });
    // Nothing is learned before verification.
    expect(await layoutRows(world.tenantA)).toEqual([]);
    await (await callerFor(world.deps, world.a.verifier)).invoice.verify({ id: firstInvoice });

    const [row] = await layoutRows(world.tenantA);
    expect(row).toMatchObject({ supplierId: supplierA, ibans: ["DE89370400440532013000"] });
    expect(
      (row?.layout as { fields?: Record<string, unknown> } | undefined)?.fields?.invoiceNumber,
    ).toMatchObject({
      label: "belegnummer",
      relation: "right",
    });
    const audits = await withTenant(
      world.deps.db,
      { tenantId: world.tenantA, userId: world.a.admin.userId, role: "admin" },
      (db) =>
        db
          .select()
          .from(auditLog)
          .where(
            and(eq(auditLog.action, "supplier.layout_learned"), eq(auditLog.entityId, supplierA)),
          ),
    );
    expect(audits[0]?.summary).toMatchObject({
      invoiceId: firstInvoice,
      learned: ["invoiceNumber"],
    });
  });

  it("reads the supplier's next document with that memory", async () => {
    const second = await readByWorker(world.tenantA, world.a.user, reportOf("RB-2025-0533"));
    secondInvoice = second.invoiceId;
    expect(second.invoice.invoiceNumber).toBe("RB-2025-0533");
    expect(second.fields.invoiceNumber).toMatchObject({
      value: "RB-2025-0533",
      source: "memory",
      confidence: 0.9,
    });
    // Fields memory has not learned stay as the rules read them.
    expect(second.fields.total?.source).not.toBe("memory");
  });

  it("finds the supplier by a remembered IBAN when name and tax id are not read", async () => {
    const third = await readByWorker(
      world.tenantA,
      world.a.user,
      reportOf("RB-2025-0601", { name: "M u s t e r", taxId: false }),
    );
    expect(third.invoice.supplierId).toBe(supplierA);
    expect(third.fields.invoiceNumber).toMatchObject({ value: "RB-2025-0601", source: "memory" });
    await (await callerFor(world.deps, world.a.user)).invoice.delete({ id: third.invoiceId });
  });

  it("is never used for another tenant, even for a supplier of the same name and tax id", async () => {
    const created = await (await callerFor(world.deps, world.b.admin)).supplier.create({
      name: supplierName,
      taxId,
    });
    const other = await readByWorker(world.tenantB, world.b.user, reportOf("RB-2025-0777"));
    expect(other.invoice.supplierId).toBe(created?.id);
    expect(other.invoice.invoiceNumber).toBe("55012");
    expect(other.fields.invoiceNumber?.source).not.toBe("memory");
  });

  it("is invisible to another tenant and cannot be written across tenants (RLS as remit_app)", async () => {
    expect(await layoutRows(world.tenantA)).toHaveLength(1);
    expect(await layoutRows(world.tenantB)).toEqual([]);
    const asB = (work: Parameters<typeof withTenant>[2]) =>
      withTenant(
        world.deps.db,
        { tenantId: world.tenantB, userId: world.b.admin.userId, role: "admin" },
        work,
      );
    const layout = { version: 1, fields: {} };
    // A row claiming tenant A, written in B's context: the policy's WITH CHECK refuses it.
    await expect(
      asB((db) =>
        db
          .insert(supplierLayouts)
          .values({ tenantId: world.tenantA, supplierId: supplierA, layout }),
      ),
    ).rejects.toThrow();
    // B's own tenant, A's supplier: the composite foreign key finds no such supplier of B.
    await expect(
      asB((db) =>
        db
          .insert(supplierLayouts)
          .values({ tenantId: world.tenantB, supplierId: supplierA, layout }),
      ),
    ).rejects.toThrow();
    // Updates and deletes of A's row from B touch nothing.
    const touched = await asB((db) =>
      db
        .update(supplierLayouts)
        .set({ ibans: [] })
        .where(eq(supplierLayouts.supplierId, supplierA))
        .returning(),
    );
    expect(touched).toEqual([]);
    const removed = await asB((db) =>
      db.delete(supplierLayouts).where(eq(supplierLayouts.supplierId, supplierA)).returning(),
    );
    expect(removed).toEqual([]);
    expect(await layoutRows(world.tenantA)).toHaveLength(1);
  });

  it("is deleted with its supplier", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const verifier = await callerFor(world.deps, world.a.verifier);
    // The supplier can only go once no invoice uses it: back to draft, then deleted.
    await verifier.invoice.reject({ id: firstInvoice, reason: "test clean-up" });
    await user.invoice.delete({ id: firstInvoice });
    await user.invoice.delete({ id: secondInvoice });
    await (await callerFor(world.deps, world.a.admin)).supplier.delete({ id: supplierA });
    expect(await layoutRows(world.tenantA)).toEqual([]);
    const deletion = await withTenant(
      world.deps.db,
      { tenantId: world.tenantA, userId: world.a.admin.userId, role: "admin" },
      (db) =>
        db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.action, "supplier.delete"), eq(auditLog.entityId, supplierA))),
    );
    expect(deletion[0]?.summary).toMatchObject({ memoryDeleted: true });
    const all = await world.handle.db
      .select()
      .from(supplierLayouts)
      .where(eq(supplierLayouts.supplierId, supplierA));
    expect(all).toEqual([]);
  });
});
