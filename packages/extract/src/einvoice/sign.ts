import type { EInvoice } from "./model";
import { isNegative, negate } from "./values";

/**
 * A credit note reduces what is owed, so Remit's ledger reads it negative. EN 16931 credit
 * notes state their amounts as positive numbers and let the type code carry the meaning;
 * some senders write the minus signs themselves. The sign of the stated grand total (or, when
 * the document has none, of the amount due) tells which: only positive documents are negated,
 * and then every money amount is, so the breakdown still adds up. Quantities, unit prices and
 * rates are left as written.
 */
export function withLedgerSign(invoice: EInvoice): EInvoice {
  const stated =
    invoice.totals.grandTotal ?? invoice.totals.amountDue ?? invoice.totals.taxBasisTotal;
  if (!invoice.isCreditNote || stated === null || isNegative(stated)) return invoice;
  const flip = (value: string | null) => (value === null ? null : negate(value));
  const totals = { ...invoice.totals };
  for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] = flip(totals[key]);
  return {
    ...invoice,
    totals,
    vatBreakdown: invoice.vatBreakdown.map((row) => ({
      ...row,
      taxableAmount: flip(row.taxableAmount),
      taxAmount: flip(row.taxAmount),
    })),
    lines: invoice.lines.map((line) => ({ ...line, amount: flip(line.amount) })),
  };
}
