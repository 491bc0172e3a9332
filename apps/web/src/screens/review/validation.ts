import { isIsoDate, moneyPattern as money, quantityPattern as quantity } from "@remit/rules";

/* The same rules as the API's input schemas: the patterns come from @remit/rules, as there. */

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

export function validate(header: HeaderForm, lines: LineForm[]): Errors {
  const errors: Errors = {};
  if (header.invoiceNumber.trim().length > 100) errors.invoiceNumber = "At most 100 characters.";
  for (const name of ["invoiceDate", "dueDate"] as const) {
    const value = header[name].trim();
    if (value && !isIsoDate(value)) errors[name] = "A date like 2024-03-31 (YYYY-MM-DD).";
  }
  if (header.currency.trim() && !/^[A-Z]{3}$/.test(header.currency.trim())) {
    errors.currency = "A 3-letter ISO currency code like EUR.";
  }
  for (const name of ["subtotal", "taxAmount", "total"] as const) {
    const value = header[name].trim();
    if (value && !money.test(value)) errors[name] = "An amount like 1234.50 (at most 2 decimals).";
  }
  lines.forEach((line, index) => {
    if (line.description.length > 1000) {
      errors[`line.${index}.description`] = "At most 1000 characters.";
    }
    for (const column of ["quantity", "unitPrice"] as const) {
      const value = line[column].trim();
      if (value && !quantity.test(value)) {
        errors[`line.${index}.${column}`] = "A number like 2 or 1.5 (at most 4 decimals).";
      }
    }
    const amount = line.amount.trim();
    if (amount && !money.test(amount)) {
      errors[`line.${index}.amount`] = "An amount like 1234.50 (at most 2 decimals).";
    }
  });
  if (lines.length > 500) errors.lines = "At most 500 line items.";
  return errors;
}
