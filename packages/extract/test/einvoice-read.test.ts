import { describe, expect, it } from "vitest";
import { readEInvoiceXml } from "../src/einvoice/read";
import { renderEInvoiceHtml } from "../src/einvoice/render";
import { createExtractor } from "../src/extractor";
import type { InvoiceFields } from "../src/types";
import { generateXml, invoiceData, type SampleInvoice, sample } from "./einvoice-fixtures";

const utf8 = (text: string) => new TextEncoder().encode(text);

function values(fields: InvoiceFields) {
  return {
    supplierName: fields.supplierName?.value,
    supplierTaxId: fields.supplierTaxId?.value,
    invoiceNumber: fields.invoiceNumber?.value,
    invoiceDate: fields.invoiceDate?.value,
    dueDate: fields.dueDate?.value,
    currency: fields.currency?.value,
    subtotal: fields.subtotal?.value,
    tax: fields.tax?.value,
    total: fields.total?.value,
    amountDue: fields.amountDue?.value,
  };
}

const expected = (s: SampleInvoice = sample) => ({
  supplierName: s.seller,
  supplierTaxId: s.sellerVatId,
  invoiceNumber: s.number,
  invoiceDate: s.issueDate,
  dueDate: s.dueDate,
  currency: s.currency,
  subtotal: "130.00",
  tax: "21.10",
  total: "151.10",
  amountDue: "131.10",
});

describe("standalone e-invoice XML from another implementation's generator", () => {
  it.each([
    ["CII", "CII", "urn:cen.eu:en16931:2017", "Factur-X / ZUGFeRD EN 16931"],
    ["UBL", "UBL", "urn:cen.eu:en16931:2017", "UBL EN 16931"],
    [
      "XRechnung CII",
      "XRECHNUNG-CII",
      "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
      "XRechnung 3.0",
    ],
    [
      "XRechnung UBL",
      "XRECHNUNG-UBL",
      "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
      "XRechnung 3.0",
    ],
    [
      "Peppol BIS Billing 3.0",
      "UBL",
      "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
      "Peppol BIS Billing 3.0",
    ],
  ])(
    "%s: every field exact, confidence 1, source e-invoice",
    async (_, format, specification, profile) => {
      const xml = await generateXml(format, invoiceData({ specification }));
      const { fields, warnings, eInvoice } = readEInvoiceXml(xml);

      expect(values(fields)).toEqual(expected());
      for (const field of Object.values(fields)) {
        if (field === null || Array.isArray(field)) continue;
        expect(field).toMatchObject({ source: "e-invoice", confidence: 1, page: 1, box: null });
      }
      expect(
        fields.lineItems.map((item) => [
          item.description.value,
          item.quantity?.value,
          item.unitPrice?.value,
          item.amount?.value,
        ]),
      ).toEqual([
        ["Hammer", "2", "50", "100.00"],
        ["Delivery", "3", "10", "30.00"],
      ]);
      expect(warnings).toEqual([]);

      expect(eInvoice.profile).toBe(profile);
      expect(eInvoice.specification).toBe(specification);
      expect(eInvoice.documentTypeCode).toBe("380");
      expect(eInvoice.isCreditNote).toBe(false);
      expect(eInvoice.buyerReference).toBe(sample.buyerReference);
      expect(eInvoice.paymentTerms).toBe(sample.paymentTerms);
      expect(eInvoice.seller.vatId).toBe(sample.sellerVatId);
      expect(eInvoice.paymentMeans).toEqual([
        expect.objectContaining({ typeCode: "58", iban: sample.iban }),
      ]);
      expect(eInvoice.vatBreakdown).toEqual([
        expect.objectContaining({
          categoryCode: "S",
          rate: "19",
          taxableAmount: "100.00",
          taxAmount: "19.00",
        }),
        expect.objectContaining({
          categoryCode: "S",
          rate: "7",
          taxableAmount: "30.00",
          taxAmount: "2.10",
        }),
      ]);
      expect(eInvoice.totals).toMatchObject({
        grandTotal: "151.10",
        prepaid: "20.00",
        amountDue: "131.10",
      });
      expect(eInvoice.buyer.name).toBe("Globex Handel AG");
    },
  );
});

