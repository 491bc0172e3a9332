import type { Box } from "../types";

/*
 * What a tenant's corrections teach about one supplier's layout: for each field a person
 * corrected, the label the supplier prints before it, where the value sits relative to that
 * label, and where on the page the label is. Plain JSON, kept per tenant and supplier by the
 * API (supplier_layouts); no values of past invoices are kept, only how to find the next one.
 */

/** The fields memory can read: those a label introduces. The supplier itself is how a memory is found. */
export const memoryFieldNames = [
  "invoiceNumber",
  "invoiceDate",
  "dueDate",
  "currency",
  "subtotal",
  "tax",
  "total",
  "amountDue",
] as const;
export type MemoryFieldName = (typeof memoryFieldNames)[number];

/** The value is printed after the label on the same visual row, or on the row under it. */
export type Relation = "right" | "below";

/** A ninth of the page: rows top/middle/bottom by columns left/centre/right. */
export type Zone = `${"top" | "middle" | "bottom"}-${"left" | "centre" | "right"}`;

/** How the supplier writes numbers and dates, learned from the corrected value. */
export type ValueFormat = "dot" | "comma" | "dmy" | "mdy";

export interface FieldLayout {
  /** The label, normalised (lower case, letters and digits, single spaces): "rechnung nr". */
  label: string;
  relation: Relation;
  /** Where the label sits. */
  zone: Zone;
  /** The label's centre as fractions of the page (0–1): picks among repeated labels. */
  at: { x: number; y: number };
  /** The label was on the document's last page (totals of multi-page invoices). */
  lastPage: boolean;
  /** How many words the value took ("RE 2024 17" is three). */
  words: number;
  /**
   * The value follows an amount after the label: a currency printed after its amount
   * ("Zu zahlen: 1.234,56 SEK") is read past the figures that follow the label.
   */
  afterAmount?: boolean | undefined;
  format?: ValueFormat | undefined;
}

export interface SupplierLayout {
  version: 1;
  fields: Partial<Record<MemoryFieldName, FieldLayout>>;
}

/** The page text memory reads: words with boxes, in the page's pixel space. `Page` fits. */
export interface LayoutWord {
  text: string;
  box: Box;
}
export interface LayoutPage {
  number: number;
  width: number;
  height: number;
  lines: ReadonlyArray<{ words: readonly LayoutWord[] }>;
}

/**
 * Confidence of a remembered value: the memorised label was found and its value parses. In
 * the zone where it was learned it is near-certain; elsewhere on the page a little less.
 */
export const memoryConfidence = { inZone: 0.9, elsewhere: 0.8 } as const;

/**
 * Most words of a document's pages a worker reports (and the API keeps with the invoice) for
 * memory to learn from and read: a dense two-page invoice has about a thousand.
 */
export const maxLayoutWords = 3000;

/** Longest label and value, in words: labels are short, and so are invoice numbers. */
export const maxLabelWords = 5;
export const maxValueWords = 4;
