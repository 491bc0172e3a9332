/**
 * The date failure classes, on invented text: month names in several languages, a spaced
 * comma, labelled issue dates beating the first date on the page, day/month order.
 */
import { describe, expect, it } from "vitest";
import { buildContext } from "../src/fields/context";
import { detectDateOrder, parseDate } from "../src/fields/dates";
import { findInvoiceDates } from "../src/fields/invoice-dates";
import { pageFromText } from "../src/testing";

const invoiceDate = (lines: string[]) =>
  findInvoiceDates(buildContext([pageFromText(lines)])).invoiceDate?.value ?? null;

describe("month names", () => {
  it("reads Dutch, French, Spanish, Italian and German months", () => {
    expect(parseDate("29 maart 2014", "dmy")).toBe("2014-03-29");
    expect(parseDate("14 oktober 2022", "dmy")).toBe("2022-10-14");
    expect(parseDate("2 juillet 2021", "dmy")).toBe("2021-07-02");
    expect(parseDate("1er février 2023", "dmy")).toBe("2023-02-01");
    expect(parseDate("17 décembre 2020", "dmy")).toBe("2020-12-17");
    expect(parseDate("3 de marzo de 2024", "dmy")).toBe("2024-03-03");
    expect(parseDate("21 settembre 2019", "dmy")).toBe("2019-09-21");
    expect(parseDate("9 giugno 2018", "dmy")).toBe("2018-06-09");
    expect(parseDate("12. Jänner 2025", "dmy")).toBe("2025-01-12");
  });

  it("reads a month-first date with a spaced comma", () => {
    expect(parseDate("August 3 , 2014", "dmy")).toBe("2014-08-03");
    expect(parseDate("March 12,2019", "dmy")).toBe("2019-03-12");
  });
});

describe("the issue date", () => {
  it("prefers a labelled invoice date over a version date printed first", () => {
    const lines = [
      "Layout template version 3.1 of 24.03.2020",
      "Harbor Logistics GmbH",
      "Rechnungsdatum: 05.03.2018",
    ];
    expect(invoiceDate(lines)).toBe("2018-03-05");
  });

  it("reads the date after the title and number ('Rechnung Nr. 17 vom', 'Facture X du')", () => {
    expect(
      invoiceDate(["Stylesheet 2.0 vom 18.10.2018", "Handelsrechnung Nr. 8812 vom 07.02.2019"]),
    ).toBe("2019-02-07");
    expect(invoiceDate(["Facture FA-2020-77 du 13/11/2020"])).toBe("2020-11-13");
  });

  it("does not take an order's date for the invoice's", () => {
    const lines = [
      "Kestrel Trading AG",
      "Gemäß Bestellung vom 01.03.2018",
      "Rechnungsdatum 09.03.2018",
    ];
    expect(invoiceDate(lines)).toBe("2018-03-09");
  });

  it("reads labels in Dutch, Spanish and Italian", () => {
    expect(invoiceDate(["Factuurdatum: 29 maart 2014"])).toBe("2014-03-29");
    expect(invoiceDate(["Fecha de factura: 3 de marzo de 2024"])).toBe("2024-03-03");
    expect(invoiceDate(["Data fattura 21/09/2019"])).toBe("2019-09-21");
  });
});

describe("a date without its year", () => {
  it("takes the year of the document's other dates", () => {
    expect(invoiceDate(["Date : 02 Juillet", "Échéance : 01/08/2021"])).toBe("2021-07-02");
    expect(invoiceDate(["Date : 02 Juillet"])).toBeNull();
  });
});

describe("receipts", () => {
  it("reads a year OCR cut to three digits before a time of day, and no other", () => {
    expect(invoiceDate(["Date  »  D3/D6/017 5:02:54 PM"])).toBe("2017-06-03");
    expect(invoiceDate(["Ref 03/06/017"])).toBeNull();
  });
});

describe("day/month order", () => {
  it("lets one unambiguous date outweigh many euro signs", () => {
    const texts = [
      "Invoice Date 11/03/2017",
      ...Array.from({ length: 12 }, (_, i) => `Item ${i}  12,00 €`),
      "Paid 11/17/2017  623.00 €",
    ];
    expect(detectDateOrder(texts)).toBe("mdy");
  });

  it("stays day-first on a euro invoice with only ambiguous dates", () => {
    expect(detectDateOrder(["Date 03/04/2024", "Total 12,00 €"])).toBe("dmy");
  });
});
