/**
 * Cash rounding, on invented receipts: a rounding line printed above the total makes the total
 * a coin, so a misread cent is outvoted by the sum the adjustment was computed from; a rounding
 * line among the payment lines leaves the printed total alone. Decimal points lost on the
 * small lines still count in those sums.
 */
import { describe, expect, it } from "vitest";
import { extractFields } from "../src/fields";
import { isCoinRounded, roundingAdjustment } from "../src/fields/rounding";
import { pageFromText } from "../src/testing";

const totalOf = (lines: string[]) => extractFields([pageFromText(lines)]).fields.total?.value;
const header = ["KEDAI BATERI MAJU SDN BHD", "Date: 03/02/2019", "Lampu LED  2  20.00  40.00"];

describe("a rounding line above the total", () => {
  it("prefers the sum that rounds to a coin over a total read one cent off", () => {
    expect(
      totalOf([
        ...header,
        "Sub Total (RM)  51.10",
        "GST 6%  3.07",
        "Rounding  -0.02",
        "Total (RM)  54.16",
      ]),
    ).toBe("54.15");
  });

  it("adds the adjustment to a total printed before rounding", () => {
    expect(
      totalOf([
        ...header,
        "Total Incl. GST  18.72",
        "Rounding Adj  -0.02",
        "Total  18.70",
        "Cash  20.00",
        "Change  1.30",
      ]),
    ).toBe("18.70");
  });

  it("reads a tax and rounding line whose decimal point was lost, for the sum only", () => {
    // The total row itself was lost to a smudge: only the sum says what it was.
    const fields = extractFields([
      pageFromText([
        ...header,
        "Total Sales (Excluding GST)  75.17",
        "Total GST  451",
        "Rounding  002",
        "Thank you",
      ]),
    ]).fields;
    expect(fields.total?.value).toBe("79.70");
    // A guessed decimal point is a term of a sum, never the tax field itself.
    expect(fields.tax).toBeNull();
  });

  it("leaves a total alone when nothing on the page rounds", () => {
    expect(totalOf([...header, "Sub Total  40.00", "GST 6%  2.41", "Total  42.41"])).toBe("42.41");
  });
});

describe("a rounding line among the payment lines", () => {
  it("keeps the total as printed; the cash paid was rounded, not the total", () => {
    expect(
      totalOf([
        ...header,
        "SUBTOTAL  29.96",
        "TOTAL (GST INCL)  29.96",
        "CASH  50.00",
        "ROUNDING ADJUSTMENT  -0.01",
        "CHANGE DUE  20.05",
      ]),
    ).toBe("29.96");
  });
});

describe("rounding helpers", () => {
  const row = (index: number) => ({ page: 1, index });
  it("knows coins", () => {
    expect([5, 10, 1250, 0].every(isCoinRounded)).toBe(true);
    expect([1, 4, 1251].some(isCoinRounded)).toBe(false);
  });

  it("takes an adjustment of a few cents, not a row that prints the rounded total", () => {
    expect(roundingAdjustment([{ kind: "rounding", value: "-0.03", row: row(1) }])).toBe(-3);
    expect(roundingAdjustment([{ kind: "rounding", value: "0.40", row: row(1) }])).toBeNull();
    expect(
      roundingAdjustment([
        { kind: "total", value: "9.98", row: row(1) },
        { kind: "rounding", value: "0.02", row: row(2) },
      ]),
    ).toBeNull();
  });
});
