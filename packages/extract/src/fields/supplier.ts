import type { ExtractedField } from "../types";
import { fieldFrom } from "./confidence";
import type { DocumentContext } from "./context";
import { repairDigits } from "./ocr-repair";
import { type PartyBlock, partyBlocks } from "./party-blocks";
import { type Row, spanOf, union, withMajorityWords } from "./rows";

/**
 * The supplier is whoever printed the document: a name near the top, usually the first
 * substantial line. Legal forms (SDN BHD, GmbH, LTD, INC…) and trade words (TRADING,
 * ENTERPRISE, RESTAURANT…) are strong signals; titles, addresses, phone and tax numbers and
 * OCR noise are skipped. A name broken over lines ("AIK HUAT HARDWARE / ENTERPRISE (SETIA /
 * ALAM) SDN BHD") is joined.
 */
// OCR reads BHD as 8HD and SDN as SON/SDI/Sin; these are matched here and repaired in cleanName.
const longLegalForm =
  /\b(?:S\w{1,2}\.?\s?[B8]HD|[S5]\/B|[B8]HD|BERHAD|LTD|LIMITED|PLC|LLC|INC|CORP(?:ORATION)?|GMBH|AG|KG|OHG|UG|E\.\s?K|S\.?A\.?R\.?L|S\.A|B\.V|N\.V|PTY|PTE|CO\.|COMPANY|LLP|SRL|S\.?P\.?A|OY|AB|KGAA|S\.A\.S|S\.R\.L|S\.L|LTDA|SP\.?\s?Z\s?O\.?\s?O|S\.R\.O|APS|A\/S|KFT|BVBA|SPRL|SASU|EURL)(?![\w/])\.?/i;
/** Forms that are also words or initials in lower case ("as", "se"): upper case only. */
const shortLegalForm = /\b(?:SA|SL|SE|AS|SAS|SARL|SNC|BV|NV|eG|a\.\s?G|e\.\s?V)\b\.?/;
const legalForm = {
  test: (text: string) => longLegalForm.test(text) || shortLegalForm.test(text),
  source: `${longLegalForm.source}|${shortLegalForm.source}`,
};
const tradeWord =
  /\b(?:ENTERPRISE|TRADING|HARDWARE|STATIONERY|RESTAURANT|RESTORAN|RESTAURANTS|BAKERY|BAKERIES|MART|MARKET|SUPERMARKET|PHARMACY|STORE|STORES|SHOP|BOOKS?|BOOKSTORE|PERNIAGAAN|SYARIKAT|KEDAI|GALLERY|CAFE|KITCHEN|PIZZA|MARKETING|INDUSTRIES|SERVICES|SOLUTIONS|CONSULTING|GROUP|HOLDINGS|INTERNATIONAL|STUDIO|AGENCY|PETROKIOSK|CENTRE|CENTER|HANDEL|VERLAG|WERKSTATT|BISTRO|HOTEL|CLINIC|FARMASI|PHOTO|MOTOR|AUTO|ELECTRICAL|FURNITURE|TAILOR\w*|HANDICRAFT|PARKING|REALT\w+)\b/i;
const notAName =
  /\b(?:TAX\s+INVOICE|INVOICE|RECEIPT|RECHNUNG|FACTURE|FACTUUR|FACTURA|FATTURA|CREDIT\s+NOTE|AVOIR|GUTSCHRIFT|CREDITNOTA|CASH\s*BILL|CASH\s*SALES?|BILL\s+TO|SHIP\s+TO|SOLD\s+TO|QUOTATION|STATEMENT|DUPLICATE|COPY|TEL|PHONE|MOBILE|FAX|EMAIL|E-MAIL|WEBSITE|WWW|HTTP|GST|VAT|TIN|ABN|REG|DATE|CASHIER|COUNTER|TABLE|WELCOME|THANK|PAGE|USt|Steuer|JALAN|JLN|LORONG|TAMAN|ROAD|STREET|AVENUE|LOT|STRASSE|STRAßE|PLATZ|WEG|SUITE|FLOOR|LEVEL|BLOCK|KAWASAN|PERSIARAN|BANDAR|SEKSYEN|SECTION|MALAYSIA|SELANGOR|KUALA\s+LUMPUR|JOHOR|OWNED\s+BY|OPERATED\s+BY|YOUR|ORDER\s+(?:NO|NUMBER)|NUMBER)\b|^\s*CASH\s*$|\b\d{5}\b/i;
