import { describe, expect, it } from "vitest";
import { extractFields } from "../src/fields";
import { pageFromText } from "../src/testing";

const malaysianReceipt = pageFromText([
  "BOOK TA.K (TAMAN DAYA) SDN BHD",
  "(789417-W)",
  "NO.5: 55,57 & 59, JALAN SAGU 18,",
  "81100 JOHOR BAHRU, JOHOR.",
  "GST ID NO: 001234567890",
  "TAX INVOICE",
  "Document No : TD01167104",
  "Date : 25/12/2018 8:13:39 PM",
  "Cashier : MANIS",
  "CODE/DESC           PRICE    DISC    AMOUNT",
  "MODELLING CLAY KIDDY FISH",
  "1 PC * 9.00       0.00        9.00",
  "Total :                       9.00",
  "Rounding Adjustment           0.00",
  "Rounded Total (RM):           9.00",
  "CASH                         10.00",
  "CHANGE                        1.00",
  "GOODS SOLD ARE NOT RETURNABLE",
]);

const germanInvoice = pageFromText([
  "Lindenhof Print Works GmbH                      RECHNUNG",
  "Hauptstraße 12, 80331 München",
  "USt-IdNr.: DE123456789",
  "Rechnungsnummer: RE-2024-0042",
  "Rechnungsdatum: 05.03.2024",
  "Zahlbar bis: 04.04.2024",
  "",
  "Beschreibung              Menge   Einzelpreis       Betrag",
  "Toner cartridge black         2      1.250,00 €   2.500,00 €",
  "Label tape 12 mm             10         4,50 €      45,00 €",
  "Zwischensumme                                    2.545,00 €",
  "MwSt. 19 %                                         483,55 €",
  "Gesamtbetrag                                     3.028,55 €",
]);

const usInvoice = pageFromText([
  "Northwind Supplies Inc.                     INVOICE",
  "EIN: 12-3456789",
  "Invoice No.: INV-2024-0007",
  "Invoice Date: 03/04/2024",
  "Due Date: 04/03/2024",
  "Description                    Qty  Unit Price      Amount",
  "Consulting hours                 3    $1,200.00   $3,600.00",
  "Sales Tax (8.25%)                                   $297.00",
  "Subtotal                                          $3,600.00",
  "Total Due                                         $3,897.00",
]);

describe("extractFields on a Malaysian receipt", () => {
  const { fields, warnings } = extractFields([malaysianReceipt]);

  it("finds supplier, tax id, number and date", () => {
    expect(fields.supplierName?.value).toBe("BOOK TA.K (TAMAN DAYA) SDN BHD");
    expect(fields.supplierTaxId?.value).toBe("001234567890");
    expect(fields.invoiceNumber?.value).toBe("TD01167104");
    expect(fields.invoiceDate?.value).toBe("2018-12-25");
    expect(fields.dueDate).toBeNull();
    expect(fields.currency?.value).toBe("MYR");
  });

  it("takes the rounded total, not the cash handed over", () => {
    expect(fields.total?.value).toBe("9.00");
    expect(fields.total?.confidence).toBeGreaterThan(0.8);
    expect(warnings).toEqual([]);
  });

  it("points every field at where it was read", () => {
    const total = fields.total;
    expect(total?.page).toBe(1);
    const totalLine = malaysianReceipt.lines.find((line) => line.text.startsWith("Rounded Total"));
    expect(total?.box?.y).toBe(totalLine?.box.y);
  });
});

