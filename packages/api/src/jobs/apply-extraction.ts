import { invoiceLineItems, invoices, type TenantDb } from "@remit/db";
import {
  arithmeticWarnings,
  type HeaderField,
  type InvoiceHeader,
  type LineItemInput,
  lineItemFields,
  validFieldValue,
} from "@remit/rules";
import { and, eq, ne } from "drizzle-orm";
import type { z } from "zod";
import { readWithMemory } from "../memory/read-with-memory";
import type { OcrProposal } from "../queries/invoices";
import { matchSupplier, type SupplierMatch } from "../queries/supplier-match";
import { adoptGlobalSupplier } from "../queries/suppliers";
import type { ExtractedFieldInput, ExtractionInput } from "./extraction-input";

/*
 * A finished extraction lands on its invoice. Proposed values fill a draft's empty or
 * machine-filled fields, never one a person has edited (invoices.edited_fields); values that
 * are not valid for their column are kept in the extraction for the reviewer but not applied.
 * An invoice that has left draft keeps its fields: what the reading would have filled in is kept
 * as its OCR proposal, for the reviewer to apply (invoice.applyProposal). A locked one is not
 * touched at all; its proposal goes to the audit row instead, so no result is ever dropped.
 *
 * The queries here are the extraction's own (one invoice, its lines, its supplier link), kept
 * with the rules that decide them rather than split across queries/ modules.
 */

type HeaderColumn = keyof InvoiceHeader;

/** The extraction's field names → the invoice's columns (each with its schema in @remit/rules). */
const columnOf = {
  invoiceNumber: "invoiceNumber",
  invoiceDate: "invoiceDate",
  dueDate: "dueDate",
  currency: "currency",
  subtotal: "subtotal",
  tax: "taxAmount",
  total: "total",
  amountDue: "amountDue",
} as const satisfies Record<string, HeaderField>;

/** The reading's value if it is valid for its column (the same schema as the API's input). */
const valid = (column: HeaderField, field: ExtractedFieldInput | null | undefined) =>
  field ? validFieldValue(column, field.value) : null;

const validLine = (schema: z.ZodType<string>, field: ExtractedFieldInput | null | undefined) => {
  if (!field) return null;
  const parsed = schema.safeParse(field.value);
  return parsed.success ? parsed.data : null;
};

/** The read lines, each value kept only where it is valid for its column. */
const linesOf = (items: ExtractionInput["fields"]["lineItems"]): LineItemInput[] =>
  items.map((item) => ({
    description: item.description.value.trim().slice(0, 1000),
    quantity: validLine(lineItemFields.quantity, item.quantity),
    unitPrice: validLine(lineItemFields.unitPrice, item.unitPrice),
    amount: validLine(lineItemFields.amount, item.amount),
  }));

export interface AppliedExtraction {
  applied: HeaderColumn[];
  /** For an invoice no longer in draft: what the reading would have filled in. */
  proposal: OcrProposal | null;
  lineItems: number;
  supplier: SupplierMatch;
  possibleDuplicateOf: string | null;
  warnings: string[];
  /** Fields read with the tenant's memory of the supplier (source "memory"). */
  remembered: string[];
}

