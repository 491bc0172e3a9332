import { Readable } from "node:stream";
import { documents, ocrJobs, withTenant } from "@remit/db";
import { originalKey } from "@remit/storage";
import { inArray } from "drizzle-orm";
import type { ExtractionInput } from "../src/jobs/extraction-input";
import { callerFor, type Person, type World } from "./harness";

/** A draft with a stored PDF and a queued OCR job, as an upload leaves it. */
export async function uploadedDraft(world: World, tenantId: string, person: Person) {
  const caller = await callerFor(world.deps, person);
  const invoice = await caller.invoice.create({ lineItems: [] });
  const parts = { tenantId, userId: person.userId, invoiceId: invoice.id };
  const key = originalKey(parts, "application/pdf");
  const bytes = Buffer.from(`%PDF-1.4 ${invoice.id}`);
  const put = await world.deps.store.put(key, Readable.from([bytes]), {
    maxBytes: 1024,
    contentType: "application/pdf",
  });
  const jobId = await withTenant(world.deps.db, { ...parts, role: "user" }, async (tx) => {
    const [document] = await tx
      .insert(documents)
      .values({
        tenantId,
        invoiceId: invoice.id,
        storageKey: key,
        originalFilename: "scan.pdf",
        contentType: "application/pdf",
        byteSize: put.bytes,
        sha256: put.sha256,
        createdBy: person.userId,
      })
      .returning();
    if (!document) throw new Error("no document");
    const [job] = await tx
      .insert(ocrJobs)
      .values({ tenantId, invoiceId: invoice.id, documentId: document.id })
      .returning();
    if (!job) throw new Error("no job");
    return job.id;
  });
  return { invoiceId: invoice.id, jobId, bytes };
}

/** Earlier test files on a shared PostgreSQL leave queued jobs; they would be claimed first. */
export async function quiesceQueue(world: World): Promise<void> {
  await world.handle.db
    .update(ocrJobs)
    .set({ status: "dead" })
    .where(inArray(ocrJobs.status, ["queued", "running"]));
}

const at = (value: string, confidence = 0.9) => ({
  value,
  confidence,
  page: 1,
  box: { x: 10, y: 20, width: 100, height: 12 },
});

/** An extraction as a worker would report it. */
export function extractionOf(
  values: Partial<Record<keyof ExtractionInput["fields"], string>> & {
    lines?: Array<{ description: string; quantity?: string; unitPrice?: string; amount?: string }>;
  },
): ExtractionInput {
  const field = (name: keyof Omit<ExtractionInput["fields"], "lineItems">) => {
    const value = values[name];
    return typeof value === "string" ? at(value) : null;
  };
  return {
    fields: {
      supplierName: field("supplierName"),
      supplierTaxId: field("supplierTaxId"),
      invoiceNumber: field("invoiceNumber"),
      invoiceDate: field("invoiceDate"),
      dueDate: field("dueDate"),
      currency: field("currency"),
      subtotal: field("subtotal"),
      tax: field("tax"),
      total: field("total"),
      lineItems: (values.lines ?? []).map((line) => ({
        description: at(line.description),
        quantity: line.quantity ? at(line.quantity) : null,
        unitPrice: line.unitPrice ? at(line.unitPrice) : null,
        amount: line.amount ? at(line.amount) : null,
      })),
    },
    warnings: [],
    pages: [{ number: 1, width: 1240, height: 1754, source: "text-layer" }],
    timings: { totalMs: 12, perPageMs: [12] },
  };
}
