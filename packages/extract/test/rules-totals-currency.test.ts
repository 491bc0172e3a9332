/**
 * The totals and currency failure classes, on invented text: credit notes negative, the
 * amount due after prepayments apart from the total, and currencies from symbols and local
 * abbreviations, with no currency where nothing says which.
 */
import { describe, expect, it } from "vitest";
import { extractFields } from "../src/fields";
import { classifyLabel } from "../src/fields/total-labels";
import { pageFromText } from "../src/testing";

const fieldsOf = (lines: string[]) => extractFields([pageFromText(lines)]).fields;
const body = Array.from({ length: 6 }, (_, i) => `Widget ${i + 1}      2      10,00 €`);

describe("credit notes", () => {
  it("keeps a credit note printed negative negative", () => {
    const fields = fieldsOf([
      "Petit Moulin SARL - capital de 50 000,00 €",
      "Avoir AV-2023-0012",
      ...body,
      "Total HT  -100,00 €",
      "TVA 20%  -20,00 €",
      "Total TTC  -120,00 €",
    ]);
    expect(fields.total?.value).toBe("-120.00");
  });

  it("makes a credit note titled so with positive amounts negative", () => {
    const fields = fieldsOf([
      "Granite Supplies Ltd",
      "CREDIT NOTE",
      "Credit note no: CN-118",
      "Subtotal          100.00",
      "VAT 20%            20.00",
      "Total             120.00",
    ]);
    expect(fields.total?.value).toBe("-120.00");
  });

  it("leaves a self-billed Gutschrift positive", () => {
    const fields = fieldsOf([
      "Gutschrift (selbst ausgestellte Rechnung) Nr. 77",
      "Nettobetrag       100,00 €",
      "MwSt. 19 %         19,00 €",
      "Gesamtbetrag      119,00 €",
    ]);
    expect(fields.total?.value).toBe("119.00");
  });
});

describe("tax lines that name a total", () => {
  it("reads 'Total Included GST @ 6% : 1.42' as the tax, not the total", () => {
    const fields = fieldsOf([
      "KEDAI ROTI SDN BHD",
      "Kaya puff  4  1.40  5.60",
      "Total  25.15",
      "Cash  30.00",
      "Change  4.85",
      "(Total Included GST @ 6% : 1.42)",
    ]);
    expect(fields.total?.value).toBe("25.15");
  });
});

describe("total labels in Dutch, Italian and Spanish", () => {
  it.each([
    ["Subtotaal  € 100,00", "BTW 21%  € 21,00", "Totaal  € 121,00"],
    ["Imponibile  € 100,00", "IVA 22%  € 22,00", "Totale documento  € 122,00"],
    ["Base imponible  100,00 €", "IVA 21%  21,00 €", "Importe total  121,00 €"],
  ])("reads %s / %s / %s", (subtotal, tax, total) => {
    const fields = fieldsOf(["Cobalt Labs B.V.", subtotal, tax, total]);
    expect(fields.total?.value).toBe(/(\d+),00/.exec(total)?.[1]?.concat(".00"));
    expect(fields.subtotal?.value).toBe("100.00");
  });
});

describe("totals that name the tax they include, beyond English", () => {
  it.each([
    ["Summe netto: 200,00 €", "Zuzügl. USt: 38,00 €", "Summe inkl. USt: 238,00 €", "238.00"],
    ["Subtotaal  € 200,00", "BTW 21%  € 42,00", "Totaal incl. btw  € 242,00", "242.00"],
    ["Imponibile  200,00 €", "IVA 22%  44,00 €", "Totale IVA inclusa  244,00 €", "244.00"],
    ["Nettobetrag  200,00 €", "MwSt. 19%  38,00 €", "Betrag inkl. 19% MwSt  238,00 €", "238.00"],
    ["Montant HT  200,00 €", "TVA 20 %  40,00 €", "Montant TTC  240,00 €", "240.00"],
  ])("reads %s / %s / %s as a total, not a tax line", (subtotal, tax, total, expected) => {
    // A column heading that names the tax rate and an amount column sits above the lines.
    const fields = fieldsOf([
      "Harbor Tools GmbH",
      "#  Produkt  USt  Einzelpreis  Summe",
      "1  Schraubensatz  19%  120,00 €  120,00 €",
      "2  Winkel  19%  80,00 €  80,00 €",
      subtotal,
      tax,
      total,
    ]);
    expect(fields.total?.value).toBe(expected);
  });

  it("still reads the tax itself as tax: 'Totale IVA', 'IVA inclusa nel totale'", () => {
    expect(classifyLabel("Totale IVA")).toBe("tax");
    expect(classifyLabel("IVA 22% inclusa nel totale")).toBe("tax");
    expect(classifyLabel("GST 6% included in total")).toBe("tax");
  });
});

