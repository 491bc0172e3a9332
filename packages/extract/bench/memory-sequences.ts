import { PDFDocument, type PDFFont, type PDFPage, StandardFonts } from "pdf-lib";
import { createRandom, type Random } from "../src/testing/random";

/*
 * Generated recurring suppliers for pnpm bench:memory: each prints its invoices its own way
 * (its own labels, a customer or order number near the invoice number, its date and decimal
 * conventions, label and value on one row or a heading row over a value row), and no two of
 * its documents are laid out identically: line items come and go (the totals move down), the
 * header block shifts, a notice line may push everything down, and some suppliers redesign
 * their template halfway through the sequence. Rendered as text-layer PDFs at run time.
 */

export interface SequenceDocument {
  name: string;
  pdf: Uint8Array;
  truth: { invoiceNumber: string; invoiceDate: string; total: string; currency: string };
}

export interface SupplierSequence {
  supplier: string;
  documents: SequenceDocument[];
}

const numberLabels = [
  "Beleg-Nr.",
  "Vorgang",
  "Document ref.",
  "Our reference",
  "N° de pièce",
  "Fakturanr.",
  "Doc. No.",
  "Ref. facture",
];
const dateLabels = [
  "Belegdatum",
  "Issued",
  "Date of issue",
  "Fecha",
  "Ausgestellt am",
  "Émise le",
  "Doc. date",
  "Fakturadatum",
];
const totalLabels = [
  "Zu zahlen",
  "Amount payable",
  "Net à payer",
  "Summe brutto",
  "Balance",
  "Importe total",
  "Att betala",
  "Grand sum",
];
const distractors = ["Kundennr.", "Customer No.", "Order No.", "Client n°", "Auftrag", "Account"];

type DateStyle = "dmy-dot" | "mdy-slash" | "iso" | "d-mon-y";
type Arrangement = "inline" | "heading-row";

interface Template {
  numberLabel: string;
  dateLabel: string;
  totalLabel: string;
  distractor: string;
  dateStyle: DateStyle;
  comma: boolean;
  arrangement: Arrangement;
  /** Header block's left edge and top, in points. */
  headerX: number;
  headerY: number;
  /** Totals right-aligned at the right margin, or left under the table. */
  totalsRight: boolean;
  currency: "EUR" | "USD" | "GBP" | "SEK";
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function formatDate(iso: string, style: DateStyle): string {
  const [y, m, d] = iso.split("-");
  if (style === "dmy-dot") return `${d}.${m}.${y}`;
  if (style === "mdy-slash") return `${m}/${d}/${y}`;
  if (style === "iso") return iso;
  return `${Number(d)} ${months[Number(m) - 1]} ${y}`;
}

function formatAmount(cents: number, comma: boolean): string {
  const units = Math.floor(cents / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, comma ? "." : ",");
  const fraction = String(cents % 100).padStart(2, "0");
  return `${units}${comma ? "," : "."}${fraction}`;
}

function template(random: Random, i: number): Template {
  return {
    numberLabel: numberLabels[i % numberLabels.length] as string,
    dateLabel: dateLabels[(i * 3) % dateLabels.length] as string,
    totalLabel: totalLabels[(i * 5) % totalLabels.length] as string,
    distractor: random.pick(distractors),
    dateStyle: random.pick(["dmy-dot", "mdy-slash", "iso", "d-mon-y"] as const),
    comma: random.next() < 0.5,
    arrangement: i % 2 === 0 ? "inline" : "heading-row",
    headerX: random.pick([50, 300, 340]),
    headerY: random.pick([110, 150, 190]),
    totalsRight: random.next() < 0.7,
    currency: random.pick(["EUR", "USD", "GBP", "SEK"] as const),
  };
}

interface Pen {
  page: PDFPage;
  font: PDFFont;
}

function write(pen: Pen, text: string, x: number, top: number, size = 10, right = false): void {
  const width = pen.font.widthOfTextAtSize(text, size);
  pen.page.drawText(text, { x: right ? x - width : x, y: 842 - top - size, size, font: pen.font });
}

async function render(
  supplier: string,
  t: Template,
  doc: {
    number: string;
    customer: string;
    date: string;
    items: number[];
    notice: boolean;
    shift: number;
  },
): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setCreationDate(new Date(Date.UTC(2025, 0, 1)));
  pdf.setModificationDate(new Date(Date.UTC(2025, 0, 1)));
  const pen = { page: pdf.addPage([595, 842]), font: await pdf.embedFont(StandardFonts.Helvetica) };
  write(pen, supplier, 50, 50, 16);
  write(pen, "Industriestrasse 5, 12345 Musterstadt", 50, 72, 9);
  const down = (doc.notice ? 24 : 0) + doc.shift;
  if (doc.notice) write(pen, "Please note our new opening hours from next month.", 50, 92, 9);
  const x = t.headerX;
  const y = t.headerY + down;
  const date = formatDate(doc.date, t.dateStyle);
  if (t.arrangement === "inline") {
    write(pen, `${t.distractor}: ${doc.customer}`, x, y);
    write(pen, `${t.numberLabel}: ${doc.number}`, x, y + 16);
    write(pen, `${t.dateLabel}: ${date}`, x, y + 32);
  } else {
    write(pen, t.distractor, x, y);
    write(pen, t.numberLabel, x + 90, y);
    write(pen, t.dateLabel, x + 180, y);
    write(pen, doc.customer, x, y + 14);
    write(pen, doc.number, x + 90, y + 14);
    write(pen, date, x + 180, y + 14);
  }
  let row = 260 + down;
  write(pen, "Description", 50, row);
  write(pen, "Amount", 545, row, 10, true);
  doc.items.forEach((cents, i) => {
    row += 16;
    write(pen, `Service item ${i + 1}`, 50, row);
    write(pen, formatAmount(cents, t.comma), 545, row, 10, true);
  });
  const total = doc.items.reduce((a, b) => a + b, 0);
  row += 30;
  const totalText = `${t.totalLabel}: ${formatAmount(total, t.comma)} ${t.currency}`;
  if (t.totalsRight) write(pen, totalText, 545, row, 11, true);
  else write(pen, totalText, 50, row, 11);
  write(pen, "Payable within 30 days. Thank you for your business.", 50, 780, 9);
  return pdf.save({ useObjectStreams: false });
}