/**
 * Taglines, labels and boilerplate printed above or instead of a name: a stylesheet's or
 * sample's header, a copyright, section labels ("Payment terms", "Hotel details"), a salutation.
 */
const boilerplate =
  /©|\(c\)|\bv\d+(?:\.\d+)+\b|\b(?:since|seit|depuis|desde|dal|sinds)\s+\d{4}\b|\b(?:stylesheet|version|beispiel\w*|sample|example|copyright|powered\s+by|generated|template|details|terms|conditions|zahlungsbedingungen|bedingungen|conditions|page|seite|herrn?|frau|mr|mrs|ms|mme|monsieur|madame|attn|attention|z\.\s?hd)\b/i;
/** Document titles: the supplier's header is printed above them, the customer's below. */
const documentTitle =
  /\b(?:TAX\s+INVOICE|INVOICE|RECEIPT|RECHNUNG|FACTURE|FACTUUR|FACTURA|FATTURA|CREDIT\s+NOTE|AVOIR|GUTSCHRIFT|CREDITNOTA|NOTA\s+D[EI]\s+CR[EÉ]DITO|CASH\s*BILL|QUOTATION)\b/i;
/** "Owned by: X SDN BHD": the operator of a shop, not the name it trades under. */
const ownerLabel = /\b(?:OWNED|OPERATED|MANAGED)\s+BY\b/i;

const maxCandidates = 12;
const minWordConfidence = 0.5;

interface Scored {
  row: Row;
  score: number;
  strength: number;
}

export function findSupplierName(context: DocumentContext): ExtractedField | null {
  const firstPageNumber = context.rows[0]?.page ?? 1;
  const firstPage = context.rows.filter((row) => row.page === firstPageNumber);
  const blocks = partyBlocks(firstPage);
  const customer = customerRows(blocks);
  const domains = webDomains(context.rows);
  const imprint = imprintName(firstPage, customer, domains);
  // The issuer's imprint, confirmed by its own domain, outranks a name the domain does not
  // spell: a seller heading may name the plant or warehouse that delivered, the imprint names
  // who invoices.
  const confirmedImprint = (name: Row[]) =>
    imprint && !spelledByDomain(cleanName(name.map((row) => row.text).join(" ")), domains)
      ? imprint
      : name;
  const fromSellerBlock = sellerBlockName(blocks, firstPage);
  if (fromSellerBlock) return toField(context, confirmedImprint(fromSellerBlock), 0.9);

  const titleAt =
    firstPage.find((row) => documentTitle.test(row.text))?.index ?? Number.POSITIVE_INFINITY;
  // Beside a bill-to block the issuer often sits in the right column of the same rows.
  const readable = firstPage
    .filter((row) => row.top < 0.45)
    .flatMap((row) => (customer(row) ? laterCells(row) : [firstSegment(row)]))
    .filter((row) => looksLikeText(row) && !customer(row))
    .slice(0, maxCandidates);

  let best: Scored | null = null;
  readable.forEach((row, order) => {
    const previous = firstPage.find((other) => other.index === row.index - 1);
    const scored = scoreRow(row, order, row.index > titleAt, previous, domains);
    if (scored && (!best || scored.score > best.score)) best = scored;
  });
  // No name with a legal form at the top: the footer or a legal line may carry one
  // ("Au bon moulin SARL au capital de 120 000 €", "Sitz: … Muster GmbH").
  if (!best || (best as Scored).strength < 0.9) {
    for (const row of firstPage.filter((candidate) => candidate.top >= 0.7)) {
      const segment = firstSegment(row);
      if (!legalForm.test(segment.text) || customer(segment) || !looksLikeText(segment)) continue;
      const scored = scoreRow(segment, maxCandidates, false, undefined, domains);
      if (scored && (!best || scored.score - 1 > (best as Scored).score))
        best = { ...scored, score: scored.score - 1 };
    }
  }
  const chosen = best as Scored | null;
  if (!chosen) return imprint ? toField(context, imprint, 0.9) : null;
  const name = joinWrappedName(chosen.row, firstPage);
  const named = confirmedImprint(name);
  return toField(context, named, named === name ? chosen.strength : 0.9);
}

/**
 * What an issuer's imprint prints beside its name: the VAT id, the company register or court,
 * the managing directors. A buyer's block may carry a VAT id too, but not in the footer.
 */
