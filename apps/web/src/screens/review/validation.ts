import {
  type HeaderField,
  headerFields,
  lineItemFields,
  maxLineItems,
  refusal,
} from "@remit/rules";

/*
 * The review form's checks are the API's input schemas themselves (@remit/rules), run field by
 * field as the clerk types: an empty field is no value (null), not an error.
 */

export interface HeaderForm {
  supplierId: string;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  currency: string;
  subtotal: string;
  taxAmount: string;
  total: string;
}

export interface LineForm {
  key: string;
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
}

export type Errors = Record<string, string>;

const sentence = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;

/** The schema's message, as a sentence, for a value it refuses; null for an empty or valid one. */
function check(schema: (typeof headerFields)[HeaderField], value: string): string | null {
  if (!value.trim()) return null;
  const message = refusal(schema, value);
  return message ? sentence(message) : null;
}

const checkedHeader = [
  "invoiceNumber",
  "invoiceDate",
  "dueDate",
  "currency",
  "subtotal",
  "taxAmount",
  "total",
] as const satisfies readonly HeaderField[];

export function validate(header: HeaderForm, lines: LineForm[]): Errors {
  const errors: Errors = {};
  for (const name of checkedHeader) {
    const message = check(headerFields[name], header[name]);
    if (message) errors[name] = message;
  }
  lines.forEach((line, index) => {
    for (const column of ["description", "quantity", "unitPrice", "amount"] as const) {
      const message = check(lineItemFields[column], line[column]);
      if (message) errors[`line.${index}.${column}`] = message;
    }
  });
  if (lines.length > maxLineItems) errors.lines = `At most ${maxLineItems} line items.`;
  return errors;
}
