import type {
  EInvoice,
  EInvoiceLine,
  EInvoiceParty,
  EInvoicePaymentMeans,
  EInvoiceVatBreakdown,
} from "./model";
import { profileName } from "./profile";
import { ciiDate, currencyCode, isCreditNoteCode, money, quantity } from "./values";
import { all, at, attribute, child, paragraph, text, textAt, type XmlElement } from "./xml/tree";

/**
 * The element names that differ between ZUGFeRD 1.0 (CrossIndustryDocument, ram:12) and
 * CII D16B as used by Factur-X, ZUGFeRD 2.x and XRechnung (CrossIndustryInvoice, ram:100).
 * Everything else, parties, taxes, payment means, is named the same in both.
 */
interface CiiNames {
  context: string;
  document: string;
  transaction: string;
  agreement: string;
  settlement: string;
  summation: string;
  lineAgreement: string;
  lineDelivery: string;
  lineSettlement: string;
  lineSummation: string;
  rate: string;
}

const d16b: CiiNames = {
  context: "ExchangedDocumentContext",
  document: "ExchangedDocument",
  transaction: "SupplyChainTradeTransaction",
  agreement: "ApplicableHeaderTradeAgreement",
  settlement: "ApplicableHeaderTradeSettlement",
  summation: "SpecifiedTradeSettlementHeaderMonetarySummation",
  lineAgreement: "SpecifiedLineTradeAgreement",
  lineDelivery: "SpecifiedLineTradeDelivery",
  lineSettlement: "SpecifiedLineTradeSettlement",
  lineSummation: "SpecifiedTradeSettlementLineMonetarySummation",
  rate: "RateApplicablePercent",
};

const zugferd1: CiiNames = {
  context: "SpecifiedExchangedDocumentContext",
  document: "HeaderExchangedDocument",
  transaction: "SpecifiedSupplyChainTradeTransaction",
  agreement: "ApplicableSupplyChainTradeAgreement",
  settlement: "ApplicableSupplyChainTradeSettlement",
  summation: "SpecifiedTradeSettlementMonetarySummation",
  lineAgreement: "SpecifiedSupplyChainTradeAgreement",
  lineDelivery: "SpecifiedSupplyChainTradeDelivery",
  lineSettlement: "SpecifiedSupplyChainTradeSettlement",
  lineSummation: "SpecifiedTradeSettlementMonetarySummation",
  rate: "ApplicablePercent",
};

/** Reads a CrossIndustryInvoice (D16B) or a ZUGFeRD 1.0 CrossIndustryDocument, amounts as written. */
export function readCii(root: XmlElement, syntax: "cii" | "zugferd-1"): EInvoice {
  const names = syntax === "cii" ? d16b : zugferd1;
  const document = child(root, names.document);
  const transaction = child(root, names.transaction);
  const agreement = child(transaction, names.agreement);
  const settlement = child(transaction, names.settlement);
  const summation = child(settlement, names.summation);
  const specification = textAt(
    root,
    names.context,
    "GuidelineSpecifiedDocumentContextParameter",
    "ID",
  );
  const currency =
    currencyCode(textAt(settlement, "InvoiceCurrencyCode")) ??
    currencyCode(attribute(child(summation, "GrandTotalAmount"), "currencyID"));
  // Amounts may be stated twice, in the invoice currency and in the VAT accounting currency.
  const amount = (local: string) => money(text(inCurrency(all(summation, local), currency)));
  const documentTypeCode = textAt(document, "TypeCode");
  const terms = all(settlement, "SpecifiedTradePaymentTerms");

  return {
    syntax,
    specification,
    profile: profileName(syntax, specification),
    attachmentName: null,
    documentTypeCode,
    isCreditNote: isCreditNoteCode(documentTypeCode),
    invoiceNumber: textAt(document, "ID"),
    issueDate: dateAt(child(document, "IssueDateTime")),
    dueDate: terms.map((term) => dateAt(child(term, "DueDateDateTime"))).find(Boolean) ?? null,
    currency,
    buyerReference: textAt(agreement, "BuyerReference"),
    orderReference: textAt(agreement, "BuyerOrderReferencedDocument", "IssuerAssignedID"),
    paymentReference: textAt(settlement, "PaymentReference"),
    paymentTerms: joinParagraphs(terms.map((term) => child(term, "Description"))),
    billingPeriod: period(child(settlement, "BillingSpecifiedPeriod")),
    seller: party(child(agreement, "SellerTradeParty")),
    buyer: party(child(agreement, "BuyerTradeParty")),
    paymentMeans: all(settlement, "SpecifiedTradeSettlementPaymentMeans").map(paymentMeans),
    vatBreakdown: all(settlement, "ApplicableTradeTax").map((tax) => vatRow(tax, names)),
    totals: {
      lineTotal: amount("LineTotalAmount"),
      allowanceTotal: amount("AllowanceTotalAmount"),
      chargeTotal: amount("ChargeTotalAmount"),
      taxBasisTotal: amount("TaxBasisTotalAmount"),
      taxTotal: amount("TaxTotalAmount"),
      grandTotal: amount("GrandTotalAmount"),
      prepaid: amount("TotalPrepaidAmount"),
      rounding: amount("RoundingAmount"),
      amountDue: amount("DuePayableAmount"),
    },
    lines: all(transaction, "IncludedSupplyChainTradeLineItem")
      .map((item) => line(item, names))
      .filter((item) => item !== null),
    notes: all(document, "IncludedNote")
      .map((note) => paragraph(child(note, "Content")))
      .filter((note) => note !== null),
  };
}

