import sharp from "sharp";
import type { Worker } from "tesseract.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractFields } from "../src/fields";
import { prepareImage } from "../src/image/prepare";
import { recognizeImage } from "../src/image/recognize";
import { dateRows, rereadKeyRows, supplierRows, totalRows } from "../src/image/reread";
import { createTesseractWorker } from "../src/ocr/tesseract-worker";
import { generateInvoice, renderInvoicePdf, renderScannedImage } from "../src/testing";

describe("rereadKeyRows", () => {
  let worker: Worker;
  beforeAll(async () => {
    worker = await createTesseractWorker();
  });
  afterAll(async () => {
    await worker.terminate();
  });

  it("reads the total, supplier and date rows again, in the preview's pixel space", async () => {
    const fixture = generateInvoice(11, { locale: "en-GB", layout: "classic" });
    const scan = await renderScannedImage(await renderInvoicePdf(fixture), fixture.seed);
    const { page } = await recognizeImage(worker, scan, 1);

    const rereads = page.rereads ?? [];
    const rows = [...supplierRows(page), ...totalRows(page), ...dateRows(page)];
    expect(rows.length).toBeGreaterThan(0);
    // Three readings a row, one line each (a crop where tesseract finds nothing gives none).
    expect(rereads.length).toBeGreaterThan(0);
    expect(rereads.length).toBeLessThanOrEqual(rows.length * 3);
    for (const line of rereads) {
      expect(line.words.length).toBeGreaterThan(0);
      for (const word of line.words) {
        expect(word.box.x).toBeGreaterThanOrEqual(0);
        expect(word.box.x + word.box.width).toBeLessThanOrEqual(page.width);
        // Each word lies inside the row the line re-reads.
        expect(word.box.y).toBeGreaterThanOrEqual(line.box.y - 1);
        expect(word.box.y + word.box.height).toBeLessThanOrEqual(line.box.y + line.box.height + 1);
      }
      const row = rows.find(
        (candidate) =>
          candidate.box.y + candidate.box.height / 2 >= line.box.y &&
          candidate.box.y + candidate.box.height / 2 <= line.box.y + line.box.height,
      );
      expect(row).toBeDefined();
    }
    const total = fixture.truth.total.replace(/\.\d\d$/, "");
    expect(rereads.some((line) => line.text.replace(/[^\d.]/g, "").includes(total))).toBe(true);
    expect(extractFields([page]).fields.total?.value).toBe(fixture.truth.total);
  });

  it("leaves the worker in the page segmentation mode it is given back", async () => {
    const fixture = generateInvoice(12, { locale: "en-GB", layout: "classic" });
    const scan = await renderScannedImage(await renderInvoicePdf(fixture), fixture.seed);
    const first = await recognizeImage(worker, scan, 1);
    const prepared = await prepareImage(scan);
    await rereadKeyRows(worker, prepared, first.page, "6");
    // Read again after the re-read: the same page, so PSM 6 is back in force.
    const again = await recognizeImage(worker, scan, 1);
    expect(again.page.lines.map((line) => line.text)).toEqual(
      first.page.lines.map((line) => line.text),
    );
  });

  it("reads nothing again on a page without total or supplier rows", async () => {
    const blank = await sharp({
      create: { width: 300, height: 200, channels: 3, background: "#fff" },
    })
      .png()
      .toBuffer();
    const prepared = await prepareImage(new Uint8Array(blank));
    const page = { number: 1, width: 300, height: 200, source: "ocr" as const, lines: [] };
    expect(await rereadKeyRows(worker, prepared, page, "6")).toEqual([]);
  });
});
