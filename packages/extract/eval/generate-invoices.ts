/**
 * pnpm eval:generate [--out .data/generated-invoices] [--count 140] [--seed 1]
 *
 * Writes a set of invented invoices for `pnpm eval:extract`: NAME.pdf (a real text layer)
 * with NAME.json in invoice2data's expected-output shape. Seven languages and six layouts,
 * each built to exercise a failure class the rules were tuned for (a bill-to block above the
 * issuer, the name only in the footer, values under their labels, "Invoice INV/1" without a
 * colon, "#" under the title, a tagline above the name), with credit notes, prepayments and
 * dates with month names mixed in. A guard against tuning to the dev sets: nothing here is
 * copied from them. The output goes to an ignored folder and is never committed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { write } from "../src/testing/pdf-pen";
import { createRandom, type Random } from "../src/testing/random";
import { invocationDirectory } from "./env";

interface Language {
  code: string;
  currency: string;
  /** Amount in cents as printed. */
  money(cents: number): string;
  date(iso: string, random: Random): string;
  legalForms: string[];
  words: {
    invoice: string;
    credit: string;
    number: string;
    date: string;
    due: string;
    billTo: string;
    subtotal: string;
    tax: string;
    total: string;
    prepaid: string;
    amountDue: string;
    seller: string;
  };
}

const group = (integer: number, separator: string) =>
  String(integer).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
const format = (cents: number, thousands: string, decimal: string) => {
  const sign = cents < 0 ? "-" : "";
  const value = Math.abs(cents);
  return `${sign}${group(Math.floor(value / 100), thousands)}${decimal}${String(value % 100).padStart(2, "0")}`;
};
const parts = (iso: string) => iso.split("-").map(Number) as [number, number, number];
const pad = (value: number) => String(value).padStart(2, "0");
const named = (months: string[]) => (iso: string, random: Random) => {
  const [y, m, d] = parts(iso);
  return random.next() < 0.5 ? `${d} ${months[m - 1]} ${y}` : `${pad(d)}.${pad(m)}.${y}`;
};