function inCurrency(elements: XmlElement[], currency: string | null): XmlElement | null {
  return (
    elements.find((element) => attribute(element, "currencyID") === currency) ??
    elements.find((element) => attribute(element, "currencyID") === null) ??
    elements[0] ??
    null
  );
}

function dateAt(holder: XmlElement | null): string | null {
  const value = child(holder, "DateTimeString");
  return ciiDate(text(value), attribute(value, "format"));
}

function period(element: XmlElement | null): EInvoice["billingPeriod"] {
  if (!element) return null;
  const start = dateAt(child(element, "StartDateTime"));
  const end = dateAt(child(element, "EndDateTime"));
  return start || end ? { start, end } : null;
}

function party(element: XmlElement | null): EInvoiceParty {
  const registrations = all(element, "SpecifiedTaxRegistration", "ID");
  const byScheme = (scheme: string) =>
    text(registrations.find((id) => attribute(id, "schemeID")?.toUpperCase() === scheme) ?? null);
  const address = child(element, "PostalTradeAddress");
  const cityLine = [textAt(address, "PostcodeCode"), textAt(address, "CityName")]
    .filter(Boolean)
    .join(" ");
  return {
    name: textAt(element, "Name"),
    vatId: byScheme("VA"),
    taxNumber: byScheme("FC"),
    legalId: textAt(element, "SpecifiedLegalOrganization", "ID"),
    address: [
      textAt(address, "LineOne"),
      textAt(address, "LineTwo"),
      textAt(address, "LineThree"),
      cityLine || null,
    ].filter((part) => part !== null),
    countryCode: textAt(address, "CountryID"),
  };
}

function paymentMeans(element: XmlElement): EInvoicePaymentMeans {
  const account = child(element, "PayeePartyCreditorFinancialAccount");
  return {
    typeCode: textAt(element, "TypeCode"),
    iban: compact(textAt(account, "IBANID") ?? textAt(account, "ProprietaryID")),
    bic: compact(textAt(element, "PayeeSpecifiedCreditorFinancialInstitution", "BICID")),
    accountName: textAt(account, "AccountName"),
    information: textAt(element, "Information"),
  };
}

function vatRow(element: XmlElement, names: CiiNames): EInvoiceVatBreakdown {
  return {
    categoryCode: textAt(element, "CategoryCode"),
    rate: quantity(textAt(element, names.rate)),
    taxableAmount: money(textAt(element, "BasisAmount")),
    taxAmount: money(textAt(element, "CalculatedAmount")),
    exemptionReason: textAt(element, "ExemptionReason") ?? textAt(element, "ExemptionReasonCode"),
  };
}

/**
 * One invoice line. Lines that only carry a note (ZUGFeRD 1.0 senders use them for text
 * between items) and EXTENDED's information-only lines are left out: they bill nothing.
 */
function line(element: XmlElement, names: CiiNames): EInvoiceLine | null {
  const lineDocument = child(element, "AssociatedDocumentLineDocument");
  if (textAt(lineDocument, "LineStatusReasonCode")?.toUpperCase() === "INFORMATION") return null;
  const product = child(element, "SpecifiedTradeProduct");
  const agreement = child(element, names.lineAgreement);
  const settlement = child(element, names.lineSettlement);
  const tax = child(settlement, "ApplicableTradeTax");
  const billed = at(element, names.lineDelivery, "BilledQuantity");
  const amount = money(textAt(settlement, names.lineSummation, "LineTotalAmount"));
  const description = textAt(product, "Description");
  const name = textAt(product, "Name") ?? description;
  if (name === null && amount === null) return null;
  return {
    id: textAt(lineDocument, "LineID"),
    name: name ?? "",
    description: description === name ? null : description,
    quantity: quantity(text(billed)),
    unitCode: attribute(billed, "unitCode"),
    netPrice: quantity(
      textAt(agreement, "NetPriceProductTradePrice", "ChargeAmount") ??
        textAt(agreement, "GrossPriceProductTradePrice", "ChargeAmount"),
    ),
    amount,
    vatCategoryCode: textAt(tax, "CategoryCode"),
    vatRate: quantity(textAt(tax, names.rate)),
  };
}

function joinParagraphs(elements: (XmlElement | null)[]): string | null {
  const parts = elements.map(paragraph).filter((part) => part !== null);
  return parts.length === 0 ? null : parts.join("\n");
}

/** IBANs and BICs are printed in groups; the identifier is the characters without spaces. */
export function compact(value: string | null): string | null {
  return value === null ? null : value.replaceAll(" ", "");
}
