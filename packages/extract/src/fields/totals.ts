import type { ExtractedField } from "../types";
import { findGrossAndDue } from "./amount-due";
import { type AmountMatch, findAmounts, formatCents, toCents } from "./amounts";
import { fieldFrom } from "./confidence";
import type { DocumentContext } from "./context";
import { isCreditNote } from "./credit-note";
import { rowBelow } from "./labels";
import { isTableHeading } from "./line-items";
import { isCoinRounded, roundingAdjustment } from "./rounding";
import { type Row, spanOf } from "./rows";
import { type AmountKind, classifyLabel } from "./total-labels";

/** A labelled amount: "TOTAL (RM): 9.00" → { kind: "payable", value: "9.00" }. */
export interface LabelledAmount {
  kind: AmountKind;
  value: string;
  row: Row;
  amount: AmountMatch;
  /** The value was printed under its label rather than beside it. */
  below: boolean;
  /** Read from a second OCR pass over the row (Page.rereads), not from the page's text. */
  reread?: boolean;
  /** A bare integer read as cents ("Total GST 571"): only a term of a sum, never a field. */
  pointLost?: boolean;
}

export interface Totals {
  subtotal: ExtractedField | null;
  tax: ExtractedField | null;
  total: ExtractedField | null;
  /** What is left to pay after prepayments, where the page states it apart from the total. */
  amountDue: ExtractedField | null;
}

/**
 * Subtotal, tax and total by vote (chooseTotal), then two corrections: an amount due after
 * prepayments is kept apart from the total (amount-due.ts), and a credit note's amounts come
 * out negative, whether the page prints them so ("Total TTC -233,47 €") or says so in its
 * title with positive amounts.
 */
export function findTotals(context: DocumentContext): Totals {
  const labelled = findLabelledAmounts(context);
  const totalLike = labelled.filter((item) => totalWeight[item.kind] !== undefined);
  const printedNegative = totalLike.length > 0 && totalLike.every((item) => Number(item.value) < 0);
  // The vote counts positive amounts; a credit note printed negative is voted on as printed
  // without its sign, which is put back after.
  const voted = printedNegative
    ? labelled.map((item) => ({ ...item, value: formatCents(Math.abs(toCents(item.value))) }))
    : labelled;
  const total = chooseTotal(voted, context);
  const { subtotal, tax } = chooseSubtotalAndTax(voted, total);
  const credit = printedNegative || isCreditNote(context);
  const result: Totals = {
    subtotal: credit ? negative(subtotal) : subtotal,
    tax: credit ? negative(tax) : tax,
    total: credit ? negative(total?.field ?? null) : (total?.field ?? null),
    amountDue: null,
  };
  const split = findGrossAndDue(context);
  if (split) {
    result.total = credit ? negative(split.total) : split.total;
    result.amountDue = split.amountDue;
  }
  return result;
}

function negative(field: ExtractedField | null): ExtractedField | null {
  if (!field || Number(field.value) <= 0) return field;
  return { ...field, value: formatCents(-toCents(field.value)) };
}

export function findLabelledAmounts(context: DocumentContext): LabelledAmount[] {
  const found: LabelledAmount[] = [];
  for (const row of context.rows) {
    const amounts = moneyIn(row.text, context);
    const first = amounts[0];
    const label = row.text.slice(0, first ? first.start : row.text.length);
    const kind = classifyLabel(label);
    if (!kind) continue;
    // The amount printed last on the row is the one its label describes ("GST 6% 5.05").
    const amount = amounts.at(-1) ?? droppedDecimalMark(row.text, kind);
    if (amount) {
      // "ROUNDING 22.90" prints the rounded total; an adjustment itself is a few cents.
      const rounded = kind === "rounding" && Math.abs(Number(amount.value)) >= 1;
      found.push({
        kind: rounded ? "final" : kind,
        value: amount.value,
        row,
        amount,
        below: false,
      });
      continue;
    }
    const term = amounts.length === 0 ? pointLostTerm(row.text, kind, context) : null;
    if (term) {
      found.push({ kind, value: term.value, row, amount: term, below: false, pointLost: true });
      continue;
    }
    // A table heading's "Amount" labels a column, not the first row under it.
    if (isTableHeading(row.text)) continue;
    const below = rowBelow(row, context.rows);
    const belowAmounts = below ? moneyIn(below.text, context) : [];
    const belowAmount = belowAmounts.at(-1);
    if (below && belowAmount && !classifyLabel(below.text.slice(0, belowAmount.start))) {
      found.push({ kind, value: belowAmount.value, row: below, amount: belowAmount, below: true });
    }
  }
  const disputed = taxRowsReadAsTotals(context);
  const relabelled = found.map((item) =>
    disputed.has(rowKey(item.row)) ? { ...item, kind: "tax" as const } : item,
  );
  return [...relabelled, ...rereadTotals(context, disputed)];
}

