import type { ExtractedField } from "../types";
import { fieldFrom } from "./confidence";
import type { DocumentContext } from "./context";
import { rowBelow } from "./labels";
import { type Row, spanOf } from "./rows";

/**
 * The document number, by label: invoice numbers first (in English, German, French, Dutch,
 * Spanish and Italian, the title word compounded or not: "Handelsrechnung Nr.", "Rechnung #"),
 * then the title followed directly by a number ("Invoice INV/2024/001", "Facture FA-2017-10"),
 * then "#" alone under the title, then receipt/bill/document numbers (receipts rarely say
 * "invoice"). Reference, customer and order numbers are never taken. The value is the first
 * token after the label that holds a digit, on the same row or, when the label is a column
 * heading, on the row below.
 */
const title = String.raw`(?:\p{L}*rechnung|gutschrift|invoice|inv|facture|avoir|factuur|creditnota|factura|fattura|nota\s+di\s+credito|credit\s*note|bill)`;
const numberWord = String.raw`(?:no|number|num|nr|nummer|#|n°|nº|n\.?o|n\.|núm(?:ero)?|numero|numéro)`;
/**
 * What may stand between the title and "Nr.": a type code or a few words saying what kind of
 * invoice it is ("Rechnung des Versicherers (575) Nr.", "Gutschrift (Selbst ausgestellte
 * Rechnung) (389) Nr."), never an order, customer or reference word, whose number it would be.
 */
const qualifier = String.raw`(?:[\s-]+(?!(?:order|bestell|auftrag|kunde|customer|client|commande|ref|lieferschein|vertrag|contract)\p{L}*)(?:\([^)]{1,40}\)|\p{L}+)){0,4}?`;
const labels: [RegExp, number][] = [
  [
    new RegExp(
      String.raw`(?<!\p{L})(?:tax\s+)?${title}${qualifier}[\s-]*${numberWord}(?!\p{L})\.?\s*[:#.]?\s*|(?<!\p{L})\p{L}*rechnungs?[-\s]?(?:nummer|nr)(?!\p{L})\.?\s*[:#.]?\s*|(?<!\p{L})factuurnummer\s*[:#.]?\s*|(?<!\p{L})(?:${numberWord}|num[ée]ro)\s*(?:de\s+|di\s+|van\s+)?(?:la\s+)?(?:factura|facture|fattura|factuur)(?!\p{L})\s*[:#.]?\s*|\binvoice\s*:\s*(?=\S*\d)|(?<!\p{L})No\.?\s*Faktur\s*[:#.]?\s*`,
      "iu",
    ),
    0.95,
  ],
  // "Invoice INV/2024/001", "FACTURE FA-2017-0010": the title, then the number, no label.
  [
    /(?<![\p{L}\d])(?:\p{L}*rechnung|gutschrift|invoice|facture|avoir|factuur|factura|fattura|credit\s*note|creditnota|nota\s+di\s+credito|nota\s+de\s+cr[ée]dito)\s+(?=[A-Z0-9/_.-]*\d)(?![\d./-]+\s*$)(?!\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})(?!\d{1,2}\.?\s+\p{L}{3,}\.?\s+\d{2,4})/iu,
    0.8,
  ],
  // "# 10482" on a row of its own, under the title.
  [/(?:^|\s{2,})#\s*(?=\S*\d)/, 0.75],
  [
    /\b(?:receipt|bill|document|doc|transaction|trans|check|cheque|slip|belegs?|beleg)[\s-]*(?:no|number|num|nr|nummer|#|id)?\b\.?\s*[:#.]\s*|\b(?:receipt|bill|doc(?:ument)?)\s*(?:no|number|#)\b\.?\s*/i,
    0.7,
  ],
];
const token = /[A-Z0-9][A-Z0-9/_.-]*[A-Z0-9]|[0-9]/i;

export function findInvoiceNumber(context: DocumentContext): ExtractedField | null {
  for (const [label, evidence] of labels) {
    for (const row of context.rows) {
      const match = label.exec(row.text);
      if (!match) continue;
      const offset = match.index + match[0].length;
      const sameRow = valueAt(row, offset);
      if (sameRow)
        return fieldFrom(sameRow.value, spanOf(row, sameRow.start, sameRow.end), evidence);
      const below = rowBelow(row, context.rows);
      const labelLeft = spanOf(row, match.index, offset).box.x;
      if (!below) continue;
      const index = below.words.findIndex((word) => word.box.x + word.box.width >= labelLeft);
      const start = index >= 0 ? (below.starts[index] ?? 0) : 0;
      const belowValue = valueAt(below, start);
      if (belowValue) {
        return fieldFrom(
          belowValue.value,
          spanOf(below, belowValue.start, belowValue.end),
          evidence * 0.85,
        );
      }
    }
  }
  return null;
}

function valueAt(row: Row, offset: number): { value: string; start: number; end: number } | null {
  const rest = row.text.slice(offset);
  const match = token.exec(rest);
  if (!match || match.index > 3) return null;
  const value = match[0];
  // A date or a bare time is not a document number.
  if (!/\d/.test(value) || /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(value) || value.length > 30)
    return null;
  const start = offset + match.index;
  return { value, start, end: start + value.length };
}