describe("amount due after prepayments", () => {
  /** A German invoice's foot: net, tax, gross, then one line between the gross and the amount due. */
  const germanFoot = (net: string, tax: string, gross: string, between: string, due: string) =>
    fieldsOf([
      "Harbor Engineering GmbH",
      "Rechnung Nr. 5512",
      ...body,
      `Rechnungssumme ohne USt.  ${net}`,
      `Steuerbetrag  ${tax}`,
      `Bruttosumme  ${gross}`,
      between,
      `Zahlbetrag  ${due}`,
    ]);

  it("keeps the gross total as the total and the rest as amountDue", () => {
    const fields = germanFoot(
      "160,00",
      "30,40",
      "190,40",
      "Erhaltene Anzahlungen  -50,00",
      "140,40",
    );
    expect(fields.total?.value).toBe("190.40");
    expect(fields.amountDue?.value).toBe("140.40");
  });

  it("reads 'Solde à payer' beside a payment table heading", () => {
    const fields = fieldsOf([
      "Total TTC  671,15 €",
      "Règlement  Date  Montant  Solde à payer  470,15 €",
      "Virement  05/11/2017  201,00 €",
    ]);
    expect(fields.total?.value).toBe("671.15");
    expect(fields.amountDue?.value).toBe("470.15");
  });

  it("keeps arrears carried onto the invoice out of the total", () => {
    const fields = germanFoot("310,00", "0,00", "310,00", "Offene Zahlungen  95,50", "405,50");
    expect(fields.total?.value).toBe("310.00");
    expect(fields.amountDue?.value).toBe("405.50");
    const english = fieldsOf([
      "Invoice total  120.00",
      "Previous balance  30.00",
      "Amount due  150.00",
    ]);
    expect(english.total?.value).toBe("120.00");
    expect(english.amountDue?.value).toBe("150.00");
  });

  it("does not split on an arrears line that does not add up", () => {
    const fields = fieldsOf([
      "Invoice total  120.00",
      "Previous balance  0.00",
      "Amount due  120.00",
    ]);
    expect(fields.total?.value).toBe("120.00");
    expect(fields.amountDue).toBeNull();
    const unrelated = fieldsOf(["Invoice total  120.00", "Arrears  12.00", "Amount due  150.00"]);
    expect(unrelated.amountDue).toBeNull();
  });

  it("leaves amountDue empty without a prepayment", () => {
    const fields = fieldsOf(["Subtotal  100.00", "Tax  8.00", "Amount due  108.00"]);
    expect(fields.total?.value).toBe("108.00");
    expect(fields.amountDue).toBeNull();
  });
});

describe("currency", () => {
  const currencyOf = (lines: string[]) => fieldsOf(lines).currency?.value ?? null;

  it("reads symbols and local abbreviations", () => {
    expect(currencyOf(["TOTAL RM 12.50"])).toBe("MYR");
    expect(currencyOf(["Total Rs. 450.00"])).toBe("INR");
    expect(currencyOf(["Total ₹ 450.00"])).toBe("INR");
    expect(currencyOf(["Razem 123,45 zł"])).toBe("PLN");
    expect(currencyOf(["Celkem 1 200,00 Kč"])).toBe("CZK");
    expect(currencyOf(["Total CHF 88.00"])).toBe("CHF");
    expect(currencyOf(["Betrag Fr. 88.50"])).toBe("CHF");
  });

  it("reads kr by the country it is printed in", () => {
    expect(currencyOf(["Butik AB, Storgatan 1, Sverige", "Totalt 250,00 kr"])).toBe("SEK");
    expect(currencyOf(["Butik ApS, Danmark", "I alt 250,00 kr"])).toBe("DKK");
    expect(currencyOf(["Totalt 250,00 kr"])).toBeNull();
  });

  it("does not read opening hours as francs", () => {
    expect(currencyOf(["Mo.-Fr. 08.30 - 12.30 Uhr", "Summe 12,00"])).toBeNull();
  });

  it("leaves the currency empty without evidence; no yen, but ringgit, on a Malaysian receipt", () => {
    expect(currencyOf(["Total 12.00"])).toBeNull();
    expect(currencyOf(["KEDAI MAJU SDN BHD", "JALAN KENARI 3", "¥ 12.00", "TOTAL 12.00"])).toBe(
      "MYR",
    );
  });
});
