import { describe, expect, it } from "vitest";
import { extractFields } from "../src/fields";
import { classifyLabel } from "../src/fields/total-labels";
import { pageFromText } from "../src/testing";
import type { Line, Page } from "../src/types";

/** A second reading of line `index` of `page`: `text` laid over the same row. */
function reread(page: Page, index: number, text: string, confidence = 0.9): Line {
  const original = page.lines[index];
  if (!original) throw new Error(`no line ${index}`);
  const [line] = pageFromText([text], { confidence }).lines;
  if (!line) throw new Error("empty re-read");
  const shift = (box: Line["box"]) => ({ ...box, y: original.box.y });
  return {
    ...line,
    box: { ...shift(line.box), y: original.box.y - 4, height: original.box.height + 8 },
    words: line.words.map((word) => ({ ...word, box: shift(word.box) })),
  };
}

function withRereads(page: Page, rereads: Line[]): Page {
  return { ...page, source: "ocr", rereads };
}

const receipt = [
  "KEDAI MAJU SDN BHD",
  "12 JALAN BESAR",
  "SUBTOTAL              95.17",
  "GST 6%                 5.71",
  "TOTAL INCL GST       100.80",
  "CASH                 101.00",
];

describe("totals with re-read rows", () => {
  it("takes the amount most readings of the total row agree on", () => {
    const page = pageFromText(receipt, { confidence: 0.8 });
    expect(extractFields([page]).fields.total?.value).toBe("100.80");
    const fixed = withRereads(page, [
      reread(page, 4, "TOTAL INCL GST       100.90"),
      reread(page, 4, "TOTAL INCL GST       100.90"),
    ]);
    expect(extractFields([fixed]).fields.total?.value).toBe("100.90");
  });

  it("finds the amount a first reading lost in letters", () => {
    const page = pageFromText(["SUBTOTAL   10.94", "TOTAL      11.6L", "GST         0.66"]);
    const fixed = withRereads(page, [reread(page, 1, "| TOTAL      11.60")]);
    expect(extractFields([fixed]).fields.total?.value).toBe("11.60");
  });

  it("keeps the first reading when a second only loses a leading digit", () => {
    const page = pageFromText(
      [
        "SUBTOTAL              36.20",
        "TOTAL (GST INCL)      38.37",
        "CASH                  40.35",
        "CHANGE                 2.00",
      ],
      { confidence: 0.7 },
    );
    const rereads = [1, 2, 3].map(() => reread(page, 1, "TOTAL (GST INCL)       8.37"));
    expect(extractFields([withRereads(page, rereads)]).fields.total?.value).toBe("38.37");
  });

  it("ignores re-reads of rows that are not totals, and readings without both cents", () => {
    const page = pageFromText(receipt);
    const noise = withRereads(page, [
      reread(page, 2, "SUBTOTAL              99.99"),
      reread(page, 4, "TOTAL INCL GST        10.9"),
    ]);
    expect(extractFields([noise]).fields.total?.value).toBe("100.80");
  });
});

describe("supplier name with re-read rows", () => {
  it("replaces a word when three readings agree on another text", () => {
    const page = pageFromText(["GARDERIA BAKERIES (KL) SDN BHD", "LOT 3 JALAN PETALING"]);
    const three = [1, 2, 3].map(() => reread(page, 0, "GARDENIA BAKERIES (KL) SDN BHD"));
    expect(extractFields([withRereads(page, three)]).fields.supplierName?.value).toBe(
      "GARDENIA BAKERIES (KL) SDN BHD",
    );
  });

  it("keeps the first reading when the readings disagree", () => {
    const page = pageFromText(["SANYU STATIONERY SHOP", "NO. 31G JALAN SETIA"]);
    const split = [
      reread(page, 0, "SANYO STATIONERY SHOP"),
      reread(page, 0, "SANYO STATIONERY SHOP"),
      reread(page, 0, "SANYU STATIONERY SHOP"),
    ];
    expect(extractFields([withRereads(page, split)]).fields.supplierName?.value).toBe(
      "SANYU STATIONERY SHOP",
    );
  });
});

describe("total labels as OCR prints them", () => {
  it("reads (GST INCL) after TOTAL as a total, and what is included in it as tax", () => {
    expect(classifyLabel("TOTAL <GST INCL)")).toBe("payable");
    expect(classifyLabel("TOTAL (GST INCL)")).toBe("payable");
    expect(classifyLabel("BST @6% included in total")).toBe("tax");
    expect(classifyLabel("{HANGE CASH")).toBe("change");
    expect(classifyLabel("Exchange rate")).toBeNull();
  });
});

