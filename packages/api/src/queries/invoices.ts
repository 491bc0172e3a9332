import {
  documents,
  type InvoiceStatus,
  invoiceComments,
  invoiceLineItems,
  invoices,
  ocrJobs,
  suppliers,
  type TenantDb,
} from "@remit/db";
import {
  arithmeticWarnings,
  type InvoiceHeader,
  type LineItemInput,
  type Transition,
  transitions,
} from "@remit/rules";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { NotFoundError, PreconditionError } from "../errors";
import { withoutPageWords } from "../memory/page-words";

/*
 * Invoice queries: plain functions of a tenant-bound transaction. They never filter by tenant
 * themselves: RLS does, for every statement. (The inbox, invoice-inbox.ts, also names the tenant
 * for the planner's sake.)
 */

export async function getInvoice(db: TenantDb, id: string) {
  // The job before the invoice: on a server each statement of a read sees what had committed
  // when it started, and a job is completed in the same transaction that fills the invoice. Read
  // the other way round, a job finishing in between shows "succeeded" above empty fields.
  const jobs = await db
    .select({
      id: ocrJobs.id,
      status: ocrJobs.status,
      attempts: ocrJobs.attempts,
      maxAttempts: ocrJobs.maxAttempts,
      progress: ocrJobs.progress,
      lastError: ocrJobs.lastError,
      runAfter: ocrJobs.runAfter,
      updatedAt: ocrJobs.updatedAt,
    })
    .from(ocrJobs)
    .where(eq(ocrJobs.invoiceId, id))
    .orderBy(desc(ocrJobs.createdAt))
    .limit(1);
  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, id));
  if (!invoice) throw new NotFoundError("invoice");
  const [lineItems, comments, docs, supplier] = await Promise.all([
    db
      .select()
      .from(invoiceLineItems)
      .where(eq(invoiceLineItems.invoiceId, id))
      .orderBy(asc(invoiceLineItems.position)),
    db
      .select()
      .from(invoiceComments)
      .where(eq(invoiceComments.invoiceId, id))
      .orderBy(asc(invoiceComments.createdAt)),
    db
      .select({
        id: documents.id,
        originalFilename: documents.originalFilename,
        contentType: documents.contentType,
        byteSize: documents.byteSize,
        pageCount: documents.pageCount,
        createdAt: documents.createdAt,
      })
      .from(documents)
      .where(eq(documents.invoiceId, id)),
    invoice.supplierId
      ? db.select().from(suppliers).where(eq(suppliers.id, invoice.supplierId))
      : Promise.resolve([]),
  ]);
  return {
    ...invoice,
    extraction: withoutPageWords(invoice.extraction),
    lineItems,
    comments,
    document: docs[0] ?? null,
    supplier: frozenSupplier(invoice, supplier[0] ?? null),
    /** The reading of the document: queued, running, succeeded, failed or dead (with why). */
    ocr: jobs[0] ?? null,
  };
}

interface Snapshot {
  supplierName?: string | null;
  supplierTaxId?: string | null;
  bankAccount?: string | null;
  bankCode?: string | null;
}

/**
 * A locked invoice shows its supplier as approved (name, tax id, bank details from the approval
 * snapshot), whatever the supplier row says today; an open one shows the supplier as it is.
 */
function frozenSupplier<T extends typeof suppliers.$inferSelect>(
  invoice: { isLocked: boolean; approvedSnapshot: unknown },
  supplier: T | null,
): (T & { asApproved: boolean }) | null {
  if (!supplier) return null;
  const snap = invoice.approvedSnapshot as Snapshot | null;
  if (!invoice.isLocked || !snap) return { ...supplier, asApproved: false };
  return {
    ...supplier,
    name: snap.supplierName ?? supplier.name,
    taxId: snap.supplierTaxId ?? null,
    bankAccount: snap.bankAccount ?? null,
    bankCode: snap.bankCode ?? null,
    asApproved: true,
  };
}

async function replaceLines(
  db: TenantDb,
  tenantId: string,
  invoiceId: string,
  lines: LineItemInput[],
) {
  await db.delete(invoiceLineItems).where(eq(invoiceLineItems.invoiceId, invoiceId));
  if (lines.length === 0) return;
  await db.insert(invoiceLineItems).values(
    lines.map((line, position) => ({
      tenantId,
      invoiceId,
      position,
      description: line.description,
      quantity: line.quantity ?? null,
      unitPrice: line.unitPrice ?? null,
      amount: line.amount ?? null,
    })),
  );
}

export async function createInvoice(
  db: TenantDb,
  actor: { tenantId: string; userId: string },
  input: InvoiceHeader & { lineItems: LineItemInput[] },
) {
  const { lineItems, ...header } = input;
  const [created] = await db
    .insert(invoices)
    .values({
      ...header,
      tenantId: actor.tenantId,
      createdBy: actor.userId,
      warnings: arithmeticWarnings(header, lineItems),
    })
    .returning();
  if (!created) throw new Error("insert returned no row");
  await replaceLines(db, actor.tenantId, created.id, lineItems);
  return created;
}