const imprintMarker =
  /(?:\b(?:USt-?Id(?:Nr)?|UID|VAT\s*(?:no|number|reg\w*|id)|TVA|BTW|P\.?\s?IVA|Partita\s+IVA|NIF|CIF|HRB|HRA|Handelsregister|Registergericht|Amtsgericht|Gesch[äa]ftsf[üu]h\w*|RCS|SIRE[NT]|KvK|Company\s+(?:no|number|reg\w*)|Registered\s+in)\b)/i;

/**
 * The issuer's imprint: in the page's bottom part, a name with its legal form leading a row,
 * that row or the two under it carrying a VAT id, register or managing directors, and the
 * document's web or e-mail domain spelling the name. Null unless all three hold.
 */
function imprintName(
  page: Row[],
  customer: (row: Row) => boolean,
  domains: string[],
): Row[] | null {
  const bottom = page.filter((row) => row.top >= 0.7);
  for (const [i, row] of bottom.entries()) {
    const segment = firstSegment(row);
    const text = cleanName(segment.text);
    if (!legalForm.test(text) || customer(segment) || !looksLikeText(segment)) continue;
    if (!bottom.slice(i, i + 3).some((line) => imprintMarker.test(line.text))) continue;
    if (!spelledByDomain(text, domains) || !scoreRow(segment, 0, false, undefined)) continue;
    return [segment];
  }
  return null;
}

function toField(
  context: DocumentContext,
  nameRows: Row[],
  strength: number,
): ExtractedField | null {
  // Where the name's rows were read again, each word is what most of its readings say.
  const rows = nameRows.map((row) => {
    const surer = withReadTail(withMajorityWords(row, context.rereads), context.rereads);
    return surer === row ? row : { ...surer, text: repairDigits(surer.text) };
  });
  // A label beside a wrapped name sits level with one of its rows ("Name:  … a.G.").
  const name = repairTradeWords(
    cleanName(rows.map((row) => row.text.replace(nameLabel, "")).join(" ")),
  );
  if (name.replace(/[^\p{L}]/gu, "").length < 3) return null;
  const spans = rows.map((row) => spanOf(row, 0, row.text.length));
  const span = {
    text: name,
    box: union(spans.map((s) => s.box)),
    confidence: spans.reduce((sum, s) => sum + s.confidence, 0) / spans.length,
    page: (rows[0] as Row).page,
  };
  return fieldFrom(name, span, strength);
}

/**
 * A first pass that stopped short of the name's legal form ("CO." where the row prints
 * "CO. (M) SDN BHD"): when two or more second readings of the row agree on words after its
 * end, and those words hold a legal form, they complete the row.
 */
function withReadTail(row: Row, rereads: Row[]): Row {
  const end = row.box.x + row.box.width;
  const tails = rereads
    .filter((reading) => reading.page === row.page && reading.index === row.index)
    .map((reading) => reading.words.filter((word) => word.box.x >= end - row.box.height * 0.2))
    .filter((words) => words.length > 0);
  const squash = (words: Row["words"]) =>
    words
      .map((word) => word.text)
      .join("")
      .toUpperCase()
      .replace(/[^\p{L}\p{N}]/gu, "");
  for (const tail of tails) {
    const text = tail.map((word) => word.text).join(" ");
    if (!legalForm.test(cleanName(text)) || squash(tail).length < 2) continue;
    if (tails.filter((other) => squash(other) === squash(tail)).length < 2) continue;
    const words = [...row.words, ...tail];
    return {
      ...row,
      text: `${row.text} ${text}`,
      words,
      starts: [
        ...row.starts,
        ...tail.map(
          (_, i) =>
            row.text.length +
            1 +
            tail.slice(0, i).reduce((sum, word) => sum + word.text.length + 1, 0),
        ),
      ],
      box: union(words.map((word) => word.box)),
    };
  }
  return row;
}

/** A label before the name in a seller block ("Name:", "Firma:", "Raison sociale :"). */
const nameLabel =
  /^\s*(?:name|firma|company|raison\s+sociale|nom|naam|bedrijf|nombre|raz[óo]n\s+social|ragione\s+sociale|denominazione)(?!\p{L})\s*:\s*(?=\S)/iu;
/** "Nummer: 549910", "Anschrift: …": a labelled line of the block that is not its name. */
const otherLabelled = /^\s*[\p{L}.\s/-]{2,30}:\s*\S/u;

/**
 * Under a seller heading, the name is the row after a name label, else the first row that
 * reads as a name (not a labelled number or address line); a name already printed beside the
 * heading ("Seller: Harbor Ltd") comes first.
 */
