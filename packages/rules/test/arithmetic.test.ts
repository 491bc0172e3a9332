import { describe, expect, it } from "vitest";
import { arithmeticWarnings } from "../src/index";

const consistent = {
  invoiceDate: "2026-03-01",
  dueDate: "2026-03-31",
  subtotal: "100.00",
  taxAmount: "19.00",
  total: "119.00",
};
const lines = [
  { quantity: "2", unitPrice: "30.00", amount: "60.00" },
  { quantity: "1", unitPrice: "40.00", amount: "40.00" },
];

describe("arithmeticWarnings", () => {
  it("finds nothing on a consistent invoice", () => {
    expect(arithmeticWarnings(consistent, lines)).toEqual([]);
  });

  it("names the line whose quantity × unit price is not its amount", () => {
    const wrong = [lines[0] ?? {}, { quantity: "3", unitPrice: "13.3333", amount: "40.10" }];
    expect(
      arithmeticWarnings({ ...consistent, subtotal: "100.10", total: "119.10" }, wrong),
    ).toEqual(["line 2: quantity × unit price is 40.00, amount is 40.10"]);
  });

  it("accepts a line amount rounded to cents", () => {
    const rounded = [{ quantity: "3", unitPrice: "0.3333", amount: "1.00" }];
    expect(arithmeticWarnings({}, rounded)).toEqual([]);
  });

  it("checks that the lines sum to the subtotal", () => {
    expect(
      arithmeticWarnings({ ...consistent, subtotal: "90.00", total: "109.00" }, lines),
    ).toEqual(["line items sum to 100.00, subtotal is 90.00"]);
  });

  it("checks subtotal + tax = total", () => {
    expect(arithmeticWarnings({ ...consistent, total: "120.00" }, lines)).toEqual([
      "subtotal + tax is 119.00, total is 120.00",
    ]);
  });

  it("flags a tax larger than the total", () => {
    expect(arithmeticWarnings({ taxAmount: "150.00", total: "100.00" }, [])).toEqual([
      "tax 150.00 is more than the total 100.00",
    ]);
  });

  it("flags a due date before the invoice date, with both dates", () => {
    expect(arithmeticWarnings({ invoiceDate: "2026-03-10", dueDate: "2026-03-01" }, [])).toEqual([
      "due date 2026-03-01 is before the invoice date 2026-03-10",
    ]);
    expect(arithmeticWarnings({ invoiceDate: "2026-03-10", dueDate: "2026-03-10" }, [])).toEqual(
      [],
    );
  });

  it("reads a consistent credit note (all negative) as consistent", () => {
    const credit = {
      invoiceDate: "2026-03-01",
      subtotal: "-100.00",
      taxAmount: "-19.00",
      total: "-119.00",
    };
    const creditLines = [
      { quantity: "-2", unitPrice: "30.00", amount: "-60.00" },
      { quantity: "1", unitPrice: "-40.00", amount: "-40.00" },
    ];
    expect(arithmeticWarnings(credit, creditLines)).toEqual([]);
  });

  it("compares a credit note's tax and total by size, not sign", () => {
    expect(arithmeticWarnings({ taxAmount: "-150.00", total: "-100.00" }, [])).toEqual([
      "tax -150.00 is more than the total -100.00",
    ]);
    expect(arithmeticWarnings({ taxAmount: "-19.00", total: "-119.00" }, [])).toEqual([]);
  });

  it("skips every check whose values are missing, blank or half typed", () => {
    expect(arithmeticWarnings({}, [])).toEqual([]);
    expect(
      arithmeticWarnings(
        { subtotal: null, taxAmount: "  ", total: "119.", invoiceDate: "2026-03-1", dueDate: "" },
        [
          { quantity: "2", unitPrice: null, amount: "60.00" },
          { quantity: null, unitPrice: "5", amount: "7.00" },
          { quantity: "2", unitPrice: "3", amount: undefined },
          { quantity: "2x", unitPrice: "3", amount: "7.00" },
        ],
      ),
    ).toEqual([]);
  });

  it("sums only the lines that have an amount", () => {
    const partial = [{ amount: "60.00" }, { amount: "" }, { amount: "40.00" }];
    expect(arithmeticWarnings({ subtotal: "100.00" }, partial)).toEqual([]);
  });

  it("reports every broken rule at once, in reading order", () => {
    expect(
      arithmeticWarnings(
        {
          invoiceDate: "2026-03-10",
          dueDate: "2026-03-01",
          subtotal: "10.00",
          taxAmount: "50.00",
          total: "20.00",
        },
        [{ quantity: "1", unitPrice: "5.00", amount: "6.00" }],
      ),
    ).toEqual([
      "line 1: quantity × unit price is 5.00, amount is 6.00",
      "line items sum to 6.00, subtotal is 10.00",
      "subtotal + tax is 60.00, total is 20.00",
      "tax 50.00 is more than the total 20.00",
      "due date 2026-03-01 is before the invoice date 2026-03-10",
    ]);
  });
});
