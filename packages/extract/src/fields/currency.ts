import type { ExtractedField } from "../types";
import { fieldFrom } from "./confidence";
import type { DocumentContext } from "./context";
import { spanOf } from "./rows";

/**
 * The ISO 4217 currency, from codes, symbols and local abbreviations printed on the document
 * (RM, Rs/₹, zł, Kč, Fr., kr with its country). Codes beat symbols; a bare "$" is read as US
 * dollars unless the document also shows Malaysian signs, where "$" is the local dollar on
 * receipts. No evidence, no currency: an empty field is better than a guess.
 */
const markers: [RegExp, string, number][] = [
  [/\b(?:MYR|RM)(?=\s?\d|\b)/g, "MYR", 0.9],
  [/\bEUR\b|€/g, "EUR", 0.95],
  [/\bGBP\b|£/g, "GBP", 0.95],
  [/\bUSD\b|US\$/g, "USD", 0.95],
  [/\bSGD\b|S\$/g, "SGD", 0.95],
  [/\bAUD\b|A\$/g, "AUD", 0.95],
  // "Fr. 12.50" is Swiss francs; "Mo.-Fr. 08.30 - 12.30" is Friday's opening hours.
  [/\bCHF\b|(?<![-–]\s?)\bFr\.\s?\d+[.,]\d{2}\b(?!\s?[-–])|\bSFr\.?/g, "CHF", 0.95],
  [/\bJPY\b|¥\s?\d/g, "JPY", 0.9],
  [/\bCAD\b|C\$/g, "CAD", 0.95],
  [/\bINR\b|₹|\bRs\.?\s?\d/g, "INR", 0.95],
  [/\bPLN\b|\d\s?zł/g, "PLN", 0.95],
  [/\bCZK\b|\d\s?Kč/g, "CZK", 0.95],
  [/\bSEK\b/g, "SEK", 0.95],
  [/\bNOK\b/g, "NOK", 0.95],
  [/\bDKK\b/g, "DKK", 0.95],
  [/\bHKD\b|HK\$/g, "HKD", 0.95],
  [/\bNZD\b|NZ\$/g, "NZD", 0.95],
  [/\bCNY\b|\bRMB\b/g, "CNY", 0.9],
];
/** "kr" is the Swedish, Norwegian and Danish crown alike: the country decides. */
const crowns: [RegExp, string][] = [
  [/\bSverige\b|\bSweden\b|\.se\b|\bSE\d{12}\b|\bmoms\b/i, "SEK"],
  [/\bNorge\b|\bNorway\b|\.no\b|\bMVA\b/i, "NOK"],
  [/\bDanmark\b|\bDenmark\b|\.dk\b|\bDK\d{8}\b/i, "DKK"],
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
  // A yen, euro or pound sign on a Malaysian receipt is OCR's reading of a logo or a smudge;
  // only a printed code would make it that currency. The country's signs (SDN BHD, GST,
  // JALAN) are themselves weak evidence of ringgit.
  const malaysian = context.rows.some((row) => malaysianSigns.test(row.text));
  if (malaysian) {
    const all = texts(context);
    for (const [code, sign] of [
      ["JPY", "¥"],
      ["EUR", "€"],
      ["GBP", "£"],
    ] as const) {
      if (!new RegExp(String.raw`\b${code}\b`).test(all) && all.includes(sign)) tally.delete(code);
    }
  }
  if (tally.size === 0) {
    const crown = crownOf(context);
    if (crown) return crown;
  }
  const [best] = [...tally.entries()].sort((a, b) => b[1].count - a[1].count);
  if (best) {
    const [code, entry] = best;
    const row = context.rows[entry.row];
    if (row) return fieldFrom(code, spanOf(row, entry.start, entry.end), entry.evidence);
  }
  const dollarRow = context.rows.find((row) => /\$\s?\d/.test(row.text));
  if (!dollarRow) {
    const signRow = malaysian ? context.rows.find((row) => malaysianSigns.test(row.text)) : null;
    return signRow ? fieldFrom("MYR", spanOf(signRow, 0, signRow.text.length), 0.4) : null;
  }
  const at = dollarRow.text.indexOf("$");
  const local = context.rows.some((row) => malaysianSigns.test(row.text));
  return fieldFrom(local ? "MYR" : "USD", spanOf(dollarRow, at, at + 1), 0.5);
}

function texts(context: DocumentContext): string {
  return context.rows.map((row) => row.text).join("\n");
}

function crownOf(context: DocumentContext): ExtractedField | null {
  const row = context.rows.find((candidate) => /\d\s?kr\b|\bkr\.?\s?\d/i.test(candidate.text));
  if (!row) return null;
  const all = texts(context);
  const country = crowns.find(([pattern]) => pattern.test(all));
  if (!country) return null;
  const at = row.text.search(/kr/i);
  return fieldFrom(country[1], spanOf(row, at, at + 2), 0.8);
}