function sellerBlockName(blocks: PartyBlock[], page: Row[]): Row[] | null {
  for (const block of blocks.filter((candidate) => candidate.role === "seller")) {
    const candidates: Row[] = [];
    if (block.rest) {
      const start = block.heading.text.indexOf(block.rest);
      candidates.push(sliceRow(block.heading, start, block.heading.text.length));
    }
    candidates.push(...block.rows);
    for (const row of candidates) {
      const label = nameLabel.exec(row.text);
      if (!label && otherLabelled.test(row.text)) continue;
      const named = label
        ? firstCell(sliceRow(row, label[0].length, row.text.length))
        : firstCell(row);
      const text = cleanName(named.text);
      const letters = text.replace(/[^\p{L}]/gu, "").length;
      const digits = text.replace(/\D/g, "").length;
      if (letters < 3 || digits > letters / 3 || /@|www\.|https?:/i.test(text)) continue;
      if ((notAName.test(text) || boilerplate.test(text)) && !legalForm.test(text)) continue;
      return joinWrappedName(named, page);
    }
  }
  return null;
}

/** Rows under a buyer, ship-to or attention heading, in the heading's column. */
function customerRows(blocks: PartyBlock[]): (row: Row) => boolean {
  const claimed = blocks
    .filter((block) => block.role === "buyer")
    .flatMap((block) => [block.heading, ...block.rows].map((row) => ({ row, block })));
  // The column is measured in the heading label's own height: a large issuer's name printed
  // level with "Bill to:" in the right column stretches the row, not the label.
  const labelHeight = (block: PartyBlock) =>
    block.heading.words[0]?.box.height ?? block.heading.box.height;
  return (row) =>
    claimed.some(
      ({ row: other, block }) =>
        other.index === row.index &&
        other.page === row.page &&
        Math.abs(row.box.x - block.heading.box.x) < labelHeight(block) * 15,
    );
}

/** Web and e-mail domains on the document, letters only: "aubonmoulin" from www.aubonmoulin.fr. */
function webDomains(rows: Row[]): string[] {
  const domains = new Set<string>();
  for (const row of rows) {
    for (const match of row.text.matchAll(/(?:@|www\.|https?:\/\/(?:www\.)?)([a-z0-9-]{4,})\./gi)) {
      domains.add((match[1] ?? "").toLowerCase().replace(/[^a-z0-9]/g, ""));
    }
  }
  return [...domains];
}

/** The issuer's web or e-mail domain spells its name ("aubonmoulin.fr" for "Au bon moulin"). */
function spelledByDomain(name: string, domains: string[]): boolean {
  const squashed = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return domains.some(
    (domain) =>
      domain.length >= 5 &&
      (squashed.startsWith(domain) || domain.startsWith(squashed.slice(0, 8))),
  );
}

/** The cells of a row after its first, each cut at a separator like the first. */
function laterCells(row: Row): Row[] {
  const first = firstCell(row);
  if (first.words.length === row.words.length) return [];
  const rest = sliceRow(
    row,
    first.text.length + (row.text.indexOf(first.text) || 0) + 1,
    row.text.length,
  );
  if (rest === row || rest.words.length === 0) return [];
  return [firstSegment(rest), ...laterCells(rest)].filter((cell) => cell.box.x > first.box.x);
}

/** The part of a row that may be a name: its first cell, up to a separator ("Au bon moulin SARL - 12 chemin…"). */
function firstSegment(row: Row): Row {
  const cell = firstCell(row);
  const separator = /\s+(?:[-–—|·•●]|\/\/)\s+/.exec(cell.text);
  return separator ? sliceRow(cell, 0, separator.index) : cell;
}

function sliceRow(row: Row, start: number, end: number): Row {
  const indexes = row.words
    .map((word, i) => ({
      i,
      from: row.starts[i] ?? 0,
      to: (row.starts[i] ?? 0) + word.text.length,
    }))
    .filter(({ from, to }) => from >= start && to <= end)
    .map(({ i }) => i);
  if (indexes.length === 0) return row;
  const first = indexes[0] as number;
  const last = indexes.at(-1) as number;
  const words = row.words.slice(first, last + 1);
  const offset = row.starts[first] ?? 0;
  const stop = (row.starts[last] ?? 0) + (row.words[last]?.text.length ?? 0);
  return {
    ...row,
    words,
    starts: row.starts.slice(first, last + 1).map((value) => value - offset),
    text: row.text.slice(offset, stop),
    box: union(words.map((word) => word.box)),
  };
}

/**
 * The row's first cell: where a header prints the supplier on the left and "INVOICE" on the
 * right, only the left part is a name. Cells are split at a gap of two row heights.
 */
