/**
 * How each fixture locale prints an invoice: number and date conventions, currency, the
 * words on the labels and the legal forms its suppliers carry.
 */
export const fixtureLocales = ["en-US", "de-DE", "en-GB"] as const;
export type FixtureLocale = (typeof fixtureLocales)[number];

export interface LocaleStyle {
  currency: string;
  formatAmount(cents: number): string;
  formatDate(iso: string): string;
  taxRate: number;
  legalForms: readonly string[];
  taxIdLabel: string;
  makeTaxId(digits: string): string;
  labels: {
    title: string;
    invoiceNumber: string;
    invoiceDate: string;
    dueDate: string;
    billTo: string;
    description: string;
    quantity: string;
    unitPrice: string;
    amount: string;
    subtotal: string;
    tax: string;
    total: string;
    thanks: string;
  };
}

function groupThousands(integer: string, separator: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

function amountFormatter(group: string, decimal: string) {
  return (cents: number) => {
    const integer = groupThousands(String(Math.floor(cents / 100)), group);
    return `${integer}${decimal}${String(cents % 100).padStart(2, "0")}`;
  };
}

function isoParts(iso: string): [string, string, string] {
  const [year = "", month = "", day = ""] = iso.split("-");
  return [year, month, day];
}

export const localeStyles: Record<FixtureLocale, LocaleStyle> = {
  "en-US": {
    currency: "USD",
    formatAmount: (cents) => `$${amountFormatter(",", ".")(cents)}`,
    formatDate: (iso) => {
      const [year, month, day] = isoParts(iso);
      return `${month}/${day}/${year}`;
    },
    taxRate: 0.0825,
    legalForms: ["Inc.", "LLC", "Corp."],
    taxIdLabel: "EIN",
    makeTaxId: (digits) => `${digits.slice(0, 2)}-${digits.slice(2, 9)}`,
    labels: {
      title: "INVOICE",
      invoiceNumber: "Invoice No.",
      invoiceDate: "Invoice Date",
      dueDate: "Due Date",
      billTo: "Bill To",
      description: "Description",
      quantity: "Qty",
      unitPrice: "Unit Price",
      amount: "Amount",
      subtotal: "Subtotal",
      tax: "Sales Tax (8.25%)",
      total: "Total Due",
      thanks: "Thank you for your business.",
    },
  },
  "de-DE": {
    currency: "EUR",
    formatAmount: (cents) => `${amountFormatter(".", ",")(cents)} €`,
    formatDate: (iso) => {
      const [year, month, day] = isoParts(iso);
      return `${day}.${month}.${year}`;
    },
    taxRate: 0.19,
    legalForms: ["GmbH", "AG", "GmbH & Co. KG"],
    taxIdLabel: "USt-IdNr.",
    makeTaxId: (digits) => `DE${digits.slice(0, 9)}`,
    labels: {
      title: "RECHNUNG",
      invoiceNumber: "Rechnungsnummer",
      invoiceDate: "Rechnungsdatum",
      dueDate: "Zahlbar bis",
      billTo: "Rechnungsempfänger",
      description: "Beschreibung",
      quantity: "Menge",
      unitPrice: "Einzelpreis",
      amount: "Betrag",
      subtotal: "Zwischensumme",
      tax: "MwSt. 19 %",
      total: "Gesamtbetrag",
      thanks: "Vielen Dank für Ihren Auftrag.",
    },
  },
  "en-GB": {
    currency: "GBP",
    formatAmount: (cents) => `£${amountFormatter(",", ".")(cents)}`,
    formatDate: (iso) => {
      const [year, month, day] = isoParts(iso);
      return `${day}/${month}/${year}`;
    },
    taxRate: 0.2,
    legalForms: ["Ltd", "Limited", "LLP"],
    taxIdLabel: "VAT Reg No",
    makeTaxId: (digits) => `GB${digits.slice(0, 9)}`,
    labels: {
      title: "TAX INVOICE",
      invoiceNumber: "Invoice Number",
      invoiceDate: "Date of Issue",
      dueDate: "Payment Due",
      billTo: "Invoice To",
      description: "Description",
      quantity: "Qty",
      unitPrice: "Unit Price",
      amount: "Amount",
      subtotal: "Subtotal",
      tax: "VAT 20%",
      total: "Amount Due",
      thanks: "Payment by bank transfer within 30 days, please.",
    },
  },
};