describe("credit notes come out negative, amount due apart from the total", () => {
  it("type 381 with positive amounts, as EN 16931 writes them, in CII and UBL", async () => {
    for (const format of ["CII", "UBL"]) {
      const { fields, eInvoice, warnings } = readEInvoiceXml(
        await generateXml(format, invoiceData({ typeCode: "381" })),
      );
      expect(eInvoice.isCreditNote).toBe(true);
      expect(values(fields)).toMatchObject({
        subtotal: "-130.00",
        tax: "-21.10",
        total: "-151.10",
        amountDue: "-131.10",
      });
      expect(fields.lineItems.map((item) => item.amount?.value)).toEqual(["-100.00", "-30.00"]);
      // Quantities and prices stay as printed; the breakdown follows the sign, so it adds up.
      expect(fields.lineItems.map((item) => item.quantity?.value)).toEqual(["2", "3"]);
      expect(eInvoice.vatBreakdown.map((row) => row.taxAmount)).toEqual(["-19.00", "-2.10"]);
      expect(warnings).toEqual([]);
    }
  });

  it("a UBL CreditNote document", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ID>CN-7</cbc:ID>
  <cbc:IssueDate>2024-05-02</cbc:IssueDate>
  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyName><cbc:Name>Trade Name</cbc:Name></cac:PartyName>
    <cac:PartyTaxScheme><cbc:CompanyID>NL123456789B01</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Leverancier B.V.</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentDueDate>2024-06-01</cbc:PaymentDueDate></cac:PaymentMeans>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">121.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">121.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:CreditNoteLine>
    <cbc:ID>1</cbc:ID>
    <cbc:CreditedQuantity unitCode="C62">4</cbc:CreditedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Returned chairs</cbc:Name></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">25.00</cbc:PriceAmount></cac:Price>
  </cac:CreditNoteLine>
</CreditNote>`;
    const { fields, eInvoice } = readEInvoiceXml(utf8(xml));
    expect(eInvoice.syntax).toBe("ubl-credit-note");
    expect(eInvoice.profile).toBe("Peppol BIS Billing 3.0");
    expect(values(fields)).toMatchObject({
      supplierName: "Leverancier B.V.",
      supplierTaxId: "NL123456789B01",
      invoiceNumber: "CN-7",
      dueDate: "2024-06-01",
      subtotal: "-100.00",
      tax: "-21.00",
      total: "-121.00",
      amountDue: "-121.00",
    });
    expect(fields.lineItems[0]).toMatchObject({
      description: { value: "Returned chairs" },
      quantity: { value: "4" },
      unitPrice: { value: "25" },
      amount: { value: "-100.00" },
    });
  });

  it("a credit note whose sender already wrote the minus signs keeps them", async () => {
    const data = invoiceData({ typeCode: "381" });
    const negated = JSON.parse(
      JSON.stringify(data).replace(/"(\d+\.\d\d)"/g, (_, amount: string) => `"-${amount}"`),
    );
    const { fields } = readEInvoiceXml(await generateXml("UBL", negated));
    expect(fields.total?.value).toBe("-151.10");
    expect(fields.amountDue?.value).toBe("-131.10");
  });
});

describe("ZUGFeRD 1.0 (CrossIndustryDocument)", () => {
  it("reads its differently named elements, multi-line names collapsed", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15">
  <rsm:SpecifiedExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:ferd:CrossIndustryDocument:invoice:1p0:comfort</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:SpecifiedExchangedDocumentContext>
  <rsm:HeaderExchangedDocument>
    <ram:ID>RE-1001</ram:ID><ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20140311</udt:DateTimeString></ram:IssueDateTime>
  </rsm:HeaderExchangedDocument>
  <rsm:SpecifiedSupplyChainTradeTransaction>
    <ram:ApplicableSupplyChainTradeAgreement>
      <ram:SellerTradeParty><ram:Name>Muster
Versicherungsverein a.G.</ram:Name>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">201/113/40209</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
    </ram:ApplicableSupplyChainTradeAgreement>
    <ram:ApplicableSupplyChainTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementPaymentMeans>
        <ram:TypeCode>42</ram:TypeCode>
        <ram:PayeePartyCreditorFinancialAccount><ram:IBANID>DE75 1234 5678 0000 0012 34</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>
        <ram:PayeeSpecifiedCreditorFinancialInstitution><ram:BICID>WELADED1MST</ram:BICID></ram:PayeeSpecifiedCreditorFinancialInstitution>
      </ram:SpecifiedTradeSettlementPaymentMeans>
      <ram:ApplicableTradeTax>
        <ram:CalculatedAmount currencyID="EUR">35.13</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>
        <ram:BasisAmount currencyID="EUR">184.87</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
        <ram:ApplicablePercent>19.00</ram:ApplicablePercent>
      </ram:ApplicableTradeTax>
      <ram:SpecifiedTradePaymentTerms>
        <ram:Description>Zahlbar bis 01.04.2014</ram:Description>
        <ram:DueDateDateTime><udt:DateTimeString format="102">20140401</udt:DateTimeString></ram:DueDateDateTime>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementMonetarySummation>
        <ram:LineTotalAmount currencyID="EUR">184.87</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount currencyID="EUR">184.87</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">35.13</ram:TaxTotalAmount>
        <ram:GrandTotalAmount currencyID="EUR">220.00</ram:GrandTotalAmount>
        <ram:TotalPrepaidAmount currencyID="EUR">-220.00</ram:TotalPrepaidAmount>
        <ram:DuePayableAmount currencyID="EUR">440.00</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementMonetarySummation>
    </ram:ApplicableSupplyChainTradeSettlement>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:IncludedNote><ram:Content>Only a note</ram:Content></ram:IncludedNote></ram:AssociatedDocumentLineDocument>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedSupplyChainTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount currencyID="EUR">184.8700</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedSupplyChainTradeAgreement>
      <ram:SpecifiedSupplyChainTradeDelivery><ram:BilledQuantity unitCode="C62">1.0000</ram:BilledQuantity></ram:SpecifiedSupplyChainTradeDelivery>
      <ram:SpecifiedSupplyChainTradeSettlement>
        <ram:ApplicableTradeTax><ram:CategoryCode>S</ram:CategoryCode><ram:ApplicablePercent>19.00</ram:ApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementMonetarySummation><ram:LineTotalAmount currencyID="EUR">184.87</ram:LineTotalAmount></ram:SpecifiedTradeSettlementMonetarySummation>
      </ram:SpecifiedSupplyChainTradeSettlement>
      <ram:SpecifiedTradeProduct><ram:Name>Kfz-Haftpflicht</ram:Name></ram:SpecifiedTradeProduct>
    </ram:IncludedSupplyChainTradeLineItem>
  </rsm:SpecifiedSupplyChainTradeTransaction>
</rsm:CrossIndustryDocument>`;
    const { fields, eInvoice, warnings } = readEInvoiceXml(utf8(xml));
    expect(eInvoice.profile).toBe("ZUGFeRD 1.0 COMFORT");
    expect(values(fields)).toEqual({
      supplierName: "Muster Versicherungsverein a.G.",
      supplierTaxId: "201/113/40209",
      invoiceNumber: "RE-1001",
      invoiceDate: "2014-03-11",
      dueDate: "2014-04-01",
      currency: "EUR",
      subtotal: "184.87",
      tax: "35.13",
      total: "220.00",
      amountDue: "440.00",
    });
    expect(fields.lineItems).toHaveLength(1);
    expect(eInvoice.lines[0]).toMatchObject({ quantity: "1", netPrice: "184.87", vatRate: "19" });
    expect(eInvoice.paymentMeans[0]).toMatchObject({
      iban: "DE75123456780000001234",
      bic: "WELADED1MST",
    });
    expect(eInvoice.vatBreakdown).toEqual([
      {
        categoryCode: "S",
        rate: "19",
        taxableAmount: "184.87",
        taxAmount: "35.13",
        exemptionReason: null,
      },
    ]);
    expect(warnings).toEqual([]);
  });
});