const languages: Language[] = [
  {
    code: "en-US",
    currency: "USD",
    money: (cents) => `${cents < 0 ? "-" : ""}$${format(Math.abs(cents), ",", ".")}`,
    date: (iso, random) => {
      const [y, m, d] = parts(iso);
      const months =
        "January February March April May June July August September October November December".split(
          " ",
        );
      return random.next() < 0.5 ? `${pad(m)}/${pad(d)}/${y}` : `${months[m - 1]} ${d}, ${y}`;
    },
    legalForms: ["Inc.", "LLC", "Corp."],
    words: {
      invoice: "INVOICE",
      credit: "CREDIT NOTE",
      number: "Invoice No.",
      date: "Invoice Date",
      due: "Due Date",
      billTo: "Bill To:",
      subtotal: "Subtotal",
      tax: "Sales Tax",
      total: "Total",
      prepaid: "Less deposit paid",
      amountDue: "Balance due",
      seller: "From:",
    },
  },
  {
    code: "en-GB",
    currency: "GBP",
    money: (cents) => `${cents < 0 ? "-" : ""}£${format(Math.abs(cents), ",", ".")}`,
    date: (iso) => {
      const [y, m, d] = parts(iso);
      return `${pad(d)}/${pad(m)}/${y}`;
    },
    legalForms: ["Ltd", "Limited", "LLP"],
    words: {
      invoice: "TAX INVOICE",
      credit: "CREDIT NOTE",
      number: "Invoice Number",
      date: "Date of Issue",
      due: "Payment Due",
      billTo: "Invoice To:",
      subtotal: "Net",
      tax: "VAT 20%",
      total: "Total",
      prepaid: "Paid to date",
      amountDue: "Amount due",
      seller: "Supplier:",
    },
  },
  {
    code: "de-DE",
    currency: "EUR",
    money: (cents) => `${format(cents, ".", ",")} €`,
    date: named(
      "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(
        " ",
      ),
    ),
    legalForms: ["GmbH", "AG", "GmbH & Co. KG"],
    words: {
      invoice: "RECHNUNG",
      credit: "GUTSCHRIFT",
      number: "Rechnungsnummer",
      date: "Rechnungsdatum",
      due: "Zahlbar bis",
      billTo: "Rechnungsempfänger:",
      subtotal: "Nettobetrag",
      tax: "MwSt. 19 %",
      total: "Gesamtbetrag",
      prepaid: "Erhaltene Anzahlung",
      amountDue: "Zahlbetrag",
      seller: "Verkäufer:",
    },
  },
  {
    code: "fr-FR",
    currency: "EUR",
    money: (cents) => `${format(cents, " ", ",")} €`,
    date: (iso, random) => {
      const [y, m, d] = parts(iso);
      const months =
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(
          " ",
        );
      return random.next() < 0.5 ? `${d} ${months[m - 1]} ${y}` : `${pad(d)}/${pad(m)}/${y}`;
    },
    legalForms: ["SARL", "S.A.S.", "SA"],
    words: {
      invoice: "FACTURE",
      credit: "AVOIR",
      number: "Facture n°",
      date: "Date de facture",
      due: "Date d'échéance",
      billTo: "Adresse de facturation",
      subtotal: "Total HT",
      tax: "TVA 20 %",
      total: "Total TTC",
      prepaid: "Acompte versé",
      amountDue: "Reste à payer",
      seller: "Vendeur :",
    },
  },
  {
    code: "nl-NL",
    currency: "EUR",
    money: (cents) => `€ ${format(cents, ".", ",")}`,
    date: (iso, random) => {
      const [y, m, d] = parts(iso);
      const months =
        "januari februari maart april mei juni juli augustus september oktober november december".split(
          " ",
        );
      return random.next() < 0.5 ? `${d} ${months[m - 1]} ${y}` : `${pad(d)}-${pad(m)}-${y}`;
    },
    legalForms: ["B.V.", "N.V."],
    words: {
      invoice: "FACTUUR",
      credit: "CREDITNOTA",
      number: "Factuurnummer",
      date: "Factuurdatum",
      due: "Vervaldatum",
      billTo: "Klant:",
      subtotal: "Subtotaal",
      tax: "BTW 21%",
      total: "Totaal",
      prepaid: "Reeds betaald",
      amountDue: "Te betalen",
      seller: "Leverancier:",
    },
  },
  {
    code: "es-ES",
    currency: "EUR",
    money: (cents) => `${format(cents, ".", ",")} €`,
    date: (iso, random) => {
      const [y, m, d] = parts(iso);
      const months =
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(
          " ",
        );
      return random.next() < 0.5 ? `${d} de ${months[m - 1]} de ${y}` : `${pad(d)}/${pad(m)}/${y}`;
    },
    legalForms: ["S.L.", "S.A."],
    words: {
      invoice: "FACTURA",
      credit: "NOTA DE CRÉDITO",
      number: "Número de factura",
      date: "Fecha de factura",
      due: "Vencimiento",
      billTo: "Cliente:",
      subtotal: "Base imponible",
      tax: "IVA 21%",
      total: "Importe total",
      prepaid: "Anticipo",
      amountDue: "Importe a pagar",
      seller: "Proveedor:",
    },
  },
  {
    code: "it-IT",
    currency: "EUR",
    money: (cents) => `€ ${format(cents, ".", ",")}`,
    date: (iso, random) => {
      const [y, m, d] = parts(iso);
      const months =
        "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre".split(
          " ",
        );
      return random.next() < 0.5 ? `${d} ${months[m - 1]} ${y}` : `${pad(d)}/${pad(m)}/${y}`;
    },
    legalForms: ["S.r.l.", "S.p.A."],
    words: {
      invoice: "FATTURA",
      credit: "NOTA DI CREDITO",
      number: "Fattura n.",
      date: "Data fattura",
      due: "Scadenza",
      billTo: "Cliente:",
      subtotal: "Imponibile",
      tax: "IVA 22%",
      total: "Totale documento",
      prepaid: "Acconto",
      amountDue: "Totale da pagare",
      seller: "Fornitore:",
    },
  },
];