/** The invoice if it exists for this tenant and can still change; the domain error otherwise. */
export async function editableInvoice(db: TenantDb, id: string) {
  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, id));
  if (!invoice) throw new NotFoundError("invoice");
  if (invoice.isLocked) {
    throw new PreconditionError("the invoice is approved and locked; it can no longer change");
  }
  return invoice;
}

export async function updateInvoice(
  db: TenantDb,
  tenantId: string,
  id: string,
  data: InvoiceHeader & { lineItems?: LineItemInput[] | undefined },
) {
  const before = await editableInvoice(db, id);
  const { lineItems, ...header } = data;
  const changed = Object.keys(header).filter(
    (key) => (header as Record<string, unknown>)[key] !== (before as Record<string, unknown>)[key],
  );
  if (lineItems) changed.push("lineItems");
  const merged = { ...before, ...header };
  const lines =
    lineItems ??
    (await db.select().from(invoiceLineItems).where(eq(invoiceLineItems.invoiceId, id)));
  const [after] = await db
    .update(invoices)
    .set({
      ...header,
      editedFields: [...new Set([...before.editedFields, ...changed])],
      warnings: arithmeticWarnings(merged, lines),
    })
    .where(eq(invoices.id, id))
    .returning();
  if (!after) throw new NotFoundError("invoice");
  if (lineItems) await replaceLines(db, tenantId, id, lineItems);
  return { before, after, changed };
}

export async function deleteInvoice(db: TenantDb, id: string) {
  const invoice = await editableInvoice(db, id);
  if (invoice.status !== "draft") {
    throw new PreconditionError("only draft invoices can be deleted");
  }
  const deleted = await db
    .delete(invoices)
    .where(eq(invoices.id, id))
    .returning({ id: invoices.id });
  if (deleted.length === 0) throw new NotFoundError("invoice");
  return invoice;
}

/** The steps an invoice takes by a status update; approval is a row (queries/approval.ts). */
type StatusStep = Exclude<Transition, "approve">;

/** Moves an invoice along one edge of its lifecycle; the database enforces the same rules. */
export async function transitionInvoice(db: TenantDb, id: string, transition: StatusStep) {
  const invoice = await editableInvoice(db, id);
  const edge = transitions[transition];
  const from: readonly InvoiceStatus[] = edge.from;
  if (!from.includes(invoice.status)) {
    throw new PreconditionError(
      `cannot ${transition} an invoice that is ${invoice.status.replaceAll("_", " ")}`,
    );
  }
  const [after] = await db
    .update(invoices)
    .set({ status: edge.to })
    .where(and(eq(invoices.id, id), inArray(invoices.status, [...from])))
    .returning();
  if (!after) throw new NotFoundError("invoice");
  return { before: invoice, after };
}

/** What an OCR result that arrived after the invoice left draft would have filled in. */
export interface OcrProposal {
  header: InvoiceHeader;
  lineItems: LineItemInput[] | null;
  jobId: string;
  extractedAt: string;
}

/** Applies the kept OCR proposal to an invoice that can still change; clears it. */
export async function applyOcrProposal(db: TenantDb, tenantId: string, id: string) {
  const before = await editableInvoice(db, id);
  const proposal = before.ocrProposal as OcrProposal | null;
  if (!proposal) throw new PreconditionError("there is no OCR proposal to apply");
  const applied = [...Object.keys(proposal.header), ...(proposal.lineItems ? ["lineItems"] : [])];
  const merged = { ...before, ...proposal.header };
  const lines =
    proposal.lineItems ??
    (await db.select().from(invoiceLineItems).where(eq(invoiceLineItems.invoiceId, id)));
  const [after] = await db
    .update(invoices)
    .set({
      ...proposal.header,
      // The values are the reading's again (source "ocr", with its confidence), not typed ones.
      editedFields: before.editedFields.filter((field) => !applied.includes(field)),
      ocrProposal: null,
      warnings: arithmeticWarnings(merged, lines),
    })
    .where(eq(invoices.id, id))
    .returning();
  if (!after) throw new NotFoundError("invoice");
  if (proposal.lineItems) await replaceLines(db, tenantId, id, proposal.lineItems);
  return { before, after, applied };
}

export const invoiceSummary = (row: {
  status: string;
  total: string | null;
  invoiceNumber: string | null;
}) => ({
  status: row.status,
  total: row.total,
  invoiceNumber: row.invoiceNumber,
});

/** The invoice's stored document; NOT_FOUND if the invoice or its file is not there. */

/** The extraction the OCR worker reported for an invoice, as stored (null before the read). */
export async function invoiceExtraction(db: TenantDb, invoiceId: string): Promise<unknown> {
  const [row] = await db
    .select({ extraction: invoices.extraction })
    .from(invoices)
    .where(eq(invoices.id, invoiceId));
  return row?.extraction ?? null;
}
