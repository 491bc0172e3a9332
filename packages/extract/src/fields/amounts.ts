/**
 * Money amounts as printed → decimal strings ("1234.56"). Two conventions are told apart:
 * "dot" (1,234.56 — en-US, en-GB, Malaysia) and "comma" (1.234,56 or 1 234,56 — de-DE, fr-FR).
 * A document's convention is decided once (detectDecimalStyle) and then every amount on it is
 * read the same way, because "1.234" alone means 1234 in Germany and 1.234 in the US.
 */
export type DecimalStyle = "dot" | "comma";

export interface AmountMatch {
  value: string;
  start: number;
  end: number;
  /** Printed with two decimals: almost always money rather than a quantity or a code. */
  hasCents: boolean;
}

// Currency before the amount. "R" followed by one or two capitals covers RM as OCR reads it
// (RH, RN, RY, RHM) on receipts.
const currencyPrefix = String.raw`(?:(?:MYR|USD|US\$|EUR|GBP|SGD|S\$|AUD|A\$|CHF|Fr\.|R\$|R[A-Z¥]{0,2}|[$€£¥])\s?)?`;
// Group separators: "," "." "'" and, for decimal-comma documents, a space (1 234,56). OCR
// sometimes opens a gap after the decimal mark ("49. 40"); a mark then exactly two digits
// still reads as cents.
const numberBody = String.raw`\d{1,3}(?:[,.'\u00a0 ]\d{3})+(?:[.,]\d{1,2})?|\d+[.,] \d{2}(?!\d)|\d+(?:[.,]\d{1,2})?`;
const amountPattern = new RegExp(
  String.raw`(?<![\w.,])(\(|-\s?)?${currencyPrefix}(${numberBody})(?:\s?(?:€|EUR|RM))?(\))?(?![\w]|[.,]\d)`,
  "gi",
);

/** Every amount in `text`, left to right. */
export function findAmounts(text: string, style: DecimalStyle): AmountMatch[] {
  const matches: AmountMatch[] = [];
  for (const match of text.matchAll(amountPattern)) {
    const body = match[2] ?? "";
    // A space only groups thousands in decimal-comma documents; elsewhere "2 100.00" is a
    // quantity followed by a price.
    if (/\d\s\d/.test(body) && style === "dot") {
      const parts = splitOnSpaces(text, match.index ?? 0, match[0], style);
      matches.push(...parts);
      continue;
    }
    const value = normaliseNumber(body.replace(/([.,]) /, "$1"), style);
    if (value === null) continue;
    const negative = Boolean(match[1]?.startsWith("-") || (match[1] === "(" && match[3] === ")"));
    matches.push({
      value: negative && Number(value) !== 0 ? `-${value}` : value,
      start: match.index ?? 0,
      end: (match.index ?? 0) + match[0].length,
      hasCents: /\.\d{2}$/.test(value),
    });
  }
  return matches;
}

function splitOnSpaces(text: string, offset: number, matched: string, style: DecimalStyle) {
  const results: AmountMatch[] = [];
  let cursor = offset;
  for (const piece of matched.split(/\s+/)) {
    const start = text.indexOf(piece, cursor);
    cursor = start + piece.length;
    for (const inner of findAmounts(piece, style)) {
      if (/\s/.test(piece)) continue;
      results.push({ ...inner, start: start + inner.start, end: start + inner.end });
    }
  }
  return results;
}

/** The one amount `text` consists of (currency and spaces allowed), or null. */
export function parseAmount(text: string, style: DecimalStyle): string | null {
  const trimmed = text.trim();
  const [match] = findAmounts(trimmed, style);
  if (match?.start !== 0 || match.end !== trimmed.length) return null;
  return match.value;
}

/**
 * "1.234,56" → "1234.56" in comma style; "1,234.56" → "1234.56" in dot style. Returns null
 * when the separators contradict the style (e.g. "1,234,5").
 */
export function normaliseNumber(body: string, style: DecimalStyle): string | null {
  const decimalMark = style === "dot" ? "." : ",";
  const cleaned = body.replace(/[\s\u00a0']/g, "");
  const lastMark = Math.max(cleaned.lastIndexOf("."), cleaned.lastIndexOf(","));
  let integerPart = cleaned;
  let fraction = "";
  if (lastMark >= 0) {
    const tail = cleaned.slice(lastMark + 1);
    const onlyMark = !/[.,]/.test(cleaned.slice(0, lastMark));
    // The style's own mark is decimal when it appears once. The other mark is grouping,
    // except before one or two digits with nothing else around ("12,50" in a dot document
    // is a comma typed, or misread, for the point).
    const isDecimal =
      cleaned[lastMark] === decimalMark
        ? cleaned.indexOf(decimalMark) === lastMark && tail.length <= 3
        : onlyMark && tail.length <= 2;
    if (isDecimal) {
      integerPart = cleaned.slice(0, lastMark);
      fraction = tail;
    }
  }
  const groups = integerPart.split(/[.,]/);
  if (groups.length > 1 && groups.slice(1).some((group) => group.length !== 3)) return null;
  const digits = groups.join("").replace(/^0+(?=\d)/, "");
  if (!/^\d+$/.test(digits)) return null;
  return fraction ? `${digits}.${fraction.padEnd(2, "0")}` : digits;
}

/**
 * Which convention a document uses, from the amounts it prints: "1.234,56" and "12,50"
 * vote comma, "1,234.56" and "12.50" vote dot. Ties go to dot, the more common in receipts.
 */
export function detectDecimalStyle(texts: string[]): DecimalStyle {
  let comma = 0;
  let dot = 0;
  for (const text of texts) {
    comma +=
      count(text, /\d\.\d{3},\d{2}(?!\d)/g) * 3 +
      count(text, /(?<![\d.,])\d{1,3},\d{2}(?![\d.,])/g);
    dot +=
      count(text, /\d,\d{3}\.\d{2}(?!\d)/g) * 3 +
      count(text, /(?<![\d.,])\d{1,3}\.\d{2}(?![\d.,])/g);
  }
  return comma > dot ? "comma" : "dot";
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** Decimal strings compare as numbers: "9.0" equals "9.00". */
export function sameAmount(a: string, b: string): boolean {
  return Math.abs(Number(a) - Number(b)) < 0.005;
}

export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const absolute = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, "0")}`;
}

export function toCents(value: string): number {
  return Math.round(Number(value) * 100);
}
