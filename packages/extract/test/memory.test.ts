import { describe, expect, it } from "vitest";
import {
  applyLayout,
  findIbans,
  learnField,
  learnLayout,
  memoryConfidence,
  readField,
} from "../src/memory";
import { pageFromText } from "../src/testing/page-from-text";
import type { ExtractedField } from "../src/types";

/*
 * Learning and reading a supplier's layout on invented pages (pageFromText: 10 px a
 * character, 24 px a line). The values differ from one document to the next; the layout is
 * what carries over.
 */

const pad = (n: number) => Array.from({ length: n }, () => "");

function rightOfLabel(number: string, date: string, total: string) {
  return pageFromText([
    "ACME Werkzeuge GmbH                          Rechnung",
    `Kunde: 4711           Beleg-Nr.: ${number}`,
    `Datum: ${date}`,
    ...pad(6),
    "Pos  Artikel                Menge   Betrag",
    `1    Hammer                 2       ${total}`,
    ...pad(6),
    `                                 Endbetrag EUR   ${total}`,
  ]);
}

function belowLabel(number: string, date: string) {
  return pageFromText([
    "Nordic Paper AB",
    ...pad(2),
    "Order ref    Document no.    Issued",
    `PO-88        ${number.padEnd(16)}${date}`,
    ...pad(10),
    "Total due 120.00",
  ]);
}

const field = (value: string): ExtractedField => ({
  value,
  source: "text-layer",
  confidence: 0.5,
  page: 1,
  box: null,
});

describe("learning a supplier's layout", () => {
  it("learns a label printed left of the value on the same row", () => {
    const layout = learnField(
      [rightOfLabel("A-1001", "03.02.2025", "1.234,50")],
      "invoiceNumber",
      "A-1001",
    );
    expect(layout).toMatchObject({
      label: "beleg nr",
      relation: "right",
      zone: "top-centre",
      words: 1,
    });
  });

  it("learns the date order and the decimal style the supplier uses", () => {
    const page = rightOfLabel("A-1001", "03.02.2025", "1.234,50");
    expect(learnField([page], "invoiceDate", "2025-02-03")).toMatchObject({
      label: "datum",
      relation: "right",
      format: "dmy",
    });
    expect(learnField([page], "total", "1234.50")).toMatchObject({
      // "EUR 1.234,50" is the value: the currency goes with the amount.
      label: "endbetrag",
      relation: "right",
      format: "comma",
      zone: "bottom-centre",
      words: 2,
    });
  });

  it("learns a label printed above the value", () => {
    const layout = learnField(
      [belowLabel("INV/2025/07", "2025-03-01")],
      "invoiceNumber",
      "INV/2025/07",
    );
    expect(layout).toMatchObject({ label: "document no", relation: "below", zone: "top-centre" });
  });

  it("learns nothing when the value is not on the page, and forgets what misled", () => {
    const page = rightOfLabel("A-1001", "03.02.2025", "1.234,50");
    expect(learnField([page], "invoiceNumber", "Z-999")).toBeNull();
    const first = learnLayout([page], { invoiceNumber: "A-1001" }, ["invoiceNumber"]);
    expect(first.learned).toEqual(["invoiceNumber"]);
    const again = learnLayout([page], { invoiceNumber: "Z-999" }, ["invoiceNumber"], first.layout);
    expect(again.forgotten).toEqual(["invoiceNumber"]);
    expect(again.layout.fields.invoiceNumber).toBeUndefined();
  });
});

