import sharp from "sharp";
import type { Worker } from "tesseract.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExtractError } from "../src/errors";
import { prepareImage, targetSize } from "../src/image/prepare";
import { recognizeImage } from "../src/image/recognize";
import { createTesseractWorker } from "../src/ocr/tesseract-worker";
import { generateInvoice, renderInvoicePdf, renderScannedImage } from "../src/testing";

describe("prepareImage", () => {
  it("refuses empty and undecodable bytes with a code", async () => {
    await expect(prepareImage(new Uint8Array())).rejects.toMatchObject({ code: "empty_image" });
    await expect(prepareImage(new TextEncoder().encode("not an image"))).rejects.toBeInstanceOf(
      ExtractError,
    );
    await expect(prepareImage(new TextEncoder().encode("not an image"))).rejects.toMatchObject({
      code: "unreadable_image",
    });
  });

  it("refuses a truncated JPEG before OCR", async () => {
    const jpeg = await sharp({
      create: { width: 400, height: 300, channels: 3, background: "#fff" },
    })
      .jpeg()
      .toBuffer();
    await expect(
      prepareImage(new Uint8Array(jpeg.subarray(0, jpeg.length / 2))),
    ).rejects.toMatchObject({
      code: "unreadable_image",
    });
  });

  it("turns EXIF-rotated photos upright and sizes the preview", async () => {
    const sideways = await sharp({
      create: { width: 1200, height: 800, channels: 3, background: "#fff" },
    })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const prepared = await prepareImage(new Uint8Array(sideways));
    expect([prepared.width, prepared.height]).toEqual(
      [800, 1200].map((side) => Math.round(side * 1.25)),
    );
    const preview = await sharp(prepared.preview).metadata();
    expect([preview.width, preview.height, preview.format]).toEqual([
      prepared.width,
      prepared.height,
      "png",
    ]);
  });

  it("scales small scans up and caps huge ones", () => {
    const settings = { maxPixels: 4_000_000, minWidth: 1000, maxUpscale: 2.5 };
    expect(targetSize({ width: 500, height: 1000 }, settings)).toEqual({
      width: 1000,
      height: 2000,
    });
    expect(targetSize({ width: 100, height: 100 }, settings)).toEqual({ width: 250, height: 250 });
    const capped = targetSize({ width: 5000, height: 7000 }, settings);
    expect(capped.width * capped.height).toBeLessThanOrEqual(4_000_000 * 1.001);
  });
});

describe("recognizeImage", () => {
  let worker: Worker;
  beforeAll(async () => {
    worker = await createTesseractWorker();
  });
  afterAll(async () => {
    await worker.terminate();
  });

  it("reads a scanned invoice into lines whose boxes lie on the preview", async () => {
    const fixture = generateInvoice(11, { locale: "en-GB", layout: "classic" });
    const scan = await renderScannedImage(await renderInvoicePdf(fixture), fixture.seed);
    const { page, preview } = await recognizeImage(worker, scan, 3);

    expect(page.number).toBe(3);
    expect(page.source).toBe("ocr");
    expect([preview.width, preview.height]).toEqual([page.width, page.height]);
    expect(page.lines.length).toBeGreaterThan(10);
    for (const line of page.lines) {
      expect(line.confidence).toBeGreaterThanOrEqual(0);
      expect(line.confidence).toBeLessThanOrEqual(1);
      for (const word of line.words) {
        expect(word.box.x).toBeGreaterThanOrEqual(0);
        expect(word.box.y).toBeGreaterThanOrEqual(0);
        expect(word.box.x + word.box.width).toBeLessThanOrEqual(page.width);
        expect(word.box.y + word.box.height).toBeLessThanOrEqual(page.height);
      }
    }
    const text = page.lines.map((line) => line.text).join("\n");
    expect(text).toContain(fixture.truth.supplierName.split(" ")[0]);
  });

  it("throws ExtractError for bytes that are not an image", async () => {
    await expect(recognizeImage(worker, new Uint8Array(), 1)).rejects.toMatchObject({
      code: "empty_image",
    });
  });
});
