import { describe, expect, it } from "vitest";
import { invoiceHeader, lineItems, validFieldValue } from "../src";

describe("the invoice field schemas", () => {
  it("accept well-formed values, trimmed, and refuse the rest with a sentence", () => {
    expect(validFieldValue("total", " 119.00 ")).toBe("119.00");
    expect(validFieldValue("total", "1.234")).toBeNull();
    expect(validFieldValue("invoiceDate", "2024-02-30")).toBeNull();
    expect(validFieldValue("currency", "eur")).toBeNull();
    expect(validFieldValue("invoiceNumber", "   ")).toBeNull();
    const parsed = invoiceHeader.safeParse({ total: "12.345", dueDate: "31.03.2024" });
    expect(parsed.success).toBe(false);
    const messages = parsed.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toEqual([
      "dueDate: a date like 2024-03-31 (YYYY-MM-DD)",
      "total: an amount like 1234.50 (at most 2 decimals)",
    ]);
    expect(lineItems.safeParse(Array(501).fill({ description: "x" })).success).toBe(false);
  });
});
