// The public readers of amounts and dates (fields/index.ts), the same the rules use.
import { parseAmount, parseDate } from "../fields";
import type { MemoryFieldName, ValueFormat } from "./types";

/*
 * Reading one field's value from a few words, in the format the supplier was seen to use.
 * Learning runs the other way: which words, read in which format, give the value a person
 * confirmed.
 */

type Kind = "number" | "date" | "amount" | "currency";

export const kindOf: Record<MemoryFieldName, Kind> = {
  invoiceNumber: "number",
  invoiceDate: "date",
  dueDate: "date",
  currency: "currency",
  subtotal: "amount",
  tax: "amount",
  total: "amount",
  amountDue: "amount",
};

const currencySymbols: Record<string, string> = { "€": "EUR", $: "USD", "£": "GBP", "¥": "JPY" };

const formatsOf: Record<Kind, readonly (ValueFormat | undefined)[]> = {
  number: [undefined],
  currency: [undefined],
  date: ["dmy", "mdy"],
  amount: ["comma", "dot"],
};

/** Punctuation that belongs to the label or the layout, not to the value. */
const trimValue = (text: string) =>
  text
    .trim()
    .replace(/^[#:;,]+/, "")
    .replace(/[.,;:]+$/, "")
    .trim();

function parseNumber(text: string): string | null {
  const value = trimValue(text);
  // An invoice number has a digit, no spaces inside once read, and is short.
  if (!/\d/.test(value) || value.length > 40) return null;
  if (!/^[\p{L}\p{N}][\p{L}\p{N}\-/._ ]*$/u.test(value)) return null;
  return value;
}

function parseCurrency(text: string): string | null {
  const value = trimValue(text);
  const code = currencySymbols[value] ?? value.toUpperCase();
  return /^[A-Z]{3}$/.test(code) && value.length <= 3 ? code : null;
}

/** The field's value in `text`, read as the supplier writes it; null when it does not parse. */
export function parseValue(
  field: MemoryFieldName,
  text: string,
  format: ValueFormat | undefined,
): string | null {
  switch (kindOf[field]) {
    case "number":
      return parseNumber(text);
    case "currency":
      return parseCurrency(text);
    case "date":
      return parseDate(trimValue(text), format === "mdy" ? "mdy" : "dmy");
    case "amount":
      return parseAmount(trimValue(text), format === "dot" ? "dot" : "comma");
  }
}

function sameValue(field: MemoryFieldName, read: string, verified: string): boolean {
  switch (kindOf[field]) {
    case "number":
      return read.replace(/\s+/g, "").toUpperCase() === verified.replace(/\s+/g, "").toUpperCase();
    case "amount":
      return Math.abs(Number(read) - Number(verified)) < 0.005;
    default:
      return read === verified;
  }
}

/**
 * Whether `text` reads as the verified value, and in which format; undefined when it does
 * not. (A format of `undefined` inside the result means the field has none, e.g. numbers.)
 */
export function readsAs(
  field: MemoryFieldName,
  text: string,
  verified: string,
): { format: ValueFormat | undefined } | undefined {
  for (const format of formatsOf[kindOf[field]]) {
    const read = parseValue(field, text, format);
    if (read !== null && sameValue(field, read, verified)) return { format };
  }
  return undefined;
}
