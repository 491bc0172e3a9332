import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExtractor, type Extractor } from "../src/extractor";
import { learnLayout, type SupplierIdentity, type SupplierLayout } from "../src/memory";
import { type TextLine, textPdf } from "./engine-fixtures";

/*
 * ExtractOptions.memory: a real text-layer PDF through the extractor, read a second time with
 * what correcting the first taught. (The API applies memory itself when the worker's report
 * arrives; this is the same code for callers that hold a memory up front.)
 */

let extractor: Extractor;

beforeAll(() => {
  extractor = createExtractor({ poolSize: 1 });
});
afterAll(() => extractor.close());

/** One supplier's layout: the customer number right before the invoice number's label. */
const invoice = (number: string, shift: number): TextLine[] => [
  { text: "Nordlicht Handel GmbH", x: 50, y: 60, size: 16 },
  { text: "USt-IdNr. DE811234567", x: 50, y: 80, size: 9 },
  { text: `Kundennr.: 40917     Vorgang: ${number}`, x: 300, y: 140 + shift, size: 10 },
  { text: "Service item 1                    120,00", x: 50, y: 300 + shift, size: 10 },
  { text: "Zu zahlen: 120,00 EUR", x: 400, y: 360 + shift, size: 11 },
];

describe("ExtractOptions.memory", () => {
  it("reads the next document's remembered fields from memory, source memory", async () => {
    const first = await extractor.extract(
      await textPdf([invoice("V-2025-118", 0)]),
      "application/pdf",
    );
    const { layout } = learnLayout(first.extraction.pages, { invoiceNumber: "V-2025-118" }, [
      "invoiceNumber",
    ]);
    expect(layout.fields.invoiceNumber).toMatchObject({ label: "vorgang", relation: "right" });

    const asked: SupplierIdentity[] = [];
    const memory = (identity: SupplierIdentity): SupplierLayout | null => {
      asked.push(identity);
      return layout;
    };
    const next = await textPdf([invoice("V-2025-131", 24)]);
    const withMemory = await extractor.extract(next, "application/pdf", { memory });
    expect(withMemory.extraction.fields.invoiceNumber).toMatchObject({
      value: "V-2025-131",
      source: "memory",
    });
    // Asked once, with what identifies the supplier (as the rules read it, and the IBANs).
    expect(asked).toHaveLength(1);
    expect(asked[0]?.ibans).toEqual([]);
    const without = await extractor.extract(next, "application/pdf");
    expect(without.extraction.fields.invoiceNumber?.source).not.toBe("memory");
  });
});
