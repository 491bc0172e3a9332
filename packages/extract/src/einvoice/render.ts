import type { EInvoice, EInvoiceParty } from "./model";

/** Lines shown in the rendering; the fields and `eInvoice.lines` keep all of them. */
const maxRenderedLines = 200;

/**
 * An e-invoice as a readable HTML document: what a reviewer needs to check it, in the order
 * of a paper invoice. Every value from the XML is escaped, and the document references
 * nothing outside itself (no scripts, images, links or fonts), so it is safe to show in a
 * sandboxed frame as it is, and it is what the extractor lays out as the page of an XML upload.
 */
export function renderEInvoiceHtml(invoice: EInvoice): string {
  const currency = invoice.currency ?? "";
  const money = (value: string | null) => (value === null ? "" : `${value} ${currency}`.trim());
  const kind = invoice.isCreditNote ? "Credit note" : "Invoice";
  const sections: string[] = [];

  sections.push(
    `<h1>${escapeHtml(kind)} ${escapeHtml(invoice.invoiceNumber ?? "(no number)")}</h1>`,
    `<p class="muted">E-invoice: ${escapeHtml(invoice.profile)}${invoice.documentTypeCode ? `, type code ${escapeHtml(invoice.documentTypeCode)}` : ""}${invoice.attachmentName ? `, read from ${escapeHtml(invoice.attachmentName)}` : ""}</p>`,
    `<table class="parties"><tr><td>${party("Seller", invoice.seller)}</td><td>${party("Buyer", invoice.buyer)}</td></tr></table>`,
  );

  const facts: [string, string | null][] = [
    ["Invoice date", invoice.issueDate],
    ["Due date", invoice.dueDate],
    ["Currency", invoice.currency],
    ["Buyer reference", invoice.buyerReference],
    ["Order reference", invoice.orderReference],
    ["Payment reference", invoice.paymentReference],
    [
      "Billing period",
      invoice.billingPeriod
        ? `${invoice.billingPeriod.start ?? "?"} to ${invoice.billingPeriod.end ?? "?"}`
        : null,
    ],
  ];
  sections.push(definitionTable(facts));

  if (invoice.lines.length > 0) {
    const rows = invoice.lines
      .slice(0, maxRenderedLines)
      .map((line) =>
        row([
          line.id ?? "",
          line.description ? `${line.name}: ${line.description}` : line.name,
          [line.quantity, line.unitCode].filter(Boolean).join(" "),
          line.netPrice ?? "",
          line.vatRate === null ? (line.vatCategoryCode ?? "") : `${line.vatRate} %`,
          money(line.amount),
        ]),
      );
    const more = invoice.lines.length - maxRenderedLines;
    if (more > 0) rows.push(row(["", `… and ${more} more lines`, "", "", "", ""]));
    sections.push(
      "<h2>Lines</h2>",
      `<table class="grid">${row(["#", "Item", "Quantity", "Unit price", "VAT", "Amount"], "th")}${rows.join("")}</table>`,
    );
  }

  if (invoice.vatBreakdown.length > 0) {
    const rows = invoice.vatBreakdown.map((vat) =>
      row([
        [vat.categoryCode, vat.rate === null ? null : `${vat.rate} %`].filter(Boolean).join(" "),
        money(vat.taxableAmount),
        money(vat.taxAmount),
        vat.exemptionReason ?? "",
      ]),
    );
    sections.push(
      "<h2>VAT</h2>",
      `<table class="grid">${row(["Category", "Taxable", "VAT", "Exemption"], "th")}${rows.join("")}</table>`,
    );
  }

  const t = invoice.totals;
  sections.push(
    "<h2>Totals</h2>",
    definitionTable([
      ["Lines", money(t.lineTotal)],
      ["Allowances", money(t.allowanceTotal)],
      ["Charges", money(t.chargeTotal)],
      ["Net total", money(t.taxBasisTotal)],
      ["VAT", money(t.taxTotal)],
      ["Grand total", money(t.grandTotal)],
      ["Prepaid", money(t.prepaid)],
      ["Rounding", money(t.rounding)],
      ["Amount due", money(t.amountDue)],
    ]),
  );

  const payment: [string, string | null][] = invoice.paymentMeans.flatMap((means) => [
    ["Payment means", [means.typeCode, means.information].filter(Boolean).join(" ") || null],
    ["IBAN", means.iban],
    ["BIC", means.bic],
    ["Account holder", means.accountName],
  ]);
  payment.push(["Payment terms", invoice.paymentTerms]);
  if (payment.some(([, value]) => value))
    sections.push("<h2>Payment</h2>", definitionTable(payment));

  if (invoice.notes.length > 0) {
    sections.push("<h2>Notes</h2>", ...invoice.notes.map((note) => `<p>${multiline(note)}</p>`));
  }

  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(kind)} ${escapeHtml(invoice.invoiceNumber ?? "")}</title><style>${style}</style></head><body>${sections.join("")}</body></html>`;
}

const style = [
  "body{font-family:sans-serif;font-size:9pt;margin:0}",
  "h1{font-size:14pt;margin:0 0 2pt 0}",
  "h2{font-size:10pt;margin:10pt 0 3pt 0}",
  ".muted{color:#555;margin:0 0 8pt 0}",
  "table{border-collapse:collapse;width:100%}",
  "td,th{text-align:left;vertical-align:top;padding:1pt 4pt 1pt 0}",
  ".grid td,.grid th{border-bottom:0.5pt solid #999}",
  ".parties td{width:50%}",
  ".facts th{width:25%}",
  ".facts td{width:75%}",
  "p{margin:0 0 3pt 0}",
].join("");

function party(title: string, value: EInvoiceParty): string {
  const lines = [
    value.name,
    ...value.address,
    value.countryCode,
    value.vatId ? `VAT ID ${value.vatId}` : null,
    value.taxNumber ? `Tax number ${value.taxNumber}` : null,
    value.legalId ? `Registration ${value.legalId}` : null,
  ].filter((line) => line !== null);
  return `<b>${escapeHtml(title)}</b><br>${lines.map(escapeHtml).join("<br>")}`;
}

function definitionTable(entries: [string, string | null][]): string {
  const rows = entries
    .filter(([, value]) => value !== null && value !== "")
    .map(
      ([label, value]) =>
        `<tr><th>${escapeHtml(label)}</th><td>${multiline(value ?? "")}</td></tr>`,
    );
  return rows.length === 0 ? "" : `<table class="facts">${rows.join("")}</table>`;
}

function row(cells: string[], tag: "td" | "th" = "td"): string {
  return `<tr>${cells.map((cell) => `<${tag}>${escapeHtml(cell)}</${tag}>`).join("")}</tr>`;
}

function multiline(text: string): string {
  return text.split("\n").map(escapeHtml).join("<br>");
}

/** HTML text and attribute escaping: the XML's values are data, never markup. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}
