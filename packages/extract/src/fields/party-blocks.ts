import type { Row } from "./rows";

/**
 * The blocks of a page that name a party: a heading ("Seller", "Verkäufer", "Bill to") and the
 * rows under it, up to the next heading or a wide gap. The issuer is named under a seller
 * heading; the rows under a buyer, ship-to or attention heading name the customer and are
 * never the issuer, however high on the page they sit.
 */
const sellerHeading =
  /^\s*(?:seller|supplier|vendor|from|issued\s+by|sold\s+by|verk[äa]ufer(?:\/leistungserbringer)?|lieferant|leistungserbringer|rechnungssteller|rechnungsersteller|absender|vendeur|fournisseur|[ée]metteur|leverancier|verkoper|proveedor|emisor|vendedor|fornitore|cedente(?:\s+prestatore)?|venditore)\b\s*:?/iu;
const buyerHeading =
  /^\s*(?:bill(?:ed)?\s+to|invoice\s+to|sold\s+to|ship(?:ped)?\s+to|deliver(?:y|ed)?\s+(?:to|address)|customer|client|buyer|purchaser|recipient|attn\.?|attention|to|k[äa]ufer(?:\/leistungsempf[äa]nger)?|kunde|rechnungsempf[äa]nger|leistungsempf[äa]nger|lieferanschrift|lieferadresse|empf[äa]nger|an|destinataire|adresse\s+de\s+(?:livraison|facturation)|factur[ée]\s+[àa]|livr[ée]\s+[àa]|acheteur|afnemer|klant|koper|factuuradres|cliente|comprador|destinatario|facturar\s+a|enviar\s+a|committente|cessionario)\b/iu;
/** Headings of other blocks, which end a party block. */
const otherHeading =
  /^\s*(?:steuerbevollm[äa]chtigter|payee|zahlungsempf[äa]nger|bank|payment|zahlung|bemerkung|notes?|remarks?|betreff|subject|positions?|description|beschreibung)\b/iu;

type PartyRole = "seller" | "buyer";

export interface PartyBlock {
  role: PartyRole;
  heading: Row;
  /** The rows under the heading, and the rest of the heading's row when it holds more. */
  rows: Row[];
  /** What follows the heading on its own row ("Bill to: Acme Ltd"), if anything. */
  rest: string;
}

const maxBlockRows = 7;

/** The heading a row's first cell starts with, if it is one. */
function headingOf(cell: string): { role: PartyRole; rest: string } | null {
  const seller = sellerHeading.exec(cell);
  const buyer = seller ? null : buyerHeading.exec(cell);
  const match = seller ?? buyer;
  if (!match) return null;
  const after = cell.slice(match[0].length);
  // One-word headings stand alone or before a colon ("Lieferant GmbH" is a name, "Lieferant:"
  // a heading); "Bill to Acme Ltd" needs no colon.
  if (!/\s/.test(match[0].trim()) && !/[:]\s*$/.test(match[0]) && !/^\s*(?::|$)/.test(after))
    return null;
  const rest = after.replace(/^[\s:/-]+/, "");
  // A heading is short: "Customer service hotline 0800…" is a sentence, not a heading.
  if (rest.split(/\s+/).length > 8) return null;
  return { role: seller ? "seller" : "buyer", rest };
}

export function partyBlocks(rows: Row[]): PartyBlock[] {
  const blocks: PartyBlock[] = [];
  rows.forEach((row, position) => {
    // Only the row's first cell counts as a heading: "Kundenstraße 15  Verkäufer" is no heading.
    const heading = headingOf(row.text.split(/\s{2,}/)[0] ?? "");
    if (!heading) return;
    const under: Row[] = [];
    for (let next = position + 1; next < rows.length && under.length < maxBlockRows; next++) {
      const candidate = rows[next] as Row;
      const previous = under.at(-1) ?? row;
      if (candidate.page !== row.page) break;
      if (candidate.box.y - (previous.box.y + previous.box.height) > previous.box.height * 2.5)
        break;
      const first = candidate.text.split(/\s{2,}/)[0] ?? "";
      if (headingOf(first) || otherHeading.test(first)) break;
      under.push(candidate);
    }
    blocks.push({ role: heading.role, heading: row, rows: under, rest: heading.rest });
  });
  return blocks;
}