const isoDay = (random: Random) =>
  `2025-${String(random.int(1, 12)).padStart(2, "0")}-${String(random.int(1, 28)).padStart(2, "0")}`;

/** `suppliers` sequences of `length` documents each, the same for a given seed. */
export async function generateSequences(
  seed: number,
  suppliers: number,
  length: number,
): Promise<SupplierSequence[]> {
  const random = createRandom(seed);
  const sequences: SupplierSequence[] = [];
  for (let s = 0; s < suppliers; s++) {
    const supplier = `${random.pick(["Nordlicht", "Alpen", "Rhein", "Baltic", "Atlas", "Orion"])} ${random.pick(["Handel", "Systems", "Logistik", "Services", "Trading"])} ${s + 1} GmbH`;
    let t = template(random, s);
    // A quarter of the suppliers redesign their template halfway (labels stay, places move).
    const redesign = s % 4 === 3;
    const documents: SequenceDocument[] = [];
    let counter = random.int(100, 9000);
    for (let d = 0; d < length; d++) {
      if (redesign && d === Math.floor(length / 2)) {
        t = {
          ...t,
          headerX: t.headerX === 50 ? 330 : 50,
          headerY: t.headerY + 60,
          totalsRight: !t.totalsRight,
        };
      }
      counter += random.int(1, 40);
      const number = `${random.pick(["", "R", "INV-", "2025/"])}${counter}`;
      const items = Array.from({ length: random.int(1, 8) }, () => random.int(500, 250_000));
      const date = isoDay(random);
      const pdf = await render(supplier, t, {
        number,
        customer: String(random.int(10_000, 99_999)),
        date,
        items,
        notice: random.next() < 0.3,
        shift: random.int(-8, 8),
      });
      const total = items.reduce((a, b) => a + b, 0);
      documents.push({
        name: `generated-${s + 1}-${d + 1}.pdf`,
        pdf,
        truth: {
          invoiceNumber: number,
          invoiceDate: date,
          total: (total / 100).toFixed(2),
          currency: t.currency,
        },
      });
    }
    sequences.push({ supplier, documents });
  }
  return sequences;
}