const rowKey = (row: Row) => `${row.page}:${row.index}`;

/**
 * Rows the first reading labels a bare TOTAL while a second reading of the same row names
 * them a tax line ("TAY TOTAL: 1.34" read again as "TAX TOTAL: 1.34"). Garbling a tax word
 * leaves "TOTAL" alone on a tax line; no misread puts a tax word onto a total row. Such a row
 * is the tax. Totals with more words ("TOTAL INCL. GST") are not bare and not disputed.
 */
function taxRowsReadAsTotals(context: DocumentContext): Set<string> {
  const disputed = new Set<string>();
  for (const reread of context.rereads) {
    const original = context.rows.find(
      (row) => row.page === reread.page && row.index === reread.index,
    );
    if (!original || labelKindOf(original, context) !== "total") continue;
    if (labelKindOf(reread, context) === "tax") disputed.add(rowKey(original));
  }
  return disputed;
}

/**
 * The amounts of total rows read a second time. The label is the first reading's when that
 * names a total (the second may have garbled it), else the second's; rows that neither
 * reading labels as a total say nothing here.
 */
function rereadTotals(context: DocumentContext, taxRows: Set<string>): LabelledAmount[] {
  const found: LabelledAmount[] = [];
  for (const reread of context.rereads) {
    if (taxRows.has(rowKey(reread))) continue;
    const original = context.rows.find(
      (row) => row.page === reread.page && row.index === reread.index,
    );
    const amounts = moneyIn(reread.text, context);
    const first = amounts[0];
    const rereadKind = classifyLabel(reread.text.slice(0, first ? first.start : undefined));
    const originalKind = original ? labelKindOf(original, context) : null;
    // A first reading that names the row something else (a tax line, a payment) stands: a
    // second reading that garbles "GST" into "6ST" does not make "Total Included GST @ 6%" a total.
    const kind =
      originalKind && totalWeight[originalKind] === undefined && originalKind !== "rounding"
        ? undefined
        : [originalKind, rereadKind].find(
            (candidate) => candidate && totalWeight[candidate] !== undefined,
          );
    if (!kind) continue;
    const amount = amounts.at(-1) ?? droppedDecimalMark(reread.text, kind);
    // A second reading counts only with both cents digits: "NET TOTAL 2.0" is a misread.
    if (!amount || !/\d[.,\s]\s?\d{2}\W*$/.test(reread.text.slice(amount.start, amount.end)))
      continue;
    found.push({ kind, value: amount.value, row: reread, amount, below: false, reread: true });
  }
  return found;
}

function sameTail(a: LabelledAmount, b: LabelledAmount): boolean {
  const x = String(toCents(a.value));
  const y = String(toCents(b.value));
  return x !== y && (x.endsWith(y) || y.endsWith(x));
}

function labelKindOf(row: Row, context: DocumentContext): AmountKind | null {
  const first = moneyIn(row.text, context)[0];
  return classifyLabel(row.text.slice(0, first ? first.start : row.text.length));
}

/**
 * "TOTAL RM 88 17": receipts' small decimal points are lost in OCR more often than any other
 * character. On a total row whose only number ends the row as "88 17", that is 88.17.
 */
function droppedDecimalMark(text: string, kind: AmountKind): AmountMatch | null {
  if (kind !== "final" && kind !== "payable" && kind !== "total") return null;
  const match = /(?<![\d.,])(\d{1,5}) (\d{2})\W{0,3}$/.exec(text);
  if (!match?.[1] || !match[2]) return null;
  const start = match.index;
  return {
    value: `${Number(match[1])}.${match[2]}`,
    start,
    end: start + match[1].length + 3,
    hasCents: true,
  };
}