describe("reading with a supplier's memory", () => {
  it("reads the next document's number right of the memorised label", () => {
    const { layout } = learnLayout(
      [rightOfLabel("A-1001", "03.02.2025", "1.234,50")],
      { invoiceNumber: "A-1001", invoiceDate: "2025-02-03", total: "1234.50" },
      ["invoiceNumber", "invoiceDate", "total"],
    );
    const next = [rightOfLabel("A-1077", "11.03.2025", "98,00")];
    const { fields, remembered } = applyLayout(
      {
        invoiceNumber: field("4711"),
        invoiceDate: null as ExtractedField | null,
        total: field("98.00"),
      },
      next,
      layout,
    );
    expect(remembered).toEqual(["invoiceNumber", "invoiceDate", "total"]);
    expect(fields.invoiceNumber).toMatchObject({
      value: "A-1077",
      source: "memory",
      confidence: memoryConfidence.inZone,
      page: 1,
    });
    expect(fields.invoiceNumber?.box).toEqual({ x: 350, y: 44, width: 60, height: 16 });
    expect(fields.invoiceDate?.value).toBe("2025-03-11");
    expect(fields.total?.value).toBe("98.00");
  });

  it("reads the value under the memorised label", () => {
    const layout = learnField(
      [belowLabel("INV/2025/07", "2025-03-01")],
      "invoiceNumber",
      "INV/2025/07",
    );
    expect(layout).not.toBeNull();
    if (!layout) return;
    expect(
      readField([belowLabel("INV/2025/19", "2025-04-01")], "invoiceNumber", layout),
    ).toMatchObject({
      value: "INV/2025/19",
      source: "memory",
    });
  });

  it("prefers the label nearest the memorised zone and says so in the confidence", () => {
    const layout = learnField(
      [rightOfLabel("A-1001", "03.02.2025", "1,00")],
      "invoiceNumber",
      "A-1001",
    );
    if (!layout) throw new Error("not learned");
    // The same label twice: in the header, and at the foot (a reminder of an older invoice).
    const page = pageFromText([
      "ACME Werkzeuge GmbH                          Rechnung",
      "Kunde: 4711           Beleg-Nr.: A-2002",
      ...pad(20),
      "Beleg-Nr.: A-0001",
    ]);
    expect(readField([page], "invoiceNumber", layout)).toMatchObject({
      value: "A-2002",
      confidence: memoryConfidence.inZone,
    });
    const moved = pageFromText([...pad(20), "Beleg-Nr.: A-3003"]);
    expect(readField([moved], "invoiceNumber", layout)).toMatchObject({
      value: "A-3003",
      confidence: memoryConfidence.elsewhere,
    });
  });

  it("leaves the rules' value when the label is missing or its value does not parse", () => {
    const { layout } = learnLayout(
      [rightOfLabel("A-1001", "03.02.2025", "1.234,50")],
      { invoiceNumber: "A-1001", invoiceDate: "2025-02-03" },
      ["invoiceNumber", "invoiceDate"],
    );
    const other = pageFromText(["Invoice 5", "Datum: soon", "Number: A-1"]);
    const rules = { invoiceNumber: field("5"), invoiceDate: field("2025-01-01") };
    const { fields, remembered } = applyLayout(rules, [other], layout);
    expect(remembered).toEqual([]);
    expect(fields).toEqual(rules);
  });

  it("never replaces a value read from the document's e-invoice data", () => {
    const { layout } = learnLayout(
      [rightOfLabel("A-1001", "03.02.2025", "1.234,50")],
      { invoiceNumber: "A-1001" },
      ["invoiceNumber"],
    );
    const fromXml = { ...field("X-1"), source: "e-invoice" as const };
    const { fields } = applyLayout(
      { invoiceNumber: fromXml },
      [rightOfLabel("A-2", "01.01.2025", "1,00")],
      layout,
    );
    expect(fields.invoiceNumber).toBe(fromXml);
  });
});

describe("a currency printed after its amount", () => {
  it("is learned with the label before the amount, and read past the next amount", () => {
    const first = pageFromText(["Nordic AB", "", "Att betala: 1 234,50 SEK"]);
    const layout = learnField([first], "currency", "SEK");
    expect(layout).toMatchObject({ label: "att betala", relation: "right", afterAmount: true });
    if (!layout) return;
    const next = pageFromText(["Nordic AB", "", "Att betala: 99,00 SEK"]);
    expect(readField([next], "currency", layout)).toMatchObject({ value: "SEK", source: "memory" });
  });
});

describe("a label glued to its value", () => {
  it("is split at the colon, learned and read", () => {
    const layout = learnField(
      [pageFromText(["ACME", "Rechnungsnr.:R-5501"])],
      "invoiceNumber",
      "R-5501",
    );
    expect(layout).toMatchObject({ label: "rechnungsnr", relation: "right" });
    if (!layout) return;
    expect(
      readField([pageFromText(["ACME", "Rechnungsnr.:R-5620"])], "invoiceNumber", layout),
    ).toMatchObject({
      value: "R-5620",
      box: { x: 150, y: 44, width: 60, height: 16 },
    });
  });
});

describe("IBANs", () => {
  it("finds printed IBANs that pass the check digits", () => {
    const page = pageFromText([
      "IBAN: DE89 3704 0044 0532 0130 00   BIC COBADEFFXXX",
      "Not an IBAN: DE00 3704 0044 0532 0130 00",
    ]);
    expect(findIbans([page])).toEqual(["DE89370400440532013000"]);
  });
});
