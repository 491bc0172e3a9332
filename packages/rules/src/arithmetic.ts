import { fromUnits, isIsoDate, isMoney, isQuantity, lineProduct, toUnits } from "./money";

/*
 * The arithmetic warnings an invoice carries. The server stores them with the invoice (a person
 * acknowledges them before submitting); the review form shows the same ones as the clerk types.
 * A check runs only when every value it needs is present and well formed: a missing or
 * half-typed field is the form's validation's business, not a warning.
 */

type Maybe = string | null | undefined;

export interface ArithmeticHeader {
  invoiceDate?: Maybe;
  dueDate?: Maybe;
  subtotal?: Maybe;
  taxAmount?: Maybe;
  total?: Maybe;
}

export interface ArithmeticLine {
  quantity?: Maybe;
  unitPrice?: Maybe;
  amount?: Maybe;
}

const present = (value: Maybe, wellFormed: (v: string) => boolean): string | null => {
  const trimmed = value?.trim();
  return trimmed && wellFormed(trimmed) ? trimmed : null;
};

const magnitude = (units: bigint) => (units < 0n ? -units : units);

/**
 * Quantity × unit price = amount on each line (rounded to cents), lines sum to the subtotal,
 * subtotal + tax = total, the tax no larger than the total (in absolute value: credit notes are
 * negative), due date not before the invoice date.
 */
export function arithmeticWarnings(header: ArithmeticHeader, lines: ArithmeticLine[]): string[] {
  const warnings: string[] = [];

  lines.forEach((line, index) => {
    const quantity = present(line.quantity, isQuantity);
    const unitPrice = present(line.unitPrice, isQuantity);
    const amount = present(line.amount, isMoney);
    if (quantity === null || unitPrice === null || amount === null) return;
    const product = lineProduct(quantity, unitPrice);
    if (product !== toUnits(amount)) {
      warnings.push(
        `line ${index + 1}: quantity × unit price is ${fromUnits(product)}, amount is ${amount}`,
      );
    }
  });

  const subtotal = present(header.subtotal, isMoney);
  const tax = present(header.taxAmount, isMoney);
  const total = present(header.total, isMoney);

  const amounts = lines.map((line) => present(line.amount, isMoney));
  const given = amounts.filter((a): a is string => a !== null);
  if (subtotal !== null && given.length > 0) {
    const sum = given.reduce((acc, a) => acc + toUnits(a), 0n);
    if (sum !== toUnits(subtotal)) {
      warnings.push(`line items sum to ${fromUnits(sum)}, subtotal is ${subtotal}`);
    }
  }
  if (subtotal !== null && tax !== null && total !== null) {
    const sum = toUnits(subtotal) + toUnits(tax);
    if (sum !== toUnits(total)) {
      warnings.push(`subtotal + tax is ${fromUnits(sum)}, total is ${total}`);
    }
  }
  if (tax !== null && total !== null && magnitude(toUnits(tax)) > magnitude(toUnits(total))) {
    warnings.push(`tax ${tax} is more than the total ${total}`);
  }

  const invoiceDate = present(header.invoiceDate, isIsoDate);
  const dueDate = present(header.dueDate, isIsoDate);
  if (invoiceDate !== null && dueDate !== null && dueDate < invoiceDate) {
    warnings.push(`due date ${dueDate} is before the invoice date ${invoiceDate}`);
  }
  return warnings;
}
