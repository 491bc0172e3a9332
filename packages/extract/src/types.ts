import type { EInvoice } from "./einvoice/model";

export type {
  EInvoice,
  EInvoiceLine,
  EInvoiceParty,
  EInvoicePaymentMeans,
  EInvoiceSyntax,
  EInvoiceTotals,
  EInvoiceVatBreakdown,
} from "./einvoice/model";

/**
 * The contract of @remit/extract: a document goes in, pages of words with boxes and the
 * invoice's proposed fields come out. Every box is in the pixel space of the page's PNG
 * preview (origin top-left), so the review screen can draw it without any conversion.
 */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Word {
  text: string;
  box: Box;
  /** 0–1; 1 for a PDF text layer, tesseract's word confidence / 100 for OCR. */
  confidence: number;
}

export interface Line {
  text: string;
  box: Box;
  confidence: number;
  words: Word[];
}

export type PageSource = "text-layer" | "ocr";

export interface Page {
  /** 1-based. */
  number: number;
  /** Size of the preview in pixels; the coordinate space of every box on this page. */
  width: number;
  height: number;
  source: PageSource;
  lines: Line[];
  /**
   * Rows OCR read a second time, cropped and enlarged (the total rows of a scan): more
   * evidence for the field rules, not more text on the page. Each line's box covers the row
   * it re-reads; absent when nothing was read again.
   */
  rereads?: Line[];
}

/** A page's PNG preview, kept apart from Page so that extractions stay small JSON. */
export interface PagePreview {
  page: number;
  png: Uint8Array;
  width: number;
  height: number;
}

/**
 * Where a field's value came from: the page's text layer, OCR of a scan, the structured
 * e-invoice data a document carries (Factur-X/ZUGFeRD/XRechnung, CII or UBL), or what the
 * tenant's corrections taught about this supplier's layout.
 */
export const fieldSources = ["text-layer", "ocr", "e-invoice", "memory"] as const;
export type FieldSource = (typeof fieldSources)[number];

export interface ExtractedField<T = string> {
  /** Amounts as decimal strings ("1234.56"), dates as ISO ("2024-03-31"), currency ISO 4217. */
  value: T;
  /** Absent on older reports: read from the page (text layer or OCR, as the page says). */
  source?: FieldSource;
  /** 0–1. */
  confidence: number;
  /** 1-based page the value was read from. */
  page: number;
  box: Box | null;
}

export interface ExtractedLineItem {
  description: ExtractedField;
  quantity: ExtractedField | null;
  unitPrice: ExtractedField | null;
  amount: ExtractedField | null;
}

export const headerFieldNames = [
  "supplierName",
  "supplierTaxId",
  "invoiceNumber",
  "invoiceDate",
  "dueDate",
  "currency",
  "subtotal",
  "tax",
  "total",
  /** What is left to pay after prepayments; null when the document states no separate figure. */
  "amountDue",
] as const;
export type HeaderFieldName = (typeof headerFieldNames)[number];

export type InvoiceFields = { [K in HeaderFieldName]: ExtractedField | null } & {
  lineItems: ExtractedLineItem[];
};

export const warningCodes = [
  "lines_do_not_sum_to_subtotal",
  "subtotal_plus_tax_is_not_total",
  "due_date_before_invoice_date",
  /** A PDF's visible page shows another supplier, number, date or total than its e-invoice XML. */
  "page_disagrees_with_e_invoice",
  /** A PDF carries e-invoice XML that could not be read; its fields were read from the page. */
  "e_invoice_unreadable",
] as const;
export type WarningCode = (typeof warningCodes)[number];

export interface ExtractionWarning {
  code: WarningCode;
  /** A sentence a person can read on the review screen. */
  message: string;
}

export interface FieldExtraction {
  fields: InvoiceFields;
  warnings: ExtractionWarning[];
}

export interface Extraction extends FieldExtraction {
  pages: Page[];
  /** Milliseconds spent, for logs and benchmarks. */
  timings: { totalMs: number; perPageMs: number[] };
  /**
   * The structured data of an e-invoice (an XML upload, or XML embedded in a PDF): the VAT
   * breakdown, payment terms and means, parties, references and lines. Absent for a document
   * read from its pages only.
   */
  eInvoice?: EInvoice;
}
