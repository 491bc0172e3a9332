import { describe, expect, it } from "vitest";
import { openPdfReader } from "../src/pdf/read-pdf";
import type { Word } from "../src/types";
import { a4, invoiceLines, textPdf } from "./engine-fixtures";

const pngSignature = [0x89, 0x50, 0x4e, 0x47];
const previewScale = 150 / 72;

function findWord(words: Word[], text: string): Word {
  const word = words.find((candidate) => candidate.text === text);
  if (!word) throw new Error(`no word "${text}" in ${words.map((w) => w.text).join(" ")}`);
  return word;
}

describe("PDF text layer", () => {
  it("reads words into lines with boxes in the preview's pixels", async () => {
    const reader = openPdfReader(await textPdf([invoiceLines]));
    const read = await reader.readPage(1);
    reader.close();
    if (read.kind !== "text") throw new Error("expected a text page");

    const { page, preview } = read;
    expect(page).toMatchObject({ number: 1, source: "text-layer" });
    expect(page.lines.map((line) => line.text)).toEqual([
      "INVOICE",
      "Number INV-2024-0042",
      "Total due 1234.56 EUR",
    ]);
    // A4 at 150 dpi (842 pt × 150 / 72 = 1754.2, rounded out), in the preview's pixel space.
    expect(preview).toMatchObject({ page: 1, width: 1240, height: 1755 });
    expect({ width: page.width, height: page.height }).toEqual({ width: 1240, height: 1755 });
    expect([...preview.png.subarray(0, 4)]).toEqual(pngSignature);

    const words = page.lines.flatMap((line) => line.words);
    expect(words.every((word) => word.confidence === 1)).toBe(true);
    // "Number" starts at x = 72 pt with its baseline at 150 pt, in 18 pt type.
    const number = findWord(words, "Number");
    expect(number.box.x).toBeCloseTo(72 * previewScale, -1);
    expect(number.box.y + number.box.height).toBeGreaterThan(140 * previewScale);
    expect(number.box.y).toBeLessThan(150 * previewScale);
    // A character's quad spans the font's ascent to its descent: a little over its size.
    expect(number.box.height).toBeGreaterThan(18 * previewScale);
    expect(number.box.height).toBeLessThan(18 * 1.5 * previewScale);
    // Words follow each other left to right on their line.
    const amount = findWord(words, "1234.56");
    expect(amount.box.x).toBeGreaterThan(
      findWord(words, "due").box.x + findWord(words, "due").box.width,
    );
  });

  it("reads every page of a multi-page PDF with its own number", async () => {
    const pages = [1, 2, 3].map((n) => [
      ...invoiceLines,
      { text: `Page ${n} of 3`, x: 72, y: 800 },
    ]);
    const reader = openPdfReader(await textPdf(pages));
    expect(reader.pageCount).toBe(3);
    const read = await reader.readPage(3);
    reader.close();
    if (read.kind !== "text") throw new Error("expected a text page");
    expect(read.page.number).toBe(3);
    expect(read.preview.page).toBe(3);
    expect(read.page.lines.at(-1)?.text).toBe("Page 3 of 3");
  });

  it("treats a page with almost no text as a scan and renders it for OCR", async () => {
    const reader = openPdfReader(await textPdf([[{ text: "Page 1", x: 72, y: 800 }]]));
    const read = await reader.readPage(1);
    reader.close();
    expect(read.kind).toBe("scan");
    if (read.kind !== "scan") return;
    expect(read.pageNumber).toBe(1);
    expect([...read.image.subarray(0, 4)]).toEqual(pngSignature);
  });

  it("caps the preview of a poster-sized page", async () => {
    const poster = { width: 4000, height: 4000 };
    const reader = openPdfReader(await textPdf([invoiceLines], poster));
    const read = await reader.readPage(1);
    reader.close();
    if (read.kind !== "text") throw new Error("expected a text page");
    expect(read.preview.width * read.preview.height).toBeLessThanOrEqual(3_000_000);
    // Boxes shrink with the preview: "INVOICE" still starts 72 pt from the left edge.
    const scale = read.preview.width / poster.width;
    expect(read.page.lines[0]?.words[0]?.box.x).toBeCloseTo(72 * scale, -1);
    expect(a4.width).toBeLessThan(poster.width);
  });
});
