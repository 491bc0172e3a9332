import type { RemitInputs } from "@remit/client";
import type { Box, ExtractedField, Extraction, Page } from "@remit/extract";
import { maxLayoutWords } from "@remit/extract/memory";

export type ExtractionReport = RemitInputs["job"]["complete"]["extraction"];

/**
 * What goes back to the API: the fields with their boxes, the warnings, the page sizes and
 * the pages' words for supplier memory — at most maxLayoutWords of them, first page first,
 * then the last (where totals are), then the others: a long document does not make each
 * completion megabytes of JSON. Boxes are clipped to the page (text drawn partly off a
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
    pages: withWords(extraction.pages),
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

type ReportPage = ExtractionReport["pages"][number];

/** Page sizes, and each page's words (clipped, whole pixels) while the budget lasts. */
function withWords(pages: Page[]): ReportPage[] {
  const order = [...pages].sort((a, b) => rank(a, pages.length) - rank(b, pages.length));
  let budget = maxLayoutWords;
  const lines = new Map<number, NonNullable<ReportPage["lines"]>>();
  for (const page of order) {
    const kept: NonNullable<ReportPage["lines"]> = [];
    for (const line of page.lines) {
      const words = line.words
        .filter((word) => word.text.length > 0 && word.text.length <= 100)
        .slice(0, Math.min(200, budget))
        .map((word) => ({
          text: word.text,
          box: roundBox(clipBox(word.box, page.width, page.height)),
        }));
      if (words.length === 0) continue;
      kept.push({ words });
      budget -= words.length;
      if (budget <= 0) break;
    }
    lines.set(page.number, kept);
    if (budget <= 0) break;
  }
  return pages.map(({ number, width, height, source }) => ({
    number,
    width,
    height,
    source,
    ...(lines.has(number) ? { lines: lines.get(number) } : {}),
  }));
}

/** First page, then the last, then the rest in order. */
const rank = (page: Page, count: number) =>
  page.number === 1 ? 0 : page.number === count ? 1 : page.number + 1;

function roundBox(box: Box): Box {
  return {
    x: Math.round(box.x),
    y: Math.round(box.y),
    width: Math.round(box.width),
    height: Math.round(box.height),
  };
}
