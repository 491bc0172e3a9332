import type { ExtractedField } from "../types";
import { findAmounts, formatCents, toCents } from "./amounts";
import { fieldFrom } from "./confidence";
import type { DocumentContext } from "./context";
import { type Row, spanOf } from "./rows";

/**
 * What is left to pay after prepayments is its own field: an invoice that lists "Bruttosumme
 * 197,65 / Erhaltene Anzahlungen -50,00 / Zahlbetrag 147,65" totals 197.65 and asks for
 * 147.65. Arrears carried onto the invoice work the other way: "Bruttosumme 220,00 / Offene
 * Zahlungen 220,00 / Zahlbetrag 440,00" totals 220.00 and asks for 440.00. Only where the page
 * shows a prepayment (or arrears that add up: gross + arrears = due), a gross total and an amount
 * due that differ are they told apart; otherwise the amount due is the total, as on a till receipt.
 */
const dueLabel =
  /\b(?:amount\s*due|residual|remaining\s*(?:balance|amount)|outstanding\s*(?:balance|amount)|balance\s*(?:due|to\s*pay)|zahlbetrag|noch\s*zu\s*zahlen|zu\s*zahlender\s*betrag|restbetrag|offener\s*betrag|solde\s*(?:[àa]\s*payer|d[ûu])|reste\s*[àa]\s*payer|te\s*betalen|openstaand\s*bedrag|importe\s*(?:pendiente|a\s*pagar)|totale\s*da\s*pagare|da\s*pagare)\b/iu;
const grossLabel =
  /\b(?:bruttosumme|bruttobetrag|gesamtbetrag|rechnungsbetrag|rechnungssumme(?!\s*ohne)|endbetrag|total\s*ttc|montant\s*ttc|grand\s*total|invoice\s*total|total\s*(?:incl|inkl)\w*|totaal(?:\s*incl\w*)?|importe\s*total|total\s*factura|totale\s*(?:documento|fattura)|total)\b/iu;
const notGross =
  /\b(?:sub\s*total|zwischensumme|netto|ohne|excl\w*|ht|hors\s*taxe|tax(?:es)?|ust|mwst|tva|vat|iva|btw)\b/iu;
const prepaymentLabel =
  /\b(?:anzahlung\w*|vorauszahlung\w*|bereits\s*(?:bezahlt|gezahlt|geleistet)|acomptes?|d[ée]j[àa]\s*(?:pay[ée]|r[ée]gl[ée])|r[èe]glements?|prepa(?:id|yments?)|paid\s*to\s*date|already\s*paid|less\s*(?:deposit|payments?)|payments?\s*received|deposit\s*paid|voorschot\w*|reeds\s*betaald|anticipos?|acconti|acconto)\b|^\s*payments?\s{2,}date\b/iu;

/** Unpaid amounts of earlier invoices carried onto this one. */
const arrearsLabel =
  /\b(?:offene\s*(?:zahlungen|posten|forderungen)|r[üu]ckst[äa]nd\w*|saldovortrag|arrears|previous\s*balance|balance\s*(?:brought|carried)\s*forward|past\s*due\s*amount|solde\s*(?:pr[ée]c[ée]dent|ant[ée]rieur)|impay[ée]s\s*ant[ée]rieurs|achterstallig\w*|openstaande\s*posten|saldo\s*(?:anterior|precedente)|arretrati)\b/iu;

interface Found {
  row: Row;
  start: number;
  end: number;
  cents: number;
  value: string;
}

interface GrossAndDue {
  total: ExtractedField;
  amountDue: ExtractedField;
}

export function findGrossAndDue(context: DocumentContext): GrossAndDue | null {
  const prepaid = context.rows.some((row) => prepaymentLabel.test(row.text));
  const arrears = prepaid ? [] : labelled(context, arrearsLabel, () => true);
  if (!prepaid && arrears.length === 0) return null;
  const due = labelled(context, dueLabel, () => true).at(-1);
  if (!due) return null;
  const gross = labelled(
    context,
    grossLabel,
    (label) => !dueLabel.test(label) && !notGross.test(label),
  );
  const largest = gross.reduce<Found | null>(
    (best, item) => (!best || Math.abs(item.cents) > Math.abs(best.cents) ? item : best),
    null,
  );
  if (!largest || largest.cents === due.cents) return null;
  // Arrears only count where they are what lies between the two: gross + arrears = due.
  if (!prepaid && !arrears.some((item) => largest.cents + item.cents === due.cents)) return null;
  const field = (item: Found) =>
    fieldFrom(formatCents(item.cents), spanOf(item.row, item.start, item.end), 0.85);
  return { total: field(largest), amountDue: field(due) };
}

/** Amounts printed after a label on the same row ("Règlement  Date  Solde à payer  470,15 €"). */
function labelled(
  context: DocumentContext,
  label: RegExp,
  accept: (labelText: string) => boolean,
): Found[] {
  const found: Found[] = [];
  for (const row of context.rows) {
    const match = new RegExp(label.source, "giu");
    for (const hit of row.text.matchAll(match)) {
      const from = (hit.index ?? 0) + hit[0].length;
      const before = row.text.slice(0, from);
      const [amount] = findAmounts(row.text.slice(from), context.decimalStyle).filter(
        (candidate) => candidate.hasCents,
      );
      if (!amount || !accept(before.slice(Math.max(0, before.length - 40)))) continue;
      // The amount belongs to this label only when no other label stands between them.
      if (
        /\p{L}{4,}/u.test(
          row.text.slice(from, from + amount.start).replace(/[€$£]|EUR|CHF|GBP|USD/g, ""),
        )
      )
        continue;
      found.push({
        row,
        start: from + amount.start,
        end: from + amount.end,
        cents: toCents(amount.value),
        value: amount.value,
      });
    }
  }
  return found;
}