function firstCell(row: Row): Row {
  const cells: number[][] = [[]];
  row.words.forEach((word, i) => {
    const previous = row.words[i - 1];
    if (previous && word.box.x - (previous.box.x + previous.box.width) > 2 * row.box.height)
      cells.push([]);
    cells.at(-1)?.push(i);
  });
  if (cells.length === 1) return row;
  // Specks before a name ("._  ADVANCO COMPANY") are not a cell of their own.
  const cell =
    cells.find((indexes) => indexes.some((i) => /\p{L}{3}/u.test(row.words[i]?.text ?? ""))) ?? [];
  const first = cell[0] ?? 0;
  const last = cell.at(-1) ?? 0;
  const words = row.words.slice(first, last + 1);
  const start = row.starts[first] ?? 0;
  const end = (row.starts[last] ?? 0) + (row.words[last]?.text.length ?? 0);
  return {
    ...row,
    words,
    starts: row.starts.slice(first, last + 1).map((offset) => offset - start),
    text: row.text.slice(start, end),
    box: union(words.map((word) => word.box)),
  };
}

/** Rows tesseract made out of logos, stamps and rules are low-confidence symbol soup. */
function looksLikeText(row: Row): boolean {
  const confidence = row.words.reduce((sum, word) => sum + word.confidence, 0) / row.words.length;
  const text = row.text;
  const plain = text.replace(/[^\p{L}\p{N}\s&'().,/-]/gu, "").length;
  return confidence >= minWordConfidence && plain >= text.length * 0.85;
}

function scoreRow(
  row: Row,
  order: number,
  afterTitle: boolean,
  previous: Row | undefined,
  domains: string[] = [],
): Scored | null {
  const text = cleanName(row.text);
  if ((boilerplate.test(text) || otherLabelled.test(text)) && !legalForm.test(text)) return null;
  const letters = text.replace(/[^\p{L}]/gu, "").length;
  const digits = text.replace(/\D/g, "").length;
  if (letters < 4 || digits > letters / 3 || /@|\.com\b|\.my\b|\.de\b|www/i.test(text)) return null;
  if (notAName.test(text) && !legalForm.test(text)) return null;
  const words = text.split(/\s+/).filter((word) => /\p{L}{2,}/u.test(word));
  let score = 1;
  let strength = 0.5;
  if (legalForm.test(text)) {
    score += 4;
    strength = 0.9;
  } else if (tradeWord.test(text)) {
    score += 3;
    strength = 0.75;
  }
  if (words.length < 2 && !legalForm.test(text)) score -= 1;
  if (afterTitle) score -= 2.5;
  if (spelledByDomain(text, domains)) score += 1.5;
  if (previous && ownerLabel.test(previous.text + row.text)) score -= 4;
  score += Math.max(0, 4 - order) * 0.8;
  return { row, score, strength };
}

/**
 * Long names wrap: a row that starts inside a parenthesis or with the legal form alone
 * ("ALAM) SDN BHD", "SDN BHD") continues the row above; a name without its legal form may
 * have it on the row below ("PERNIAGAAN ZHENG HUI" / "SDN BHD").
 */
function joinWrappedName(row: Row, rows: Row[]): Row[] {
  const result = [row];
  const byIndex = (index: number) => rows.find((candidate) => candidate.index === index);
  for (let step = 0; step < 2; step++) {
    const first = result[0] as Row;
    const text = result.map((r) => r.text).join(" ");
    const startsMidName =
      /^[^(]*\)/.test(text) || /^\s*(?:\(|&|and\b)/i.test(text) || isOnlyLegalForm(first.text);
    const previous = byIndex(first.index - 1);
    if (!startsMidName || !previous || !isNameFragment(previous, first)) break;
    result.unshift(previous);
  }
  // A long legal name set as a block of two lines, the legal form on the second ("Northwind
  // Mutual" / "Insurance Society a.G."): the line above joins when it opens the block, starts
  // at the same left edge in the same size, and touches the name's line.
  const top = result[0] as Row;
  const above = byIndex(top.index - 1);
  const aboveThat = above && byIndex(above.index - 1);
  if (
    result.length === 1 &&
    above &&
    legalForm.test(top.text) &&
    !legalForm.test(above.text) &&
    Math.abs(above.box.x - top.box.x) < top.box.height &&
    Math.abs(above.box.height - top.box.height) < top.box.height * 0.2 &&
    top.box.y - (above.box.y + above.box.height) < top.box.height * 0.3 &&
    (!aboveThat || above.box.y - (aboveThat.box.y + aboveThat.box.height) > above.box.height) &&
    isNameFragment(above, top)
  )
    result.unshift(above);
  // Downwards: rows that complete the name with its legal form ("ENTERPRISE (SETIA" /
  // "ALAM) SDN BHD"), at most two, and only when the joined name then ends in a legal form.
  const below: Row[] = [];
  for (
    let next = byIndex(row.index + 1);
    next && below.length < 2;
    next = byIndex(next.index + 1)
  ) {
    if (legalForm.test(result.map((r) => r.text).join(" "))) break;
    if (!isNameFragment(next, below.at(-1) ?? row)) break;
    below.push(next);
    if (legalForm.test(next.text)) {
      result.push(...below);
      break;
    }
  }
  return result;
}

function isOnlyLegalForm(text: string): boolean {
  const rest = cleanName(text)
    .replace(new RegExp(legalForm.source, "gi"), "")
    .replace(/\([^)]*\)/g, "");
  return rest.replace(/[^\p{L}]/gu, "").length <= 2;
}

function isNameFragment(candidate: Row, neighbour: Row): boolean {
  const gap =
    Math.abs(candidate.box.y - neighbour.box.y) -
    Math.min(candidate.box.height, neighbour.box.height);
  return (
    gap <= neighbour.box.height * 1.2 &&
    !/\d{3,}/.test(cleanName(candidate.text)) &&
    !notAName.test(candidate.text) &&
    looksLikeText(candidate)
  );
}

/**
 * The trade words of names ("ENTERPRISE", "PERNIAGAAN", "STATIONERY"), long enough that one
 * wrong letter cannot make another word of the vocabulary: OCR's one-letter slips in them
 * ("ENTFRPRISE", "PERNIAGAAR") are repaired. A name's own words are never touched.
 */
const tradeVocabulary = [
  ...new Set(
    tradeWord.source
      .replace(/^\\b\(\?:|\)\\b$/g, "")
      .split("|")
      .filter((word) => /^[A-Z]{7,}$/.test(word)),
  ),
];

export function repairTradeWords(name: string): string {
  return name.replace(/\p{L}{7,}/gu, (word) => {
    const upper = word.toUpperCase();
    if (tradeVocabulary.includes(upper)) return word;
    const fixed = tradeVocabulary.find((candidate) => oneLetterApart(candidate, upper));
    if (!fixed) return word;
    return word === upper
      ? fixed
      : word === word.toLowerCase()
        ? fixed.toLowerCase()
        : fixed[0] + fixed.slice(1).toLowerCase();
  });
}

/** Same length, one letter different. */
function oneLetterApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let differences = 0;
  for (let i = 0; i < a.length && differences < 2; i++) if (a[i] !== b[i]) differences += 1;
  return differences === 1;
}

/**
 * Drops what is printed beside a name but is not part of it (registration numbers, trailing
 * noise) and repairs the OCR slips of Malaysian legal forms (8HD → BHD, SON BHD → SDN BHD).
 */
export function cleanName(raw: string): string {
  return (
    raw
      .replace(/\(\s*co(?:mpany)?\b.*$/i, " ")
      .replace(/\b(?:co(?:mpany)?\.?\s*(?:reg|no)\b).*$/i, " ")
      .replace(/\(\s*[\dA-Z]*\d{4,}[-\s]?[A-Z]?\s*\)?|\b\d{5,}-[A-Z]\b.*$/g, " ")
      .replace(
        /\bS\w{1,2}\.?(\s?)[B8]HD\b/gi,
        (match, space: string) =>
          `${/[a-z]/.test(match) ? "Sdn" : "SDN"}${match.includes(".") ? "." : ""}${space}${/[a-z]/.test(match.slice(-2)) ? "Bhd" : "BHD"}`,
      )
      .replace(/\b8HD\b/g, "BHD")
      .replace(/\b5\/B\b/g, "S/B")
      // After the legal form comes noise or a number, not more name ("… GmbH & Co. KG" stays).
      .replace(
        /(\b(?:BHD|BERHAD|LTD|LIMITED|INC|LLC|GMBH|PLC|CORP|S\/B)\b\.?)(?:\s+\S{1,3}|\s.*\d.*)$/i,
        "$1",
      )
      .replace(/^[^\p{L}\p{N}(]+|[^\p{L}\p{N}.)]+$/gu, "")
      .replace(/\s{2,}/g, " ")
      .trim()
  );
}
