import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExtractError } from "../src/errors";
import { createExtractor, type Extractor } from "../src/extractor";
import type { Extraction } from "../src/types";
import { concatPdfs, invoiceLines, renderToPng, scannedPdf, textPdf } from "./engine-fixtures";

let extractor: Extractor;
let invoicePdf: Uint8Array;
let invoicePng: Uint8Array;

beforeAll(async () => {
  extractor = createExtractor({ poolSize: 1 });
  invoicePdf = await textPdf([invoiceLines]);
  invoicePng = renderToPng(invoicePdf);
});
afterAll(() => extractor.close());

const words = (extraction: Extraction, page = 1) =>
  extraction.pages[page - 1]?.lines.flatMap((line) => line.words.map((word) => word.text)) ?? [];

describe("createExtractor().extract", () => {
  it("reads a text PDF from its text layer, with a preview and a timing per page", async () => {
    const progress: number[] = [];
    const pdf = await textPdf([invoiceLines, invoiceLines]);
    const { extraction, previews } = await extractor.extract(pdf, "application/pdf", {
      onProgress: (percent) => progress.push(percent),
    });

    expect(extraction.pages.map((page) => [page.number, page.source])).toEqual([
      [1, "text-layer"],
      [2, "text-layer"],
    ]);
    expect(words(extraction, 2)).toContain("INV-2024-0042");
    expect(previews.map((preview) => [preview.page, preview.width, preview.height])).toEqual(
      extraction.pages.map((page) => [page.number, page.width, page.height]),
    );
    expect(extraction.timings.perPageMs).toHaveLength(2);
    expect(extraction.timings.totalMs).toBeGreaterThan(0);
    expect(extraction.fields).toHaveProperty("total");
    expect(progress).toEqual([50, 100]);
  });

  it("OCRs a scanned PDF page, keeping its page number, next to a text page", async () => {
    const mixed = await concatPdfs([invoicePdf, await scannedPdf([invoicePng])]);
    const { extraction, previews } = await extractor.extract(mixed, "application/pdf");

    expect(extraction.pages.map((page) => [page.number, page.source])).toEqual([
      [1, "text-layer"],
      [2, "ocr"],
    ]);
    expect(words(extraction, 2)).toEqual(expect.arrayContaining(["INVOICE", "INV-2024-0042"]));
    const scanned = extraction.pages[1];
    expect(previews[1]).toMatchObject({ page: 2, width: scanned?.width, height: scanned?.height });
    for (const word of scanned?.lines.flatMap((line) => line.words) ?? []) {
      expect(word.box.x + word.box.width).toBeLessThanOrEqual(scanned?.width ?? 0);
      expect(word.box.y + word.box.height).toBeLessThanOrEqual(scanned?.height ?? 0);
    }
  });

  it("OCRs a PNG as a one-page document", async () => {
    const progress: number[] = [];
    const { extraction, previews } = await extractor.extract(invoicePng, "image/png", {
      onProgress: (percent) => progress.push(percent),
    });
    expect(extraction.pages).toHaveLength(1);
    expect(extraction.pages[0]).toMatchObject({ number: 1, source: "ocr" });
    expect(words(extraction)).toContain("1234.56");
    expect(previews).toHaveLength(1);
    expect(progress).toEqual([100]);
  });

  it("refuses what it cannot read with a typed error, and keeps serving", async () => {
    const refusal = (bytes: Uint8Array, type: Parameters<Extractor["extract"]>[1]) =>
      extractor.extract(bytes, type).then(
        () => null,
        (error: unknown) => (error instanceof ExtractError ? error.code : error),
      );

    expect(await refusal(new TextEncoder().encode("not a pdf"), "application/pdf")).toBe(
      "unreadable_pdf",
    );
    expect(await refusal(new Uint8Array(0), "image/jpeg")).toBe("empty_image");
    expect(await refusal(invoicePdf, "image/gif" as "image/png")).toBe("unsupported_type");

    const few = createExtractor({ poolSize: 1, maxPages: 1 });
    try {
      const twoPages = await textPdf([invoiceLines, invoiceLines]);
      await expect(few.extract(twoPages, "application/pdf")).rejects.toMatchObject({
        code: "too_many_pages",
      });
    } finally {
      await few.close();
    }

    const after = await extractor.extract(invoicePdf, "application/pdf");
    expect(words(after.extraction)).toContain("INVOICE");
  });

  it("times a stuck page out and reads the next document on a fresh worker", async () => {
    const impatient = createExtractor({ poolSize: 1, pageTimeoutMs: 1 });
    try {
      await expect(impatient.extract(invoicePng, "image/png")).rejects.toMatchObject({
        code: "timeout",
      });
      expect(impatient.stats()).toMatchObject({ timedOut: 1, started: 2, terminated: 1 });
    } finally {
      await impatient.close();
    }
  });
});
