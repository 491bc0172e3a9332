import { maxLayoutWords } from "@remit/extract/memory";
import { z } from "zod";

/*
 * What a worker may report as an extraction. The worker is the process that reads hostile
 * files, so its report is input like any other: bounded, typed, and checked again before a
 * value reaches an invoice column (see apply-extraction.ts). Field values are plain strings
 * here; whether "2024-13-45" is a date is decided when it is applied.
 */

const box = z.object({
  x: z.number().finite().min(0).max(100_000),
  y: z.number().finite().min(0).max(100_000),
  width: z.number().finite().min(0).max(100_000),
  height: z.number().finite().min(0).max(100_000),
});

const field = z.object({
  value: z.string().max(500),
  confidence: z.number().min(0).max(1),
  page: z.number().int().min(1).max(10_000),
  box: box.nullable(),
  source: z.enum(["text-layer", "ocr", "e-invoice", "memory"]).optional(),
});

/**
 * A page's words with their boxes, grouped in lines: what supplier memory learns from when the
 * invoice is verified and reads the supplier's next document with. Bounded in total below.
 */
const layoutLine = z.object({
  words: z
    .array(z.object({ text: z.string().min(1).max(100), box }))
    .min(1)
    .max(200),
});

const lineItem = z.object({
  description: field,
  quantity: field.nullable(),
  unitPrice: field.nullable(),
  amount: field.nullable(),
});

const text = (max: number) => z.string().max(max).nullable();

const party = z.object({
  name: text(500),
  vatId: text(100),
  taxNumber: text(100),
  legalId: text(200),
  address: z.array(z.string().max(500)).max(10),
  countryCode: text(10),
});

/** The structured data of an e-invoice (packages/extract einvoice/model.ts), bounded. */
const eInvoice = z.object({
  syntax: z.enum(["cii", "zugferd-1", "ubl-invoice", "ubl-credit-note"]),
  specification: text(500),
  profile: z.string().max(200),
  attachmentName: text(200),
  documentTypeCode: text(10),
  isCreditNote: z.boolean(),
  invoiceNumber: text(200),
  issueDate: text(40),
  dueDate: text(40),
  currency: text(10),
  buyerReference: text(500),
  orderReference: text(500),
  paymentReference: text(500),
  paymentTerms: text(5000),
  billingPeriod: z.object({ start: text(40), end: text(40) }).nullable(),
  seller: party,
  buyer: party,
  paymentMeans: z
    .array(
      z.object({
        typeCode: text(10),
        iban: text(100),
        bic: text(20),
        accountName: text(500),
        information: text(2000),
      }),
    )
    .max(20),
  vatBreakdown: z
    .array(
      z.object({
        categoryCode: text(10),
        rate: text(20),
        taxableAmount: text(40),
        taxAmount: text(40),
        exemptionReason: text(2000),
      }),
    )
    .max(50),
  totals: z.object({
    lineTotal: text(40),
    allowanceTotal: text(40),
    chargeTotal: text(40),
    taxBasisTotal: text(40),
    taxTotal: text(40),
    grandTotal: text(40),
    prepaid: text(40),
    rounding: text(40),
    amountDue: text(40),
  }),
  lines: z
    .array(
      z.object({
        id: text(100),
        name: z.string().max(2000),
        description: text(5000),
        quantity: text(40),
        unitCode: text(20),
        netPrice: text(40),
        amount: text(40),
        vatCategoryCode: text(10),
        vatRate: text(20),
      }),
    )
    .max(2000),
  notes: z.array(z.string().max(10_000)).max(100),
});

export const extractionInput = z.object({
  fields: z.object({
    supplierName: field.nullable(),
    supplierTaxId: field.nullable(),
    invoiceNumber: field.nullable(),
    invoiceDate: field.nullable(),
    dueDate: field.nullable(),
    currency: field.nullable(),
    subtotal: field.nullable(),
    tax: field.nullable(),
    total: field.nullable(),
    amountDue: field.nullable().optional(),
    lineItems: z.array(lineItem).max(500),
  }),
  warnings: z.array(z.object({ code: z.string().max(100), message: z.string().max(500) })).max(50),
  pages: z
    .array(
      z.object({
        number: z.number().int().min(1).max(10_000),
        width: z.number().int().min(1).max(100_000),
        height: z.number().int().min(1).max(100_000),
        source: z.enum(["text-layer", "ocr"]),
        lines: z.array(layoutLine).max(maxLayoutWords).optional(),
      }),
    )
    .max(10_000)
    .refine(
      (pages) =>
        pages.reduce(
          (sum, page) => sum + (page.lines ?? []).reduce((n, line) => n + line.words.length, 0),
          0,
        ) <= maxLayoutWords,
      { message: `at most ${maxLayoutWords} words of page text are reported` },
    ),
  timings: z.object({
    totalMs: z.number().min(0),
    perPageMs: z.array(z.number().min(0)).max(10_000),
  }),
  /** Present when the document is, or carries, an e-invoice: its fields came from the XML. */
  eInvoice: eInvoice.optional(),
});

export type ExtractionInput = z.infer<typeof extractionInput>;
export type ExtractedFieldInput = z.infer<typeof field>;
