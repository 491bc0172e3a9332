import { describe, expect, it } from "vitest";
import {
  detectDecimalStyle,
  findAmounts,
  normaliseNumber,
  parseAmount,
} from "../src/fields/amounts";

describe("parseAmount", () => {
  it("reads dot-decimal amounts (en-US, en-GB, Malaysia)", () => {
    expect(parseAmount("1,234.56", "dot")).toBe("1234.56");
    expect(parseAmount("RM 12.50", "dot")).toBe("12.50");
    expect(parseAmount("RM12.50", "dot")).toBe("12.50");
    expect(parseAmount("$8.20", "dot")).toBe("8.20");
    expect(parseAmount("£1,000,000.00", "dot")).toBe("1000000.00");
    expect(parseAmount("-13.50", "dot")).toBe("-13.50");
    expect(parseAmount("(4.00)", "dot")).toBe("-4.00");
  });

  it("reads comma-decimal amounts (de-DE, fr-FR)", () => {
    expect(parseAmount("1.234,56", "comma")).toBe("1234.56");
    expect(parseAmount("1 234,56", "comma")).toBe("1234.56");
    expect(parseAmount("1.234,56 €", "comma")).toBe("1234.56");
    expect(parseAmount("€ 12,5", "comma")).toBe("12.50");
    expect(parseAmount("1.234", "comma")).toBe("1234");
  });

  it("reads a comma before two digits as the decimal mark even in a dot document", () => {
    expect(parseAmount("81,50", "dot")).toBe("81.50");
  });

  it("repairs a gap OCR opened after the decimal mark", () => {
    expect(parseAmount("RM 49. 40", "dot")).toBe("49.40");
  });

  it("refuses what is not one amount", () => {
    expect(parseAmount("", "dot")).toBeNull();
    expect(parseAmount("TOTAL", "dot")).toBeNull();
    expect(parseAmount("12.50 14.00", "dot")).toBeNull();
    expect(normaliseNumber("1,23,4.00", "dot")).toBeNull();
  });
});

describe("findAmounts", () => {
  it("finds each amount of a receipt row with its position", () => {
    const text = "1 PC * 9.00 (0.00) 9.00";
    const amounts = findAmounts(text, "dot");
    expect(amounts.map((amount) => amount.value)).toEqual(["1", "9.00", "0.00", "9.00"]);
    expect(amounts.map((amount) => amount.hasCents)).toEqual([false, true, true, true]);
    const last = amounts.at(-1);
    expect(last && text.slice(last.start, last.end)).toBe("9.00");
  });

  it("does not glue a quantity to a price across a space in dot documents", () => {
    expect(findAmounts("2 100.00", "dot").map((amount) => amount.value)).toEqual(["2", "100.00"]);
  });
});

describe("detectDecimalStyle", () => {
  it("votes from the amounts printed", () => {
    expect(detectDecimalStyle(["Zwischensumme 1.234,56 €", "MwSt. 234,57 €"])).toBe("comma");
    expect(detectDecimalStyle(["Subtotal 1,234.56", "Tax 98.77"])).toBe("dot");
    expect(detectDecimalStyle(["no numbers here"])).toBe("dot");
  });
});
