import type { ExtractResult } from "../extractor";
import { extractFields } from "../fields";
import type { EInvoice, Extraction, FieldExtraction, Page } from "../types";
import { pageDisagreements } from "./disagreement";
import type { EmbeddedEInvoice } from "./find-in-pdf";
import { readEInvoiceXml } from "./read";
import { readSummaryPages } from "./summary-pages";

/**
 * A PDF's fields: from its e-invoice XML when it carries one (the pages then only say where
 * they disagree), else from its pages. An attachment that could not be read leaves the page
 * reading in charge, with a warning that says why the XML was not used.
 */
export function pdfFields(
  pages: Page[],
  embedded: EmbeddedEInvoice | null,
): FieldExtraction & { eInvoice?: EInvoice } {
  if (!embedded) return extractFields(pages);
  if (embedded.kind === "unreadable") {
    const visual = extractFields(pages);
    const warning = {
      code: "e_invoice_unreadable" as const,
      message: `The PDF carries e-invoice data (${embedded.attachmentName.slice(0, 100)}) that could not be used, so the fields were read from the page. ${embedded.error.message}`,
    };
    return { ...visual, warnings: [...visual.warnings, warning] };
  }
  const { fields, warnings, eInvoice } = embedded.reading;
  return { fields, warnings: [...warnings, ...pageDisagreements(pages, fields)], eInvoice };
}

/**
 * An XML upload: the e-invoice read exactly, and as its pages the readable rendering of it
 * (see readSummaryPages), so the review screen shows an XML invoice like any other. Fields
 * point at page 1 without a box: their value is the XML's, not a spot on the rendering.
 */
export async function extractXmlDocument(
  bytes: Uint8Array,
  onProgress?: (percent: number) => void,
): Promise<ExtractResult> {
  const started = performance.now();
  const { fields, warnings, eInvoice } = readEInvoiceXml(bytes);
  const summary = await readSummaryPages(eInvoice);
  onProgress?.(100);
  const extraction: Extraction = {
    fields,
    warnings,
    eInvoice,
    pages: summary.map((item) => item.page),
    timings: {
      totalMs: performance.now() - started,
      perPageMs: summary.map((item) => item.ms),
    },
  };
  return { extraction, previews: summary.map((item) => item.preview) };
}