const layouts = [
  "classic",
  "billToFirst",
  "footerOnly",
  "labelsBelow",
  "titleNumber",
  "hashNumber",
] as const;

const first = [
  "Aldrin",
  "Borealis",
  "Cobalt",
  "Dunmore",
  "Elstree",
  "Fennick",
  "Galloway",
  "Hollins",
  "Ivory",
  "Juniper",
];
const second = [
  "Tools",
  "Textiles",
  "Analytics",
  "Bakeries",
  "Freight",
  "Optics",
  "Ceramics",
  "Media",
  "Labs",
  "Timber",
];
const customers = ["Pinecrest Clinic", "Marlow Studios", "Quayside Foods", "Redfern Schools"];
const taglines = [
  "Quality since 1982",
  "Payment terms",
  "Document rendering v2.3",
  "Hotel details",
];

interface Generated {
  name: string;
  pdf: Uint8Array;
  truth: Record<string, string | number | null>;
}

async function generate(seed: number): Promise<Generated> {
  const random = createRandom(seed);
  const language = random.pick(languages);
  const layout = random.pick(layouts);
  const credit = random.next() < 0.12;
  const prepaid = !credit && random.next() < 0.15;
  const legal = random.pick(language.legalForms);
  const supplier = `${random.pick(first)} ${random.pick(second)} ${legal}`;
  const customer = `${random.pick(customers)} ${random.pick(language.legalForms)}`;
  const year = random.int(2019, 2025);
  const iso = `${year}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
  const prefix = random.pick(["INV", "RE", "FA", "F", "NL"]);
  const number =
    layout === "titleNumber"
      ? `${prefix}/${year}/${String(random.int(1, 999)).padStart(3, "0")}`
      : `${prefix}-${year}-${String(random.int(1, 9999)).padStart(4, "0")}`;
  const lines = Array.from({ length: random.int(2, 5) }, () => random.int(500, 90_000));
  const net = lines.reduce((sum, cents) => sum + cents, 0);
  const rate = Number(/(\d+)\s?%/.exec(language.words.tax)?.[1] ?? 10) / 100;
  const tax = Math.round(net * rate);
  const sign = credit ? -1 : 1;
  const total = sign * (net + tax);
  const deposit = prepaid ? Math.round((net + tax) * random.pick([0.2, 0.3, 0.5])) : 0;
  const due = total - deposit;
  const w = language.words;
  const money = (cents: number) => language.money(cents);
  const date = language.date(iso, random);

  const document = await PDFDocument.create();
  document.setCreationDate(new Date(Date.UTC(2024, 0, 1)));
  document.setModificationDate(new Date(Date.UTC(2024, 0, 1)));
  const page = document.addPage([595, 842]);
  const regular = await document.embedFont(StandardFonts.Helvetica);
  const bold = await document.embedFont(StandardFonts.HelveticaBold);
  const pen = { page, regular, bold };
  const title = credit ? w.credit : w.invoice;
  const address = `${random.int(1, 200)} ${random.pick(["Kingsway", "Hauptstraße", "rue Haute", "Calle Mayor", "Via Roma", "Dorpsstraat"])}`;

  let y = 50;
  if (random.next() < 0.3) write(pen, random.pick(taglines), 50, 24, 8);
  if (layout === "billToFirst") {
    write(pen, w.billTo, 50, y, 10, "left", true);
    write(pen, customer, 50, y + 14, 10);
    write(pen, address, 50, y + 28, 10);
    write(pen, supplier, 545, y, 14, "right", true);
    write(pen, `${random.int(1, 99)} Market Row`, 545, y + 18, 9, "right");
    y += 90;
  } else if (layout !== "footerOnly") {
    const sellerBlock = random.next() < 0.3;
    if (sellerBlock) {
      write(pen, w.seller, 50, y, 9, "left", true);
      y += 14;
    }
    write(pen, supplier, 50, y, 15, "left", true);
    write(pen, address, 50, y + 20, 9);
    y += 50;
  } else {
    write(pen, address, 50, y, 9);
    y += 30;
  }
  // Beside a bill-to block the issuer takes the top right corner; the title goes under it.
  write(pen, title, 545, layout === "billToFirst" ? 96 : 50, 20, "right", true);
  if (layout === "titleNumber") {
    write(pen, `${title} ${number}`, 50, y, 12, "left", true);
    write(pen, `${w.date}: ${date}`, 50, y + 16, 10);
    y += 40;
  } else if (layout === "hashNumber") {
    write(pen, `# ${number}`, 545, 78, 11, "right");
    write(pen, `${w.date}: ${date}`, 545, 94, 10, "right");
    y = Math.max(y, 120);
  } else if (layout === "labelsBelow") {
    write(pen, w.number, 50, y, 9, "left", true);
    write(pen, w.date, 250, y, 9, "left", true);
    write(pen, number, 50, y + 14, 10);
    write(pen, date, 250, y + 14, 10);
    y += 40;
  } else {
    write(pen, `${w.number}: ${number}`, 50, y, 10);
    write(pen, `${w.date}: ${date}`, 50, y + 14, 10);
    y += 34;
  }
  if (layout !== "billToFirst") {
    write(pen, w.billTo, 330, y, 10, "left", true);
    write(pen, customer, 330, y + 14, 10);
    y += 40;
  }
  y += 20;
  lines.forEach((cents, i) => {
    write(
      pen,
      `${random.pick(["Service", "Material", "Licence", "Freight", "Support"])} ${i + 1}`,
      50,
      y,
      10,
    );
    write(pen, money(sign * cents), 545, y, 10, "right");
    y += 16;
  });
  y += 14;
  const rows: [string, number, boolean][] = [
    [w.subtotal, sign * net, false],
    [w.tax, sign * tax, false],
    [w.total, total, true],
  ];
  if (prepaid) rows.push([w.prepaid, -deposit, false], [w.amountDue, due, true]);
  for (const [label, cents, strong] of rows) {
    write(pen, label, 330, y, 10, "left", strong);
    write(pen, money(cents), 545, y, 10, "right", strong);
    y += 16;
  }
  const footer =
    layout === "footerOnly"
      ? `${supplier} · ${address} · ${random.pick(["VAT", "USt-IdNr.", "TVA", "BTW"])} ${random.int(100000000, 999999999)}`
      : random.pick(["Thank you for your business.", "IBAN DE44 5001 0517 5407 3249 31"]);
  write(pen, footer, 297, 800, 8, "center");

  const name = `gen-${String(seed).padStart(4, "0")}-${language.code}-${layout}${credit ? "-credit" : ""}${prepaid ? "-prepaid" : ""}`;
  const truth = {
    issuer: supplier,
    amount: Math.abs(total) / 100,
    amount_due: Math.abs(due) / 100,
    date: iso,
    invoice_number: number,
    currency: language.currency,
    type_code: credit ? "381" : "380",
  };
  return { name, pdf: await document.save({ useObjectStreams: false }), truth };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: "string", default: ".data/generated-invoices" },
      count: { type: "string", default: "140" },
      seed: { type: "string", default: "1" },
    },
  });
  const dir = resolve(invocationDirectory, values.out);
  mkdirSync(dir, { recursive: true });
  const start = Number(values.seed);
  for (let seed = start; seed < start + Number(values.count); seed++) {
    const { name, pdf, truth } = await generate(seed);
    writeFileSync(join(dir, `${name}.pdf`), pdf);
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify([truth], null, 2)}\n`);
  }
  console.log(`wrote ${values.count} invoices to ${dir}`);
}

await main();
