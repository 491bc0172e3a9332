import { extractFields, findAmounts, findDates } from "../fields";
import type { ExtractionWarning, InvoiceFields, Page } from "../types";

type Compared = "supplierName" | "invoiceNumber" | "invoiceDate" | "total";

const labels: Record<Compared, string> = {
  supplierName: "supplier",
  invoiceNumber: "invoice number",
  invoiceDate: "invoice date",
  total: "total",
};

/**
 * Where the visible page contradicts the PDF's e-invoice XML on supplier, number, date or
 * total: real senders do this, and what a person approves should be what they saw. A value
 * counts as shown when it appears anywhere on the pages, in any of the usual formats; only
 * when it does not, and the page-reading rules found a different value, is there a warning,
 * naming both. A page the rules cannot read at all raises nothing: silence is not contradiction.
 */
export function pageDisagreements(pages: Page[], xml: InvoiceFields): ExtractionWarning[] {
  if (pages.every((page) => page.lines.length === 0)) return [];
  const lines = pages.flatMap((page) => page.lines.map((line) => line.text));
  const missing = (Object.keys(labels) as Compared[]).filter((key) => {
    const expected = xml[key]?.value;
    return expected && !shownOnPage(key, expected, lines);
  });
  // The usual case: the page shows all four, and the page-reading rules need not run.
  if (missing.length === 0) return [];
  const visible = extractFields(pages).fields;
  const warnings: ExtractionWarning[] = [];
  for (const key of missing) {
    const expected = xml[key]?.value;
    const seen = visible[key]?.value;
    if (!expected || !seen || same(key, seen, expected)) continue;
    warnings.push({
      code: "page_disagrees_with_e_invoice",
      message: `The page shows ${labels[key]} "${seen}", but the e-invoice data says "${expected}".`,
    });
  }
  return warnings;
}

function shownOnPage(key: Compared, value: string, lines: string[]): boolean {
  switch (key) {
    case "invoiceNumber": {
      const wanted = compact(value);
      return lines.some((line) => compact(line).includes(wanted));
    }
    case "total": {
      // A credit note's page prints the amount without the ledger's minus sign.
      const wanted = Math.abs(Number(value));
      return lines.some((line) =>
        (["dot", "comma"] as const).some((style) =>
          findAmounts(line, style).some(
            (found) => Math.abs(Math.abs(Number(found.value)) - wanted) < 0.005,
          ),
        ),
      );
    }
    case "invoiceDate":
      return lines.some((line) =>
        (["dmy", "mdy"] as const).some((order) =>
          findDates(line, order).some((found) => found.value === value),
        ),
      );
    case "supplierName": {
      const pageWords = new Set(lines.flatMap(words));
      const nameWords = words(value);
      return nameWords.length > 0 && nameWords.every((word) => pageWords.has(word));
    }
  }
}

function same(key: Compared, a: string, b: string): boolean {
  if (key === "total") return Math.abs(Math.abs(Number(a)) - Math.abs(Number(b))) < 0.005;
  if (key === "supplierName") return words(a).join(" ") === words(b).join(" ");
  return compact(a) === compact(b);
}

function compact(text: string): string {
  return text.replace(/\s+/g, "").toLowerCase();
}

/** Letters and digits in runs, lower case: "Lieferant GmbH & Co." → lieferant, gmbh, co. */
function words(text: string): string[] {
  return (
    text
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}
