/**
 * The sparse pass over what the first pass missed (src/image/bands.ts, src/image/sparse.ts),
 * on invented pixels and lines: which bands are read, and how their lines join the page.
 */
import { describe, expect, it } from "vitest";
import { type GrayImage, maxBands, otsu, uncoveredBands } from "../src/image/bands";
import { mergeSparseReading } from "../src/image/sparse";
import { pageFromText } from "../src/testing";
import type { Line, Page } from "../src/types";

const width = 400;

/** A white page with dark bars (text stand-ins) over the given row ranges. */
function image(height: number, bars: [number, number][]): GrayImage {
  const pixels = new Uint8Array(width * height).fill(235);
  for (const [from, to] of bars) {
    for (let y = from; y < to; y++) pixels.fill(20, y * width + 40, y * width + 240);
  }
  return { pixels, width, height };
}

/** A page whose lines are 20 px tall at the given tops, as the first pass read them. */
function pageWithLines(height: number, tops: number[], confidence = 0.9): Page {
  const lines: Line[] = tops.map((y) => {
    const box = { x: 40, y, width: 200, height: 20 };
    return { text: "ITEM 1.00", box, confidence, words: [{ text: "ITEM", box, confidence }] };
  });
  return { number: 1, width, height, source: "ocr", lines };
}

describe("uncoveredBands", () => {
  it("finds ink where no line was read: a tall heading above the body", () => {
    const page = pageWithLines(600, [200, 240, 280]);
    const pixels = image(600, [
      [40, 100],
      [200, 220],
      [240, 260],
      [280, 300],
    ]);
    const bands = uncoveredBands(pixels, page);
    expect(bands).toHaveLength(1);
    expect(bands[0]?.y).toBeGreaterThanOrEqual(38);
    expect(bands[0]?.y).toBeLessThanOrEqual(42);
    expect(bands[0]?.height).toBeGreaterThanOrEqual(56);
    expect(bands[0]?.width).toBe(width);
  });

  it("ignores rules and specks thinner than a line of text, and a picture taller than a fifth of the page", () => {
    const page = pageWithLines(600, [200, 240, 280]);
    const pixels = image(600, [
      [150, 153],
      [320, 450],
      [200, 220],
    ]);
    expect(uncoveredBands(pixels, page)).toEqual([]);
  });

  it("counts a line read with low confidence as not read", () => {
    const page = pageWithLines(600, [200], 0.3);
    page.lines.push(...pageWithLines(600, [240, 280]).lines);
    const bands = uncoveredBands(image(600, [[200, 220]]), page);
    expect(bands).toHaveLength(1);
  });

  it("reads at most a few bands, topmost first", () => {
    const page = pageWithLines(2000, [1900]);
    const bars: [number, number][] = Array.from({ length: 10 }, (_, i) => [
      100 + i * 150,
      130 + i * 150,
    ]);
    const bands = uncoveredBands(image(2000, bars), page);
    expect(bands).toHaveLength(maxBands);
    expect(bands[0]?.y).toBeLessThan(110);
  });
});

describe("otsu", () => {
  it("splits dark ink from grey paper", () => {
    const pixels = new Uint8Array(1000).fill(200);
    pixels.fill(30, 0, 100);
    const threshold = otsu(pixels);
    expect(threshold).toBeGreaterThan(30);
    expect(threshold).toBeLessThanOrEqual(200);
  });
});

describe("mergeSparseReading", () => {
  it("adds the lines level with nothing read, and keeps every line of the first pass", () => {
    const page = pageFromText(["", "", "", "12 JALAN DUA", "TOTAL 9.00"], { source: "ocr" });
    const sparse = pageFromText(["KEDAI MAJU", "", "", "12 JALAN DUA", "TOTAL 9.00"], {
      source: "ocr",
      confidence: 0.9,
    });
    const merged = mergeSparseReading(page, sparse);
    expect(merged.lines.map((line) => line.text)).toEqual([
      "KEDAI MAJU",
      "12 JALAN DUA",
      "TOTAL 9.00",
    ]);
  });

  it("does not add symbol soup or unsure lines", () => {
    const page = pageFromText(["", "TOTAL 9.00"], { source: "ocr" });
    const soup = pageFromText(["~ |", "TOTAL 9.00"], { source: "ocr" });
    expect(mergeSparseReading(page, soup)).toBe(page);
    const unsure = pageFromText(["KEDAI MAJU", "TOTAL 9.00"], { source: "ocr", confidence: 0.3 });
    expect(mergeSparseReading(page, unsure)).toBe(page);
  });
});
