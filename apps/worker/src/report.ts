import type { RemitInputs } from "@remit/client";
import type { Box, ExtractedField, Extraction } from "@remit/extract";

export type ExtractionReport = RemitInputs["job"]["complete"]["extraction"];

/**
 * What goes back to the API: the fields with their boxes, the warnings and the page sizes —
 * not every word of every page, which the review screen does not need and which would make
 * each completion megabytes of JSON. Boxes are clipped to the page (text drawn partly off a
 * PDF page has negative coordinates; the API accepts only what can be drawn).
 */
export function toReport(extraction: Extraction): ExtractionReport {
  const sizes = new Map(extraction.pages.map((p) => [p.number, p]));
  const clip = (field: ExtractedField | null): ExtractedField | null => {
    if (!field?.box) return field;
    const page = sizes.get(field.page);
    return { ...field, box: page ? clipBox(field.box, page.width, page.height) : null };
  };
  const { fields } = extraction;
  return {
    fields: {
      supplierName: clip(fields.supplierName),
      supplierTaxId: clip(fields.supplierTaxId),
      invoiceNumber: clip(fields.invoiceNumber),
      invoiceDate: clip(fields.invoiceDate),
      dueDate: clip(fields.dueDate),
      currency: clip(fields.currency),
      subtotal: clip(fields.subtotal),
      tax: clip(fields.tax),
      total: clip(fields.total),
      amountDue: clip(fields.amountDue),
      lineItems: fields.lineItems.map((item) => ({
        description: clip(item.description) ?? item.description,
        quantity: clip(item.quantity),
        unitPrice: clip(item.unitPrice),
        amount: clip(item.amount),
      })),
    },
    warnings: extraction.warnings,
    pages: extraction.pages.map(({ number, width, height, source }) => ({
      number,
      width,
      height,
      source,
    })),
    timings: extraction.timings,
    // The e-invoice's structured data: the review screen and exports show it as the sender meant.
    ...(extraction.eInvoice ? { eInvoice: extraction.eInvoice } : {}),
  };
}

function clipBox(box: Box, width: number, height: number): Box {
  const x = Math.min(Math.max(0, box.x), width);
  const y = Math.min(Math.max(0, box.y), height);
  return {
    x,
    y,
    width: Math.max(0, Math.min(box.x + box.width, width) - x),
    height: Math.max(0, Math.min(box.y + box.height, height) - y),
  };
}
