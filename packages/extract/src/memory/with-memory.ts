import type { Extraction } from "../types";
import { applyLayout } from "./apply";
import { findIbans } from "./iban";
import type { SupplierLayout } from "./types";

/** What identifies a supplier on a document: its tax id, its IBANs, its name as read. */
export interface SupplierIdentity {
  name: string | null;
  taxId: string | null;
  ibans: string[];
}

/** The caller's memory: the layout of the supplier a document's identity points to, if any. */
export type MemoryLookup = (identity: SupplierIdentity) => SupplierLayout | null | undefined;

/** The extraction with the remembered fields read from memory (unchanged without a memory). */
export function withMemory(extraction: Extraction, lookup: MemoryLookup): Extraction {
  const { fields, pages } = extraction;
  const layout = lookup({
    name: fields.supplierName?.value ?? null,
    taxId: fields.supplierTaxId?.value ?? null,
    ibans: findIbans(pages),
  });
  if (!layout) return extraction;
  return { ...extraction, fields: applyLayout(fields, pages, layout).fields };
}