export async function applyExtraction(
  db: TenantDb,
  target: { tenantId: string; invoiceId: string; jobId: string; attempt: number },
  reported: ExtractionInput,
): Promise<AppliedExtraction | null> {
  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, target.invoiceId));
  if (!invoice) return null;
  if (invoice.isLocked) {
    return {
      applied: [],
      // A locked invoice is not read with memory: nothing of it can change.
      proposal: proposalOf(invoice, reported, target.jobId),
      lineItems: 0,
      supplier: { kind: "none" },
      possibleDuplicateOf: null,
      warnings: [],
      remembered: [],
    };
  }
  const edited = new Set(invoice.editedFields);
  const isDraft = invoice.status === "draft";

  const supplier = await matchSupplier(db, {
    name: reported.fields.supplierName?.value.trim() || null,
    taxId: reported.fields.supplierTaxId?.value.trim() || null,
  });
  // The tenant's memory of this supplier reads the fields it has learned (src/memory).
  const memory = await readWithMemory(db, invoice, supplier, reported);
  const { extraction } = memory;
  const { fields } = extraction;

  const header: InvoiceHeader = {};
  if (isDraft) {
    for (const [from, column] of Object.entries(columnOf) as Array<
      [keyof typeof columnOf, HeaderColumn]
    >) {
      if (edited.has(column)) continue;
      const value = valid(column as HeaderField, fields[from]);
      if (value !== null) (header as Record<string, string>)[column] = value;
    }
  }

  if (
    isDraft &&
    !edited.has("supplierId") &&
    (supplier.kind === "tax_id" || supplier.kind === "name")
  ) {
    header.supplierId = supplier.isGlobal
      ? (await adoptGlobalSupplier(db, target.tenantId, supplier.supplierId)).supplier.id
      : supplier.supplierId;
  } else if (isDraft && !edited.has("supplierId") && memory.by === "iban") {
    // Printed with an IBAN this supplier's verified documents showed: that supplier.
    header.supplierId = memory.supplierId;
  }

  const replaceLines = isDraft && !edited.has("lineItems") && fields.lineItems.length > 0;
  const lines: LineItemInput[] = replaceLines
    ? linesOf(fields.lineItems)
    : await db.select().from(invoiceLineItems).where(eq(invoiceLineItems.invoiceId, invoice.id));

  const merged = { ...invoice, ...header };
  const possibleDuplicateOf = await findDuplicate(db, invoice.id, merged);
  const warnings = [
    ...new Set([
      ...arithmeticWarnings(merged, lines),
      ...extraction.warnings.map((w) => w.message),
      ...(possibleDuplicateOf
        ? [`possible duplicate: another invoice has the same supplier and number`]
        : []),
    ]),
  ];

  const proposal = isDraft ? null : proposalOf(invoice, extraction, target.jobId);
  await db
    .update(invoices)
    .set({
      ...(isDraft ? header : {}),
      ...(proposal ? { ocrProposal: proposal } : {}),
      extraction: {
        ...extraction,
        supplierMatch: supplier,
        possibleDuplicateOf,
        jobId: target.jobId,
        attempt: target.attempt,
        extractedAt: new Date().toISOString(),
      },
      warnings,
    })
    .where(eq(invoices.id, invoice.id));
  if (replaceLines) {
    await db.delete(invoiceLineItems).where(eq(invoiceLineItems.invoiceId, invoice.id));
    await db.insert(invoiceLineItems).values(
      lines.map((line, position) => ({
        tenantId: target.tenantId,
        invoiceId: invoice.id,
        position,
        description: line.description,
        quantity: line.quantity ?? null,
        unitPrice: line.unitPrice ?? null,
        amount: line.amount ?? null,
      })),
    );
  }
  return {
    applied: Object.keys(header) as HeaderColumn[],
    proposal,
    lineItems: replaceLines ? lines.length : 0,
    supplier,
    possibleDuplicateOf,
    warnings,
    remembered: memory.remembered,
  };
}

/**
 * What the reading would fill in on an invoice that has left draft: every valid value that
 * differs from the invoice's, and its lines if it read any. Null when it would change nothing.
 */
function proposalOf(
  invoice: typeof invoices.$inferSelect,
  extraction: ExtractionInput,
  jobId: string,
): OcrProposal | null {
  const header: InvoiceHeader = {};
  for (const [from, column] of Object.entries(columnOf) as Array<
    [keyof typeof columnOf, HeaderColumn]
  >) {
    const value = valid(column as HeaderField, extraction.fields[from]);
    if (value !== null && value !== invoice[column as keyof typeof invoice]) {
      (header as Record<string, string>)[column] = value;
    }
  }
  const lineItems =
    extraction.fields.lineItems.length > 0 ? linesOf(extraction.fields.lineItems) : null;
  if (Object.keys(header).length === 0 && !lineItems) return null;
  return { header, lineItems, jobId, extractedAt: new Date().toISOString() };
}

/** The tenant's copy of a global supplier, made on first use (copy-on-use, see docs/database.md). */
/** Another invoice of this tenant with the same supplier and number, if there is one. */
async function findDuplicate(
  db: TenantDb,
  invoiceId: string,
  invoice: { supplierId: string | null; invoiceNumber: string | null },
): Promise<string | null> {
  if (!invoice.supplierId || !invoice.invoiceNumber) return null;
  const [other] = await db
    .select({ id: invoices.id })
    .from(invoices)
    .where(
      and(
        eq(invoices.supplierId, invoice.supplierId),
        eq(invoices.invoiceNumber, invoice.invoiceNumber),
        ne(invoices.id, invoiceId),
      ),
    )
    .limit(1);
  return other?.id ?? null;
}
