import type { TenantDb } from "@remit/db";
import { applyLayout, findIbans, type MemoryFieldName } from "@remit/extract/memory";
import type { ExtractionInput } from "../jobs/extraction-input";
import { layoutOf, supplierByIban, tenantCopyOf } from "../queries/supplier-layouts";
import type { SupplierMatch } from "../queries/supplier-match";

/*
 * A finished extraction meets the tenant's memory of its supplier here, in the API, when the
 * worker's report arrives — not in the worker. The report already carries the pages' words
 * (bounded), and the API is where the supplier is identified (tax id or name against the
 * tenant's suppliers, under RLS) and where the memory lives, so no second round trip and no
 * tenant memory ever leaves the database for the process that reads hostile files.
 */

export interface Remembered {
  extraction: ExtractionInput;
  /** The supplier the memory belongs to (found by tax id, name or IBAN); null without one. */
  supplierId: string | null;
  /** How it was found: the IBAN lookup is memory's own and may name a supplier the rules missed. */
  by: "invoice" | "match" | "iban" | null;
  remembered: MemoryFieldName[];
}

async function identify(
  db: TenantDb,
  invoice: { supplierId: string | null; editedFields: string[] },
  match: SupplierMatch,
  extraction: ExtractionInput,
): Promise<Pick<Remembered, "supplierId" | "by">> {
  // A supplier a person chose for this invoice is the surest identification.
  if (invoice.editedFields.includes("supplierId") && invoice.supplierId) {
    return { supplierId: invoice.supplierId, by: "invoice" };
  }
  if (match.kind === "tax_id" || match.kind === "name") {
    const supplierId = match.isGlobal ? await tenantCopyOf(db, match.supplierId) : match.supplierId;
    if (supplierId) return { supplierId, by: "match" };
  }
  const bySupplierIban = await supplierByIban(db, findIbans(extraction.pages.map(layoutPage)));
  return bySupplierIban
    ? { supplierId: bySupplierIban, by: "iban" }
    : { supplierId: null, by: null };
}

const layoutPage = (page: ExtractionInput["pages"][number]) => ({
  ...page,
  lines: page.lines ?? [],
});

export async function readWithMemory(
  db: TenantDb,
  invoice: { supplierId: string | null; editedFields: string[] },
  match: SupplierMatch,
  extraction: ExtractionInput,
): Promise<Remembered> {
  const pages = extraction.pages.map(layoutPage);
  if (!pages.some((page) => page.lines.length > 0)) {
    return { extraction, supplierId: null, by: null, remembered: [] };
  }
  const { supplierId, by } = await identify(db, invoice, match, extraction);
  const stored = supplierId ? await layoutOf(db, supplierId) : null;
  if (!stored) return { extraction, supplierId, by, remembered: [] };
  const { fields, remembered } = applyLayout(extraction.fields, pages, stored.layout);
  return { extraction: { ...extraction, fields }, supplierId, by, remembered };
}
