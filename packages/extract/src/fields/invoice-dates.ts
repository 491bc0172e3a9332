import type { ExtractedField } from "../types";
import { fieldFrom } from "./confidence";
import type { DocumentContext } from "./context";
import { type DateMatch, findDates, parseCompactDate } from "./dates";
import { rowBelow } from "./labels";
import { type Row, spanOf } from "./rows";

/**
 * Invoice and due dates. A date after an issue label ("Invoice Date", "Datum", "Date:") is
 * the invoice date and one after a due label ("Due Date", "Zahlbar bis") the due date. Receipts
 * often print the date unlabelled beside the time; then the first date on the document that
 * no label claims for something else (due, expiry, printing, delivery) is taken.
 */
const dueLabel =
  /\b(?:due(?:\s*date)?|payable\s+(?:by|before|until)|pay\s+by|f[äa]llig(?:keit\w*)?(?:\s*am)?|zahlbar\s+bis|zahlungsziel|vervaldatum|vencimiento|scadenza|data\s+di\s+scadenza)\b|(?<!\p{L})(?:date\s+d'\s?)?[ÉéEe]ch[ée]ance(?!\p{L})/iu;
/**
 * Issue labels in English, German, French, Dutch, Spanish, Italian and Malay, and the
 * document's title and number followed by "of/vom/du/van/del" ("Rechnung Nr. 4711 vom
 * 05.03.2018", "Facture FA-12 du 13/11/2017").
 */
const issueLabel =
  /\b(?:invoice\s*date|inv\.?\s*date|date\s*of\s*(?:issue|invoice)|issue\s*date|issued(?:\s+on)?|bill\s*date|receipt\s*date|tax\s*point|rechnungsdatum|belegdatum|ausstellungsdatum|datum|date|factuurdatum|fecha(?:\s+de\s+(?:factura|emisi[óo]n))?|data(?:\s+(?:fattura|documento|emissione))?|tarikh)\b|\b\p{L}*(?:rechnung|invoice|facture|factuur|factura|fattura|gutschrift|avoir|credit\s*note)\b[^\n]{0,40}?\b(?:vom|von|du|dated|of|van|del|d[eo]l)\s*$/iu;
/**
 * Dates that are not the issue date: delivery, order, printing, validity, a stylesheet's or
 * a program's version ("ZUGFeRD-Version : 2.1 vom 24.03.2020"), an order's date ("Bestellung
 * vom 01.03.2018").
 */
const otherDateLabel =
  /\b(?:print(?:ed)?(?:\s*(?:at|on|date))?|expir\w*(?:\s*date)?|exp\.?|valid(?:\s*(?:until|till|to))?|delivery(?:\s*date)?|lieferdatum|leistungsdatum|liefer-\s*und\s*leistungsdatum|date\s+de\s+livraison|leverdatum|ship(?:ped|\s*date)?|order\s*date|period|member(?:\s*since)?|birth|version|stand|\(c\)|©)\b|\b(?:bestellung|auftrag|order|commande|bestelling|pedido|ordine|lieferschein|version)\p{L}*\b[^\n]{0,40}?\b(?:vom|von|du|dated|of|van|del)\s*$/iu;

export interface InvoiceDates {
  invoiceDate: ExtractedField | null;
  dueDate: ExtractedField | null;
}

interface FoundDate {
  row: Row;
  date: DateMatch;
  label: "issue" | "due" | "other" | "none";
}

export function findInvoiceDates(context: DocumentContext): InvoiceDates {
  const found = collectDates(context);
  if (!found.some((item) => item.label === "issue")) {
    const yearless = yearlessIssueDate(context, found);
    if (yearless) found.unshift(yearless);
  }
  const due = found.find((item) => item.label === "due");
  const firstIssue =
    found.find((item) => item.label === "issue") ?? found.find((item) => item.label === "none");
  const issue = firstIssue
    ? agreedReading(firstIssue, context)
    : (rereadOnlyDate(context) ?? undefined);
  const toField = (item: FoundDate | undefined, evidence: number) =>
    item
      ? fieldFrom(item.date.value, spanOf(item.row, item.date.start, item.date.end), evidence)
      : null;
  return {
    invoiceDate: toField(issue, issue?.label === "issue" ? 0.95 : 0.7),
    dueDate: toField(due, 0.9),
  };
}

/**
 * OCR misreads a receipt's year or slashes ("21/09/2O17", "21002017 10:2037"), and the date's
 * row is read again (src/image/reread.ts). The value most readings of the row agree on wins,
 * so long as at least two agree and the first reading is outvoted; otherwise the first stands.
 */
function agreedReading(chosen: FoundDate, context: DocumentContext): FoundDate {
  const readings = rereadsOf(chosen.row, context);
  if (readings.length === 0) return chosen;
  const votes = new Map<string, { count: number; item: FoundDate }>([
    [chosen.date.value, { count: 1, item: chosen }],
  ]);
  for (const reading of readings) {
    for (const date of new Set(datesIn(reading, context).map((item) => item.value))) {
      const vote = votes.get(date);
      const match = datesIn(reading, context).find((item) => item.value === date) as DateMatch;
      if (vote) vote.count += 1;
      else votes.set(date, { count: 1, item: { row: reading, date: match, label: chosen.label } });
    }
  }
  const first = votes.get(chosen.date.value)?.count ?? 1;
  const best = [...votes.values()].sort((a, b) => b.count - a.count)[0];
  return best && best.count >= 2 && best.count > first ? best.item : chosen;
}

/**
 * No row of the page shows a date, but a second reading of a row does: the value most of
 * them read, if no label there calls it a due, delivery or other date.
 */
function rereadOnlyDate(context: DocumentContext): FoundDate | null {
  const votes = new Map<string, { count: number; item: FoundDate }>();
  for (const reading of context.rereads) {
    for (const date of datesIn(reading, context)) {
      const label = labelOf(reading.text.slice(0, date.start));
      if (label === "due" || label === "other") continue;
      const vote = votes.get(date.value);
      if (vote) vote.count += 1;
      else votes.set(date.value, { count: 1, item: { row: reading, date, label } });
    }
  }
  return [...votes.values()].sort((a, b) => b.count - a.count)[0]?.item ?? null;
}

function rereadsOf(row: Row, context: DocumentContext): Row[] {
  return context.rereads.filter(
    (reading) => reading.page === row.page && reading.index === row.index,
  );
}

/** The dates a row's text shows, with the receipt forms believed only beside a time. */
function datesIn(row: Row, context: DocumentContext): DateMatch[] {
  const dates = findDates(row.text, context.dateOrder);
  if (dates.length > 0) return dates;
  const compact = compactDateNearTime(row.text) ?? shortYearNearTime(row.text, context);
  return compact ? [compact] : [];
}

function collectDates(context: DocumentContext): FoundDate[] {
  const found: FoundDate[] = [];
  for (const row of context.rows) {
    const dates = datesIn(row, context);
    for (const date of dates) {
      found.push({ row, date, label: labelOf(row.text.slice(0, date.start)) });
    }
    // Labels alone on their row, the dates printed underneath ("Invoice Date   Due Date" over
    // "01.03.2024   31.03.2024"): each date takes the label in its column.
    if (dates.length === 0) {
      const below = rowBelow(row, context.rows);
      if (below) found.push(...datesUnderLabels(row, below, context));
    }
  }
  return found;
}

function datesUnderLabels(labels: Row, below: Row, context: DocumentContext): FoundDate[] {
  const headings: { label: FoundDate["label"]; x: number }[] = [];
  for (const [label, pattern] of labelPatterns) {
    for (const match of labels.text.matchAll(new RegExp(pattern.source, "giu"))) {
      const start = match.index ?? 0;
      headings.push({ label, x: spanOf(labels, start, start + match[0].length).box.x });
    }
  }
  if (headings.length === 0) return [];
  return findDates(below.text, context.dateOrder).flatMap((date) => {
    const x = spanOf(below, date.start, date.end).box.x;
    const nearest = headings.reduce((a, b) => (Math.abs(b.x - x) < Math.abs(a.x - x) ? b : a));
    return labelOf(below.text.slice(0, date.start)) === "none"
      ? [{ row: below, date, label: nearest.label }]
      : [];
  });
}

const labelPatterns: [FoundDate["label"], RegExp][] = [
  ["due", dueLabel],
  ["other", otherDateLabel],
  ["issue", issueLabel],
];

/**
 * The label that ends nearest before the date decides: "Date: 01.03. Due: 31.03." reads both
 * right. Where two labels end together ("Due Date"), due beats other beats issue.
 */
function labelOf(before: string): FoundDate["label"] {
  let best: { label: FoundDate["label"]; end: number } = { label: "none", end: -1 };
  for (const [label, pattern] of labelPatterns) {
    for (const match of before.matchAll(new RegExp(pattern.source, "giu"))) {
      const end = (match.index ?? 0) + match[0].length;
      if (end > best.end) best = { label, end };
    }
  }
  return best.label;
}

/** "25032018 13:11:54": an eight-digit date is only believed right before a time of day. */
function compactDateNearTime(text: string): DateMatch | null {
  const match = /(?<!\d)(\d{8})\s+\d{1,2}:\d{2}/.exec(text);
  const value = match?.[1] ? parseCompactDate(match[1]) : null;
  if (!match || !value) return null;
  return { value, start: match.index, end: match.index + 8, unambiguous: true };
}

/**
 * "03/06/017 5:02 PM": OCR dropped the year's first digit. A three-digit year is only believed
 * right before a time of day, as on a till receipt, and read as the 2000s.
 */
function shortYearNearTime(text: string, context: DocumentContext): DateMatch | null {
  const match =
    /(?<![\w/.-])([\dDO]{1,2}[/.-][\dDO]{1,2}[/.-])([0O]\d{2})(?=\s+\d{1,2}[:.]\d{2})/.exec(text);
  if (!match?.[1] || !match[2]) return null;
  const digits = (part: string) => part.replace(/[DO]/g, "0");
  const [date] = findDates(`${digits(match[1])}2${digits(match[2])}`, context.dateOrder);
  if (!date) return null;
  return {
    value: date.value,
    start: match.index,
    end: match.index + match[0].length,
    unambiguous: false,
  };
}

/**
 * "Date: 02 Juillet": a labelled issue date printed without its year takes the year of the
 * other dates on the document (the due date, the delivery date); with none, it is not read.
 */
function yearlessIssueDate(context: DocumentContext, found: FoundDate[]): FoundDate | null {
  const years = found.map((item) => item.date.value.slice(0, 4));
  const year = years.sort(
    (a, b) => years.filter((y) => y === b).length - years.filter((y) => y === a).length,
  )[0];
  if (!year) return null;
  for (const row of context.rows) {
    const match = /(?<!\d)(\d{1,2})\.?\s?(?:er\s)?([A-Za-zÀ-ÿ]{3,10})\.?(?![\s,.-]*\d)/.exec(
      row.text,
    );
    if (!match || labelOf(row.text.slice(0, match.index)) !== "issue") continue;
    const [date] = findDates(`${match[1]} ${match[2]} ${year}`, context.dateOrder);
    if (!date) continue;
    return {
      row,
      date: { ...date, start: match.index, end: match.index + match[0].length },
      label: "issue",
    };
  }
  return null;
}
