/*
 * E-invoice XML for tests outside the extraction package (uploads, e-mail, the worker): small
 * EN 16931 documents written out in full, so that a test says exactly what was sent. The reader
 * itself is tested against a maintained generator's output (packages/extract/test).
 */

export interface UblInvoiceOptions {
  number?: string;
  seller?: string;
  sellerVatId?: string;
  issueDate?: string;
  dueDate?: string;
  currency?: string;
  /** Net amount of the one line; VAT is 19 % of it. */
  net?: string;
  prepaid?: string;
  creditNote?: boolean;
}

const money = (value: number) => value.toFixed(2);

/** A UBL 2.1 Invoice (or CreditNote) in Peppol BIS Billing 3.0, one line at 19 % VAT. */
export function ublInvoice(options: UblInvoiceOptions = {}): string {
  const root = options.creditNote ? "CreditNote" : "Invoice";
  const net = Number(options.net ?? "100.00");
  const tax = Math.round(net * 19) / 100;
  const gross = net + tax;
  const prepaid = Number(options.prepaid ?? "0");
  const currency = options.currency ?? "EUR";
  const amount = (value: number) => `currencyID="${currency}">${money(value)}`;
  const typeCode = options.creditNote
    ? "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>"
    : "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>";
  const quantity = options.creditNote ? "CreditedQuantity" : "InvoicedQuantity";
  return `<?xml version="1.0" encoding="UTF-8"?>
<${root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:${root}-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ID>${options.number ?? "UBL-1"}</cbc:ID>
  <cbc:IssueDate>${options.issueDate ?? "2026-11-02"}</cbc:IssueDate>
  ${options.dueDate ? `<cbc:DueDate>${options.dueDate}</cbc:DueDate>` : ""}
  ${typeCode}
  <cbc:DocumentCurrencyCode>${currency}</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>PO-77</cbc:BuyerReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyTaxScheme><cbc:CompanyID>${options.sellerVatId ?? "DE811907980"}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>${options.seller ?? "Nordwind Papier GmbH"}</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyLegalEntity><cbc:RegistrationName>Buyer AG</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>
    <cac:PayeeFinancialAccount><cbc:ID>DE02120300000000202051</cbc:ID></cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:TaxTotal><cbc:TaxAmount ${amount(tax)}</cbc:TaxAmount>
    <cac:TaxSubtotal><cbc:TaxableAmount ${amount(net)}</cbc:TaxableAmount><cbc:TaxAmount ${amount(tax)}</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount ${amount(net)}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount ${amount(net)}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount ${amount(gross)}</cbc:TaxInclusiveAmount>
    ${prepaid ? `<cbc:PrepaidAmount ${amount(prepaid)}</cbc:PrepaidAmount>` : ""}
    <cbc:PayableAmount ${amount(gross - prepaid)}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:${root}Line>
    <cbc:ID>1</cbc:ID>
    <cbc:${quantity} unitCode="C62">4</cbc:${quantity}>
    <cbc:LineExtensionAmount ${amount(net)}</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Copy paper A4</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
    <cac:Price><cbc:PriceAmount ${amount(net / 4)}</cbc:PriceAmount></cac:Price>
  </cac:${root}Line>
</${root}>
`;
}

/** Hostile and non-e-invoice XML, each with what it tries. */
export const hostileXml: Array<{ label: string; xml: string }> = [
  {
    label: "an external entity (XXE)",
    xml: `<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&x;</Invoice>`,
  },
  {
    label: "entity expansion (billion laughs)",
    xml: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol3;</Invoice>`,
  },
  {
    label: "nesting 10,000 deep",
    xml: `<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">${"<a>".repeat(10_000)}${"</a>".repeat(10_000)}</Invoice>`,
  },
  {
    label: "malformed XML",
    xml: `<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><cbc:ID>1</Invoice>`,
  },
];
