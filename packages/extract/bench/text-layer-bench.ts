import { createExtractor } from "../src/extractor";
import { invoiceTextPdf } from "./bench-documents";
import { median } from "./stats";

export interface TextLayerResult {
  pages: number;
  runs: number;
  msPerPage: number;
  wallMsPerPage: number;
}

/**
 * A text-only invoice PDF through the whole extractor (text layer, 150 dpi preview
 * rendered and PNG-encoded, fields), one page at a time (pool of one) so that each page's
 * time is its own. The first run warms up and is not counted.
 */
export async function benchTextLayer(pages: number, runs = 5): Promise<TextLayerResult> {
  const pdf = await invoiceTextPdf(pages);
  const extractor = createExtractor({ poolSize: 1, maxPages: pages });
  try {
    await extractor.extract(pdf, "application/pdf");
    const perPage: number[] = [];
    const wall: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const { extraction } = await extractor.extract(pdf, "application/pdf");
      perPage.push(...extraction.timings.perPageMs);
      wall.push(extraction.timings.totalMs / pages);
    }
    return { pages, runs, msPerPage: median(perPage), wallMsPerPage: median(wall) };
  } finally {
    await extractor.close();
  }
}
