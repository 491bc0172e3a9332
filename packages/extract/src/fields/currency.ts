import type { ExtractedField } from "../types";
import { fieldFrom } from "./confidence";
import type { DocumentContext } from "./context";
import { spanOf } from "./rows";

/**
 * The ISO 4217 currency, from codes and symbols printed on the document. Codes beat symbols;
 * a bare "$" is read as US dollars unless the document also shows Malaysian ringgit, Singapore
 * or Australian signs, where "$" is the local dollar on receipts.
 */
const markers: [RegExp, string, number][] = [
  [/\b(?:MYR|RM)(?=\s?\d|\b)/g, "MYR", 0.9],
  [/\bEUR\b|€/g, "EUR", 0.95],
  [/\bGBP\b|£/g, "GBP", 0.95],
  [/\bUSD\b|US\$/g, "USD", 0.95],
  [/\bSGD\b|S\$/g, "SGD", 0.95],
  [/\bAUD\b|A\$/g, "AUD", 0.95],
  [/\bCHF\b/g, "CHF", 0.95],
  [/\bJPY\b|¥/g, "JPY", 0.9],
  [/\bCAD\b|C\$/g, "CAD", 0.95],
  [/\bINR\b|₹/g, "INR", 0.95],
];
const malaysianSigns =
  /\b(?:SDN\.?\s?BHD|S\/B|BHD|GST\s*(?:ID|NO|REG)|JALAN|JLN|SELANGOR|KUALA\s+LUMPUR|JOHOR)\b/i;

export function findCurrency(context: DocumentContext): ExtractedField | null {
  const tally = new Map<
    string,
    { count: number; evidence: number; row: number; start: number; end: number }
  >();
  context.rows.forEach((row, rowIndex) => {
    for (const [pattern, code, evidence] of markers) {
      for (const match of row.text.matchAll(pattern)) {
        const entry = tally.get(code);
        if (entry) entry.count++;
        else
          tally.set(code, {
            count: 1,
            evidence,
            row: rowIndex,
            start: match.index ?? 0,
            end: (match.index ?? 0) + match[0].length,
          });
      }
    }
  });
  const [best] = [...tally.entries()].sort((a, b) => b[1].count - a[1].count);
  if (best) {
    const [code, entry] = best;
    const row = context.rows[entry.row];
    if (row) return fieldFrom(code, spanOf(row, entry.start, entry.end), entry.evidence);
  }
  const dollarRow = context.rows.find((row) => /\$\s?\d/.test(row.text));
  if (!dollarRow) return null;
  const at = dollarRow.text.indexOf("$");
  const local = context.rows.some((row) => malaysianSigns.test(row.text));
  return fieldFrom(local ? "MYR" : "USD", spanOf(dollarRow, at, at + 1), 0.5);
}
