/**
 * The invoice-number failure classes, on invented text: labels in six languages, a title
 * compounded or qualified before "Nr.", the title followed by the number with no colon, "#"
 * under the title, the value below its label, and the numbers that are not the invoice's.
 */
import { describe, expect, it } from "vitest";
import { buildContext } from "../src/fields/context";
import { findInvoiceNumber } from "../src/fields/invoice-number";
import { pageFromText } from "../src/testing";

const numberOf = (lines: string[]) =>
  findInvoiceNumber(buildContext([pageFromText(lines)]))?.value ?? null;

describe("invoice number labels", () => {
  it.each([
    ["Rechnungsnummer: RE-7781", "RE-7781"],
    ["Rechnung Nr. 2231-B", "2231-B"],
    ["Rechnungs-Nr.: 90001", "90001"],
    ["Facture n° F2024-118", "F2024-118"],
    ["N° de facture : 44871", "44871"],
    ["Numéro de facture 2024/0099", "2024/0099"],
    ["Factuurnummer: 20240513", "20240513"],
    ["Factuur nr. NL-4410", "NL-4410"],
    ["Número de factura: A-2024-15", "A-2024-15"],
    ["Nº factura 7730", "7730"],
    ["Fattura n. 118/2024", "118/2024"],
    ["Numero fattura: FT-0042", "FT-0042"],
    ["Invoice # 55102", "55102"],
  ])("reads %s", (line, expected) => {
    expect(numberOf(["Meridian Consulting Ltd", line])).toBe(expected);
  });

  it("reads a title compounded, qualified or coded before Nr.", () => {
    expect(numberOf(["Handelsrechnung (380) Nr. 884120 vom 05.03.2018"])).toBe("884120");
    expect(numberOf(["Schlussrechnung Bau (877) Nr. 3312 vom 25.04.2018"])).toBe("3312");
    expect(numberOf(["Rechnung des Lieferanten (380) Nr. 12.345-9 vom 06.12.2018"])).toBe(
      "12.345-9",
    );
  });

  it("reads the title followed by the number with no colon", () => {
    expect(numberOf(["Granite Hardware LLC", "Invoice INV/2024/001"])).toBe("INV/2024/001");
    expect(numberOf(["Au petit marché SARL", "Facture FA-2019-0042"])).toBe("FA-2019-0042");
  });

  it("does not read a date after the title as the number", () => {
    expect(numberOf(["Beitragsrechnung  24. Januar 2014"])).toBeNull();
    expect(numberOf(["Invoice 12/03/2024"])).toBeNull();
  });

  it("reads '#' under the title", () => {
    expect(numberOf(["Oakridge Studio LLC", "INVOICE", "# 10482", "Date: 01/02/2024"])).toBe(
      "10482",
    );
  });

  it("reads the value under a column heading", () => {
    expect(numberOf(["Invoice Number      Invoice Date", "A-99812             01/02/2024"])).toBe(
      "A-99812",
    );
  });

  it("does not take order, customer or reference numbers", () => {
    expect(numberOf(["Order No: PO-7781", "Customer No: 55120", "Reference: X-1"])).toBeNull();
    expect(numberOf(["Rechnung zur Bestellung Nr. 4471", "Rechnungsnummer: 2024-0815"])).toBe(
      "2024-0815",
    );
  });
});
