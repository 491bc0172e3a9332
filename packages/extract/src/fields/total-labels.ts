/**
 * What an amount on a row is, from the words before it. Order matters: the first kind whose
 * pattern matches wins, so "TOTAL INCL. GST" is a total, "TOTAL GST" is tax and "TOTAL QTY"
 * is nothing. Patterns tolerate the common OCR slips in these words (T0TAL, TOTAI, SUB-TGTAL).
 *
 * "final" labels say this is what is owed (GRAND TOTAL, NETT TOTAL, AMOUNT DUE, ROUNDED);
 * "payable" labels a total that may still be rounded (TOTAL INCL. GST, TOTAL AMOUNT, TOTAL (RM)),
 * in other languages too ("Summe inkl. USt", "Totaal incl. btw", "Betrag inkl. 19% MwSt",
 * "Totale IVA inclusa", "Total TVA incluse"): the tax word in such a
 * label names what the total includes, it does not make the row a tax line;
 * "total" is a bare TOTAL or AMOUNT.
 */
export type AmountKind =
  | "final"
  | "payable"
  | "total"
  | "subtotal"
  | "tax"
  | "rounding"
  | "payment"
  | "change"
  | "ignored";

const T = "T[O0G]T[AE4][L1I]"; // TOTAL, T0TAL, TGTAL, TOTAI, TOTEL
const taxWord = String.raw`(?:gst|vat|sst|tax|mw\w{0,2}st|ust|tva|btw|iva)`;

const rules: [AmountKind, RegExp][] = [
  // "GST @6% included in total": the tax inside a total, not the total. "Total Included GST
  // @ 6% : 1.42": a rate after the tax word says the amount is that tax.
  [
    "tax",
    new RegExp(
      String.raw`\b${taxWord}\b.*\binclu\w*\s+in\b|\binclu\w*\s+in\s+${T}\b|\b${taxWord}\s*@`,
      "i",
    ),
  ],
  // "{HANGE", "(HANGE": the C of CHANGE read as a bracket.
  [
    "change",
    /\b(?:change|chanqe|changs|balance\s+(?:returned|change)|r[üu]ckgeld|wechselgeld)\b|[{(]hange\b/i,
  ],
  ["rounding", /\b(?:rounding|round(?:ing)?\s*adj\w*|rundung)\b/i],
  [
    "ignored",
    new RegExp(
      String.raw`\b(?:${T}\s*(?:qty|quantity|items?|pcs|points?|savings?|discount|disc)|qty|quantity|items?\(s\)|discount|disc\.?|savings?|points?|deposit|opening|closing|earned|previous|tip|rabatt|skonto|net\s*(?:wt|weight)|weight|unit\s*price|price\s*\/|\/\s*litre|per\s+litre|coupon|voucher)\b`,
      "i",
    ),
  ],
  ["final", /\bto\s*be\s*paid\b|\bzu\s*zahlen\b|\bnet\s*à\s*payer\b/i],
  [
    "payment",
    /\b(?:cash|tunai|tendered|tender|paid|payment|accepted|received|visa|master(?:card)?|amex|credit|debit|card|e-?wallet|boost|grab\s*pay|touch\s*n\s*go|bezahlt|gegeben|ec-?karte)\b/i,
  ],
  [
    "subtotal",
    new RegExp(
      String.raw`\b(?:sub[\s-]*${T}|sub\s*t[o0]t\w*|${T}\s*(?:sales\s*)?\(?\s*(?:excl?\.?|excluding|exclusive|before|w\/o|without|ex\.?)\b|${T}\s*\(?\s*exclud\w*|\(excl\w*\s*${taxWord}\)\s*sub|net\s*amount|zwischensumme|nettobetrag|netto(?:summe|betrag)?|summe\s*netto|total\s*ht|amount\s*before\s*tax|total\s*net|imponibile|base\s+imponible|subtotaal)\b`,
      "i",
    ),
  ],
  [
    "final",
    new RegExp(
      String.raw`\b(?:grand\s*${T}|${T}\s*(?:amount\s*)?(?:due|payable|to\s*pay)|amount\s*(?:due|payable)|balance\s*due|${T}\s*after\s*round\w*|round(?:ed)?\s*${T}|${T}\s*round\w*|ne[t1il]{1,2}\s*${T}|${T}\s*nett|nett|gesamtbetrag|gesamtsumme|rechnungsbetrag|endbetrag|zahlbetrag|(?:total|montant)\s*ttc|montant\s*total|totale\s*(?:documento|fattura|da\s*pagare)|importe\s*(?:total|a\s*pagar)|te\s*betalen)\b`,
      "i",
    ),
  ],
  [
    "payable",
    new RegExp(
      String.raw`\b(?:${T}\s*(?:sales\s*)?\W*inc\w*|${T}\W*${taxWord}\W*incl\w*|${T}\s*amount|${T}\s*\(?(?:RM|MYR|USD|EUR|GBP|SGD|\$|€|£)\)?|(?:amount|sales|${T}|summe|gesamt\w*|betrag|totaal|bedrag|totale|importe|montant)\W+(?:\w+\W+)?(?:in[ck]l\w*|inclusive)\W+(?:of\s+)?(?:\d+(?:[.,]\d+)?\s?%\s*)?${taxWord}|(?:${T}e?|importe|montant)\W+${taxWord}\W+inclu\w*|bruttobetrag|brutto)\b`,
      "i",
    ),
  ],
  [
    "tax",
    new RegExp(
      String.raw`\b(?:${T}\s*${taxWord}|${taxWord}\s*${T}|${taxWord}|sales\s*tax|service\s*(?:tax|charge)|umsatzsteuer|mehrwertsteuer)\b`,
      "i",
    ),
  ],
  [
    "total",
    new RegExp(
      String.raw`\b(?:${T}|amount|summe|gesamt|betrag|jumlah|totaal|totale|importe)\b`,
      "i",
    ),
  ],
];

export function classifyLabel(label: string): AmountKind | null {
  // "(QTY 4)" beside SUBTOTAL counts items; it does not make the row a quantity.
  const text = label.replace(/\(\s*(?:qty|items?|pcs)[^)]*\)/gi, " ");
  for (const [kind, pattern] of rules) {
    if (pattern.test(text)) return kind;
  }
  return null;
}