describe("a re-read that garbles a tax label", () => {
  it("keeps the first reading's tax line a tax line", () => {
    const lines = [
      "KEDAI ROTI S/B",
      "Kaya puff  4  1.40  5.60",
      "Items 8  25.15",
      "(Total Included GST @ 6% : 1.42)",
    ];
    const page = pageFromText(lines, { confidence: 0.8 });
    const garbled = withRereads(page, [reread(page, 3, "(Total Included 6ST @ 6% : 1.42)")]);
    expect(extractFields([garbled]).fields.total?.value).not.toBe("1.42");
  });
});

describe("dates with re-read rows", () => {
  const till = [
    "KEDAI MAJU SDN BHD",
    "12 JALAN BESAR",
    "CB#: 4411   21/09/2011 10:20:37 AM",
    "TOTAL                 10.40",
  ];

  it("takes the date two readings agree on over a misread year", () => {
    const page = pageFromText(till, { confidence: 0.8 });
    expect(extractFields([page]).fields.invoiceDate?.value).toBe("2011-09-21");
    const fixed = withRereads(page, [
      reread(page, 2, "CB#: 4411   21/09/2017 10:20:37 AM"),
      reread(page, 2, "CB#: 4411 21/09/2017 10:20:37 AM"),
      reread(page, 2, "CB#: 4411   21/O9/2O1"),
    ]);
    expect(extractFields([fixed]).fields.invoiceDate?.value).toBe("2017-09-21");
  });

  it("keeps the first reading when a single re-read disagrees", () => {
    const page = pageFromText(till, { confidence: 0.8 });
    const one = withRereads(page, [reread(page, 2, "CB#: 4411   21/08/2011 10:20:37 AM")]);
    expect(extractFields([one]).fields.invoiceDate?.value).toBe("2011-09-21");
  });

  it("reads the date from a re-read when the first reading garbled it beyond a date", () => {
    const garbled = ["KEDAI MAJU SDN BHD", "CB#: 4411 21002017 10:2037 AM", "TOTAL   10.40"];
    const page = pageFromText(garbled, { confidence: 0.8 });
    expect(extractFields([page]).fields.invoiceDate).toBeNull();
    const fixed = withRereads(page, [reread(page, 1, "CB#: 4411 21/09/2017 10:20:37 AM")]);
    expect(extractFields([fixed]).fields.invoiceDate?.value).toBe("2017-09-21");
  });

  it("does not take a re-read due date for the issue date", () => {
    const page = pageFromText(["KEDAI MAJU SDN BHD", "Due: 3O/O9/2O17", "TOTAL 10.40"]);
    const fixed = withRereads(page, [reread(page, 1, "Due: 30/09/2017")]);
    expect(extractFields([fixed]).fields.invoiceDate).toBeNull();
  });
});

describe("a name the first pass cut short", () => {
  const lines = ["KEDAI BUKU RIA CO.", "12 JALAN DUA", "TOTAL   9.00"];

  it("completes it with a legal form two second readings agree on past its end", () => {
    const page = pageFromText(lines, { confidence: 0.8 });
    const fixed = withRereads(page, [
      reread(page, 0, "KEDAI BUKU RIA CO. (M) SDN BHD"),
      reread(page, 0, "KEDAI BUKU RIA C0. (M) SDN BHD |"),
      reread(page, 0, "KEDAI BUKU RIA CO GMESTN BHD."),
    ]);
    expect(extractFields([fixed]).fields.supplierName?.value).toBe(
      "KEDAI BUKU RIA CO. (M) SDN BHD",
    );
  });

  it("keeps it when one reading alone, or readings without a legal form, run on", () => {
    const page = pageFromText(lines, { confidence: 0.8 });
    const one = withRereads(page, [reread(page, 0, "KEDAI BUKU RIA CO. (M) SDN BHD")]);
    expect(extractFields([one]).fields.supplierName?.value).toBe("KEDAI BUKU RIA CO.");
    const noForm = withRereads(page, [
      reread(page, 0, "KEDAI BUKU RIA CO. CAWANGAN"),
      reread(page, 0, "KEDAI BUKU RIA CO. CAWANGAN"),
    ]);
    expect(extractFields([noForm]).fields.supplierName?.value).toBe("KEDAI BUKU RIA CO.");
  });
});

describe("a tax line whose tax word the first reading garbled", () => {
  it("is the tax when a second reading names it so, not a total", () => {
    const page = pageFromText(
      [
        "KEDAI MAJU SDN BHD",
        "Roti bakar  2  6.00  12.00",
        "TOTAL      12.00",
        "CASH       20.00",
        "CHANGE      8.00",
        "GST SUMMARY",
        "TAY TOTAL:   0.68",
      ],
      { confidence: 0.8 },
    );
    const fixed = withRereads(page, [reread(page, 6, "TAX TOTAL:   0.68")]);
    const fields = extractFields([fixed]).fields;
    expect(fields.total?.value).toBe("12.00");
    expect(fields.tax?.value).toBe("0.68");
  });
});
