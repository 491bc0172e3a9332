import { type FixtureLocale, localeStyles } from "./locales";
import { createRandom, type Random } from "./random";

export const fixtureLayouts = ["classic", "banner", "receipt"] as const;
export type FixtureLayout = (typeof fixtureLayouts)[number];

export interface FixtureLineItem {
  description: string;
  quantity: number;
  /** Decimal strings, as extractFields reports them. */
  unitPrice: string;
  amount: string;
}

/** What a correct extraction of the fixture returns, in the contract's formats. */
export interface InvoiceTruth {
  supplierName: string;
  supplierTaxId: string;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  currency: string;
  lineItems: FixtureLineItem[];
  subtotal: string;
  tax: string;
  total: string;
}

export interface InvoiceFixture {
  seed: number;
  locale: FixtureLocale;
  layout: FixtureLayout;
  truth: InvoiceTruth;
  /** The supplier's address and the customer, printed but not extracted. */
  supplierAddress: string[];
  customer: string[];
}

const nameParts = {
  first: [
    "Northwind",
    "Bluebird",
    "Granite",
    "Silverline",
    "Harbor",
    "Evergreen",
    "Meridian",
    "Oakridge",
    "Lindenhof",
    "Kestrel",
  ],
  second: [
    "Supplies",
    "Trading",
    "Logistics",
    "Office Products",
    "Engineering",
    "Print Works",
    "Hardware",
    "Consulting",
  ],
};
const items = [
  "Copy paper A4 (box)",
  "Toner cartridge black",
  "Ballpoint pens (12)",
  "Desk lamp LED",
  "USB-C cable 2 m",
  "Consulting hours",
  "Shipping and handling",
  "Printer maintenance",
  "Stapler heavy duty",
  "Whiteboard markers",
  "Monitor stand",
  "Ethernet switch 8-port",
  "Folder binders",
  "Label tape 12 mm",
];
const streets = [
  "Market Street",
  "Hauptstraße",
  "High Street",
  "Industrial Way",
  "Bahnhofstraße",
  "Mill Lane",
];
const cities = ["Springfield", "München", "Leeds", "Portland", "Hamburg", "Bristol"];

/** A fresh invoice whose every field is known, from a seed. Same seed, same invoice. */
export function generateInvoice(
  seed: number,
  options: { locale?: FixtureLocale; layout?: FixtureLayout } = {},
): InvoiceFixture {
  const random = createRandom(seed);
  const locale = options.locale ?? random.pick(["en-US", "de-DE", "en-GB"] as const);
  const layout = options.layout ?? random.pick(["classic", "banner", "receipt"] as const);
  const style = localeStyles[locale];

  const supplierName = `${random.pick(nameParts.first)} ${random.pick(nameParts.second)} ${random.pick(style.legalForms)}`;
  const lineItems = makeLineItems(random);
  const subtotalCents = lineItems.reduce(
    (sum, item) => sum + Math.round(Number(item.amount) * 100),
    0,
  );
  const taxCents = Math.round(subtotalCents * style.taxRate);
  const invoiceDate = isoDate(random);
  const dueDate = addDays(invoiceDate, random.pick([14, 30, 45]));

  return {
    seed,
    locale,
    layout,
    truth: {
      supplierName,
      supplierTaxId: style.makeTaxId(String(random.int(100_000_000, 999_999_999))),
      invoiceNumber: `${random.pick(["INV", "RE", "NR"])}-${invoiceDate.slice(0, 4)}-${String(random.int(1, 9999)).padStart(4, "0")}`,
      invoiceDate,
      dueDate,
      currency: style.currency,
      lineItems,
      subtotal: cents(subtotalCents),
      tax: cents(taxCents),
      total: cents(subtotalCents + taxCents),
    },
    supplierAddress: [
      `${random.int(1, 250)} ${random.pick(streets)}`,
      `${random.int(10000, 99999)} ${random.pick(cities)}`,
    ],
    customer: [
      random.pick(["Acme Retail", "Fjord Studios", "Brightside Clinic", "Kraus Bau"]),
      `${random.int(1, 99)} ${random.pick(streets)}`,
    ],
  };
}

function makeLineItems(random: Random): FixtureLineItem[] {
  const count = random.int(2, 5);
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(random.pick(items));
  return [...chosen].map((description) => {
    const quantity = random.int(1, 12);
    // Some prices run into the thousands so that grouping separators get exercised.
    const unitCents = random.next() < 0.2 ? random.int(100_000, 250_000) : random.int(150, 25_000);
    return {
      description,
      quantity,
      unitPrice: cents(unitCents),
      amount: cents(unitCents * quantity),
    };
  });
}

function isoDate(random: Random): string {
  const year = random.int(2019, 2025);
  const month = random.int(1, 12);
  const day = random.int(1, 28);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function cents(value: number): string {
  return `${Math.floor(value / 100)}.${String(value % 100).padStart(2, "0")}`;
}
