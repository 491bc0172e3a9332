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

const lineItem = z.object({
  description: field,
  quantity: field.nullable(),
  unitPrice: field.nullable(),
  amount: field.nullable(),
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
      }),
    )
    .max(10_000),
  timings: z.object({
    totalMs: z.number().min(0),
    perPageMs: z.array(z.number().min(0)).max(10_000),
  }),
});

export type ExtractionInput = z.infer<typeof extractionInput>;
export type ExtractedFieldInput = z.infer<typeof field>;
