import type { TenantDb } from "@remit/db";
import { findIbans, learnLayout, type MemoryFieldName } from "@remit/extract/memory";
import { z } from "zod";
import { extractionInput } from "../jobs/extraction-input";
import { layoutOf, saveLayout } from "../queries/supplier-layouts";

/*
 * Corrections teach: when an invoice is verified, the fields a person corrected are learned
 * for its supplier from the stored page words — the label before the confirmed value, same
 * row or below, page zone (see @remit/extract/memory). Runs in the verify transaction, under
 * the tenant's RLS, so the memory is the tenant's and lands with the verification or not at all.
 */

/** Invoice column → the extraction field memory knows it as. */
const memoryNameOf = {
  invoiceNumber: "invoiceNumber",
  invoiceDate: "invoiceDate",
  dueDate: "dueDate",
  currency: "currency",
  subtotal: "subtotal",
  taxAmount: "tax",
  total: "total",
  amountDue: "amountDue",
} as const satisfies Record<string, MemoryFieldName>;
type Column = keyof typeof memoryNameOf;

const storedPages = z.object({ pages: extractionInput.shape.pages });

/** Most IBANs kept per supplier (the table's check allows 20). */
const maxIbans = 10;

export interface VerifiedInvoice {
  id: string;
  tenantId: string;
  supplierId: string | null;
  editedFields: string[];
  extraction: unknown;
  invoiceNumber: string | null;
  invoiceDate: string | null;
  dueDate: string | null;
  currency: string | null;
  subtotal: string | null;
  taxAmount: string | null;
  total: string | null;
  amountDue: string | null;
}

export interface LearnedFromInvoice {
  supplierId: string;
  learned: MemoryFieldName[];
  forgotten: MemoryFieldName[];
}

export async function learnFromVerified(
  db: TenantDb,
  invoice: VerifiedInvoice,
): Promise<LearnedFromInvoice | null> {
  if (!invoice.supplierId) return null;
  const parsed = storedPages.safeParse(invoice.extraction);
  if (!parsed.success) return null;
  const pages = parsed.data.pages.map((page) => ({ ...page, lines: page.lines ?? [] }));
  if (!pages.some((page) => page.lines.length > 0)) return null;

  const corrected = (Object.keys(memoryNameOf) as Column[]).filter((column) =>
    invoice.editedFields.includes(column),
  );
  const previous = await layoutOf(db, invoice.supplierId);
  if (corrected.length === 0 && !previous) return null;

  const verified: Partial<Record<MemoryFieldName, string | null>> = {};
  for (const column of corrected) verified[memoryNameOf[column]] = invoice[column];
  const { layout, learned, forgotten } = learnLayout(
    pages,
    verified,
    corrected.map((column) => memoryNameOf[column]),
    previous?.layout ?? null,
  );
  if (!previous && learned.length === 0) return null;
  const ibans = [...new Set([...(previous?.ibans ?? []), ...findIbans(pages)])].slice(0, maxIbans);
  await saveLayout(db, {
    tenantId: invoice.tenantId,
    supplierId: invoice.supplierId,
    invoiceId: invoice.id,
    layout,
    ibans,
  });
  return { supplierId: invoice.supplierId, learned, forgotten };
}
