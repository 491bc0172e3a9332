import { fromUnits, toUnits } from "@remit/rules";
import type { ExportInvoice, ExportLine } from "./rows";
import { serializeXml, type XmlNode } from "./xml";

/*
 * EN 16931 UBL 2.1: one Invoice per invoice, or a CreditNote when its total is negative (a
 * credit note states its amounts positive; the type says they are owed the other way).
 *
 * Remit keeps the header's totals, not a VAT breakdown: the one VAT row says subtotal and tax,
 * with the rate they imply (category S, or Z when there is no tax). The seller's country is
 * taken from a VAT id's prefix when there is one.
 */

const ns = {
  invoice: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
  creditNote: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
  cac: "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
  cbc: "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
};

const el = (
  name: string,
  children: XmlNode["children"],
  attributes?: XmlNode["attributes"],
): XmlNode => ({ name, children, ...(attributes ? { attributes } : {}) });

/** A basic component, left out when there is no value. */
const cbc = (name: string, value: string | null | undefined, attributes?: XmlNode["attributes"]) =>
  value === null || value === undefined || value === ""
    ? null
    : el(`cbc:${name}`, value, attributes);

const cac = (name: string, children: Array<XmlNode | null>) =>
  children.some(Boolean) ? el(`cac:${name}`, children) : null;

/** The amount's size, for a document whose type already says which way it is owed. */
const magnitude = (amount: string | null, flip: boolean): string | null => {
  if (amount === null) return null;
  const units = toUnits(amount);
  return fromUnits(flip ? -units : units);
};

const countryOf = (taxId: string | null) => /^([A-Z]{2})[A-Z0-9]/.exec(taxId ?? "")?.[1] ?? null;

const looksLikeIban = (account: string) => /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(account);

/** The VAT rate subtotal and tax imply, to two decimals ("19.00"). */
function impliedRate(subtotal: string | null, tax: string | null): string {
  if (!subtotal || !tax) return "0.00";
  const base = toUnits(subtotal);
  if (base === 0n) return "0.00";
  // Percent with two decimals, rounded half away from zero, in ten-thousandth units.
  const hundredths = (toUnits(tax) * 10_000n * 2n) / base;
  const rounded = (hundredths + (hundredths >= 0n ? 1n : -1n)) / 2n;
  return fromUnits(rounded * 100n);
}

export function ublFileName(invoice: ExportInvoice): string {
  const base = (invoice.invoiceNumber ?? invoice.id).replace(/[^\w.-]+/g, "_").slice(0, 80);
  return `${base || invoice.id}.xml`;
}

