/**
 * pnpm eval:einvoice <dir> [--verbose]
 *
 * Reads every NAME.pdf in <dir> and every NAME.xml in <dir>/xml through the extractor, as the
 * worker would, and compares the e-invoice fields with NAME.json (invoice2data's shape:
 * issuer, amount, amount_due, date, invoice_number, currency, type_code). Prints per-field
 * exact-match rates for PDFs and XML apart, the median milliseconds per document, and the
 * page-disagreement warnings raised.
 *
 * Two conventions of the extractor are applied to the truth before comparing: a credit note's
 * amounts are negative (the truth states them as the XML does, positive), and whitespace in
 * names is collapsed (the truth keeps the line breaks some senders put in the seller's name).
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { median } from "../bench/stats";
import { isCreditNoteCode } from "../src/einvoice/values";
import type { ExtractResult } from "../src/extractor";
import { createExtractor, type DocumentType } from "../src/extractor";
import { invocationDirectory } from "./env";

interface Truth {
  issuer?: string | null;
  amount?: number | null;
  amount_due?: number | null;
  date?: string | null;
  invoice_number?: string | null;
  currency?: string | null;
  type_code?: string | null;
}

const compared = [
  "supplier",
  "number",
  "date",
  "total",
  "currency",
  "amountDue",
  "typeCode",
] as const;
type Compared = (typeof compared)[number];

interface Outcome {
  name: string;
  kind: "pdf" | "xml";
  ms: number;
  misses: { field: Compared; expected: string | null; got: string | null }[];
  warnings: string[];
  error?: string;
}

const usage = "usage: pnpm eval:einvoice <dir> [--verbose]";

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { verbose: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  const [dirArg] = positionals;
  if (!dirArg || positionals.length > 1) throw new Error(usage);
  const dir = resolve(invocationDirectory, dirArg);
  const documents = [
    ...list(dir, ".pdf").map((path) => ({ path, kind: "pdf" as const })),
    ...list(join(dir, "xml"), ".xml").map((path) => ({ path, kind: "xml" as const })),
  ];

  const extractor = createExtractor({ maxPages: 50 });
  const outcomes: Outcome[] = [];
  try {
    // One untimed read first: mupdf's fonts and sharp load on first use.
    const first = documents[0];
    if (first) await extractor.extract(readFileSync(first.path), mime(first.kind));
    for (const document of documents) outcomes.push(await check(extractor.extract, document));
  } finally {
    await extractor.close();
  }
  if (values.verbose) printDetails(outcomes);
  printReport(outcomes);
}

function list(dir: string, extension: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(extension))
    .sort()
    .map((name) => join(dir, name));
}

function mime(kind: "pdf" | "xml"): DocumentType {
  return kind === "pdf" ? "application/pdf" : "application/xml";
}

async function check(
  extract: (bytes: Uint8Array, type: DocumentType) => Promise<ExtractResult>,
  document: { path: string; kind: "pdf" | "xml" },
): Promise<Outcome> {
  const name = basename(document.path);
  const [truth] = JSON.parse(
    readFileSync(document.path.replace(/\.(pdf|xml)$/, ".json"), "utf8"),
  ) as Truth[];
  const started = performance.now();
  let result: ExtractResult;
  try {
    result = await extract(new Uint8Array(readFileSync(document.path)), mime(document.kind));
  } catch (error) {
    return { name, kind: document.kind, ms: 0, misses: [], warnings: [], error: String(error) };
  }
  const ms = performance.now() - started;
  const { fields, warnings, eInvoice } = result.extraction;
  const expected = expectedValues(truth ?? {});
  const got: Record<Compared, string | null> = {
    supplier: fields.supplierName?.value ?? null,
    number: fields.invoiceNumber?.value ?? null,
    date: fields.invoiceDate?.value ?? null,
    total: fields.total?.value ?? null,
    currency: fields.currency?.value ?? null,
    amountDue: fields.amountDue?.value ?? null,
    typeCode: eInvoice?.documentTypeCode ?? null,
  };
  const misses = compared
    .filter((field) => !same(field, expected[field], got[field]))
    .map((field) => ({ field, expected: expected[field], got: got[field] }));
  return {
    name,
    kind: document.kind,
    ms,
    misses,
    warnings: warnings.map((warning) => `${warning.code}: ${warning.message}`),
    ...(eInvoice ? {} : { error: "no e-invoice data read" }),
  };
}

function expectedValues(truth: Truth): Record<Compared, string | null> {
  const sign = isCreditNoteCode(truth.type_code ?? null) ? -1 : 1;
  const amount = (value: number | null | undefined) =>
    value === null || value === undefined ? null : (sign * value).toFixed(2);
  return {
    supplier: truth.issuer ? truth.issuer.split(/\s+/).join(" ") : null,
    number: truth.invoice_number ?? null,
    date: truth.date ?? null,
    total: amount(truth.amount),
    currency: truth.currency ?? null,
    amountDue: amount(truth.amount_due),
    typeCode: truth.type_code ?? null,
  };
}

function same(field: Compared, expected: string | null, got: string | null): boolean {
  if (expected === null || got === null) return expected === got;
  if (field === "total" || field === "amountDue")
    return Math.abs(Number(expected) - Number(got)) < 0.005;
  return expected === got;
}

function printDetails(outcomes: Outcome[]): void {
  for (const outcome of outcomes) {
    if (outcome.error) console.log(`${outcome.name}: ${outcome.error}`);
    for (const miss of outcome.misses) {
      console.log(`${outcome.name}: ${miss.field} expected ${miss.expected}, got ${miss.got}`);
    }
    for (const warning of outcome.warnings) console.log(`${outcome.name}: ${warning}`);
  }
}

function printReport(outcomes: Outcome[]): void {
  for (const kind of ["pdf", "xml"] as const) {
    const group = outcomes.filter((outcome) => outcome.kind === kind);
    if (group.length === 0) continue;
    const rates = compared
      .map((field) => {
        const right = group.filter(
          (outcome) => !outcome.error && !outcome.misses.some((miss) => miss.field === field),
        ).length;
        return `${field} ${(right / group.length).toFixed(2)}`;
      })
      .join("  ");
    const read = group.filter((outcome) => !outcome.error);
    const disagreements = group.filter((outcome) =>
      outcome.warnings.some((warning) => warning.startsWith("page_disagrees_with_e_invoice")),
    ).length;
    console.log(`${kind.toUpperCase()} (${group.length}): read ${read.length}  ${rates}`);
    console.log(
      `  median ${median(read.map((outcome) => outcome.ms)).toFixed(1)} ms per document; ` +
        `${disagreements} with a page-disagreement warning`,
    );
  }
}

await main();
