import { describe, expect, it } from "vitest";
import { fromUnits, isIsoDate, isMoney, isQuantity, lineProduct, toUnits } from "../src/index";

describe("money on strings", () => {
  it("reads and writes amounts exactly, without floats", () => {
    expect(toUnits("0.1") + toUnits("0.2")).toBe(toUnits("0.3"));
    expect(fromUnits(toUnits("1234567890123456.78"))).toBe("1234567890123456.78");
    expect(fromUnits(toUnits("-12.5"))).toBe("-12.50");
    expect(fromUnits(toUnits(" 7 "))).toBe("7.00");
  });

  it("rounds quantity × unit price to cents, half away from zero", () => {
    expect(fromUnits(lineProduct("3", "0.3333"))).toBe("1.00"); // 0.9999
    expect(fromUnits(lineProduct("1.5", "2.3450"))).toBe("3.52"); // 3.5175
    expect(fromUnits(lineProduct("1", "0.125"))).toBe("0.13");
    expect(fromUnits(lineProduct("-1", "0.125"))).toBe("-0.13");
    expect(fromUnits(lineProduct("2", "-19.99"))).toBe("-39.98");
  });

  it("tells well-formed values from half-typed ones", () => {
    expect(isMoney("12.50")).toBe(true);
    expect(isMoney("12.")).toBe(false);
    expect(isMoney("12.505")).toBe(false);
    expect(isQuantity("1.2345")).toBe(true);
    expect(isQuantity("abc")).toBe(false);
    expect(isIsoDate("2026-02-28")).toBe(true);
    expect(isIsoDate("2026-02-30")).toBe(false);
    expect(isIsoDate("2026-02")).toBe(false);
  });
});
