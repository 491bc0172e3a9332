import type { Extraction, Page } from "@remit/extract";
import { maxLayoutWords } from "@remit/extract/memory";
import { describe, expect, it } from "vitest";
import { toReport } from "../src/report";

/** A page of `rows` lines of ten words each, some drawn partly off the page. */
function page(number: number, rows: number): Page {
  return {
    number,
    width: 1000,
    height: 1400,
    source: "text-layer",
    lines: Array.from({ length: rows }, (_, row) => ({
      text: "",
      box: { x: 0, y: row * 12, width: 1000, height: 10 },
      confidence: 1,
      words: Array.from({ length: 10 }, (_, i) => ({
        text: `p${number}r${row}w${i}`,
        box: { x: i * 100 - 5.4, y: row * 12 + 0.6, width: 80.2, height: 10 },
        confidence: 1,
      })),
    })),
  };
}

function extraction(pages: Page[]): Extraction {
  const none = {
    supplierName: null,
    supplierTaxId: null,
    invoiceNumber: null,
    invoiceDate: null,
    dueDate: null,
    currency: null,
    subtotal: null,
    tax: null,
    total: null,
    amountDue: null,
  };
  return {
    fields: { ...none, lineItems: [] },
    warnings: [],
    pages,
    timings: { totalMs: 1, perPageMs: pages.map(() => 1) },
  };
}

const wordsOf = (p: { lines?: { words: unknown[] }[] }) =>
  (p.lines ?? []).reduce((n, line) => n + line.words.length, 0);

describe("the report's page words, for supplier memory", () => {
  it("carries every word of a short document, clipped to the page in whole pixels", () => {
    const report = toReport(extraction([page(1, 3)]));
    const [first] = report.pages;
    expect(wordsOf(first ?? {})).toBe(30);
    expect(first?.lines?.[0]?.words[0]).toEqual({
      text: "p1r0w0",
      box: { x: 0, y: 1, width: 75, height: 10 },
    });
  });

  it("keeps within the word budget: the first page, then the last, then the others", () => {
    // Five pages of 1,000 words each: 5,000 words against a budget of maxLayoutWords.
    const pages = [1, 2, 3, 4, 5].map((n) => page(n, 100));
    const report = toReport(extraction(pages));
    const counts = report.pages.map(wordsOf);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(maxLayoutWords);
    expect(counts[0]).toBe(1000);
    expect(counts[4]).toBe(1000);
    expect(report.pages.map((p) => p.number)).toEqual([1, 2, 3, 4, 5]);
    // Well under the API's 1 MB request limit.
    expect(JSON.stringify(report).length).toBeLessThan(400_000);
  });
});
