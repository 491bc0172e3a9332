import { compact } from "./cii";
import type {
  EInvoice,
  EInvoiceLine,
  EInvoiceParty,
  EInvoicePaymentMeans,
  EInvoiceVatBreakdown,
} from "./model";
import { profileName } from "./profile";
import { currencyCode, isCreditNoteCode, isoDate, money, quantity } from "./values";
import { all, at, attribute, child, paragraph, text, textAt, type XmlElement } from "./xml/tree";

/**
 * Reads a UBL 2.1 Invoice or CreditNote (EN 16931, XRechnung UBL, Peppol BIS Billing 3.0),
 * amounts as written. A CreditNote names its type code, lines and quantities differently.
 */
export function readUbl(root: XmlElement, syntax: "ubl-invoice" | "ubl-credit-note"): EInvoice {
  const creditNote = syntax === "ubl-credit-note";
  const specification = textAt(root, "CustomizationID");
  const documentTypeCode = textAt(root, creditNote ? "CreditNoteTypeCode" : "InvoiceTypeCode");
  const currency = currencyCode(textAt(root, "DocumentCurrencyCode"));
  const monetary = child(root, "LegalMonetaryTotal");
  const means = all(root, "PaymentMeans");
  const taxTotal = chooseTaxTotal(all(root, "TaxTotal"), currency);
  const period = child(root, "InvoicePeriod");
  const start = isoDate(textAt(period, "StartDate"));
  const end = isoDate(textAt(period, "EndDate"));

  return {
    syntax,
    specification,
    profile: profileName(syntax, specification),
    attachmentName: null,
    documentTypeCode,
    isCreditNote: creditNote || isCreditNoteCode(documentTypeCode),
    invoiceNumber: textAt(root, "ID"),
    issueDate: isoDate(textAt(root, "IssueDate")),
    // A UBL 2.1 CreditNote has no DueDate of its own: Peppol puts it on the payment means.
    dueDate:
      isoDate(textAt(root, "DueDate")) ??
      means.map((item) => isoDate(textAt(item, "PaymentDueDate"))).find(Boolean) ??
      null,
    currency,
    buyerReference: textAt(root, "BuyerReference"),
    orderReference: textAt(root, "OrderReference", "ID"),
    paymentReference: means.map((item) => textAt(item, "PaymentID")).find(Boolean) ?? null,
    paymentTerms: joined(all(root, "PaymentTerms", "Note")),
    billingPeriod: start || end ? { start, end } : null,
    seller: party(at(root, "AccountingSupplierParty", "Party")),
    buyer: party(at(root, "AccountingCustomerParty", "Party")),
    paymentMeans: means.map(paymentMeans),
    vatBreakdown: all(taxTotal, "TaxSubtotal").map(vatRow),
    totals: {
      lineTotal: money(textAt(monetary, "LineExtensionAmount")),
      allowanceTotal: money(textAt(monetary, "AllowanceTotalAmount")),
      chargeTotal: money(textAt(monetary, "ChargeTotalAmount")),
      taxBasisTotal: money(textAt(monetary, "TaxExclusiveAmount")),
      taxTotal: money(textAt(taxTotal, "TaxAmount")),
      grandTotal: money(textAt(monetary, "TaxInclusiveAmount")),
      prepaid: money(textAt(monetary, "PrepaidAmount")),
      rounding: money(textAt(monetary, "PayableRoundingAmount")),
      amountDue: money(textAt(monetary, "PayableAmount")),
    },
    lines: all(root, creditNote ? "CreditNoteLine" : "InvoiceLine").map((item) =>
      line(item, creditNote),
    ),
    notes: all(root, "Note")
      .map(paragraph)
      .filter((note) => note !== null),
  };
}

/**
 * The VAT total in the document currency (BT-110). A second TaxTotal, without subtotals, may
 * state the VAT in the accounting currency (BT-111).
 */
function chooseTaxTotal(totals: XmlElement[], currency: string | null): XmlElement | null {
  return (
    totals.find((total) => attribute(child(total, "TaxAmount"), "currencyID") === currency) ??
    totals.find((total) => child(total, "TaxSubtotal") !== null) ??
    totals[0] ??
    null
  );
}

function party(element: XmlElement | null): EInvoiceParty {
  const schemes = all(element, "PartyTaxScheme");
  const vat = schemes.find((scheme) => textAt(scheme, "TaxScheme", "ID")?.toUpperCase() === "VAT");
  const other = schemes.find((scheme) => scheme !== vat);
  const address = child(element, "PostalAddress");
  const cityLine = [textAt(address, "PostalZone"), textAt(address, "CityName")]
    .filter(Boolean)
    .join(" ");
  return {
    // BT-27 is the legal registration name; the trading name (PartyName) is the fallback.
    name:
      textAt(element, "PartyLegalEntity", "RegistrationName") ??
      textAt(element, "PartyName", "Name"),
    vatId: textAt(vat ?? null, "CompanyID"),
    taxNumber: textAt(other ?? null, "CompanyID"),
    legalId: textAt(element, "PartyLegalEntity", "CompanyID"),
    address: [
      textAt(address, "StreetName"),
      textAt(address, "AdditionalStreetName"),
      textAt(address, "AddressLine", "Line"),
      cityLine || null,
    ].filter((part) => part !== null),
    countryCode: textAt(address, "Country", "IdentificationCode"),
  };
}

function paymentMeans(element: XmlElement): EInvoicePaymentMeans {
  const account = child(element, "PayeeFinancialAccount");
  return {
    typeCode: textAt(element, "PaymentMeansCode"),
    iban: compact(textAt(account, "ID")),
    bic: compact(textAt(account, "FinancialInstitutionBranch", "ID")),
    accountName: textAt(account, "Name"),
    information: attribute(child(element, "PaymentMeansCode"), "name"),
  };
}

function vatRow(element: XmlElement): EInvoiceVatBreakdown {
  const category = child(element, "TaxCategory");
  return {
    categoryCode: textAt(category, "ID"),
    rate: quantity(textAt(category, "Percent")),
    taxableAmount: money(textAt(element, "TaxableAmount")),
    taxAmount: money(textAt(element, "TaxAmount")),
    exemptionReason:
      textAt(category, "TaxExemptionReason") ?? textAt(category, "TaxExemptionReasonCode"),
  };
}

function line(element: XmlElement, creditNote: boolean): EInvoiceLine {
  const item = child(element, "Item");
  const category = child(item, "ClassifiedTaxCategory");
  const quantityElement = child(element, creditNote ? "CreditedQuantity" : "InvoicedQuantity");
  const description = textAt(item, "Description");
  const name = textAt(item, "Name") ?? description ?? "";
  return {
    id: textAt(element, "ID"),
    name,
    description: description === name ? null : description,
    quantity: quantity(text(quantityElement)),
    unitCode: attribute(quantityElement, "unitCode"),
    netPrice: quantity(textAt(element, "Price", "PriceAmount")),
    amount: money(textAt(element, "LineExtensionAmount")),
    vatCategoryCode: textAt(category, "ID"),
    vatRate: quantity(textAt(category, "Percent")),
  };
}

function joined(elements: XmlElement[]): string | null {
  const parts = elements.map(paragraph).filter((part) => part !== null);
  return parts.length === 0 ? null : parts.join("\n");
}
