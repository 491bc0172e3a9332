import { z } from "zod";
import { isIsoDate, moneyPattern, quantityPattern } from "./money";

/*
 * What an invoice's fields may hold, as one set of zod schemas: the API's input (invoice.create,
 * invoice.update), the extraction that lands on a draft (only valid values are applied) and the
 * web app's review form (field by field, as the clerk types). The messages are sentences a
 * person can act on; the form shows them capitalised.
 */

export const moneyString = z
  .string()
  .trim()
  .regex(moneyPattern, "an amount like 1234.50 (at most 2 decimals)");

export const quantityString = z
  .string()
  .trim()
  .regex(quantityPattern, "a number like 2 or 1.5 (at most 4 decimals)");

export const isoDateString = z
  .string()
  .trim()
  .refine(isIsoDate, "a date like 2024-03-31 (YYYY-MM-DD)");

export const currencyCode = z.string().regex(/^[A-Z]{3}$/, "a 3-letter ISO currency code like EUR");

export const invoiceNumber = z
  .string()
  .trim()
  .min(1, "an invoice number cannot be blank")
  .max(100, "at most 100 characters");

/** Each header field that holds text, by its column name. */
export const headerFields = {
  invoiceNumber,
  invoiceDate: isoDateString,
  dueDate: isoDateString,
  currency: currencyCode,
  subtotal: moneyString,
  taxAmount: moneyString,
  total: moneyString,
  /** What is left to pay after prepayments, when stated apart from the total. */
  amountDue: moneyString,
} as const satisfies Record<string, z.ZodType<string>>;

export type HeaderField = keyof typeof headerFields;

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

export const invoiceHeader = z.object({
  supplierId: nullable(z.uuid()),
  invoiceNumber: nullable(headerFields.invoiceNumber),
  invoiceDate: nullable(headerFields.invoiceDate),
  dueDate: nullable(headerFields.dueDate),
  currency: nullable(headerFields.currency),
  subtotal: nullable(headerFields.subtotal),
  taxAmount: nullable(headerFields.taxAmount),
  total: nullable(headerFields.total),
  amountDue: nullable(headerFields.amountDue),
});

export const lineItemFields = {
  description: z.string().trim().max(1000, "at most 1000 characters"),
  quantity: quantityString,
  unitPrice: quantityString,
  amount: moneyString,
} as const;

export const lineItem = z.object({
  description: lineItemFields.description,
  quantity: nullable(lineItemFields.quantity),
  unitPrice: nullable(lineItemFields.unitPrice),
  amount: nullable(lineItemFields.amount),
});

export const maxLineItems = 500;
export const lineItems = z.array(lineItem).max(maxLineItems, `at most ${maxLineItems} line items`);

export type InvoiceHeader = z.infer<typeof invoiceHeader>;
export type LineItemInput = z.infer<typeof lineItem>;

/** The schema's sentence for a value it refuses; null when the value is valid. */
export function refusal(schema: z.ZodType, value: unknown): string | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? "not a valid value");
}

/** The value if it is valid for the field, trimmed; null otherwise (or when there is none). */
export function validFieldValue(field: HeaderField, value: unknown): string | null {
  const parsed = headerFields[field].safeParse(value);
  return parsed.success ? parsed.data : null;
}
