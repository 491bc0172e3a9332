import type { ExtractedField } from "../types";
import { fieldFrom } from "./confidence";
import type { DocumentContext } from "./context";
import { rowBelow } from "./labels";
import { type Row, spanOf } from "./rows";

/**
 * The document number, by label: invoice numbers first, then receipt/bill/document numbers
 * (receipts rarely say "invoice"). The value is the first token after the label that holds a
 * digit, on the same row or, when the label is a column heading, on the row below.
 */
const labels: [RegExp, number][] = [
  [
    /\b(?:invoice|inv|tax\s+invoice)\s*(?:no|number|num|nr|#|n°)\b\.?\s*[:#.]?\s*|\binvoice\s*#\s*|\binvoice\s*:\s*(?=\S*\d)/i,
    0.95,
  ],
  [
    /\b(?:Rechnungs?[-\s]?(?:nummer|nr\.?)|Rechnung\s*Nr\.?|Facture\s*n[°o]\.?|No\.?\s*Faktur)\s*[:#.]?\s*/i,
    0.95,
  ],
  [
    /\b(?:receipt|bill|document|doc|order|transaction|trans|ref(?:erence)?|check|cheque|slip|belegs?|beleg)\s*(?:no|number|num|nr|#|id)?\b\.?\s*[:#.]\s*|\b(?:receipt|bill|doc(?:ument)?|ref)\s*(?:no|number|#)\b\.?\s*/i,
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