export function ublXml(invoice: ExportInvoice, buyerName: string): string {
  const credit = invoice.total !== null && toUnits(invoice.total) < 0n;
  const currency = invoice.currency ?? "EUR";
  const money = (name: string, amount: string | null) =>
    cbc(name, magnitude(amount, credit), { currencyID: currency });
  const lineTotal =
    invoice.lines.length > 0 && invoice.lines.every((l) => l.amount !== null)
      ? fromUnits(invoice.lines.reduce((sum, l) => sum + toUnits(l.amount as string), 0n))
      : invoice.subtotal;
  const taxZero = !invoice.taxAmount || toUnits(invoice.taxAmount) === 0n;
  const rate = impliedRate(invoice.subtotal, invoice.taxAmount);
  const category = (percent: string) =>
    el("cac:ClassifiedTaxCategory", [
      cbc("ID", taxZero ? "Z" : "S"),
      cbc("Percent", percent),
      el("cac:TaxScheme", [cbc("ID", "VAT")]),
    ]);
  const prepaid =
    invoice.amountDue !== null && invoice.total !== null
      ? fromUnits(toUnits(invoice.total) - toUnits(invoice.amountDue))
      : null;
  const account = invoice.bankAccount?.replace(/\s+/g, "").toUpperCase() ?? null;

  const supplier = el("cac:AccountingSupplierParty", [
    el("cac:Party", [
      cac("PartyName", [cbc("Name", invoice.supplierName)]),
      cac("PostalAddress", [
        cac("AddressLine", [cbc("Line", invoice.supplierAddress)]),
        cac("Country", [cbc("IdentificationCode", countryOf(invoice.supplierTaxId))]),
      ]),
      invoice.supplierTaxId
        ? el("cac:PartyTaxScheme", [
            cbc("CompanyID", invoice.supplierTaxId),
            el("cac:TaxScheme", [cbc("ID", "VAT")]),
          ])
        : null,
      cac("PartyLegalEntity", [cbc("RegistrationName", invoice.supplierName)]),
    ]),
  ]);
  const buyer = el("cac:AccountingCustomerParty", [
    el("cac:Party", [el("cac:PartyLegalEntity", [cbc("RegistrationName", buyerName)])]),
  ]);
  const payment = account
    ? el("cac:PaymentMeans", [
        cbc("PaymentMeansCode", looksLikeIban(account) ? "58" : "30"),
        credit ? cbc("PaymentDueDate", invoice.dueDate) : null,
        el("cac:PayeeFinancialAccount", [
          cbc("ID", account),
          cac("FinancialInstitutionBranch", [cbc("ID", invoice.bankCode)]),
        ]),
      ])
    : null;
  const taxTotal = el("cac:TaxTotal", [
    money("TaxAmount", invoice.taxAmount ?? "0.00"),
    el("cac:TaxSubtotal", [
      money("TaxableAmount", invoice.subtotal ?? lineTotal ?? "0.00"),
      money("TaxAmount", invoice.taxAmount ?? "0.00"),
      el("cac:TaxCategory", [
        cbc("ID", taxZero ? "Z" : "S"),
        cbc("Percent", rate),
        el("cac:TaxScheme", [cbc("ID", "VAT")]),
      ]),
    ]),
  ]);
  const totals = el("cac:LegalMonetaryTotal", [
    money("LineExtensionAmount", lineTotal ?? "0.00"),
    money("TaxExclusiveAmount", invoice.subtotal ?? lineTotal ?? "0.00"),
    money("TaxInclusiveAmount", invoice.total),
    prepaid && toUnits(prepaid) !== 0n ? money("PrepaidAmount", prepaid) : null,
    money("PayableAmount", invoice.amountDue ?? invoice.total),
  ]);
  const line = (item: ExportLine, index: number) =>
    el(credit ? "cac:CreditNoteLine" : "cac:InvoiceLine", [
      cbc("ID", String(index + 1)),
      cbc(credit ? "CreditedQuantity" : "InvoicedQuantity", item.quantity ?? "1", {
        unitCode: "C62",
      }),
      money("LineExtensionAmount", item.amount ?? "0.00"),
      el("cac:Item", [cbc("Name", item.description || "item"), category(rate)]),
      cac("Price", [cbc("PriceAmount", item.unitPrice, { currencyID: currency })]),
    ]);

  return serializeXml(
    el(
      credit ? "CreditNote" : "Invoice",
      [
        cbc("CustomizationID", "urn:cen.eu:en16931:2017"),
        cbc("ID", invoice.invoiceNumber ?? invoice.id),
        cbc("IssueDate", invoice.invoiceDate),
        credit ? null : cbc("DueDate", invoice.dueDate),
        cbc(credit ? "CreditNoteTypeCode" : "InvoiceTypeCode", credit ? "381" : "380"),
        cbc("DocumentCurrencyCode", currency),
        supplier,
        buyer,
        payment,
        taxTotal,
        totals,
        ...invoice.lines.map(line),
      ],
      {
        xmlns: credit ? ns.creditNote : ns.invoice,
        "xmlns:cac": ns.cac,
        "xmlns:cbc": ns.cbc,
      },
    ),
  );
}
