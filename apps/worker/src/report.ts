import type { RemitInputs } from "@remit/client";
import type { Extraction } from "@remit/extract";

export type ExtractionReport = RemitInputs["job"]["complete"]["extraction"];

/**
 * What goes back to the API: the fields with their boxes, the warnings and the page sizes —
 * not every word of every page, which the review screen does not need and which would make
 * each completion megabytes of JSON.
 */
export function toReport(extraction: Extraction): ExtractionReport {
  return {
    fields: extraction.fields,
    warnings: extraction.warnings,
    pages: extraction.pages.map(({ number, width, height, source }) => ({
      number,
      width,
      height,
      source,
    })),
    timings: extraction.timings,
  };
}