/**
 * "Total GST 571", "Rounding 002", "Sub Total (RM) 10610": on the small lines of a receipt the
 * decimal point can vanish with no space left in its place. On a subtotal, tax or rounding row
 * of a document that prints cents, a bare number of three to six digits ending the row is read
 * as cents. Only sums use it (subtotal + tax + rounding), where a wrong reading adds up to
 * nothing; it is never a field of its own. Rows that carry a number as an identifier ("Tax
 * ID", "GST Reg No") are not amounts.
 */
function pointLostTerm(
  text: string,
  kind: AmountKind,
  context: DocumentContext,
): AmountMatch | null {
  if (kind !== "subtotal" && kind !== "tax" && kind !== "rounding") return null;
  if (/\b(?:id|no|nr|reg\w*|number|invoice|code)\b|#/i.test(text)) return null;
  if (!context.rows.some((row) => moneyIn(row.text, context).length > 0)) return null;
  const match = /(?<![\d.,%@/:-])(-?)(\d{3,6})(?![\d%])\W{0,3}$/.exec(text);
  if (!match?.[2]) return null;
  const cents = Number(match[2]) * (match[1] ? -1 : 1);
  return {
    value: formatCents(cents),
    start: match.index,
    end: match.index + match[0].trimEnd().length,
    hasCents: true,
  };
}

/** Amounts with cents that are not percentages: quantities and codes have no cents. */
function moneyIn(text: string, context: DocumentContext): AmountMatch[] {
  return findAmounts(text, context.decimalStyle).filter(
    (amount) => amount.hasCents && !/^\s*%/.test(text.slice(amount.end)),
  );
}

interface ChosenTotal {
  field: ExtractedField;
  value: string;
}

/** How much a labelled amount says "this is the total", before OCR confidence. */
const totalWeight: Partial<Record<AmountKind, number>> = { final: 3, payable: 2.5, total: 2 };
const paidWeight = 1.5;
const sumWeight = 1;
/** What a vote for a total keeps when it is not a coin on a page that rounds to coins. */
const offCoinWeight = 0.4;

/**
 * The amount to pay, by vote. Each total-like label votes for its amount (GRAND TOTAL, NETT
 * and AMOUNT DUE louder than a bare TOTAL), weighted by how surely OCR read it; what was paid
 * (tendered minus change, or a card payment) and subtotal + tax vote too, so one misread digit
 * on the TOTAL row is outvoted when the payment lines agree with each other. Among a label's
 * own kind, the largest amount gets a small lead: every partial sum is smaller than the total.
 */
function chooseTotal(labelled: LabelledAmount[], context: DocumentContext): ChosenTotal | null {
  const votes = new Map<number, { weight: number; best: LabelledAmount; strength: number }>();
  // Labels repeat a total (TOTAL, then TOTAL in the tax summary): one value gets the loudest
  // label's vote once. Independent evidence (payment lines, subtotal + tax) adds to it.
  const vote = (
    cents: number,
    weight: number,
    source: LabelledAmount,
    strength: number,
    sum = true,
  ) => {
    if (cents <= 0) return;
    const entry = votes.get(cents);
    if (!entry) votes.set(cents, { weight, best: source, strength });
    else {
      entry.weight = sum ? entry.weight + weight : Math.max(entry.weight, weight);
      if (strength > entry.strength) Object.assign(entry, { best: source, strength });
    }
  };
  const totals = labelled.filter((item) => totalWeight[item.kind] !== undefined);
  // The lead is a row's: a second reading of a row does not make it the largest.
  const largest = Math.max(
    0,
    ...totals.filter((item) => !item.reread).map((item) => Number(item.value)),
  );
  // A row read more than once votes once: its readings share its weight in proportion to how
  // surely each was read, so readings that agree keep it whole, and one misread digit (or a
  // reading of noise) only takes its own share.
  const readings = new Map<string, LabelledAmount[]>();
  for (const item of totals) {
    const key = `${item.row.page}:${item.row.index}`;
    readings.set(key, [...(readings.get(key) ?? []), item]);
  }
  for (const group of readings.values()) {
    const shares = new Map<number, { weight: number; item: LabelledAmount }>();
    const leads = group.some((item) => !item.reread && Number(item.value) === largest);
    const sureness = (item: LabelledAmount) => Math.max(0.05, confidenceOf(item));
    const allSureness = group.reduce((sum, item) => sum + sureness(item), 0);
    const first = group.find((item) => !item.reread);
    for (const item of group) {
      const base = totalWeight[item.kind] ?? 0;
      const lead = leads ? 0.5 : 0;
      // A row with several amounts is a table (the tax summary's "Total 10.94 0.66"), not a total.
      const tabular = moneyIn(item.row.text, context).length > 1 ? 0.5 : 1;
      const span = spanOf(item.row, item.amount.start, item.amount.end);
      const weight =
        (base + lead) *
        tabular *
        (0.5 + 0.5 * span.confidence) *
        (item.below ? 0.8 : 1) *
        (sureness(item) / allSureness);
      // A second reading that only gains or loses leading digits ("8.37" or "138.37" for
      // 38.37) lost or merged the characters before the amount; it confirms the first.
      const cents = toCents(
        first && item.reread && sameTail(item, first) ? first.value : item.value,
      );
      const share = shares.get(cents);
      if (!share) shares.set(cents, { weight, item });
      else {
        share.weight += weight;
        if (share.item.reread && !item.reread) share.item = item;
      }
    }
    for (const [cents, { weight, item }] of shares) {
      vote(cents, weight, item, (totalWeight[item.kind] ?? 0) / 3, false);
    }
  }
  const paid = paidAmount(labelled);
  if (paid) vote(paid.cents, paidWeight * paid.confidence, paid.source, 0.6);
  for (const sum of [...subtotalPlusTax(labelled), ...roundedTotals(labelled)])
    vote(sum.cents, sumWeight * sum.confidence, sum.source, 0.5);
  // A page that prints a rounding line pays in coins: a total that is not one was misread.
  if (roundingAdjustment(labelled) !== null) {
    for (const [cents, entry] of votes) if (!isCoinRounded(cents)) entry.weight *= offCoinWeight;
  }
  const [winner] = [...votes.entries()].sort((a, b) => b[1].weight - a[1].weight);
  if (!winner) return largestAmount(context);
  const [cents, { weight, best }] = winner;
  const value = formatCents(cents);
  const span = spanOf(best.row, best.amount.start, best.amount.end);
  // Agreement between two independent lines is the strongest evidence there is.
  const strength = Math.min(1, 0.35 + weight / 4);
  return {
    field: fieldFrom(value, { ...span, confidence: Math.max(span.confidence, 0.5) }, strength),
    value,
  };
}

interface DerivedAmount {
  cents: number;
  confidence: number;
  source: LabelledAmount;
}

/**
 * What was handed over minus the change, or a card payment made without change. The largest
 * payment line is the one tendered ("CASH 8.60 / TENDERED 9.00 / CHANGE 0.40").
 */
function paidAmount(labelled: LabelledAmount[]): DerivedAmount | null {
  const payments = labelled.filter((item) => item.kind === "payment");
  if (payments.length === 0) return null;
  const tendered = payments.reduce((a, b) => (Number(b.value) > Number(a.value) ? b : a));
  const change = labelled.find((item) => item.kind === "change");
  const cents = toCents(tendered.value) - (change ? toCents(change.value) : 0);
  const confidences = [tendered, change]
    .filter((item) => item !== undefined)
    .map((item) => confidenceOf(item));
  return { cents, confidence: Math.min(...confidences), source: tendered };
}

/**
 * The subtotal plus each tax line, and plus all of them (service charge and GST both add):
 * each a possible total. Only one of them can match a labelled total or a payment. Where a
 * rounding line is printed, each sum plus the adjustment is the rounded total it was computed
 * from only when that lands on a coin (rounding.ts): such a sum agrees with three lines of the
 * page at once and votes as loudly as a payment.
 */
function subtotalPlusTax(labelled: LabelledAmount[]): DerivedAmount[] {
  const subtotal = labelled.find((item) => item.kind === "subtotal");
  if (!subtotal) return [];
  const taxes = labelled.filter(
    (item) => item.kind === "tax" && Number(item.value) < Number(subtotal.value),
  );
  const distinct = [...new Map(taxes.map((tax) => [tax.value, tax])).values()];
  const combinations = distinct.map((tax) => [tax]);
  if (distinct.length > 1) combinations.push(distinct);
  const sums = combinations.map((combination) => ({
    cents:
      toCents(subtotal.value) + combination.reduce((cents, tax) => cents + toCents(tax.value), 0),
    confidence: Math.min(confidenceOf(subtotal), ...combination.map(confidenceOf)),
    source: subtotal,
  }));
  const rounding = roundingAdjustment(labelled);
  const rounded =
    rounding === null || rounding === 0
      ? []
      : sums
          .map((sum) => ({ ...sum, cents: sum.cents + rounding }))
          .filter((sum) => isCoinRounded(sum.cents))
          .map((sum) => ({ ...sum, confidence: sum.confidence * (paidWeight / sumWeight) }));
  return [...sums.map((sum) => ({ ...sum, confidence: sum.confidence * 0.6 })), ...rounded];
}

/**
 * "Total incl. GST 49.39 / Rounding 0.01 / Total 49.40": a total before rounding plus the
 * printed adjustment, where that lands on a coin, is the rounded total.
 */
function roundedTotals(labelled: LabelledAmount[]): DerivedAmount[] {
  const rounding = roundingAdjustment(labelled);
  if (rounding === null || rounding === 0) return [];
  return labelled
    .filter((item) => (item.kind === "payable" || item.kind === "total") && !item.reread)
    .map((item) => ({
      cents: toCents(item.value) + rounding,
      confidence: confidenceOf(item),
      source: item,
    }))
    .filter((sum) => !isCoinRounded(sum.cents - rounding) && isCoinRounded(sum.cents));
}

function confidenceOf(item: LabelledAmount): number {
  return spanOf(item.row, item.amount.start, item.amount.end).confidence;
}

/** Last resort: the largest amount printed on a row that is not a payment or change. */
function largestAmount(context: DocumentContext): ChosenTotal | null {
  let best: { row: Row; amount: AmountMatch } | null = null;
  for (const row of context.rows) {
    const kind = classifyLabel(row.text);
    if (kind === "payment" || kind === "change" || kind === "ignored") continue;
    for (const amount of moneyIn(row.text, context)) {
      if (!best || Number(amount.value) > Number(best.amount.value)) best = { row, amount };
    }
  }
  if (!best) return null;
  const span = spanOf(best.row, best.amount.start, best.amount.end);
  return { field: fieldFrom(best.amount.value, span, 0.3), value: best.amount.value };
}

/**
 * Subtotal and tax are chosen together: the pair that adds up to the total wins; failing
 * that, the largest labelled subtotal below the total and the first tax line.
 */
function chooseSubtotalAndTax(
  labelled: LabelledAmount[],
  total: ChosenTotal | null,
): { subtotal: ExtractedField | null; tax: ExtractedField | null } {
  const limit = total ? Number(total.value) : Number.POSITIVE_INFINITY;
  const subtotals = labelled.filter(
    (item) => item.kind === "subtotal" && !item.pointLost && Number(item.value) <= limit,
  );
  const taxes = labelled.filter(
    (item) => item.kind === "tax" && !item.pointLost && Number(item.value) < limit,
  );
  const toField = (item: LabelledAmount, evidence: number) =>
    fieldFrom(item.value, spanOf(item.row, item.amount.start, item.amount.end), evidence);

  if (total) {
    for (const subtotal of subtotals) {
      for (const tax of taxes) {
        if (toCents(subtotal.value) + toCents(tax.value) === toCents(total.value)) {
          return { subtotal: toField(subtotal, 0.95), tax: toField(tax, 0.95) };
        }
      }
    }
  }
  const subtotal = subtotals.reduce<LabelledAmount | null>(
    (best, item) => (!best || Number(item.value) > Number(best.value) ? item : best),
    null,
  );
  const tax = taxes[0] ?? null;
  return { subtotal: subtotal && toField(subtotal, 0.7), tax: tax && toField(tax, 0.6) };
}
