import type { DocumentContext } from "./context";

/**
 * A credit note's amounts are stated negative, as the e-invoice reading states them: a page
 * titled "Credit note", "Avoir", "Creditnota", "Nota di credito", "Nota de crédito" or
 * "Gutschrift" (unless a self-billed invoice, which German also calls Gutschrift).
 */
const creditTitle =
  /\b(?:credit\s*note|credit\s*memo|avoir|creditnota|creditfactuur|nota\s+di\s+credito|nota\s+de\s+cr[ée]dito|factura\s+rectificativa|gutschrift|stornorechnung)\b/iu;
const selfBilled =
  /\b(?:selbst\s*ausgestellte|selbstfakturierung|self[-\s]*billed|autofacturation)\b/iu;

export function isCreditNote(context: DocumentContext): boolean {
  const page = context.rows[0]?.page ?? 1;
  const top = context.rows.filter((row) => row.page === page && row.top < 0.35);
  return (
    top.some((row) => creditTitle.test(row.text.split(/\s{2,}/)[0] ?? "")) &&
    !top.some((row) => selfBilled.test(row.text))
  );
}