describe("extractFields on a German invoice (1.234,56 and DD.MM.YYYY)", () => {
  const { fields, warnings } = extractFields([germanInvoice]);

  it("reads header fields", () => {
    expect(fields.supplierName?.value).toBe("Lindenhof Print Works GmbH");
    expect(fields.supplierTaxId?.value).toBe("DE123456789");
    expect(fields.invoiceNumber?.value).toBe("RE-2024-0042");
    expect(fields.invoiceDate?.value).toBe("2024-03-05");
    expect(fields.dueDate?.value).toBe("2024-04-04");
    expect(fields.currency?.value).toBe("EUR");
  });

  it("reads totals and line items in comma-decimal style", () => {
    expect(fields.subtotal?.value).toBe("2545.00");
    expect(fields.tax?.value).toBe("483.55");
    expect(fields.total?.value).toBe("3028.55");
    expect(
      fields.lineItems.map((item) => [
        item.description.value,
        item.quantity?.value,
        item.unitPrice?.value,
        item.amount?.value,
      ]),
    ).toEqual([
      ["Toner cartridge black", "2", "1250.00", "2500.00"],
      ["Label tape 12 mm", "10", "4.50", "45.00"],
    ]);
    expect(warnings).toEqual([]);
  });
});

describe("extractFields on a US invoice (1,234.56 and MM/DD/YYYY)", () => {
  const { fields } = extractFields([usInvoice]);

  it("reads month-first dates and dollar amounts", () => {
    expect(fields.supplierName?.value).toBe("Northwind Supplies Inc.");
    expect(fields.supplierTaxId?.value).toBe("12-3456789");
    expect(fields.invoiceDate?.value).toBe("2024-03-04");
    expect(fields.dueDate?.value).toBe("2024-04-03");
    expect(fields.currency?.value).toBe("USD");
    expect(fields.subtotal?.value).toBe("3600.00");
    expect(fields.tax?.value).toBe("297.00");
    expect(fields.total?.value).toBe("3897.00");
  });
});

describe("extractFields checks", () => {
  it("warns when the arithmetic or the calendar does not add up", () => {
    const page = pageFromText([
      "Granite Trading Ltd",
      "Invoice Number: SI-2023-0001",
      "Date of Issue: 20/05/2023",
      "Payment Due: 01/05/2023",
      "Description        Qty   Unit Price    Amount",
      "Copy paper A4        2        10.00     20.00",
      "Desk lamp LED        1        30.00     30.00",
      "Subtotal                                60.00",
      "VAT 20%                                 12.00",
      "Amount Due                              75.00",
    ]);
    const { warnings } = extractFields([page]);
    expect(warnings.map((warning) => warning.code).sort()).toEqual([
      "due_date_before_invoice_date",
      "lines_do_not_sum_to_subtotal",
      "subtotal_plus_tax_is_not_total",
    ]);
    expect(warnings.find((w) => w.code === "lines_do_not_sum_to_subtotal")?.message).toBe(
      "The line items add up to 50.00, but the subtotal reads 60.00.",
    );
  });
});

describe("extractFields on malformed input", () => {
  it("proposes nothing for no pages, empty pages and noise", () => {
    for (const pages of [
      [],
      [pageFromText([])],
      [pageFromText(["~~ ;; %% ||", "@@@ ###", "...."], { source: "ocr", confidence: 0.2 })],
    ]) {
      const { fields, warnings } = extractFields(pages);
      expect(fields.total).toBeNull();
      expect(fields.invoiceDate).toBeNull();
      expect(fields.supplierName).toBeNull();
      expect(fields.lineItems).toEqual([]);
      expect(warnings).toEqual([]);
    }
  });

  it("does not take a payment for the total when no total is printed", () => {
    const { fields } = extractFields([
      pageFromText(["KEDAI RUNCIT MAJU", "Item A   3.00", "CASH   50.00", "CHANGE   47.00"]),
    ]);
    expect(fields.total?.value).toBe("3.00");
    expect(fields.total?.confidence).toBeLessThan(0.8);
  });

  it("scales confidence with the OCR's", () => {
    const lines = ["ACME TRADING SDN BHD", "TOTAL   12.00"];
    const sure = extractFields([pageFromText(lines)]).fields.total?.confidence ?? 0;
    const unsure =
      extractFields([pageFromText(lines, { confidence: 0.5 })]).fields.total?.confidence ?? 0;
    expect(unsure).toBeLessThan(sure);
  });
});
