import { PDFDocument, StandardFonts } from "pdf-lib";
import type { FixtureLayout, InvoiceFixture } from "./invoice-data";
import { type LocaleStyle, localeStyles } from "./locales";
import { type Pen, write } from "./pdf-pen";

/** The fixture as a one-page PDF with a real text layer, laid out as `fixture.layout`. */
export async function renderInvoicePdf(fixture: InvoiceFixture): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  // A fixed date keeps the bytes identical for a given seed.
  document.setCreationDate(new Date(Date.UTC(2024, 0, 1)));
  document.setModificationDate(new Date(Date.UTC(2024, 0, 1)));
  const size: [number, number] = fixture.layout === "receipt" ? [300, 640] : [595, 842];
  const pen: Pen = {
    page: document.addPage(size),
    regular: await document.embedFont(StandardFonts.Helvetica),
    bold: await document.embedFont(StandardFonts.HelveticaBold),
  };
  layouts[fixture.layout](pen, fixture, localeStyles[fixture.locale]);
  return document.save({ useObjectStreams: false });
}

const layouts: Record<
  FixtureLayout,
  (pen: Pen, fixture: InvoiceFixture, style: LocaleStyle) => void
> = {
  /** Supplier top left, title and references top right, table, totals bottom right. */
  classic(pen, fixture, style) {
    const { truth } = fixture;
    const { labels } = style;
    write(pen, truth.supplierName, 50, 60, 16, "left", true);
    fixture.supplierAddress.forEach((line, i) => {
      write(pen, line, 50, 82 + i * 14, 10);
    });
    write(pen, `${style.taxIdLabel}: ${truth.supplierTaxId}`, 50, 114, 10);
    write(pen, labels.title, 545, 60, 20, "right", true);
    write(pen, `${labels.invoiceNumber}: ${truth.invoiceNumber}`, 545, 90, 10, "right");
    write(
      pen,
      `${labels.invoiceDate}: ${style.formatDate(truth.invoiceDate)}`,
      545,
      104,
      10,
      "right",
    );
    write(pen, `${labels.dueDate}: ${style.formatDate(truth.dueDate)}`, 545, 118, 10, "right");
    write(pen, labels.billTo, 50, 160, 10, "left", true);
    fixture.customer.forEach((line, i) => {
      write(pen, line, 50, 174 + i * 14, 10);
    });
    const after = table(pen, fixture, style, 50, 545, 240);
    totals(pen, fixture, style, 330, 545, after + 20);
    write(pen, labels.thanks, 50, 780, 9);
  },
  /** Title across the top, supplier under it, references as headed columns. */
  banner(pen, fixture, style) {
    const { truth } = fixture;
    const { labels } = style;
    write(pen, labels.title, 297, 50, 24, "center", true);
    write(pen, truth.supplierName, 297, 88, 14, "center", true);
    write(
      pen,
      `${fixture.supplierAddress.join(", ")} · ${style.taxIdLabel} ${truth.supplierTaxId}`,
      297,
      106,
      9,
      "center",
    );
    const columns: [string, string][] = [
      [labels.invoiceNumber, truth.invoiceNumber],
      [labels.invoiceDate, style.formatDate(truth.invoiceDate)],
      [labels.dueDate, style.formatDate(truth.dueDate)],
    ];
    columns.forEach(([label, value], i) => {
      write(pen, label, 50 + i * 170, 150, 10, "left", true);
      write(pen, value, 50 + i * 170, 166, 11);
    });
    write(pen, `${labels.billTo}: ${fixture.customer.join(", ")}`, 50, 206, 10);
    const after = table(pen, fixture, style, 50, 545, 250);
    totals(pen, fixture, style, 330, 545, after + 20);
    write(pen, labels.thanks, 297, 790, 9, "center");
  },
  /** A till receipt: narrow, centred header, one column. */
  receipt(pen, fixture, style) {
    const { truth } = fixture;
    const { labels } = style;
    write(pen, truth.supplierName, 150, 30, 11, "center", true);
    fixture.supplierAddress.forEach((line, i) => {
      write(pen, line, 150, 46 + i * 12, 8.5, "center");
    });
    write(pen, `${style.taxIdLabel}: ${truth.supplierTaxId}`, 150, 72, 8.5, "center");
    write(pen, labels.title, 150, 96, 11, "center", true);
    write(pen, `${labels.invoiceNumber}: ${truth.invoiceNumber}`, 15, 118, 8.5);
    write(pen, `${labels.invoiceDate}: ${style.formatDate(truth.invoiceDate)}`, 15, 131, 8.5);
    write(pen, `${labels.dueDate}: ${style.formatDate(truth.dueDate)}`, 15, 144, 8.5);
    const after = table(pen, fixture, style, 15, 285, 170, true);
    totals(pen, fixture, style, 15, 285, after + 14, true);
    write(pen, labels.thanks, 150, after + 70, 7.5, "center");
  },
};

/** The line items under a heading row; returns where the table ends (points from the top). */
function table(
  pen: Pen,
  fixture: InvoiceFixture,
  style: LocaleStyle,
  left: number,
  right: number,
  top: number,
  compact = false,
): number {
  const size = compact ? 8.5 : 10;
  const step = compact ? 13 : 18;
  const width = right - left;
  const columns = compact ? [0, 0.58, 0.78, 1] : [0, 0.55, 0.75, 1];
  const at = (i: number) => left + width * (columns[i] ?? 0);
  const { labels } = style;
  write(pen, labels.description, at(0), top, size, "left", true);
  write(pen, labels.quantity, at(1), top, size, "right", true);
  write(
    pen,
    compact ? (labels.unitPrice.split(" ")[0] ?? "") : labels.unitPrice,
    at(2),
    top,
    size,
    "right",
    true,
  );
  write(pen, labels.amount, at(3), top, size, "right", true);
  fixture.truth.lineItems.forEach((item, i) => {
    const y = top + (i + 1) * step;
    write(pen, item.description, at(0), y, size);
    write(pen, String(item.quantity), at(1), y, size, "right");
    write(pen, money(style, item.unitPrice), at(2), y, size, "right");
    write(pen, money(style, item.amount), at(3), y, size, "right");
  });
  return top + (fixture.truth.lineItems.length + 1) * step;
}

function totals(
  pen: Pen,
  fixture: InvoiceFixture,
  style: LocaleStyle,
  left: number,
  right: number,
  top: number,
  compact = false,
): void {
  const size = compact ? 9 : 10;
  const step = compact ? 14 : 18;
  const { truth } = fixture;
  const rows: [string, string, boolean][] = [
    [style.labels.subtotal, truth.subtotal, false],
    [style.labels.tax, truth.tax, false],
    [style.labels.total, truth.total, true],
  ];
  rows.forEach(([label, value, bold], i) => {
    write(pen, label, left, top + i * step, size, "left", bold);
    write(pen, money(style, value), right, top + i * step, size, "right", bold);
  });
}

function money(style: LocaleStyle, decimal: string): string {
  return style.formatAmount(Math.round(Number(decimal) * 100));
}
