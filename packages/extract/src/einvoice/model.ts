/**
 * What an e-invoice says beyond the header fields: the structured data of EN 16931 (CII or
 * UBL) that a review screen and an accounting export want, read exactly. Amounts are decimal
 * strings ("1234.56") with the sign an accounts-payable ledger expects: a credit note's money
 * amounts are negative (see `isCreditNote`). Quantities, unit prices and rates stay as written.
 * Business-term numbers (BT-nn) refer to EN 16931-1.
 */

/** The XML syntax the data was read from. */
export const eInvoiceSyntaxes = ["cii", "zugferd-1", "ubl-invoice", "ubl-credit-note"] as const;
export type EInvoiceSyntax = (typeof eInvoiceSyntaxes)[number];

export interface EInvoiceParty {
  /** BT-27 / BT-44, whitespace collapsed to single spaces. */
  name: string | null;
  /** VAT identifier (BT-31 / BT-48), e.g. "DE123456789". */
  vatId: string | null;
  /** Tax registration number other than VAT (BT-32), e.g. a German Steuernummer. */
  taxNumber: string | null;
  /** Legal registration identifier (BT-30 / BT-47). */
  legalId: string | null;
  /** Street, postcode and city, country: one readable line each. */
  address: string[];
  /** ISO 3166-1 alpha-2. */
  countryCode: string | null;
}

/** One row of the VAT breakdown (BG-23). */
export interface EInvoiceVatBreakdown {
  /** UNCL 5305: S standard, Z zero, E exempt, AE reverse charge, K intra-EU, G export, O outside scope, L, M. */
  categoryCode: string | null;
  /** Percent, e.g. "19" or "5.5". */
  rate: string | null;
  taxableAmount: string | null;
  taxAmount: string | null;
  exemptionReason: string | null;
}

/** How to pay (BG-16): the seller's account for a transfer. */
export interface EInvoicePaymentMeans {
  /** UNCL 4461: 30 credit transfer, 58 SEPA credit transfer, 59 SEPA direct debit, 48 card, ... */
  typeCode: string | null;
  /** The payee's account (BT-84): an IBAN, or another account identifier where no IBAN is given. */
  iban: string | null;
  bic: string | null;
  accountName: string | null;
  /** Free text the sender wrote about the means of payment. */
  information: string | null;
}

/** The document totals (BG-22), each null where the document does not state it. */
export interface EInvoiceTotals {
  /** Sum of the line net amounts (BT-106). */
  lineTotal: string | null;
  allowanceTotal: string | null;
  chargeTotal: string | null;
  /** Total without VAT (BT-109): the `subtotal` field. */
  taxBasisTotal: string | null;
  /** Total VAT in the invoice currency (BT-110): the `tax` field. */
  taxTotal: string | null;
  /** Total with VAT (BT-112): the `total` field. */
  grandTotal: string | null;
  /** Paid in advance (BT-113). */
  prepaid: string | null;
  rounding: string | null;
  /** What is left to pay (BT-115): the `amountDue` field, kept apart from the grand total. */
  amountDue: string | null;
}

export interface EInvoiceLine {
  /** BT-126. */
  id: string | null;
  /** Item name (BT-153), or its description where the name is missing. */
  name: string;
  description: string | null;
  quantity: string | null;
  /** UN/ECE Recommendation 20 unit, e.g. "C62" (one), "HUR" (hour). */
  unitCode: string | null;
  /** Net price per unit as written (BT-146). */
  netPrice: string | null;
  /** Line net amount (BT-131), signed like every money amount. */
  amount: string | null;
  vatCategoryCode: string | null;
  vatRate: string | null;
}

export interface EInvoice {
  syntax: EInvoiceSyntax;
  /** The specification identifier as written (BT-24): CII guideline ID, UBL CustomizationID. */
  specification: string | null;
  /** A readable name for it: "Factur-X / ZUGFeRD EXTENDED", "XRechnung 2.1", "Peppol BIS Billing 3.0". */
  profile: string;
  /** The PDF attachment the XML was read from ("factur-x.xml"); null for an XML upload. */
  attachmentName: string | null;
  /** UNTDID 1001 (BT-3): 380 invoice, 381 credit note, 384 corrected invoice, 389 self-billed, ... */
  documentTypeCode: string | null;
  /**
   * A credit note (type 381 and the other credit-note codes, or a UBL CreditNote). Its money
   * amounts are negated when the document states them as positive, as EN 16931 does; a credit
   * note that already states negative amounts keeps them.
   */
  isCreditNote: boolean;
  invoiceNumber: string | null;
  issueDate: string | null;
  dueDate: string | null;
  currency: string | null;
  /** BT-10: the buyer's routing reference (the Leitweg-ID in XRechnung). */
  buyerReference: string | null;
  /** BT-13: the buyer's purchase order. */
  orderReference: string | null;
  /** BT-83: the remittance text to quote when paying. */
  paymentReference: string | null;
  /** BT-20, as written (several terms are joined by line breaks). */
  paymentTerms: string | null;
  billingPeriod: { start: string | null; end: string | null } | null;
  seller: EInvoiceParty;
  buyer: EInvoiceParty;
  paymentMeans: EInvoicePaymentMeans[];
  vatBreakdown: EInvoiceVatBreakdown[];
  totals: EInvoiceTotals;
  lines: EInvoiceLine[];
  /** Free-text notes on the document (BT-22). */
  notes: string[];
}
