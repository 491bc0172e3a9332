import type { InvoiceDetail } from "../../lib/trpc";

/*
 * invoices.extraction is stored as JSON (packages/api/src/jobs/extraction-input.ts plus what
 * apply-extraction adds); it is typed here, and read defensively, because old rows may lack parts.
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ExtractedField {
  value: string;
  /** Where the value came from; "memory": the tenant's corrections of this supplier taught it. */
  source?: "text-layer" | "ocr" | "e-invoice" | "memory";
  confidence: number;
  page: number;
  box: Box | null;
}

interface ExtractedLine {
  description?: ExtractedField | null;
  quantity?: ExtractedField | null;
  unitPrice?: ExtractedField | null;
  amount?: ExtractedField | null;
}

export type SupplierMatch =
  | { kind: "tax_id" | "name"; supplierId: string; isGlobal: boolean; name: string; score: number }
  | { kind: "proposed"; name: string; taxId: string | null }
  | { kind: "none" };

export interface Extraction {
  fields?: Partial<Record<ExtractedName, ExtractedField | null>> & {
    lineItems?: ExtractedLine[];
  };
  supplierMatch?: SupplierMatch;
  possibleDuplicateOf?: string | null;
}

type ExtractedName =
  | "supplierName"
  | "supplierTaxId"
  | "invoiceNumber"
  | "invoiceDate"
  | "dueDate"
  | "currency"
  | "subtotal"
  | "tax"
  | "total";

export const lowConfidence = 0.6;

/** The form's field name → the extraction's field name. */
export const extractedNameOf = {
  supplierId: "supplierName",
  invoiceNumber: "invoiceNumber",
  invoiceDate: "invoiceDate",
  dueDate: "dueDate",
  currency: "currency",
  subtotal: "subtotal",
  taxAmount: "tax",
  total: "total",
} as const satisfies Record<string, ExtractedName>;

export type HeaderName = keyof typeof extractedNameOf;
export type LineColumn = "description" | "quantity" | "unitPrice" | "amount";

export function extractionOf(invoice: InvoiceDetail): Extraction {
  const raw = invoice.extraction;
  return raw && typeof raw === "object" ? (raw as Extraction) : {};
}

export function headerField(extraction: Extraction, name: HeaderName): ExtractedField | null {
  return extraction.fields?.[extractedNameOf[name]] ?? null;
}

export function lineField(
  extraction: Extraction,
  index: number,
  column: LineColumn,
): ExtractedField | null {
  return extraction.fields?.lineItems?.[index]?.[column] ?? null;
}

export interface DrawnBox {
  key: string;
  label: string;
  page: number;
  box: Box;
  confidence: number;
}

const labels: Record<HeaderName, string> = {
  supplierId: "Supplier",
  invoiceNumber: "Invoice number",
  invoiceDate: "Invoice date",
  dueDate: "Due date",
  currency: "Currency",
  subtotal: "Subtotal",
  taxAmount: "Tax",
  total: "Total",
};

/** Every extracted value that has a box, keyed like the form's inputs ("total", "line.0.amount"). */
export function boxesOf(extraction: Extraction): DrawnBox[] {
  const out: DrawnBox[] = [];
  for (const name of Object.keys(extractedNameOf) as HeaderName[]) {
    const field = headerField(extraction, name);
    if (field?.box) {
      out.push({
        key: name,
        label: labels[name],
        page: field.page,
        box: field.box,
        confidence: field.confidence,
      });
    }
  }
  extraction.fields?.lineItems?.forEach((line, index) => {
    for (const column of ["description", "quantity", "unitPrice", "amount"] as const) {
      const field = line[column];
      if (field?.box) {
        out.push({
          key: `line.${index}.${column}`,
          label: `Line ${index + 1} ${column}`,
          page: field.page,
          box: field.box,
          confidence: field.confidence,
        });
      }
    }
  });
  return out;
}

/**
 * A clicked word as the field expects it: dates as YYYY-MM-DD (from 31.12.2026, 31/12/2026 or
 * 2026-12-31), amounts as 1234.50 (from 1.234,50 or 1,234.50), currencies upper-case.
 */
export function wordFor(field: string, text: string): string {
  const word = text.trim().replace(/[,;:]$/, "");
  if (field === "invoiceDate" || field === "dueDate") {
    const dmy = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(word);
    if (dmy) return `${dmy[3]}-${dmy[2]?.padStart(2, "0")}-${dmy[1]?.padStart(2, "0")}`;
    return word;
  }
  if (["subtotal", "taxAmount", "total", "amountDue"].includes(field)) {
    const digits = word.replace(/[^\d.,-]/g, "");
    const decimal = /[.,](\d{2})$/.exec(digits);
    if (!decimal) return digits.replace(/[.,]/g, "");
    const whole = digits.slice(0, -3).replace(/[.,]/g, "");
    return `${whole || "0"}.${decimal[1]}`;
  }
  if (field === "currency") return word.toUpperCase();
  return word;
}