describe("the readable rendering", () => {
  it("escapes every value, so a hostile name stays text", async () => {
    const hostile = `Evil <script>alert("x")</script> & Co`;
    const { eInvoice } = readEInvoiceXml(
      await generateXml("UBL", invoiceData({ seller: hostile })),
    );
    const html = renderEInvoiceHtml(eInvoice);
    expect(html).not.toContain("<script>");
    expect(html).toContain("Evil &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co");
    expect(html).toContain("151.10 EUR");
    expect(html).toContain(sample.iban);
  });

  it("is the page of an XML upload: a preview and words, fields from the XML", async () => {
    const extractor = createExtractor({ poolSize: 1 });
    try {
      const { extraction, previews } = await extractor.extract(
        await generateXml("CII"),
        "application/xml",
      );
      expect(values(extraction.fields)).toEqual(expected());
      expect(extraction.eInvoice?.syntax).toBe("cii");
      expect(previews).toHaveLength(extraction.pages.length);
      expect(previews[0]?.png.subarray(1, 4)).toEqual(utf8("PNG"));
      const text = extraction.pages
        .flatMap((page) => page.lines.map((line) => line.text))
        .join("\n");
      expect(text).toContain(`Invoice ${sample.number}`);
      expect(text).toContain(sample.seller);
      expect(text).toContain("151.10 EUR");
    } finally {
      await extractor.close();
    }
  });
});
