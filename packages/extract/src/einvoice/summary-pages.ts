import * as mupdf from "mupdf";
import { captureMupdfLog } from "../pdf/mupdf-log";
import { documentReader } from "../pdf/read-pdf";
import type { Page, PagePreview } from "../types";
import type { EInvoice } from "./model";
import { renderEInvoiceHtml } from "./render";

/** A4 in points, with a margin laid out by mupdf's HTML engine; 9 pt text fits a reviewer. */
const a4 = { width: 595, height: 842, em: 9 };

export interface SummaryPage {
  page: Page;
  preview: PagePreview;
  ms: number;
}

/**
 * The pages of an XML upload: its readable rendering (renderEInvoiceHtml) laid out on A4 by
 * mupdf and read like a text-layer PDF page, so the review screen gets a preview and words
 * with boxes exactly as for a PDF, and needs nothing new to show an XML invoice. The HTML is
 * generated here from escaped values and references nothing, so mupdf loads nothing else.
 */
export async function readSummaryPages(invoice: EInvoice): Promise<SummaryPage[]> {
  const html = new TextEncoder().encode(renderEInvoiceHtml(invoice));
  const document = captureMupdfLog(() => {
    const opened = mupdf.Document.openDocument(html, "text/html");
    opened.layout(a4.width, a4.height, a4.em);
    return opened;
  }).result;
  const reader = documentReader(document);
  try {
    const pages: SummaryPage[] = [];
    for (let number = 1; number <= reader.pageCount; number += 1) {
      const started = performance.now();
      const read = await reader.readPage(number);
      // The rendering always has text; a page without any (impossible) is left out.
      if (read.kind !== "text") continue;
      pages.push({ page: read.page, preview: read.preview, ms: performance.now() - started });
    }
    return pages;
  } finally {
    reader.close();
  }
}
