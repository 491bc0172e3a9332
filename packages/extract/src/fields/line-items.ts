import type { ExtractedField, ExtractedLineItem } from "../types";
import { type AmountMatch, findAmounts } from "./amounts";
import { fieldFrom } from "./confidence";
import type { DocumentContext } from "./context";
import { type Row, spanOf } from "./rows";
import { classifyLabel } from "./total-labels";

/**
 * Line items: the rows between the table heading ("Description … Qty … Amount") and the first
 * total, each a description followed by numbers. The last amount is the line amount; before it
 * come the unit price and, first, the quantity. Rows without a heading are not guessed at:
 * on a receipt without one, wrong items would cost a reviewer more than none.
 */
const heading =
  /\b(?:description|item|items|article|product|service|particulars|beschreibung|bezeichnung|artikel|leistung|position|désignation)\b/i;
const headingNumbers =
  /\b(?:qty|quantity|menge|anzahl|amount|total|betrag|price|preis|rate|summe|gesamt)\b/i;

/** "Description  Qty  Unit Price  Amount": the heading of a line-item table. */
export function isTableHeading(text: string): boolean {
  return heading.test(text) && headingNumbers.test(text);
}

export function findLineItems(context: DocumentContext): ExtractedLineItem[] {
  const start = context.rows.findIndex(
    (row) => heading.test(row.text) && headingNumbers.test(row.text),
  );
  if (start < 0) return [];
  const items: ExtractedLineItem[] = [];
  for (const row of context.rows.slice(start + 1)) {
    const amounts = findAmounts(row.text, context.decimalStyle);
    const first = amounts[0];
    if (first && classifyLabel(row.text.slice(0, first.start))) {
      if (items.length > 0) break;
      continue;
    }
    const item = readItem(row, amounts);
    if (item) items.push(item);
  }
  return items;
}

/**
 * Read from the right, where the numbers are: the amount, then the unit price, then a whole
 * quantity. Everything before them is the description, numbers in it included ("Label tape
 * 12 mm").
 */
function readItem(row: Row, amounts: AmountMatch[]): ExtractedLineItem | null {
  const amount = amounts.at(-1);
  if (!amount?.hasCents || row.text.slice(amount.end).trim().length > 3) return null;
  const priceCandidate = amounts.at(-2);
  const unitPrice = priceCandidate?.hasCents ? priceCandidate : null;
  const quantityCandidate = amounts.at(unitPrice ? -3 : -2);
  const quantity =
    quantityCandidate && /^\d{1,4}(?:\.\d+)?$/.test(quantityCandidate.value)
      ? quantityCandidate
      : null;
  const descriptionEnd = (quantity ?? unitPrice ?? amount).start;
  const description = row.text
    .slice(0, descriptionEnd)
    .replace(/[\s:.-]+$/, "")
    .trim();
  if (!/\p{L}{2}/u.test(description)) return null;
  const field = (match: AmountMatch): ExtractedField =>
    fieldFrom(match.value, spanOf(row, match.start, match.end), 0.8);
  return {
    description: fieldFrom(description, spanOf(row, 0, descriptionEnd), 0.8),
    quantity: quantity && field(quantity),
    unitPrice: unitPrice && field(unitPrice),
    amount: field(amount),
  };
}
